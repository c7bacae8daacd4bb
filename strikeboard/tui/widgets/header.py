"""A one-line header: app and strike name on the left, the strike's local time on the right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StrikeHeader(Horizontal):
    """Title and a clock in a given time zone (the terminal's zone may differ)."""

    DEFAULT_CSS = """
    StrikeHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        #header-title { width: 1fr; padding: 0 1; text-style: bold; }
        #header-clock { width: auto; padding: 0 1; color: $text-muted; }
    }
    """

    def __init__(
        self, title: str, *, clock: Callable[[], datetime] = _utc_now, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._title = title
        self._clock = clock
        self._zone: ZoneInfo | None = None

    def compose(self) -> ComposeResult:
        yield Label(self._title, id="header-title", markup=False)
        yield Label("", id="header-clock", markup=False)

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)

    def set_title(self, title: str) -> None:
        """Show ``title`` (literally: no markup)."""
        self._title = title
        self.query_one("#header-title", Label).update(title)

    def set_zone(self, zone: ZoneInfo) -> None:
        """Show the clock in ``zone`` from now on."""
        self._zone = zone
        self.tick()

    def tick(self) -> None:
        """Redraw the clock (called every second)."""
        if self._zone is None:
            return
        local = self._clock().astimezone(self._zone)
        self.query_one("#header-clock", Label).update(f"{local:%a} {local.day} {local:%b %H:%M %Z}")
