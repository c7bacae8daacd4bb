"""The help screen (F1 or ?): every key of the app, grouped by where it works."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: ``(section title, [(keys, what they do), ...])``
HelpSections = Sequence[tuple[str, Sequence[tuple[str, str]]]]


def help_text(sections: HelpSections) -> Text:
    """The key list as aligned plain text (keys in bold), never parsed as markup."""
    width = max((len(keys) for _, rows in sections for keys, _ in rows), default=0) + 3
    text = Text()
    for number, (title, rows) in enumerate(sections):
        if number:
            text.append("\n")
        text.append(title + "\n", style="bold underline")
        for keys, description in rows:
            text.append(f"  {keys:<{width}}", style="bold")
            text.append(description + "\n")
    return text


class HelpScreen(ModalScreen[None]):
    """A scrollable list of every key; any of Esc, F1, ? or q closes it."""

    BINDINGS = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, sections: HelpSections) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(help_text(self.sections), id="help-text")

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help screen."""
        self.dismiss(result)
