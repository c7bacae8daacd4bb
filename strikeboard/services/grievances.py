"""Grievances: the case list and case view, and every write (file, answer, advance, extend...).

Writes take the caller's session (inside ``store.write()``), validate everything before
touching a row (:class:`ValidationError` names the field), append a
:class:`GrievanceEvent` recording who (``actor``) and when, and keep the stored
``next_deadline``/``next_deadline_label`` current, so that the list and "due this week"
read one indexed column. The deadline rules are in :func:`_next_due`.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlmodel import Session, col
from sqlmodel import select as sql_select

from strikeboard.services.access import require_full_access
from strikeboard.services.deadlines import due_date, end_of_working_week, step_deadline, working_days_between
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.roster import display_name
from strikeboard.services.settings import StepRule, StrikeSettings, load_settings
from strikeboard.store.models import (
    Grievance,
    GrievanceEvent,
    GrievanceEventKind,
    GrievanceGrievant,
    GrievanceStatus,
    InformationRequest,
    Member,
    Role,
    utcnow,
)

#: Statuses of a grievance that is still being pursued.
OPEN_STATUSES: tuple[str, ...] = (GrievanceStatus.OPEN, GrievanceStatus.IN_ARBITRATION)

#: A deadline this many working days away (or fewer) is "due soon" (amber).
DUE_SOON_DAYS = 5


def due_soon_until(today: date, holidays: Collection[date]) -> date:
    """The last day on which a deadline still counts as due soon, seen from ``today``."""
    return due_date(today, DUE_SOON_DAYS, working_days=True, holidays=holidays)


@dataclass(frozen=True)
class GrievanceRow:
    """One open grievance as the tracker lists it."""

    id: uuid.UUID
    number: str
    is_class: bool
    grievants: tuple[str, ...]
    employer: str
    step: str
    status: str
    steward: str  # "" when no steward is assigned
    next_deadline: date | None
    next_deadline_label: str
    days_left: int | None  # calendar days from ``today`` to the deadline; negative when overdue
    articles: str = ""
    due_soon: bool = False  # deadline today or within DUE_SOON_DAYS working days

    @property
    def overdue(self) -> bool:
        """The next deadline has passed."""
        return self.days_left is not None and self.days_left < 0


def open_grievances(session: Session, today: date) -> list[GrievanceRow]:
    """Open and in-arbitration grievances, by next deadline (none last), then number."""
    require_full_access(session, "grievances")
    return _rows(session, today, [col(Grievance.status).in_(OPEN_STATUSES)])


def _rows(session: Session, today: date, conditions: Sequence[Any]) -> list[GrievanceRow]:
    """Grievances matching ``conditions``, by next deadline (none last), then number."""
    rows = session.execute(
        select(
            col(Grievance.id),
            col(Grievance.number),
            col(Grievance.is_class),
            col(Grievance.employer),
            col(Grievance.step),
            col(Grievance.status),
            col(Grievance.next_deadline),
            col(Grievance.next_deadline_label),
            col(Grievance.articles),
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
        )
        .outerjoin(Member, col(Member.id) == col(Grievance.steward_id))
        .where(*conditions)
        .order_by(col(Grievance.next_deadline).asc().nulls_last(), col(Grievance.number))
    ).all()
    ids = [row[0] for row in rows]
    grievants: dict[uuid.UUID, list[str]] = defaultdict(list)
    if ids:
        query = (
            select(
                col(GrievanceGrievant.grievance_id),
                col(Member.first_name),
                col(Member.last_name),
                col(Member.preferred_name),
            )
            .join(Member, col(Member.id) == col(GrievanceGrievant.member_id))
            .order_by(col(Member.last_name), col(Member.first_name))
        )
        if len(ids) <= 20_000:  # (SQLite allows 32,766 parameters) else read them all
            query = query.where(col(GrievanceGrievant.grievance_id).in_(ids))
        for gid, first, last, preferred in session.execute(query):
            grievants[gid].append(display_name(first, last, preferred))
    soon = due_soon_until(today, load_settings(session).holidays)
    result = []
    for (
        gid,
        number,
        is_class,
        employer,
        step,
        status,
        deadline,
        label,
        articles,
        s_first,
        s_last,
        s_pref,
    ) in rows:
        result.append(
            GrievanceRow(
                id=gid,
                number=number,
                is_class=is_class,
                grievants=tuple(grievants.get(gid, ())),
                employer=employer,
                step=step,
                status=status,
                steward=display_name(s_first, s_last or "", s_pref or "") if s_first is not None else "",
                next_deadline=deadline,
                next_deadline_label=label,
                days_left=(deadline - today).days if deadline is not None else None,
                articles=articles,
                due_soon=deadline is not None and today <= deadline <= soon,
            )
        )
    return result


# --------------------------------------------------------------------------- contract (issue 6)


@dataclass(frozen=True)
class GrievanceInput:
    """What a steward fills in to file a case."""

    incident_date: date
    summary: str
    employer: str = ""
    unit: str = ""
    articles: str = ""
    learned_date: date | None = None
    filed_date: date | None = None  # None → today
    remedy: str = ""
    steward_id: uuid.UUID | None = None
    grievant_ids: tuple[uuid.UUID, ...] = ()
    is_class: bool = False  # class/union grievance: no grievants needed
    is_discipline: bool = False  # discipline/discharge: starts at a later step


@dataclass(frozen=True)
class GrievanceEdit:
    """A case's own fields after filing, as a whole (see :func:`update_grievance`).

    Start from :meth:`of` (the case as it is) and replace what changes.
    """

    incident_date: date
    summary: str
    employer: str = ""
    unit: str = ""
    articles: str = ""
    learned_date: date | None = None
    remedy: str = ""
    steward_id: uuid.UUID | None = None
    grievant_ids: tuple[uuid.UUID, ...] = ()
    is_class: bool = False
    is_discipline: bool = False  # recorded only: the case stays at its step

    @classmethod
    def of(cls, detail: GrievanceDetail) -> GrievanceEdit:
        """The fields of ``detail`` as they are."""
        return cls(
            incident_date=detail.incident_date,
            summary=detail.summary,
            employer=detail.employer,
            unit=detail.unit,
            articles=detail.articles,
            learned_date=detail.learned_date,
            remedy=detail.remedy,
            steward_id=detail.steward_id,
            grievant_ids=tuple(member_id for member_id, _ in detail.grievants),
            is_class=detail.is_class,
            is_discipline=detail.is_discipline,
        )


@dataclass(frozen=True)
class Deadline:
    """The next deadline of a case."""

    label: str  # e.g. "Step 2 answer (employer)", "Appeal to Step 3 (union)"
    due: date
    party: str  # "union" or "employer"
    days_left: int  # calendar days from today; negative = overdue
    working_days_left: int  # working days from today (Mon–Fri minus holidays); negative = overdue


@dataclass(frozen=True)
class EventRow:
    """One entry of a case's timeline."""

    id: uuid.UUID
    kind: str
    step: str
    occurred_on: date
    deadline: date | None
    outcome: str
    agreed_by: str
    document: str
    notes: str
    recorded_by: str
    created_at: datetime


@dataclass(frozen=True)
class InfoRequestRow:
    """An information request to the employer."""

    id: uuid.UUID
    requested_on: date
    due_on: date
    received_on: date | None
    description: str
    overdue: bool


@dataclass(frozen=True)
class GrievanceDetail:
    """A case with its grievants, timeline and information requests."""

    id: uuid.UUID
    number: str
    status: str
    step: str
    is_class: bool
    is_discipline: bool
    employer: str
    unit: str
    articles: str
    incident_date: date
    learned_date: date | None
    filed_date: date | None
    summary: str
    remedy: str
    steward_id: uuid.UUID | None
    steward_name: str
    grievants: tuple[tuple[uuid.UUID, str], ...]  # (member id, display name)
    next_deadline: Deadline | None
    events: tuple[EventRow, ...]  # oldest first
    info_requests: tuple[InfoRequestRow, ...]
    next_step: str | None  # the step "advance" would move to; None at the last step
    employer_late: bool  # the employer's answer deadline passed with no answer


#: Closing statuses that :func:`close` accepts.
CLOSING_STATUSES: tuple[str, ...] = (
    GrievanceStatus.SETTLED,
    GrievanceStatus.WITHDRAWN,
    GrievanceStatus.WON,
    GrievanceStatus.LOST,
)
#: Outcomes of an employer's answer.
ANSWER_OUTCOMES: tuple[str, ...] = ("granted", "denied", "partial")
#: Where a discipline/discharge case starts when the contract has this step (else the step
#: before the last); other cases are filed at the first step after "Informal".
DISCIPLINE_STEP = "Step 3"
_NUMBER = re.compile(r"^G-(\d{4})-(\d{4,})$")


@dataclass(frozen=True)
class _Due:
    due: date
    label: str
    party: str


class _Rules:
    """The contract's steps and holidays, as the deadline engine needs them."""

    def __init__(self, settings: StrikeSettings) -> None:
        self.steps = settings.grievance_steps
        self.holidays = frozenset(settings.holidays)
        self.filing_counts_from = settings.filing_counts_from

    def index(self, name: str) -> int | None:
        for i, rule in enumerate(self.steps):
            if rule.name == name:
                return i
        return None

    def start(self, is_discipline: bool) -> int:
        names = [rule.name for rule in self.steps]
        if is_discipline:
            return names.index(DISCIPLINE_STEP) if DISCIPLINE_STEP in names else max(0, len(names) - 2)
        for i, name in enumerate(names):
            if name.casefold() != "informal":
                return i
        return 0

    def limit(self, start: date, days: int, step: int) -> date:
        return step_deadline(start, days, working_days=self.steps[step].working_days, holidays=self.holidays)

    def answer_due(self, start: date, step: int) -> _Due:
        rule = self.steps[step]
        return _Due(self.limit(start, rule.employer_days, step), f"{rule.name} answer (employer)", "employer")

    def appeal_due(self, start: date, answered_step: int) -> _Due | None:
        nxt = answered_step + 1
        if nxt >= len(self.steps):
            return None
        name = self.steps[nxt].name
        if nxt == len(self.steps) - 1 and name.casefold() == "arbitration":
            label = "Invoke arbitration"
        elif answered_step == 0 and self.steps[0].name.casefold() == "informal":
            label = f"File at {name}"
        else:
            label = f"Appeal to {name}"
        return _Due(self.limit(start, self.steps[nxt].union_days, nxt), f"{label} (union)", "union")


class CaseEvent(Protocol):
    """What the deadline engine reads of an event (a stored ``GrievanceEvent`` or a plain record)."""

    @property
    def kind(self) -> str: ...
    @property
    def step(self) -> str: ...
    @property
    def occurred_on(self) -> date: ...
    @property
    def outcome(self) -> str: ...
    @property
    def deadline(self) -> date | None: ...


def next_due(
    status: str,
    step: str,
    events: Sequence[CaseEvent],
    *,
    steps: Sequence[StepRule],
    holidays: Collection[date] = (),
) -> _Due | None:
    """The deadline (``.due``, ``.label``, ``.party``) a case in ``status`` at ``step`` faces
    after ``events`` (oldest first), under the contract's ``steps`` and ``holidays``.

    The one deadline rule, on plain values: the services store its result after every
    write and the demo generator stores it for the cases it builds (see :func:`_next_due`).
    """
    settings = StrikeSettings(grievance_steps=tuple(steps), holidays=tuple(holidays))
    return _replay(status, step, events, _Rules(settings))


def _next_due(grievance: Grievance, events: Sequence[GrievanceEvent], rules: _Rules) -> _Due | None:
    """The deadline ``grievance`` faces now, replayed from its history (see :func:`_replay`)."""
    return _replay(grievance.status, grievance.step, events, rules)


def _replay(status: str, current_step: str, events: Sequence[CaseEvent], rules: _Rules) -> _Due | None:
    """The deadline a case faces now, replayed from its history (oldest event first).

    Filing/advancing starts the employer's answer clock (a meeting restarts it from the
    meeting day, never earlier); an answer starts the union's appeal clock to the next step
    (none after "granted" or at the last step); an extension replaces the current deadline;
    closing clears it.
    """
    if status not in OPEN_STATUSES:
        return None
    current: _Due | None = None
    for event in events:
        step = rules.index(event.step)
        if step is None:
            step = rules.index(current_step)
        kind = event.kind
        if kind in (GrievanceEventKind.FILED, GrievanceEventKind.ADVANCED) and step is not None:
            current = rules.answer_due(event.occurred_on, step)
        elif kind == GrievanceEventKind.NOTE and step == 0 and current is None and event.deadline:
            current = rules.answer_due(event.occurred_on, 0)  # raised informally
        elif kind == GrievanceEventKind.MEETING and current is not None and current.party == "employer":
            if step is not None:
                restarted = rules.answer_due(event.occurred_on, step)
                if restarted.due > current.due:
                    current = restarted
        elif kind == GrievanceEventKind.ANSWER or (
            kind == GrievanceEventKind.NOTE and event.outcome == "no answer in time"
        ):
            if event.outcome == "granted" or step is None:
                current = None
            else:
                current = rules.appeal_due(event.occurred_on, step)
        elif kind == GrievanceEventKind.EXTENSION and event.deadline is not None:
            base = current.label.removesuffix(", extended") if current else "Extended deadline"
            current = _Due(event.deadline, f"{base}, extended", current.party if current else "union")
        elif kind == GrievanceEventKind.CLOSED:
            current = None
    return current


def _settings(session: Session) -> StrikeSettings:
    return load_settings(session)


def _events(session: Session, grievance_id: uuid.UUID) -> list[GrievanceEvent]:
    return list(
        session.exec(
            sql_select(GrievanceEvent)
            .where(GrievanceEvent.grievance_id == grievance_id)
            .order_by(col(GrievanceEvent.occurred_on), col(GrievanceEvent.created_at))
        )
    )


def _require(condition: bool, field: str, message: str) -> None:
    if not condition:
        raise ValidationError(field, message)


def _not_future(day: date, today: date, field: str, what: str) -> None:
    _require(day <= today, field, f"{what} cannot be after today ({_fmt(today)}).")


def _document(document: str) -> str:
    text = document.strip()
    _require(len(text) <= 300, "document", "Keep the document's path or name under 300 characters.")
    _require(
        "\n" not in text and "\r" not in text, "document", "Give the document's path or name on one line."
    )
    return text


def _actor(actor: str) -> str:
    _require(bool(actor.strip()), "actor", "Say who is recording this change.")
    return actor.strip()


def _action_inputs(actor: str, on: date, today: date, what: str, document: str) -> tuple[str, str]:
    """Check the parts every case action shares: who records it, its date, the document."""
    who = _actor(actor)
    _not_future(on, today, "on", what)
    return who, _document(document)


def _open_case(session: Session, grievance_id: uuid.UUID) -> Grievance:
    grievance = session.get(Grievance, grievance_id)
    if grievance is None:
        raise NotFound(f"No grievance has the id {grievance_id}.")
    _require(
        grievance.status in OPEN_STATUSES,
        "status",
        f"{grievance.number} is {grievance.status.replace('_', ' ')}: a closed case takes no more actions.",
    )
    return grievance


def _started(grievance: Grievance) -> date:
    """The day from which later actions must not be earlier: the filing (or the incident)."""
    return grievance.filed_date or grievance.incident_date


def _fmt(day: date) -> str:
    return day.isoformat()


def _record(
    session: Session,
    grievance: Grievance,
    *,
    kind: str,
    on: date,
    actor: str,
    rules: _Rules,
    step: str | None = None,
    outcome: str = "",
    agreed_by: str = "",
    notes: str = "",
    document: str = "",
    deadline: date | None = None,
    set_deadline: bool = True,
) -> GrievanceEvent:
    """Append an event, then recompute and store the case's next deadline."""
    session.flush()
    event = GrievanceEvent(
        grievance_id=grievance.id,
        kind=kind,
        step=step if step is not None else grievance.step,
        occurred_on=on,
        deadline=deadline,
        outcome=outcome,
        agreed_by=agreed_by,
        document=document,
        notes=notes.strip(),
        recorded_by=actor,
        created_at=utcnow(),
    )
    events = [*_events(session, grievance.id), event]
    events.sort(key=lambda e: (e.occurred_on, e.created_at))
    due = _next_due(grievance, events, rules)
    if set_deadline and event.deadline is None and due is not None and kind != GrievanceEventKind.NOTE:
        event.deadline = due.due
    grievance.next_deadline = due.due if due else None
    grievance.next_deadline_label = due.label if due else ""
    grievance.updated_at = utcnow()
    session.add(event)
    session.add(grievance)
    session.flush()
    return event


def _next_number(session: Session, year: int) -> str:
    """The next free ``G-YYYY-NNNN`` in ``year`` (call inside the write transaction)."""
    prefix = f"G-{year}-"
    highest = session.execute(
        select(col(Grievance.number))
        .where(col(Grievance.number).like(f"{prefix}%"))
        .order_by(func.length(col(Grievance.number)).desc(), col(Grievance.number).desc())
        .limit(1)
    ).scalar()
    match = _NUMBER.match(highest or "")
    return f"{prefix}{(int(match.group(2)) if match else 0) + 1:04d}"


def _check_parties(session: Session, data: GrievanceInput | GrievanceEdit) -> tuple[uuid.UUID, ...]:
    """Check the text sizes, grievants and steward of a filed or edited case; the grievants, once each."""
    for field, value, size in (
        ("employer", data.employer, 120),
        ("unit", data.unit, 120),
        ("articles", data.articles, 200),
    ):
        _require(len(value.strip()) <= size, field, f"Keep the {field} under {size} characters.")
    grievant_ids = tuple(dict.fromkeys(data.grievant_ids))
    if not data.is_class:
        _require(
            bool(grievant_ids), "grievant_ids", "Name at least one grievant, or mark it a class grievance."
        )
    if grievant_ids:
        found = set(session.execute(select(col(Member.id)).where(col(Member.id).in_(grievant_ids))).scalars())
        missing = [str(g) for g in grievant_ids if g not in found]
        _require(not missing, "grievant_ids", f"No member has the id {', '.join(missing)}.")
    if data.steward_id is not None:
        _require(
            session.get(Member, data.steward_id) is not None,
            "steward_id",
            "The steward must be a member of the roster.",
        )
    return grievant_ids


def file_grievance(session: Session, data: GrievanceInput, *, actor: str, today: date) -> uuid.UUID:
    """File a case: validate, number it ``G-YYYY-NNNN``, record the filing, set its deadline."""
    require_full_access(session, "grievances")
    who = _actor(actor)
    summary = data.summary.strip()
    _require(bool(summary), "summary", "Describe the grievance in a summary.")
    _require(data.incident_date is not None, "incident_date", "Enter the incident date.")
    incident = data.incident_date
    _require(incident <= today, "incident_date", f"The incident date cannot be after today ({_fmt(today)}).")
    learned = data.learned_date
    if learned is not None:
        _require(
            learned >= incident,
            "learned_date",
            f"The union cannot learn of it before the incident ({_fmt(incident)}).",
        )
        _require(learned <= today, "learned_date", f"The learned date cannot be after today ({_fmt(today)}).")
    filed = data.filed_date or today
    _require(
        filed >= incident,
        "filed_date",
        f"A grievance cannot be filed before the incident ({_fmt(incident)}).",
    )
    if learned is not None:
        _require(
            filed >= learned,
            "filed_date",
            f"The filed date is before the union learned of it ({_fmt(learned)}).",
        )
    _require(filed <= today, "filed_date", f"The filed date cannot be after today ({_fmt(today)}).")
    grievant_ids = _check_parties(session, data)
    rules = _Rules(_settings(session))
    _require(bool(rules.steps), "step", "The contract has no grievance steps: set them up first.")
    start = rules.start(data.is_discipline)
    grievance = Grievance(
        number=_next_number(session, filed.year),
        is_class=data.is_class,
        employer=data.employer.strip(),
        unit=data.unit.strip(),
        articles=data.articles.strip(),
        incident_date=incident,
        learned_date=learned,
        filed_date=filed,
        summary=summary,
        remedy=data.remedy.strip(),
        steward_id=data.steward_id,
        is_discipline=data.is_discipline,
        step=rules.steps[start].name,
        status=GrievanceStatus.OPEN,
    )
    session.add(grievance)
    session.flush()
    for member_id in grievant_ids:
        session.add(GrievanceGrievant(grievance_id=grievance.id, member_id=member_id))
    counts_from = learned if rules.filing_counts_from == "learned" and learned is not None else incident
    filing_due = rules.limit(counts_from, rules.steps[start].union_days, start)
    notes = "" if filed <= filing_due else f"Filed after the filing deadline ({_fmt(filing_due)})."
    _record(session, grievance, kind=GrievanceEventKind.FILED, on=filed, actor=who, rules=rules, notes=notes)
    return grievance.id


def _member_name(session: Session, member_id: uuid.UUID | None) -> str:
    member = session.get(Member, member_id) if member_id is not None else None
    if member is None:
        return "none"
    return display_name(member.first_name, member.last_name, member.preferred_name)


def _shown(value: object) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return _fmt(value)
    return f"“{value}”" if isinstance(value, str) else str(value)


def update_grievance(
    session: Session, grievance_id: uuid.UUID, *, changes: GrievanceEdit, actor: str, today: date
) -> tuple[str, ...]:
    """Correct a case's own fields (validated as at filing); returns what changed, one line each.

    The change is recorded as an "edited" event listing each field before → after, and the
    case's next deadline is recomputed. When nothing changed, nothing is written and ``()``
    is returned. Closed cases can be corrected too; the step and status never change here.
    """
    require_full_access(session, "grievances")
    who = _actor(actor)
    grievance = session.get(Grievance, grievance_id)
    if grievance is None:
        raise NotFound(f"No grievance has the id {grievance_id}.")
    data = changes
    summary = data.summary.strip()
    _require(bool(summary), "summary", "Describe the grievance in a summary.")
    incident, learned = data.incident_date, data.learned_date
    _not_future(incident, today, "incident_date", "The incident date")
    events = _events(session, grievance.id)
    raised = min([e.occurred_on for e in events] + ([grievance.filed_date] if grievance.filed_date else []))
    _require(
        incident <= raised,
        "incident_date",
        f"The incident date cannot be after the case was raised ({_fmt(raised)}).",
    )
    if learned is not None:
        _require(
            learned >= incident,
            "learned_date",
            f"The union cannot learn of it before the incident ({_fmt(incident)}).",
        )
        _not_future(learned, today, "learned_date", "The learned date")
        _require(
            learned <= raised,
            "learned_date",
            f"The union must have learned of it by the time the case was raised ({_fmt(raised)}).",
        )
    grievant_ids = _check_parties(session, data)

    lines: list[str] = []
    fields: tuple[tuple[str, str, object], ...] = (  # (column, label, new value), in the form's order
        ("incident_date", "Incident date", incident),
        ("learned_date", "Union learned", learned),
        ("employer", "Employer", data.employer.strip()),
        ("unit", "Unit", data.unit.strip()),
        ("articles", "Article(s)", data.articles.strip()),
        ("summary", "Summary", summary),
        ("remedy", "Remedy sought", data.remedy.strip()),
        ("is_class", "Class grievance", data.is_class),
        ("is_discipline", "Discipline/discharge", data.is_discipline),
    )
    for key, label, after in fields:
        before = getattr(grievance, key)
        if before != after:
            lines.append(f"{label}: {_shown(before)} → {_shown(after)}")
            setattr(grievance, key, after)
    if grievance.steward_id != data.steward_id:
        before_name = _member_name(session, grievance.steward_id)
        lines.append(f"Steward: {before_name} → {_member_name(session, data.steward_id)}")
        grievance.steward_id = data.steward_id
    links = list(
        session.exec(sql_select(GrievanceGrievant).where(GrievanceGrievant.grievance_id == grievance.id))
    )
    old_ids = {link.member_id for link in links}
    if old_ids != set(grievant_ids):
        removed = [m for m in old_ids if m not in grievant_ids]
        added = [m for m in grievant_ids if m not in old_ids]
        names_removed = sorted(_member_name(session, m) for m in removed)
        names_added = [_member_name(session, m) for m in added]
        change = "; ".join(
            part
            for part in (
                f"added {', '.join(names_added)}" if names_added else "",
                f"removed {', '.join(names_removed)}" if names_removed else "",
            )
            if part
        )
        lines.append(f"Grievants: {change}")
        for link in links:
            if link.member_id in removed:
                session.delete(link)
        for member_id in added:
            session.add(GrievanceGrievant(grievance_id=grievance.id, member_id=member_id))
    if not lines:
        return ()
    rules = _Rules(_settings(session))
    _record(
        session,
        grievance,
        kind=GrievanceEventKind.EDITED,
        on=today,
        actor=who,
        rules=rules,
        notes="\n".join(lines),
        set_deadline=False,
    )
    return tuple(lines)


def record_meeting(
    session: Session,
    grievance_id: uuid.UUID,
    *,
    on: date,
    notes: str,
    actor: str,
    today: date,
    document: str = "",
) -> None:
    """Record a meeting at the current step (the employer's answer then runs from it)."""
    require_full_access(session, "grievances")
    who, doc = _action_inputs(actor, on, today, "A meeting", document)
    grievance = _open_case(session, grievance_id)
    _require(
        on >= _started(grievance),
        "on",
        f"A meeting cannot be before the filing ({_fmt(_started(grievance))}).",
    )
    rules = _Rules(_settings(session))
    _record(
        session,
        grievance,
        kind=GrievanceEventKind.MEETING,
        on=on,
        actor=who,
        rules=rules,
        notes=notes,
        document=doc,
    )


def _current_step_began(session: Session, grievance: Grievance) -> date:
    """When the case entered its current step (its latest filing/advance), else its start."""
    days = [
        e.occurred_on
        for e in _events(session, grievance.id)
        if e.kind in (GrievanceEventKind.FILED, GrievanceEventKind.ADVANCED) and e.step == grievance.step
    ]
    return max(days) if days else _started(grievance)


def record_answer(
    session: Session,
    grievance_id: uuid.UUID,
    *,
    on: date,
    outcome: str,
    notes: str,
    actor: str,
    today: date,
    document: str = "",
) -> None:
    """Record the employer's answer ("granted", "denied", "partial"); the appeal clock starts."""
    require_full_access(session, "grievances")
    who, doc = _action_inputs(actor, on, today, "An answer", document)
    _require(
        outcome in ANSWER_OUTCOMES, "outcome", f"The outcome must be one of: {', '.join(ANSWER_OUTCOMES)}."
    )
    grievance = _open_case(session, grievance_id)
    began = _current_step_began(session, grievance)
    _require(
        on >= began, "on", f"The answer cannot be before the case reached {grievance.step} ({_fmt(began)})."
    )
    rules = _Rules(_settings(session))
    _record(
        session,
        grievance,
        kind=GrievanceEventKind.ANSWER,
        on=on,
        actor=who,
        rules=rules,
        outcome=outcome,
        notes=notes,
        document=doc,
    )


def next_step_name(steps: Sequence[StepRule], current: str) -> str | None:
    """The step after ``current`` (None at the last step or for an unknown step)."""
    names = [rule.name for rule in steps]
    if current not in names:
        return None
    i = names.index(current)
    return names[i + 1] if i + 1 < len(names) else None


def advance(
    session: Session,
    grievance_id: uuid.UUID,
    *,
    on: date,
    notes: str,
    actor: str,
    today: date,
    document: str = "",
) -> None:
    """Appeal the case to the next step (Arbitration → status in_arbitration)."""
    require_full_access(session, "grievances")
    who, doc = _action_inputs(actor, on, today, "An appeal", document)
    grievance = _open_case(session, grievance_id)
    rules = _Rules(_settings(session))
    target = next_step_name(rules.steps, grievance.step)
    _require(target is not None, "step", f"{grievance.number} is at its last step ({grievance.step}).")
    assert target is not None
    began = _current_step_began(session, grievance)
    _require(
        on >= began, "on", f"The appeal cannot be before the case reached {grievance.step} ({_fmt(began)})."
    )
    kind = GrievanceEventKind.ADVANCED
    if grievance.filed_date is None:  # leaving the informal stage: this is the written filing
        grievance.filed_date, kind = on, GrievanceEventKind.FILED
    grievance.step = target
    if rules.index(target) == len(rules.steps) - 1:
        grievance.status = GrievanceStatus.IN_ARBITRATION
    _record(session, grievance, kind=kind, on=on, actor=who, rules=rules, notes=notes, document=doc)


def extend(
    session: Session,
    grievance_id: uuid.UUID,
    *,
    new_deadline: date,
    agreed_by: str,
    on: date,
    notes: str,
    actor: str,
    today: date,
    document: str = "",
) -> None:
    """Record an extension agreed in writing: it replaces the current deadline."""
    require_full_access(session, "grievances")
    who, doc = _action_inputs(actor, on, today, "The agreement", document)
    _require(bool(agreed_by.strip()), "agreed_by", "Say who agreed to the extension (in writing).")
    _require(len(agreed_by.strip()) <= 120, "agreed_by", "Keep who agreed under 120 characters.")
    grievance = _open_case(session, grievance_id)
    current = grievance.next_deadline
    _require(current is not None, "new_deadline", f"{grievance.number} has no deadline to extend.")
    assert current is not None
    _require(
        new_deadline > current,
        "new_deadline",
        f"An extension must be later than the current deadline ({_fmt(current)}).",
    )
    _require(
        new_deadline >= grievance.incident_date,
        "new_deadline",
        f"A deadline cannot be before the incident ({_fmt(grievance.incident_date)}).",
    )
    _require(
        on >= grievance.incident_date,
        "on",
        f"The agreement cannot be before the incident ({_fmt(grievance.incident_date)}).",
    )
    rules = _Rules(_settings(session))
    _record(
        session,
        grievance,
        kind=GrievanceEventKind.EXTENSION,
        on=on,
        actor=who,
        rules=rules,
        agreed_by=agreed_by.strip(),
        notes=notes,
        document=doc,
        deadline=new_deadline,
    )


def close(
    session: Session,
    grievance_id: uuid.UUID,
    *,
    status: str,
    on: date,
    outcome: str,
    notes: str,
    actor: str,
    today: date,
    document: str = "",
) -> None:
    """Close a case as settled, withdrawn, won or lost."""
    require_full_access(session, "grievances")
    who, doc = _action_inputs(actor, on, today, "A case's closing", document)
    _require(status in CLOSING_STATUSES, "status", f"Close a case as one of: {', '.join(CLOSING_STATUSES)}.")
    grievance = _open_case(session, grievance_id)
    _require(
        on >= _started(grievance),
        "on",
        f"A case cannot close before it was filed ({_fmt(_started(grievance))}).",
    )
    _require(len(outcome.strip()) <= 40, "outcome", "Keep the outcome under 40 characters.")
    grievance.status = status
    rules = _Rules(_settings(session))
    _record(
        session,
        grievance,
        kind=GrievanceEventKind.CLOSED,
        on=on,
        actor=who,
        rules=rules,
        outcome=outcome.strip() or status,
        notes=notes,
        document=doc,
        set_deadline=False,
    )


def add_information_request(
    session: Session,
    grievance_id: uuid.UUID,
    *,
    requested_on: date,
    due_on: date,
    description: str,
    actor: str,
    today: date,
) -> uuid.UUID:
    """Record a request for information to the employer (and a note in the timeline)."""
    require_full_access(session, "grievances")
    who = _actor(actor)
    _not_future(requested_on, today, "requested_on", "A request's date")
    _require(bool(description.strip()), "description", "Say what information was requested.")
    grievance = _open_case(session, grievance_id)
    _require(
        requested_on >= grievance.incident_date,
        "requested_on",
        f"A request cannot be before the incident ({_fmt(grievance.incident_date)}).",
    )
    _require(
        due_on >= requested_on, "due_on", f"The due date cannot be before the request ({_fmt(requested_on)})."
    )
    request = InformationRequest(
        grievance_id=grievance.id, requested_on=requested_on, due_on=due_on, description=description.strip()
    )
    session.add(request)
    rules = _Rules(_settings(session))
    _record(
        session,
        grievance,
        kind=GrievanceEventKind.NOTE,
        on=requested_on,
        actor=who,
        rules=rules,
        notes=f"Information requested (due {_fmt(due_on)}): {description.strip()}",
        set_deadline=False,
    )
    return request.id


def mark_information_received(
    session: Session, request_id: uuid.UUID, *, on: date, actor: str, today: date
) -> None:
    """Mark an information request as received (and note it in the timeline)."""
    require_full_access(session, "grievances")
    who = _actor(actor)
    _not_future(on, today, "on", "The date received")
    request = session.get(InformationRequest, request_id)
    if request is None:
        raise NotFound(f"No information request has the id {request_id}.")
    _require(
        request.received_on is None, "on", f"This request was already received on {request.received_on}."
    )
    _require(
        on >= request.requested_on,
        "on",
        f"It cannot arrive before it was requested ({_fmt(request.requested_on)}).",
    )
    grievance = session.get(Grievance, request.grievance_id)
    assert grievance is not None
    request.received_on = on
    request.updated_at = utcnow()
    session.add(request)
    rules = _Rules(_settings(session))
    _record(
        session,
        grievance,
        kind=GrievanceEventKind.NOTE,
        on=on,
        actor=who,
        rules=rules,
        notes=f"Information received: {request.description}",
        set_deadline=False,
    )


# --------------------------------------------------------------------------- reads


def _deadline(due: _Due, today: date, holidays: frozenset[date]) -> Deadline:
    return Deadline(
        label=due.label,
        due=due.due,
        party=due.party,
        days_left=(due.due - today).days,
        working_days_left=working_days_between(today, due.due, holidays),
    )


def get_grievance(session: Session, key: str | uuid.UUID, today: date) -> GrievanceDetail:
    """A case by number (``G-2026-0042``, any case) or id; :class:`NotFound` otherwise."""
    require_full_access(session, "grievances")
    grievance: Grievance | None = None
    if isinstance(key, uuid.UUID):
        grievance = session.get(Grievance, key)
    else:
        text = key.strip()
        try:
            grievance = session.get(Grievance, uuid.UUID(text))
        except ValueError:
            grievance = session.exec(
                sql_select(Grievance).where(col(Grievance.number) == text.upper())
            ).first()
    if grievance is None:
        raise NotFound(f"No grievance is numbered {str(key).strip()!r}.")
    rules = _Rules(_settings(session))
    events = _events(session, grievance.id)
    due = _next_due(grievance, events, rules)
    if due is None and grievance.status in OPEN_STATUSES and grievance.next_deadline is not None:
        party = "employer" if "(employer)" in grievance.next_deadline_label else "union"
        due = _Due(grievance.next_deadline, grievance.next_deadline_label, party)
    steward_name = ""
    if grievance.steward_id is not None:
        steward = session.get(Member, grievance.steward_id)
        if steward is not None:
            steward_name = display_name(steward.first_name, steward.last_name, steward.preferred_name)
    grievants = tuple(
        (m.id, display_name(m.first_name, m.last_name, m.preferred_name))
        for m in session.exec(
            sql_select(Member)
            .join(GrievanceGrievant, col(GrievanceGrievant.member_id) == col(Member.id))
            .where(GrievanceGrievant.grievance_id == grievance.id)
            .order_by(col(Member.last_name), col(Member.first_name))
        )
    )
    requests = tuple(
        InfoRequestRow(
            id=r.id,
            requested_on=r.requested_on,
            due_on=r.due_on,
            received_on=r.received_on,
            description=r.description,
            overdue=r.received_on is None and r.due_on < today,
        )
        for r in session.exec(
            sql_select(InformationRequest)
            .where(InformationRequest.grievance_id == grievance.id)
            .order_by(col(InformationRequest.requested_on))
        )
    )
    is_open = grievance.status in OPEN_STATUSES
    return GrievanceDetail(
        id=grievance.id,
        number=grievance.number,
        status=grievance.status,
        step=grievance.step,
        is_class=grievance.is_class,
        is_discipline=grievance.is_discipline,
        employer=grievance.employer,
        unit=grievance.unit,
        articles=grievance.articles,
        incident_date=grievance.incident_date,
        learned_date=grievance.learned_date,
        filed_date=grievance.filed_date,
        summary=grievance.summary,
        remedy=grievance.remedy,
        steward_id=grievance.steward_id,
        steward_name=steward_name,
        grievants=grievants,
        next_deadline=_deadline(due, today, rules.holidays) if due else None,
        events=tuple(
            EventRow(
                id=e.id,
                kind=e.kind,
                step=e.step,
                occurred_on=e.occurred_on,
                deadline=e.deadline,
                outcome=e.outcome,
                agreed_by=e.agreed_by,
                document=e.document,
                notes=e.notes,
                recorded_by=e.recorded_by,
                created_at=e.created_at,
            )
            for e in events
        ),
        info_requests=requests,
        next_step=next_step_name(rules.steps, grievance.step) if is_open else None,
        employer_late=is_open and due is not None and due.party == "employer" and due.due < today,
    )


def list_grievances(
    session: Session,
    today: date,
    *,
    statuses: Collection[str] | None = None,
    steward: str | None = None,
    employer: str | None = None,
    step: str | None = None,
    search: str | None = None,
    due_within: int | None = None,
    overdue: bool = False,
) -> list[GrievanceRow]:
    """Cases by next deadline (none last), then number.

    ``statuses`` None = open ones; ``steward`` matches part of the steward's name,
    ``employer`` and ``step`` whole values (any case); ``search`` matches part of the number,
    a grievant's name, the articles or the employer; ``due_within`` keeps deadlines at most
    that many working days away (overdue ones included); ``overdue`` keeps passed deadlines.
    """
    require_full_access(session, "grievances")
    conditions: list[Any] = [
        col(Grievance.status).in_(tuple(OPEN_STATUSES if statuses is None else statuses))
    ]
    if employer:
        conditions.append(func.lower(col(Grievance.employer)) == employer.strip().lower())
    if step:
        conditions.append(func.lower(col(Grievance.step)) == step.strip().lower())
    if due_within is not None:
        holidays = frozenset(_settings(session).holidays)
        limit = step_deadline(today, max(0, due_within), working_days=True, holidays=holidays)
        conditions.append(col(Grievance.next_deadline) <= limit)
    if overdue:
        conditions.append(col(Grievance.next_deadline) < today)
    rows = _rows(session, today, conditions)
    if steward:
        needle = steward.strip().casefold()
        rows = [row for row in rows if needle in row.steward.casefold()]
    if search:
        needle = search.strip().casefold()
        rows = [
            row
            for row in rows
            if needle in row.number.casefold()
            or needle in row.employer.casefold()
            or any(needle in name.casefold() for name in row.grievants)
            or needle in row.articles.casefold()
        ]
    return rows


def due_this_week(session: Session, today: date) -> list[GrievanceRow]:
    """Open cases whose deadline is overdue or falls by Friday of this week, soonest first."""
    require_full_access(session, "grievances")
    friday = end_of_working_week(today)
    return _rows(
        session,
        today,
        [col(Grievance.status).in_(OPEN_STATUSES), col(Grievance.next_deadline) <= friday],
    )


def steward_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Members with the steward role, by name."""
    require_full_access(session, "grievances")
    rows = session.execute(
        select(col(Member.id), col(Member.first_name), col(Member.last_name), col(Member.preferred_name))
        .where(col(Member.role) == Role.STEWARD)
        .order_by(col(Member.last_name), col(Member.first_name))
    ).all()
    return [(mid, display_name(first, last, pref)) for mid, first, last, pref in rows]


# --------------------------------------------------------------------------- paged list (virtual tables)


@dataclass(frozen=True)
class GrievanceCounts:
    """How many cases match a filter, and how many of them are overdue / due soon."""

    total: int
    overdue: int
    due_soon: int  # deadline today or within DUE_SOON_DAYS working days (as GrievanceRow.due_soon)


def _sql_conditions(
    session: Session,
    today: date,
    *,
    statuses: Collection[str] | None = None,
    steward: str | None = None,
    employer: str | None = None,
    step: str | None = None,
    search: str | None = None,
    due_within: int | None = None,
    overdue: bool = False,
) -> list[Any]:
    """The filters of :func:`list_grievances`, all as SQL conditions (so a page can be cut in SQL).

    ``steward`` keeps the same meaning (part of the steward's display name, any case);
    ``search`` matches number, employer and articles (ASCII case folded by SQLite) and a
    grievant through ``Member.search_key`` word by word, so accents do not matter ("zoe"
    finds "Zoë") — as the roster search does.
    """
    from sqlalchemy import and_, or_

    from strikeboard.textnorm import search_key

    conditions: list[Any] = [
        col(Grievance.status).in_(tuple(OPEN_STATUSES if statuses is None else statuses))
    ]
    if employer:
        conditions.append(func.lower(col(Grievance.employer)) == employer.strip().lower())
    if step:
        conditions.append(func.lower(col(Grievance.step)) == step.strip().lower())
    if due_within is not None:
        holidays = frozenset(_settings(session).holidays)
        limit = step_deadline(today, max(0, due_within), working_days=True, holidays=holidays)
        conditions.append(col(Grievance.next_deadline) <= limit)
    if overdue:
        conditions.append(col(Grievance.next_deadline) < today)
    if steward and steward.strip():
        needle = steward.strip().casefold()
        assigned = select(col(Grievance.steward_id)).distinct()
        people = session.execute(
            select(
                col(Member.id), col(Member.first_name), col(Member.last_name), col(Member.preferred_name)
            ).where(col(Member.id).in_(assigned))
        ).all()
        ids = [
            pid for pid, first, last, pref in people if needle in display_name(first, last, pref).casefold()
        ]
        conditions.append(col(Grievance.steward_id).in_(ids))
    if search and search.strip():
        needle = search.strip().casefold()
        options: list[Any] = [
            func.lower(col(column)).contains(needle, autoescape=True)
            for column in (Grievance.number, Grievance.employer, Grievance.articles)
        ]
        words = search_key(search).split()
        if words:
            named = (
                select(col(GrievanceGrievant.grievance_id))
                .join(Member, col(Member.id) == col(GrievanceGrievant.member_id))
                .where(and_(*(col(Member.search_key).contains(word, autoescape=True) for word in words)))
            )
            options.append(col(Grievance.id).in_(named))
        conditions.append(or_(*options))
    return conditions


def grievance_counts(session: Session, today: date, **filters: Any) -> GrievanceCounts:
    """How many cases :func:`grievance_page` would list (same filters), with overdue / due soon."""
    require_full_access(session, "grievances")
    from sqlalchemy import case

    deadline = col(Grievance.next_deadline)
    soon = due_soon_until(today, load_settings(session).holidays)
    total, n_overdue, n_soon = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((deadline < today, 1), else_=0)), 0),
            func.coalesce(func.sum(case((deadline.between(today, soon), 1), else_=0)), 0),
        )
        .select_from(Grievance)
        .where(*_sql_conditions(session, today, **filters))
    ).one()
    return GrievanceCounts(int(total), int(n_overdue), int(n_soon))


def grievance_page(
    session: Session, today: date, *, offset: int = 0, limit: int = 100, **filters: Any
) -> list[GrievanceRow]:
    """Rows ``offset`` to ``offset + limit`` of the filtered list, in :func:`list_grievances` order.

    The order (next deadline, none last, then number) is total, so pages never overlap;
    the ids are cut in SQL (``status`` filtered through ``ix_grievance_status_deadline``)
    and only that page's rows and grievants are read.
    """
    require_full_access(session, "grievances")
    ids = list(
        session.execute(
            select(col(Grievance.id))
            .where(*_sql_conditions(session, today, **filters))
            .order_by(col(Grievance.next_deadline).asc().nulls_last(), col(Grievance.number))
            .offset(max(0, offset))
            .limit(max(0, limit))
        ).scalars()
    )
    return _rows(session, today, [col(Grievance.id).in_(ids)]) if ids else []


def grievance_position(session: Session, today: date, grievance_id: uuid.UUID, **filters: Any) -> int | None:
    """The index of ``grievance_id`` in the filtered list (``None`` when it does not match)."""
    require_full_access(session, "grievances")
    from sqlalchemy import and_, or_

    conditions = _sql_conditions(session, today, **filters)
    found = session.execute(
        select(col(Grievance.next_deadline), col(Grievance.number)).where(
            col(Grievance.id) == grievance_id, *conditions
        )
    ).first()
    if found is None:
        return None
    deadline, number = found
    column = col(Grievance.next_deadline)
    if deadline is None:
        before = or_(column.is_not(None), and_(column.is_(None), col(Grievance.number) < number))
    else:
        before = or_(column < deadline, and_(column == deadline, col(Grievance.number) < number))
    return int(
        session.execute(select(func.count()).select_from(Grievance).where(*conditions, before)).scalar_one()
    )


def employer_choices(session: Session) -> list[str]:
    """Every employer named on a case, by name (for the list's employer filter)."""
    require_full_access(session, "grievances")
    rows = session.execute(select(col(Grievance.employer)).distinct().where(col(Grievance.employer) != ""))
    return sorted((employer for (employer,) in rows), key=str.casefold)
