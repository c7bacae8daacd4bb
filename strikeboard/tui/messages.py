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
    from strikeboard.services.roster import MemberPage
    from strikeboard.services.shifts import BoardShift, WeekShift
    from strikeboard.tui.data import Gateway
    from strikeboard.tui.panels.base import DataPanel


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
    """A page of the roster for a search."""

    page: MemberPage


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
