"""One shift's people and a gate's shifts (services/shift_people.py) on a real SQLite file."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from strikeboard.services.shift_people import GateShift, current_shift, gate_shifts, shift_people
from strikeboard.services.signin import close_shift, mark_no_shows, quick_add, sign_in, sign_out, undo
from strikeboard.store.db import Store
from strikeboard.store.models import Assignment, AssignmentStatus, Location, Member, Role, Shift

ZONE = ZoneInfo("America/Los_Angeles")
START = datetime(2026, 11, 25, 10, 0, tzinfo=ZONE)


def _setup(store: Store) -> dict[str, uuid.UUID]:
    """Gate A: 06-10, 10-14 (cap Cy, Ann and Dee assigned, Eve cancelled) and 14-18; Gate B: 10-14."""
    with store.write() as session:
        gate_a, gate_b = Location(name="Gate A"), Location(name="Gate B")
        session.add_all([gate_a, gate_b])
        session.flush()
        early = Shift(location_id=gate_a.id, starts_at=START - timedelta(hours=4), ends_at=START)
        shift = Shift(
            location_id=gate_a.id, starts_at=START, ends_at=START + timedelta(hours=4), min_headcount=3,
            max_headcount=5, notes="bring water",
        )  # fmt: skip
        late = Shift(
            location_id=gate_a.id, starts_at=START + timedelta(hours=4), ends_at=START + timedelta(hours=8)
        )
        other = Shift(location_id=gate_b.id, starts_at=START, ends_at=START + timedelta(hours=4))
        people = {
            name: Member(member_number=str(i), first_name=name, last_name="Z", role=role)
            for i, (name, role) in enumerate(
                [("Ann", Role.MEMBER), ("Bo", Role.MEMBER), ("Cy", Role.MEMBER), ("Dee", Role.MEMBER),
                 ("Eve", Role.MEMBER), ("Flo", Role.CAPTAIN)]
            )
        }  # fmt: skip
        session.add_all([early, shift, late, other, *people.values()])
        session.flush()
        session.add_all(
            [
                Assignment(shift_id=shift.id, member_id=people["Ann"].id),
                Assignment(shift_id=shift.id, member_id=people["Cy"].id, role="captain"),
                Assignment(shift_id=shift.id, member_id=people["Dee"].id),
                Assignment(shift_id=shift.id, member_id=people["Eve"].id, status=AssignmentStatus.CANCELLED),
            ]
        )
        ids = {name: member.id for name, member in people.items()}
        ids |= {"shift": shift.id, "early": early.id, "late": late.id, "other": other.id, "gate": gate_a.id}
        return ids


def _sign_in(store: Store, ids: dict[str, uuid.UUID], who: str, at: datetime, shift: str = "shift") -> None:
    with store.write() as session:
        sign_in(session, shift_id=ids[shift], member_id=ids[who], at=at, by="cap", zone=ZONE)


def test_expected_in_out_walk_ins_and_flags(store: Store) -> None:
    ids = _setup(store)
    _sign_in(store, ids, "Ann", START)
    _sign_in(store, ids, "Cy", START + timedelta(minutes=10))
    _sign_in(store, ids, "Bo", START + timedelta(minutes=20))  # a walk-in
    _sign_in(store, ids, "Flo", START + timedelta(minutes=30), shift="other")  # the captain is at gate B
    _sign_in(store, ids, "Flo", START + timedelta(minutes=40))  # ...and walks in at gate A too
    with store.write() as session:
        sign_out(
            session, shift_id=ids["shift"], member_id=ids["Ann"], at=START + timedelta(hours=1), by="cap"
        )
        new = quick_add(session, first_name="Gus", last_name="Z", phone="323 555 0100", by="cap")
        sign_in(
            session, shift_id=ids["shift"], member_id=new, at=START + timedelta(hours=1), by="cap", zone=ZONE
        )
    now = START + timedelta(hours=2)
    with store.read() as session:
        people = shift_people(session, ids["shift"], now)  # the zone from the settings
    got = {p.name: (p.state, p.assigned, p.walk_in, p.role, p.hours, p.flag) for p in people.people}
    assert got == {
        "Ann Z": ("out", True, False, "picketer", 1.0, ""),
        "Cy Z": ("in", True, False, "captain", round(110 / 60, 2), ""),
        "Dee Z": ("expected", True, False, "picketer", None, ""),
        "Eve Z": ("cancelled", True, False, "picketer", None, ""),
        "Bo Z": ("in", False, True, "", round(100 / 60, 2), ""),
        "Flo Z": ("in", False, True, "", round(80 / 60, 2), "also at Gate B today"),
        "Gus Z": ("in", False, True, "", 1.0, "incomplete record"),
    }
    assert [p.name for p in people.people] == ["Ann Z", "Cy Z", "Dee Z", "Eve Z", "Bo Z", "Flo Z", "Gus Z"]
    assert (people.in_now, people.expected, people.came) == (4, 3, 5)
    assert people.captains_in == ("Cy Z", "Flo Z")  # assigned as captain, or a captain by role
    assert (people.location, people.min_headcount, people.max_headcount, people.notes) == (
        "Gate A",
        3,
        5,
        "bring water",
    )


def test_undo_no_shows_and_close_show_in_the_states(store: Store) -> None:
    ids = _setup(store)
    _sign_in(store, ids, "Ann", START)
    _sign_in(store, ids, "Dee", START)
    end = START + timedelta(hours=4)
    with store.write() as session:
        undo(session, shift_id=ids["shift"], member_id=ids["Dee"], by="cap", reason="wrong person")
    with store.write() as session:
        close_shift(session, shift_id=ids["shift"], by="cap", now=end + timedelta(minutes=5))
        mark_no_shows(session, shift_id=ids["shift"], by="cap", now=end + timedelta(minutes=5))
    with store.read() as session:
        people = shift_people(session, ids["shift"], end + timedelta(minutes=5), ZONE)
    got = {p.name: (p.state, p.hours, p.flag) for p in people.people}
    assert got["Ann Z"] == ("out", 4.0, "no sign-out")
    assert got["Dee Z"] == ("no_show", None, "")  # the undone sign-in does not count
    assert got["Cy Z"] == ("no_show", None, "")
    assert [p.name for p in people.no_shows] == ["Cy Z", "Dee Z"]


def test_gate_shifts_and_the_clock_picks_the_current_one(store: Store) -> None:
    ids = _setup(store)
    _sign_in(store, ids, "Ann", START)
    with store.read() as session:
        shifts = gate_shifts(session, ids["gate"], START.date(), ZONE, START + timedelta(hours=1))
    assert [s.shift_id for s in shifts] == [ids["early"], ids["shift"], ids["late"]]
    assert [(s.assigned, s.in_now) for s in shifts] == [(0, 0), (3, 1), (0, 0)]

    def at(hour: float) -> uuid.UUID | None:
        found = current_shift(shifts, datetime(2026, 11, 25, 0, tzinfo=ZONE) + timedelta(hours=hour))
        return found.shift_id if found else None

    assert at(4) is None  # 2 h before the first shift, nothing ended yet
    assert at(5.5) == ids["early"]  # the next within the hour
    assert at(6) == ids["early"] and at(13.99) == ids["shift"] and at(14) == ids["late"]
    assert at(19) == ids["late"]  # the last ended one
    cancelled = [
        GateShift(s.shift_id, s.starts_at, s.ends_at, 0, 0, 1, 1, s.shift_id == ids["shift"]) for s in shifts
    ]
    assert current_shift(cancelled, START + timedelta(hours=1)) == cancelled[0]  # not the cancelled one
    assert current_shift(cancelled, START + timedelta(hours=3.5)) == cancelled[2]
