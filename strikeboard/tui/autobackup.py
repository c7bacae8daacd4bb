"""Automatic backups while the TUI runs: one when the database opens, then every N minutes of changes.

:class:`AutoBackup` is the header's "backup 14:05" label and also does the work. A few
seconds after the database opens (the tabs' first loads go first), then every
:attr:`AutoBackup.check_seconds` a thread worker asks the gateway for the
``backup.every_minutes`` setting and the newest audit event's number; when the strike
changed since the last good backup and the interval has passed, it makes a verified
backup (:func:`strikeboard.store.backup.backup`: written under a temporary name and
renamed when checked, so quitting mid-backup leaves no partial file). A failure is one
notification and a red "backup failed: ..." label, never a crash; it is tried again
after :data:`RETRY_MINUTES`. A server database gets no backups and says so once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Label
from textual.worker import Worker

if TYPE_CHECKING:
    from strikeboard.tui.data import Gateway

#: After a failed backup, the next try comes this many minutes later (or the interval, if shorter).
RETRY_MINUTES = 5
#: The label shows at most this much of a failure's reason (the notification has all of it).
REASON_WIDTH = 24


def _utc_now() -> datetime:
    return datetime.now(UTC)


def describe(error: BaseException) -> str:
    """One short sentence for a failed backup."""
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror}{where}"
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class AutoBackup(Label):
    """Backs up the open SQLite file in a thread worker and shows when it last did."""

    DEFAULT_CSS = """
    AutoBackup { width: auto; padding: 0 1; color: $text-muted; }
    AutoBackup.-failed { color: $error; }
    """

    #: The first backup starts this many seconds after the database opened. Tests shorten it.
    first_delay_seconds: ClassVar[float] = 3.0
    #: How often (seconds) to look whether a backup is due. Tests shorten it.
    check_seconds: ClassVar[float] = 60.0
    #: How long one minute of the ``backup.every_minutes`` setting lasts, in seconds. Tests shorten it.
    minute_seconds: ClassVar[float] = 60.0

    @dataclass
    class Done(Message):
        """A backup was made (``path``) at ``at``, covering the changes up to ``marker``."""

        attempted: float  # time.monotonic() when the attempt started
        at: datetime
        path: Path
        marker: int

    @dataclass
    class Failed(Message):
        """A backup could not be made."""

        attempted: float
        reason: str

    @dataclass
    class Off(Message):
        """The ``backup.every_minutes`` setting is 0."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.last_path: Path | None = None  # the newest backup this window made
        self._gateway: Gateway | None = None
        self._zone: ZoneInfo | None = None
        self._marker: int | None = None  # the change marker the last good backup covers
        self._attempted: float | None = None  # monotonic time of the last attempt
        self._failure: str | None = None  # the reason already notified (one notification per failure)
        self._worker: Worker[None] | None = None

    def start(self, gateway: Gateway) -> None:
        """The store is open: back up soon (in a thread), then look every :attr:`check_seconds`."""
        self._gateway = gateway
        self._zone = gateway.zone
        if gateway.backup_source is None:
            self.update("no backup: server database")
            self.notify(
                "Automatic backups are for SQLite files: back up a server database with pg_dump.",
                title="No automatic backups",
                severity="warning",
                markup=False,
            )
            return
        self.set_timer(self.first_delay_seconds, self.check)
        self.set_interval(self.check_seconds, self.check)

    def check(self) -> None:
        """Start a worker that backs up if a backup is due (nothing if one is running)."""
        if self._gateway is None or (self._worker is not None and self._worker.is_running):
            return
        since = None if self._attempted is None else time.monotonic() - self._attempted
        failed = self._failure is not None
        self._worker = self._backup_if_due(self._gateway, self._marker, since, failed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup", name="automatic backup")
    def _backup_if_due(self, gateway: Gateway, marker: int | None, since: float | None, failed: bool) -> None:
        """Back up when there was no attempt yet, or the strike changed and the interval passed."""
        started = time.monotonic()
        try:
            due = gateway.backup_check()
            if due.every_minutes <= 0:
                self.post_message(self.Off())
                return
            minutes = min(due.every_minutes, RETRY_MINUTES) if failed else due.every_minutes
            if since is not None and (due.marker == marker or since < minutes * self.minute_seconds):
                return
            result = gateway.make_backup()
        except Exception as error:  # any failure is reported, never raised: the app must keep working
            self.post_message(self.Failed(started, describe(error)))
            return
        self.post_message(self.Done(started, _utc_now(), result.path, due.marker))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Keep this widget's worker events to itself (the app treats its own worker errors as fatal)."""
        event.stop()

    def on_auto_backup_done(self, message: Done) -> None:
        """Show the backup's time in the strike's zone; the failure, if any, is over."""
        self._attempted, self._marker, self._failure = message.attempted, message.marker, None
        self.last_path = message.path
        self.remove_class("-failed")
        local = message.at.astimezone(self._zone) if self._zone is not None else message.at
        self.update(f"backup {local:%H:%M}")
        self.tooltip = Text(f"Last backup: {message.path}")

    def on_auto_backup_failed(self, message: Failed) -> None:
        """Show the reason in the header; notify once per failure (not at every retry)."""
        self._attempted = message.attempted
        reason = message.reason
        short = reason if len(reason) <= REASON_WIDTH else reason[: REASON_WIDTH - 1] + "…"
        self.add_class("-failed")
        self.update(f"backup failed: {short}")
        self.tooltip = Text(f"Backup failed: {reason}")
        if reason != self._failure:
            self._failure = reason
            self.notify(reason, title="Backup failed", severity="error", timeout=15, markup=False)

    def on_auto_backup_off(self, _message: Off) -> None:
        """Say that backups are off; if they are turned on again, the next look backs up at once."""
        self._attempted, self._marker, self._failure = None, None, None  # on again: back up at once
        self.remove_class("-failed")
        self.update("backups off")
        self.tooltip = Text("Automatic backups are off: strikeboard settings set backup.every_minutes 30")
