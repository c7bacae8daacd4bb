"""Engine, sessions and schema management for SQLite (default) and PostgreSQL.

SQLite is set up for a laptop that may lose power at any moment: WAL journal,
``synchronous=FULL``, a busy timeout, foreign keys on, all set in the ``connect`` event
outside any transaction. Write transactions start with ``BEGIN IMMEDIATE`` so two
writers queue on the busy timeout instead of failing with "database is locked".
"""

import getpass
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlmodel import Session

from strikeboard.store import models, versions  # noqa: F401  (tables; row versions for sync)
from strikeboard.store.audit import AuditedSession
from strikeboard.store.probe import (
    SCHEMA_HEAD,
    SCHEMA_HISTORY,
    DamagedDatabase,
    FileState,
    StoreError,
    inspect_sqlite_file,
    is_url,
    quick_check,
)

BUSY_TIMEOUT_MS = 30_000  # writers queue; a sign-in waits rather than fails (see README)
_IMMEDIATE = "strikeboard_immediate"


def _enable_wal(cur: Any) -> str:
    """Switch to WAL and return the journal mode. Two processes switching a brand-new file
    at the same moment get SQLITE_BUSY at once (the busy handler is not used): retry."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return str(cur.execute("PRAGMA journal_mode=WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(URL.create("sqlite", database=str(path)))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        mode = _enable_wal(cur)
        if str(mode).lower() != "wal":
            raise StoreError(f"{path} cannot use write-ahead logging (journal mode {mode}).")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _create_private(path: Path) -> None:
    """Create an empty file readable by its owner only (``-wal``/``-shm`` inherit the mode)."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it a moment ago
    except OSError as exc:
        raise StoreError(
            f"{path} cannot be created ({exc.strerror}): choose a folder you can write to."
        ) from None
    os.close(fd)


def default_actor() -> str:
    """Who changes are recorded as when nobody was named: the OS login, or "" if unknown."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


class Store:
    """An open database: an engine plus read and write session factories.

    Every change made through its sessions is audited (see :mod:`strikeboard.store.audit`)
    under ``actor``: the name given to :meth:`write`, else :attr:`actor` (the operator name
    the app sets at start; the OS login by default). With :attr:`captain` set, every session
    carries ``info["captain"]`` and the services refuse all but sign-in and names
    (see :mod:`strikeboard.services.access`).
    """

    def __init__(self, engine: Engine, location: str, *, captain: bool = False) -> None:
        self.engine = engine
        self.location = location
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._write_engine = engine.execution_options(**{_IMMEDIATE: True})
        self.actor = default_actor()
        self.captain = captain

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (a deferred transaction: readers never block writers)."""
        info = {"actor": self.actor, "captain": self.captain}
        with AuditedSession(self.engine, expire_on_commit=False, info=info) as session:
            yield session

    @contextmanager
    def write(self, actor: str | None = None) -> Iterator[Session]:
        """A session whose transaction is committed on success and rolled back on error;
        its changes are audited as made by ``actor`` (default :attr:`actor`)."""
        who = self.actor if actor is None else actor
        info = {"actor": who, "captain": self.captain}
        with AuditedSession(self._write_engine, expire_on_commit=False, info=info) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        """Fold the WAL back into the main file and let SQLite refresh its statistics."""
        if self.is_sqlite:
            # Outside any transaction (the connection is in autocommit mode, see _on_connect):
            # inside one, the checkpoint fails with "database table is locked".
            try:
                raw = self.engine.raw_connection()
                try:
                    cursor = raw.cursor()
                    cursor.execute("PRAGMA optimize")
                    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    cursor.close()
                finally:
                    raw.close()
            except (sqlite3.Error, DBAPIError, StoreError):
                pass  # busy (another process will checkpoint) or damaged: closing must not fail
        self.engine.dispose()


def open_store(location: str, *, captain: bool = False) -> Store:
    """Open (creating or upgrading as needed) the database at a path or URL; ``captain``
    limits its sessions to sign-in and names (see :class:`Store`).

    Raises :class:`StoreError` with one clear sentence when it cannot be used.
    """
    if is_url(location):
        engine = _url_engine(location)
        store = Store(engine, location, captain=captain)
        _ensure_schema_url(store)
        return store
    path = Path(location).expanduser()
    try:
        state = inspect_sqlite_file(path)
        problem = quick_check(path) if state is not FileState.MISSING else None
    except DamagedDatabase as error:
        problem = error.problem
    if problem is not None:
        raise DamagedDatabase(path, problem, restore_advice(path)) from None
    if state is FileState.MISSING and not path.exists():
        _create_private(path)
    store = Store(_sqlite_engine(path), str(path), captain=captain)
    try:
        if state is not FileState.CURRENT:
            migrate(store)
    except BaseException:
        store.engine.dispose()
        raise
    return store


def restore_advice(database: Path) -> str:
    """What to do about a damaged ``database``: restore its newest backup that passes the check."""
    from platformdirs import user_data_path

    from strikeboard.store.backup import integrity_problem, list_backups

    # backup.default_backup_dir() without creating it: a failed open leaves no trace
    folders = [user_data_path("strikeboard", appauthor=False) / "backups", database.parent]
    for folder in folders:
        for candidate in list_backups(folder, database.stem):
            if integrity_problem(candidate) is None:
                return (
                    f"The newest good backup is {candidate}: close strikeboard everywhere, then run "
                    f"`strikeboard --db {database} restore {candidate} --yes` (the damaged file is kept)."
                )
    return (
        f"No good backup of it was found in {folders[0]}: keep a copy of the file as it is "
        "and get help before changing it."
    )


def _url_engine(location: str) -> Engine:
    """An engine for a database URL; ``postgresql://`` means the psycopg 3 driver."""
    try:
        url = make_url(location)
    except ArgumentError:
        raise StoreError(f"{location!r} is not a database URL (postgresql://user@host/db).") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("postgresql", "sqlite"):
        raise StoreError(f"{url.get_backend_name()} is not supported: use a SQLite file or a PostgreSQL URL.")
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ModuleNotFoundError, NoSuchModuleError):
        raise StoreError(
            f"No driver for {url.drivername}: install it with `pip install 'strikeboard[pg]'`."
        ) from None


def _ensure_schema_url(store: Store) -> None:
    try:
        with store.engine.connect() as conn:
            has_version = store.engine.dialect.has_table(conn, "alembic_version")
            revision = (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if has_version
                else None
            )
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        raise StoreError(f"Cannot connect to {store.engine.url!r}: {reason}") from None
    if revision is not None and revision not in SCHEMA_HISTORY:
        raise StoreError(
            f"The database was made by a newer strikeboard (schema {revision}): upgrade strikeboard."
        )
    if revision != SCHEMA_HEAD:
        migrate(store)


def migrate(store: Store) -> None:
    """Bring the schema to the head revision with Alembic (creates it on an empty database)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with store._write_engine.begin() as conn:  # BEGIN IMMEDIATE: one process migrates at a time
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def schema_revision(store: Store) -> str:
    """The Alembic revision the database is at."""
    with store.engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
