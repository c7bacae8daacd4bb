"""Incidents at the gates: log one (time, gate, shift, category, description, reporter), list them.

An incident logged without a shift is attached to the shift that was running at that gate
at that time, if there was one, so that it shows on that shift's record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import Session, col

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.shifts import local_day_bounds
from strikeboard.store.models import Incident, IncidentCategory, Location, Member, Shift

REPORTER_MAX = 120
DESCRIPTION_MAX = 4000
#: How far ahead of the clock an incident's time may be (laptop clocks differ a little).
CLOCK_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class IncidentRow:
    """An incident as listed and exported."""

    id: uuid.UUID
    occurred_at: datetime  # UTC
    location: str
    shift_id: uuid.UUID | None
    shift_starts_at: datetime | None  # UTC
    category: str
    description: str
    reported_by: str


def category_of(text: str) -> str:
    """The :class:`IncidentCategory` named by ``text`` (any case, spaces or dashes for ``_``)."""
    word = text.strip().casefold().replace(" ", "_").replace("-", "_")
    names = [c.value for c in IncidentCategory]
    if word not in names:
        raise ValidationError(
            "category", f"{text!r} is not an incident category: use one of {', '.join(names)}."
        )
    return word


def log_incident(
    session: Session,
    *,
    location_id: uuid.UUID,
    occurred_at: datetime,
    category: str,
    description: str,
    reported_by: str,
    now: datetime,
    shift_id: uuid.UUID | None = None,
    reporter_member_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Record an incident; return its id. ``now`` is the clock, to refuse times in the future."""
    if session.get(Location, location_id) is None:
        raise NotFound("That location no longer exists: pick the gate again.")
    kind = category_of(category)
    if occurred_at > now + CLOCK_SLACK:
        raise ValidationError("occurred_at", "The incident's time is in the future: give when it happened.")
    text = description.strip()
    if not text:
        raise ValidationError("description", "Describe what happened.")
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError("description", f"Keep the description to {DESCRIPTION_MAX} characters.")
    reporter = " ".join(reported_by.split())
    if not reporter:
        raise ValidationError("reported_by", "Say who reports the incident.")
    if len(reporter) > REPORTER_MAX:
        raise ValidationError("reported_by", f"Keep the reporter's name to {REPORTER_MAX} characters.")
    if reporter_member_id is not None and session.get(Member, reporter_member_id) is None:
        raise NotFound("The reporting member is not in the roster: search again.")
    if shift_id is not None:
        shift = session.get(Shift, shift_id)
        if shift is None or shift.location_id != location_id:
            raise ValidationError(
                "shift", "That shift is not at this location: pick one of the gate's shifts."
            )
    else:
        shift_id = session.scalars(
            select(col(Shift.id)).where(
                col(Shift.location_id) == location_id,
                col(Shift.starts_at) <= occurred_at,
                col(Shift.ends_at) > occurred_at,
                col(Shift.cancelled).is_(False),
            )
        ).first()
    row = Incident(
        location_id=location_id,
        shift_id=shift_id,
        occurred_at=occurred_at,
        category=kind,
        description=text,
        reported_by=reporter,
        reporter_member_id=reporter_member_id,
    )
    session.add(row)
    session.flush()
    return row.id


def list_incidents(
    session: Session,
    *,
    zone: ZoneInfo,
    location_id: uuid.UUID | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    categories: tuple[str, ...] = (),
) -> list[IncidentRow]:
    """Incidents, oldest first, filtered by gate, local days (inclusive) and categories."""
    if first_day and last_day and last_day < first_day:
        raise ValidationError("to", "The last day is before the first day: swap them.")
    query = (
        select(Incident, col(Location.name), col(Shift.starts_at))
        .join(Location, col(Location.id) == col(Incident.location_id))
        .outerjoin(Shift, col(Shift.id) == col(Incident.shift_id))
        .order_by(col(Incident.occurred_at), col(Location.name))
    )
    if location_id is not None:
        query = query.where(col(Incident.location_id) == location_id)
    if first_day is not None:
        query = query.where(col(Incident.occurred_at) >= local_day_bounds(first_day, zone)[0])
    if last_day is not None:
        query = query.where(col(Incident.occurred_at) < local_day_bounds(last_day, zone)[1])
    if categories:
        query = query.where(col(Incident.category).in_([category_of(c) for c in categories]))
    return [
        IncidentRow(
            id=incident.id,
            occurred_at=incident.occurred_at,
            location=location,
            shift_id=incident.shift_id,
            shift_starts_at=shift_start,
            category=incident.category,
            description=incident.description,
            reported_by=incident.reported_by,
        )
        for incident, location, shift_start in session.execute(query)
    ]
