"""The command palette (ctrl+p): every tab and action of the app, by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider


class PaletteCommand(Protocol):
    """A command the palette offers: a title, a line of help and what to do."""

    title: str
    help: str
    callback: Callable[[], object]


class HasPaletteCommands(Protocol):
    """An app that lists its palette commands."""

    def palette_commands(self) -> Sequence[PaletteCommand]:
        """The commands to offer, in display order."""
        ...


class StrikeboardCommands(Provider):
    """Offers the app's own commands ("Go to Roster", "Refresh", "Help", "Quit", ...).

    A screen with commands of its own (the grievance case view: "Case: advance", ...)
    has them offered first, above the app's.
    """

    def _commands(self) -> Sequence[PaletteCommand]:
        commands = list(cast(HasPaletteCommands, self.app).palette_commands())
        screen_commands = getattr(self.screen, "palette_commands", None)
        if callable(screen_commands):
            commands = [*cast(HasPaletteCommands, self.screen).palette_commands(), *commands]
        return commands

    async def discover(self) -> Hits:
        """All commands, shown before anything is typed."""
        for command in self._commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        """Commands whose title fuzzily matches ``query``."""
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback, help=command.help)
