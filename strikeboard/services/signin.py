"""Signing people in and out of picket shifts.

Check-ins are append-only (see :class:`~strikeboard.store.models.CheckIn`): a sign-in
is a new row; a sign-out is a *correction* row that voids the sign-in and carries both
times; an undo is a *void* row. The live state of a shift is the rows nobody voided
(:func:`strikeboard.services.shifts.live_check_in`), so two laptops' rows can later be
merged by their UUIDs without conflict.

Each function validates first and raises :class:`ValidationError` (naming the field)
before writing anything. The caller runs it inside ``Store.write()``; a sign-in is
acknowledged to the captain only after that transaction has committed.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session, col

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.roster import display_name
from strikeboard.services.shifts import live_check_in, local_day_bounds
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

#: How early before its start a shift accepts sign-ins.
EARLY_SIGN_IN = timedelta(hours=1)


@dataclass(frozen=True)
class SignedIn:
    """A committed sign-in, with what the captain should be told."""

    check_in_id: uuid.UUID
    member_id: uuid.UUID
    name: str
    at: datetime
    walk_in: bool  # not assigned to this shift
    warning: str  # e.g. already signed in at another gate today; "" when none


def _shift(session: Session, shift_id: uuid.UUID) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("That shift no longer exists: pick the shift again.")
    return shift


def _live_row(session: Session, shift_id: uuid.UUID, member_id: uuid.UUID) -> CheckIn | None:
    """The member's live check-in row on the shift, if any."""
    return session.scalars(
        select(CheckIn).where(
            col(CheckIn.shift_id) == shift_id, col(CheckIn.member_id) == member_id, live_check_in()
        )
    ).first()


def _other_gate_today(
    session: Session, shift: Shift, member_id: uuid.UUID, at: datetime, zone: ZoneInfo
) -> str | None:
    """The name of another location where the member has a live check-in on ``at``'s local day."""
    start, end = local_day_bounds(at.astimezone(zone).date(), zone)
    return session.scalars(
        select(col(Location.name))
        .join(Shift, col(Shift.location_id) == col(Location.id))
        .join(CheckIn, col(CheckIn.shift_id) == col(Shift.id))
        .where(
            col(CheckIn.member_id) == member_id,
            live_check_in(),
            col(CheckIn.in_at) >= start,
            col(CheckIn.in_at) < end,
            col(Shift.location_id) != shift.location_id,
        )
    ).first()


def sign_in(
    session: Session,
    *,
    shift_id: uuid.UUID,
    member_id: uuid.UUID,
    at: datetime,
    by: str,
    zone: ZoneInfo,
) -> SignedIn:
    """Sign ``member_id`` in to ``shift_id`` at ``at``; someone not assigned is a walk-in."""
    shift = _shift(session, shift_id)
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("That member is not in the roster: search again or quick-add them.")
    name = display_name(member.first_name, member.last_name, member.preferred_name)
    if shift.cancelled:
        raise ValidationError("shift", "This shift is cancelled: pick the shift that is running.")
    if not shift.starts_at - EARLY_SIGN_IN <= at < shift.ends_at:
        local = shift.starts_at.astimezone(zone).strftime("%a %d %b %H:%M")
        raise ValidationError("shift", f"That shift ({local}) is not running now: pick the current shift.")
    if member.status == MemberStatus.INACTIVE:
        raise ValidationError(
            "member", f"{name} is marked inactive: an organizer must reactivate them first."
        )
    live = _live_row(session, shift_id, member_id)
    if live is not None and live.out_at is None:
        since = live.in_at.astimezone(zone).strftime("%H:%M")
        raise ValidationError("member", f"{name} is already signed in (since {since}).")
    if live is not None:
        raise ValidationError(
            "member", f"{name} already signed out of this shift: undo the sign-out to sign them back in."
        )
    assigned = session.scalars(
        select(col(Assignment.id)).where(
            col(Assignment.shift_id) == shift_id,
            col(Assignment.member_id) == member_id,
            col(Assignment.status) == AssignmentStatus.ASSIGNED,
        )
    ).first()
    other_gate = _other_gate_today(session, shift, member_id, at, zone)
    row = CheckIn(
        kind=CheckInKind.SIGN_IN,
        shift_id=shift_id,
        member_id=member_id,
        in_at=at,
        walk_in=assigned is None,
        recorded_by=by,
    )
    session.add(row)
    session.flush()
    warning = f"{name} already signed in at {other_gate} today." if other_gate else ""
    return SignedIn(row.id, member_id, name, at, row.walk_in, warning)


def sign_out(session: Session, *, shift_id: uuid.UUID, member_id: uuid.UUID, at: datetime, by: str) -> float:
    """Sign the member out at ``at``; return the hours credited for the shift."""
    live = _live_row(session, shift_id, member_id)
    if live is None or live.out_at is not None:
        raise ValidationError("member", "Not signed in to this shift: nothing to sign out.")
    if at <= live.in_at:
        raise ValidationError("at", "The sign-out time must be after the sign-in time.")
    session.add(
        CheckIn(
            kind=CheckInKind.CORRECTION,
            shift_id=shift_id,
            member_id=member_id,
            in_at=live.in_at,
            out_at=at,
            walk_in=live.walk_in,
            void_of=live.id,
            recorded_by=by,
            note="signed out",
        )
    )
    session.flush()
    return round((at - live.in_at).total_seconds() / 3600, 2)


def undo(session: Session, *, shift_id: uuid.UUID, member_id: uuid.UUID, by: str, reason: str) -> None:
    """Cancel the member's check-in on the shift (a void row: who, when and why are kept)."""
    live = _live_row(session, shift_id, member_id)
    if live is None:
        raise ValidationError("member", "Not signed in to this shift: there is nothing to undo.")
    session.add(
        CheckIn(
            kind=CheckInKind.VOID,
            shift_id=shift_id,
            member_id=member_id,
            in_at=live.in_at,
            out_at=live.out_at,
            walk_in=live.walk_in,
            void_of=live.id,
            recorded_by=by,
            note=reason,
        )
    )
    session.flush()
