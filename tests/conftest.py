"""Shared fixtures: a database path in a temporary folder, and an open store on it.

The ``store`` fixture runs each test on SQLite, and also on PostgreSQL when
``STRIKEBOARD_TEST_PG`` holds a server URL (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``): every test then gets a fresh
database copied from a migrated template, dropped afterwards, so runs never collide.
Tests of SQLite itself (pragmas, the file, locking) are marked ``sqlite_only``.
"""

import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from strikeboard import demo
from strikeboard.store.db import Store, open_store

#: The PostgreSQL server for the second lane (unset: SQLite only).
PG_URL = os.environ.get("STRIKEBOARD_TEST_PG", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]

_RUN = uuid.uuid4().hex[:8]  # this run's prefix for database names
_numbers = itertools.count()


def _pg_admin() -> Engine:
    return create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")


def pg_url(database: str) -> str:
    """The lane's server URL pointing at ``database``."""
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database at the current schema, to copy for each test."""
    name = f"sb_{_RUN}_template"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    open_store(pg_url(name)).close()  # runs the migrations
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


#: The demo strike the TUI tests start from: 300 members, seed 2023, "today" a Tuesday.
TUI_MEMBERS = 300
TUI_TODAY = date(2026, 11, 10)


@pytest.fixture(scope="session")
def strike_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The TUI tests' demo strike in a real SQLite file, generated once per run (never written)."""
    path = tmp_path_factory.mktemp("strike") / "demo.db"
    demo.generate(path, members=TUI_MEMBERS, seed=2023, today=TUI_TODAY)
    return path


@pytest.fixture
def demo_db(strike_file: Path, tmp_path: Path) -> Path:
    """A private copy of the demo strike for one test (tests write to it)."""
    path = tmp_path / "strike.db"
    shutil.copyfile(strike_file, path)
    return path


@pytest.fixture(autouse=True)
def _private_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the real user data folder (the TUI makes backups there on its own)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database lives (not created yet)."""
    return tmp_path / "strike.db"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses ``store`` on each backend (``sqlite_only`` tests: SQLite)."""
    if "store" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("store", ["sqlite"] if only_sqlite else BACKENDS, indirect=True)


@pytest.fixture
def store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Store]:
    """A fresh database (a file at ``db_path``, or a PostgreSQL copy), closed at teardown."""
    if request.param == "sqlite":
        opened = open_store(str(db_path))
        try:
            yield opened
        finally:
            opened.close()
        return
    template = request.getfixturevalue("pg_template")
    name = f"sb_{_RUN}_{next(_numbers)}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    opened = open_store(pg_url(name))
    try:
        yield opened
    finally:
        opened.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
