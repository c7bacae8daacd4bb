"""Fast, stdlib-only checks of a database file before anything heavy is imported.

The TUI must paint in a fraction of a second, and importing SQLAlchemy costs a good part
of that. This module answers "is this a strikeboard database I can open?" with the
``sqlite3`` module alone, so a bad path fails at once with one clear sentence.
"""

import sqlite3
import stat
from enum import Enum
from pathlib import Path

#: Alembic revisions, oldest first. The last one is the schema this code writes.
SCHEMA_HISTORY: tuple[str, ...] = (
    "0001_initial",
    "0002_member_search_index",
    "0003_sync",
    "0004_hours_credit_void_index",
)
SCHEMA_HEAD = SCHEMA_HISTORY[-1]


class StoreError(Exception):
    """A database that cannot be used; the message is one sentence for the user."""


class DamagedDatabase(StoreError):
    """A file that looks like a database but fails SQLite's checks (damaged or half-copied)."""

    def __init__(self, path: Path, problem: str, advice: str = "") -> None:
        super().__init__(f"{path} is damaged or incomplete ({problem}).{' ' + advice if advice else ''}")
        self.path = path
        self.problem = problem


class FileState(Enum):
    """What :func:`inspect_sqlite_file` found."""

    MISSING = "missing"  # no file yet: it will be created
    CURRENT = "current"  # at SCHEMA_HEAD
    OLD = "old"  # an older strikeboard schema: it will be upgraded


def is_url(location: str) -> bool:
    """True for a SQLAlchemy URL (``postgresql://...``, ``sqlite:///...``), False for a path."""
    return "://" in location


def inspect_sqlite_file(path: Path) -> FileState:
    """Classify ``path`` or raise :class:`StoreError` saying why it cannot be opened."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise StoreError(
                f"{path.parent} does not exist: create the folder or choose another --db path."
            ) from None
        return FileState.MISSING
    except OSError as exc:  # a folder on the way that cannot be searched, or is a file
        raise StoreError(
            f"{path} cannot be reached ({exc.strerror}): check the folders on its path."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(
            f"{path} is a directory: give the path of a database file, e.g. {path / 'strike.db'}."
        )
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block the read below forever
        raise StoreError(f"{path} is not a regular file: give the path of a database file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise StoreError(f"{path} cannot be read ({exc.strerror}): check its permissions.") from None
    if header == b"" and path.stat().st_size == 0:
        return FileState.MISSING
    if header != b"SQLite format 3\x00":
        raise StoreError(f"{path} is not a strikeboard database (it is not an SQLite file).")
    revision = _revision(path)
    if revision is None:
        return FileState.MISSING
    if revision == SCHEMA_HEAD:
        return FileState.CURRENT
    if revision in SCHEMA_HISTORY:
        return FileState.OLD
    raise StoreError(
        f"{path} was made by a newer strikeboard (schema {revision}): upgrade strikeboard to open it."
    )


def _revision(path: Path) -> str | None:
    """The Alembic revision stored in ``path``, None for an empty database (no tables yet:
    e.g. another process is creating it right now); raises StoreError for a foreign one."""
    try:
        # Without a -wal file nobody is writing: `immutable` then reads without creating
        # -wal/-shm files beside a database we may only be checking (e.g. sample.db).
        live = path.with_name(path.name + "-wal").exists()
        flags = "mode=ro" if live else "mode=ro&immutable=1"
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?{flags}", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path} cannot be opened: {exc}.") from None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "no such table" in str(exc):
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                return None
            raise StoreError(f"{path} is an SQLite file but not a strikeboard database.") from None
        raise DamagedDatabase(path, str(exc)) from None
    finally:
        conn.close()
    if row is None:
        raise StoreError(f"{path} is an SQLite file but not a strikeboard database.")
    return str(row[0])


def quick_check(path: Path) -> str | None:
    """``None`` when SQLite's ``PRAGMA quick_check`` passes on ``path``, else what it found.

    About 50-100 ms on the 25 MB demo: run it where the first paint does not wait.
    """
    try:
        live = path.with_name(path.name + "-wal").exists()
        flags = "mode=ro" if live else "mode=ro&immutable=1"
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?{flags}", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return None  # another process holds it for a moment: not a sign of damage
        return str(exc)
    messages = [str(row[0]) for row in rows]
    return None if messages == ["ok"] else "; ".join(messages[:3])
