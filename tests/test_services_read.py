"""The read-only queries behind the TUI's tabs, on a small real SQLite database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from strikeboard.services.grievances import open_grievances
from strikeboard.services.roster import display_name, search_members, sort_name
from strikeboard.services.settings import StrikeSettings, save_settings
from strikeboard.services.shifts import local_day_bounds, today_board, week_schedule, week_start
from strikeboard.store.db import Store
from strikeboard.store.models import (
    Assignment,
    AssignmentStatus,
    CheckIn,
    CheckInKind,
    Grievance,
    GrievanceGrievant,
    GrievanceStatus,
    Location,
    Member,
    Role,
    Shift,
)
from strikeboard.textnorm import digits, search_key

ZONE = ZoneInfo("America/Los_Angeles")
#: Tuesday 10 November 2026, 10:30 in Los Angeles (18:30 UTC).
NOW = datetime(2026, 11, 10, 10, 30, tzinfo=ZONE)
TODAY = NOW.date()


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware instant at a local wall-clock time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def member(
    number: str, first: str, last: str, *, preferred: str = "", role: str = Role.MEMBER, **kw
) -> Member:
    """A member with its search columns filled in as the roster service would."""
    phone = kw.pop("phone", "")
    return Member(
        member_number=number,
        first_name=first,
        last_name=last,
        preferred_name=preferred,
        role=role,
        phone=phone,
        phone_digits=digits(phone),
        search_key=search_key(first, preferred, last),
        **kw,
    )


class World:
    """Ids of the rows the tests look at."""

    def __init__(self) -> None:
        self.ids: dict[str, uuid.UUID] = {}


def build_world(store: Store, now: datetime = NOW, *, extra_members: int = 0) -> World:
    """A small strike around ``now``: two gates, four shifts today, check-ins and grievances."""
    world = World()
    today = now.astimezone(ZONE).date()
    with store.write() as s:
        save_settings(s, StrikeSettings(strike_name="Local 42 [test] strike", time_zone=ZONE.key))
        north = Location(name="North Gate [Main]")
        south = Location(name="South Gate")
        s.add_all([north, south])
        people = {
            "zoe": member("1001", "Zoë", "Fontaine", email="zoe@example.org", phone="+1 (213) 555-0101"),
            "ann": member("1002", "[steward] Ann", "Lee", role=Role.STEWARD, unit="Studio [B]"),
            "cap": member("1003", "Carla", "Ruiz", role=Role.CAPTAIN),
            "bob": member("1004", "Robert", "Okafor", preferred="Bob"),
            "eve": member("2001", "Eve", "Adams", phone="+1 213 555 0199"),
            "cap2": member("1005", "Dan", "Cho"),
        }
        people.update(
            {f"x{i}": member(f"9{i:04d}", f"Extra{i}", f"Person{i:05d}") for i in range(extra_members)}
        )
        s.add_all(people.values())
        s.flush()
        world.ids.update({key: m.id for key, m in people.items()})

        running = Shift(
            location_id=north.id,
            starts_at=now - timedelta(hours=1, minutes=30),
            ends_at=now + timedelta(hours=2, minutes=30),
            min_headcount=3,
            max_headcount=6,
        )
        later = Shift(
            location_id=north.id,
            starts_at=local(today, 14),
            ends_at=local(today, 18),
            min_headcount=2,
            max_headcount=4,
        )
        ended = Shift(
            location_id=south.id,
            starts_at=local(today, 5),
            ends_at=local(today, 9),
            min_headcount=1,
            max_headcount=3,
            captain_needed=False,
        )
        cancelled = Shift(
            location_id=south.id, starts_at=local(today, 12), ends_at=local(today, 16), cancelled=True
        )
        tomorrow = Shift(
            location_id=south.id,
            starts_at=local(today + timedelta(days=1), 9),
            ends_at=local(today + timedelta(days=1), 13),
        )
        next_week = Shift(
            location_id=south.id,
            starts_at=local(week_start(today) + timedelta(days=7), 9),
            ends_at=local(week_start(today) + timedelta(days=7), 13),
        )
        shifts = {
            "running": running,
            "later": later,
            "ended": ended,
            "cancelled": cancelled,
            "tomorrow": tomorrow,
            "next_week": next_week,
        }
        s.add_all(shifts.values())
        s.flush()
        world.ids.update({key: sh.id for key, sh in shifts.items()})

        def assign(
            shift: str, who: str, role: str = "picketer", status: str = AssignmentStatus.ASSIGNED
        ) -> None:
            s.add(Assignment(shift_id=shifts[shift].id, member_id=people[who].id, role=role, status=status))

        assign("running", "zoe")
        assign("running", "ann")
        assign("running", "bob", status=AssignmentStatus.CANCELLED)
        assign("running", "cap2", role="captain")
        assign("later", "eve")
        assign("later", "cap", role="captain")

        def check_in(shift: str, who: str, in_at: datetime, **kw: Any) -> CheckIn:
            row = CheckIn(shift_id=shifts[shift].id, member_id=people[who].id, in_at=in_at, **kw)
            s.add(row)
            s.flush()
            return row

        start = running.starts_at
        check_in("running", "zoe", start)  # live, on the line
        voided = check_in("running", "eve", start)  # voided: must not count
        check_in("running", "eve", now, kind=CheckInKind.VOID, void_of=voided.id)
        first = check_in("running", "bob", start)  # corrected: signed out an hour ago
        check_in(
            "running",
            "bob",
            start,
            kind=CheckInKind.CORRECTION,
            void_of=first.id,
            out_at=now - timedelta(minutes=30),
        )
        check_in("running", "cap", start + timedelta(minutes=5))  # a captain (by role) walked in
        check_in("running", "ann", now + timedelta(minutes=10))  # signs in later than "now"
        check_in("ended", "zoe", shifts["ended"].starts_at, out_at=shifts["ended"].ends_at)

        def grievance(number: str, deadline: date | None, **kw: Any) -> Grievance:
            row = Grievance(
                number=number,
                incident_date=today - timedelta(days=30),
                next_deadline=deadline,
                next_deadline_label=kw.pop("label", "Step 2 answer due"),
                **{"steward_id": people["ann"].id, **kw},
            )
            s.add(row)
            s.flush()
            world.ids[number] = row.id
            return row

        overdue = grievance("G-2026-0001", today - timedelta(days=2))
        s.add(GrievanceGrievant(grievance_id=overdue.id, member_id=people["zoe"].id))
        soon = grievance("G-2026-0002", today + timedelta(days=5), status=GrievanceStatus.IN_ARBITRATION)
        s.add(GrievanceGrievant(grievance_id=soon.id, member_id=people["bob"].id))
        s.add(GrievanceGrievant(grievance_id=soon.id, member_id=people["eve"].id))
        grievance("G-2026-0003", None, is_class=True, steward_id=None)
        grievance("G-2026-0004", today + timedelta(days=20))
        grievance("G-2026-0005", today - timedelta(days=1), status=GrievanceStatus.SETTLED)
    return world


@pytest.fixture
def world(store: Store) -> World:
    """The small strike, in the conftest's fresh database."""
    return build_world(store)


def test_local_day_bounds_follow_the_zone() -> None:
    start, end = local_day_bounds(date(2026, 11, 1), ZONE)  # DST ends that day: 25 hours
    assert start == datetime(2026, 11, 1, 7, tzinfo=UTC)
    assert end - start == timedelta(hours=25)


def test_week_start_is_monday() -> None:
    assert week_start(date(2026, 11, 15)) == date(2026, 11, 9)
    assert week_start(date(2026, 11, 9)) == date(2026, 11, 9)


def test_today_board_counts_only_live_check_ins(store: Store, world: World) -> None:
    with store.read() as s:
        board = today_board(s, TODAY, ZONE, NOW)
    by_id = {row.id: row for row in board}
    assert set(by_id) == {world.ids[k] for k in ("running", "later", "ended", "cancelled")}
    running = by_id[world.ids["running"]]
    assert running.running(NOW)
    # zoe and the captain are on the line; eve's sign-in was voided, bob signed out, ann comes later
    assert running.signed_in_now == 2
    assert running.signed_in_total == 4  # zoe, bob (corrected), cap, ann
    assert running.assigned == 3  # bob's assignment is cancelled
    assert running.captains_present == ("Carla Ruiz",)
    assert running.captains_assigned == ("Dan Cho",)
    later = by_id[world.ids["later"]]
    assert not later.running(NOW) and later.signed_in_now == 0
    assert later.captains_assigned == ("Carla Ruiz",)
    assert by_id[world.ids["ended"]].ended(NOW)
    assert by_id[world.ids["cancelled"]].cancelled and not by_id[world.ids["cancelled"]].running(NOW)


def test_today_board_is_ordered_by_gate_then_time(store: Store, world: World) -> None:
    with store.read() as s:
        board = today_board(s, TODAY, ZONE, NOW)
    assert [(row.location, row.starts_at) for row in board] == sorted(
        (row.location, row.starts_at) for row in board
    )


def test_a_voided_correction_brings_nothing_back(store: Store, world: World) -> None:
    with store.write() as s:
        original = CheckIn(shift_id=world.ids["later"], member_id=world.ids["eve"], in_at=local(TODAY, 14, 5))
        s.add(original)
        s.flush()
        correction = CheckIn(
            shift_id=world.ids["later"],
            member_id=world.ids["eve"],
            in_at=local(TODAY, 14),
            kind=CheckInKind.CORRECTION,
            void_of=original.id,
        )
        s.add(correction)
        s.flush()
        s.add(
            CheckIn(
                shift_id=world.ids["later"],
                member_id=world.ids["eve"],
                in_at=local(TODAY, 14),
                kind=CheckInKind.VOID,
                void_of=correction.id,
            )
        )
    with store.read() as s:
        board = today_board(s, TODAY, ZONE, local(TODAY, 15))
    later = next(row for row in board if row.id == world.ids["later"])
    assert later.signed_in_now == 0 and later.signed_in_total == 0


def test_week_schedule(store: Store, world: World) -> None:
    with store.read() as s:
        week = week_schedule(s, week_start(TODAY), ZONE)
        following = week_schedule(s, week_start(TODAY) + timedelta(days=7), ZONE)
    assert {row.id for row in week} == {
        world.ids[k] for k in ("running", "later", "ended", "cancelled", "tomorrow")
    }
    assert [(r.day, r.location, r.starts_at) for r in week] == sorted(
        (r.day, r.location, r.starts_at) for r in week
    )
    running = next(r for r in week if r.id == world.ids["running"])
    assert running.assigned == 3 and running.captain_assigned and not running.short
    tomorrow = next(r for r in week if r.id == world.ids["tomorrow"])
    assert tomorrow.day == TODAY + timedelta(days=1) and tomorrow.short
    cancelled = next(r for r in week if r.id == world.ids["cancelled"])
    assert cancelled.cancelled and not cancelled.short
    assert [r.id for r in following] == [world.ids["next_week"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", {"1001"}),
        ("ZOË", {"1001"}),
        ("fontaine zo", {"1001"}),
        ("bob", {"1004"}),  # preferred name
        ("[steward]", {"1002"}),  # brackets are text, not a pattern
        ("100", {"1001", "1002", "1003", "1004", "1005"}),  # member number prefix
        ("555-0199", {"2001"}),  # phone digits
        ("213 555", {"1001", "2001"}),
        ("%", set()),  # LIKE wildcards are escaped
        ("_", set()),
        ("nobody", set()),
    ],
)
def test_search_members(store: Store, world: World, query: str, expected: set[str]) -> None:
    with store.read() as s:
        page = search_members(s, query)
    assert {row.member_number for row in page.rows} == expected
    assert page.matching == len(expected) and page.total == 6


def test_search_members_pages_and_orders(store: Store) -> None:
    build_world(store, extra_members=30)
    with store.read() as s:
        page = search_members(s, "", limit=10)
        everyone = search_members(s, "", limit=1000)
    assert len(page.rows) == 10 and page.total == page.matching == 36 and page.truncated
    names = [row.last_name.lower() for row in everyone.rows]
    assert names == sorted(names)
    assert not everyone.truncated


def test_names() -> None:
    assert display_name("Robert", "Okafor", "Bob") == "Bob Okafor"
    assert display_name("Zoë", "") == "Zoë"
    assert sort_name("Robert", "Okafor", "Bob") == "Okafor, Bob"
    assert sort_name("Cher") == "Cher"


def test_open_grievances(store: Store, world: World) -> None:
    with store.read() as s:
        rows = open_grievances(s, TODAY)
    assert [r.number for r in rows] == ["G-2026-0001", "G-2026-0002", "G-2026-0004", "G-2026-0003"]
    overdue, soon, later, no_deadline = rows
    assert overdue.overdue and overdue.days_left == -2 and overdue.grievants == ("Zoë Fontaine",)
    assert soon.due_soon and not soon.overdue and soon.days_left == 5
    assert soon.grievants == ("Eve Adams", "Bob Okafor")  # by last name, preferred names shown
    assert soon.status == GrievanceStatus.IN_ARBITRATION
    assert not later.due_soon and not later.overdue
    assert no_deadline.is_class and no_deadline.days_left is None and no_deadline.steward == ""
    assert overdue.steward == "[steward] Ann Lee"


def test_due_soon_counts_working_days_and_skips_holidays() -> None:
    from strikeboard.services.grievances import due_soon_until

    friday = date(2026, 11, 20)
    assert due_soon_until(friday, ()) == date(2026, 11, 27)  # Mon–Fri of the next week
    assert due_soon_until(friday, (date(2026, 11, 26),)) == date(2026, 11, 30)  # Thanksgiving skipped
