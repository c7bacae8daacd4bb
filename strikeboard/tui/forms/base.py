"""What every form shares: date fields, errors shown at the field, saving in a thread worker.

A form is a :class:`~textual.screen.ModalScreen` that stays open while its write runs in a
thread worker: a :class:`FieldProblem` (the service's ``ValidationError``, translated by the
gateway) is shown under the field it names and nothing is written; on success the form
dismisses with a one-line summary naming the case ("G-2026-0042: answer recorded").
This module imports no database code (it is loaded at app start).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, TextArea
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from strikeboard.tui.data import Gateway


class FieldProblem(ValueError):
    """Bad input for one field (``field`` is the form field's name; ``""`` for the whole form)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


def parse_day(text: str) -> date:
    """A date typed as ``YYYY-MM-DD`` (raises ``ValueError`` with a sentence saying so)."""
    text = text.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date: type it as YYYY-MM-DD, e.g. 2026-11-10.") from None


class DateValidator(Validator):
    """An Input validator for ``YYYY-MM-DD`` dates (an empty box passes when ``optional``)."""

    def __init__(self, *, optional: bool = False) -> None:
        super().__init__()
        self.optional = optional

    def validate(self, value: str) -> ValidationResult:
        """Valid when ``value`` is a real calendar date written ``YYYY-MM-DD``."""
        if not value.strip():
            return self.success() if self.optional else self.failure("Required: type a date as YYYY-MM-DD.")
        try:
            parse_day(value)
        except ValueError as error:
            return self.failure(str(error))
        return self.success()


class FormScreen(ModalScreen[str | None]):
    """A modal form: labelled fields with an error line each; ctrl+s saves, Esc cancels.

    Subclasses compose their fields with :meth:`field_row`, turn the widgets into values in
    :meth:`collect` (raising :class:`FieldProblem` for what they can check themselves) and
    write in :meth:`save`, which runs in a thread worker and returns the summary the form
    dismisses with.
    """

    DEFAULT_CSS = """
    FormScreen .form-line TextArea {
        width: 1fr;
        height: 4;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    #: Service field names that are shown under another field of this form.
    FIELD_ALIASES: ClassVar[dict[str, str]] = {}

    def __init__(self, gateway: Gateway, actor: str, today: date, *, title: str) -> None:
        super().__init__()
        self.gateway = gateway
        self.actor = actor
        self.today = today
        self.form_title = title
        self.saving = False

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box") as box:
            box.border_title = self.form_title
            box.border_subtitle = "ctrl+s save · Esc cancel"
            yield from self.compose_header()
            with VerticalScroll(classes="form-fields"):
                yield from self.compose_fields()
            yield Label("", id="form-error", classes="form-error", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button("Save (ctrl+s)", id="form-save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="form-cancel", compact=True)

    def compose_header(self) -> ComposeResult:
        """Lines shown above the fields (subclasses)."""
        yield from ()

    def compose_fields(self) -> ComposeResult:
        """The form's fields, each made with :meth:`field_row` (subclasses)."""
        yield from ()

    @staticmethod
    def field_row(name: str, label: str, widget: Widget, *, hint: str = "") -> Vertical:
        """One labelled field with its (hidden until needed) error line, named ``name``."""
        children: list[Widget] = [
            Horizontal(Label(label, classes="form-label", markup=False), widget, classes="form-line")
        ]
        if hint:
            children.append(Label(hint, classes="form-hint", markup=False))
        children.append(Label("", id=f"error-{name}", classes="field-error", markup=False))
        return Vertical(*children, id=f"row-{name}", classes="form-row")

    @staticmethod
    def date_input(name: str, value: date | None = None, *, optional: bool = False) -> Input:
        """A ``YYYY-MM-DD`` box validated as the user leaves it or submits."""
        return Input(
            value.isoformat() if value else "",
            placeholder="YYYY-MM-DD" + (" (optional)" if optional else ""),
            id=f"f-{name}",
            validators=[DateValidator(optional=optional)],
            validate_on=["blur", "submitted"],
            max_length=10,
            restrict=r"[0-9-]*",
            compact=True,
        )

    @staticmethod
    def text_input(name: str, value: str = "", *, placeholder: str = "", max_length: int = 0) -> Input:
        """A free-text box."""
        return Input(value, placeholder=placeholder, id=f"f-{name}", max_length=max_length, compact=True)

    @staticmethod
    def notes_input(name: str, value: str = "") -> TextArea:
        """A multi-line box for free text (Enter starts a new line, Tab moves on)."""
        return TextArea(value, id=f"f-{name}", soft_wrap=True, tab_behavior="focus", compact=True)

    # -- reading the fields ------------------------------------------------------------

    def notes(self, name: str) -> str:
        """The text of multi-line field ``name``, as typed (only blank lines around it dropped)."""
        return self.query_one(f"#f-{name}", TextArea).text.strip("\n").rstrip()

    def text(self, name: str) -> str:
        """The stripped text of field ``name``."""
        return self.query_one(f"#f-{name}", Input).value.strip()

    def day(self, name: str, *, optional: bool = False) -> date | None:
        """The date typed in field ``name`` (``None`` if empty and ``optional``)."""
        value = self.text(name)
        if not value:
            if optional:
                return None
            raise FieldProblem(name, "Required: type a date as YYYY-MM-DD.")
        try:
            return parse_day(value)
        except ValueError as error:
            raise FieldProblem(name, str(error)) from None

    def required_day(self, name: str) -> date:
        """The date typed in field ``name`` (required)."""
        value = self.day(name)
        assert value is not None
        return value

    def choice(self, name: str) -> Any:
        """The value chosen in Select ``name`` (``None`` when blank)."""
        value = self.query_one(f"#f-{name}", Select).value
        return None if value is Select.NULL else value

    def checked(self, name: str) -> bool:
        """Whether Checkbox ``name`` is ticked."""
        return self.query_one(f"#f-{name}", Checkbox).value

    def collect(self) -> object:
        """The form's values, checked as far as the form can (subclasses)."""
        raise NotImplementedError

    def save(self, values: Any) -> str:
        """Write ``values`` through the gateway (in a thread); return the summary (subclasses)."""
        raise NotImplementedError

    # -- errors ------------------------------------------------------------------------

    def clear_errors(self) -> None:
        """Hide every error line."""
        for label in self.query(".field-error, #form-error").results(Label):
            label.update("")
            label.remove_class("-shown")
        for row in self.query(".form-row.-invalid"):
            row.remove_class("-invalid")

    def show_problem(self, problem: FieldProblem) -> None:
        """Show ``problem`` under its field (or at the foot of the form) and focus that field."""
        name = self.FIELD_ALIASES.get(problem.field, problem.field)
        label = self.query_one_optional(f"#error-{name}", Label) if name else None
        if label is None:  # not a field of this form, e.g. "status": the case was closed meanwhile
            label = self.query_one("#form-error", Label)
        else:
            row = self.query_one(f"#row-{name}")
            row.add_class("-invalid")
            focusable = [w for w in row.query("*") if w.focusable]
            if focusable:
                self.set_focus(focusable[0])
            row.scroll_visible(animate=False)
        label.update(problem.message)
        label.add_class("-shown")

    def field_errors(self) -> dict[str, str]:
        """The error shown for each field (for tests and screen readers)."""
        result = {}
        for label in self.query(".field-error.-shown, #form-error.-shown").results(Label):
            name = (label.id or "").removeprefix("error-").removeprefix("form-")
            result[name] = str(label.render())
        return result

    @on(Input.Blurred)
    def _show_input_validation(self, event: Input.Blurred) -> None:
        """A date box that was left with a bad date says so at once."""
        self._input_verdict(event.input, event.validation_result)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._input_verdict(event.input, event.validation_result)

    def _input_verdict(self, widget: Input, result: ValidationResult | None) -> None:
        name = (widget.id or "").removeprefix("f-")
        label = self.query_one_optional(f"#error-{name}", Label)
        if label is None or result is None:
            return
        if result.is_valid:
            label.update("")
            label.remove_class("-shown")
            self.query_one(f"#row-{name}").remove_class("-invalid")
        else:
            label.update(" ".join(result.failure_descriptions))
            label.add_class("-shown")
            self.query_one(f"#row-{name}").add_class("-invalid")

    # -- saving --------------------------------------------------------------------------

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        """Check the fields and, if they are fine, write in a thread worker."""
        if self.saving:
            return
        self.clear_errors()
        try:
            values = self.collect()
        except FieldProblem as problem:
            self.show_problem(problem)
            return
        self.saving = True
        self._write(values)

    def action_cancel(self) -> None:
        """Close the form without writing."""
        self.dismiss(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form")
    def _write(self, values: object) -> str:
        return self.save(values)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The write finished: close with its summary, or show why it was refused."""
        if event.worker.group != "form":
            return
        event.stop()
        if event.state is WorkerState.SUCCESS:
            self.saving = False
            self.dismiss(str(event.worker.result))
        elif event.state is WorkerState.ERROR:
            self.saving = False
            error = event.worker.error
            if isinstance(error, FieldProblem):
                self.show_problem(error)
            else:
                from strikeboard.tui.app import describe_error  # the app's one wording of failures

                self.show_problem(FieldProblem("", f"Not saved: {describe_error(error or Exception())}"))


def select_options(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """``(label, value)`` pairs for a Select (labels are shown literally by Select)."""
    return list(pairs)


#: ``(field name, service keyword)`` translations are done by each form; this is the type of
#: a save function given to :class:`ActionForm`: ``(gateway, values, actor) -> summary``.
SaveFunction = Callable[["Gateway", dict[str, Any], str], str]
