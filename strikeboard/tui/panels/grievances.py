"""The Grievances tab: what is due this week, then every case by next deadline, filtered.

Overdue deadlines are red, those due within 5 days amber. The "due this week" list at the
top is what a steward sees first; below it, a search box (number, grievant, article) and
filters by status (closed ones too), steward, employer and step, all applied in the
service. Enter (or ``o``) opens the case view; ``n`` files a new case.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from strikeboard.tui.format import count, days_left, names, short_day
from strikeboard.tui.messages import GrievanceSaved, GrievancesLoaded
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

#: The status filter: ``(label, value)``; ``"active"`` = open and in arbitration (the default).
STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    ("Open + arbitration", "active"),
    ("All statuses", "all"),
    ("Open", "open"),
    ("In arbitration", "in_arbitration"),
    ("Settled", "settled"),
    ("Withdrawn", "withdrawn"),
    ("Won", "won"),
    ("Lost", "lost"),
)

#: Rows put in the table at most (DataTable measures every cell: 5,000 rows take ~2 s). The
#: list is sorted by deadline, so these are the most urgent; the status line says how many more.
PAGE_SIZE = 200

#: Cases listed in the "due this week" panel at most (the title gives the full count).
DUE_SHOWN = 50

#: Wait this long after the last keystroke before searching (seconds).
DEBOUNCE_SECONDS = 0.15


def grievants_text(row: GrievanceRow) -> str:
    """``"class"`` for a class/union grievance, else the grievants' names."""
    if row.is_class:
        return "class" + (f" ({names(row.grievants, 1)})" if row.grievants else "")
    return names(row.grievants) or "—"


def step_text(row: GrievanceRow) -> str:
    """The step, saying so when the case is in arbitration (or closed) but the step name does not."""
    if row.status == "in_arbitration" and "arbitration" not in row.step.lower():
        return f"{row.step} (arbitration)"
    if row.status not in ("open", "in_arbitration"):
        return f"{row.step} ({row.status})"
    return row.step


class GrievancesPanel(DataPanel):
    """Grievances by next deadline, with a "due this week" list, search and filters."""

    what = "the grievances"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_filters", "Back to the list", show=False, id="grievances.leave_filters"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last: GrievancesLoaded | None = None
        self._debounce: Timer | None = None
        self.search_text = ""
        self.status_filter = "active"
        self.steward_filter = ""
        self.employer_filter = ""
        self.step_filter = ""
        self.employers: set[str] = set()
        self._choices_loaded = False

    def compose(self) -> ComposeResult:
        due = OptionList(id="grievances-due", compact=True)
        due.border_title = "Due this week"
        yield due
        yield Static("Opening the database…", classes="status", markup=False)
        with Horizontal(id="grievance-filters"):
            yield Input(
                placeholder="/ search: number, grievant, article", id="grievance-search", compact=True
            )
            yield Select(
                [(label, value) for label, value in STATUS_CHOICES],
                value="active",
                allow_blank=False,
                id="grievance-status",
                compact=True,
            )
            yield Select([], prompt="Any steward", id="grievance-steward", compact=True)
            yield Select([], prompt="Any employer", id="grievance-employer", compact=True)
            yield Select([], prompt="Any step", id="grievance-step", compact=True)
        yield DataTable(id="grievances-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        add_columns(self.query_one("#grievances-table", DataTable), COLUMNS)

    def focus_main(self) -> None:
        """Focus the list of cases."""
        self.focus_now(self.query_one("#grievances-table", DataTable))

    # -- loading -----------------------------------------------------------------------

    @property
    def filters(self) -> tuple[str, str, str, str, str]:
        """The current ``(status, steward, employer, step, search)``."""
        return (
            self.status_filter,
            self.steward_filter,
            self.employer_filter,
            self.step_filter,
            self.search_text.strip(),
        )

    def load(self, context: PanelContext) -> None:
        self._load(context, context.today(), self.filters, not self._choices_loaded)

    @work(thread=True, exclusive=True, exit_on_error=False, group="grievances")
    def _load(self, context: PanelContext, today: date, filters: tuple[str, ...], choices: bool) -> None:
        gateway = context.gateway
        status, steward, employer, step, search = filters
        rows = gateway.grievance_list(
            today,
            status=None if status == "active" else status,
            steward=steward,
            employer=employer,
            step=step,
            search=search,
        )
        due = gateway.due_this_week(today)
        self.post_message(
            GrievancesLoaded(
                today,
                rows,
                gateway.due_soon_days,
                due=due,
                filters=filters,
                stewards=gateway.steward_choices() if choices else None,
                steps=gateway.grievance_steps if choices else None,
            )
        )

    def on_grievances_loaded(self, message: GrievancesLoaded) -> None:
        if message.filters and message.filters != self.filters:
            return  # the filters changed since: a newer load is on its way
        self._last = message
        if message.stewards is not None:
            self._choices_loaded = True
            self._set_options("#grievance-steward", [(name, name) for _, name in message.stewards])
        if message.steps is not None:
            self._set_options("#grievance-step", [(step, step) for step in message.steps])
        new_employers = {row.employer for row in message.rows if row.employer} - self.employers
        if new_employers:
            self.employers |= new_employers
            self._set_options(
                "#grievance-employer", [(e, e) for e in sorted(self.employers, key=str.casefold)]
            )
        self.redraw()

    def _set_options(self, selector: str, options: list[tuple[str, str]]) -> None:
        """Replace a filter's choices, keeping what is chosen (names shown literally)."""
        select: Select[str] = self.query_one(selector, Select)
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options([(Text(label), value) for label, value in options])
            if current is not Select.NULL and any(value == current for _, value in options):
                select.value = current

    # -- filters and search ------------------------------------------------------------

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        value = "" if event.value is Select.NULL else str(event.value)
        target = event.select.id
        if target == "grievance-status":
            self.status_filter = value or "active"
        elif target == "grievance-steward":
            self.steward_filter = value
        elif target == "grievance-employer":
            self.employer_filter = value
        elif target == "grievance-step":
            self.step_filter = value
        else:
            return
        if self._last is None or self._last.filters != self.filters:
            self.reload()

    @on(Input.Changed, "#grievance-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.reload)

    @on(Input.Submitted, "#grievance-search")
    def _search_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.reload()
        self.focus_main()

    def action_search(self) -> None:
        """Put the cursor in the search box."""
        self.focus_now(self.query_one("#grievance-search", Input))

    def action_filters(self) -> None:
        """Move to the first filter (status); Tab goes on to steward, employer, step."""
        self.focus_now(self.query_one("#grievance-status", Select))

    def action_due(self) -> None:
        """Move to the "due this week" list."""
        due = self.query_one("#grievances-due", OptionList)
        if due.highlighted is None and due.option_count:
            due.highlighted = 0
        self.focus_now(due)

    def action_leave_filters(self) -> None:
        """Back from the search box or a filter to the list."""
        self.focus_main()

    # -- opening a case ----------------------------------------------------------------

    @on(DataTable.RowSelected, "#grievances-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_case(uuid.UUID(event.row_key.value))

    @on(OptionList.OptionSelected, "#grievances-due")
    def _due_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_case(uuid.UUID(event.option.id))

    def action_open_case(self) -> None:
        """Open the case under the cursor (of the due list when it has the focus)."""
        due = self.query_one("#grievances-due", OptionList)
        if due.has_focus and due.highlighted is not None:
            option = due.get_option_at_index(due.highlighted)
            if option.id:
                self.open_case(uuid.UUID(option.id))
            return
        table = self.query_one("#grievances-table", DataTable)
        if table.row_count and table.is_valid_row_index(table.cursor_row):
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self.open_case(uuid.UUID(key))

    def open_case(self, grievance_id: uuid.UUID) -> None:
        """Show the case view of ``grievance_id``."""
        if self.context is None:
            return
        from strikeboard.tui.screens.grievance_case import GrievanceCaseScreen

        self.app.push_screen(GrievanceCaseScreen(self.context, grievance_id))

    def new_grievance(self) -> None:
        """Open the "file a grievance" form (stewards are read first, in a thread)."""
        if self.context is not None:
            self._open_form(self.context)

    @work(thread=True, exclusive=True, exit_on_error=False, group="grievance-form")
    def _open_form(self, context: PanelContext) -> None:
        stewards = context.gateway.steward_choices()
        self.app.call_from_thread(self._show_form, context, stewards)

    def _show_form(self, context: PanelContext, stewards: list[tuple[uuid.UUID, str]]) -> None:
        from strikeboard.tui.forms.file_grievance import FileGrievanceForm
        from strikeboard.tui.screens.grievance_case import actor_of

        if len(self.app.screen_stack) > 1:
            return  # something else opened meanwhile
        form = FileGrievanceForm(context.gateway, actor_of(self.app), context.today(), stewards)

        def filed(summary: str | None) -> None:
            if summary:
                self.post_message(GrievanceSaved(summary))

        self.app.push_screen(form, filed)

    # -- drawing -----------------------------------------------------------------------

    def redraw(self) -> None:
        if self._last is None:
            return
        rows = self._last.rows
        overdue = self.theme_style("text-error", bold=True)
        soon = self.theme_style("text-warning", bold=True)

        def row_style(row: GrievanceRow) -> Any:
            if row.overdue:
                return overdue
            if row.due_soon:
                return soon
            return ""

        table_rows: list[Row] = []
        label_width = 24 if self.narrow else 40
        for row in rows[:PAGE_SIZE]:
            style = row_style(row)
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
        refill(self.query_one("#grievances-table", DataTable), table_rows)
        self._draw_due(row_style, label_width)

        n_overdue = sum(r.overdue for r in rows)
        n_soon = sum(r.due_soon for r in rows)
        filtered = self.filters != ("active", "", "", "", "")
        noun = "open grievance" if self.status_filter == "active" else "grievance"
        shown = f"showing {PAGE_SIZE} of " if len(rows) > PAGE_SIZE else ""
        self.status.update(
            f"{shown}{count(len(rows), noun)}{' matching' if filtered else ''} · {n_overdue} overdue · "
            f"{n_soon} due within {self._last.due_soon_days} days · as of {short_day(self._last.today)}"
            " · n new · / search · f filters"
        )

    def _draw_due(self, row_style: Any, label_width: int) -> None:
        assert self._last is not None
        due_list = self.query_one("#grievances-due", OptionList)
        due = self._last.due or []
        highlighted = due_list.highlighted
        due_list.clear_options()
        n_overdue = sum(r.overdue for r in due)
        due_list.border_title = f"Due this week: {len(due)}" + (
            f" ({n_overdue} overdue)" if n_overdue else ""
        )
        if not due:
            due_list.add_option(Option(Text("Nothing due by Friday.", style="dim"), disabled=True))
            return
        for row in due[:DUE_SHOWN]:
            style = row_style(row)
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{row.number}  ", style="bold")
            line.append(f"{short_day(row.next_deadline) if row.next_deadline else '':<11}", style=style)
            line.append(f"{days_left(row.days_left):<17}", style=style)
            label = row.next_deadline_label
            line.append(f"{label[:label_width]:<{label_width}}  ")
            line.append(grievants_text(row))
            if row.steward:
                line.append(f"  · {row.steward}", style="dim")
            line.truncate(max(20, (self.size.width or self.app.size.width) - 6), overflow="ellipsis")
            due_list.add_option(Option(line, id=str(row.id)))
        if len(due) > DUE_SHOWN:
            more = Text(
                f"… {len(due) - DUE_SHOWN:,} more: filter the list below (f) or search (/)", style="dim"
            )
            due_list.add_option(Option(more, disabled=True))
        if highlighted is not None and highlighted < min(len(due), DUE_SHOWN):
            due_list.highlighted = highlighted
