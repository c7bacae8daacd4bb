"""Quick-add at a gate: someone not on the roster gives a name and a phone and is signed in.

One transaction adds the member (status "incomplete", flagged for an organizer to
complete) and signs them in to the shift; a problem (no first name, a phone that cannot
be a phone, a phone already on the roster) is shown under its field and nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Label

from strikeboard.tui.forms.base import FieldProblem, FormScreen

if TYPE_CHECKING:
    from strikeboard.tui.data import Gateway
    from strikeboard.tui.data_signin import Done


@dataclass(frozen=True)
class QuickAdd:
    """What the quick-add form submits."""

    first_name: str
    last_name: str
    phone: str


def split_typed(typed: str) -> tuple[str, str, str]:
    """What was typed in the sign-in box as ``(first, last, phone)``: digits are a phone, words a name."""
    text = typed.strip()
    if text and all(ch.isdigit() or ch in " -().+" for ch in text):
        return "", "", text
    first, _, last = text.partition(" ")
    return first.strip(), last.strip(), ""


class QuickAddForm(FormScreen):
    """Add and sign in someone not on the roster; dismisses with "✓ Ann Lee added and signed in at 11:02…"."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"by": "first_name"}

    def __init__(
        self,
        gateway: Gateway,
        actor: str,
        today: date,
        *,
        shift_id: uuid.UUID,
        clock: Callable[[], datetime],
        typed: str = "",
    ) -> None:
        super().__init__(gateway, actor, today, title="Quick-add and sign in")
        self.shift_id = shift_id
        self.clock = clock
        self.typed = typed
        self.done: Done | None = None  # set once committed

    def compose_header(self) -> ComposeResult:
        yield Label(
            "Not on the roster? Name and phone: signed in now; an organizer completes the record later.",
            classes="form-hint-top",
            markup=False,
        )

    def compose_fields(self) -> ComposeResult:
        first, last, phone = split_typed(self.typed)
        yield self.field_row(
            "first_name", "First name:", self.text_input("first_name", first, max_length=100)
        )
        yield self.field_row("last_name", "Last name:", self.text_input("last_name", last, max_length=100))
        yield self.field_row(
            "phone",
            "Phone:",
            self.text_input("phone", phone, max_length=32),
            hint="Any format, with area code",
        )

    def on_mount(self) -> None:
        first, last, _ = split_typed(self.typed)
        empty = next(
            (name for name, value in (("first_name", first), ("last_name", last)) if not value), "phone"
        )
        self.set_focus(self.query_one(f"#f-{empty}"))

    def collect(self) -> QuickAdd:
        first = self.text("first_name")
        if not first:
            raise FieldProblem("first_name", "Give the first name.")
        phone = self.text("phone")
        if not phone:
            raise FieldProblem("phone", "Give a phone number so an organizer can reach them.")
        return QuickAdd(first, self.text("last_name"), phone)

    def save(self, values: Any) -> str:
        now = self.clock()
        done = self.gateway.quick_add_and_sign_in(
            self.shift_id,
            now,
            first_name=values.first_name,
            last_name=values.last_name,
            phone=values.phone,
            by=self.actor,
        )
        self.done = done
        signed = done.signed
        assert signed is not None
        at = signed.at.astimezone(self.gateway.zone)
        return f"✓ {signed.name} added (incomplete: flagged for an organizer) and signed in at {at:%H:%M}" + (
            " — walk-in." if signed.walk_in else "."
        )
