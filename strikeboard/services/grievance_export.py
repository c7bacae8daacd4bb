"""CSV exports of grievances: one row per case, or one row per event (injection-safe writer)."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from strikeboard.services.access import require_full_access
from strikeboard.services.csvio import Cell, write_csv
from strikeboard.services.deadlines import working_days_between
from strikeboard.services.roster import display_name
from strikeboard.services.settings import load_settings
from strikeboard.store.models import Grievance, GrievanceEvent, GrievanceGrievant, Member

CASE_HEADER = (
    "number",
    "status",
    "step",
    "employer",
    "unit",
    "articles",
    "grievants",
    "steward",
    "incident_date",
    "filed_date",
    "next_deadline",
    "days_left",
    "working_days_left",
    "what_is_due",
)
EVENT_HEADER = (
    "number",
    "occurred_on",
    "kind",
    "step",
    "deadline",
    "outcome",
    "agreed_by",
    "document",
    "notes",
    "recorded_by",
    "recorded_at",
)


def _names(session: Session) -> dict[object, str]:
    return {
        mid: display_name(first, last, pref)
        for mid, first, last, pref in session.execute(
            select(col(Member.id), col(Member.first_name), col(Member.last_name), col(Member.preferred_name))
        )
    }


def case_rows(session: Session, today: date) -> Iterator[Sequence[Cell]]:
    """One row per case (every status), by number."""
    holidays = frozenset(load_settings(session).holidays)
    names = _names(session)
    grievants: dict[object, list[str]] = defaultdict(list)
    for gid, mid in session.execute(
        select(col(GrievanceGrievant.grievance_id), col(GrievanceGrievant.member_id))
    ):
        grievants[gid].append(names.get(mid, ""))
    for case in session.execute(select(Grievance).order_by(col(Grievance.number))).scalars():
        due = case.next_deadline
        yield (
            case.number,
            case.status,
            case.step,
            case.employer,
            case.unit,
            case.articles,
            "class grievance"
            if case.is_class and not grievants[case.id]
            else "; ".join(sorted(grievants[case.id])),
            names.get(case.steward_id, "") if case.steward_id else "",
            case.incident_date,
            case.filed_date,
            due,
            (due - today).days if due else None,
            working_days_between(today, due, holidays) if due else None,
            case.next_deadline_label,
        )


def event_rows(session: Session) -> Iterator[Sequence[Cell]]:
    """One row per event, by case number then date."""
    query = (
        select(col(Grievance.number), GrievanceEvent)
        .join(GrievanceEvent, col(GrievanceEvent.grievance_id) == col(Grievance.id))
        .order_by(col(Grievance.number), col(GrievanceEvent.occurred_on), col(GrievanceEvent.created_at))
    )
    for number, event in session.execute(query):
        yield (
            number,
            event.occurred_on,
            event.kind,
            event.step,
            event.deadline,
            event.outcome,
            event.agreed_by,
            event.document,
            event.notes,
            event.recorded_by,
            event.created_at,
        )


def export_grievances(
    session: Session,
    path: str | os.PathLike[str],
    today: date,
    *,
    events: bool = False,
    excel: bool = False,
    overwrite: bool = False,
) -> int:
    """Write the cases (or, with ``events``, their histories) to ``path``; return the row count."""
    require_full_access(session, "exporting grievances")
    if events:
        return write_csv(path, EVENT_HEADER, event_rows(session), excel=excel, overwrite=overwrite)
    return write_csv(path, CASE_HEADER, case_rows(session, today), excel=excel, overwrite=overwrite)
