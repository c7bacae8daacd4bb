"""The SQLite store: pragmas, write locking, constraints, UTC instants, keys, file modes.

Every test works on a real database file in a temporary folder.
"""

import multiprocessing
import os
import sqlite3
import stat
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlmodel import col, select

from strikeboard.services.settings import (
    DEFAULT_STEPS,
    StepRule,
    StrikePayRule,
    StrikeSettings,
    load_settings,
    save_settings,
)
from strikeboard.store.db import BUSY_TIMEOUT_MS, Store, open_store
from strikeboard.store.models import Assignment, Location, Member, Setting, Shift
from strikeboard.store.probe import FileState, inspect_sqlite_file

MINUS_FIVE = timezone(timedelta(hours=-5))
PLUS_TWO = timezone(timedelta(hours=2))


def _member(n: int) -> Member:
    return Member(member_number=f"M{n:05d}", first_name=f"First{n}", last_name=f"Last{n}")


def _location(name: str = "Gate 1") -> Location:
    return Location(name=name)


def _shift(location: Location, starts_at: datetime, hours: int = 4) -> Shift:
    return Shift(location_id=location.id, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours))


def _raw(path: Path, timeout: float = 0.0) -> sqlite3.Connection:
    """A plain sqlite3 connection that never waits for a lock (unless told to)."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    return conn


# --- pragmas -------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_pragmas_are_in_effect_on_every_connection(store: Store) -> None:
    expected = {"journal_mode": "wal", "synchronous": 2, "busy_timeout": BUSY_TIMEOUT_MS, "foreign_keys": 1}
    assert BUSY_TIMEOUT_MS >= 1000  # long enough for a captain's laptop to queue behind another writer
    # Two connections at once (the pool must hand out a second one) and a write session.
    with store.engine.connect() as first, store.engine.connect() as second:
        for conn in (first, second):
            got = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in expected}
            assert got == expected
    with store.write() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2


@pytest.mark.sqlite_only
def test_the_file_on_disk_is_in_wal_mode(store: Store, db_path: Path) -> None:
    with store.write() as session:
        session.add(_location())
    # WAL is persistent: a plain connection that sets nothing sees it too.
    conn = _raw(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


# --- write transactions ---------------------------------------------------------------


@pytest.mark.sqlite_only
def test_a_write_session_holds_the_write_lock_from_its_first_statement(store: Store, db_path: Path) -> None:
    """BEGIN IMMEDIATE: a write session that has only read so far already excludes other writers."""
    with store.write() as session:
        session.exec(select(Member)).all()  # read only
        other = _raw(db_path)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
        session.add(_location())
    # Once committed, another writer gets in at once.
    other = _raw(db_path)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.sqlite_only
def test_a_read_session_never_blocks_a_writer(store: Store, db_path: Path) -> None:
    with store.read() as session:
        session.exec(select(Member)).all()
        other = _raw(db_path)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO setting (key, value, updated_at) VALUES ('x', '1', '2026-01-01')")
            other.execute("COMMIT")
        finally:
            other.close()


@pytest.mark.sqlite_only
def test_concurrent_read_then_write_sessions_serialise_instead_of_failing(store: Store) -> None:
    """Two read-then-write transactions overlap; with BEGIN IMMEDIATE the second waits for the first.

    With a deferred BEGIN both would read the same counter and one would fail at once with
    "database is locked" (or, worse, both would write the same value).
    """
    with store.write() as session:
        session.add(Setting(key="counter", value=0))

    a_has_read = threading.Event()
    b_has_read = threading.Event()
    log: list[str] = []
    errors: list[BaseException] = []

    def increment(name: str, after: threading.Event | None, signal: threading.Event) -> None:
        try:
            if after is not None:
                after.wait(5)
            with store.write() as session:
                row = session.get(Setting, "counter")
                assert row is not None
                value = int(row.value)
                log.append(f"{name} read {value}")
                signal.set()
                if name == "A":
                    # Give B every chance to read the same value (it can only under a deferred BEGIN).
                    b_has_read.wait(0.4)
                row.value = value + 1
                session.add(row)
            log.append(f"{name} committed")
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)

    a = threading.Thread(target=increment, args=("A", None, a_has_read))
    b = threading.Thread(target=increment, args=("B", a_has_read, b_has_read))
    a.start()
    b.start()
    a.join(10)
    b.join(10)
    assert errors == []
    assert log == ["A read 0", "A committed", "B read 1", "B committed"]
    with store.read() as session:
        row = session.get(Setting, "counter")
        assert row is not None and row.value == 2


def _increment_many(path: str, times: int, start: float) -> tuple[int, list[str]]:
    """Child process: ``times`` read-then-write increments of the shared counter."""
    while time.time() < start:  # all children start together
        time.sleep(0.001)
    store = open_store(path)
    done, failures = 0, []
    try:
        for _ in range(times):
            try:
                with store.write() as session:
                    row = session.get(Setting, "counter")
                    assert row is not None
                    row.value = int(row.value) + 1
                    session.add(row)
                done += 1
            except OperationalError as exc:
                failures.append(str(exc.orig))
    finally:
        store.close()
    return done, failures


def test_four_processes_incrementing_lose_nothing(db_path: Path) -> None:
    store = open_store(str(db_path))
    with store.write() as session:
        session.add(Setting(key="counter", value=0))
    store.close()
    processes, times = 4, 25
    ctx = multiprocessing.get_context("fork")
    start = time.time() + 0.3
    with ctx.Pool(processes) as pool:
        results = pool.starmap_async(_increment_many, [(str(db_path), times, start)] * processes).get(60)
    failures = [message for _, batch in results for message in batch]
    assert failures == []
    assert sum(done for done, _ in results) == processes * times
    store = open_store(str(db_path))
    try:
        with store.read() as session:
            row = session.get(Setting, "counter")
            assert row is not None and row.value == processes * times
    finally:
        store.close()


def test_a_failed_write_session_rolls_back_everything(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as session:
        session.add(_location("Gate A"))
        session.flush()
        raise RuntimeError("captain closed the laptop")
    with store.read() as session:
        assert session.exec(select(Location)).all() == []


# --- constraints ----------------------------------------------------------------------


def test_foreign_keys_are_enforced(store: Store) -> None:
    member = _member(1)
    with store.write() as session:
        session.add(member)
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), store.write() as session:
        session.add(Assignment(shift_id=uuid.uuid4(), member_id=member.id))
    with store.read() as session:
        assert session.exec(select(Assignment)).all() == []


def test_member_numbers_are_unique(store: Store) -> None:
    with store.write() as session:
        session.add(_member(7))
    with pytest.raises(IntegrityError, match=r"(?i)unique"), store.write() as session:
        session.add(_member(7))


# --- instants -------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_an_instant_round_trips_as_aware_utc(store: Store, db_path: Path) -> None:
    gate = _location()
    nine_am_eastern = datetime(2026, 11, 25, 9, 0, tzinfo=MINUS_FIVE)
    with store.write() as session:
        session.add(gate)
        session.flush()  # the models have no relationship(): parents first
        session.add(_shift(gate, nine_am_eastern))
    with store.read() as session:
        shift = session.exec(select(Shift)).one()
    assert shift.starts_at == nine_am_eastern  # the same instant...
    assert shift.starts_at.tzinfo is UTC  # ...handed back in UTC
    assert (shift.starts_at.hour, shift.starts_at.minute) == (14, 0)
    assert shift.ends_at == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    # On disk it is UTC too, so SQL comparisons and ORDER BY are right.
    conn = _raw(db_path)
    try:
        assert conn.execute("SELECT starts_at FROM shift").fetchone()[0].startswith("2026-11-25 14:00:00")
    finally:
        conn.close()


def test_sql_comparisons_of_instants_respect_offsets(store: Store) -> None:
    gate = _location()
    early = _shift(gate, datetime(2026, 11, 25, 13, 0, tzinfo=UTC))
    late = _shift(gate, datetime(2026, 11, 25, 9, 0, tzinfo=MINUS_FIVE))  # 14:00 UTC
    with store.write() as session:
        session.add(gate)
        session.flush()
        session.add_all([early, late])
    cutoff = datetime(2026, 11, 25, 15, 30, tzinfo=PLUS_TWO)  # 13:30 UTC
    with store.read() as session:
        after = session.exec(select(Shift).where(col(Shift.starts_at) > cutoff)).all()
        ordered = session.exec(select(Shift).order_by(col(Shift.starts_at))).all()
    assert [s.id for s in after] == [late.id]
    assert [s.id for s in ordered] == [early.id, late.id]


def test_a_naive_datetime_is_refused(store: Store) -> None:
    gate = _location()
    with store.write() as session:
        session.add(gate)
    naive = datetime(2026, 11, 25, 9, 0)
    with pytest.raises(StatementError, match="naive"), store.write() as session:
        session.add(Shift(location_id=gate.id, starts_at=naive, ends_at=naive + timedelta(hours=4)))
    with store.read() as session:
        assert session.exec(select(Shift)).all() == []


# --- keys -----------------------------------------------------------------------------


def test_uuid_primary_keys_are_generated_unique_and_read_back(store: Store) -> None:
    members = [_member(n) for n in range(300)]
    with store.write() as session:
        session.add_all(members)
    with store.read() as session:
        stored = session.exec(select(Member)).all()
    ids = [m.id for m in stored]
    assert len(ids) == 300 and len(set(ids)) == 300
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
    assert {m.id: m.member_number for m in members} == {m.id: m.member_number for m in stored}


# --- files ----------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_files_are_private_even_with_a_permissive_umask(db_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = open_store(str(db_path))
        try:
            with store.write() as session:
                session.add(_location())
            wal = db_path.with_name(db_path.name + "-wal")
            shm = db_path.with_name(db_path.name + "-shm")
            assert wal.exists() and shm.exists()
            assert {p.name: _mode(p) for p in (db_path, wal, shm)} == {
                db_path.name: 0o600,
                wal.name: 0o600,
                shm.name: 0o600,
            }
        finally:
            store.close()
    finally:
        os.umask(old)


def test_close_checkpoints_the_wal_into_the_main_file(db_path: Path) -> None:
    """Even while another program keeps the database open (so SQLite will not fold the WAL itself)."""
    store = open_store(str(db_path))
    with store.write() as session:
        session.add_all([_member(n) for n in range(50)])
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    bystander = _raw(db_path)
    try:
        assert bystander.execute("SELECT count(*) FROM member").fetchall() == [(50,)]  # then idle
        store.close()
        assert wal.stat().st_size == 0
    finally:
        bystander.close()
    # The rows are in the main file: an immutable read ignores any WAL.
    conn = sqlite3.connect(f"{db_path.as_uri()}?immutable=1", uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM member").fetchone()[0] == 50
    finally:
        conn.close()


def test_reopening_an_existing_database_keeps_its_rows(db_path: Path) -> None:
    store = open_store(str(db_path))
    with store.write() as session:
        session.add(_member(1))
    store.close()
    store = open_store(str(db_path))
    try:
        with store.read() as session:
            assert [m.member_number for m in session.exec(select(Member))] == ["M00001"]
    finally:
        store.close()


# --- settings -------------------------------------------------------------------------


def test_settings_round_trip_through_a_reopened_database(db_path: Path) -> None:
    chosen = StrikeSettings(
        strike_name="WGA 2023",
        time_zone="America/New_York",
        strike_pay=StrikePayRule(weekly_hours=16.5, daily_minimum_hours=2.0, week_starts_on=6),
        grievance_steps=(StepRule("Step 1", 10, 7), StepRule("Arbitration", 30, 45, working_days=False)),
        filing_counts_from="learned",
        holidays=(date(2026, 12, 25), date(2027, 1, 1)),
    )
    assert chosen != StrikeSettings()
    store = open_store(str(db_path))
    with store.write() as session:
        save_settings(session, chosen)
    store.close()
    store = open_store(str(db_path))
    try:
        with store.read() as session:
            loaded = load_settings(session)
    finally:
        store.close()
    assert loaded == chosen
    assert loaded.zone.key == "America/New_York"


def test_settings_missing_from_the_database_take_their_defaults(store: Store) -> None:
    with store.write() as session:
        session.add(Setting(key="strike_name", value="Picket 42"))
        session.add(Setting(key="from_a_newer_version", value={"x": 1}))
    with store.read() as session:
        loaded = load_settings(session)
    assert loaded.strike_name == "Picket 42"
    assert loaded.time_zone == "America/Los_Angeles"
    assert loaded.strike_pay == StrikePayRule()
    assert loaded.grievance_steps == DEFAULT_STEPS
    assert loaded.holidays == ()


def test_an_empty_database_loads_the_default_settings(store: Store) -> None:
    with store.read() as session:
        assert load_settings(session) == StrikeSettings()


def test_saving_settings_twice_keeps_one_row_per_key(store: Store) -> None:
    first = StrikeSettings(strike_name="One")
    with store.write() as session:
        save_settings(session, first)
    with store.write() as session:
        save_settings(session, StrikeSettings(strike_name="Two"))
    with store.read() as session:
        keys = [row.key for row in session.exec(select(Setting))]
        loaded = load_settings(session)
    assert sorted(keys) == sorted(StrikeSettings.__dataclass_fields__)
    assert loaded.strike_name == "Two"


# --- opening --------------------------------------------------------------------------


def _open_and_close(path: str, start: float) -> str:
    """Child process: open (creating) the database at ``start``; report what happened."""
    while time.time() < start:
        time.sleep(0.001)
    try:
        open_store(path).close()
    except Exception as exc:  # reported to the parent, which asserts there were none
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    """The TUI and a `strikeboard info` started together on a new file must both work."""
    ctx = multiprocessing.get_context("fork")
    outcomes: list[str] = []
    with ctx.Pool(4) as pool:
        for round_ in range(3):
            path = str(tmp_path / f"new{round_}.db")
            start = time.time() + 0.2
            outcomes += pool.starmap_async(_open_and_close, [(path, start)] * 4).get(60)
    assert [o for o in outcomes if o != "ok"] == []
    for round_ in range(3):
        assert inspect_sqlite_file(tmp_path / f"new{round_}.db") is FileState.CURRENT


@pytest.mark.parametrize("folder", ["Strike #2", "what?", "50%41 off", "a b"])
def test_a_database_in_a_folder_with_special_characters_opens_where_asked(
    tmp_path: Path, folder: str
) -> None:
    path = tmp_path / folder / "strike.db"
    path.parent.mkdir()
    store = open_store(str(path))
    try:
        with store.write() as session:
            session.add(_location())
    finally:
        store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]  # nothing written beside it
    assert path.stat().st_size > 0
    assert inspect_sqlite_file(path) is FileState.CURRENT
    store = open_store(str(path))
    try:
        with store.read() as session:
            assert [loc.name for loc in session.exec(select(Location))] == ["Gate 1"]
    finally:
        store.close()


def test_closing_a_store_whose_file_was_damaged_does_not_raise(db_path: Path) -> None:
    store = open_store(str(db_path))
    store.engine.dispose()  # no pooled connection left: closing has to open a new one
    size = db_path.stat().st_size
    with db_path.open("r+b") as handle:
        handle.write(b"\x00garbage" * (size // 8))
    store.close()  # quitting the app on a broken file must not end in a traceback


def _filled(db_path: Path, members: int = 1000) -> None:
    store = open_store(str(db_path))
    with store.write() as session:
        session.add_all(Member(member_number=str(i), first_name=f"Member {i}") for i in range(members))
    store.close()


def _damage_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(3 * 4096))


@pytest.mark.parametrize("how", ["garbage in the middle", "half copied"])
def test_a_damaged_file_is_refused_with_the_newest_good_backup(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    from strikeboard.store.backup import backup, default_backup_dir
    from strikeboard.store.probe import DamagedDatabase

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    _filled(db_path)
    older = backup(db_path, now=datetime(2026, 11, 24, tzinfo=UTC)).path
    newest = backup(db_path, now=datetime(2026, 11, 25, tzinfo=UTC)).path
    assert older.parent == newest.parent == default_backup_dir()
    _damage_middle(newest)  # the newest backup is damaged too: the advice skips it
    if how == "half copied":
        with db_path.open("r+b") as handle:
            handle.truncate(db_path.stat().st_size // 2)
    else:
        _damage_middle(db_path)
    with pytest.raises(DamagedDatabase) as caught:
        open_store(str(db_path))
    message = str(caught.value)
    assert message.startswith(f"{db_path} is damaged or incomplete (")
    assert f"The newest good backup is {older}" in message and f"restore {older} --yes" in message
    if how == "garbage in the middle":  # (a half-copied file: see the test below)
        _restore_and_count(older, db_path)


def _restore_and_count(backup_file: Path, db_path: Path) -> None:
    from strikeboard.store.backup import restore

    restore(backup_file, db_path)  # following the advice works on the damaged file
    store = open_store(str(db_path))
    with store.read() as session:
        assert len(session.exec(select(Member)).all()) == 1000
    store.close()


def test_a_half_copied_file_can_be_restored_over(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strikeboard.store.backup import backup

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    _filled(db_path)
    good = backup(db_path).path
    with db_path.open("r+b") as handle:
        handle.truncate(db_path.stat().st_size // 2)
    _restore_and_count(good, db_path)


def test_a_damaged_file_without_backups_says_so(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strikeboard.store.probe import DamagedDatabase

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    _filled(db_path)
    _damage_middle(db_path)
    with pytest.raises(DamagedDatabase, match="No good backup of it was found in"):
        open_store(str(db_path))


def test_a_sound_database_passes_the_quick_check(db_path: Path) -> None:
    from strikeboard.store.probe import quick_check

    _filled(db_path, members=10)
    assert quick_check(db_path) is None
