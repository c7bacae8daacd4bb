"""The "add a member" / "edit member" form, and a yes/no confirmation screen.

Names, number, contact and strike details as typed; the service checks them
(``check_member``: required names, email syntax, a phone it can normalise) and each
problem is shown under its field with nothing written. A likely duplicate (same email,
phone or member number, or a very similar name) is pointed out before saving: the user
can save anyway or go back to the form. Everything runs through the gateway in the form's
thread worker.
"""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from strikeboard.services.roster import MemberForm  # loaded lazily: the form opens after the store
from strikeboard.tui.forms.base import FieldProblem, FormScreen
from strikeboard.tui.panels.roster import ROLES, STATUSES

if TYPE_CHECKING:
    from strikeboard.services.roster import DuplicateHint
    from strikeboard.tui.data import Gateway

#: ``(field, label, hint, max length)`` of the one-line text fields, in form order.
TEXT_FIELDS: tuple[tuple[str, str, str, int], ...] = (
    ("first_name", "First name:", "", 100),
    ("last_name", "Last name:", "", 100),
    ("preferred_name", "Preferred name:", "", 100),
    ("pronouns", "Pronouns:", "", 40),
    ("member_number", "Member no.:", "", 32),
    ("email", "Email:", "", 254),
    ("phone", "Phone:", "Any format; stored as +1 323 555 0142", 32),
    ("unit", "Unit:", "", 120),
    ("department", "Department:", "", 120),
    ("job_title", "Job title:", "", 120),
    ("languages", "Languages:", "Comma-separated, e.g. English, Spanish", 400),
    ("skills", "Skills:", "Comma-separated, e.g. first_aid, interpreter", 400),
    ("emergency_contact", "Emergency:", "", 200),
)


class LikelyDuplicate(Exception):
    """The form's values look like members already on the roster (raised before saving)."""

    def __init__(self, hints: list[DuplicateHint]) -> None:
        super().__init__(f"{len(hints)} likely duplicate(s)")
        self.hints = hints


def duplicates_text(hints: list[DuplicateHint]) -> Text:
    """The likely duplicates, one per line, shown literally."""
    text = Text()
    for index, hint in enumerate(hints[:6]):
        if index:
            text.append("\n")
        text.append("• ")
        text.append(hint.name, style="bold")
        text.append(f" ({hint.member_number})" if hint.member_number else "")
        text.append(f" — {hint.reason}", style="italic")
    if len(hints) > 6:
        text.append(f"\n… and {len(hints) - 6} more")
    return text


class ConfirmScreen(ModalScreen[bool]):
    """A question with two answers: ``yes`` (Enter/y) or back (Esc/n). Text is shown literally."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Back", id="confirm.no"),
        Binding("y", "answer(True)", "Yes", show=False, id="confirm.yes"),
    ]

    def __init__(self, title: str, message: str | Text, *, yes: str = "Yes", no: str = "Go back") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm-box") as box:
            box.border_title = self.title_text
            message = self.message
            yield Static(message if isinstance(message, Text) else Text(message), classes="confirm-text")
            with Horizontal(classes="form-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning", compact=True)
                yield Button(f"{self.no} (Esc)", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#confirm-no", Button))

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


class MemberFormScreen(FormScreen):
    """Add a member (``member_id`` None) or edit one; dismisses with "Zoë O'Brien: saved"."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"name": "first_name", "preferred": "preferred_name"}

    def __init__(
        self,
        gateway: Gateway,
        actor: str,
        today: date,
        *,
        member_id: uuid.UUID | None = None,
        initial: Any = None,
    ) -> None:
        title = "Add a member" if member_id is None else "Edit member"
        super().__init__(gateway, actor, today, title=title)
        self.member_id = member_id
        self.initial = initial
        self.confirmed: MemberForm | None = None  # values the user chose to save despite duplicates
        self.saved_id: uuid.UUID | None = None  # set once saved (the roster puts its cursor there)

    def compose_header(self) -> ComposeResult:
        yield Label(
            "Required: first name and member number. ctrl+s checks and saves.",
            classes="form-hint-top",
            markup=False,
        )

    def compose_fields(self) -> ComposeResult:
        start = self.initial
        for name, label, hint, limit in TEXT_FIELDS:
            value = str(getattr(start, name, "") or "") if start is not None else ""
            yield self.field_row(name, label, self.text_input(name, value, max_length=limit), hint=hint)
        role = str(getattr(start, "role", "member") or "member")
        status = str(getattr(start, "status", "active") or "active")
        yield self.field_row(
            "role",
            "Role:",
            Select(
                [(r, r) for r in dict.fromkeys((*ROLES, role))],
                value=role,
                allow_blank=False,
                id="f-role",
                compact=True,
            ),
        )
        yield self.field_row(
            "status",
            "Status:",
            Select(
                [(s, s) for s in dict.fromkeys((*STATUSES, status))],
                value=status,
                allow_blank=False,
                id="f-status",
                compact=True,
            ),
        )
        for name, label in (("accommodation_notes", "Accommodation:"), ("notes", "Notes:")):
            value = str(getattr(start, name, "") or "") if start is not None else ""
            yield self.field_row(name, label, self.notes_input(name, value))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-first_name", Input))

    def collect(self) -> MemberForm:
        """The fields as typed; the required ones are checked here, the rest by the service."""
        values: dict[str, str] = {}
        for item in fields(MemberForm):
            name = item.name
            if name in ("role", "status"):
                values[name] = str(self.choice(name) or "")
            elif name in ("accommodation_notes", "notes"):
                values[name] = self.notes(name)
            else:
                values[name] = self.text(name)
        if not values["first_name"] and not values["last_name"]:
            raise FieldProblem("first_name", "Required: type the member's first name.")
        if not values["member_number"]:
            raise FieldProblem("member_number", "Required: type the member number.")
        return MemberForm(**values)

    def save(self, values: Any) -> str:
        """Check, point out likely duplicates (unless confirmed), then save in one transaction."""
        hints = self.gateway.check_member(values, self.member_id)
        if hints and values != self.confirmed:
            raise LikelyDuplicate(hints)
        self.saved_id = self.gateway.save_member(values, self.member_id, actor=self.actor)
        name = " ".join(
            part for part in ((values.preferred_name or values.first_name), values.last_name) if part
        )
        return f"{name}: {'added' if self.member_id is None else 'saved'}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A likely duplicate: ask (save anyway / go back); anything else as every form does.

        (Textual then calls :meth:`FormScreen.on_worker_state_changed` too, unless prevented.)
        """
        if (
            event.worker.group == "form"
            and event.state is WorkerState.ERROR
            and isinstance(event.worker.error, LikelyDuplicate)
        ):
            event.stop()
            event.prevent_default()
            self.saving = False
            self._ask_about(event.worker.error.hints)

    def _ask_about(self, hints: list[DuplicateHint]) -> None:
        values = self.collect()
        message = Text("This looks like a member already on the roster:\n\n")
        message.append_text(duplicates_text(hints))
        message.append("\n\nSave anyway, or go back and check?")
        self.query_one("#form-error", Label).update(
            f"Likely duplicate: {hints[0].name} ({hints[0].reason})"
            + (f" and {len(hints) - 1} more" if len(hints) > 1 else "")
        )
        self.query_one("#form-error", Label).add_class("-shown")

        def answered(yes: bool | None) -> None:
            if yes:
                self.confirmed = values
                self.action_save()

        self.app.push_screen(ConfirmScreen("Likely duplicate", message, yes="Save anyway"), answered)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()  # not the roster's filters


def field_names() -> tuple[str, ...]:
    """Every field of the form (for tests)."""
    return tuple(item.name for item in fields(MemberForm))
