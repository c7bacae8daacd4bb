"""Auto-fill: load the scheduling problem for a date range, preview the solver's schedule, apply it.

Nothing changes until :func:`apply_preview` is called, and then everything is written in
the caller's one transaction. Kept as they are: manual or locked assignments and
assignments with a live sign-in (the solver sees them as fixed); auto assignments the
solver keeps are left untouched, so a re-run after a dropout changes little. Only active
members are scheduled. A member who cancelled or was marked a no-show on a shift is never
put back on it. Assignments in the weeks around the range count towards caps and rest.

Availability follows :mod:`strikeboard.services.assignments`: weekly windows in local
time; a dated exception with ``available=False`` blocks the day (or its window), with
``available=True`` it replaces the day's windows (the whole day when it has no window).
"""

from __future__ import annotations

import hashlib
import json
import time as clock
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, delete, insert, select, type_coerce, update
from sqlalchemy import column as column_clause
from sqlalchemy import table as table_clause
from sqlmodel import Session, col

from strikeboard.scheduling import (
    PICKETER,
    Coverage,
    Fairness,
    Placement,
    Problem,
    ShiftNeed,
    Solution,
    Volunteer,
    refill,
    solve,
)
from strikeboard.scheduling.solver import paused_gc
from strikeboard.services.access import require_full_access
from strikeboard.services.assignments import ACCESS_NEEDS
from strikeboard.services.audit import record_bulk
from strikeboard.services.errors import ValidationError
from strikeboard.services.roster import display_name
from strikeboard.services.settings import load_settings
from strikeboard.services.shifts import live_check_in, local_day_bounds, week_start
from strikeboard.store.models import (
    Assignment,
    AssignmentSource,
    AssignmentStatus,
    Availability,
    AvailabilityException,
    AvailabilityWindow,
    CheckIn,
    Location,
    Member,
    MemberStatus,
    Role,
    Shift,
    utcnow,
)

#: The longest range one run may cover (the solver is sized for a few weeks).
MAX_DAYS = 62


@dataclass(frozen=True)
class ShiftInfo:
    """What a preview shows about a shift."""

    id: uuid.UUID
    location: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC


@dataclass(frozen=True)
class Change:
    """One assignment the schedule adds or removes."""

    kind: str  # "add" or "remove"
    shift: ShiftInfo
    member_id: uuid.UUID
    member: str
    role: str


@dataclass(frozen=True)
class EmptySlot:
    """A slot the schedule leaves empty, and why."""

    shift: ShiftInfo
    role: str
    required: bool
    reason: str


@dataclass(frozen=True)
class SchedulePreview:
    """The proposed schedule for a range: what changes and how good it is."""

    start: date
    end: date
    gates: tuple[str, ...]  # location names; empty means every active location
    time_zone: str
    shifts: int
    before: Coverage
    after: Coverage
    bound: int | None
    fairness: Fairness
    captain_filled: int
    captain_total: int
    by_location: tuple[tuple[str, Coverage], ...]
    unfilled: tuple[EmptySlot, ...]
    changes: tuple[Change, ...]
    load_seconds: float
    solve_seconds: float
    rest_hours: float = 8.0  # the minimum rest between two shifts of one person used

    @property
    def added(self) -> int:
        """Assignments the schedule adds."""
        return sum(1 for c in self.changes if c.kind == "add")

    @property
    def removed(self) -> int:
        """Assignments the schedule removes."""
        return sum(1 for c in self.changes if c.kind == "remove")


@dataclass(frozen=True)
class Loaded:
    """The problem plus what is needed to turn the solution back into rows and names."""

    problem: Problem
    start: date
    end: date
    gates: tuple[str, ...]
    time_zone: str
    shifts: dict[str, ShiftInfo]
    names: dict[str, tuple[str, str, str]]  # member key → (first, last, preferred) for display_name
    locations: dict[str, str]  # location id → name


def _raw(attribute: Any) -> Any:
    """``attribute``'s column read as stored, without the per-value conversion of its type.

    On SQLite a UUID comes back as its 32 hex digits and a JSON list as its text; other
    backends may still hand over ``uuid.UUID`` and lists (see :func:`_hex`, :class:`_JsonLists`).
    """
    return type_coerce(col(attribute), String)


def _hex(value: Any) -> str:
    """A UUID as 32 lowercase hex digits, the key the scheduler uses for members and shifts."""
    if isinstance(value, uuid.UUID):
        return value.hex
    text = str(value)
    return text if len(text) == 32 else uuid.UUID(text).hex


class _JsonLists:
    """Stored JSON lists as frozensets of strings, each distinct text decoded once."""

    def __init__(self) -> None:
        self._seen: dict[str, frozenset[str]] = {}

    def frozen(self, value: Any) -> frozenset[str]:
        """``value`` (JSON text, a list or None) as a frozenset of strings."""
        if value is None:
            return frozenset()
        if not isinstance(value, str):
            return frozenset(str(item) for item in value)
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = frozenset(json.loads(value))
        return found


def check_range(start: date, end: date) -> None:
    """Refuse an empty or over-long range, naming the field and the fix."""
    if end < start:
        raise ValidationError("to", "The end date is before the start date: give a --to on or after --from.")
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError("to", f"The range is longer than {MAX_DAYS} days: schedule it in parts.")


def _minutes(moment: datetime, origin: datetime) -> int:
    return int((moment - origin).total_seconds() // 60)


def _local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """Local wall-clock ``minute`` after midnight of ``day`` (may pass midnight), in UTC."""
    extra, minute = divmod(minute, 24 * 60)
    wall = datetime.combine(day + timedelta(days=extra), time(minute // 60, minute % 60), zone)
    return wall.astimezone(UTC)


def _windows(
    day: date,
    weekly: dict[int, list[tuple[int, int]]],
    exceptions: list[tuple[bool, int | None, int | None]],
) -> list[tuple[int, int]]:
    """The member's local (start, end) minutes on ``day``: weekly windows, exceptions applied."""
    spans = weekly.get(day.weekday(), [])
    for available, cut_a, cut_b in exceptions:
        has_window = cut_a is not None and cut_b is not None
        if available:
            spans = [(cut_a or 0, cut_b or 0)] if has_window else [(0, 24 * 60)]
        elif not has_window:
            spans = []
        else:
            kept: list[tuple[int, int]] = []
            for a, b in spans:
                if a < (cut_a or 0):
                    kept.append((a, min(b, cut_a or 0)))
                if b > (cut_b or 0):
                    kept.append((max(a, cut_b or 0), b))
            spans = kept
    return [(a, b) for a, b in spans if b > a]


def find_locations(session: Session, names: Sequence[str]) -> list[uuid.UUID]:
    """The ids of active locations named ``names`` (any case) or given by id."""
    rows = list(session.execute(select(col(Location.id), col(Location.name)).where(col(Location.active))))
    found: list[uuid.UUID] = []
    for text in names:
        wanted = text.strip().casefold()
        match = [row.id for row in rows if row.name.casefold() == wanted or str(row.id) == wanted]
        if not match:
            known = ", ".join(sorted(row.name for row in rows)) or "none yet"
            raise ValidationError(
                "location", f"No active location is called {text!r}: choose one of {known}."
            )
        found.append(match[0])
    return found


def _gate_rows(session: Session, gates: Sequence[uuid.UUID] | None) -> list[Location]:
    rows = list(session.scalars(select(Location).where(col(Location.active))))
    if not gates:
        return rows
    wanted = set(gates)
    chosen = [row for row in rows if row.id in wanted]
    if len(chosen) != len(wanted):
        raise ValidationError("location", "A chosen location does not exist or is not active: pick another.")
    return chosen


def load_problem(
    session: Session,
    start: date,
    end: date,
    gates: Sequence[uuid.UUID] | None = None,
    *,
    rest_hours: float | None = None,
    seed: int = 0,
) -> Loaded:
    """Build the solver's problem for local days ``start``..``end`` at ``gates`` (default all).

    ``rest_hours`` overrides the ``scheduling.min_rest_hours`` setting.
    """
    require_full_access(session, "the scheduler")
    with paused_gc():
        return _load_problem(session, start, end, gates, rest_hours, seed)


def _load_problem(
    session: Session,
    start: date,
    end: date,
    gates: Sequence[uuid.UUID] | None,
    rest_hours: float | None,
    seed: int,
) -> Loaded:
    check_range(start, end)
    settings = load_settings(session)
    zone = settings.zone
    if rest_hours is None:
        rest_hours = settings.scheduling.min_rest_hours
    origin = local_day_bounds(start, zone)[0]
    chosen = _gate_rows(session, gates)
    chosen_ids = {row.id for row in chosen}
    all_locations = {row.id: row for row in session.scalars(select(Location))}
    range_a = origin
    range_b = local_day_bounds(end, zone)[1]
    first_monday = week_start(start)
    # the weeks around the range, plus a day for rest across the edges
    context_a = local_day_bounds(first_monday - timedelta(days=1), zone)[0]
    context_b = local_day_bounds(week_start(end) + timedelta(days=7), zone)[1]

    shift_rows = session.execute(
        select(
            col(Shift.id),
            col(Shift.location_id),
            col(Shift.starts_at),
            col(Shift.ends_at),
            col(Shift.min_headcount),
            col(Shift.max_headcount),
            col(Shift.captain_needed),
            col(Shift.roles_needed),
        ).where(col(Shift.starts_at) < context_b, col(Shift.ends_at) > context_a, ~col(Shift.cancelled))
    ).all()
    open_ids = {
        row.id
        for row in shift_rows
        if row.location_id in chosen_ids
        and range_a <= row.starts_at < range_b
        and row.ends_at > row.starts_at
    }
    open_keys = {row.id.hex for row in shift_rows if row.id in open_ids}
    conn = session.connection()  # Core rows for the big selects: no ORM result machinery
    assignments: list[Any] = []
    shift_keys = [row.id for row in shift_rows]
    for chunk in range(0, len(shift_keys), 500):
        assignments += conn.execute(
            select(
                _raw(Assignment.shift_id),
                _raw(Assignment.member_id),
                col(Assignment.role),
                col(Assignment.source),
                col(Assignment.locked),
                col(Assignment.status),
            ).where(col(Assignment.shift_id).in_(shift_keys[chunk : chunk + 500]))
        ).all()
    used = {_hex(row[0]) for row in assignments if row[5] == AssignmentStatus.ASSIGNED}
    signed = {
        (shift_id.hex, member_id.hex)
        for shift_id, member_id in session.execute(
            select(col(CheckIn.shift_id), col(CheckIn.member_id)).where(
                col(CheckIn.shift_id).in_(list(open_ids)), live_check_in()
            )
        )
    }

    infos: dict[str, ShiftInfo] = {}
    needs: list[ShiftNeed] = []
    for row in sorted(shift_rows, key=lambda r: (r.starts_at, str(r.id))):
        key = row.id.hex
        is_open = key in open_keys
        if not is_open and key not in used:
            continue
        local = row.starts_at.astimezone(zone).date()
        location = all_locations.get(row.location_id)
        infos[key] = ShiftInfo(row.id, location.name if location else "?", row.starts_at, row.ends_at)
        needs.append(
            ShiftNeed(
                key=key,
                location=str(row.location_id),
                start=_minutes(row.starts_at, origin),
                end=_minutes(row.ends_at, origin),
                day=(local - start).days,
                week=(week_start(local) - first_monday).days // 7,
                min_headcount=row.min_headcount,
                max_headcount=max(row.max_headcount, row.min_headcount),
                captain_needed=row.captain_needed,
                roles_needed=tuple(str(r) for r in row.roles_needed),
                open=is_open,
            )
        )

    fixed: list[Placement] = []
    current: list[Placement] = []
    blocked: set[tuple[str, str]] = set()
    for raw_shift, raw_member, role, source, locked, status in assignments:
        pair = (_hex(raw_shift), _hex(raw_member))
        if status != AssignmentStatus.ASSIGNED:
            blocked.add(pair)
            continue
        placement = Placement(pair[0], pair[1], role or PICKETER)
        if pair[0] in open_keys and source == AssignmentSource.AUTO and not locked and pair not in signed:
            current.append(placement)
        else:
            fixed.append(placement)

    weekly: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for member_id, weekday, start_minute, end_minute in conn.execute(
        select(
            _raw(AvailabilityWindow.member_id),
            col(AvailabilityWindow.weekday),
            col(AvailabilityWindow.start_minute),
            col(AvailabilityWindow.end_minute),
        )
    ).all():
        weekly[_hex(member_id)][weekday].append((start_minute, end_minute))
    dated: dict[tuple[str, date], list[tuple[bool, int | None, int | None]]] = defaultdict(list)
    for member_id, on_date, available, start_minute, end_minute in session.execute(
        select(
            col(AvailabilityException.member_id),
            col(AvailabilityException.on_date),
            col(AvailabilityException.available),
            col(AvailabilityException.start_minute),
            col(AvailabilityException.end_minute),
        ).where(
            col(AvailabilityException.on_date) >= start - timedelta(days=1),
            col(AvailabilityException.on_date) <= end,
        )
    ):
        dated[(member_id.hex, on_date)].append((available, start_minute, end_minute))
    with_dates = {member_id for member_id, _ in dated}
    lists = _JsonLists()
    limits = {
        _hex(member_id): (per_week, hours, per_day, lists.frozen(preferred), lists.frozen(excluded))
        for member_id, per_week, hours, per_day, preferred, excluded in conn.execute(
            select(
                _raw(Availability.member_id),
                col(Availability.max_shifts_per_week),
                col(Availability.max_hours_per_week),
                col(Availability.max_shifts_per_day),
                _raw(Availability.preferred_location_ids),
                _raw(Availability.excluded_location_ids),
            )
        ).all()
    }
    members = conn.execute(
        select(
            _raw(Member.id),
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
            col(Member.role),
            _raw(Member.skills),
            *(getattr(Member, need) for need, _, _ in ACCESS_NEEDS),
        ).where(col(Member.status) == MemberStatus.ACTIVE)
    ).all()
    names: dict[str, tuple[str, str, str]] = {}

    days = [start + timedelta(days=k) for k in range(-1, (end - start).days + 1)]
    instants: dict[tuple[date, int, int], tuple[int, int]] = {}
    volunteers: list[Volunteer] = []
    gate_offers = [
        (str(loc.id), {offer for _, offer, _ in ACCESS_NEEDS if getattr(loc, offer)}) for loc in chosen
    ]
    by_pattern: dict[tuple[tuple[int, int, int], ...], tuple[tuple[int, int], ...]] = {}
    by_access: dict[tuple[frozenset[str], tuple[str, ...]], frozenset[str] | None] = {}
    no_limit = (None, None, None, frozenset[str](), frozenset[str]())
    for m in members:
        key = _hex(m[0])
        names[key] = (m.first_name, m.last_name, m.preferred_name)
        if key not in weekly and key not in with_dates:
            continue
        mine = weekly.get(key, {})
        # most members share a weekly pattern and have no dated exception: work it out once
        pattern = tuple(sorted((wd, a, b) for wd, spans_of_day in mine.items() for a, b in spans_of_day))
        spans = by_pattern.get(pattern) if key not in with_dates else None
        if spans is None:
            found: list[tuple[int, int]] = []
            for day in days:
                for low, high in _windows(day, mine, dated.get((key, day), [])):
                    span = instants.get((day, low, high))
                    if span is None:
                        span = instants[(day, low, high)] = (
                            _minutes(_local_instant(day, low, zone), origin),
                            _minutes(_local_instant(day, high, zone), origin),
                        )
                    found.append(span)
            spans = tuple(found)
            if key not in with_dates:
                by_pattern[pattern] = spans
        if not spans:
            continue
        per_week, hours, per_day, preferred, excluded = limits.get(key, no_limit)
        needs_of = tuple(offer for need, offer, _ in ACCESS_NEEDS if getattr(m, need))
        access = (excluded, needs_of)
        if access not in by_access:
            by_access[access] = (
                frozenset(g for g, offers in gate_offers if g not in excluded and offers.issuperset(needs_of))
                if excluded or needs_of
                else None
            )
        volunteers.append(
            Volunteer(
                key=key,
                windows=spans,
                locations=by_access[access],
                preferred=preferred,
                captain=m.role == Role.CAPTAIN,
                skills=lists.frozen(m.skills),
                max_shifts_per_day=per_day,
                max_shifts_per_week=per_week,
                max_hours_per_week=hours,
            )
        )
    problem = Problem(
        volunteers=tuple(volunteers),
        shifts=tuple(needs),
        fixed=tuple(fixed),
        current=tuple(current),
        rest_minutes=round(rest_hours * 60),
        seed=seed,
        blocked=frozenset(blocked),
    )
    gate_names = tuple(sorted(loc.name for loc in chosen)) if gates else ()
    # people on assignments who are no longer active still need a name in the preview
    missing = {uuid.UUID(p.volunteer) for p in (*fixed, *current) if p.volunteer not in names}
    if missing:
        for row in session.execute(
            select(
                col(Member.id), col(Member.first_name), col(Member.last_name), col(Member.preferred_name)
            ).where(col(Member.id).in_(list(missing)))
        ):
            names[row.id.hex] = (row.first_name, row.last_name, row.preferred_name)
    location_names = {str(key): row.name for key, row in all_locations.items()}
    return Loaded(problem, start, end, gate_names, str(zone), infos, names, location_names)


def build_preview(
    loaded: Loaded, solution: Solution, load_seconds: float, solve_seconds: float
) -> SchedulePreview:
    """The preview of ``solution`` in the terms an organizer reads (names, gates, times)."""
    info = loaded.shifts

    def name(key: str) -> str:
        parts = loaded.names.get(key)
        return display_name(*parts) if parts else "?"

    changes = [
        Change("remove", info[p.shift], uuid.UUID(p.volunteer), name(p.volunteer), p.role)
        for p in solution.removed
    ] + [
        Change("add", info[p.shift], uuid.UUID(p.volunteer), name(p.volunteer), p.role)
        for p in solution.added
    ]
    changes.sort(key=lambda c: (c.shift.starts_at, c.shift.location, c.member, c.kind))
    unfilled = sorted(
        (EmptySlot(info[u.shift], u.role, u.required, u.reason) for u in solution.unfilled),
        key=lambda e: (not e.required, e.shift.starts_at, e.shift.location, e.role),
    )
    return SchedulePreview(
        start=loaded.start,
        end=loaded.end,
        gates=loaded.gates,
        time_zone=loaded.time_zone,
        shifts=sum(1 for need in loaded.problem.shifts if need.open),
        before=solution.before,
        after=solution.after,
        bound=solution.bound,
        fairness=solution.fairness,
        captain_filled=solution.captain_filled,
        captain_total=solution.captain_total,
        by_location=tuple(
            sorted((loaded.locations.get(loc, "?"), cov) for loc, cov in solution.by_location.items())
        ),
        unfilled=tuple(unfilled),
        changes=tuple(changes),
        load_seconds=load_seconds,
        solve_seconds=solve_seconds,
        rest_hours=loaded.problem.rest_minutes / 60,
    )


def preview_schedule(
    session: Session,
    start: date,
    end: date,
    gates: Sequence[uuid.UUID] | None = None,
    *,
    rest_hours: float | None = None,
    seed: int = 0,
    holes_only: bool = False,
) -> SchedulePreview:
    """The schedule the solver proposes for the range; writes nothing.

    The minimum rest is the ``scheduling.min_rest_hours`` setting unless ``rest_hours`` is given.
    With ``holes_only`` (after a dropout) every assignment that still obeys the rules stays
    and only the slots left empty are filled (:func:`strikeboard.scheduling.refill`).
    """
    require_full_access(session, "the scheduler")
    began = clock.perf_counter()
    loaded = load_problem(session, start, end, gates, rest_hours=rest_hours, seed=seed)
    loaded_at = clock.perf_counter()
    solution = (refill if holes_only else solve)(loaded.problem)
    solved_at = clock.perf_counter()
    return build_preview(loaded, solution, loaded_at - began, solved_at - loaded_at)


#: What the stale check reads of each assignment already on a changed (shift, member).
_CHECKED_COLUMNS = ("id", "shift_id", "member_id", "role", "source", "locked", "status")


def _insert_assignments(session: Session, rows: list[dict[str, Any]], same: dict[str, Any]) -> None:
    """Insert ``rows`` (each also gets the values in ``same``) with one Core statement.

    Each column's own conversion (UUID, instant, boolean) is applied here, once per row for
    the values that differ and once in all for ``same``; the statement then goes through a
    plain table clause, so SQLAlchemy does not convert every value again row by row.
    """
    table = Assignment.metadata.tables["assignment"]
    dialect = session.connection().dialect

    def binder(name: str) -> Any:
        return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)

    shared = {}
    for name, value in same.items():
        process = binder(name)
        shared[name] = process(value) if process else value
    processes = [(name, binder(name)) for name in rows[0]]
    ready = []
    for row in rows:
        values = dict(shared)
        for name, process in processes:
            values[name] = process(row[name]) if process else row[name]
        ready.append(values)
    plain = table_clause(table.name, *(column_clause(name) for name in ready[0]))
    session.execute(insert(plain), ready)


def _digest(changes: Sequence[Change]) -> str:
    """SHA-256 of the changes (sorted), so the one audit event pins down exactly what was written."""
    lines = sorted(f"{c.kind} {c.shift.id.hex} {c.member_id.hex} {c.role}" for c in changes)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def apply_preview(session: Session, preview: SchedulePreview) -> int:
    """Write ``preview``'s changes in the caller's transaction; return how many rows changed.

    Refuses (before writing anything) when the assignments changed since the preview was
    made: a removed auto assignment is gone or was edited, or an added one now exists.
    Rows are written in bulk with Core statements, and the run is recorded as ONE audit
    event (what="assignment", action "bulk": counts, range and a digest of the changes),
    as bulk imports are.
    """
    require_full_access(session, "the scheduler")
    with paused_gc():
        return _apply(session, preview)


def _apply(session: Session, preview: SchedulePreview) -> int:
    removes = [c for c in preview.changes if c.kind == "remove"]
    adds = [c for c in preview.changes if c.kind == "add"]
    pairs = {(c.shift.id, c.member_id) for c in preview.changes}
    rows: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = {}
    columns = [getattr(Assignment, name) for name in _CHECKED_COLUMNS]
    shift_ids = sorted({s for s, _ in pairs})
    for chunk in range(0, len(shift_ids), 500):
        part = shift_ids[chunk : chunk + 500]
        for row in session.execute(select(*columns).where(col(Assignment.shift_id).in_(part))):
            if (row.shift_id, row.member_id) in pairs:
                rows[(row.shift_id, row.member_id)] = dict(row._mapping)
    stale = ValidationError(
        "schedule", "The assignments changed since this preview was made: run the auto-fill preview again."
    )
    for c in removes:
        found = rows.get((c.shift.id, c.member_id))
        if (
            found is None
            or found["source"] != AssignmentSource.AUTO
            or found["locked"]
            or found["status"] != AssignmentStatus.ASSIGNED
        ):
            raise stale
    removing = {(c.shift.id, c.member_id) for c in removes}
    for c in adds:
        if (c.shift.id, c.member_id) in rows and (c.shift.id, c.member_id) not in removing:
            raise stale
    now = utcnow()
    re_roled = {(c.shift.id, c.member_id): c.role for c in adds if (c.shift.id, c.member_id) in removing}
    for key, role in re_roled.items():
        session.execute(
            update(Assignment).where(col(Assignment.id) == rows[key]["id"]).values(role=role, updated_at=now)
        )
    gone = [rows[key]["id"] for key in ((c.shift.id, c.member_id) for c in removes) if key not in re_roled]
    for chunk in range(0, len(gone), 500):
        session.execute(delete(Assignment).where(col(Assignment.id).in_(gone[chunk : chunk + 500])))
    new_rows = [
        {"id": uuid.uuid4(), "shift_id": c.shift.id, "member_id": c.member_id, "role": c.role}
        for c in adds
        if (c.shift.id, c.member_id) not in re_roled
    ]
    if new_rows:
        same = {
            "source": AssignmentSource.AUTO.value,
            "locked": False,
            "status": AssignmentStatus.ASSIGNED.value,
            "created_at": now,
            "updated_at": now,
        }
        _insert_assignments(session, new_rows, same)
    summary = {
        "source": "auto-fill",
        "from": preview.start.isoformat(),
        "to": preview.end.isoformat(),
        "locations": list(preview.gates),
        "inserted": len(new_rows),
        "updated": len(re_roled),
        "deleted": len(gone),
        "changes_sha256": _digest(preview.changes),
    }
    record_bulk(session, actor=str(session.info.get("actor", "")), what="assignment", summary=summary)
    return len(gone) + len(new_rows) + len(re_roled)


def _coverage_json(cov: Coverage) -> dict[str, int]:
    return {
        "required_filled": cov.required_filled,
        "required_total": cov.required_total,
        "filled": cov.filled,
        "total": cov.total,
    }


def preview_as_json(preview: SchedulePreview, *, applied: bool) -> dict[str, Any]:
    """The preview as plain JSON data, for scripts (``strikeboard schedule --json``)."""
    f = preview.fairness

    def shift(info: ShiftInfo) -> dict[str, str]:
        return {
            "id": str(info.id),
            "location": info.location,
            "starts_at": info.starts_at.isoformat(),
            "ends_at": info.ends_at.isoformat(),
        }

    return {
        "from": preview.start.isoformat(),
        "to": preview.end.isoformat(),
        "locations": list(preview.gates),
        "applied": applied,
        "shifts": preview.shifts,
        "rest_hours": preview.rest_hours,
        "before": _coverage_json(preview.before),
        "after": _coverage_json(preview.after),
        "upper_bound": preview.bound,
        "captains": {"filled": preview.captain_filled, "total": preview.captain_total},
        "fairness": {
            "volunteers": f.volunteers,
            "max_shifts": f.max_shifts,
            "min_shifts": f.min_shifts,
            "spread_shifts": f.spread_shifts,
            "max_hours": f.max_hours,
            "min_hours": f.min_hours,
            "spread_hours": f.spread_hours,
            "idle": f.idle,
        },
        "by_location": {name: _coverage_json(cov) for name, cov in preview.by_location},
        "unfilled": [
            {"shift": shift(u.shift), "role": u.role, "required": u.required, "reason": u.reason}
            for u in preview.unfilled
        ],
        "changes": [
            {
                "kind": c.kind,
                "shift": shift(c.shift),
                "member_id": str(c.member_id),
                "member": c.member,
                "role": c.role,
            }
            for c in preview.changes
        ],
        "seconds": {"load": round(preview.load_seconds, 3), "solve": round(preview.solve_seconds, 3)},
    }
