"""Manual assignment: warnings that never block, errors that do, unassign, picking a shift for a member."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.services.assignments import (
    assign,
    assignment_warnings,
    find_member,
    shift_choices,
    unassign,
)
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.store.db import Store
from strikeboard.store.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Availability,
    AvailabilityException,
    AvailabilityWindow,
    Location,
    Member,
    MemberStatus,
    Shift,
)

LA = ZoneInfo("America/Los_Angeles")
MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 1, 12, tzinfo=LA)


def _at(day: int, hour: int) -> datetime:
    """Local ``hour`` on the ``day``-th day after MONDAY."""
    return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), LA) + timedelta(hours=hour)


class World:
    """Two gates, a few shifts and members, ids by name."""

    def __init__(self, store: Store) -> None:
        self.store = store
        with store.write() as session:
            bare = Location(name="Bare Gate")
            nice = Location(
                name="Nice Gate", has_shade=True, has_seating=True, has_restrooms=True, step_free=True
            )
            session.add_all([bare, nice])
            session.flush()
            self.gate = {"bare": bare.id, "nice": nice.id}
            self.shift: dict[str, uuid.UUID] = {}
            for name, loc, day, hour, length, top in (
                ("mon6", nice, 0, 6, 4, 8),
                ("mon8_bare", bare, 0, 8, 4, 8),  # overlaps mon6
                ("mon14", nice, 0, 14, 4, 8),
                ("tue6", nice, 1, 6, 4, 8),
                ("wed6", nice, 2, 6, 4, 1),  # room for one
                ("next_mon6", nice, 7, 6, 4, 8),  # next week
                ("past", nice, -10, 6, 4, 8),
                ("cancelled", nice, 3, 6, 4, 8),
            ):
                shift = Shift(
                    location_id=loc.id,
                    starts_at=_at(day, hour),
                    ends_at=_at(day, hour + length),
                    max_headcount=top,
                    cancelled=name == "cancelled",
                )
                session.add(shift)
                session.flush()
                self.shift[name] = shift.id
            ann = Member(member_number="100", first_name="Ann", last_name="Lee", email="Ann@Example.org")
            bo = Member(
                member_number="200", first_name="Bo", last_name="Kim", needs_step_free=True, needs_shade=True
            )
            cy = Member(member_number="300", first_name="Cy", status=MemberStatus.EXCUSED)
            session.add_all([ann, bo, cy])
            session.flush()
            self.member = {"ann": ann.id, "bo": bo.id, "cy": cy.id}

    def assign(self, shift: str, member: str, **kw: object) -> tuple[str, ...]:
        with self.store.write() as session:
            done = assign(
                session,
                self.shift[shift],
                self.member[member],
                by="t",
                zone=LA,
                now=NOW,
                **kw,  # type: ignore[arg-type]
            )
        return done.warnings

    def warnings(self, shift: str, member: str) -> list[str]:
        with self.store.read() as session:
            return assignment_warnings(session, self.shift[shift], self.member[member], LA)


@pytest.fixture
def world(store: Store) -> World:
    return World(store)


def test_a_clean_assignment_has_no_warnings_and_is_manual_and_locked(world: World) -> None:
    assert world.assign("mon6", "ann") == ()
    with world.store.read() as session:
        row = session.scalars(select(Assignment)).one()
    assert (row.source, row.locked, row.status, row.role) == (
        AssignmentSource.MANUAL,
        True,
        "assigned",
        "picketer",
    )


def test_overlap_names_the_other_gate_and_time(world: World) -> None:
    world.assign("mon6", "ann")
    assert world.warnings("mon8_bare", "ann") == [
        "Ann Lee is already on a shift at Nice Gate, Mon 07 Dec 06:00–10:00, that overlaps this one."
    ]
    assert world.warnings("mon14", "ann") == []


def test_weekly_caps_count_only_the_same_week(world: World) -> None:
    with world.store.write() as session:
        session.add(
            Availability(member_id=world.member["ann"], max_shifts_per_week=2, max_hours_per_week=7.5)
        )
    world.assign("mon6", "ann")
    assert world.warnings("mon14", "ann") == [
        "This would give Ann Lee 8 hours in the week of 07 Dec, over their limit of 7.5."
    ]
    world.assign("mon14", "ann")
    assert world.warnings("tue6", "ann") == [
        "This would be Ann Lee's shift number 3 in the week of 07 Dec, over their limit of 2.",
        "This would give Ann Lee 12 hours in the week of 07 Dec, over their limit of 7.5.",
    ]
    assert world.warnings("next_mon6", "ann") == []


def test_availability_windows_and_exceptions(world: World) -> None:
    ann = world.member["ann"]
    with world.store.write() as session:
        session.add_all(
            [
                AvailabilityWindow(member_id=ann, weekday=0, start_minute=5 * 60, end_minute=11 * 60),
                AvailabilityWindow(member_id=ann, weekday=1, start_minute=22 * 60, end_minute=34 * 60),
                AvailabilityException(member_id=ann, on_date=MONDAY + timedelta(days=7), note="dentist"),
            ]
        )
    assert world.warnings("mon6", "ann") == []
    assert world.warnings("mon14", "ann") == ["This shift is outside Ann Lee's availability windows."]
    assert world.warnings("wed6", "ann") == []  # Tuesday's window runs past midnight to 10:00 Wednesday
    assert world.warnings("tue6", "ann") == ["This shift is outside Ann Lee's availability windows."]
    assert world.warnings("next_mon6", "ann") == ["Ann Lee is unavailable on Mon 14 Dec (dentist)."]


def test_accessibility_inactive_and_full(world: World) -> None:
    assert world.warnings("mon8_bare", "bo") == [
        "Bo Kim needs step-free access and shade; Bare Gate does not have it."
    ]
    assert world.warnings("mon6", "bo") == []
    assert world.warnings("mon6", "cy") == ["Cy is excused, not active."]
    world.assign("wed6", "ann")
    assert world.warnings("wed6", "bo") == ["The shift is full (1 of 1 assigned)."]
    assert world.assign("wed6", "bo") == ("The shift is full (1 of 1 assigned).",)  # warnings never block


def test_errors_block_and_write_nothing(world: World) -> None:
    world.assign("mon6", "ann")
    for shift, words in (
        ("cancelled", "This shift is cancelled"),
        ("past", "This shift is over"),
        ("mon6", "Ann Lee is already assigned to this shift"),
    ):
        with pytest.raises(ValidationError, match=words):
            world.assign(shift, "ann")
    with pytest.raises(ValidationError, match="Give the role"):
        world.assign("mon14", "ann", role="  ")
    with pytest.raises(NotFound), world.store.write() as session:
        assign(session, uuid.uuid4(), world.member["ann"], by="t", zone=LA, now=NOW)
    with world.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Assignment)) == 1


def test_unassign_then_assign_again_reuses_the_row(world: World) -> None:
    world.assign("mon6", "ann")
    with world.store.write() as session:
        unassign(session, world.shift["mon6"], world.member["ann"], by="t")
    with (
        pytest.raises(ValidationError, match="Ann Lee is not assigned to this shift"),
        world.store.write() as s,
    ):
        unassign(s, world.shift["mon6"], world.member["ann"], by="t")
    with world.store.read() as session:
        assert session.scalars(select(col(Assignment.status))).one() == AssignmentStatus.CANCELLED
    world.assign("mon6", "ann", role="Captain")
    with world.store.read() as session:
        row = session.scalars(select(Assignment)).one()
    assert (row.status, row.role) == ("assigned", "captain")


def test_shift_choices_leave_out_cancelled_and_own_shifts(world: World) -> None:
    world.assign("mon6", "ann")
    with world.store.read() as session:
        choices = shift_choices(session, world.member["ann"], _at(0, 0), _at(7, 0), LA)
    by_id = {c.shift_id: c for c in choices}
    assert set(by_id) == {world.shift[name] for name in ("mon8_bare", "mon14", "tue6", "wed6")}
    assert (
        by_id[world.shift["mon8_bare"]].warnings[0].startswith("Ann Lee is already on a shift at Nice Gate")
    )
    assert by_id[world.shift["mon14"]].warnings == ()
    assert (by_id[world.shift["wed6"]].assigned, by_id[world.shift["wed6"]].max_headcount) == (0, 1)
    assert [c.starts_at for c in choices] == sorted(c.starts_at for c in choices)


def test_find_member_by_number_or_exact_email(world: World) -> None:
    with world.store.read() as session:
        assert find_member(session, " 100 ").id == world.member["ann"]
        assert find_member(session, "ann@example.ORG").id == world.member["ann"]
        for text in ("10", "ann@example", "Ann"):
            with pytest.raises(NotFound):
                find_member(session, text)
