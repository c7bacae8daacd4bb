"""A one-line header: app and strike name on the left; last backup and local time on the right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from strikeboard.tui.autobackup import AutoBackup

if TYPE_CHECKING:
    from strikeboard.tui.data import Gateway


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StrikeHeader(Horizontal):
    """Title, when the last automatic backup was made, and a clock in the strike's time zone."""

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
        yield AutoBackup(id="header-backup")
        yield Label("", id="header-clock", markup=False)

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)

    def set_title(self, title: str) -> None:
        """Show ``title`` (literally: no markup)."""
        self._title = title
        self.query_one("#header-title", Label).update(title)

    def start_backups(self, gateway: Gateway) -> None:
        """The store is open: back it up now and every few minutes of changes (see :class:`AutoBackup`)."""
        self.query_one(AutoBackup).start(gateway)

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
