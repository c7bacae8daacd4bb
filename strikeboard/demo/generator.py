"""Writing a new demo strike database: :func:`generate` runs the row builders in order."""

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import insert, update
from sqlmodel import Session, SQLModel

from strikeboard.demo.attendance import check_in_rows, credit_rows, incident_rows
from strikeboard.demo.files import install, remove_db, temp_beside
from strikeboard.demo.grievances import grievance_rows
from strikeboard.demo.members import availability_rows, member_rows
from strikeboard.demo.shape import DEMO_TODAY_KEY, STRIKE_NAME, TIME_ZONE
from strikeboard.demo.shifts import assignment_rows, location_rows, shift_rows
from strikeboard.demo.state import Demo, Row
from strikeboard.services.settings import DEFAULT_STEPS, StrikeSettings, save_settings
from strikeboard.store.db import open_store
from strikeboard.store.models import (
    Assignment,
    Availability,
    AvailabilityException,
    AvailabilityWindow,
    CheckIn,
    Grievance,
    GrievanceEvent,
    GrievanceGrievant,
    HoursCredit,
    Incident,
    InformationRequest,
    Location,
    Member,
    Setting,
    Shift,
)


def _insert(session: Session, model: type[SQLModel], rows: Sequence[Row]) -> None:
    """One Core ``executemany`` for all ``rows`` (every row has every column, so there is one batch)."""
    if rows:
        session.execute(insert(SQLModel.metadata.tables[str(model.__tablename__)]), list(rows))


def _save_settings(demo: Demo, session: Session) -> None:
    """The strike's settings (through the settings service), the demo's today, fixed timestamps."""
    save_settings(
        session,
        StrikeSettings(
            strike_name=STRIKE_NAME,
            time_zone=TIME_ZONE,
            grievance_steps=DEFAULT_STEPS,
            holidays=demo.holidays,
        ),
    )
    session.execute(
        insert(Setting),
        [{"key": DEMO_TODAY_KEY, "value": demo.today.isoformat(), "updated_at": demo.setup}],
    )
    session.execute(update(Setting).values(updated_at=demo.setup))  # not the clock


def generate(out: Path, *, members: int, seed: int, today: date) -> None:
    """Write a new demo strike database at ``out`` (replacing it); the same arguments give the same file.

    The strike started :data:`DAYS_BEFORE_TODAY` days before ``today`` and lasts
    :data:`STRIKE_DAYS` days; the demo's now is ``today`` at :data:`DEMO_NOW` local time.
    The file is built beside ``out`` and renamed into place, so a failure never leaves
    half a database.
    """
    if members < 1:
        raise ValueError(f"a demo needs at least one member, not {members}")
    out = Path(out)
    tmp = temp_beside(out)
    try:
        store = open_store(str(tmp))
        try:
            demo = Demo(members, seed, today)
            with store.write() as session:
                session.info["history"] = False  # made up: no audit or sync history; the same bytes each time
                _insert(session, Location, location_rows(demo))
                _insert(session, Member, member_rows(demo))
                availability, windows, exceptions = availability_rows(demo)
                _insert(session, Availability, availability)
                _insert(session, AvailabilityWindow, windows)
                _insert(session, AvailabilityException, exceptions)
                _insert(session, Shift, shift_rows(demo))
                _insert(session, Assignment, assignment_rows(demo))
                sign_ins, fixes = check_in_rows(demo)
                _insert(session, CheckIn, sign_ins)
                _insert(session, CheckIn, fixes)  # corrections and voids refer to sign-ins
                credits, voids = credit_rows(demo)
                _insert(session, HoursCredit, credits)
                _insert(session, HoursCredit, voids)
                _insert(session, Incident, incident_rows(demo))
                grievances, grievants, events, requests = grievance_rows(demo)
                _insert(session, Grievance, grievances)
                _insert(session, GrievanceGrievant, grievants)
                _insert(session, GrievanceEvent, events)
                _insert(session, InformationRequest, requests)
                _save_settings(demo, session)
        finally:
            store.close()
        install(tmp, out)
    except BaseException:
        remove_db(tmp)
        raise
