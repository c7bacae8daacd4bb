"""Counts of what a database holds (``strikeboard info``)."""

from sqlalchemy import func
from sqlmodel import Session, select

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

    def count(model: type, *where: object) -> int:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())  # type: ignore[call-overload]

    return {
        "members": count(Member),
        "locations": count(Location),
        "shifts": count(Shift),
        "assignments": count(Assignment),
        "check-ins": count(CheckIn, CheckIn.kind == CheckInKind.SIGN_IN),
        "grievances": count(Grievance),
    }
