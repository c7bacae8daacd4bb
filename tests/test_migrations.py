"""Schema management: models and migrations never drift, and old files upgrade intact."""

import shutil
import sqlite3
import uuid
import warnings
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, String
from sqlalchemy import inspect as sa_inspect
from sqlmodel import SQLModel, select

import strikeboard.store.db
from strikeboard.services.settings import load_settings
from strikeboard.services.stats import database_counts
from strikeboard.store.db import Store, open_store, schema_revision
from strikeboard.store.models import (
    MEMBER_SEARCH_TEXT,
    Assignment,
    CheckIn,
    Grievance,
    GrievanceEvent,
    GrievanceGrievant,
    Location,
    Member,
    Shift,
)
from strikeboard.store.probe import SCHEMA_HEAD, SCHEMA_HISTORY, FileState, StoreError, inspect_sqlite_file

DATA = Path(__file__).parent / "data"
MIGRATIONS = Path(strikeboard.store.db.__file__).with_name("migrations")


def _not_the_search_index(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "index" and name == "ix_member_search_text")


def _differences(store: Store, metadata: MetaData) -> list[Any]:
    with store.engine.connect() as conn, warnings.catch_warnings():
        # SQLAlchemy cannot reflect SQLite expression indexes, and PostgreSQL spells the
        # expression its own way, so both sides skip this one:
        # test_the_member_search_index_survives_every_upgrade checks it instead.
        warnings.filterwarnings("ignore", message=".*expression-based index.*ix_member_search_text")
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _not_the_search_index}
        )
        return list(compare_metadata(context, metadata))


def test_the_member_search_index_exists_on_every_backend(store: Store) -> None:
    with store.engine.connect() as conn:
        if store.is_sqlite:  # SQLAlchemy does not reflect it there: ask SQLite itself
            listed = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
            names = set(listed.scalars())
        else:
            names = {index["name"] for index in sa_inspect(conn).get_indexes("member")}
    assert "ix_member_search_text" in names


def _search_index_sql(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'ix_member_search_text'").fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


def test_migrations_build_exactly_the_models(store: Store) -> None:
    """Autogenerate finds nothing to do: every model change came with its migration."""
    assert _differences(store, SQLModel.metadata) == []


def test_the_drift_check_would_notice_a_model_change(store: Store) -> None:
    """The comparison above is not vacuous: a new column and a changed type are both seen."""
    changed = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["location"].append_column(Column("radio_channel", String(10), nullable=True))
    member = changed.tables["member"]
    member.c.pronouns.type = Integer()
    kinds = {diff[0] if isinstance(diff, tuple) else diff[0][0] for diff in _differences(store, changed)}
    assert {"add_column", "modify_type"} <= kinds


def test_schema_history_is_the_chain_of_migration_scripts() -> None:
    scripts = ScriptDirectory(str(MIGRATIONS))
    assert scripts.get_heads() == [SCHEMA_HEAD]  # a single head: no unmerged branches
    chain = [rev.revision for rev in scripts.walk_revisions("base", "heads")]
    assert tuple(reversed(chain)) == SCHEMA_HISTORY
    assert SCHEMA_HISTORY[-1] == SCHEMA_HEAD


@pytest.mark.sqlite_only
def test_a_new_database_is_at_the_head_revision(store: Store) -> None:
    assert schema_revision(store) == SCHEMA_HEAD
    assert inspect_sqlite_file(Path(store.location)) is FileState.CURRENT


# --- a file written by release 0.1 ----------------------------------------------------


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    """A private copy of the frozen schema-0001 fixture."""
    target = tmp_path / "from_release_0_1.db"
    shutil.copyfile(DATA / "schema_0001.db", target)
    return target


def test_the_fixture_really_is_at_revision_0001(old_file: Path) -> None:
    conn = sqlite3.connect(old_file)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001_initial",)]
    finally:
        conn.close()


def test_a_release_0_1_database_opens_upgraded_with_every_row_intact(old_file: Path) -> None:
    store = open_store(str(old_file))
    try:
        assert schema_revision(store) == SCHEMA_HEAD
        with store.read() as session:
            assert database_counts(session) == {
                "members": 2,
                "locations": 1,
                "shifts": 1,
                "assignments": 1,
                "check-ins": 1,
                "grievances": 1,
            }
            members = {m.member_number: m for m in session.exec(select(Member))}
            gate = session.exec(select(Location)).one()
            shift = session.exec(select(Shift)).one()
            assignment = session.exec(select(Assignment)).one()
            check_in = session.exec(select(CheckIn)).one()
            grievance = session.exec(select(Grievance)).one()
            grievant = session.exec(select(GrievanceGrievant)).one()
            event = session.exec(select(GrievanceEvent)).one()
            settings = load_settings(session)
    finally:
        store.close()

    zoe, ana = members["W0001"], members["W0002"]
    assert zoe.id == uuid.UUID("a1000000-0000-0000-0000-000000000001")
    assert (zoe.first_name, zoe.last_name, zoe.role, zoe.languages) == (
        "Zoë",
        "O'Brien",
        "captain",
        ["en", "fr"],
    )
    assert zoe.skills == ["first_aid"] and zoe.phone == "+13105550100"
    assert (ana.last_name, ana.search_key) == ("Núñez", "ana nunez")
    assert zoe.created_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert zoe.created_at.tzinfo is UTC

    assert (gate.name, gate.has_shade, gate.has_seating, gate.step_free) == (
        "Gate 4 – Pico",
        True,
        False,
        True,
    )
    assert shift.location_id == gate.id
    assert (shift.starts_at, shift.ends_at) == (
        datetime(2026, 11, 20, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 20, 20, 0, tzinfo=UTC),
    )
    assert (shift.min_headcount, shift.max_headcount, shift.roles_needed) == (4, 12, ["first_aid"])
    assert (assignment.shift_id, assignment.member_id, assignment.locked) == (shift.id, zoe.id, True)
    assert (check_in.member_id, check_in.in_at, check_in.out_at) == (
        zoe.id,
        datetime(2026, 11, 20, 16, 5, tzinfo=UTC),
        None,
    )
    assert (grievance.number, grievance.steward_id, grievance.next_deadline) == (
        "G-2026-0001",
        ana.id,
        date(2026, 11, 23),
    )
    assert (grievant.grievance_id, grievant.member_id) == (grievance.id, zoe.id)
    assert (event.kind, event.occurred_on, event.deadline) == ("filed", date(2026, 11, 9), date(2026, 11, 23))
    assert settings.strike_name == "WGA 2023"


def test_an_upgraded_release_0_1_database_has_the_current_schema(old_file: Path) -> None:
    store = open_store(str(old_file))
    try:
        assert _differences(store, SQLModel.metadata) == []
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        store.close()


def test_the_member_search_index_survives_every_upgrade(old_file: Path, db_path: Path) -> None:
    """The roster search's expression index (migration 0002) exists on new and upgraded files alike.

    Autogenerate cannot see it on SQLite, so this is what notices a later batch migration of
    ``member`` that rebuilt the table without it.
    """
    from strikeboard.services.roster import RosterFilter, first_page

    open_store(str(db_path)).close()
    expected = f"CREATE INDEX ix_member_search_text ON member (({MEMBER_SEARCH_TEXT}))"
    assert _search_index_sql(db_path) == expected
    store = open_store(str(old_file))
    try:
        with store.read() as session:
            matching, rows = first_page(
                session, RosterFilter(query="ZOE"), 10, week_start=date(2026, 11, 23), zone=ZoneInfo("UTC")
            )
    finally:
        store.close()
    assert _search_index_sql(old_file) == expected
    assert (matching, [row.member_number for row in rows]) == (1, ["W0001"])


# --- a file from the future -----------------------------------------------------------


def test_a_database_from_a_newer_release_is_refused(db_path: Path) -> None:
    open_store(str(db_path)).close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    with pytest.raises(StoreError, match="newer") as caught:
        open_store(str(db_path))
    assert "9999_from_the_future" in str(caught.value)
    # Refused without touching it: the revision is still the future one.
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999_from_the_future",)
    finally:
        conn.close()
