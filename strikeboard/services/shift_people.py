"""Who belongs to one shift and where each person stands: expected, in, out, no-show.

The Sign-in tab (a captain at a gate) and the Shifts tab's drill-in both show this. A
person is on a shift's list when they are assigned to it (in any assignment status) or
have a live check-in on it (a walk-in). States, at ``now``:

- ``in``: a live check-in that started at or before ``now`` with no sign-out yet (or a
  sign-out after ``now``); ``out``: signed out;
- else the assignment's status: ``expected`` (assigned), ``no_show``, ``cancelled``.

Hours: from the sign-in to the sign-out, or to ``now`` (never past the shift's end) while
still in: the same rule as :mod:`strikeboard.services.hours`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session, col

from strikeboard.services.errors import NotFound
from strikeboard.services.roster import display_name, sort_name
from strikeboard.services.settings import load_settings
from strikeboard.services.shifts import CAPTAIN, live_check_in, local_day_bounds
from strikeboard.store.models import (
    Assignment,
    AssignmentStatus,
    CheckIn,
    CheckInKind,
    Location,
    Member,
    MemberStatus,
    Shift,
)

#: The note a close-shift sign-out carries (see :func:`strikeboard.services.signin.close_shift`).
NO_SIGN_OUT_NOTE = "no sign-out: credited to shift end"

#: A person's state when they have no live check-in, by assignment status.
_STATES: dict[str, str] = {
    AssignmentStatus.NO_SHOW.value: "no_show",
    AssignmentStatus.CANCELLED.value: "cancelled",
}

#: How far ahead :func:`current_shift` looks for the next shift when none is running.
NEXT_SHIFT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Person:
    """One person on a shift's list."""

    member_id: uuid.UUID
    name: str
    member_number: str
    role: str  # the assignment role; "" for a walk-in
    assigned: bool
    walk_in: bool
    state: str  # "expected" | "in" | "out" | "no_show" | "cancelled"
    in_at: datetime | None  # aware UTC
    out_at: datetime | None  # aware UTC
    hours: float | None  # credited so far (still in) or for the shift (out)
    flag: str  # "" or "no sign-out", "incomplete record", "also at <gate> today"
    captain: bool = False  # assigned as captain, or a captain by role
    sort_key: str = field(default="", compare=False, repr=False)  # the list's order within its group


@dataclass(frozen=True)
class ShiftPeople:
    """A shift with everyone on its list, expected people first, each group by name."""

    shift_id: uuid.UUID
    location_id: uuid.UUID
    location: str
    starts_at: datetime
    ends_at: datetime
    min_headcount: int
    max_headcount: int
    captain_needed: bool
    cancelled: bool
    notes: str
    people: tuple[Person, ...]

    @property
    def in_now(self) -> int:
        """People on the line now."""
        return sum(person.state == "in" for person in self.people)

    @property
    def expected(self) -> int:
        """People assigned (an assignment not cancelled)."""
        return sum(person.assigned and person.state != "cancelled" for person in self.people)

    @property
    def came(self) -> int:
        """People who signed in at all (still in or signed out)."""
        return sum(person.in_at is not None for person in self.people)

    @property
    def captains_in(self) -> tuple[str, ...]:
        """The names of the captains on the line now."""
        return tuple(p.name for p in self.people if p.captain and p.state == "in")

    @property
    def no_shows(self) -> tuple[Person, ...]:
        """People marked as no-shows."""
        return tuple(p for p in self.people if p.state == "no_show")

    def with_signed_in(
        self,
        member_id: uuid.UUID,
        *,
        name: str,
        member_number: str,
        sort_key: str,
        at: datetime,
        walk_in: bool,
        now: datetime,
    ) -> ShiftPeople:
        """This list with ``member_id`` signed in at ``at``, from what a committed sign-in returned.

        For showing the sign-in at once; the list read again after it replaces this one
        (it also brings flags such as "also at <gate> today" and other laptops' changes).
        """
        hours = hours_between(at, min(now, self.ends_at))
        known = next((p for p in self.people if p.member_id == member_id), None)
        if known is not None:
            person = replace(known, state="in", in_at=at, out_at=None, hours=hours)
            people = tuple(person if p is known else p for p in self.people)
        else:
            person = Person(
                member_id=member_id,
                name=name,
                member_number=member_number,
                role="",
                assigned=not walk_in,
                walk_in=walk_in,
                state="in",
                in_at=at,
                out_at=None,
                hours=hours,
                flag="",
                sort_key=sort_key,
            )
            order = (walk_in, sort_key)
            at_index = next(
                (i for i, p in enumerate(self.people) if (p.walk_in, p.sort_key) > order), len(self.people)
            )
            people = (*self.people[:at_index], person, *self.people[at_index:])
        return replace(self, people=people)


@dataclass(frozen=True)
class GateShift:
    """One of a gate's shifts on a day, with how many are assigned and on the line."""

    shift_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    assigned: int
    in_now: int
    min_headcount: int
    max_headcount: int
    cancelled: bool


def hours_between(start: datetime, end: datetime) -> float:
    """Hours from ``start`` to ``end`` (never negative), to the hundredth."""
    return round(max(0.0, (end - start).total_seconds() / 3600), 2)


def _other_gates(
    session: Session, shift: Shift, member_ids: list[uuid.UUID], zone: ZoneInfo
) -> dict[uuid.UUID, str]:
    """``member_id -> gate name`` for members also signed in at another gate on the shift's local day."""
    if not member_ids:
        return {}
    start, end = local_day_bounds(shift.starts_at.astimezone(zone).date(), zone)
    rows = session.execute(
        select(col(CheckIn.member_id), col(Location.name))
        .join(Shift, col(Shift.id) == col(CheckIn.shift_id))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(
            col(CheckIn.member_id).in_(member_ids),
            live_check_in(),
            col(CheckIn.in_at) >= start,
            col(CheckIn.in_at) < end,
            col(Shift.location_id) != shift.location_id,
        )
    )
    return {member_id: name for member_id, name in rows}


def shift_people(
    session: Session, shift_id: uuid.UUID, now: datetime, zone: ZoneInfo | None = None
) -> ShiftPeople:
    """Everyone on shift ``shift_id``'s list and their state at ``now`` (``zone``: the strike's)."""
    found = session.execute(
        select(Shift, col(Location.name))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(col(Shift.id) == shift_id)
    ).first()
    if found is None:
        raise NotFound("That shift no longer exists: pick the shift again.")
    shift, location = found
    zone = zone or load_settings(session).zone
    member_columns = (
        col(Member.first_name),
        col(Member.last_name),
        col(Member.preferred_name),
        col(Member.member_number),
        col(Member.role),
        col(Member.status),
    )
    assignments = {
        row[0]: row[1:]
        for row in session.execute(
            select(col(Assignment.member_id), col(Assignment.role), col(Assignment.status), *member_columns)
            .join(Member, col(Member.id) == col(Assignment.member_id))
            .where(col(Assignment.shift_id) == shift_id)
        )
    }
    checkins = {
        row[0]: row[1:]
        for row in session.execute(
            select(
                col(CheckIn.member_id),
                col(CheckIn.in_at),
                col(CheckIn.out_at),
                col(CheckIn.kind),
                col(CheckIn.note),
                *member_columns,
            )
            .join(Member, col(Member.id) == col(CheckIn.member_id))
            .where(col(CheckIn.shift_id) == shift_id, live_check_in())
        )
    }
    elsewhere = _other_gates(session, shift, list(checkins), zone)
    people: list[tuple[tuple[bool, str], Person]] = []
    for member_id in assignments.keys() | checkins.keys():
        assignment = assignments.get(member_id)
        checkin = checkins.get(member_id)
        first, last, preferred, number, member_role, member_status = (
            checkin[4:] if checkin is not None else assignment[2:]  # type: ignore[index]
        )
        role, status = (assignment[0], assignment[1]) if assignment is not None else ("", "")
        in_at = out_at = None
        hours = None
        flag = ""
        if checkin is not None:
            in_at, out_at, kind, note = checkin[:4]
            if out_at is not None and out_at <= now:
                state = "out"
                hours = hours_between(in_at, out_at)
                if kind == CheckInKind.CORRECTION and note == NO_SIGN_OUT_NOTE:
                    flag = "no sign-out"
            else:  # a sign-out recorded for later than ``now`` has not happened yet
                state, out_at = "in", None
                hours = hours_between(in_at, min(now, shift.ends_at))
        else:
            state = _STATES.get(status, "expected")
        if member_id in elsewhere:
            flag = f"also at {elsewhere[member_id]} today"
        elif member_status == MemberStatus.INCOMPLETE:
            flag = "incomplete record"
        person = Person(
            member_id=member_id,
            name=display_name(first, last, preferred),
            member_number=number,
            role=role,
            assigned=assignment is not None,
            walk_in=assignment is None,
            state=state,
            in_at=in_at,
            out_at=out_at,
            hours=hours,
            flag=flag,
            captain=role == CAPTAIN or member_role == CAPTAIN,
            sort_key=sort_name(first, last, preferred).casefold(),
        )
        people.append(((assignment is None, person.sort_key), person))
    people.sort(key=lambda pair: pair[0])
    return ShiftPeople(
        shift_id=shift.id,
        location_id=shift.location_id,
        location=location,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        min_headcount=shift.min_headcount,
        max_headcount=shift.max_headcount,
        captain_needed=shift.captain_needed,
        cancelled=shift.cancelled,
        notes=shift.notes,
        people=tuple(person for _, person in people),
    )


def gate_shifts(
    session: Session, location_id: uuid.UUID, day: date, zone: ZoneInfo, now: datetime
) -> list[GateShift]:
    """The gate's shifts overlapping the local ``day``, by start, with counts at ``now``."""
    start, end = local_day_bounds(day, zone)
    shifts = list(
        session.scalars(
            select(Shift)
            .where(
                col(Shift.location_id) == location_id, col(Shift.starts_at) < end, col(Shift.ends_at) > start
            )
            .order_by(col(Shift.starts_at))
        )
    )
    ids = [shift.id for shift in shifts]
    if not ids:
        return []
    assigned: dict[uuid.UUID, int] = dict(
        session.execute(
            select(col(Assignment.shift_id), func.count())
            .where(col(Assignment.shift_id).in_(ids), col(Assignment.status) == AssignmentStatus.ASSIGNED)
            .group_by(col(Assignment.shift_id))
        ).all()
    )
    in_now: dict[uuid.UUID, int] = dict(
        session.execute(
            select(col(CheckIn.shift_id), func.count(func.distinct(col(CheckIn.member_id))))
            .where(
                col(CheckIn.shift_id).in_(ids),
                live_check_in(),
                col(CheckIn.in_at) <= now,
                (col(CheckIn.out_at).is_(None)) | (col(CheckIn.out_at) > now),
            )
            .group_by(col(CheckIn.shift_id))
        ).all()
    )
    return [
        GateShift(
            shift_id=shift.id,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            assigned=int(assigned.get(shift.id, 0)),
            in_now=int(in_now.get(shift.id, 0)),
            min_headcount=shift.min_headcount,
            max_headcount=shift.max_headcount,
            cancelled=shift.cancelled,
        )
        for shift in shifts
    ]


def current_shift(shifts: Sequence[GateShift], now: datetime) -> GateShift | None:
    """The shift a captain means "now": the running one, else the next within an hour, else the last ended."""
    live = [shift for shift in shifts if not shift.cancelled]
    for shift in live:
        if shift.starts_at <= now < shift.ends_at:
            return shift
    upcoming = [shift for shift in live if now < shift.starts_at <= now + NEXT_SHIFT_WINDOW]
    if upcoming:
        return min(upcoming, key=lambda shift: shift.starts_at)
    ended = [shift for shift in live if shift.ends_at <= now]
    return max(ended, key=lambda shift: shift.ends_at) if ended else None
