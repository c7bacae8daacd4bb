"""Assign a member to a shift from the shift view: search, pick, see the warnings, confirm.

Typing in the search box finds members (name, number, phone; as the roster does); Enter
picks the highlighted match (↓ moves into the matches). The warnings for that member on
this shift (overlap, weekly cap, availability, accessibility, not active, full) are read
at once and shown; ctrl+s assigns, asking first when there is a warning. Warnings never
block; the service's refusals (cancelled or finished shift, already on it) appear in the
form and nothing is written.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from strikeboard.tui.forms.base import FieldProblem, FormScreen

if TYPE_CHECKING:
    from strikeboard.services.roster import MemberPage
    from strikeboard.tui.data import Gateway
    from strikeboard.tui.panels.base import PanelContext

#: Matches listed at most.
MATCHES = 8

#: Wait this long after the last keystroke before searching (seconds).
DEBOUNCE_SECONDS = 0.08

#: Roles a member can have on a shift (the shift's own roles needed are added).
ROLES = ("picketer", "captain")


class NeedsConfirmation(Exception):
    """The assignment comes with warnings the user has not confirmed yet."""


class AssignForm(FormScreen):
    """Find a member and assign them to shift ``shift_id``; dismisses with "Ana Ruiz: assigned"."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"shift": "", "role": "role"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_matches", "Matches", show=False),
    ]

    def __init__(
        self,
        gateway: Gateway,
        actor: str,
        context: PanelContext,
        *,
        shift_id: uuid.UUID,
        title: str,
        roles: tuple[str, ...] = (),
    ) -> None:
        super().__init__(gateway, actor, context.today(), title=title)
        self.context = context
        self.shift_id = shift_id
        self.roles = tuple(dict.fromkeys((*ROLES, *roles)))
        self.member: tuple[uuid.UUID, str] | None = None
        self.warnings: list[str] | None = None  # for the picked member (None: not read yet)
        self.confirmed: uuid.UUID | None = None  # the member whose warnings the user accepted
        self._query = ""
        self._debounce: Timer | None = None

    def compose_fields(self) -> ComposeResult:
        yield self.field_row(
            "member",
            "Find member:",
            self.text_input("member", placeholder="name, number or phone; Enter picks"),
        )
        yield OptionList(id="assign-matches", compact=True)
        yield Label("(nobody picked yet)", id="assign-picked", markup=False)
        yield Static("", id="assign-warnings", markup=False)
        yield self.field_row(
            "role",
            "Role:",
            Select(
                [(r.replace("_", " "), r) for r in self.roles],
                value="picketer",
                allow_blank=False,
                id="f-role",
                compact=True,
            ),
        )

    def on_mount(self) -> None:
        self.query_one("#assign-matches", OptionList).display = False
        self.set_focus(self.query_one("#f-member", Input))

    # -- finding the member ----------------------------------------------------------------

    @on(Input.Changed, "#f-member")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._query = event.value.strip()
        if self._debounce is not None:
            self._debounce.stop()
        if not self._query:
            self._show_matches(None)
            return
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, lambda: self._find(self._query))

    @work(thread=True, exclusive=True, exit_on_error=False, group="assign-find")
    def _find(self, query: str) -> None:
        page = self.gateway.roster(query, MATCHES)
        self.app.call_from_thread(self._found, page)

    def _found(self, page: MemberPage) -> None:
        if page.query == self._query:
            self._show_matches(page)

    def _show_matches(self, page: MemberPage | None) -> None:
        matches = self.query_one("#assign-matches", OptionList)
        matches.clear_options()
        if page is None:
            matches.display = False
            return
        if not page.rows:
            matches.add_option(Option(Text(f"No member matches “{page.query}”", style="dim"), disabled=True))
        for member in page.rows:
            label = Text(member.roster_name)
            label.append(f"  {member.member_number}", style="dim")
            if member.status != "active":
                label.append(f"  {member.status}", style="italic")
            matches.add_option(Option(label, id=f"{member.id}|{member.name}"))
        if page.truncated:
            matches.add_option(
                Option(Text(f"… {page.matching - len(page.rows)} more: type more", "dim"), disabled=True)
            )
        matches.display = True
        matches.highlighted = 0 if page.rows else None

    def action_to_matches(self) -> None:
        """↓ in the search box moves into the matches."""
        matches = self.query_one("#assign-matches", OptionList)
        if isinstance(self.focused, Input) and self.focused.id == "f-member" and matches.display:
            self.set_focus(matches)

    @on(Input.Submitted, "#f-member")
    def _search_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search box picks the highlighted (first) match."""
        event.stop()
        matches = self.query_one("#assign-matches", OptionList)
        if matches.display and matches.highlighted is not None:
            option = matches.get_option_at_index(matches.highlighted)
            if not option.disabled and option.id:
                self._pick(option.id)

    @on(OptionList.OptionSelected, "#assign-matches")
    def _match_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._pick(event.option.id)

    def _pick(self, option_id: str) -> None:
        member_id, _, name = option_id.partition("|")
        self.member = (uuid.UUID(member_id), name)
        self.warnings = None
        self.query_one("#f-member", Input).value = ""
        self._show_matches(None)
        self.query_one("#assign-picked", Label).update(f"Picked: {name} (checking…)")
        self.query_one("#assign-warnings", Static).update("")
        self.clear_errors()
        self._check(self.member[0])
        self.set_focus(self.query_one("#f-role", Select))

    @work(thread=True, exclusive=True, exit_on_error=False, group="assign-check")
    def _check(self, member_id: uuid.UUID) -> None:
        warnings = self.gateway.assignment_warnings(self.shift_id, member_id)
        self.app.call_from_thread(self._checked, member_id, warnings)

    def _checked(self, member_id: uuid.UUID, warnings: list[str]) -> None:
        if self.member is None or self.member[0] != member_id:
            return
        self.warnings = warnings
        name = self.member[1]
        self.query_one("#assign-picked", Label).update(f"Picked: {name} · ctrl+s assigns")
        shown = self.query_one("#assign-warnings", Static)
        shown.update(warnings_text(warnings))
        shown.set_class(bool(warnings), "-warn")

    # -- saving ----------------------------------------------------------------------------

    def collect(self) -> Any:
        """``(member id, name, role)`` once a member is picked and their warnings are read."""
        if self.member is None:
            raise FieldProblem("member", "Find a member and press Enter to pick them first.")
        if self.warnings is None:
            raise FieldProblem("member", "Still checking this member's warnings: try again in a moment.")
        if self.warnings and self.confirmed != self.member[0]:
            raise NeedsConfirmation
        return self.member[0], self.member[1], str(self.choice("role") or "picketer")

    def action_save(self) -> None:
        """Assign; with warnings not yet confirmed, ask first."""
        try:
            self.collect()
        except NeedsConfirmation:
            self._ask()
            return
        except FieldProblem:
            pass  # shown by the base class
        super().action_save()

    def _ask(self) -> None:
        from strikeboard.tui.forms.member import ConfirmScreen

        assert self.member is not None and self.warnings is not None
        member_id, name = self.member
        message = Text(f"Assign {name} to this shift despite:\n\n")
        message.append_text(warnings_text(self.warnings))

        def answered(yes: bool | None) -> None:
            if yes:
                self.confirmed = member_id
                self.action_save()

        self.app.push_screen(ConfirmScreen(f"Assign {name}?", message, yes="Assign anyway"), answered)

    def save(self, values: Any) -> str:
        """Assign in one transaction (at the app's clock: a finished shift is refused)."""
        member_id, _name, role = values
        result = self.gateway.assign(
            self.shift_id, member_id, role=role, actor=self.actor, now=self.context.clock()
        )
        warned = (
            f" ({len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''})"
            if result.warnings
            else ""
        )
        return f"{result.name}: assigned as {role.replace('_', ' ')}{warned}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Search and check failures are shown in the form (the save's by the base class)."""
        if event.worker.group in ("assign-find", "assign-check"):
            event.stop()
            event.prevent_default()
            if event.state is WorkerState.ERROR:
                from strikeboard.tui.app import describe_error

                error = event.worker.error or Exception()
                problem = (
                    error
                    if isinstance(error, FieldProblem)
                    else FieldProblem("member", describe_error(error))
                )
                self.show_problem(problem)


def warnings_text(warnings: list[str]) -> Text:
    """The warnings one per line (``No warnings.`` when there are none)."""
    if not warnings:
        return Text("No warnings.", style="dim")
    text = Text()
    for index, warning in enumerate(warnings):
        if index:
            text.append("\n")
        text.append("⚠ ", "bold")
        text.append(warning)
    return text


#: How far ahead the member's shift choices go (days).
CHOICE_DAYS = 14


class PickShiftForm(FormScreen):
    """Put member ``member_id`` on a shift of the next two weeks; dismisses with "Ana Ruiz: assigned …".

    The choices (``shift_choices``: not cancelled, not already theirs) are read when the
    form opens; the highlighted one's warnings are shown under the list, and ctrl+s (or
    Enter on a shift) assigns, asking first when there is a warning.
    """

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"member": "shift", "role": "role"}

    def __init__(
        self, gateway: Gateway, actor: str, context: PanelContext, *, member_id: uuid.UUID, name: str
    ) -> None:
        super().__init__(gateway, actor, context.today(), title=f"Assign {name} to a shift")
        self.context = context
        self.member_id = member_id
        self.member_name = name
        self.choices: list[Any] | None = None
        self.confirmed: uuid.UUID | None = None  # the shift whose warnings the user accepted

    def compose_fields(self) -> ComposeResult:
        yield self.field_row(
            "shift",
            "Shift:",
            OptionList(Option(Text("Reading the next two weeks…", "dim"), disabled=True), id="f-shift"),
            hint="↑ ↓ choose; ⚠ marks a shift with warnings",
        )
        yield Static("", id="assign-warnings", markup=False)
        yield self.field_row(
            "role",
            "Role:",
            Select([(r, r) for r in ROLES], value="picketer", allow_blank=False, id="f-role", compact=True),
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-shift", OptionList))
        self._read(self.context.clock())

    @work(thread=True, exclusive=True, exit_on_error=False, group="assign-check")
    def _read(self, now: Any) -> None:
        from datetime import timedelta

        choices = self.gateway.shift_choices(self.member_id, now, now + timedelta(days=CHOICE_DAYS))
        self.app.call_from_thread(self._show, choices)

    def _show(self, choices: list[Any]) -> None:
        from strikeboard.tui.format import short_day, time_range

        self.choices = choices
        options = self.query_one("#f-shift", OptionList)
        options.clear_options()
        zone = self.context.zone
        if not choices:
            options.add_option(Option(Text("No shift to join in the next two weeks.", "dim"), disabled=True))
        for choice in choices:
            local = choice.starts_at.astimezone(zone)
            label = Text(f"{short_day(local.date())} {time_range(choice.starts_at, choice.ends_at, zone)}  ")
            label.append(choice.location)
            label.append(f"  {choice.assigned}/{choice.max_headcount}", "dim")
            if choice.warnings:
                label.append(f"  ⚠ {len(choice.warnings)}", "bold")
            options.add_option(Option(label, id=str(choice.shift_id)))
        options.highlighted = 0 if choices else None
        self._show_warnings()

    @on(OptionList.OptionHighlighted, "#f-shift")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_warnings()

    @on(OptionList.OptionSelected, "#f-shift")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_save()

    @property
    def chosen(self) -> Any:
        """The highlighted shift choice (``None`` while reading or when there is none)."""
        options = self.query_one("#f-shift", OptionList)
        if not self.choices or options.highlighted is None:
            return None
        return self.choices[options.highlighted]

    def _show_warnings(self) -> None:
        choice = self.chosen
        self.query_one("#assign-warnings", Static).update(
            warnings_text(list(choice.warnings)) if choice is not None else ""
        )

    def collect(self) -> Any:
        """``(shift id, role)`` of the highlighted shift, once its warnings are accepted."""
        choice = self.chosen
        if choice is None:
            raise FieldProblem("shift", "Choose a shift from the list first.")
        if choice.warnings and self.confirmed != choice.shift_id:
            raise NeedsConfirmation
        return choice.shift_id, str(self.choice("role") or "picketer")

    def action_save(self) -> None:
        """Assign; with warnings not yet confirmed, ask first."""
        try:
            self.collect()
        except NeedsConfirmation:
            self._ask()
            return
        except FieldProblem:
            pass  # shown by the base class
        super().action_save()

    def _ask(self) -> None:
        from strikeboard.tui.forms.member import ConfirmScreen

        choice = self.chosen
        message = Text(f"Assign {self.member_name} to this shift despite:\n\n")
        message.append_text(warnings_text(list(choice.warnings)))

        def answered(yes: bool | None) -> None:
            if yes:
                self.confirmed = choice.shift_id
                self.action_save()

        self.app.push_screen(
            ConfirmScreen(f"Assign {self.member_name}?", message, yes="Assign anyway"), answered
        )

    def save(self, values: Any) -> str:
        """Assign in one transaction."""
        shift_id, role = values
        result = self.gateway.assign(
            shift_id, self.member_id, role=role, actor=self.actor, now=self.context.clock()
        )
        return f"{result.name}: assigned as {role}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read of the choices is shown in the form (the save's by the base class)."""
        if event.worker.group == "assign-check":
            event.stop()
            event.prevent_default()
            if event.state is WorkerState.ERROR:
                from strikeboard.tui.app import describe_error

                self.show_problem(FieldProblem("shift", describe_error(event.worker.error or Exception())))
