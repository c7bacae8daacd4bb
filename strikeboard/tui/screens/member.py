"""The member view: contact, roles and skills, accommodations, availability, upcoming
shifts, sign-in history with hours, and grievances — of one member.

Opened with Enter (or ``o``) on a row of the Roster tab. ``e`` edits, ``x`` deactivates
(both through the Roster panel, which refreshes the list); the view is read again after
every change. Every value is user text and shown literally.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from strikeboard.tui.format import clock_time, short_day
from strikeboard.tui.messages import MemberLoaded, WorkFailed
from strikeboard.tui.panels.base import DataPanel

if TYPE_CHECKING:
    from strikeboard.services.roster import MemberDetail
    from strikeboard.tui.panels.base import PanelContext
    from strikeboard.tui.panels.roster import RosterPanel

#: Sign-ins listed at most (the total hours count them all).
HISTORY_SHOWN = 30


def section(title: str, lines: list[Text | str]) -> Text:
    """A bold heading and its lines (``—`` when there are none)."""
    text = Text(title, style="bold underline")
    for line in lines or ["—"]:
        text.append("\n  ")
        text.append_text(line if isinstance(line, Text) else Text(line))
    return text


def field_lines(pairs: list[tuple[str, str]]) -> list[Text | str]:
    """``Label:  value`` lines for the values that are set."""
    lines: list[Text | str] = []
    for label, value in pairs:
        if value:
            line = Text(f"{label + ':':<16}", style="bold")
            line.append(value)
            lines.append(line)
    return lines


def detail_text(detail: MemberDetail, context: PanelContext) -> list[Text]:
    """The view's sections, in order."""
    form = detail.form
    contact = field_lines(
        [
            ("Member no.", form.member_number),
            ("Pronouns", form.pronouns),
            ("Phone", detail.phone_readable or form.phone),
            ("Email", form.email),
            ("Unit", form.unit),
            ("Department", form.department),
            ("Job title", form.job_title),
            ("Emergency", form.emergency_contact),
        ]
    )
    roles = field_lines(
        [("Role", form.role), ("Status", form.status), ("Languages", form.languages), ("Skills", form.skills)]
    )
    needs: list[Text | str] = [line for line in form.accommodation_notes.splitlines() if line.strip()]
    upcoming: list[Text | str] = [
        f"{short_day(starts.astimezone(context.zone).date())} {clock_time(starts, context.zone)}  {location}"
        + (f"  ({role})" if role else "")
        for starts, location, role in detail.upcoming
    ]
    total = sum(hours for _, _, hours in detail.history)
    history: list[Text | str] = [
        f"{short_day(day)} {day.year}  {hours:5.1f} h  {location}"
        for day, location, hours in detail.history[:HISTORY_SHOWN]
    ]
    if len(detail.history) > HISTORY_SHOWN:
        history.append(f"… {len(detail.history) - HISTORY_SHOWN} earlier")
    grievances: list[Text | str] = [
        f"{number}  {status}  ({role})" for number, status, role in detail.grievances
    ]
    notes: list[Text | str] = [line for line in form.notes.splitlines() if line.strip()]
    return [
        section("Contact", contact),
        section("Roles and skills", roles),
        section("Accommodations", needs),
        section("Availability", list(detail.availability)),
        section(f"Upcoming shifts ({len(detail.upcoming)})", upcoming),
        section(
            f"Sign-in history: {len(detail.history)} shifts, {total:.1f} h in all,"
            f" {detail.hours_week:.1f} h this week",
            history,
        ),
        section(f"Grievances ({len(detail.grievances)})", grievances),
        section("Notes", notes),
    ]


class MemberScreen(Screen[None]):
    """One member, read again after every change; ``e`` edits, ``x`` deactivates."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="member.back"),
        Binding("e", "edit", "Edit", id="member.edit"),
        Binding("x", "deactivate", "Deactivate", id="member.deactivate"),
        Binding("s", "assign_shift", "Assign to shift", id="member.assign_shift"),
        Binding("f1,question_mark", "help", "Help", id="member.help"),
    ]

    def __init__(self, context: PanelContext, member_id: uuid.UUID) -> None:
        super().__init__()
        self.context = context
        self.member_id = member_id
        self.detail: MemberDetail | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading the member…", id="member-title", markup=False)
        with VerticalScroll(id="member-body"):
            yield Static("", id="member-sections", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#member-body"))
        self.reload()

    def reload(self) -> None:
        """Read the member again (in a thread)."""
        self._load(self.context.today())

    @work(thread=True, exclusive=True, exit_on_error=False, group="member")
    def _load(self, today: date) -> None:
        self.post_message(MemberLoaded(self.context.gateway.member_detail(self.member_id, today), today))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed load is reported by the app like every other failure."""
        if event.worker.group == "member" and event.state is WorkerState.ERROR:
            event.stop()
            self.app.post_message(WorkFailed("load the member", event.worker.error or Exception()))

    def on_member_loaded(self, message: MemberLoaded) -> None:
        self.detail = detail = message.detail
        title = Text(detail.name, style="bold")
        title.append(f"  ·  {detail.form.member_number}  ·  {detail.form.role}  ·  {detail.form.status}")
        self.query_one("#member-title", Static).update(title)
        body = Text("\n\n").join(detail_text(detail, self.context))
        self.query_one("#member-sections", Static).update(body)
        self.refresh_bindings()

    def shown_text(self) -> str:
        """Everything the view shows, as plain text (for tests)."""
        return "\n".join(
            str(self.query_one(selector, Static).render())
            for selector in ("#member-title", "#member-sections")
        )

    @property
    def panel(self) -> RosterPanel | None:
        """The Roster tab (it runs the edits, so the list follows)."""
        from strikeboard.tui.panels.roster import RosterPanel

        return self.app.query_one_optional("#roster-panel", RosterPanel)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Deactivate only an active member; edit once loaded."""
        if action in ("edit", "deactivate", "assign_shift"):
            if self.detail is None:
                return False
            if action == "deactivate":
                return self.detail.form.status != "inactive"
        return True

    def action_back(self) -> None:
        """Back to the Roster tab."""
        self.dismiss(None)

    def action_edit(self) -> None:
        """Edit this member."""
        if (panel := self.panel) is not None:
            panel.edit_member(self.member_id)

    def action_deactivate(self) -> None:
        """Deactivate this member (asks first)."""
        if (panel := self.panel) is not None and self.detail is not None:
            panel.deactivate_member(self.member_id, self.detail.name)

    def action_assign_shift(self) -> None:
        """Put this member on a shift of the next two weeks (warnings shown, confirmed first)."""
        if self.detail is None:
            return
        from strikeboard.tui.forms.assign import PickShiftForm

        def done(summary: str | None) -> None:
            if summary:
                self.app.notify(summary, title="Saved", markup=False)
                self.reload()
                shifts = self.app.query_one_optional("#shifts-panel")
                if isinstance(shifts, DataPanel):
                    shifts.reload()

        form = PickShiftForm(
            self.context.gateway, self.actor, self.context, member_id=self.member_id, name=self.detail.name
        )
        self.app.push_screen(form, done)

    @property
    def actor(self) -> str:
        """Who is making changes (the app's operator)."""
        return str(getattr(self.app, "operator", "") or "unknown")

    def action_help(self) -> None:
        """Every key of the app."""
        from strikeboard.tui.help import HelpScreen

        sections: Any = getattr(self.app, "help_sections", list)()
        self.app.push_screen(HelpScreen(sections))

    def palette_commands(self) -> list[SystemCommand]:
        """The member's actions for the command palette."""
        name = self.detail.name if self.detail else "This member"
        entries = [
            ("edit", "Member: edit", "e", self.action_edit),
            ("deactivate", "Member: deactivate", "x", self.action_deactivate),
            ("assign_shift", "Member: assign to a shift", "s", self.action_assign_shift),
            ("back", "Member: back to the roster", "Esc", self.action_back),
        ]
        return [
            SystemCommand(title, f"{name} (key {key})", callback)
            for action, title, key, callback in entries
            if self.check_action(action, ())
        ]
