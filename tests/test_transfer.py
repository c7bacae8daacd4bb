"""Moving a strike between databases, and what every backend must do alike.

The ``store`` fixture is a fresh SQLite file and, in the PostgreSQL lane, a fresh server
database: copying into it and reading back proves the schema and types agree.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel, col

from strikeboard.cli import main
from strikeboard.demo import generate
from strikeboard.services.shifts import today_board
from strikeboard.services.signin import sign_in
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import CheckIn, Location, Member, Shift
from strikeboard.store.probe import StoreError
from strikeboard.store.transfer import copy_database

TODAY = date(2026, 11, 25)
ZONE = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("transfer") / "demo.db"
    generate(path, members=150, seed=11, today=TODAY)
    return path


def _counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {
            table.name: int(session.execute(select(func.count()).select_from(table)).scalar() or 0)
            for table in SQLModel.metadata.sorted_tables
        }


def test_a_copy_holds_every_row_with_the_same_values(small_demo: Path, store: Store) -> None:
    source = open_store(str(small_demo))
    try:
        copied = copy_database(source, store)
        expected = _counts(source)
        with source.read() as session:
            members = {m.id: m for m in session.scalars(select(Member))}
            check_ins = {c.id: (c.in_at, c.out_at, c.void_of) for c in session.scalars(select(CheckIn))}
    finally:
        source.close()
    assert {c.table: c.rows for c in copied} == expected
    assert _counts(store) == expected
    assert expected["member"] == 150 and expected["check_in"] > 0
    with store.read() as session:
        for member in session.scalars(select(Member)):
            original = members[member.id]
            assert (member.member_number, member.search_key, member.skills, member.languages) == (
                original.member_number,
                original.search_key,
                original.skills,
                original.languages,
            )
        assert {c.id: (c.in_at, c.out_at, c.void_of) for c in session.scalars(select(CheckIn))} == check_ins


def test_copying_into_a_database_with_data_refuses_and_adds_nothing(small_demo: Path, store: Store) -> None:
    source = open_store(str(small_demo))
    try:
        copy_database(source, store)
        before = _counts(store)
        with pytest.raises(StoreError, match="already holds data"):
            copy_database(source, store)
    finally:
        source.close()
    assert _counts(store) == before


def test_a_sign_in_on_one_connection_is_on_another_ones_board(small_demo: Path, store: Store) -> None:
    """Two laptops on one database (two stores here): one signs in, the other sees it on reload."""
    source = open_store(str(small_demo))
    try:
        copy_database(source, store)
    finally:
        source.close()
    other = open_store(store.location)
    try:
        with store.read() as session:
            shift = session.scalars(select(Shift).order_by(col(Shift.starts_at)).limit(1)).one()
            signed = set(
                session.scalars(select(col(CheckIn.member_id)).where(col(CheckIn.shift_id) == shift.id))
            )
            member = next(m for m in session.scalars(select(col(Member.id))) if m not in signed)
        at = shift.starts_at + timedelta(minutes=5)
        day = at.astimezone(ZONE).date()

        def came(s: Store) -> int:
            with s.read() as session:
                return next(
                    b for b in today_board(session, day, ZONE, at) if b.id == shift.id
                ).signed_in_total

        before = came(other)
        with store.write() as session:
            sign_in(session, shift_id=shift.id, member_id=member, at=at, by="captain A", zone=ZONE)
        assert came(other) == before + 1
    finally:
        other.close()


def test_instants_keep_their_offset_on_every_backend(store: Store) -> None:
    with store.write() as session:
        gate = Location(name="Gate 1")
        session.add(gate)
        session.flush()
        starts = datetime(2027, 3, 14, 9, 0, tzinfo=ZONE)  # the spring-forward day, after the change
        session.add(Shift(location_id=gate.id, starts_at=starts, ends_at=starts + timedelta(hours=4)))
    with store.read() as session:
        shift = session.scalars(select(Shift)).one()
    assert shift.starts_at == datetime(2027, 3, 14, 16, 0, tzinfo=UTC)  # 09:00 PDT
    assert shift.starts_at.tzinfo is UTC


def test_the_copy_command_reports_the_rows(
    small_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "copy.db"
    assert main(["--db", str(small_demo), "copy", "--to", str(target)]) == 0
    assert "member: 150" in capsys.readouterr().out
    assert main(["--db", str(small_demo), "copy", "--to", str(target)]) == 2
    assert "already holds data" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql://someone@localhost/strike",
            "mysql is not supported: use a SQLite file or a PostgreSQL URL.",
        ),
        (
            "postgresql://postgres@127.0.0.1:1/strike",
            "Cannot connect to postgresql+psycopg://postgres@127.0.0.1:1/strike",
        ),
    ],
)
def test_a_database_url_that_cannot_be_used_is_one_sentence(
    url: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", url, "info"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
