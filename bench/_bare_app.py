"""The yardstick for ``bench_launch``: a bare Textual app (Header, Label, Footer).

Started exactly like strikeboard (``python -m bench._bare_app`` with the same interpreter),
so the ratio between the two isolates what strikeboard adds to Textual's own start-up.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label

MARKER = "Bare app painted"


class BareApp(App[None]):
    """Nothing but a header, one label and a footer."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(MARKER)
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
