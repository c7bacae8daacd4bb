"""Consistent, verified backups of a live SQLite database, and a safe restore.

A backup is made with ``VACUUM INTO`` (a consistent snapshot even while other processes
write), written under a temporary name, checked with ``PRAGMA integrity_check`` and only
then renamed into place, mode 0600. Never ``cp`` a live database: the copy can catch a
half-written page or miss the write-ahead log.
"""

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from strikeboard.store.probe import FileState, StoreError, inspect_sqlite_file

#: How many backups of one database :func:`backup` keeps in the backup folder.
DEFAULT_KEEP = 20
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupResult:
    """A verified backup and the older ones that were pruned to make room."""

    path: Path
    size: int
    seconds: float
    pruned: tuple[Path, ...]


def default_backup_dir() -> Path:
    """``backups/`` in the platform's user data folder (created 0700)."""
    from platformdirs import user_data_path

    folder = user_data_path("strikeboard", appauthor=False) / "backups"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def integrity_problem(path: Path) -> str | None:
    """``None`` when SQLite's integrity check passes on ``path``, else what it reported."""
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    messages = [str(row[0]) for row in rows]
    return None if messages == ["ok"] else "; ".join(messages[:3])


def backup(
    database: Path,
    *,
    out: Path | None = None,
    folder: Path | None = None,
    keep: int = DEFAULT_KEEP,
    now: datetime | None = None,
) -> BackupResult:
    """Back up ``database`` to ``out``, or to a timestamped file in ``folder``.

    With no ``out``, the newest ``keep`` backups of this database in ``folder`` are kept
    and older ones deleted. Raises :class:`StoreError` (one sentence) on any problem;
    a failed backup leaves no file behind.
    """
    started = datetime.now(UTC)
    moment = now or started
    inspect_sqlite_file(database)  # a clear message for a path that is not a strikeboard database
    if not database.exists():
        raise StoreError(f"{database} does not exist: there is nothing to back up.")
    auto_named = out is None
    if out is None:
        folder = folder or default_backup_dir()
        out = folder / f"{database.stem}-{moment.astimezone(UTC).strftime(_STAMP)}Z.db"
    if out.exists():
        raise StoreError(f"{out} already exists: choose another name for the backup.")
    if not out.parent.is_dir():
        raise StoreError(f"{out.parent} does not exist: create the folder first.")
    tmp = out.with_name(f".{out.name}.partial")
    tmp.unlink(missing_ok=True)
    try:
        _vacuum_into(database, tmp)
        os.chmod(tmp, 0o600)
        problem = integrity_problem(tmp)
        if problem:
            raise StoreError(f"the backup of {database} failed its integrity check ({problem}).")
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    pruned = _prune(out.parent, database.stem, keep) if auto_named else ()
    seconds = (datetime.now(UTC) - started).total_seconds()
    return BackupResult(out, out.stat().st_size, seconds, pruned)


def _vacuum_into(database: Path, target: Path) -> None:
    try:
        conn = sqlite3.connect(database, timeout=5)
        try:
            conn.execute("VACUUM INTO ?", (str(target),))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{database} could not be backed up ({exc}).") from None


def list_backups(folder: Path, stem: str) -> list[Path]:
    """The backups of database ``stem`` in ``folder``, newest first."""
    return sorted(folder.glob(f"{stem}-????????-??????Z.db"), reverse=True)


def _prune(folder: Path, stem: str, keep: int) -> tuple[Path, ...]:
    old = list_backups(folder, stem)[max(keep, 1) :]
    for path in old:
        path.unlink(missing_ok=True)
    return tuple(old)


def restore(source: Path, database: Path, *, now: datetime | None = None) -> Path | None:
    """Put the backup ``source`` in place of ``database``; return where the old one was kept.

    The backup is checked first (a strikeboard database of a schema this version knows,
    passing the integrity check). The current database, if any, is renamed aside as
    ``NAME.before-restore-STAMP.db`` — never deleted. Close every strikeboard window on
    this database first: SQLite cannot tell whether another process still has it open.
    """
    state = inspect_sqlite_file(source)
    if not source.is_file():
        raise StoreError(f"{source} does not exist: give the backup file to restore.")
    if state is FileState.MISSING:  # an empty file or an SQLite file with no tables
        raise StoreError(f"{source} is empty, not a strikeboard backup: choose another backup.")
    problem = integrity_problem(source)
    if problem:
        raise StoreError(f"{source} is damaged ({problem}): choose another backup.")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP)
    tmp = database.with_name(f".{database.name}.restoring")
    tmp.unlink(missing_ok=True)
    try:
        _vacuum_into(source, tmp)  # a private, compact copy; the backup itself stays untouched
        os.chmod(tmp, 0o600)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        aside = None
        if database.exists():
            folded = _checkpoint(database)
            aside = database.with_name(f"{database.stem}.before-restore-{stamp}Z{database.suffix}")
            os.replace(database, aside)
            if not folded:  # a damaged file: keep its log beside it, as it was
                for suffix in ("-wal", "-shm"):
                    log = database.with_name(database.name + suffix)
                    if log.exists():
                        os.replace(log, aside.with_name(aside.name + suffix))
        for suffix in ("-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, database)
    finally:
        tmp.unlink(missing_ok=True)
    return aside


def _checkpoint(database: Path) -> bool:
    """Fold the WAL into the main file so the copy kept aside is complete on its own.

    Returns False when the file is too damaged to checkpoint (it is then kept aside with
    its log files as they are); a database another process holds is an error.
    """
    try:
        conn = sqlite3.connect(database, timeout=5)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(
                f"{database} is busy ({exc}): close strikeboard everywhere and try again."
            ) from None
        return False
    except sqlite3.DatabaseError:
        return False
    return True
