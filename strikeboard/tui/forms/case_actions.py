"""The forms of the case view: advance, record an answer or meeting, extend, close, information.

Each action is an :class:`ActionSpec` (its fields and the gateway call) shown by one generic
:class:`ActionForm`. Field names are the service's keyword names (``on``, ``new_deadline``,
``agreed_by``...), so a ``ValidationError(field, ...)`` from the service lands under the
field it is about.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label, Select

from strikeboard.tui.forms.base import FieldProblem, FormScreen

if TYPE_CHECKING:
    from strikeboard.tui.data import Gateway


@dataclass(frozen=True)
class FieldSpec:
    """One field of an action form."""

    name: str  # the service's keyword (and the error's ``field``)
    label: str
    kind: str = "text"  # "date", "text", "notes" (several lines), "select"
    default: object = None  # a date, a string or the Select's initial value
    options: tuple[tuple[str, Any], ...] = ()  # for "select": (label, value)
    required: bool = False
    hint: str = ""
    max_length: int = 0  # for "text": 0 = no limit


@dataclass(frozen=True)
class ActionSpec:
    """An action on a case: what the form asks and which gateway action it runs."""

    action: str  # a key of Gateway.ACTIONS
    title: str  # the form's title, e.g. "Record the employer's answer"
    done: str  # the summary's verb phrase, e.g. "answer recorded"
    fields: tuple[FieldSpec, ...]
    target: uuid.UUID  # the grievance (or, to mark information received, the request)
    number: str  # the case number, for the summary
    notes: Sequence[str] = field(default_factory=tuple)  # lines shown above the fields


class ActionForm(FormScreen):
    """A form for one case action (see :class:`ActionSpec`); dismisses with a summary."""

    def __init__(self, gateway: Gateway, actor: str, today: date, spec: ActionSpec) -> None:
        super().__init__(gateway, actor, today, title=f"{spec.number} — {spec.title}")
        self.spec = spec

    def compose_header(self) -> ComposeResult:
        for line in self.spec.notes:
            yield Label(line, classes="form-note", markup=False)

    def compose_fields(self) -> ComposeResult:
        for spec in self.spec.fields:
            widget: Any
            if spec.kind == "date":
                default = spec.default if isinstance(spec.default, date) else None
                widget = self.date_input(spec.name, default, optional=not spec.required)
            elif spec.kind == "select":
                widget = Select(
                    [(Text(label), value) for label, value in spec.options],
                    value=spec.default if spec.default is not None else Select.NULL,
                    allow_blank=spec.default is None,
                    id=f"f-{spec.name}",
                    compact=True,
                )
            elif spec.kind == "notes":
                widget = self.notes_input(spec.name, str(spec.default or ""))
            else:
                widget = self.text_input(spec.name, str(spec.default or ""), max_length=spec.max_length)
            yield self.field_row(spec.name, spec.label, widget, hint=spec.hint)

    def on_mount(self) -> None:
        first = self.spec.fields[0] if self.spec.fields else None
        if first is not None:
            self.set_focus(self.query_one(f"#f-{first.name}"))

    def collect(self) -> dict[str, Any]:
        """The typed values by keyword; required fields and date syntax checked here."""
        values: dict[str, Any] = {}
        for spec in self.spec.fields:
            if spec.kind == "date":
                values[spec.name] = self.day(spec.name, optional=not spec.required)
            elif spec.kind == "select":
                value = self.choice(spec.name)
                if value is None and spec.required:
                    raise FieldProblem(spec.name, f"Required: choose the {spec.label.lower().rstrip(':')}.")
                values[spec.name] = value
            elif spec.kind == "notes":
                values[spec.name] = self.notes(spec.name)
            else:
                value = self.text(spec.name)
                if not value and spec.required:
                    raise FieldProblem(spec.name, f"Required: fill in the {spec.label.lower().rstrip(':')}.")
                values[spec.name] = value
        return values

    def save(self, values: dict[str, Any]) -> str:
        """Run the action in the database; the summary names the case."""
        self.gateway.grievance_action(
            self.spec.action, self.spec.target, actor=self.actor, today=self.today, **values
        )
        return f"{self.spec.number}: {self.spec.done}"


# -- the actions ---------------------------------------------------------------------------

OUTCOMES = (("Denied", "denied"), ("Granted", "granted"), ("Partly granted", "partial"))
CLOSING = (("Settled", "settled"), ("Withdrawn", "withdrawn"), ("Won", "won"), ("Lost", "lost"))


def _on(today: date, label: str = "On (date):") -> FieldSpec:
    return FieldSpec("on", label, "date", today, required=True)


def _notes() -> FieldSpec:
    return FieldSpec("notes", "Notes:", "notes", hint="Free text; Enter starts a new line, Tab moves on")


def _document() -> FieldSpec:
    return FieldSpec(
        "document",
        "Document:",
        hint="Path or name of a document referenced (optional)",
        max_length=300,
    )


def advance_spec(gid: uuid.UUID, number: str, today: date, next_step: str, *, late: bool) -> ActionSpec:
    """Appeal to ``next_step``."""
    notes = [f"Move the case to {next_step}."]
    if late:
        notes.insert(0, "The employer missed its answer deadline: the union may advance now.")
    return ActionSpec(
        "advance",
        f"Advance to {next_step}",
        f"advanced to {next_step}",
        (_on(today, "Appealed on:"), _document(), _notes()),
        gid,
        number,
        tuple(notes),
    )


def answer_spec(gid: uuid.UUID, number: str, today: date, step: str) -> ActionSpec:
    """The employer's answer at ``step``."""
    return ActionSpec(
        "record_answer",
        f"Record the employer's {step} answer",
        "answer recorded",
        (
            _on(today, "Answered on:"),
            FieldSpec("outcome", "Outcome:", "select", "denied", OUTCOMES, required=True),
            _document(),
            _notes(),
        ),
        gid,
        number,
    )


def meeting_spec(gid: uuid.UUID, number: str, today: date, step: str) -> ActionSpec:
    """A meeting at ``step``."""
    return ActionSpec(
        "record_meeting",
        f"Record a {step} meeting",
        "meeting recorded",
        (_on(today, "Met on:"), _document(), _notes()),
        gid,
        number,
    )


def extend_spec(gid: uuid.UUID, number: str, today: date, current: str) -> ActionSpec:
    """An extension agreed in writing."""
    return ActionSpec(
        "extend",
        "Extend the deadline",
        "deadline extended",
        (
            FieldSpec("new_deadline", "New deadline:", "date", required=True),
            FieldSpec("agreed_by", "Agreed by:", required=True, hint="Who agreed in writing (name, title)"),
            _on(today, "Agreed on:"),
            _document(),
            _notes(),
        ),
        gid,
        number,
        (f"Now due: {current}",) if current else (),
    )


def close_spec(gid: uuid.UUID, number: str, today: date, status: str) -> ActionSpec:
    """Close the case as settled, withdrawn, won or lost (``status`` preselected)."""
    titles = {"settled": "Settle", "withdrawn": "Withdraw"}
    return ActionSpec(
        "close",
        f"{titles.get(status, 'Close')} the case",
        "closed",
        (
            FieldSpec("status", "Closed as:", "select", status, CLOSING, required=True),
            _on(today, "Closed on:"),
            FieldSpec("outcome", "Outcome:", hint="e.g. back pay in full, warning removed"),
            _document(),
            _notes(),
        ),
        gid,
        number,
    )


def info_request_spec(gid: uuid.UUID, number: str, today: date) -> ActionSpec:
    """A new request for information to the employer."""
    return ActionSpec(
        "add_information_request",
        "Request information",
        "information requested",
        (
            FieldSpec("description", "What is asked:", required=True),
            FieldSpec("requested_on", "Requested on:", "date", today, required=True),
            FieldSpec("due_on", "Due on:", "date", required=True),
        ),
        gid,
        number,
    )


def info_received_spec(
    gid: uuid.UUID, number: str, today: date, pending: Sequence[tuple[str, uuid.UUID]]
) -> ActionSpec:
    """Mark one of the ``pending`` requests ``(label, request id)`` as received."""
    return ActionSpec(
        "mark_information_received",
        "Information received",
        "information received",
        (
            FieldSpec(
                "request_id",
                "Request:",
                "select",
                pending[0][1] if len(pending) == 1 else None,
                tuple(pending),
                required=True,
            ),
            _on(today, "Received on:"),
        ),
        gid,
        number,
    )
