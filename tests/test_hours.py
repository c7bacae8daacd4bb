"""Hours and strike-pay eligibility against hand-worked weeks (real SQLite file, real sign-ins)."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.hours import (
    DayHours,
    EligibilityStatus,
    add_credit,
    daily_hours,
    eligibility,
    pay_week_start,
    void_credit,
)
from strikeboard.services.settings import StrikePayRule, StrikeSettings
from strikeboard.services.signin import sign_in, sign_out, undo
from strikeboard.store.db import Store
from strikeboard.store.models import HoursCredit, Location, Member, Shift

ZONE = ZoneInfo("America/Los_Angeles")
MONDAY = date(2026, 11, 23)
SETTINGS = StrikeSettings(time_zone="America/Los_Angeles")


def _rule(settings: StrikeSettings = SETTINGS, **changes: object) -> StrikeSettings:
    return replace(settings, strike_pay=replace(settings.strike_pay, **changes))


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


class Line:
    """A gate and its members in a test database; ``picket`` signs someone in (and out)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        with store.write() as session:
            gate = Location(name="Gate 1")
            session.add(gate)
            session.flush()
            self.gate = gate.id
            self.members = []
            for n in range(3):
                member = Member(member_number=str(n + 1), first_name=f"P{n}")
                session.add(member)
                session.flush()
                self.members.append(member.id)

    def picket(
        self,
        member: uuid.UUID,
        start: datetime,
        hours: float,
        *,
        signed_out: bool = True,
        shift_hours: float = 4,
    ) -> uuid.UUID:
        """A shift of ``shift_hours`` from ``start``; the member signs in at its start, out after ``hours``.

        Real hours: the arithmetic is done in UTC (aware local arithmetic would follow the wall clock).
        """
        start = start.astimezone(UTC)
        with self.store.write() as session:
            shift = Shift(
                location_id=self.gate, starts_at=start, ends_at=start + timedelta(hours=shift_hours)
            )
            session.add(shift)
            session.flush()
            sign_in(session, shift_id=shift.id, member_id=member, at=start, by="t", zone=ZONE)
            if signed_out:
                sign_out(
                    session, shift_id=shift.id, member_id=member, at=start + timedelta(hours=hours), by="t"
                )
            return shift.id

    def credit(self, member: uuid.UUID, day: date, hours: float, kind: str) -> uuid.UUID:
        with self.store.write() as session:
            return add_credit(
                session, member_id=member, on_date=day, hours=hours, kind=kind, approved_by="Org"
            )

    def week(self, settings: StrikeSettings = SETTINGS, monday: date = MONDAY):  # type: ignore[no-untyped-def]
        with self.store.read() as session:
            return eligibility(session, monday, settings)


@pytest.fixture
def line(store: Store) -> Line:
    return Line(store)


def test_four_hours_on_five_days_is_eligible_at_twenty(line: Line) -> None:
    ann = line.members[0]
    for i in range(5):
        line.picket(ann, _local(MONDAY + timedelta(days=i), 6), 4)
    result = line.week()[ann]
    assert (result.status, result.counted_hours, result.short_by, result.label) == (
        EligibilityStatus.ELIGIBLE,
        20.0,
        0.0,
        "eligible",
    )
    assert [day.picket for day in result.days] == [4, 4, 4, 4, 4, 0, 0]


def test_nineteen_and_a_half_hours_is_short_by_half_an_hour(line: Line) -> None:
    ann, bo = line.members[:2]
    for i in range(4):
        line.picket(ann, _local(MONDAY + timedelta(days=i), 6), 4)
    line.picket(ann, _local(MONDAY + timedelta(days=4), 6), 3.5)
    week = line.week()
    assert (week[ann].status, week[ann].short_by, week[ann].label) == (
        EligibilityStatus.SHORT,
        0.5,
        "short by 0.5 h",
    )
    assert (week[bo].status, week[bo].counted_hours, week[bo].label) == (
        EligibilityStatus.NOT_ELIGIBLE,
        0,
        "not eligible",
    )


def test_a_day_below_the_daily_minimum_does_not_count(line: Line) -> None:
    ann, bo = line.members[:2]
    for i in range(4):
        line.picket(ann, _local(MONDAY + timedelta(days=i), 6), 4)
        line.picket(bo, _local(MONDAY + timedelta(days=i), 10), 4)
    line.picket(ann, _local(MONDAY + timedelta(days=4), 6), 3)  # 19 h, the 3 h day
    for i in (4, 5):
        line.picket(bo, _local(MONDAY + timedelta(days=i), 10), 3 if i == 4 else 4)  # 23 h
    without = line.week()
    assert (without[ann].counted_hours, without[bo].counted_hours) == (19, 23)
    strict = line.week(_rule(daily_minimum_hours=4))
    assert (strict[ann].counted_hours, strict[ann].short_by) == (16, 4)
    assert (strict[bo].counted_hours, strict[bo].status) == (20, EligibilityStatus.ELIGIBLE)
    assert strict[ann].picket_hours == 19  # the hours themselves are still shown


def test_alternative_duty_counts_only_when_the_rule_says_so_and_excused_absence_always(line: Line) -> None:
    ann, bo = line.members[:2]
    for i in range(4):
        line.picket(ann, _local(MONDAY + timedelta(days=i), 6), 4)
        line.picket(bo, _local(MONDAY + timedelta(days=i), 6), 4)
    line.credit(ann, MONDAY + timedelta(days=4), 4, "alternative_duty")
    line.credit(bo, MONDAY + timedelta(days=4), 4, "excused_absence")
    counted = line.week()
    assert counted[ann].status is counted[bo].status is EligibilityStatus.ELIGIBLE
    assert counted[ann].days[4] == DayHours(alternative_duty=4)
    not_counted = line.week(_rule(alternative_duty_counts=False))
    assert (not_counted[ann].status, not_counted[ann].short_by) == (EligibilityStatus.SHORT, 4)
    assert not_counted[bo].status is EligibilityStatus.ELIGIBLE


def test_voided_check_ins_and_credits_do_not_count(line: Line) -> None:
    ann = line.members[0]
    shift = line.picket(ann, _local(MONDAY, 6), 4)
    credit = line.credit(ann, MONDAY + timedelta(days=1), 4, "alternative_duty")
    assert line.week()[ann].counted_hours == 8
    with line.store.write() as session:
        undo(session, shift_id=shift, member_id=ann, by="captain", reason="wrong person")
        void_credit(session, credit, by="Org", reason="entered twice")
    result = line.week()[ann]
    assert (result.counted_hours, result.status) == (0, EligibilityStatus.NOT_ELIGIBLE)


def test_a_sign_in_without_sign_out_counts_to_the_shift_end_and_is_flagged(line: Line) -> None:
    ann = line.members[0]
    line.picket(ann, _local(MONDAY, 6), 0, signed_out=False, shift_hours=4)
    line.picket(ann, _local(MONDAY + timedelta(days=1), 6), 2.25)
    result = line.week()[ann]
    assert result.days[0] == DayHours(picket=4, no_sign_out=1)
    assert (result.counted_hours, result.no_sign_out) == (6.25, 1)


def test_a_shift_across_local_midnight_counts_on_the_day_it_began(line: Line) -> None:
    ann = line.members[0]
    line.picket(ann, _local(MONDAY + timedelta(days=1), 22), 4)  # Tue 22:00 – Wed 02:00
    line.picket(ann, _local(MONDAY - timedelta(days=1), 22), 4)  # Sun before: the previous week
    result = line.week()[ann]
    assert [day.picket for day in result.days] == [0, 4, 0, 0, 0, 0, 0]
    previous = line.week(monday=MONDAY - timedelta(days=7))[ann]
    assert previous.days[6].picket == 4


def test_the_fall_back_week_keeps_local_days(line: Line) -> None:
    """Sun 1 Nov 2026 has 25 hours in Los Angeles: 00:00–04:00 is 5 h on the line, and
    23:30 is still Sunday (counting 7 × 24 h from Monday would end the week at 23:00)."""
    ann = line.members[0]
    monday = date(2026, 10, 26)
    sunday = date(2026, 11, 1)
    shift = line.picket(ann, _local(sunday, 0), 5, shift_hours=5)
    line.picket(ann, _local(sunday, 23, 30), 0.5)
    with line.store.read() as session:
        ends = session.get_one(Shift, shift).ends_at
    assert ends.astimezone(ZONE).strftime("%H:%M") == "04:00"
    result = line.week(monday=monday)[ann]
    assert result.days[6].picket == 5.5
    assert line.week(monday=date(2026, 11, 2))[ann].counted_hours == 0


def test_the_spring_forward_day_has_23_hours(line: Line) -> None:
    ann = line.members[0]
    sunday = date(2026, 3, 8)
    shift = line.picket(ann, _local(sunday, 0), 3, shift_hours=3)  # 00:00–04:00 on the clock: 3 h
    line.picket(ann, _local(sunday + timedelta(days=1), 0, 30), 1)  # Monday 00:30 is the next day
    with line.store.read() as session:
        days = daily_hours(session, sunday, 2, SETTINGS)[ann]
        ends = session.get_one(Shift, shift).ends_at
    assert ends.astimezone(ZONE).strftime("%H:%M") == "04:00"
    assert [day.picket for day in days] == [3, 1]


def test_the_pay_week_starts_on_the_rules_day(line: Line) -> None:
    ann = line.members[0]
    sunday_rule = _rule(week_starts_on=6)
    assert pay_week_start(MONDAY, sunday_rule.strike_pay) == MONDAY - timedelta(days=1)
    assert pay_week_start(MONDAY, StrikePayRule()) == MONDAY
    line.picket(ann, _local(MONDAY - timedelta(days=1), 10), 4)  # a Sunday
    result = line.week(sunday_rule, monday=MONDAY + timedelta(days=2))[ann]
    assert (result.week_start, result.days[0].picket) == (MONDAY - timedelta(days=1), 4)
    assert line.week()[ann].counted_hours == 0  # Monday weeks: it was the week before


def test_only_the_asked_members_are_returned_and_everyone_otherwise(line: Line) -> None:
    ann, bo, cy = line.members
    line.picket(ann, _local(MONDAY, 6), 4)
    with line.store.read() as session:
        some = eligibility(session, MONDAY, SETTINGS, member_ids=[ann, cy])
        everyone = eligibility(session, MONDAY, SETTINGS)
    assert set(some) == {ann, cy} and some[ann].counted_hours == 4
    assert set(everyone) == {ann, bo, cy}


def test_bad_credits_are_refused_and_nothing_is_written(line: Line) -> None:
    ann = line.members[0]
    cases = [
        ({"hours": 0}, "hours"),
        ({"hours": 25}, "hours"),
        ({"hours": float("nan")}, "hours"),
        ({"kind": "lunch"}, "kind"),
        ({"approved_by": "  "}, "approved_by"),
    ]
    for change, field in cases:
        values: dict = {"member_id": ann, "on_date": MONDAY, "hours": 4, "kind": "alternative_duty"}
        values["approved_by"] = "Org"
        values.update(change)
        with pytest.raises(ValidationError) as error, line.store.write() as session:
            add_credit(session, **values)
        assert error.value.field == field
    with pytest.raises(NotFound), line.store.write() as session:
        add_credit(
            session, member_id=uuid.uuid4(), on_date=MONDAY, hours=4, kind="alternative_duty", approved_by="O"
        )
    with line.store.read() as session:
        assert session.scalar(select(func.count()).select_from(HoursCredit)) == 0


def test_a_credit_is_voided_once_and_a_void_cannot_be_voided(line: Line) -> None:
    credit = line.credit(line.members[0], MONDAY, 4, "excused_absence")
    with line.store.write() as session:
        void = void_credit(session, credit, by="Org", reason="entered twice")
    for target, message in ((credit, "already voided"), (void, "itself a void")):
        with pytest.raises(ValidationError, match=message), line.store.write() as session:
            void_credit(session, target, by="Org")
    with pytest.raises(NotFound), line.store.write() as session:
        void_credit(session, uuid.uuid4(), by="Org")
    with line.store.read() as session:
        rows = session.scalars(select(HoursCredit).order_by(HoursCredit.created_at)).all()  # type: ignore[arg-type]
    assert [(row.void_of, row.description, row.approved_by) for row in rows] == [
        (None, "", "Org"),
        (credit, "Void: entered twice", "Org"),
    ]


def test_a_shift_closed_by_the_captain_counts_to_its_end_and_is_flagged(line: Line) -> None:
    from strikeboard.services.signin import close_shift

    ann = line.members[0]
    shift = line.picket(ann, _local(MONDAY, 6, 30), 0, signed_out=False, shift_hours=3.5)
    with line.store.write() as session:
        close_shift(session, shift_id=shift, by="captain", now=_local(MONDAY, 11))
    assert line.week()[ann].days[0] == DayHours(picket=3.5, no_sign_out=1)


def test_credits_are_listed_once_with_who_voided_them(line: Line) -> None:
    from strikeboard.services.hours import list_credits

    ann, bo = line.members[:2]
    first = line.credit(ann, MONDAY, 4, "alternative_duty")
    line.credit(bo, MONDAY + timedelta(days=2), 3.5, "excused_absence")
    with line.store.write() as session:
        void_credit(session, first, by="Org B", reason="entered twice")
    with line.store.read() as session:
        everyone = list_credits(session)
        anns = list_credits(session, member_id=ann)
        later = list_credits(
            session, first_day=MONDAY + timedelta(days=1), last_day=MONDAY + timedelta(days=2)
        )
    assert [(row.member_number, row.hours, row.voided_by) for row in everyone] == [
        ("1", 4, "Org B"),
        ("2", 3.5, ""),
    ]
    assert [row.id for row in anns] == [first]
    assert [row.member_number for row in later] == ["2"]
