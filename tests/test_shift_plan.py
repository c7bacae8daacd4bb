"""Planning shifts: series expansion (DST, overnight, rrule), validation, edit and cancel by scope."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.shift_plan import (
    SeriesForm,
    ShiftChanges,
    ShiftForm,
    affected_by_cancel,
    cancel_shift,
    create_series,
    create_shift,
    expand_series,
    find_shift,
    list_planned,
    shifts_in_scope,
    short_id,
    update_shift,
)
from strikeboard.store.db import Store
from strikeboard.store.models import Assignment, AssignmentStatus, CheckIn, Location, Member, Shift

LA = ZoneInfo("America/Los_Angeles")
GATE = uuid.uuid4()
WEEKDAYS = (0, 1, 2, 3, 4)
THREE_SLOTS = ((time(6), time(10)), (time(10), time(14)), (time(14), time(18)))


def _series(**kw: object) -> SeriesForm:
    values: dict[str, object] = {
        "location_ids": (GATE,),
        "first_day": date(2026, 12, 7),
        "last_day": date(2026, 12, 27),
        "weekdays": WEEKDAYS,
        "slots": THREE_SLOTS,
    }
    values.update(kw)
    return SeriesForm(**values)  # type: ignore[arg-type]


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LA)


def test_three_weeks_of_weekdays_three_slots_every_gate() -> None:
    gates = (uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    shifts = expand_series(_series(location_ids=gates), LA)
    assert len(shifts) == 15 * 3 * 3
    days = {_local(start).date() for _, start, _ in shifts}
    assert len(days) == 15 and all(day.weekday() < 5 for day in days)
    assert {(_local(s).time(), _local(e).time()) for _, s, e in shifts} == set(THREE_SLOTS)
    assert all(s.tzinfo == UTC for _, s, _ in shifts)
    assert [s for _, s, _ in shifts] == sorted(s for _, s, _ in shifts)


@pytest.mark.parametrize(
    ("first", "change", "before", "after"),
    [
        (date(2027, 3, 12), date(2027, 3, 14), 14, 13),  # spring forward: PST (UTC-8) -> PDT (UTC-7)
        (date(2026, 10, 30), date(2026, 11, 1), 13, 14),  # fall back: PDT -> PST
    ],
)
def test_series_across_dst_keeps_local_start_times(
    first: date, change: date, before: int, after: int
) -> None:
    shifts = expand_series(
        _series(first_day=first, last_day=first + timedelta(days=5), weekdays=tuple(range(7))), LA
    )
    assert len(shifts) == 6 * 3
    for _, starts, ends in shifts:
        local_start, local_end = _local(starts), _local(ends)
        assert local_start.time() in {time(6), time(10), time(14)}
        assert (local_end - local_start.replace(tzinfo=None).replace(tzinfo=LA)) == timedelta(hours=4)
        assert ends - starts == timedelta(hours=4)
    six = {_local(s).date(): s for _, s, _ in shifts if _local(s).time() == time(6)}
    assert six[change - timedelta(days=1)].hour == before  # 06:00 local in UTC the day before the change
    assert six[change].hour == after  # ... and on the day itself (the change happens at 02:00)
    assert six[change + timedelta(days=1)].hour == after


def test_slot_crossing_midnight_ends_next_day_even_on_dst_night() -> None:
    shifts = expand_series(
        _series(
            first_day=date(2026, 10, 31),
            last_day=date(2026, 11, 1),
            weekdays=tuple(range(7)),
            slots=((time(22), time(6)),),
        ),
        LA,
    )
    assert [(_local(s).isoformat(), _local(e).isoformat()) for _, s, e in shifts] == [
        ("2026-10-31T22:00:00-07:00", "2026-11-01T06:00:00-08:00"),
        ("2026-11-01T22:00:00-08:00", "2026-11-02T06:00:00-08:00"),
    ]
    assert shifts[0][2] - shifts[0][1] == timedelta(hours=9)  # the night the clocks go back is an hour longer


@pytest.mark.parametrize(
    ("rule", "days"),
    [
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", [7, 9, 11, 14, 16, 18, 21, 23, 25]),
        ("RRULE:FREQ=DAILY;INTERVAL=5", [7, 12, 17, 22, 27]),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", [12, 26]),
        ("FREQ=DAILY;COUNT=2", [7, 8]),
        ("FREQ=DAILY;UNTIL=20261209", [7, 8, 9]),
    ],
)
def test_rrule_replaces_weekdays(rule: str, days: list[int]) -> None:
    shifts = expand_series(_series(rrule=rule, weekdays=(), slots=((time(6), time(10)),)), LA)
    assert [_local(s).day for _, s, _ in shifts] == days


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"slots": ((time(6), time(6)),)}, "end", "ends when it starts"),
        ({"slots": ()}, "slots", "at least one time slot"),
        ({"slots": ((time(6), time(10)), (time(6), time(10)))}, "slots", "given twice"),
        ({"min_headcount": 5, "max_headcount": 3}, "min_headcount", "more than the maximum"),
        ({"min_headcount": -1}, "min_headcount", "cannot be negative"),
        ({"max_headcount": 0, "min_headcount": 0}, "max_headcount", "at least 1"),
        ({"weekdays": ()}, "weekdays", "at least one weekday"),
        ({"weekdays": (7,)}, "weekdays", "0 (Monday) to 6 (Sunday)"),
        ({"last_day": date(2026, 12, 1)}, "last_day", "before the first day"),
        ({"last_day": date(2027, 12, 31)}, "last_day", "at most one year"),
        ({"weekdays": (5,), "last_day": date(2026, 12, 11)}, "weekdays", "No day between"),
        ({"rrule": "FREQ=HOURLY"}, "rrule", "not hourly"),
        ({"rrule": "nonsense"}, "rrule", "cannot be read"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=XX"}, "rrule", "invalid 'BYDAY'"),
        ({"rrule": "DTSTART:20260101\nRRULE:FREQ=DAILY"}, "rrule", "one RRULE body"),
        ({"location_ids": ()}, "location_ids", "at least one location"),
        ({"roles_needed": ("first aid", " ")}, "roles_needed", "cannot be empty"),
    ],
)
def test_bad_series_are_refused(kw: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        expand_series(_series(**kw), LA)
    assert err.value.field == field and words in err.value.message


def test_more_than_ten_thousand_shifts_refused() -> None:
    slots = tuple((time(h, m), time(h, m + 20)) for h in range(5, 19) for m in (0, 30))  # 28 slots
    with pytest.raises(ValidationError, match="10,220 shifts, more than 10,000"):
        expand_series(
            _series(
                first_day=date(2027, 1, 1),
                last_day=date(2027, 12, 31),
                weekdays=tuple(range(7)),
                slots=slots[:28],
            ),
            LA,
        )
    assert (
        len(
            expand_series(
                _series(
                    first_day=date(2027, 1, 1),
                    last_day=date(2027, 12, 31),
                    weekdays=tuple(range(7)),
                    slots=slots[:27],
                ),
                LA,
            )
        )
        == 365 * 27
    )


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(["America/Los_Angeles", "America/New_York", "Europe/Berlin", "Australia/Sydney"]),
    first=st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
    length=st.integers(min_value=0, max_value=60),
    hour=st.integers(min_value=4, max_value=19),
    minutes=st.integers(min_value=30, max_value=12 * 60),
)
def test_local_start_and_wall_clock_length_always_kept(
    zone: str, first: date, length: int, hour: int, minutes: int
) -> None:
    tz = ZoneInfo(zone)
    start = time(hour)
    end_dt = datetime.combine(first, start) + timedelta(minutes=minutes)
    form = _series(
        first_day=first,
        last_day=first + timedelta(days=length),
        weekdays=tuple(range(7)),
        slots=((start, end_dt.time()),),
    )
    shifts = expand_series(form, tz)
    assert len(shifts) == length + 1
    for _, starts, ends in shifts:
        local = starts.astimezone(tz)
        assert local.time() == start
        wall = ends.astimezone(tz).replace(tzinfo=None) - local.replace(tzinfo=None)
        assert wall == timedelta(minutes=minutes)


# ---------------------------------------------------------------- in the database


def _gates(store: Store, *names: str, inactive: tuple[str, ...] = ()) -> dict[str, uuid.UUID]:
    with store.write() as session:
        rows = [Location(name=name, active=name not in inactive) for name in names]
        session.add_all(rows)
        session.flush()
        return {row.name: row.id for row in rows}


def _shift_count(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Shift)) or 0)


def test_create_series_all_or_nothing(store: Store) -> None:
    gates = _gates(store, "Gate 1", "Gate 2", "Old Gate", inactive=("Old Gate",))
    with pytest.raises(ValidationError) as err, store.write() as session:
        create_series(session, _series(location_ids=(gates["Gate 1"], gates["Old Gate"])), LA, by="t")
    assert err.value.field == "location" and "Old Gate is inactive" in err.value.message
    with pytest.raises(ValidationError, match="does not exist"), store.write() as session:
        create_series(session, _series(location_ids=(gates["Gate 1"], uuid.uuid4())), LA, by="t")
    assert _shift_count(store) == 0
    with store.write() as session:
        made = create_series(session, _series(location_ids=(gates["Gate 1"], gates["Gate 2"])), LA, by="t")
    assert made.count == 90 == _shift_count(store)
    with store.read() as session:
        series = set(session.scalars(select(col(Shift.series_id))))
    assert series == {made.series_id}
    with pytest.raises(ValidationError, match="already exists"), store.write() as session:
        create_series(
            session, _series(location_ids=(gates["Gate 2"],), last_day=date(2026, 12, 7)), LA, by="t"
        )
    assert _shift_count(store) == 90


def test_create_one_off_shift_and_find_it(store: Store) -> None:
    gates = _gates(store, "Gate 1", "Closed", inactive=("Closed",))
    form = ShiftForm(
        gates["Gate 1"], date(2026, 12, 5), time(22), time(2), roles_needed=("First Aid", "first_aid")
    )
    with store.write() as session:
        shift_id = create_shift(session, form, LA, by="t")
    with pytest.raises(ValidationError, match="Closed is inactive"), store.write() as session:
        create_shift(session, ShiftForm(gates["Closed"], date(2026, 12, 5), time(6), time(10)), LA, by="t")
    with pytest.raises(ValidationError, match="more than the maximum"), store.write() as session:
        create_shift(
            session, ShiftForm(gates["Gate 1"], date(2026, 12, 6), time(6), time(10), 9, 8), LA, by="t"
        )
    with store.read() as session:
        shift = session.get(Shift, shift_id)
        assert shift is not None and shift.series_id is None and shift.roles_needed == ["first_aid"]
        assert _local(shift.ends_at) == datetime(2026, 12, 6, 2, tzinfo=LA)
        assert find_shift(session, short_id(shift_id).upper()) == shift_id
        assert find_shift(session, str(shift_id)) == shift_id
        for bad in ("abc", "zzzzzzzz", "00000000"):
            with pytest.raises(NotFound):
                find_shift(session, bad)
        [row] = list_planned(session, date(2026, 12, 5), date(2026, 12, 5), LA)
        assert (row.id, row.location, row.assigned) == (shift_id, "Gate 1", 0)
        assert list_planned(session, date(2026, 12, 6), date(2026, 12, 6), LA) == []


def _made_series(store: Store) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A daily 06:00-10:00 series at one gate over the spring-forward weekend; returns (gate, shift ids)."""
    gate = _gates(store, "Gate 1")["Gate 1"]
    form = _series(
        location_ids=(gate,),
        first_day=date(2027, 3, 12),
        last_day=date(2027, 3, 16),
        weekdays=tuple(range(7)),
        slots=((time(6), time(10)),),
    )
    with store.write() as session:
        create_series(session, form, LA, by="t")
        ids = list(session.scalars(select(col(Shift.id)).order_by(col(Shift.starts_at))))
    return gate, ids


def test_edit_one_or_following_keeps_local_times(store: Store) -> None:
    _, ids = _made_series(store)
    with store.write() as session:
        assert (
            update_shift(session, ids[0], ShiftChanges(notes="bring water"), scope="one", zone=LA, by="t")
            == 1
        )
        changed = update_shift(
            session, ids[1], ShiftChanges(start=time(7), max_headcount=12), scope="following", zone=LA, by="t"
        )
        assert changed == 4
        assert update_shift(session, ids[1], ShiftChanges(), scope="one", zone=LA, by="t") == 0
    with pytest.raises(ValidationError, match="more than the maximum"), store.write() as session:
        update_shift(session, ids[2], ShiftChanges(min_headcount=13), scope="following", zone=LA, by="t")
    with store.read() as session:
        shifts = [session.get(Shift, shift_id) for shift_id in ids]
    assert all(s is not None for s in shifts)
    starts = [
        (_local(s.starts_at).time(), _local(s.ends_at).time(), s.max_headcount, s.notes) for s in shifts if s
    ]
    assert starts[0] == (time(6), time(10), 8, "bring water")
    assert starts[1:] == [(time(7), time(10), 12, "")] * 4  # across 2027-03-14 too


def test_cancel_asks_who_is_affected_then_cancels_assignments(store: Store) -> None:
    _, ids = _made_series(store)
    with store.write() as session:
        ann = Member(member_number="1", first_name="Ann", last_name="Lee")
        bo = Member(member_number="2", first_name="Bo", preferred_name="Bobby", last_name="Kim")
        session.add_all([ann, bo])
        session.flush()
        session.add_all(
            [
                Assignment(shift_id=ids[0], member_id=ann.id),
                Assignment(shift_id=ids[3], member_id=ann.id),
                Assignment(shift_id=ids[3], member_id=bo.id),
                Assignment(shift_id=ids[4], member_id=bo.id, status=AssignmentStatus.CANCELLED),
            ]
        )
    with store.read() as session:
        one = affected_by_cancel(session, ids[3], scope="one")
        rest = affected_by_cancel(session, ids[2], scope="following")
        assert shifts_in_scope(session, ids[2], scope="following") == ids[2:]
    assert [(a.name, a.location) for a in one] == [("Ann Lee", "Gate 1"), ("Bobby Kim", "Gate 1")]
    assert [a.name for a in rest] == ["Ann Lee", "Bobby Kim"] and rest[0].starts_at == one[0].starts_at
    with store.write() as session:
        assert cancel_shift(session, ids[2], scope="following", by="t") == 3
    with store.read() as session:
        cancelled = [s.cancelled for s in session.scalars(select(Shift).order_by(col(Shift.starts_at)))]
        statuses = sorted(session.scalars(select(col(Assignment.status))))
        assert affected_by_cancel(session, ids[2], scope="following") == []
    assert cancelled == [False, False, True, True, True]
    assert statuses == ["assigned", "cancelled", "cancelled", "cancelled"]  # ann's first shift untouched
    with pytest.raises(ValidationError, match="already cancelled"), store.write() as session:
        cancel_shift(session, ids[3], scope="one", by="t")
    with pytest.raises(ValidationError, match="cancelled: it cannot be edited"), store.write() as session:
        update_shift(session, ids[3], ShiftChanges(notes="x"), scope="one", zone=LA, by="t")


def test_cancel_refused_once_someone_signed_in(store: Store) -> None:
    _, ids = _made_series(store)
    with store.write() as session:
        ann = Member(member_number="1", first_name="Ann")
        session.add(ann)
        session.flush()
        shift = session.get(Shift, ids[1])
        assert shift is not None
        session.add(CheckIn(shift_id=ids[1], member_id=ann.id, in_at=shift.starts_at, recorded_by="cap"))
    signed = "signed in to the shift starting 2027-03-13 06:00"
    with pytest.raises(ValidationError, match=signed), store.write() as session:
        cancel_shift(session, ids[0], scope="following", by="t", zone=LA)
    with store.read() as session:
        assert not any(session.scalars(select(col(Shift.cancelled))))
    with store.write() as session:
        assert cancel_shift(session, ids[2], scope="following", by="t") == 3
