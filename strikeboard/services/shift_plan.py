"""Planning shifts: one-off shifts, recurring series, editing and cancelling them.

Series are expanded with dateutil's ``rrule`` over *local* calendar days in the strike's
zone; each occurrence's start and end are then placed on its own local day, so a
06:00 shift stays at 06:00 across daylight-saving changes (the UTC instants move).
A local time that does not exist on a spring-forward day (02:30) is read as the
wall-clock time one hour later; an ambiguous fall-back time is the first of the two.

A slot whose end is at or before its start ends on the next day (an overnight shift).
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dateutil import rrule as rr
from sqlalchemy import String, and_, cast, func, insert, select, update
from sqlmodel import Session, col

from strikeboard.services.access import require_full_access
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.roster import display_name
from strikeboard.services.shifts import CAPTAIN, live_check_in, local_day_bounds
from strikeboard.store.models import (
    Assignment,
    AssignmentStatus,
    CheckIn,
    Location,
    Member,
    Shift,
    utcnow,
)

#: Limits that keep a typo from planning years of shifts.
MAX_SERIES_DAYS = 366
MAX_SERIES_SHIFTS = 10_000
MAX_HEADCOUNT = 500
ROLE_MAX = 40

Scope = Literal["one", "following"]

#: Frequencies finer than a day make no sense for picket shifts.
SUB_DAILY = re.compile(r"FREQ\s*=\s*(HOURLY|MINUTELY|SECONDLY)", re.IGNORECASE)

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ShiftForm:
    """A one-off shift. ``end`` at or before ``start`` means it ends the next day."""

    location_id: uuid.UUID
    day: date
    start: time
    end: time
    min_headcount: int = 2
    max_headcount: int = 8
    captain_needed: bool = True
    roles_needed: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class SeriesForm:
    """A recurring series: every chosen day from ``first_day`` to ``last_day``, each slot, each location.

    ``rrule`` (an RFC 5545 RRULE body such as ``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR``)
    replaces ``weekdays`` (0 = Monday) when given.
    """

    location_ids: tuple[uuid.UUID, ...]
    first_day: date
    last_day: date
    weekdays: tuple[int, ...]
    slots: tuple[tuple[time, time], ...]
    min_headcount: int = 2
    max_headcount: int = 8
    captain_needed: bool = True
    roles_needed: tuple[str, ...] = ()
    notes: str = ""
    rrule: str | None = None


@dataclass(frozen=True)
class SeriesCreated:
    """The result of creating a series."""

    series_id: uuid.UUID
    count: int


@dataclass(frozen=True)
class ShiftChanges:
    """Fields to change on a shift (``None`` = unchanged). Times are local wall-clock times."""

    start: time | None = None
    end: time | None = None
    min_headcount: int | None = None
    max_headcount: int | None = None
    captain_needed: bool | None = None
    roles_needed: tuple[str, ...] | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Affected:
    """A person assigned to a shift that is about to be cancelled."""

    member_id: uuid.UUID
    name: str
    location: str
    starts_at: datetime  # UTC


# ---------------------------------------------------------------- validation (pure)


def _check_counts(min_headcount: int, max_headcount: int) -> None:
    if min_headcount < 0:
        raise ValidationError("min_headcount", "The minimum headcount cannot be negative: use 0 or more.")
    if max_headcount < 1:
        raise ValidationError("max_headcount", "The maximum headcount must be at least 1.")
    if max_headcount > MAX_HEADCOUNT:
        raise ValidationError("max_headcount", f"The maximum headcount is at most {MAX_HEADCOUNT}.")
    if min_headcount > max_headcount:
        raise ValidationError(
            "min_headcount",
            f"The minimum headcount ({min_headcount}) is more than the maximum ({max_headcount}): "
            "lower the minimum or raise the maximum.",
        )


def clean_roles(roles: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Roles as stored: lower case, spaces as underscores, no repeats (``"First aid"`` → ``first_aid``)."""
    result: list[str] = []
    for role in roles:
        name = "_".join(role.casefold().replace("-", " ").split())
        if not name:
            raise ValidationError("roles_needed", "A role needed cannot be empty, e.g. first_aid.")
        if len(name) > ROLE_MAX:
            raise ValidationError(
                "roles_needed", f"The role {role!r} is too long: keep it to {ROLE_MAX} characters."
            )
        if name not in result:
            result.append(name)
    return tuple(result)


#: The years a shift may fall in: wide either way, and clear of the ends of the calendar.
PLAN_YEARS = (1900, 9000)


def _check_day(field: str, day: date) -> None:
    if not PLAN_YEARS[0] <= day.year <= PLAN_YEARS[1]:
        raise ValidationError(field, f"{day} is out of range: give a day in {PLAN_YEARS[0]}-{PLAN_YEARS[1]}.")


def _check_slot(start: time, end: time) -> None:
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValidationError("start", "Give shift times as local wall-clock times, without a zone.")
    if start == end:
        raise ValidationError("end", f"The shift ends when it starts ({start:%H:%M}): give a later end time.")


def local_span(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants of a shift on local ``day`` from ``start`` to ``end`` (next day if end <= start)."""
    end_day = day + timedelta(days=1) if end <= start else day
    starts = datetime.combine(day, start, zone).astimezone(UTC)
    ends = datetime.combine(end_day, end, zone).astimezone(UTC)
    return starts, ends


def _rule_days(form: SeriesForm) -> list[date]:
    """The local days of a series, from its rrule or weekdays, between first and last day."""
    dtstart = datetime.combine(form.first_day, time())
    until = datetime.combine(form.last_day, time())
    if form.rrule is not None:
        body = form.rrule.strip()
        if body.upper().startswith("RRULE:"):
            body = body[6:]
        if not body or "DTSTART" in body.upper() or "\n" in body:
            raise ValidationError("rrule", "Give --rrule as one RRULE body, e.g. FREQ=WEEKLY;BYDAY=MO,WE,FR.")
        try:
            rule = rr.rrulestr(body, dtstart=dtstart, ignoretz=True)
        except (ValueError, TypeError) as exc:
            known = str(exc) if any(word in str(exc).lower() for word in ("invalid", "unknown")) else ""
            detail = f" ({known})" if known else ""
            raise ValidationError(
                "rrule",
                f"The RRULE {form.rrule!r} cannot be read{detail}: write e.g. FREQ=WEEKLY;BYDAY=MO,WE,FR.",
            ) from None
        if not isinstance(rule, rr.rrule) or SUB_DAILY.search(body):
            raise ValidationError(
                "rrule", "The RRULE must repeat daily, weekly, monthly or yearly, not hourly."
            )
        days = sorted({moment.date() for moment in rule.between(dtstart, until, inc=True)})
        return days
    if not form.weekdays:
        raise ValidationError("weekdays", "Choose at least one weekday for the series.")
    bad = [day for day in form.weekdays if not 0 <= day <= 6]
    if bad:
        raise ValidationError("weekdays", f"Weekdays are 0 (Monday) to 6 (Sunday), not {bad[0]}.")
    rule = rr.rrule(rr.WEEKLY, dtstart=dtstart, until=until, byweekday=sorted(set(form.weekdays)))
    return [moment.date() for moment in rule]


def expand_series(form: SeriesForm, zone: ZoneInfo) -> list[tuple[uuid.UUID, datetime, datetime]]:
    """Every shift of a series as ``(location_id, starts_at, ends_at)`` in UTC, by start then location.

    Pure (no database): validates the form's dates, slots and counts and raises
    ``ValidationError`` naming the field to fix.
    """
    if not form.location_ids:
        raise ValidationError("location_ids", "Choose at least one location for the series.")
    _check_day("first_day", form.first_day)
    _check_day("last_day", form.last_day)
    if form.last_day < form.first_day:
        raise ValidationError(
            "last_day",
            f"The last day ({form.last_day}) is before the first day ({form.first_day}): swap them.",
        )
    if (form.last_day - form.first_day).days > MAX_SERIES_DAYS:
        raise ValidationError(
            "last_day", "A series can run for at most one year: end it sooner, and add another later."
        )
    if not form.slots:
        raise ValidationError("slots", "Give at least one time slot, e.g. 06:00-10:00.")
    repeated = [slot for slot, count in Counter(form.slots).items() if count > 1]
    if repeated:
        start, end = repeated[0]
        raise ValidationError("slots", f"The slot {start:%H:%M}-{end:%H:%M} is given twice: give it once.")
    for start, end in form.slots:
        _check_slot(start, end)
    _check_counts(form.min_headcount, form.max_headcount)
    clean_roles(form.roles_needed)
    days = _rule_days(form)
    locations = tuple(dict.fromkeys(form.location_ids))
    total = len(days) * len(form.slots) * len(locations)
    if total > MAX_SERIES_SHIFTS:
        raise ValidationError(
            "last_day",
            f"That series would make {total:,} shifts, more than {MAX_SERIES_SHIFTS:,}: "
            "shorten it or choose fewer locations or slots.",
        )
    if total == 0:
        field = "rrule" if form.rrule is not None else "weekdays"
        raise ValidationError(
            field, f"No day between {form.first_day} and {form.last_day} matches the chosen days: check them."
        )
    result = []
    for day in days:
        for start, end in form.slots:
            starts, ends = local_span(day, start, end, zone)
            for location_id in locations:
                result.append((location_id, starts, ends))
    result.sort(key=lambda item: (item[1], item[2]))
    return result


# ---------------------------------------------------------------- writing


def _plannable_location(session: Session, location_id: uuid.UUID) -> Location:
    loc = session.get(Location, location_id)
    if loc is None:
        raise ValidationError("location", "That location does not exist: choose one from the list.")
    if not loc.active:
        raise ValidationError(
            "location", f"{loc.name} is inactive: reactivate it, or choose an active location."
        )
    return loc


def _refuse_duplicates(
    session: Session, planned: list[tuple[uuid.UUID, datetime, datetime]], zone: ZoneInfo
) -> None:
    """Refuse shifts that already exist (same location, start and end, not cancelled)."""
    if not planned:
        return
    first = min(item[1] for item in planned)
    last = max(item[1] for item in planned)
    locations = {item[0] for item in planned}
    existing = {
        (location_id, starts, ends)
        for location_id, starts, ends in session.execute(
            select(col(Shift.location_id), col(Shift.starts_at), col(Shift.ends_at)).where(
                col(Shift.location_id).in_(locations),
                col(Shift.starts_at) >= first,
                col(Shift.starts_at) <= last,
                col(Shift.cancelled).is_(False),
            )
        )
    }
    for item in planned:
        if item in existing:
            loc = session.get(Location, item[0])
            name = loc.name if loc else "that location"
            raise ValidationError(
                "slots",
                f"A shift at {name} starting {item[1].astimezone(zone):%Y-%m-%d %H:%M} already exists: "
                "edit it instead of creating it again.",
            )


def create_shift(session: Session, form: ShiftForm, zone: ZoneInfo, *, by: str) -> uuid.UUID:
    """Plan a one-off shift and return its id."""
    require_full_access(session, "planning shifts")
    _plannable_location(session, form.location_id)
    _check_day("day", form.day)
    _check_slot(form.start, form.end)
    _check_counts(form.min_headcount, form.max_headcount)
    roles = clean_roles(form.roles_needed)
    starts, ends = local_span(form.day, form.start, form.end, zone)
    _refuse_duplicates(session, [(form.location_id, starts, ends)], zone)
    shift = Shift(
        location_id=form.location_id,
        starts_at=starts,
        ends_at=ends,
        min_headcount=form.min_headcount,
        max_headcount=form.max_headcount,
        captain_needed=form.captain_needed,
        roles_needed=list(roles),
        notes=form.notes.strip(),
    )
    session.add(shift)
    session.flush()
    return shift.id


def create_series(session: Session, form: SeriesForm, zone: ZoneInfo, *, by: str) -> SeriesCreated:
    """Plan every shift of a recurring series (all or nothing); its shifts share a new ``series_id``."""
    require_full_access(session, "planning shifts")
    if not form.location_ids:
        raise ValidationError("location_ids", "Choose at least one location for the series.")
    for location_id in dict.fromkeys(form.location_ids):
        _plannable_location(session, location_id)
    planned = expand_series(form, zone)
    roles = list(clean_roles(form.roles_needed))
    _refuse_duplicates(session, planned, zone)
    series_id = uuid.uuid4()
    notes = form.notes.strip()
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "location_id": location_id,
            "starts_at": starts,
            "ends_at": ends,
            "min_headcount": form.min_headcount,
            "max_headcount": form.max_headcount,
            "captain_needed": form.captain_needed,
            "roles_needed": roles,
            "series_id": series_id,
            "cancelled": False,
            "notes": notes,
            "created_at": now,
            "updated_at": now,
        }
        for location_id, starts, ends in planned
    ]
    session.execute(insert(Shift), rows)  # one executemany: thousands of rows in well under a second
    session.flush()
    return SeriesCreated(series_id=series_id, count=len(planned))


def _get_shift(session: Session, shift_id: uuid.UUID) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("That shift no longer exists.")
    return shift


def _scope_shifts(session: Session, shift: Shift, scope: Scope) -> list[Shift]:
    """The shift alone, or it and the later, not cancelled occurrences of its series."""
    if scope not in ("one", "following"):
        raise ValidationError("scope", "Choose 'one' (this shift) or 'following' (this and later ones).")
    if scope == "one" or shift.series_id is None:
        return [shift]
    later = session.execute(
        select(Shift)
        .where(
            col(Shift.series_id) == shift.series_id,
            col(Shift.starts_at) >= shift.starts_at,
            col(Shift.cancelled).is_(False),
            col(Shift.id) != shift.id,
        )
        .order_by(col(Shift.starts_at))
    ).scalars()
    return [shift, *later]


def update_shift(
    session: Session, shift_id: uuid.UUID, changes: ShiftChanges, *, scope: Scope, zone: ZoneInfo, by: str
) -> int:
    """Change one shift, or it and the later shifts of its series; return how many changed.

    New start/end times are local wall-clock times applied on each shift's own local day.
    """
    require_full_access(session, "planning shifts")
    shift = _get_shift(session, shift_id)
    if shift.cancelled:
        raise ValidationError("shift", "This shift is cancelled: it cannot be edited.")
    targets = _scope_shifts(session, shift, scope)
    roles = clean_roles(changes.roles_needed) if changes.roles_needed is not None else None
    planned: list[tuple[Shift, datetime, datetime]] = []
    for target in targets:
        low = target.min_headcount if changes.min_headcount is None else changes.min_headcount
        high = target.max_headcount if changes.max_headcount is None else changes.max_headcount
        _check_counts(low, high)
        starts, ends = target.starts_at, target.ends_at
        if changes.start is not None or changes.end is not None:
            local_start = starts.astimezone(zone)
            start = changes.start if changes.start is not None else local_start.time().replace(tzinfo=None)
            end = (
                changes.end if changes.end is not None else ends.astimezone(zone).time().replace(tzinfo=None)
            )
            _check_slot(start, end)
            starts, ends = local_span(local_start.date(), start, end, zone)
        planned.append((target, starts, ends))
    fields_changed = any(
        value is not None
        for value in (
            changes.start,
            changes.end,
            changes.min_headcount,
            changes.max_headcount,
            changes.captain_needed,
            changes.roles_needed,
            changes.notes,
        )
    )
    if not fields_changed:
        return 0
    now = utcnow()
    for target, starts, ends in planned:
        target.starts_at, target.ends_at = starts, ends
        if changes.min_headcount is not None:
            target.min_headcount = changes.min_headcount
        if changes.max_headcount is not None:
            target.max_headcount = changes.max_headcount
        if changes.captain_needed is not None:
            target.captain_needed = changes.captain_needed
        if roles is not None:
            target.roles_needed = list(roles)
        if changes.notes is not None:
            target.notes = changes.notes.strip()
        target.updated_at = now
        session.add(target)
    session.flush()
    return len(planned)


def affected_by_cancel(session: Session, shift_id: uuid.UUID, *, scope: Scope) -> list[Affected]:
    """Who is assigned to the shifts a cancel would hit, by start time then name."""
    shift = _get_shift(session, shift_id)
    if shift.cancelled:
        return []
    if scope not in ("one", "following"):
        raise ValidationError("scope", "Choose 'one' (this shift) or 'following' (this and later ones).")
    rows = session.execute(
        select(
            col(Member.id),
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
            col(Location.name),
            col(Shift.starts_at),
        )
        .join(Assignment, col(Assignment.member_id) == col(Member.id))
        .join(Shift, col(Shift.id) == col(Assignment.shift_id))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(_scope_condition(shift, scope), col(Assignment.status) == AssignmentStatus.ASSIGNED)
    )
    affected = [
        Affected(member_id=mid, name=display_name(first, last, preferred), location=loc, starts_at=starts)
        for mid, first, last, preferred, loc, starts in rows
    ]
    affected.sort(key=lambda a: (a.starts_at, a.name.casefold()))
    return affected


def shifts_in_scope(session: Session, shift_id: uuid.UUID, *, scope: Scope) -> list[uuid.UUID]:
    """The ids an edit or cancel with ``scope`` would touch; refused for a cancelled shift."""
    shift = _get_shift(session, shift_id)
    if shift.cancelled:
        raise ValidationError("shift", "This shift is already cancelled.")
    return [target.id for target in _scope_shifts(session, shift, scope)]


def _scope_condition(shift: Shift, scope: Scope) -> Any:
    """SQL condition on ``Shift``: the shift, or it and the later not cancelled ones of its series."""
    if scope == "one" or shift.series_id is None:
        return col(Shift.id) == shift.id
    return and_(
        col(Shift.series_id) == shift.series_id,
        col(Shift.starts_at) >= shift.starts_at,
        col(Shift.cancelled).is_(False),
    )


def cancel_shift(
    session: Session, shift_id: uuid.UUID, *, scope: Scope, by: str, zone: ZoneInfo | None = None
) -> int:
    """Cancel a shift (or it and the later ones of its series); their assignments become cancelled.

    Refused for a shift that is already cancelled, and for shifts someone has signed in to
    (their hours must not disappear). Returns the number of shifts cancelled. ``zone``
    only formats times in messages.
    """
    require_full_access(session, "planning shifts")
    shift = _get_shift(session, shift_id)
    if shift.cancelled:
        raise ValidationError("shift", "This shift is already cancelled.")
    if scope not in ("one", "following"):
        raise ValidationError("scope", "Choose 'one' (this shift) or 'following' (this and later ones).")
    targets = select(col(Shift.id)).where(_scope_condition(shift, scope))
    signed = session.execute(
        select(col(Shift.starts_at))
        .join(CheckIn, col(CheckIn.shift_id) == col(Shift.id))
        .where(col(Shift.id).in_(targets), live_check_in())
        .order_by(col(Shift.starts_at))
        .limit(1)
    ).scalar()
    if signed is not None:
        shown = f"{signed.astimezone(zone):%Y-%m-%d %H:%M}" if zone else f"{signed:%Y-%m-%d %H:%M} UTC"
        raise ValidationError(
            "shift",
            f"People have signed in to the shift starting {shown}: it cannot be cancelled "
            "(void the sign-ins first, or cancel from a later shift).",
        )
    now = utcnow()
    # assignments first: the shift condition stops matching once the shifts are cancelled
    session.execute(
        update(Assignment)
        .where(col(Assignment.shift_id).in_(targets), col(Assignment.status) == AssignmentStatus.ASSIGNED)
        .values(status=AssignmentStatus.CANCELLED, updated_at=now),
        execution_options={"synchronize_session": False},
    )
    result = session.execute(
        update(Shift).where(_scope_condition(shift, scope)).values(cancelled=True, updated_at=now),
        execution_options={"synchronize_session": False},
    )
    session.expire_all()  # loaded rows are stale after the bulk updates
    return int(result.rowcount)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- finding and listing

#: How many characters of a shift id are shown (and the fewest accepted when typed).
SHORT_ID, MIN_ID = 8, 6


def short_id(shift_id: uuid.UUID) -> str:
    """The first characters of a shift id, as shown in lists and accepted by :func:`find_shift`."""
    return shift_id.hex[:SHORT_ID]


def find_shift(session: Session, text: str) -> uuid.UUID:
    """The shift whose id is ``text`` or starts with it (at least 6 hex digits); ``NotFound`` otherwise."""
    wanted = text.strip().lower().replace("-", "")
    if len(wanted) < MIN_ID or any(ch not in "0123456789abcdef" for ch in wanted):
        raise NotFound(f"{text!r} is not a shift id: copy the ID column of 'strikeboard shifts list'.")
    if len(wanted) == 32:
        shift = session.get(Shift, uuid.UUID(wanted))
        if shift is None:
            raise NotFound(f"No shift has the id {text!r}.")
        return shift.id
    found = (
        session.execute(select(col(Shift.id)).where(cast(col(Shift.id), String).like(f"{wanted}%")).limit(2))
        .scalars()
        .all()
    )
    if not found:
        raise NotFound(f"No shift has an id starting {text!r}.")
    if len(found) > 1:
        raise NotFound(f"Several shifts have ids starting {text!r}: give more of the id.")
    return found[0]


@dataclass(frozen=True)
class PlannedShift:
    """A shift in a plan listing, with how full it is."""

    id: uuid.UUID
    series_id: uuid.UUID | None
    location: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    min_headcount: int
    max_headcount: int
    captain_needed: bool
    roles_needed: tuple[str, ...]
    notes: str
    cancelled: bool
    assigned: int  # assignments with status "assigned"
    captain_assigned: bool


def list_planned(
    session: Session,
    first_day: date,
    last_day: date,
    zone: ZoneInfo,
    *,
    location_id: uuid.UUID | None = None,
    include_cancelled: bool = True,
) -> list[PlannedShift]:
    """Shifts starting on the local days ``first_day`` to ``last_day``, by start then location."""
    if last_day < first_day:
        raise ValidationError("to", f"The end date ({last_day}) is before the start date ({first_day}).")
    start, _ = local_day_bounds(first_day, zone)
    _, end = local_day_bounds(last_day, zone)
    query = (
        select(Shift, col(Location.name))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(col(Shift.starts_at) >= start, col(Shift.starts_at) < end)
        .order_by(col(Shift.starts_at), col(Location.name))
    )
    if location_id is not None:
        query = query.where(col(Shift.location_id) == location_id)
    if not include_cancelled:
        query = query.where(col(Shift.cancelled).is_(False))
    rows = session.execute(query).all()
    ids = [shift.id for shift, _ in rows]
    counts: dict[uuid.UUID, int] = {}
    captains: set[uuid.UUID] = set()
    if ids:
        for shift_id, role, count in session.execute(
            select(col(Assignment.shift_id), col(Assignment.role), func.count())
            .where(col(Assignment.shift_id).in_(ids), col(Assignment.status) == AssignmentStatus.ASSIGNED)
            .group_by(col(Assignment.shift_id), col(Assignment.role))
        ):
            counts[shift_id] = counts.get(shift_id, 0) + int(count)
            if role == CAPTAIN:
                captains.add(shift_id)
    return [
        PlannedShift(
            id=shift.id,
            series_id=shift.series_id,
            location=name,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            min_headcount=shift.min_headcount,
            max_headcount=shift.max_headcount,
            captain_needed=shift.captain_needed,
            roles_needed=tuple(shift.roles_needed),
            notes=shift.notes,
            cancelled=shift.cancelled,
            assigned=counts.get(shift.id, 0),
            captain_assigned=shift.id in captains,
        )
        for shift, name in rows
    ]
