"""The Grievances tab: what is due this week, then every case by next deadline, filtered.

Overdue deadlines are red, those due within 5 working days amber. The "due this week" list at the
top is what a steward sees first; below it, a search box (number, grievant, article) and
filters by status (closed ones too), steward, employer and step, all applied in SQL. The
list is a :class:`~strikeboard.tui.widgets.virtual_table.VirtualTable`: the panel's worker
reads the counts and the first page, the table fetches further pages (through the
gateway, in its own thread workers) as they scroll into view, so every matching case is
reachable however many there are. Enter (or ``o``) opens the case view; ``n`` files a new case.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from strikeboard.tui.format import count, days_left, names, short_day
from strikeboard.tui.messages import GrievanceSaved, GrievancesLoaded, WorkFailed
from strikeboard.tui.panels.base import DataPanel, PanelContext, cell
from strikeboard.tui.widgets.virtual_table import PAGE, Column, VirtualRow, VirtualTable

if TYPE_CHECKING:
    from strikeboard.services.grievances import GrievanceRow
    from strikeboard.tui.data import Gateway

#: The list's columns; number, deadline and days left take the row's colour (overdue, due soon).
COLUMNS = (
    Column("number", "Number", 11),
    Column("deadline", "Deadline", 10),
    Column("days_left", "Days left", 15),
    Column("label", "What is due", 20, grow=True, row_style=False),
    Column("grievants", "Grievant(s)", 16, grow=True, row_style=False),
    Column("step", "Step", 14, row_style=False),
    Column("steward", "Steward", 16, row_style=False),
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
        self._last: GrievancesLoaded | None = None  # the list's counts and first page
        self._due: GrievancesLoaded | None = None  # the "due this week" list
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
        yield VirtualTable(COLUMNS, id="grievances-table")

    @property
    def table(self) -> VirtualTable:
        """The list of cases."""
        return self.query_one("#grievances-table", VirtualTable)

    def focus_main(self) -> None:
        """Focus the list of cases."""
        self.focus_now(self.table)

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
        key = self.table.cursor_key
        cursor = uuid.UUID(key) if key else None
        self._load(context, context.today(), self.filters, not self._choices_loaded, cursor)

    @work(thread=True, exclusive=True, exit_on_error=False, group="grievances")
    def _load(
        self,
        context: PanelContext,
        today: date,
        filters: tuple[str, ...],
        choices: bool,
        cursor: uuid.UUID | None,
    ) -> None:
        gateway = context.gateway
        status, steward, employer, step, search = filters
        query = gateway.grievance_filters(
            None if status == "active" else status, steward, employer, step, search
        )
        # the list alone (a count and one page: a few ms); the rest loads once it has painted
        self.post_message(
            GrievancesLoaded(
                today,
                gateway.grievance_page(today, query, 0, PAGE),
                gateway.due_soon_days,
                filters=filters,
                counts=gateway.grievance_counts(today, query),
                query=query,
                position=gateway.grievance_position(today, query, cursor) if cursor else None,
            )
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="grievances-due")
    def _load_due(self, context: PanelContext, today: date, filters: tuple[str, ...], choices: bool) -> None:
        """The "due this week" list and the filters' choices (after the list has painted)."""
        gateway = context.gateway
        self.post_message(
            GrievancesLoaded(
                today,
                [],
                gateway.due_soon_days,
                due=gateway.due_this_week(today),
                filters=filters,
                stewards=gateway.steward_choices() if choices else None,
                steps=gateway.grievance_steps if choices else None,
                employers=gateway.employer_choices(),
            )
        )

    def on_grievances_loaded(self, message: GrievancesLoaded) -> None:
        """The list (``counts`` set) or the due list and filter choices (``due`` set) arrived."""
        if message.filters and message.filters != self.filters:
            return  # the filters changed since: a newer load is on its way
        if message.counts is not None and message.query is not None and self.context is not None:
            self._last = message
            fetch = self._fetcher(self.context.gateway, message.today, message.query)
            first = [self.table_row(row) for row in message.rows]
            self.table.reset(message.counts.total, fetch, first=first, cursor=message.position)
            self._draw_status()
            choices = not self._choices_loaded
            self.call_after_refresh(self._load_due, self.context, message.today, message.filters, choices)
        if message.due is not None:
            self._due = message
            self._draw_due()
        if message.stewards is not None:
            self._choices_loaded = True
            self._set_options("#grievance-steward", [(name, name) for _, name in message.stewards])
        if message.steps is not None:
            self._set_options("#grievance-step", [(step, step) for step in message.steps])
        if message.employers is not None and set(message.employers) != self.employers:
            self.employers = set(message.employers)
            self._set_options("#grievance-employer", [(e, e) for e in message.employers])

    def _fetcher(
        self, gateway: Gateway, today: date, query: dict[str, Any]
    ) -> Callable[[int, int], list[VirtualRow]]:
        """The table's data source for one load: a page of rows, read in the table's worker."""

        def fetch(offset: int, limit: int) -> list[VirtualRow]:
            return [self.table_row(row) for row in gateway.grievance_page(today, query, offset, limit)]

        return fetch

    @staticmethod
    def table_row(row: GrievanceRow) -> VirtualRow:
        """One case as a table row: cells shown literally, red when overdue, amber when due soon."""
        cells = {
            "number": cell(row.number),
            "deadline": cell(short_day(row.next_deadline) if row.next_deadline else "—"),
            "days_left": cell(days_left(row.days_left)),
            "label": cell(row.next_deadline_label, limit=60),
            "grievants": cell(grievants_text(row), limit=60),
            "step": cell(step_text(row)),
            "steward": cell(row.steward or "—", "" if row.steward else "dim"),
        }
        return VirtualRow(str(row.id), cells, "error" if row.overdue else "warning" if row.due_soon else "")

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

    @on(VirtualTable.RowSelected, "#grievances-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.open_case(uuid.UUID(event.key))

    @on(VirtualTable.FetchFailed, "#grievances-table")
    def _page_failed(self, event: VirtualTable.FetchFailed) -> None:
        event.stop()
        self.post_message(WorkFailed(f"load {self.what}", event.error))

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
        key = self.table.cursor_key
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
        self.table.refresh()
        self._draw_status()
        self._draw_due()

    def _draw_status(self) -> None:
        if self._last is None or self._last.counts is None:
            return
        counts = self._last.counts
        filtered = self.filters != ("active", "", "", "", "")
        noun = "open grievance" if self.status_filter == "active" else "grievance"
        as_of = short_day(self._last.today)
        self.status.update(
            f"{count(counts.total, noun)}{' matching' if filtered else ''} · {counts.overdue:,} overdue · "
            f"{counts.due_soon:,} due within {self._last.due_soon_days} working days · as of {as_of}"
            " · n new · / search · f filters"
        )

    def _draw_due(self) -> None:
        if self._due is None:
            return
        overdue = self.theme_style("text-error", bold=True)
        soon = self.theme_style("text-warning", bold=True)

        def row_style(row: GrievanceRow) -> Any:
            if row.overdue:
                return overdue
            if row.due_soon:
                return soon
            return ""

        label_width = 24 if self.narrow else 40
        due_list = self.query_one("#grievances-due", OptionList)
        due = self._due.due or []
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
