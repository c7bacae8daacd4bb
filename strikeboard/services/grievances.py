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
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col
from sqlmodel import select as sql_select

from strikeboard.services.deadlines import end_of_working_week, step_deadline, working_days_between
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

#: A deadline this many days away (or fewer) is "due soon".
DUE_SOON_DAYS = 5


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

    @property
    def overdue(self) -> bool:
        """The next deadline has passed."""
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        """The next deadline is today or within :data:`DUE_SOON_DAYS` days."""
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON_DAYS


def open_grievances(session: Session, today: date) -> list[GrievanceRow]:
    """Open and in-arbitration grievances, by next deadline (none last), then number."""
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


def _next_due(grievance: Grievance, events: Sequence[GrievanceEvent], rules: _Rules) -> _Due | None:
    """The deadline a case faces now, replayed from its history (oldest event first).

    Filing/advancing starts the employer's answer clock (a meeting restarts it from the
    meeting day, never earlier); an answer starts the union's appeal clock to the next step
    (none after "granted" or at the last step); an extension replaces the current deadline;
    closing clears it.
    """
    if grievance.status not in OPEN_STATUSES:
        return None
    current: _Due | None = None
    for event in events:
        step = rules.index(event.step)
        if step is None:
            step = rules.index(grievance.step)
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


def _actor(actor: str) -> str:
    _require(bool(actor.strip()), "actor", "Say who is recording this change.")
    return actor.strip()


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


def file_grievance(session: Session, data: GrievanceInput, *, actor: str, today: date) -> uuid.UUID:
    """File a case: validate, number it ``G-YYYY-NNNN``, record the filing, set its deadline."""
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


def record_meeting(session: Session, grievance_id: uuid.UUID, *, on: date, notes: str, actor: str) -> None:
    """Record a meeting at the current step (the employer's answer then runs from it)."""
    who = _actor(actor)
    grievance = _open_case(session, grievance_id)
    _require(
        on >= _started(grievance),
        "on",
        f"A meeting cannot be before the filing ({_fmt(_started(grievance))}).",
    )
    rules = _Rules(_settings(session))
    _record(session, grievance, kind=GrievanceEventKind.MEETING, on=on, actor=who, rules=rules, notes=notes)


def _current_step_began(session: Session, grievance: Grievance) -> date:
    """When the case entered its current step (its latest filing/advance), else its start."""
    days = [
        e.occurred_on
        for e in _events(session, grievance.id)
        if e.kind in (GrievanceEventKind.FILED, GrievanceEventKind.ADVANCED) and e.step == grievance.step
    ]
    return max(days) if days else _started(grievance)


def record_answer(
    session: Session, grievance_id: uuid.UUID, *, on: date, outcome: str, notes: str, actor: str
) -> None:
    """Record the employer's answer ("granted", "denied", "partial"); the appeal clock starts."""
    who = _actor(actor)
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
    )


def next_step_name(steps: Sequence[StepRule], current: str) -> str | None:
    """The step after ``current`` (None at the last step or for an unknown step)."""
    names = [rule.name for rule in steps]
    if current not in names:
        return None
    i = names.index(current)
    return names[i + 1] if i + 1 < len(names) else None


def advance(session: Session, grievance_id: uuid.UUID, *, on: date, notes: str, actor: str) -> None:
    """Appeal the case to the next step (Arbitration → status in_arbitration)."""
    who = _actor(actor)
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
    _record(session, grievance, kind=kind, on=on, actor=who, rules=rules, notes=notes)


def extend(
    session: Session,
    grievance_id: uuid.UUID,
    *,
    new_deadline: date,
    agreed_by: str,
    on: date,
    notes: str,
    actor: str,
) -> None:
    """Record an extension agreed in writing: it replaces the current deadline."""
    who = _actor(actor)
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
        deadline=new_deadline,
    )


def close(
    session: Session, grievance_id: uuid.UUID, *, status: str, on: date, outcome: str, notes: str, actor: str
) -> None:
    """Close a case as settled, withdrawn, won or lost."""
    who = _actor(actor)
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
) -> uuid.UUID:
    """Record a request for information to the employer (and a note in the timeline)."""
    who = _actor(actor)
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


def mark_information_received(session: Session, request_id: uuid.UUID, *, on: date, actor: str) -> None:
    """Mark an information request as received (and note it in the timeline)."""
    who = _actor(actor)
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
    friday = end_of_working_week(today)
    return _rows(
        session,
        today,
        [col(Grievance.status).in_(OPEN_STATUSES), col(Grievance.next_deadline) <= friday],
    )


def steward_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Members with the steward role, by name."""
    rows = session.execute(
        select(col(Member.id), col(Member.first_name), col(Member.last_name), col(Member.preferred_name))
        .where(col(Member.role) == Role.STEWARD)
        .order_by(col(Member.last_name), col(Member.first_name))
    ).all()
    return [(mid, display_name(first, last, pref)) for mid, first, last, pref in rows]
