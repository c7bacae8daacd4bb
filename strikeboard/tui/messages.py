"""Messages the TUI posts: data loaded by thread workers, and failures to report.

Workers never touch widgets: they post one of these to their panel (or the app), and
the handler, running on the UI thread, updates the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    import uuid

    from strikeboard.services.grievances import GrievanceCounts, GrievanceDetail, GrievanceRow
    from strikeboard.services.roster import MemberDetail, RosterFilter
    from strikeboard.services.shifts import BoardShift, WeekShift
    from strikeboard.tui.data import Gateway
    from strikeboard.tui.panels.base import DataPanel
    from strikeboard.tui.widgets.virtual_table import VirtualRow


@dataclass
class StoreOpened(Message):
    """The database is open and the settings are read."""

    gateway: Gateway


@dataclass
class PanelReady(Message):
    """A tab's panel has mounted and can be connected to the store."""

    panel: DataPanel


@dataclass
class WorkFailed(Message):
    """A worker failed; the app shows ``error`` as a notification (never a traceback)."""

    what: str  # what was being done, e.g. "load the roster"
    error: BaseException


@dataclass
class SignInLoaded(Message):
    """Today's sign-in board, as of ``now``."""

    now: datetime
    shifts: list[BoardShift]


@dataclass
class WeekLoaded(Message):
    """The shifts of the week starting ``monday``."""

    monday: date
    shifts: list[WeekShift]


@dataclass
class RosterLoaded(Message):
    """The roster under one search/filters/sort: how many match, the first page, where the cursor goes."""

    filters: tuple[object, ...]  # the panel's filters these rows answer (stale loads are dropped)
    flt: RosterFilter  # the same, as the gateway takes them (for further pages)
    week_start: date  # "hours this week" count from this Monday
    total: int  # members matching
    everyone: int  # members in all (== total when nothing narrows the list)
    rows: list[VirtualRow]  # the first page
    position: int | None  # where the cursor goes (None: keep its index)


@dataclass
class MemberLoaded(Message):
    """One member's detail view, as of ``today``."""

    detail: MemberDetail
    today: date


@dataclass
class MemberSaved(Message):
    """A member was added, edited or deactivated (or members imported: ``member_id`` None)."""

    summary: str
    member_id: uuid.UUID | None = None


@dataclass
class GrievancesLoaded(Message):
    """Grievances (the first page of the filtered list), with days left counted from ``today``."""

    today: date
    rows: list[GrievanceRow]
    due_soon_days: int  # the "due soon" window the rows were classified with
    due: list[GrievanceRow] | None = None  # the "due this week" panel (None: not loaded)
    filters: tuple[object, ...] = ()  # the filters the rows answer (stale loads are dropped)
    stewards: list[tuple[uuid.UUID, str]] | None = None  # filter choices (None: unchanged)
    steps: list[str] | None = None
    employers: list[str] | None = None
    counts: GrievanceCounts | None = None  # the whole filtered list (``rows`` is its first page)
    query: dict[str, object] | None = None  # the filters as the gateway takes them (for more pages)
    position: int | None = None  # where the case under the cursor is now (None: unknown/gone)


@dataclass
class GrievanceLoaded(Message):
    """One case with its timeline, for the case view."""

    detail: GrievanceDetail
    today: date


@dataclass
class GrievanceSaved(Message):
    """A grievance was filed or changed: ``summary`` names the case ("G-2026-0042: advanced")."""

    summary: str
