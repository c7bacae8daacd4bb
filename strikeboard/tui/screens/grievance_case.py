"""The case view: one grievance with every field, its timeline and information requests.

Opened with Enter (or ``o``) on a row of the Grievances tab. Each action is a key that opens
a form (:mod:`strikeboard.tui.forms.case_actions`); after the form's write commits, the case
is read again and the app is told (:class:`GrievanceSaved`) so the tab refreshes too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from strikeboard.tui.format import days_left, long_day, short_day
from strikeboard.tui.forms import case_actions
from strikeboard.tui.forms.base import FormScreen
from strikeboard.tui.messages import GrievanceLoaded, GrievanceSaved, WorkFailed
from strikeboard.tui.panels.base import add_columns, cell, refill

if TYPE_CHECKING:
    from strikeboard.services.grievances import EventRow, GrievanceDetail
    from strikeboard.tui.panels.base import PanelContext

#: The statuses in which a case can still be acted on.
ACTIVE = ("open", "in_arbitration")

STATUS_NAMES = {
    "open": "open",
    "in_arbitration": "in arbitration",
    "settled": "settled",
    "withdrawn": "withdrawn",
    "won": "won",
    "lost": "lost",
}

EVENT_NAMES = {
    "filed": "Filed",
    "advanced": "Advanced",
    "meeting": "Meeting",
    "answer": "Answer",
    "extension": "Extension",
    "note": "Note",
    "closed": "Closed",
    "edited": "Edited",
}

TIMELINE_COLUMNS = (
    ("Date", "date"),
    ("Event", "kind"),
    ("Step", "step"),
    ("Deadline set", "deadline"),
    ("Outcome", "outcome"),
    ("Agreed by", "agreed_by"),
    ("Document", "document"),
    ("Notes", "notes"),
    ("By", "by"),
)

INFO_COLUMNS = (
    ("Requested", "requested"),
    ("Due", "due"),
    ("State", "state"),
    ("What", "what"),
)


def working_days_text(days: int) -> str:
    """``"3 working days left"``, ``"7 working days overdue"``."""
    if days < 0:
        return f"{-days} working day{'s' if days != -1 else ''} overdue"
    return f"{days} working day{'s' if days != 1 else ''} left"


def first_line(text: str) -> str:
    """The first line of ``text``, with "…" when more lines follow."""
    head, _, rest = text.strip().partition("\n")
    return head.rstrip() + (" …" if rest.strip() else "")


def event_text(event: EventRow) -> Text:
    """Everything recorded with one timeline entry, shown literally (notes keep their lines)."""
    text = Text()
    text.append(
        f"{EVENT_NAMES.get(event.kind, event.kind)} · {event.step} · {long_day(event.occurred_on)}", "bold"
    )
    text.append(f"  (recorded by {event.recorded_by or 'unknown'})", "dim")
    for label, value in (
        ("Deadline set", long_day(event.deadline) if event.deadline else ""),
        ("Outcome", event.outcome),
        ("Agreed by", event.agreed_by),
        ("Document", event.document),
    ):
        if value:
            text.append(f"\n{label}: ", "bold")
            text.append(value)
    if event.notes:
        text.append("\nNotes:", "bold")
        for line in event.notes.splitlines():
            text.append("\n  " + line)
    return text


def actor_of(app: object) -> str:
    """Who is making changes: the app's operator (see ``StrikeboardApp.operator``)."""
    return str(getattr(app, "operator", "") or "unknown")


class GrievanceCaseScreen(Screen[None]):
    """One case, read again after every change; keys for every action on it."""

    DEFAULT_CSS = """
    GrievanceCaseScreen #case-event {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        border-left: tall $accent;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="case.back"),
        Binding("a", "advance", "Advance", id="case.advance"),
        Binding("o", "answer", "Answer", id="case.answer"),
        Binding("m", "meeting", "Meeting", id="case.meeting"),
        Binding("e", "extend", "Extend", id="case.extend"),
        Binding("s", "close('settled')", "Settle", id="case.settle"),
        Binding("w", "close('withdrawn')", "Withdraw", id="case.withdraw"),
        Binding("c", "close('won')", "Close", id="case.close"),
        Binding("i", "info_request", "Ask info", id="case.info_request"),
        Binding("v", "info_received", "Info in", id="case.info_received"),
        Binding("u", "edit", "Edit case", id="case.edit"),
        Binding("f1,question_mark", "help", "Help", id="case.help"),
    ]

    def __init__(self, context: PanelContext, grievance_id: uuid.UUID) -> None:
        super().__init__()
        self.context = context
        self.grievance_id = grievance_id
        self.detail: GrievanceDetail | None = None
        self.today: date = context.today()

    def compose(self) -> ComposeResult:
        yield Static("Loading the case…", id="case-title", markup=False)
        with VerticalScroll(id="case-body"):
            yield Static("", id="case-late", markup=False)
            yield Static("", id="case-deadline", markup=False)
            yield Static("", id="case-fields", markup=False)
            yield Static("Timeline", classes="case-heading", markup=False)
            yield DataTable(id="case-timeline", cursor_type="row", zebra_stripes=True)
            yield Static("", id="case-event", markup=False)
            yield Static("Information requests", classes="case-heading", markup=False)
            yield DataTable(id="case-info", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        add_columns(self.query_one("#case-timeline", DataTable), TIMELINE_COLUMNS)
        add_columns(self.query_one("#case-info", DataTable), INFO_COLUMNS)
        self.query_one("#case-late").display = False
        self.set_focus(self.query_one("#case-timeline", DataTable))
        self.reload()

    # -- loading -----------------------------------------------------------------------

    def reload(self) -> None:
        """Read the case again (in a thread)."""
        self.today = self.context.today()
        self._load(self.today)

    @work(thread=True, exclusive=True, exit_on_error=False, group="case")
    def _load(self, today: date) -> None:
        self.post_message(GrievanceLoaded(self.context.gateway.grievance(self.grievance_id, today), today))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed load is reported by the app like every other failure."""
        if event.worker.group in ("case", "case-edit") and event.state is WorkerState.ERROR:
            event.stop()
            what = "load the case" if event.worker.group == "case" else "open the edit form"
            self.app.post_message(WorkFailed(what, event.worker.error or Exception()))

    def on_grievance_loaded(self, message: GrievanceLoaded) -> None:
        self.detail = message.detail
        self.today = message.today
        self.show(message.detail)
        self.refresh_bindings()

    # -- showing -------------------------------------------------------------------------

    def _style(self, variable: str, *, bold: bool = False) -> Style:
        colour = self.app.theme_variables.get(variable, "")
        try:
            return Style.parse(colour) + Style(bold=bold)
        except Exception:
            return Style(bold=bold)

    def show(self, detail: GrievanceDetail) -> None:
        """Fill the view from ``detail`` (user text is always shown literally)."""
        title = Text()
        title.append(detail.number, style="bold")
        title.append(f"  ·  {detail.step}  ·  {STATUS_NAMES.get(detail.status, detail.status)}")
        if detail.is_discipline:
            title.append("  ·  discipline/discharge")
        if detail.is_class:
            title.append("  ·  class/union grievance")
        self.query_one("#case-title", Static).update(title)

        late = self.query_one("#case-late", Static)
        if detail.employer_late and detail.status in ACTIVE and detail.next_step:
            late.update(
                Text(
                    f"⚠ The employer missed its answer deadline: press a to advance to {detail.next_step}.",
                    style=self._style("text-warning", bold=True),
                )
            )
            late.display = True
        else:
            late.display = False

        deadline = self.query_one("#case-deadline", Static)
        nd = detail.next_deadline
        if nd is None:
            deadline.update(Text("No deadline pending.", style="dim"))
        else:
            style: Style | str = ""
            if nd.days_left < 0:
                style = self._style("text-error", bold=True)
            elif nd.working_days_left <= self.context.gateway.due_soon_days:
                style = self._style("text-warning", bold=True)
            deadline.update(
                Text.assemble(
                    ("Next deadline: ", "bold"),
                    (f"{nd.label} — {long_day(nd.due)} ({days_left(nd.days_left)}, ", style),
                    (working_days_text(nd.working_days_left) + ")", style),
                    f"  [{nd.party}]",
                )
            )

        fields = [
            (
                "Grievant(s)",
                ", ".join(name for _, name in detail.grievants) or ("class" if detail.is_class else "—"),
            ),
            ("Steward", detail.steward_name or "—"),
            ("Employer", detail.employer or "—"),
            ("Unit", detail.unit or "—"),
            ("Article(s)", detail.articles or "—"),
            ("Incident", long_day(detail.incident_date)),
            ("Union learned", long_day(detail.learned_date) if detail.learned_date else "—"),
            ("Filed", long_day(detail.filed_date) if detail.filed_date else "—"),
            ("Next step", detail.next_step or "— (last step)"),
            ("Summary", detail.summary or "—"),
            ("Remedy sought", detail.remedy or "—"),
        ]
        text = Text()
        for index, (label, value) in enumerate(fields):
            if index:
                text.append("\n")
            text.append(f"{label + ':':<15}", style="bold")
            text.append(value)
        self.query_one("#case-fields", Static).update(text)

        timeline = [
            (
                str(event.id),
                {
                    "date": cell(short_day(event.occurred_on) + f" {event.occurred_on.year}"),
                    "kind": cell(EVENT_NAMES.get(event.kind, event.kind)),
                    "step": cell(event.step),
                    "deadline": cell(short_day(event.deadline) if event.deadline else ""),
                    "outcome": cell(event.outcome),
                    "agreed_by": cell(event.agreed_by, limit=24),
                    "document": cell(event.document, limit=24),
                    "notes": cell(first_line(event.notes), limit=40),
                    "by": cell(event.recorded_by, limit=16),
                },
            )
            for event in detail.events
        ]
        refill(self.query_one("#case-timeline", DataTable), timeline)
        self._show_event()

        overdue = self._style("text-error", bold=True)
        info = []
        for request in detail.info_requests:
            if request.received_on is not None:
                state, style_ = f"received {short_day(request.received_on)}", Style(dim=True)
            elif request.overdue:
                state, style_ = "OVERDUE", overdue
            else:
                state, style_ = "pending", Style()
            info.append(
                (
                    str(request.id),
                    {
                        "requested": cell(short_day(request.requested_on)),
                        "due": cell(short_day(request.due_on), style_),
                        "state": cell(state, style_),
                        "what": cell(request.description, limit=60),
                    },
                )
            )
        table = self.query_one("#case-info", DataTable)
        refill(table, info)
        table.display = bool(info)
        heading = self.query("#case-body .case-heading").last(Static)
        heading.update("Information requests" if info else "Information requests: none (press i to add one)")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the whole of the highlighted timeline entry (notes in full) under the timeline."""
        if event.data_table.id == "case-timeline":
            self._show_event()

    def _show_event(self) -> None:
        pane = self.query_one("#case-event", Static)
        table = self.query_one("#case-timeline", DataTable)
        events = {str(e.id): e for e in self.detail.events} if self.detail else {}
        chosen = None
        if table.row_count and table.is_valid_row_index(table.cursor_row):
            key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
            chosen = events.get(key or "")
        pane.display = chosen is not None
        if chosen is not None:
            pane.update(event_text(chosen))

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer (and show in the footer) only what can be done to this case now."""
        if action in ("back", "help"):
            return True
        detail = self.detail
        if action == "edit":  # corrections are allowed on closed cases too
            return detail is not None
        if detail is None or detail.status not in ACTIVE:
            return False
        if action == "advance":
            return detail.next_step is not None
        if action == "info_received":
            return any(r.received_on is None for r in detail.info_requests)
        return True

    def _open(self, spec: case_actions.ActionSpec) -> None:
        form = case_actions.ActionForm(self.context.gateway, actor_of(self.app), self.today, spec)
        self._push_form(form)

    def _push_form(self, form: FormScreen) -> None:
        def saved(summary: str | None) -> None:
            if summary:
                self.app.post_message(GrievanceSaved(summary))
                self.reload()

        self.app.push_screen(form, saved)

    def action_back(self) -> None:
        """Back to the Grievances tab."""
        self.dismiss(None)

    def action_help(self) -> None:
        """Every key of the app."""
        from strikeboard.tui.help import HelpScreen

        sections: Any = getattr(self.app, "help_sections", list)()
        self.app.push_screen(HelpScreen(sections))

    def action_advance(self) -> None:
        """Appeal to the next step."""
        d = self.detail
        if d is not None and d.next_step:
            self._open(
                case_actions.advance_spec(d.id, d.number, self.today, d.next_step, late=d.employer_late)
            )

    def action_answer(self) -> None:
        """Record the employer's answer at the current step."""
        if (d := self.detail) is not None:
            self._open(case_actions.answer_spec(d.id, d.number, self.today, d.step))

    def action_meeting(self) -> None:
        """Record a meeting at the current step."""
        if (d := self.detail) is not None:
            self._open(case_actions.meeting_spec(d.id, d.number, self.today, d.step))

    def action_extend(self) -> None:
        """Record an extension agreed in writing."""
        if (d := self.detail) is not None:
            current = f"{d.next_deadline.label}, {long_day(d.next_deadline.due)}" if d.next_deadline else ""
            self._open(case_actions.extend_spec(d.id, d.number, self.today, current))

    def action_close(self, status: str) -> None:
        """Close the case (settled, withdrawn, won or lost)."""
        if (d := self.detail) is not None:
            self._open(case_actions.close_spec(d.id, d.number, self.today, status))

    def action_info_request(self) -> None:
        """Record a request for information to the employer."""
        if (d := self.detail) is not None:
            self._open(case_actions.info_request_spec(d.id, d.number, self.today))

    def action_info_received(self) -> None:
        """Mark an information request as received."""
        if (d := self.detail) is None:
            return
        pending = [
            (f"{r.description[:40]} (due {short_day(r.due_on)})", r.id)
            for r in d.info_requests
            if r.received_on is None
        ]
        if pending:
            self._open(case_actions.info_received_spec(d.id, d.number, self.today, pending))

    def action_edit(self) -> None:
        """Correct the case's own fields (stewards are read first, in a thread)."""
        if self.detail is not None:
            self._open_edit(self.detail)

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-edit")
    def _open_edit(self, detail: GrievanceDetail) -> None:
        stewards = self.context.gateway.steward_choices()
        self.app.call_from_thread(self._show_edit, detail, stewards)

    def _show_edit(self, detail: GrievanceDetail, stewards: list[tuple[uuid.UUID, str]]) -> None:
        from strikeboard.tui.forms.edit_grievance import EditGrievanceForm

        if self.app.screen is not self:
            return  # something else opened meanwhile
        self._push_form(
            EditGrievanceForm(self.context.gateway, actor_of(self.app), self.today, stewards, detail)
        )

    def palette_commands(self) -> list[SystemCommand]:
        """The case's actions for the command palette (only those possible now)."""
        entries: list[tuple[str, str, str, Callable[[], Any]]] = [
            ("advance", "Case: advance to the next step", "a", self.action_advance),
            ("answer", "Case: record the employer's answer", "o", self.action_answer),
            ("meeting", "Case: record a meeting", "m", self.action_meeting),
            ("extend", "Case: extend the deadline", "e", self.action_extend),
            ("close", "Case: settle", "s", lambda: self.action_close("settled")),
            ("close", "Case: withdraw", "w", lambda: self.action_close("withdrawn")),
            ("close", "Case: close as won or lost", "c", lambda: self.action_close("won")),
            ("info_request", "Case: request information", "i", self.action_info_request),
            ("info_received", "Case: information received", "v", self.action_info_received),
            ("edit", "Case: edit the case's details", "u", self.action_edit),
            ("back", "Case: back to the list", "Esc", self.action_back),
        ]
        return [
            SystemCommand(
                title, f"{self.detail.number if self.detail else 'This case'} (key {key})", callback
            )
            for action, title, key, callback in entries
            if self.check_action(action, ())
        ]
