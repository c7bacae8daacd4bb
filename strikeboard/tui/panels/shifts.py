"""The Shifts tab: a week grid (gates × Monday–Sunday, local time) coloured by coverage.

Each cell lists that gate-day's shifts as ``06–10 3/4`` (start–end hours, assigned /
minimum) in the error colour when short of the minimum (and a ``!``), the warning colour
when a needed captain is missing (``*``), the success colour when covered, struck and dim
when cancelled (``✕``). Today's column is highlighted. The keyboard does everything: the
arrows move between cells and through a cell's shifts (see
:class:`~strikeboard.tui.widgets.week_grid.WeekGrid`), Enter opens the shift (or, on an
empty cell, plans one there), and the app binds :data:`SHIFT_KEYS` (weeks, new shift or
series, locations, auto-fill). Writes run in thread workers through the gateway; afterwards
the grid is read again with the cursor on the same cell.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static

from strikeboard.tui.format import count, headcount, short_day, time_range
from strikeboard.tui.keys import PanelKey
from strikeboard.tui.panels.base import DataPanel, PanelContext
from strikeboard.tui.widgets.week_grid import GridItem, GridRow, WeekGrid

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from strikeboard.services.shifts import WeekShift
    from strikeboard.tui.data_shifts import WeekGridData


#: The Shifts-tab keys; the app binds them (see :mod:`strikeboard.tui.keys`). "A" is kept for auto-fill.
SHIFT_KEYS: tuple[PanelKey, ...] = (
    PanelKey("p", "previous_week", "Prev week", "Previous week", "Shifts: the week before (p)"),
    PanelKey("n", "next_week", "Next week", "Next week", "Shifts: the week after (n)"),
    PanelKey("t", "this_week", "This week", "This week", "Shifts: back to the current week (t)"),
    PanelKey(
        "o", "open_shift", "Open", "Open shift", "Shifts: the shift under the cursor (Enter or o)", False
    ),
    PanelKey("N", "new_shift", "New shift", "New shift or series", "Shifts: plan shifts at a gate (N)"),
    PanelKey("L", "show_locations", "Locations", "Picket locations", "Shifts: list, add, edit gates (L)"),
    PanelKey(
        "A", "auto_fill", "Auto-fill", "Auto-fill shifts", "Shifts: balance volunteers, preview first (A)"
    ),
)

#: The mark after a shift's numbers, by coverage (colour is not the only signal).
MARKS = {"short": "!", "no-captain": "*", "covered": "", "cancelled": "✕"}

#: What the marks mean (shown under the grid).
LEGEND = "! short · * no captain · ✕ cancelled"


def monday_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def coverage(shift: WeekShift) -> str:
    """``"cancelled"``, ``"short"`` (below the minimum), ``"no-captain"`` (one needed) or ``"covered"``."""
    if shift.cancelled:
        return "cancelled"
    if shift.assigned < shift.min_headcount:
        return "short"
    if shift.captain_needed and not shift.captain_assigned:
        return "no-captain"
    return "covered"


def hours(shift: WeekShift, zone: ZoneInfo) -> str:
    """``"06–10"`` (``"06:30–10"`` when not on the hour; ``+1`` when it ends the next day)."""
    start, end = shift.starts_at.astimezone(zone), shift.ends_at.astimezone(zone)

    def short(moment: Any) -> str:
        return f"{moment:%H}" if moment.minute == 0 else f"{moment:%H:%M}"

    nextday = "+1" if end.date() > start.date() else ""
    return f"{short(start)}–{short(end)}{nextday}"


def grid_item(shift: WeekShift, zone: ZoneInfo) -> GridItem:
    """One shift as a cell line: ``06–10 3/4!`` (``06 3/4!`` where the column is narrow)."""
    kind, key = coverage(shift), str(shift.id)
    span = hours(shift, zone)
    start = span.split("–")[0]
    if kind == "cancelled":
        return GridItem(key, f"{span} ✕", kind, f"{start} ✕")
    numbers = f"{shift.assigned}/{shift.min_headcount}{MARKS[kind]}"
    return GridItem(key, f"{span} {numbers}", kind, f"{start} {numbers}")


def grid_rows(data: WeekGridData, zone: ZoneInfo) -> list[GridRow]:
    """The gates as grid rows (keyed by name), each with its shifts per day in start order."""
    by_cell: dict[tuple[str, int], list[WeekShift]] = {}
    for shift in data.shifts:
        by_cell.setdefault((shift.location, (shift.day - data.monday).days), []).append(shift)
    names = [gate.name for gate in data.locations]
    names += sorted({shift.location for shift in data.shifts} - set(names))
    inactive = {gate.name for gate in data.locations if not gate.active}
    rows = []
    for name in names:
        cells = tuple(
            tuple(grid_item(s, zone) for s in sorted(by_cell.get((name, day), []), key=lambda s: s.starts_at))
            for day in range(7)
        )
        rows.append(GridRow(name, f"{name} (inactive)" if name in inactive else name, cells))
    return rows


@dataclass
class WeekGridLoaded(Message):
    """The week grid's data for the week starting ``data.monday``."""

    data: WeekGridData


class ShiftsPanel(DataPanel):
    """One week of shifts as a gates × days grid; the app binds :data:`SHIFT_KEYS` to its methods."""

    what = "the week's shifts"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.monday: date | None = None
        self._last: WeekGridData | None = None
        self._by_id: dict[str, WeekShift] = {}

    def compose(self) -> ComposeResult:
        yield Static("Opening the database…", classes="status", markup=False)
        yield WeekGrid(id="shifts-grid")
        yield Static("", id="shifts-detail", markup=False)

    @property
    def grid(self) -> WeekGrid:
        """The week grid."""
        return self.query_one("#shifts-grid", WeekGrid)

    def focus_main(self) -> None:
        """Focus the grid."""
        self.focus_now(self.grid)

    # -- loading ---------------------------------------------------------------------------

    def load(self, context: PanelContext) -> None:
        if self.monday is None:
            self.monday = monday_of(context.today())
        self._load(context, self.monday)

    @work(thread=True, exclusive=True, exit_on_error=False, group="shifts")
    def _load(self, context: PanelContext, monday: date) -> None:
        self.post_message(WeekGridLoaded(context.gateway.week_grid(monday)))

    def on_week_grid_loaded(self, message: WeekGridLoaded) -> None:
        if message.data.monday != self.monday:
            return  # the user has moved on to another week
        self._last = message.data
        self._by_id = {str(shift.id): shift for shift in message.data.shifts}
        self.redraw()

    @property
    def shifts(self) -> list[WeekShift]:
        """The shifts of the week shown."""
        return list(self._last.shifts) if self._last is not None else []

    # -- weeks -----------------------------------------------------------------------------

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

    # -- drawing ---------------------------------------------------------------------------

    def redraw(self) -> None:
        data, context = self._last, self.context
        if data is None or context is None:
            return
        today = context.today()
        days = [data.monday + timedelta(days=i) for i in range(7)]
        labels = [f"{day:%a} {day.day}" for day in days]
        highlight = (today - data.monday).days if data.monday <= today < data.monday + timedelta(7) else None
        corner = f"{data.monday:%b %Y}"
        self.grid.set_data(labels, grid_rows(data, context.zone), corner=corner, highlight=highlight)
        self.status.update(self.describe())
        self._show_detail()

    def describe(self) -> str:
        """The status line: which week, and its totals (shifts, short, without captain, cancelled)."""
        data, context = self._last, self.context
        if data is None or context is None:
            return ""
        monday, shifts = data.monday, data.shifts
        sunday = monday + timedelta(days=6)
        this_week = monday_of(context.today())
        label = {0: "This week", -1: "Last week", 1: "Next week"}.get((monday - this_week).days // 7, "Week")
        parts = [f"{label}: {short_day(monday)} – {short_day(sunday)} {sunday.year}"]
        if shifts:
            live = [s for s in shifts if not s.cancelled]
            parts.append(count(len(live), "shift"))
            parts.append(f"{sum(coverage(s) == 'short' for s in live)} short")
            parts.append(f"{sum(s.captain_needed and not s.captain_assigned for s in live)} without captain")
            cancelled = len(shifts) - len(live)
            if cancelled:
                parts.append(f"{cancelled} cancelled")
        else:
            parts.append("no shifts scheduled · N plans some")
        return " · ".join(parts)

    @on(WeekGrid.Moved, "#shifts-grid")
    def _moved(self, event: WeekGrid.Moved) -> None:
        event.stop()
        self._show_detail()

    def _show_detail(self) -> None:
        """The line under the grid: the shift under the cursor in words (or the empty cell)."""
        data, context = self._last, self.context
        if data is None or context is None:
            return
        grid = self.grid
        gate, column = grid.cursor_row_key, grid.cursor.column
        shift = self._by_id.get(grid.cursor_item_key or "")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if shift is not None:
            zone = context.zone
            text.append(f"{short_day(shift.day)} {time_range(shift.starts_at, shift.ends_at, zone)}", "bold")
            text.append(f" · {shift.location} · ")
            kind = coverage(shift)
            if kind == "cancelled":
                text.append("cancelled", "dim")
            else:
                need = headcount(shift.min_headcount, shift.max_headcount)
                text.append(f"{shift.assigned} assigned, needs {need}")
                if kind == "short":
                    text.append(f" · short {shift.min_headcount - shift.assigned}", "bold")
                if shift.captain_needed:
                    text.append(" · captain ✓" if shift.captain_assigned else " · no captain yet")
        elif gate is not None:
            day = data.monday + timedelta(days=column)
            text.append(f"{short_day(day)} · {gate}: no shift · Enter or N plans one")
        text.append(f"\n{LEGEND} · arrows move · Enter opens · N plans · L locations", "dim")
        self.query_one("#shifts-detail", Static).update(text)

    # -- the shift under the cursor --------------------------------------------------------

    @property
    def cursor_shift(self) -> WeekShift | None:
        """The shift under the cursor (``None``: an empty cell)."""
        return self._by_id.get(self.grid.cursor_item_key or "")

    @property
    def cursor_day(self) -> date | None:
        """The day of the cursor's column."""
        return self._last.monday + timedelta(days=self.grid.cursor.column) if self._last else None

    @on(WeekGrid.Selected, "#shifts-grid")
    def _selected(self, event: WeekGrid.Selected) -> None:
        event.stop()
        if event.item_key is None:
            self.new_shift()
        else:
            self.show_shift(uuid.UUID(event.item_key))

    def open_shift(self) -> None:
        """Open the shift under the cursor."""
        if (shift := self.cursor_shift) is not None:
            self.show_shift(shift.id)

    def show_shift(self, shift_id: uuid.UUID) -> None:
        """Push the drill-in view of ``shift_id``."""
        if self.context is None:
            return
        from strikeboard.tui.screens.shift import ShiftScreen

        self.app.push_screen(ShiftScreen(self.context, shift_id, self))

    def new_shift(self) -> None:
        """Plan a shift or a series, starting from the cursor's gate and day."""
        if self.context is None or self._last is None:
            return
        from strikeboard.tui.forms.shift import NewShiftForm

        gate = self.grid.cursor_row_key
        gate_id = next((row.id for row in self._last.locations if row.name == gate), None)
        form = NewShiftForm(
            self.context.gateway,
            self.actor,
            self.context.today(),
            gates=[row for row in self._last.locations if row.active],
            gate_id=gate_id,
            day=self.cursor_day or self.context.today(),
        )
        self.app.push_screen(form, self.saved)

    def show_locations(self) -> None:
        """Open the locations screen (list, add, edit, deactivate)."""
        if self.context is None:
            return
        from strikeboard.tui.forms.locations import LocationsScreen

        self.app.push_screen(
            LocationsScreen(self.context.gateway, self.actor, self.context.today()), lambda _: self.reload()
        )

    def auto_fill(self) -> None:
        """Open the scheduler's preview for the week shown (every active gate unless narrowed)."""
        if self.context is None or self._last is None or self.monday is None:
            return
        from strikeboard.tui.forms.autofill import AutoFillScreen

        gates = [(row.id, row.name) for row in self._last.locations if row.active]
        self.app.push_screen(
            AutoFillScreen(self.context.gateway, self.actor, self.monday, gates), self.saved
        )

    def saved(self, summary: str | None) -> None:
        """A form wrote something: say so and read the week again (the cursor stays on its cell)."""
        if summary:
            self.app.notify(summary, title="Saved", markup=False)
            self.reload()

    @property
    def actor(self) -> str:
        """Who is making changes (the app's operator)."""
        return str(getattr(self.app, "operator", "") or "unknown")
