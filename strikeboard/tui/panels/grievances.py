"""The Grievances tab: open cases by next deadline; overdue in red, due within 5 days in amber."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.style import Style
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from strikeboard.tui.format import count, days_left, names, short_day
from strikeboard.tui.messages import GrievancesLoaded
from strikeboard.tui.panels.base import DataPanel, PanelContext, Row, add_columns, cell, refill

if TYPE_CHECKING:
    from strikeboard.services.grievances import GrievanceRow

COLUMNS = (
    ("Number", "number"),
    ("Deadline", "deadline"),
    ("Days left", "days_left"),
    ("What is due", "label"),
    ("Grievant(s)", "grievants"),
    ("Step", "step"),
    ("Steward", "steward"),
)


def grievants_text(row: GrievanceRow) -> str:
    """``"class"`` for a class/union grievance, else the grievants' names."""
    if row.is_class:
        return "class" + (f" ({names(row.grievants, 1)})" if row.grievants else "")
    return names(row.grievants) or "—"


def step_text(row: GrievanceRow) -> str:
    """The step, saying so when the case is in arbitration but the step name does not."""
    if row.status == "in_arbitration" and "arbitration" not in row.step.lower():
        return f"{row.step} (arbitration)"
    return row.step


class GrievancesPanel(DataPanel):
    """Open grievances (read-only), soonest deadline first."""

    what = "the grievances"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last: GrievancesLoaded | None = None

    def compose(self) -> ComposeResult:
        yield Static("Opening the database…", classes="status", markup=False)
        yield DataTable(id="grievances-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        add_columns(self.query_one(DataTable), COLUMNS)

    def load(self, context: PanelContext) -> None:
        self._load(context, context.today())

    @work(thread=True, exclusive=True, exit_on_error=False, group="grievances")
    def _load(self, context: PanelContext, today: date) -> None:
        gateway = context.gateway
        self.post_message(GrievancesLoaded(today, gateway.open_grievances(today), gateway.due_soon_days))

    def on_grievances_loaded(self, message: GrievancesLoaded) -> None:
        self._last = message
        self.redraw()

    def redraw(self) -> None:
        if self._last is None:
            return
        rows = self._last.rows
        overdue = self.theme_style("text-error", bold=True)
        soon = self.theme_style("text-warning", bold=True)
        table_rows: list[Row] = []
        label_width = 24 if self.narrow else 40
        for row in rows:
            style: Any = ""
            if row.overdue:
                style = overdue
            elif row.due_soon:
                style = soon
            cells = {
                "number": cell(row.number, style),
                "deadline": cell(short_day(row.next_deadline) if row.next_deadline else "—", style),
                "days_left": cell(days_left(row.days_left), style),
                "label": cell(row.next_deadline_label, limit=label_width),
                "grievants": cell(grievants_text(row)),
                "step": cell(step_text(row)),
                "steward": cell(row.steward or "—", "" if row.steward else Style(dim=True)),
            }
            table_rows.append((str(row.id), cells))
        refill(self.query_one(DataTable), table_rows)
        n_overdue = sum(r.overdue for r in rows)
        n_soon = sum(r.due_soon for r in rows)
        self.status.update(
            f"{count(len(rows), 'open grievance')} · {n_overdue} overdue · "
            f"{n_soon} due within {self._last.due_soon_days} days · as of {short_day(self._last.today)}"
        )
