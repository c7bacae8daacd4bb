"""Manual assignment of members to shifts, with the warnings an organizer should see first.

Warnings (overlap, weekly cap, availability, accessibility, member not active, shift
full) never block: the UI shows them and asks to confirm. Errors do: a cancelled or
past shift, or a member already on the shift, raise ``ValidationError``.

A member's weekly windows are local wall-clock times; a dated exception either makes
the whole day unavailable (``available=False`` without a window), blocks a window
(``available=False`` with one), or replaces the weekly windows for that day
(``available=True``; with no window, the whole day is fine).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from strikeboard.services.access import require_full_access
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.roster import display_name
from strikeboard.services.shift_plan import ROLE_MAX
from strikeboard.services.shifts import local_day_bounds, week_start
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
    utcnow,
)

#: (member's need, location's offer, what the warning says is missing)
ACCESS_NEEDS: tuple[tuple[str, str, str], ...] = (
    ("needs_step_free", "step_free", "step-free access"),
    ("needs_seating", "has_seating", "seating"),
    ("needs_shade", "has_shade", "shade"),
    ("needs_restrooms", "has_restrooms", "restrooms"),
)


@dataclass(frozen=True)
class Assigned:
    """The result of an assignment: its id, the member's name and the warnings shown."""

    assignment_id: uuid.UUID
    name: str
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ShiftChoice:
    """A shift a member could be put on, with the warnings that would come with it."""

    shift_id: uuid.UUID
    location: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    assigned: int
    max_headcount: int
    warnings: tuple[str, ...]


@dataclass
class _Person:
    """What the warnings need to know about one member, loaded once."""

    member: Member
    name: str
    availability: Availability | None
    windows: list[AvailabilityWindow]
    exceptions: dict[date, list[AvailabilityException]]
    # (shift_id, location name, starts_at, ends_at) of the member's live assignments nearby
    planned: list[tuple[uuid.UUID, str, datetime, datetime]] = field(default_factory=list)


def _member(session: Session, member_id: uuid.UUID) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("That member no longer exists.")
    return member


def _shift(session: Session, shift_id: uuid.UUID) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("That shift no longer exists.")
    return shift


def _load_person(session: Session, member: Member, start: datetime, end: datetime) -> _Person:
    """The member with availability and the assignments from ``start`` to ``end`` (UTC)."""
    availability = session.exec(select(Availability).where(col(Availability.member_id) == member.id)).first()
    windows = list(
        session.exec(select(AvailabilityWindow).where(col(AvailabilityWindow.member_id) == member.id))
    )
    exceptions: dict[date, list[AvailabilityException]] = defaultdict(list)
    for exc in session.exec(
        select(AvailabilityException).where(col(AvailabilityException.member_id) == member.id)
    ):
        exceptions[exc.on_date].append(exc)
    planned = [
        (shift_id, loc, starts, ends)
        for shift_id, loc, starts, ends in session.execute(
            select(col(Shift.id), col(Location.name), col(Shift.starts_at), col(Shift.ends_at))
            .join(Assignment, col(Assignment.shift_id) == col(Shift.id))
            .join(Location, col(Location.id) == col(Shift.location_id))
            .where(
                col(Assignment.member_id) == member.id,
                col(Assignment.status) == AssignmentStatus.ASSIGNED,
                col(Shift.cancelled).is_(False),
                col(Shift.ends_at) > start,
                col(Shift.starts_at) < end,
            )
        )
    ]
    name = display_name(member.first_name, member.last_name, member.preferred_name)
    return _Person(member, name, availability, windows, exceptions, planned)


def find_member(session: Session, text: str) -> Member:
    """The member whose member number is ``text``, or whose email is exactly ``text`` (any case)."""
    wanted = text.strip()
    if not wanted:
        raise NotFound("Give a member number or an email address.")
    member = session.exec(select(Member).where(col(Member.member_number) == wanted)).first()
    if member is None and "@" in wanted:
        matches = session.exec(
            select(Member).where(func.lower(col(Member.email)) == wanted.lower()).limit(2)
        ).all()
        if len(matches) > 1:
            raise NotFound(f"Several members have the email {wanted!r}: use the member number.")
        member = matches[0] if matches else None
    if member is None:
        raise NotFound(f"No member has the member number or email {wanted!r}.")
    return member


def _clock(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %d %b %H:%M")


def _minutes(moment: datetime, day: date, zone: ZoneInfo) -> int:
    """Minutes from the local midnight starting ``day`` to ``moment`` (wall-clock, DST-safe)."""
    local = moment.astimezone(zone).replace(tzinfo=None)
    return int((local - datetime.combine(day, time())).total_seconds() // 60)


def _availability_warning(person: _Person, starts: datetime, ends: datetime, zone: ZoneInfo) -> str | None:
    day = starts.astimezone(zone).date()
    lo, hi = _minutes(starts, day, zone), _minutes(ends, day, zone)
    when = f"{day:%a %d %b}"
    for exc in person.exceptions.get(day, ()):
        has_window = exc.start_minute is not None and exc.end_minute is not None
        if not exc.available and not has_window:
            note = f" ({exc.note})" if exc.note else ""
            return f"{person.name} is unavailable on {when}{note}."
        if not exc.available and has_window and lo < (exc.end_minute or 0) and (exc.start_minute or 0) < hi:
            return f"{person.name} is unavailable for part of this shift on {when}."
    only = [exc for exc in person.exceptions.get(day, ()) if exc.available]
    if only:
        if any(
            exc.start_minute is None
            or exc.end_minute is None
            or (exc.start_minute <= lo and hi <= exc.end_minute)
            for exc in only
        ):
            return None
        return f"{person.name} is available only at other times on {when}."
    if not person.windows:
        return None  # no windows given: no limit known
    prev = day - timedelta(days=1)
    for window in person.windows:
        if window.weekday == day.weekday() and window.start_minute <= lo and hi <= window.end_minute:
            return None
        # a window from the day before that runs past midnight
        if (
            window.weekday == prev.weekday()
            and window.start_minute <= lo + 1440
            and hi + 1440 <= window.end_minute
        ):
            return None
    return f"This shift is outside {person.name}'s availability windows."


def _warnings(
    person: _Person,
    shift: Shift,
    location: Location,
    assigned: int,
    zone: ZoneInfo,
) -> list[str]:
    """Every warning for putting ``person`` on ``shift`` (``assigned`` = others already on it)."""
    warnings: list[str] = []
    member, name = person.member, person.name
    if member.status != MemberStatus.ACTIVE:
        warnings.append(f"{name} is {member.status}, not active.")
    if assigned >= shift.max_headcount:
        warnings.append(f"The shift is full ({assigned} of {shift.max_headcount} assigned).")
    for other_id, loc, starts, ends in person.planned:
        if other_id != shift.id and starts < shift.ends_at and shift.starts_at < ends:
            warnings.append(
                f"{name} is already on a shift at {loc}, {_clock(starts, zone)}–"
                f"{ends.astimezone(zone):%H:%M}, that overlaps this one."
            )
    avail = person.availability
    if avail is not None and (avail.max_shifts_per_week is not None or avail.max_hours_per_week is not None):
        monday = week_start(shift.starts_at.astimezone(zone).date())
        week_lo, _ = local_day_bounds(monday, zone)
        week_hi, _ = local_day_bounds(monday + timedelta(days=7), zone)
        week = [
            (starts, ends)
            for other_id, _, starts, ends in person.planned
            if other_id != shift.id and week_lo <= starts < week_hi
        ]
        count = len(week) + 1
        hours = sum((ends - starts).total_seconds() for starts, ends in week) / 3600
        hours += (shift.ends_at - shift.starts_at).total_seconds() / 3600
        if avail.max_shifts_per_week is not None and count > avail.max_shifts_per_week:
            warnings.append(
                f"This would be {name}'s shift number {count} in the week of {monday:%d %b}, "
                f"over their limit of {avail.max_shifts_per_week}."
            )
        if avail.max_hours_per_week is not None and hours > avail.max_hours_per_week + 1e-9:
            warnings.append(
                f"This would give {name} {hours:g} hours in the week of {monday:%d %b}, "
                f"over their limit of {avail.max_hours_per_week:g}."
            )
    if avail is not None and avail.max_shifts_per_day is not None:
        day = shift.starts_at.astimezone(zone).date()
        same_day = sum(
            1
            for other_id, _, starts, _ in person.planned
            if other_id != shift.id and starts.astimezone(zone).date() == day
        )
        if same_day + 1 > avail.max_shifts_per_day:
            warnings.append(
                f"This would be {name}'s shift number {same_day + 1} on {day:%a %d %b}, "
                f"over their limit of {avail.max_shifts_per_day} a day."
            )
    if avail is not None and str(location.id) in avail.excluded_location_ids:
        warnings.append(f"{name} asked not to be placed at {location.name}.")
    availability = _availability_warning(person, shift.starts_at, shift.ends_at, zone)
    if availability:
        warnings.append(availability)
    missing = [
        label for need, offer, label in ACCESS_NEEDS if getattr(member, need) and not getattr(location, offer)
    ]
    if missing:
        warnings.append(f"{name} needs {' and '.join(missing)}; {location.name} does not have it.")
    return warnings


def _others_assigned(
    session: Session, shift_ids: list[uuid.UUID], member_id: uuid.UUID
) -> dict[uuid.UUID, int]:
    rows = session.execute(
        select(col(Assignment.shift_id), func.count())
        .where(
            col(Assignment.shift_id).in_(shift_ids),
            col(Assignment.status) == AssignmentStatus.ASSIGNED,
            col(Assignment.member_id) != member_id,
        )
        .group_by(col(Assignment.shift_id))
    )
    return {shift_id: int(count) for shift_id, count in rows}


def _window_around(starts: datetime, ends: datetime) -> tuple[datetime, datetime]:
    """A UTC range covering the weeks around a shift (for caps and overlaps)."""
    return starts - timedelta(days=8), ends + timedelta(days=8)


def assignment_warnings(
    session: Session, shift_id: uuid.UUID, member_id: uuid.UUID, zone: ZoneInfo
) -> list[str]:
    """One sentence per reason to think twice before putting the member on the shift."""
    shift = _shift(session, shift_id)
    member = _member(session, member_id)
    location = session.get(Location, shift.location_id)
    assert location is not None  # a foreign key
    person = _load_person(session, member, *_window_around(shift.starts_at, shift.ends_at))
    assigned = _others_assigned(session, [shift.id], member.id).get(shift.id, 0)
    return _warnings(person, shift, location, assigned, zone)


def _clean_role(role: str) -> str:
    name = "_".join(role.casefold().replace("-", " ").split())
    if not name:
        raise ValidationError("role", "Give the role on the shift, e.g. picketer or captain.")
    if len(name) > ROLE_MAX:
        raise ValidationError("role", f"The role is too long: keep it to {ROLE_MAX} characters.")
    return name


def assign(
    session: Session,
    shift_id: uuid.UUID,
    member_id: uuid.UUID,
    *,
    role: str = "picketer",
    by: str,
    zone: ZoneInfo,
    now: datetime | None = None,
) -> Assigned:
    """Put a member on a shift by hand (locked against automatic rescheduling).

    Refuses a cancelled or finished shift and a member already on it; returns the
    warnings (which never block).
    """
    require_full_access(session, "assigning people to shifts")
    shift = _shift(session, shift_id)
    member = _member(session, member_id)
    name = display_name(member.first_name, member.last_name, member.preferred_name)
    role_name = _clean_role(role)
    moment = now or datetime.now(UTC)
    if shift.cancelled:
        raise ValidationError("shift", "This shift is cancelled: choose another shift.")
    if shift.ends_at <= moment:
        raise ValidationError("shift", "This shift is over: choose a shift that has not ended.")
    existing = session.exec(
        select(Assignment).where(col(Assignment.shift_id) == shift.id, col(Assignment.member_id) == member.id)
    ).first()
    if existing is not None and existing.status == AssignmentStatus.ASSIGNED:
        raise ValidationError("member", f"{name} is already assigned to this shift.")
    warnings = tuple(assignment_warnings(session, shift.id, member.id, zone))
    stamp = utcnow()
    if existing is None:
        existing = Assignment(shift_id=shift.id, member_id=member.id)
    existing.role = role_name
    existing.source = AssignmentSource.MANUAL
    existing.locked = True
    existing.status = AssignmentStatus.ASSIGNED
    existing.updated_at = stamp
    session.add(existing)
    session.flush()
    return Assigned(assignment_id=existing.id, name=name, warnings=warnings)


def unassign(session: Session, shift_id: uuid.UUID, member_id: uuid.UUID, *, by: str) -> None:
    """Take a member off a shift (the assignment is kept, marked cancelled)."""
    require_full_access(session, "assigning people to shifts")
    _shift(session, shift_id)
    member = _member(session, member_id)
    existing = session.exec(
        select(Assignment).where(
            col(Assignment.shift_id) == shift_id,
            col(Assignment.member_id) == member_id,
            col(Assignment.status) == AssignmentStatus.ASSIGNED,
        )
    ).first()
    if existing is None:
        name = display_name(member.first_name, member.last_name, member.preferred_name)
        raise ValidationError("member", f"{name} is not assigned to this shift.")
    existing.status = AssignmentStatus.CANCELLED
    existing.updated_at = utcnow()
    session.add(existing)
    session.flush()


def shift_choices(
    session: Session, member_id: uuid.UUID, start: datetime, end: datetime, zone: ZoneInfo
) -> list[ShiftChoice]:
    """Shifts starting from ``start`` to ``end`` (UTC) the member could join, with warnings, by start."""
    member = _member(session, member_id)
    rows = session.execute(
        select(Shift, Location)
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(col(Shift.starts_at) >= start, col(Shift.starts_at) < end, col(Shift.cancelled).is_(False))
        .order_by(col(Shift.starts_at), col(Location.name))
    ).all()
    if not rows:
        return []
    ids = [shift.id for shift, _ in rows]
    person = _load_person(session, member, *_window_around(start, end))
    mine = {shift_id for shift_id, _, _, _ in person.planned}
    counts = _others_assigned(session, ids, member.id)
    return [
        ShiftChoice(
            shift_id=shift.id,
            location=location.name,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            assigned=counts.get(shift.id, 0),
            max_headcount=shift.max_headcount,
            warnings=tuple(_warnings(person, shift, location, counts.get(shift.id, 0), zone)),
        )
        for shift, location in rows
        if shift.id not in mine
    ]
