"""The TUI's one door to the database.

This is the only TUI module that imports SQLAlchemy/SQLModel (through the store and the
services), and the app imports it lazily, inside the thread worker that opens the store,
so the shell paints before those heavy imports run. Everything a panel shows comes from
a :class:`Gateway` method, called in a thread worker; each opens its own short read
session and returns plain frozen dataclasses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from strikeboard.services import grievances, roster, shifts
from strikeboard.services.grievances import GrievanceCounts, GrievanceDetail, GrievanceInput, GrievanceRow
from strikeboard.services.roster import MemberPage
from strikeboard.services.settings import StrikeSettings, load_settings
from strikeboard.services.shifts import BoardShift, WeekShift
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import GrievanceStatus
from strikeboard.tui.data_audit import AuditData
from strikeboard.tui.data_backup import BackupData
from strikeboard.tui.data_errors import csv_problems, user_errors
from strikeboard.tui.data_schedule import ScheduleData
from strikeboard.tui.data_shifts import ShiftData
from strikeboard.tui.data_signin import SignInData
from strikeboard.tui.data_sync import SyncData

if TYPE_CHECKING:
    from pathlib import Path

    from strikeboard.services.member_import import ImportPreview
    from strikeboard.services.roster import DuplicateHint, MemberDetail, MemberForm, RosterFilter, RosterRow
    from strikeboard.tui.forms.file_grievance import NewGrievance

#: The writes a case view can make, by name (see :meth:`Gateway.grievance_action`).
GRIEVANCE_ACTIONS = {
    "advance": grievances.advance,
    "record_answer": grievances.record_answer,
    "record_meeting": grievances.record_meeting,
    "extend": grievances.extend,
    "close": grievances.close,
    "add_information_request": grievances.add_information_request,
    "mark_information_received": grievances.mark_information_received,
}


class Gateway(AuditData, BackupData, ScheduleData, ShiftData, SignInData, SyncData):
    """An open store plus the strike's settings, with one read method per view."""

    def __init__(self, store: Store, settings: StrikeSettings) -> None:
        self.store = store
        self.settings = settings

    @classmethod
    def open(cls, location: str, *, captain: bool = False) -> Gateway:
        """Open the database at ``location`` and read the settings (raises ``StoreError``);
        ``captain``: the services refuse all but sign-in and names."""
        store = open_store(location, captain=captain)
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

    def grievance_list(
        self,
        today: date,
        *,
        status: str | None = None,
        steward: str | None = None,
        employer: str | None = None,
        step: str | None = None,
        search: str | None = None,
    ) -> list[GrievanceRow]:
        """Grievances by next deadline; ``status`` None = open ones, ``"all"`` = every status."""
        statuses: tuple[str, ...] | None
        if status is None:
            statuses = None
        elif status == "all":
            statuses = tuple(GrievanceStatus)
        else:
            statuses = (status,)
        with self.store.read() as session:
            return grievances.list_grievances(
                session,
                today,
                statuses=statuses,
                steward=steward or None,
                employer=employer or None,
                step=step or None,
                search=search or None,
            )

    def due_this_week(self, today: date) -> list[GrievanceRow]:
        """Open cases with a deadline overdue or due by Friday, soonest first."""
        with self.store.read() as session:
            return grievances.due_this_week(session, today)

    @staticmethod
    def grievance_filters(
        status: str | None = None,
        steward: str | None = None,
        employer: str | None = None,
        step: str | None = None,
        search: str | None = None,
    ) -> dict[str, Any]:
        """The list's filters as the services take them; ``status`` as in :meth:`grievance_list`."""
        statuses: tuple[str, ...] | None
        if status is None:
            statuses = None
        elif status == "all":
            statuses = tuple(GrievanceStatus)
        else:
            statuses = (status,)
        return {
            "statuses": statuses,
            "steward": steward or None,
            "employer": employer or None,
            "step": step or None,
            "search": search or None,
        }

    def grievance_counts(self, today: date, filters: dict[str, Any]) -> GrievanceCounts:
        """How many cases match ``filters`` (see :meth:`grievance_filters`), overdue, due soon."""
        with self.store.read() as session:
            return grievances.grievance_counts(session, today, **filters)

    def grievance_page(
        self, today: date, filters: dict[str, Any], offset: int, limit: int
    ) -> list[GrievanceRow]:
        """One page of the filtered list, by next deadline then number (one short read)."""
        with self.store.read() as session:
            return grievances.grievance_page(session, today, offset=offset, limit=limit, **filters)

    def grievance_position(self, today: date, filters: dict[str, Any], grievance_id: uuid.UUID) -> int | None:
        """Where case ``grievance_id`` is in the filtered list (``None``: not in it)."""
        with self.store.read() as session:
            return grievances.grievance_position(session, today, grievance_id, **filters)

    def employer_choices(self) -> list[str]:
        """Every employer named on a case, by name."""
        with self.store.read() as session:
            return grievances.employer_choices(session)

    def steward_choices(self) -> list[tuple[uuid.UUID, str]]:
        """Members with the steward role ``(id, name)``, by name."""
        with self.store.read() as session:
            return grievances.steward_choices(session)

    @property
    def grievance_steps(self) -> list[str]:
        """The contract's step names, in order."""
        return [step.name for step in self.settings.grievance_steps]

    def grievance(self, key: str | uuid.UUID, today: date) -> GrievanceDetail:
        """One case with its timeline (raises :class:`FieldProblem` when there is no such case)."""
        with user_errors(), self.store.read() as session:
            return grievances.get_grievance(session, key, today)

    def file_grievance(self, data: NewGrievance, *, actor: str, today: date) -> str:
        """File a case in one transaction; returns its new number (``G-2026-0042``)."""
        with user_errors():
            with self.store.write() as session:
                gid = grievances.file_grievance(
                    session, GrievanceInput(**vars(data)), actor=actor, today=today
                )
            with self.store.read() as session:
                return grievances.get_grievance(session, gid, today).number

    def grievance_action(
        self, action: str, target: uuid.UUID, *, actor: str, today: date, **values: Any
    ) -> None:
        """Run one case action (``"advance"``, ``"extend"``...) on ``target`` in one transaction.

        ``today`` is the strike's local date (no date may be after it).
        ``mark_information_received`` takes the request's id as ``request_id`` in ``values``.
        """
        function: Any = GRIEVANCE_ACTIONS[action]
        if action == "mark_information_received":
            target = values.pop("request_id")
        with user_errors(), self.store.write() as session:
            function(session, target, actor=actor, today=today, **values)

    def update_grievance(
        self, grievance_id: uuid.UUID, data: NewGrievance, *, actor: str, today: date
    ) -> tuple[str, ...]:
        """Correct a case's own fields in one transaction; returns what changed (``()``: nothing)."""
        with user_errors(), self.store.write() as session:
            return grievances.update_grievance(
                session,
                grievance_id,
                changes=grievances.GrievanceEdit(**vars(data)),
                actor=actor,
                today=today,
            )

    # -- the roster tab (issue 3) -----------------------------------------------------------

    @staticmethod
    def roster_filter(
        query: str = "",
        *,
        roles: tuple[str, ...] = (),
        units: tuple[str, ...] = (),
        statuses: tuple[str, ...] = (),
        eligibility: tuple[str, ...] = (),
        pay_week: date | None = None,
        sort: str = "name",
        descending: bool = False,
    ) -> RosterFilter:
        """The roster's search, filters and sort as the services take them (strike pay: ``pay_week``'s)."""
        return roster.RosterFilter(
            query=query,
            roles=roles,
            units=units,
            statuses=statuses,
            sort=sort,
            descending=descending,
            eligibility=eligibility,
            pay_week=pay_week,
        )

    def count_members(self, flt: RosterFilter) -> int:
        """How many members match ``flt``."""
        with self.store.read() as session:
            return roster.count_members(session, flt)

    def member_page(self, flt: RosterFilter, offset: int, limit: int, *, week_start: date) -> list[RosterRow]:
        """One page of the roster under ``flt``; hours count from ``week_start`` (a local Monday)."""
        with self.store.read() as session:
            return roster.member_page(session, flt, offset, limit, week_start=week_start, zone=self.zone)

    def roster_first_page(
        self,
        flt: RosterFilter,
        limit: int,
        *,
        week_start: date,
        cursor: uuid.UUID | None,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[int, int, list[RosterRow], int | None, RosterFilter]:
        """In one read: how many match, how many members in all, the first page, where member
        ``cursor`` is, and ``flt`` resolved (its strike-pay set worked out once, for the next pages).

        On SQLite the read stops (``OperationalError: interrupted``) as soon as ``cancelled()`` is
        true: a search overtaken by the next keystroke stops using the CPU the next one needs.
        """
        import sqlite3

        with user_errors(), self.store.read() as session:
            raw = session.connection().connection.dbapi_connection
            watched = raw if cancelled is not None and isinstance(raw, sqlite3.Connection) else None
            if watched is not None and cancelled is not None:
                stop = cancelled
                watched.set_progress_handler(lambda: int(stop()), 10_000)  # asked every 10,000 steps
            try:
                flt = roster.resolve_pay(session, flt)
                total, rows = roster.first_page(session, flt, limit, week_start=week_start, zone=self.zone)
                narrowed = bool(roster.roster_conditions(flt))
                everyone = roster.count_members(session, roster.RosterFilter()) if narrowed else total
                position = roster.member_position(session, flt, cursor) if cursor is not None else None
                return total, everyone, rows, position, flt
            finally:
                if watched is not None:
                    watched.set_progress_handler(None, 0)

    def member_position(self, flt: RosterFilter, member_id: uuid.UUID) -> int | None:
        """Where member ``member_id`` is under ``flt`` (``None``: filtered out)."""
        with self.store.read() as session:
            return roster.member_position(session, flt, member_id)

    @staticmethod
    def export_columns() -> tuple[str, ...]:
        """The columns a member export can hold, in their default order."""
        from strikeboard.services.member_export import EXPORT_COLUMNS

        return EXPORT_COLUMNS

    def unit_choices(self) -> list[str]:
        """The units members belong to, sorted."""
        with self.store.read() as session:
            return roster.unit_choices(session)

    def member_detail(self, member_id: uuid.UUID, today: date) -> MemberDetail:
        """Everything the member view shows (raises :class:`FieldProblem` if there is no such member)."""
        with user_errors(), self.store.read() as session:
            return roster.member_detail(session, member_id, today=today, zone=self.zone)

    def member_form(self, member_id: uuid.UUID) -> MemberForm:
        """A member's current values, to prefill the edit form."""
        with user_errors(), self.store.read() as session:
            return roster.member_form(session, member_id)

    def check_member(self, values: MemberForm, member_id: uuid.UUID | None = None) -> list[DuplicateHint]:
        """Validate the form's values (raises :class:`FieldProblem`); likely duplicates of them."""
        with user_errors(), self.store.read() as session:
            return roster.check_member(session, values, member_id=member_id)

    def save_member(self, values: MemberForm, member_id: uuid.UUID | None, *, actor: str) -> uuid.UUID:
        """Add a member (``member_id`` None) or save an edit, in one transaction; returns the id."""
        with user_errors(), self.store.write() as session:
            if member_id is None:
                return roster.create_member(session, values, actor=actor)
            roster.update_member(session, member_id, values, actor=actor)
            return member_id

    def deactivate_member(self, member_id: uuid.UUID, *, actor: str) -> None:
        """Mark a member inactive (never deleted)."""
        with user_errors(), self.store.write() as session:
            roster.deactivate_member(session, member_id, actor=actor)

    def preview_import(self, path: Path, encoding: str | None = None) -> ImportPreview:
        """Read and check a members CSV without writing (a file problem: :class:`FieldProblem` "path")."""
        from strikeboard.services import member_import

        with user_errors(), csv_problems(), self.store.read() as session:
            return member_import.preview_import(session, path, encoding=encoding)

    def apply_import(
        self, path: Path, encoding: str | None = None, *, actor: str, skip_rejected: bool = False
    ) -> ImportPreview:
        """Import a members CSV in one transaction: every row, or (``skip_rejected``) every valid one.

        With rejected rows and not ``skip_rejected`` nothing is written (``applied`` is False).
        """
        from strikeboard.services import member_import

        with user_errors(), csv_problems(), self.store.write() as session:
            return member_import.apply_import(
                session, path, encoding=encoding, actor=actor, skip_rejected=skip_rejected
            )

    def export_members(
        self,
        out: Path,
        flt: RosterFilter,
        *,
        columns: tuple[str, ...] | None = None,
        excel: bool = False,
        overwrite: bool = False,
    ) -> int:
        """Write the members under ``flt`` to a CSV at ``out`` (0600), ``columns`` (default all); how many."""
        from strikeboard.services import member_export
        from strikeboard.services.audit import record_export

        with user_errors(), csv_problems(), self.store.read() as session:
            written = member_export.export_members(
                session, out, flt, columns=columns, excel=excel, overwrite=overwrite
            )
        with self.store.write() as session:
            record_export(session, actor=self.store.actor, what="member", path=out, rows=written)
        return written

    def close(self) -> None:
        """Checkpoint and close the database."""
        self.store.close()
