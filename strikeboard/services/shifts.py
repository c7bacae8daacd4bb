"""Read-only shift queries: today's sign-in board and a week's schedule.

Times are stored in UTC; "today" and "this week" are calendar days in the strike's time
zone, so callers pass the zone and the day. Check-ins are append-only: the live ones are
sign-ins and corrections that no other row voids (:func:`live_check_in`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from strikeboard.services.roster import display_name
from strikeboard.store.models import (
    Assignment,
    AssignmentStatus,
    CheckIn,
    CheckInKind,
    Location,
    Member,
    Role,
    Shift,
)
from strikeboard.store.sqlfuncs import seconds_between

#: The assignment role (and member role) of a picket captain.
CAPTAIN = Role.CAPTAIN.value


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants at which the local calendar ``day`` starts and ends (DST-safe)."""
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


@cache
def live_check_in() -> Any:
    """SQL condition: a ``CheckIn`` row that counts (a sign-in or correction nobody voided).

    Built once: compiling the aliased subquery costs about a millisecond per call.
    """
    voider = aliased(CheckIn)
    return and_(
        col(CheckIn.kind).in_((CheckInKind.SIGN_IN, CheckInKind.CORRECTION)),
        ~exists().where(col(voider.void_of) == col(CheckIn.id)),
    )


def checkin_seconds() -> Any:
    """SQL: the seconds a live check-in counts for (``Shift`` must be joined).

    The one rule for a check-in's length: sign-out minus sign-in, or — nobody signed the
    member out — the shift's end minus sign-in; never negative.
    """
    ends = func.coalesce(col(CheckIn.out_at), col(Shift.ends_at))
    length = func.round(seconds_between(col(CheckIn.in_at), ends))
    return case((length < 0, 0), else_=length)


@dataclass(frozen=True)
class BoardShift:
    """A shift on the sign-in board, with who is planned and who is on the line."""

    id: uuid.UUID
    location: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    min_headcount: int
    max_headcount: int
    captain_needed: bool
    cancelled: bool
    assigned: int  # assignments with status "assigned"
    signed_in_now: int  # people signed in and not yet signed out at the board's ``now``
    signed_in_total: int  # people with a live check-in for the shift at all
    captains_present: tuple[str, ...]  # captains signed in now
    captains_assigned: tuple[str, ...]  # assigned with role "captain"

    def running(self, now: datetime) -> bool:
        """True while ``now`` is within the shift (and it is not cancelled)."""
        return not self.cancelled and self.starts_at <= now < self.ends_at

    def ended(self, now: datetime) -> bool:
        """True once the shift is over."""
        return self.ends_at <= now


@dataclass(frozen=True)
class WeekShift:
    """A shift in a week's schedule, with how full it is."""

    id: uuid.UUID
    day: date  # local calendar day of the start
    location: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    min_headcount: int
    max_headcount: int
    captain_needed: bool
    cancelled: bool
    assigned: int  # assignments with status "assigned"
    captain_assigned: bool

    @property
    def short(self) -> bool:
        """Fewer people assigned than the minimum (cancelled shifts are never short)."""
        return not self.cancelled and self.assigned < self.min_headcount

    @property
    def full(self) -> bool:
        """At or above the maximum headcount."""
        return self.assigned >= self.max_headcount


def _assigned_counts(session: Session, shift_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = session.execute(
        select(col(Assignment.shift_id), func.count())
        .where(col(Assignment.shift_id).in_(shift_ids), col(Assignment.status) == AssignmentStatus.ASSIGNED)
        .group_by(col(Assignment.shift_id))
    )
    return {shift_id: int(count) for shift_id, count in rows}


def _assigned_captains(session: Session, shift_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[tuple]]:
    """``shift_id -> [(member_id, name), ...]`` of captains assigned to the shifts."""
    rows = session.execute(
        select(
            col(Assignment.shift_id),
            col(Assignment.member_id),
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
        )
        .join(Member, col(Member.id) == col(Assignment.member_id))
        .where(
            col(Assignment.shift_id).in_(shift_ids),
            col(Assignment.status) == AssignmentStatus.ASSIGNED,
            col(Assignment.role) == CAPTAIN,
        )
        .order_by(col(Member.last_name), col(Member.first_name))
    )
    captains: dict[uuid.UUID, list[tuple]] = defaultdict(list)
    for shift_id, member_id, first, last, preferred in rows:
        captains[shift_id].append((member_id, display_name(first, last, preferred)))
    return captains


def today_board(session: Session, day: date, zone: ZoneInfo, now: datetime) -> list[BoardShift]:
    """Every shift overlapping the local ``day``, by location then start time.

    ``now`` (aware) decides who is signed in *now*: a live check-in that began at or
    before ``now`` and has no sign-out, or a sign-out after ``now``.
    """
    start, end = local_day_bounds(day, zone)
    shifts = session.execute(
        select(Shift, col(Location.name))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(col(Shift.starts_at) < end, col(Shift.ends_at) > start)
        .order_by(col(Location.name), col(Shift.starts_at))
    ).all()
    ids = [shift.id for shift, _ in shifts]
    if not ids:
        return []
    assigned = _assigned_counts(session, ids)
    captains = _assigned_captains(session, ids)
    present: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    came: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    captains_in: dict[uuid.UUID, dict[uuid.UUID, str]] = defaultdict(dict)
    checkins = session.execute(
        select(
            col(CheckIn.shift_id),
            col(CheckIn.member_id),
            col(CheckIn.in_at),
            col(CheckIn.out_at),
            col(Member.role),
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
        )
        .join(Member, col(Member.id) == col(CheckIn.member_id))
        .where(col(CheckIn.shift_id).in_(ids), live_check_in())
    )
    for shift_id, member_id, in_at, out_at, role, first, last, preferred in checkins:
        came[shift_id].add(member_id)
        if in_at <= now and (out_at is None or out_at > now):
            present[shift_id].add(member_id)
            assigned_captain = any(mid == member_id for mid, _ in captains.get(shift_id, ()))
            if assigned_captain or role == CAPTAIN:
                captains_in[shift_id][member_id] = display_name(first, last, preferred)
    return [
        BoardShift(
            id=shift.id,
            location=location,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            min_headcount=shift.min_headcount,
            max_headcount=shift.max_headcount,
            captain_needed=shift.captain_needed,
            cancelled=shift.cancelled,
            assigned=assigned.get(shift.id, 0),
            signed_in_now=len(present[shift.id]),
            signed_in_total=len(came[shift.id]),
            captains_present=tuple(sorted(captains_in[shift.id].values())),
            captains_assigned=tuple(name for _, name in captains.get(shift.id, ())),
        )
        for shift, location in shifts
    ]


def week_schedule(session: Session, monday: date, zone: ZoneInfo) -> list[WeekShift]:
    """Shifts starting in the local week from ``monday`` (7 days), by day, location and time."""
    start, _ = local_day_bounds(monday, zone)
    _, end = local_day_bounds(monday + timedelta(days=6), zone)
    shifts = session.execute(
        select(Shift, col(Location.name))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(col(Shift.starts_at) >= start, col(Shift.starts_at) < end)
        .order_by(col(Shift.starts_at), col(Location.name))
    ).all()
    ids = [shift.id for shift, _ in shifts]
    if not ids:
        return []
    assigned = _assigned_counts(session, ids)
    captains = _assigned_captains(session, ids)
    rows = [
        WeekShift(
            id=shift.id,
            day=shift.starts_at.astimezone(zone).date(),
            location=location,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            min_headcount=shift.min_headcount,
            max_headcount=shift.max_headcount,
            captain_needed=shift.captain_needed,
            cancelled=shift.cancelled,
            assigned=assigned.get(shift.id, 0),
            captain_assigned=bool(captains.get(shift.id)),
        )
        for shift, location in shifts
    ]
    rows.sort(key=lambda row: (row.day, row.location, row.starts_at))
    return rows
