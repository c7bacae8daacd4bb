"""The Shifts tab: a week's shifts (Monday–Sunday, local time) by day and gate, and how full they are."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.style import Style
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from strikeboard.tui.format import count, headcount, short_day, time_range
from strikeboard.tui.keys import PanelKey
from strikeboard.tui.messages import WeekLoaded
from strikeboard.tui.panels.base import DataPanel, PanelContext, Row, add_columns, cell, refill

if TYPE_CHECKING:
    from strikeboard.services.shifts import WeekShift

COLUMNS = (
    ("Day", "day"),
    ("Gate", "gate"),
    ("Time", "time"),
    ("Filled", "filled"),
    ("Captain", "captain"),
    ("Note", "note"),
)


#: The Shifts-tab keys; the app binds them (see :mod:`strikeboard.tui.keys`).
SHIFT_KEYS: tuple[PanelKey, ...] = (
    PanelKey("p", "previous_week", "Prev week", "Previous week", "Shifts: the week before (p)"),
    PanelKey("n", "next_week", "Next week", "Next week", "Shifts: the week after (n)"),
    PanelKey("t", "this_week", "This week", "This week", "Shifts: back to the current week (t)"),
)


def monday_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


class ShiftsPanel(DataPanel):
    """One week of shifts (read-only); the app binds :data:`SHIFT_KEYS` to its methods."""

    what = "the week's shifts"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.monday: date | None = None
        self._last: WeekLoaded | None = None

    def compose(self) -> ComposeResult:
        yield Static("Opening the database…", classes="status", markup=False)
        yield DataTable(id="shifts-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        add_columns(self.query_one(DataTable), COLUMNS)

    def load(self, context: PanelContext) -> None:
        if self.monday is None:
            self.monday = monday_of(context.today())
        self._load(context, self.monday)

    @work(thread=True, exclusive=True, exit_on_error=False, group="shifts")
    def _load(self, context: PanelContext, monday: date) -> None:
        self.post_message(WeekLoaded(monday, context.gateway.week(monday)))

    def previous_week(self) -> None:
        """Show the week before."""
        self._week(-1)

    def next_week(self) -> None:
        """Show the week after."""
        self._week(1)

    def this_week(self) -> None:
        """Back to the current week."""
        self._week(0)

    def _week(self, step: int) -> None:
        """Show the previous (-1) or next (1) week, or this week (0)."""
        if self.context is None:
            return
        this_week = monday_of(self.context.today())
        base = self.monday or this_week
        self.monday = this_week if step == 0 else base + timedelta(weeks=step)
        self.status.update(f"Loading the week of {short_day(self.monday)}…")
        self.reload()

    def on_week_loaded(self, message: WeekLoaded) -> None:
        if message.monday != self.monday:
            return  # the user has moved on to another week
        self._last = message
        self.redraw()

    def redraw(self) -> None:
        if self._last is None or self.context is None:
            return
        monday, shifts = self._last.monday, self._last.shifts
        table = self.query_one(DataTable)
        refill(table, self._rows(shifts))
        sunday = monday + timedelta(days=6)
        this_week = monday_of(self.context.today())
        label = {0: "This week", -1: "Last week", 1: "Next week"}.get((monday - this_week).days // 7, "Week")
        parts = [f"{label}: {short_day(monday)} – {short_day(sunday)} {sunday.year}"]
        if shifts:
            live = [s for s in shifts if not s.cancelled]
            parts.append(count(len(live), "shift"))
            parts.append(f"{sum(s.short for s in live)} short")
            parts.append(f"{sum(s.captain_needed and not s.captain_assigned for s in live)} without captain")
            cancelled = len(shifts) - len(live)
            if cancelled:
                parts.append(f"{cancelled} cancelled")
        else:
            parts.append("no shifts scheduled")
        self.status.update(" · ".join(parts))

    def _rows(self, shifts: list[WeekShift]) -> list[Row]:
        assert self.context is not None
        zone = self.context.zone
        today = self.context.today()
        muted = Style(dim=True)
        bad = self.theme_style("text-error", bold=True)
        warn = self.theme_style("text-warning")
        good = self.theme_style("text-success")
        rows: list[Row] = []
        previous_day = None
        for shift in shifts:
            style: Any = muted if (shift.cancelled or shift.day < today) else ""
            fill = f"{shift.assigned} / {headcount(shift.min_headcount, shift.max_headcount)}"
            if shift.cancelled:
                filled, note = cell(fill, style), cell("cancelled", bad)
            elif shift.short:
                filled, note = cell(fill, bad), cell(f"short {shift.min_headcount - shift.assigned}", bad)
            elif shift.full:
                filled, note = cell(fill, good), cell("full", good)
            else:
                filled, note = cell(fill, style), cell("", style)
            if shift.cancelled or not shift.captain_needed:
                captain = cell("–" if shift.cancelled else "not needed", muted)
            elif shift.captain_assigned:
                captain = cell("✓", style)
            else:
                captain = cell("none", warn)
            day_style: Any = Style(bold=True) if shift.day == today else style
            cells = {
                "day": cell(short_day(shift.day) if shift.day != previous_day else "", day_style),
                "gate": cell(shift.location, style, limit=22 if self.narrow else 40),
                "time": cell(time_range(shift.starts_at, shift.ends_at, zone), style),
                "filled": filled,
                "captain": captain,
                "note": note,
            }
            rows.append((str(shift.id), cells))
            previous_day = shift.day
        return rows
