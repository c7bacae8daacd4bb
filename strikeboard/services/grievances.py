"""Read-only grievance queries: the open cases, soonest deadline first."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from strikeboard.services.roster import display_name
from strikeboard.store.models import Grievance, GrievanceGrievant, GrievanceStatus, Member

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
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
        )
        .outerjoin(Member, col(Member.id) == col(Grievance.steward_id))
        .where(col(Grievance.status).in_(OPEN_STATUSES))
        .order_by(col(Grievance.next_deadline).asc().nulls_last(), col(Grievance.number))
    ).all()
    ids = [row[0] for row in rows]
    grievants: dict[uuid.UUID, list[str]] = defaultdict(list)
    if ids:
        for gid, first, last, preferred in session.execute(
            select(
                col(GrievanceGrievant.grievance_id),
                col(Member.first_name),
                col(Member.last_name),
                col(Member.preferred_name),
            )
            .join(Member, col(Member.id) == col(GrievanceGrievant.member_id))
            .where(col(GrievanceGrievant.grievance_id).in_(ids))
            .order_by(col(Member.last_name), col(Member.first_name))
        ):
            grievants[gid].append(display_name(first, last, preferred))
    result = []
    for gid, number, is_class, employer, step, status, deadline, label, s_first, s_last, s_pref in rows:
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
            )
        )
    return result
