"""The automatic backup's door to the database (a mixin of :class:`~strikeboard.tui.data.Gateway`)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from strikeboard.services.settings import load_settings
from strikeboard.store.backup import DEFAULT_KEEP, BackupResult, backup, default_backup_dir, list_backups
from strikeboard.store.models import AuditEvent
from strikeboard.store.probe import StoreError

if TYPE_CHECKING:
    from strikeboard.store.db import Store


@dataclass(frozen=True)
class BackupCheck:
    """What the automatic backup needs to decide whether to back up now."""

    every_minutes: int  # the ``backup.every_minutes`` setting (0 = off)
    marker: int  # the newest audit event's number: it changes with every change to the strike


#: A partial backup file older than this was left by a window killed mid-backup (seconds).
STALE_PARTIAL_SECONDS = 3600


def _sweep_leftovers(folder: Path, stem: str) -> None:
    """Delete the temporary files of backups that were killed midway (never a finished backup)."""
    for partial in folder.glob(f".{stem}-????????-??????Z.db.partial"):
        try:
            if time.time() - partial.stat().st_mtime > STALE_PARTIAL_SECONDS:
                partial.unlink()
        except OSError:
            pass  # another window removed it, or the folder is read-only: the backup will say so


@contextmanager
def _one_window_at_a_time(folder: Path, stem: str) -> Iterator[None]:
    """Hold an OS lock on ``folder/.STEM.lock`` while backing up: two windows on one file often
    look in the same second, and :func:`backup` names its temporary file after the second.
    The lock goes with the process, so a window killed mid-backup never blocks the others.
    (Windows has no ``flock``: there, a clash is caught by the same-second check instead.)"""
    fd = os.open(folder / f".{stem}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform != "win32":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield  # closing the descriptor releases the lock
    finally:
        os.close(fd)


class BackupData:
    """Backups of the open SQLite file, and the facts that say when one is due."""

    store: Store

    @property
    def backup_source(self) -> Path | None:
        """The database file to back up; ``None`` for a server (or in-memory) database."""
        if not self.store.is_sqlite:
            return None
        name = self.store.engine.url.database
        return Path(name) if name and name != ":memory:" else None

    def backup_check(self) -> BackupCheck:
        """The backup interval as set now (another window may change it) and the change marker."""
        with self.store.read() as session:
            every = load_settings(session).backup.every_minutes
            newest = session.execute(select(func.max(AuditEvent.seq))).scalar()
        return BackupCheck(every_minutes=every, marker=int(newest or 0))

    def make_backup(self) -> BackupResult:
        """A verified backup of the file in the user data folder's ``backups/`` (the newest 20 kept).

        Raises :class:`StoreError` (one sentence) when it cannot be made; no partial file is left.
        """
        source = self.backup_source
        if source is None:
            raise StoreError(
                "automatic backups are for SQLite files: back up a server database with pg_dump."
            )
        try:
            folder = default_backup_dir()
        except OSError as error:
            where = f": {error.filename} must be" if error.filename else ": it must be"
            raise StoreError(
                f"the backup folder cannot be used ({error.strerror or error}){where} "
                "a folder you can write to."
            ) from None
        with _one_window_at_a_time(folder, source.stem):
            _sweep_leftovers(folder, source.stem)
            started = time.time()
            try:
                return backup(source, folder=folder, keep=DEFAULT_KEEP)
            except StoreError:
                # Another window on the same file backed up in the same second (backups are named
                # to the second): that verified copy is as good as ours.
                made = next(iter(list_backups(folder, source.stem)), None)
                if made is None or made.stat().st_mtime < started - 1:
                    raise
                return BackupResult(made, made.stat().st_size, 0.0, ())
