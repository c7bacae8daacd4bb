"""Counts of what a database holds (``strikeboard info``)."""

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlmodel import Session, col

from strikeboard.store.models import (
    Assignment,
    CheckIn,
    CheckInKind,
    Grievance,
    Location,
    Member,
    Shift,
)


def database_counts(session: Session) -> dict[str, int]:
    """Rows per kind of record, in the order ``strikeboard info`` prints them.

    Check-ins count sign-ins (not corrections or voids).
    """

    def count(model: Any, *where: ColumnElement[bool]) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    return {
        "members": count(Member),
        "locations": count(Location),
        "shifts": count(Shift),
        "assignments": count(Assignment),
        "check-ins": count(CheckIn, col(CheckIn.kind) == CheckInKind.SIGN_IN),
        "grievances": count(Grievance),
    }
