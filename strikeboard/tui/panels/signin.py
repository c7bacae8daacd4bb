"""The Sign-in tab: today's shifts per gate, who is on the line now, and whether a captain is."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from strikeboard.tui.format import count, headcount, names, short_day, time_range
from strikeboard.tui.keys import PanelKey
from strikeboard.tui.messages import SignInLoaded
from strikeboard.tui.panels.base import DataPanel, PanelContext, Row, add_columns, cell, refill

if TYPE_CHECKING:
    from strikeboard.services.shifts import BoardShift

#: The Sign-in-tab keys; the app binds them (see :mod:`strikeboard.tui.keys`).
SIGNIN_KEYS: tuple[PanelKey, ...] = ()

#: Reload the board this often (seconds): people sign in at other laptops.
AUTO_REFRESH_SECONDS = 60

COLUMNS = (
    ("Gate", "gate"),
    ("Time", "time"),
    ("State", "state"),
    ("In now/need", "in_now"),
    ("Captain", "captain"),
    ("Assigned", "assigned"),
    ("Came", "came"),
)


class SignInPanel(DataPanel):
    """Today's sign-in board (read-only): one row per shift, grouped by gate."""

    what = "today's sign-in board"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last: SignInLoaded | None = None

    def compose(self) -> ComposeResult:
        yield Static("Opening the database…", classes="status", markup=False)
        yield DataTable(id="signin-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        add_columns(self.query_one(DataTable), COLUMNS)
        self.set_interval(AUTO_REFRESH_SECONDS, self.reload)

    def load(self, context: PanelContext) -> None:
        self._load(context)

    @work(thread=True, exclusive=True, exit_on_error=False, group="signin")
    def _load(self, context: PanelContext) -> None:
        now = context.now()
        self.post_message(SignInLoaded(now, context.gateway.sign_in_board(now)))

    def on_sign_in_loaded(self, message: SignInLoaded) -> None:
        self._last = message
        self.redraw()

    def redraw(self) -> None:
        if self._last is None or self.context is None:
            return
        now, shifts = self._last.now, self._last.shifts
        zone = self.context.zone
        refill(self.query_one(DataTable), self._rows(shifts, now))
        running = [s for s in shifts if s.running(now)]
        gates = len({s.location for s in shifts})
        parts = [f"Today {short_day(now.date())}"]
        if shifts:
            parts.append(f"{count(len(shifts), 'shift')} at {count(gates, 'gate')}")
            parts.append(f"{len(running)} running")
            parts.append(f"{sum(s.signed_in_now for s in running)} on the line")
        else:
            parts.append("no shifts scheduled today")
        parts.append(f"updated {now.astimezone(zone):%H:%M}")
        self.status.update(" · ".join(parts))

    def _rows(self, shifts: list[BoardShift], now: datetime) -> list[Row]:
        assert self.context is not None
        zone = self.context.zone
        muted = Style(dim=True)
        good = self.theme_style("text-success", bold=True)
        bad = self.theme_style("text-error", bold=True)
        warn = self.theme_style("text-warning")
        rows: list[Row] = []
        previous_gate = None
        gate_width = 22 if self.narrow else 40
        for shift in shifts:
            running, ended = shift.running(now), shift.ended(now)
            row_style: Any = muted if (ended or shift.cancelled) else ""
            if shift.cancelled:
                state = cell("cancelled", bad)
            elif running:
                state = cell("▶ now", good)
            elif ended:
                state = cell("done", muted)
            else:
                state = cell("later")
            need = headcount(shift.min_headcount, shift.max_headcount)
            in_now = cell(f"{shift.signed_in_now if running else '–'} / {need}", row_style)
            if running and shift.signed_in_now < shift.min_headcount:
                in_now = cell(f"{shift.signed_in_now} / {need}", bad)
            elif running and shift.signed_in_now > shift.max_headcount:
                in_now = cell(f"{shift.signed_in_now} / {need}", warn)
            elif running:
                in_now = cell(f"{shift.signed_in_now} / {need}", good)
            cells = {
                "gate": cell(
                    shift.location if shift.location != previous_gate else "", row_style, limit=gate_width
                ),
                "time": cell(time_range(shift.starts_at, shift.ends_at, zone), row_style),
                "state": state,
                "in_now": in_now,
                "captain": self._captain(shift, now, row_style, good, bad, warn),
                "assigned": cell(shift.assigned, row_style),
                "came": cell(shift.signed_in_total if (running or ended) else "–", row_style),
            }
            rows.append((str(shift.id), cells))
            previous_gate = shift.location
        return rows

    @staticmethod
    def _captain(
        shift: BoardShift, now: datetime, row_style: Any, good: Style, bad: Style, warn: Style
    ) -> Text:
        """Who captains the shift, and whether they are there."""
        if shift.captains_present:
            return cell("✓ " + names(shift.captains_present, 1), good if shift.running(now) else row_style)
        if shift.cancelled or shift.ended(now):
            return cell("–", row_style)
        if shift.running(now):
            if shift.captains_assigned:
                return cell(f"✗ not in ({names(shift.captains_assigned, 1)})", bad)
            return cell(
                "✗ none" if shift.captain_needed else "not needed", bad if shift.captain_needed else ""
            )
        if shift.captains_assigned:
            return cell(names(shift.captains_assigned, 1))
        return cell("none assigned", warn) if shift.captain_needed else cell("not needed", Style(dim=True))
