"""The TUI's one door to the database.

This is the only TUI module that imports SQLAlchemy/SQLModel (through the store and the
services), and the app imports it lazily, inside the thread worker that opens the store,
so the shell paints before those heavy imports run. Everything a panel shows comes from
a :class:`Gateway` method, called in a thread worker; each opens its own short read
session and returns plain frozen dataclasses.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from strikeboard.services import grievances, roster, shifts
from strikeboard.services.grievances import GrievanceRow
from strikeboard.services.roster import MemberPage
from strikeboard.services.settings import StrikeSettings, load_settings
from strikeboard.services.shifts import BoardShift, WeekShift
from strikeboard.store.db import Store, open_store


class Gateway:
    """An open store plus the strike's settings, with one read method per view."""

    def __init__(self, store: Store, settings: StrikeSettings) -> None:
        self.store = store
        self.settings = settings

    @classmethod
    def open(cls, location: str) -> Gateway:
        """Open the database at ``location`` and read the settings (raises ``StoreError``)."""
        store = open_store(location)
        try:
            with store.read() as session:
                settings = load_settings(session)
        except BaseException:
            store.close()
            raise
        return cls(store, settings)

    @property
    def strike_name(self) -> str:
        """The strike's name, for the header."""
        return self.settings.strike_name

    @property
    def zone(self) -> ZoneInfo:
        """The strike's time zone: every time is shown in it."""
        return self.settings.zone

    def sign_in_board(self, now: datetime) -> list[BoardShift]:
        """Today's shifts (local date of ``now``) with who is signed in at ``now``."""
        with self.store.read() as session:
            return shifts.today_board(session, now.astimezone(self.zone).date(), self.zone, now)

    def week(self, monday: date) -> list[WeekShift]:
        """The shifts of the local week starting ``monday``."""
        with self.store.read() as session:
            return shifts.week_schedule(session, monday, self.zone)

    def roster(self, query: str, limit: int = roster.DEFAULT_PAGE) -> MemberPage:
        """The first ``limit`` members matching ``query``."""
        with self.store.read() as session:
            return roster.search_members(session, query, limit)

    #: A grievance deadline this many days away or fewer is "due soon" (amber).
    due_soon_days = grievances.DUE_SOON_DAYS

    def open_grievances(self, today: date) -> list[GrievanceRow]:
        """Open grievances by next deadline, with days left counted from ``today``."""
        with self.store.read() as session:
            return grievances.open_grievances(session, today)

    def close(self) -> None:
        """Checkpoint and close the database."""
        self.store.close()
