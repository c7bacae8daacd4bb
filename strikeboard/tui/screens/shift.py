"""One shift, opened from the week grid: the gate, the plan, and everyone on it with their state.

Shows the gate with its accessibility features, the time, the headcount wanted, whether a
captain is needed, the roles needed and the notes; then every person on the shift's list
(assigned ones and walk-ins) with their state: expected, in, out, no-show or cancelled.
Keys: ``a`` assign a member (search → warnings → confirm), ``u`` take the highlighted
person off the shift, ``e`` edit the shift (this one or the following ones of its series),
``x`` cancel it (``X``: it and the following ones), each asking first where something is
lost. Every write runs in a thread worker; the view and the grid are read again after it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from strikeboard.tui.format import clock_time, count, headcount, long_day, time_range
from strikeboard.tui.messages import WorkFailed
from strikeboard.tui.panels.base import add_columns, cell, refill

if TYPE_CHECKING:
    from strikeboard.services.shift_people import Person
    from strikeboard.tui.data_shifts import ShiftDetail
    from strikeboard.tui.panels.base import PanelContext
    from strikeboard.tui.panels.shifts import ShiftsPanel

#: The people table's columns.
PEOPLE_COLUMNS = (
    ("Name", "name"),
    ("No.", "number"),
    ("Role", "role"),
    ("State", "state"),
    ("In", "in"),
    ("Out", "out"),
    ("Hours", "hours"),
    ("Note", "flag"),
)

#: How each state is written, and its style.
STATES: dict[str, tuple[str, str]] = {
    "expected": ("expected", ""),
    "in": ("● in", "bold green"),
    "out": ("out", ""),
    "no_show": ("no-show", "bold red"),
    "cancelled": ("cancelled", "dim"),
}

#: What a cancel or an edit applies to: this shift, or it and the later ones of its series.
ScopeName = Literal["one", "following"]


class ShiftScreen(Screen[None]):
    """One shift and its people; ``a`` assign, ``u`` unassign, ``e`` edit, ``x``/``X`` cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="shift.back"),
        Binding("a", "assign", "Assign", id="shift.assign"),
        Binding("u", "unassign", "Unassign", id="shift.unassign"),
        Binding("e", "edit", "Edit", id="shift.edit"),
        Binding("x", "cancel_shift('one')", "Cancel shift", id="shift.cancel"),
        Binding("X", "cancel_shift('following')", "Cancel + later", id="shift.cancel_following"),
        Binding("r", "reload", "Refresh", show=False, id="shift.reload"),
        Binding("f1,question_mark", "help", "Help", id="shift.help"),
    ]

    def __init__(self, context: PanelContext, shift_id: uuid.UUID, panel: ShiftsPanel | None = None) -> None:
        super().__init__()
        self.context = context
        self.shift_id = shift_id
        self.panel = panel
        self.detail: ShiftDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading the shift…", id="shift-title", markup=False)
        yield Static("", id="shift-info", markup=False)
        yield DataTable(id="shift-people", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        add_columns(self.table, PEOPLE_COLUMNS)
        self.set_focus(self.table)
        self.reload()

    @property
    def table(self) -> DataTable[Any]:
        """The people on the shift."""
        return self.query_one("#shift-people", DataTable)

    @property
    def actor(self) -> str:
        """Who is making changes (the app's operator)."""
        return str(getattr(self.app, "operator", "") or "unknown")

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the shift again (in a thread)."""
        self._load()

    def action_reload(self) -> None:
        """Read the shift again."""
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="shift")
    def _load(self) -> None:
        detail = self.context.gateway.shift_detail(self.shift_id, self.context.clock())
        self.app.call_from_thread(self._show, detail)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Failed loads and writes are reported by the app like every other failure."""
        if event.state is WorkerState.ERROR and event.worker.group.startswith("shift"):
            event.stop()
            what = "load the shift" if event.worker.group == "shift" else "change the shift"
            self.app.post_message(WorkFailed(what, event.worker.error or Exception()))

    def _show(self, detail: ShiftDetail) -> None:
        self.detail = detail
        people, zone = detail.people, self.context.zone
        local = people.starts_at.astimezone(zone)
        title = Text(
            f"{long_day(local.date())}  {time_range(people.starts_at, people.ends_at, zone)}", "bold"
        )
        title.append(f"  ·  {people.location}")
        if people.cancelled:
            title.append("  ·  CANCELLED", "bold")
        self.query_one("#shift-title", Static).update(title)
        self.query_one("#shift-info", Static).update(info_text(detail))
        refill(self.table, [(str(person.member_id), person_cells(person, zone)) for person in people.people])
        self.refresh_bindings()

    def shown_text(self) -> str:
        """Everything the view shows, as plain text (for tests)."""
        parts = [str(self.query_one(f"#{name}", Static).render()) for name in ("shift-title", "shift-info")]
        for key in self.table.rows:
            parts.append("  ".join(self.table.get_cell(key, column).plain for _, column in PEOPLE_COLUMNS))
        return "\n".join(parts)

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Writes only once loaded and on a shift that is not cancelled; "X" only in a series."""
        if action in ("assign", "unassign", "edit", "cancel_shift"):
            detail = self.detail
            if detail is None or detail.people.cancelled:
                return False
            if action == "cancel_shift" and parameters and parameters[0] == "following":
                return detail.in_series
        return True

    def action_back(self) -> None:
        """Back to the week grid."""
        self.dismiss(None)

    def _changed(self, summary: str | None) -> None:
        """A write finished: say so, read this shift and the week again."""
        if summary:
            self.app.notify(summary, title="Saved", markup=False)
            self.reload()
            if self.panel is not None:
                self.panel.reload()

    def action_assign(self) -> None:
        """Find a member and put them on this shift (warnings shown before confirming)."""
        if self.detail is None:
            return
        from strikeboard.tui.forms.assign import AssignForm

        people = self.detail.people
        title = f"Assign to {people.location}, {shift_when(self.detail, self.context)}"
        self.app.push_screen(
            AssignForm(
                self.context.gateway,
                self.actor,
                self.context,
                shift_id=self.shift_id,
                title=title,
                roles=self.detail.roles_needed,
            ),
            self._changed,
        )

    @property
    def cursor_person(self) -> Person | None:
        """The person on the highlighted row."""
        if self.detail is None or not self.table.row_count:
            return None
        key = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value
        return next((p for p in self.detail.people.people if str(p.member_id) == key), None)

    def action_unassign(self) -> None:
        """Take the highlighted person off the shift (asks first)."""
        person = self.cursor_person
        if person is None or self.detail is None:
            return
        if not person.assigned or person.state == "cancelled":
            self.app.notify(f"{person.name} is not assigned to this shift.", severity="warning", markup=False)
            return
        from strikeboard.tui.forms.member import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._unassign(person.member_id, person.name)

        when = shift_when(self.detail, self.context)
        self.app.push_screen(
            ConfirmScreen(
                f"Take {person.name} off this shift?",
                f"{person.name} is no longer expected at {self.detail.people.location}, {when}.",
                yes="Unassign",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="shift-write")
    def _unassign(self, member_id: uuid.UUID, name: str) -> None:
        self.context.gateway.unassign(self.shift_id, member_id, actor=self.actor)
        self.app.call_from_thread(self._changed, f"{name}: taken off the shift")

    def action_edit(self) -> None:
        """Edit the shift's times, headcounts, captain, roles and notes."""
        if self.detail is None:
            return
        from strikeboard.tui.forms.shift import EditShiftForm

        self.app.push_screen(
            EditShiftForm(self.context.gateway, self.actor, self.context, self.shift_id, self.detail),
            self._changed,
        )

    def action_cancel_shift(self, scope: str) -> None:
        """Cancel the shift (``"following"``: and the later ones of its series), after asking."""
        if self.detail is None:
            return
        self._ask_cancel("following" if scope == "following" else "one")

    @work(thread=True, exclusive=True, exit_on_error=False, group="shift-cancel")
    def _ask_cancel(self, scope: ScopeName) -> None:
        affected = self.context.gateway.affected_by_cancel(self.shift_id, scope=scope)
        self.app.call_from_thread(self._confirm_cancel, scope, affected)

    def _confirm_cancel(self, scope: ScopeName, affected: list[Any]) -> None:
        from strikeboard.tui.forms.member import ConfirmScreen
        from strikeboard.tui.forms.shift import cancel_message

        if self.detail is None:
            return
        what = "this shift" if scope == "one" else "this shift and the later ones of its series"

        def answered(yes: bool | None) -> None:
            if yes:
                self._cancel(scope)

        self.app.push_screen(
            ConfirmScreen(
                f"Cancel {what}?",
                cancel_message(affected, self.context.zone, what),
                yes="Cancel shift" if scope == "one" else "Cancel shifts",
                no="Keep",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="shift-write")
    def _cancel(self, scope: ScopeName) -> None:
        cancelled = self.context.gateway.cancel_shift(self.shift_id, scope=scope, actor=self.actor)
        self.app.call_from_thread(self._changed, f"{count(cancelled, 'shift')} cancelled")

    def action_help(self) -> None:
        """Every key of the app."""
        from strikeboard.tui.help import HelpScreen

        sections: Any = getattr(self.app, "help_sections", list)()
        rows = [(key_text(b), b.description) for b in self.BINDINGS if isinstance(b, Binding)]
        self.app.push_screen(HelpScreen([("Shift view", rows), *sections]))

    def palette_commands(self) -> list[SystemCommand]:
        """The shift's actions for the command palette."""
        entries = [
            ("assign", (), "Shift: assign a member", "a", self.action_assign),
            ("unassign", (), "Shift: unassign the highlighted person", "u", self.action_unassign),
            ("edit", (), "Shift: edit", "e", self.action_edit),
            ("cancel_shift", ("one",), "Shift: cancel", "x", lambda: self.action_cancel_shift("one")),
            (
                "cancel_shift",
                ("following",),
                "Shift: cancel it and the later ones",
                "X",
                lambda: self.action_cancel_shift("following"),
            ),
            ("back", (), "Shift: back to the week", "Esc", self.action_back),
        ]
        return [
            SystemCommand(title, f"key {key}", callback)
            for action, params, title, key, callback in entries
            if self.check_action(action, params)
        ]


def key_text(binding: Binding) -> str:
    """A binding's keys as the help screen shows them."""
    names = {"escape": "Esc", "question_mark": "?"}
    return "  ".join(names.get(key.strip(), key.strip()) for key in binding.key.split(","))


def shift_when(detail: ShiftDetail, context: PanelContext) -> str:
    """``Tue 10 Nov 10:00–14:00``."""
    people, zone = detail.people, context.zone
    local = people.starts_at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b} {time_range(people.starts_at, people.ends_at, zone)}"


def info_text(detail: ShiftDetail) -> Text:
    """The gate and the plan, then the counts, in a few lines (user text shown literally)."""
    people = detail.people
    text = Text()
    text.append("Gate:     ", "bold")
    text.append(people.location)
    if detail.address:
        text.append(f" — {detail.address}")
    text.append("\nAccess:   ", "bold")
    text.append(detail.features or "no accessibility features recorded")
    text.append("\nNeeds:    ", "bold")
    text.append(f"{headcount(people.min_headcount, people.max_headcount)} people")
    text.append(" · a captain" if people.captain_needed else " · no captain needed")
    if detail.roles_needed:
        text.append(" · roles: " + ", ".join(role.replace("_", " ") for role in detail.roles_needed))
    if detail.in_series:
        text.append(" · part of a series")
    if people.notes:
        text.append("\nNotes:    ", "bold")
        text.append(people.notes)
    walk_ins = sum(person.walk_in for person in people.people)
    short = max(0, people.min_headcount - people.expected)
    text.append("\nPeople:   ", "bold")
    text.append(f"{people.expected} assigned")
    if short and not people.cancelled:
        text.append(f" (short {short})", "bold")
    text.append(f" · {people.in_now} in now · {people.came} came · {walk_ins} walk-in")
    text.append(f"{'s' if walk_ins != 1 else ''} · {len(people.no_shows)} no-show")
    text.append("s" if len(people.no_shows) != 1 else "")
    captains = [p.name for p in people.people if p.captain and p.state != "cancelled"]
    text.append("\nCaptain:  ", "bold")
    if captains:
        text.append(", ".join(captains))
        if people.captains_in:
            text.append(" (in now: " + ", ".join(people.captains_in) + ")")
    else:
        text.append("none yet" if people.captain_needed else "none (not needed)")
    return text


def person_cells(person: Person, zone: Any) -> dict[str, Text]:
    """One person's row: name, number, role, state, in/out times, hours, flag."""
    label, style = STATES.get(person.state, (person.state, ""))
    muted = "dim" if person.state == "cancelled" else ""
    role = "walk-in" if person.walk_in else person.role.replace("_", " ")
    if person.captain and not person.walk_in and person.role != "captain":
        role += " (captain)"
    return {
        "name": cell(person.name, muted, limit=40),
        "number": cell(person.member_number, muted),
        "role": cell(role, muted),
        "state": cell(label, style),
        "in": cell(clock_time(person.in_at, zone) if person.in_at else "", muted),
        "out": cell(clock_time(person.out_at, zone) if person.out_at else "", muted),
        "hours": cell(f"{person.hours:.1f}" if person.hours is not None else "", muted),
        "flag": cell(person.flag, muted, limit=40),
    }
