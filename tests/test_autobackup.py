"""Automatic backups from the TUI: at start, again after changes once the interval has passed, never
without a change, off when the setting is 0, and a failure is one message while the app keeps working
(a copy of the demo strike in a real SQLite file; the backup folder under this test's XDG_DATA_HOME)."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import DataTable

from strikeboard import demo
from strikeboard.cli import main
from strikeboard.services.shifts import today_board
from strikeboard.store.backup import list_backups
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import CheckIn, Member, MemberStatus
from strikeboard.tui.app import StrikeboardApp
from strikeboard.tui.autobackup import AutoBackup
from strikeboard.tui.widgets.virtual_table import VirtualTable

SIZE = (110, 35)
ZONE = ZoneInfo(demo.TIME_ZONE)
TODAY = date(2026, 11, 10)
NOW = datetime.combine(TODAY, demo.DEMO_NOW, tzinfo=ZONE)


@pytest.fixture
def backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The backup folder the app will use (under this test's own user data folder)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "strikeboard" / "backups"


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """First backup at once, then look every 0.1 s; a "minute" of the setting lasts 0.05 s, so the
    default 30 minutes is 1.5 s (more than a second: backups are named to the second)."""
    monkeypatch.setattr(AutoBackup, "first_delay_seconds", 0.01)
    monkeypatch.setattr(AutoBackup, "check_seconds", 0.1)
    monkeypatch.setattr(AutoBackup, "minute_seconds", 0.05)


def make_app(path: Path) -> StrikeboardApp:
    app = StrikeboardApp(str(path), now=lambda: NOW, operator="backup-tester")
    app.animation_level = "none"
    return app


async def settle(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    deadline = time.monotonic() + 10
    while app.gateway is None:
        assert time.monotonic() < deadline, "the store never opened"
        await pilot.pause(0.01)
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(pilot: Pilot[None], what: str, done: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


async def idle(pilot: Pilot[None], seconds: float) -> None:
    """Let the app run (timers fire, workers run) for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await pilot.pause(0.05)


def label(app: StrikeboardApp) -> str:
    return str(app.query_one("#header-backup", AutoBackup).render())


def made(app: StrikeboardApp) -> bool:
    """The header says when the last backup was made (``backup 14:05``)."""
    return re.fullmatch(r"backup \d\d:\d\d", label(app)) is not None


def backup_errors(app: StrikeboardApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Backup failed"]


def checkins_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM check_in").fetchone()[0])
    finally:
        conn.close()


def members_in(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM member").fetchone()[0])
    finally:
        conn.close()


def with_store(path: Path) -> Store:
    return open_store(str(path))


def gate_and_stranger(path: Path) -> tuple[str, str]:
    """A shift running at NOW (its board row key) and an active member never signed in."""
    store = with_store(path)
    try:
        with store.read() as session:
            shift = next(s for s in today_board(session, TODAY, ZONE, NOW) if s.running(NOW))
            busy = set(session.exec(select(col(CheckIn.member_id))))
            member = next(
                m
                for m in session.exec(
                    select(Member)
                    .where(col(Member.status) == MemberStatus.ACTIVE)
                    .order_by(col(Member.member_number))
                )
                if m.id not in busy
            )
            return str(shift.id), member.member_number
    finally:
        store.close()


async def sign_in_at_the_gate(app: StrikeboardApp, pilot: Pilot[None], shift_key: str, number: str) -> None:
    """On the Sign-in tab, pick the gate with Enter, type the member number and press Enter."""
    board = app.query_one("#signin-table", DataTable)
    assert board.has_focus
    while board.cursor_row < board.get_row_index(shift_key):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(app, pilot)
    await pilot.press(*number, "enter")
    await settle(app, pilot)


def local_minutes(*moments: datetime) -> set[str]:
    return {f"backup {moment.astimezone(ZONE):%H:%M}" for moment in moments}


def stamp(path: Path) -> datetime:
    """The UTC instant a backup's name records (``strike-20261126-011500Z.db``)."""
    return datetime.strptime(path.stem.split("-", 1)[1], "%Y%m%d-%H%M%SZ").replace(tzinfo=UTC)


async def test_opening_the_app_makes_a_backup_and_the_header_shows_its_time(
    demo_db: Path, backups: Path
) -> None:
    app = make_app(demo_db)  # the real timings: the first backup 3 s after the database opened
    async with app.run_test(size=SIZE) as pilot:
        assert label(app) == ""  # nothing before the store is open
        await settle(app, pilot)
        assert label(app) == "" and not backups.exists()  # the tabs' first loads go first
        await wait_for(pilot, "the first backup", lambda: made(app))
        files = list_backups(backups, "strike")
        assert len(files) == 1 and app.query_one(AutoBackup).last_path == files[0]
        assert label(app) in local_minutes(stamp(files[0]), datetime.now(UTC))
        assert files[0].stat().st_mode & 0o777 == 0o600
        assert checkins_in(files[0]) == checkins_in(demo_db)  # a full copy
        assert backup_errors(app) == [] and app.is_running


async def test_a_change_and_the_interval_make_another_backup_and_no_change_makes_none(
    demo_db: Path, backups: Path, fast: None
) -> None:
    shift_key, number = gate_and_stranger(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, "the first backup", lambda: len(list_backups(backups, "strike")) == 1)
        first = list_backups(backups, "strike")[0]
        before = checkins_in(demo_db)

        await idle(pilot, 2.5)  # well past the 1.5 s interval, checked ~25 times: nothing changed
        assert list_backups(backups, "strike") == [first]

        await sign_in_at_the_gate(app, pilot, shift_key, number)
        assert checkins_in(demo_db) == before + 1
        await wait_for(pilot, "a second backup", lambda: len(list_backups(backups, "strike")) == 2)
        newest = list_backups(backups, "strike")[0]
        assert newest != first and checkins_in(newest) == before + 1  # it has the sign-in
        await wait_for(pilot, "the header", lambda: app.query_one(AutoBackup).last_path == newest)
        assert label(app) in local_minutes(stamp(newest), datetime.now(UTC))

        await idle(pilot, 2.0)  # no change since: no third backup
        assert len(list_backups(backups, "strike")) == 2
        assert backup_errors(app) == []


async def test_backups_off_when_the_setting_is_zero(demo_db: Path, backups: Path, fast: None) -> None:
    assert main(["--db", str(demo_db), "settings", "set", "backup.every_minutes", "0"]) == 0
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, "the off label", lambda: label(app) == "backups off")
        await idle(pilot, 0.5)
        assert not backups.exists() or list_backups(backups, "strike") == []


async def test_a_failing_backup_is_one_message_and_the_app_keeps_working(
    demo_db: Path, backups: Path, fast: None
) -> None:
    backups.parent.mkdir(parents=True)
    backups.write_text("not a folder")  # the backup folder cannot be made
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, "the failure", lambda: label(app).startswith("backup failed: "))
        assert len(backup_errors(app)) == 1 and "backup folder" in backup_errors(app)[0]
        await idle(pilot, 1.0)  # retried every 5 "minutes" (0.25 s): still one message
        assert len(backup_errors(app)) == 1
        assert label(app).startswith("backup failed: ")
        # the app keeps working: no database error, every tab loads, the refresh key works
        assert app.store_error is None and app.is_running
        await pilot.press("3")
        await settle(app, pilot)
        assert app.query_one("#roster-table", VirtualTable).total == members_in(demo_db) > 0
        await pilot.press("r")
        await settle(app, pilot)
        assert app.is_running
        # the folder becomes usable: the next try succeeds and says so
        backups.unlink()
        await wait_for(pilot, "a backup after the fix", lambda: made(app))
        assert len(list_backups(backups, "strike")) == 1
        assert len(backup_errors(app)) == 1


async def test_sqlite_url_is_backed_up_too(demo_db: Path, backups: Path) -> None:
    app = make_app(demo_db)
    app.location = f"sqlite:///{demo_db}"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, "the first backup", lambda: made(app))
        assert len(list_backups(backups, "strike")) == 1


def test_two_windows_backing_up_in_the_same_second_both_succeed(demo_db: Path, backups: Path) -> None:
    """Backups are named to the second: a window that finds the name taken by the other window's
    verified copy of the same file takes that copy as its own instead of failing."""
    from strikeboard.tui.data import Gateway

    one, two = Gateway.open(str(demo_db)), Gateway.open(str(demo_db))
    try:
        results = [gateway.make_backup() for gateway in (one, two, one, two)]
    finally:
        one.close()
        two.close()
    files = list_backups(backups, "strike")
    assert {result.path for result in results} == set(files)
    assert len(files) < len(results)  # some fell in the same second (each takes a few ms)
    assert all(checkins_in(path) == checkins_in(demo_db) for path in files)


def test_two_windows_backing_up_at_the_same_moment_never_fail(demo_db: Path, backups: Path) -> None:
    """Two windows started together look in the same second every minute: their backups of the
    one file run at the same moment (threads here; the lock is per open file, as between processes)."""
    from strikeboard.tui.data import Gateway

    rounds = 6  # both start each round at once (without the lock, most runs fail)
    gateways = [Gateway.open(str(demo_db)) for _ in range(2)]
    start = threading.Barrier(len(gateways), timeout=30)
    failures: list[BaseException] = []
    made: list[Path] = []

    def window(gateway: Gateway) -> None:
        for _ in range(rounds):
            start.wait()
            try:
                made.append(gateway.make_backup().path)
            except Exception as error:  # collected: the assertion below names it
                failures.append(error)

    threads = [threading.Thread(target=window, args=(gateway,)) for gateway in gateways]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for gateway in gateways:
            gateway.close()
    assert failures == [] and len(made) == 2 * rounds
    assert set(made) == set(list_backups(backups, "strike"))
    assert all(checkins_in(path) == checkins_in(demo_db) for path in set(made))
    assert not list(backups.glob(".*.partial"))


async def test_a_server_database_is_not_backed_up_and_says_so_once(store: Store, backups: Path) -> None:
    """On the PostgreSQL lane: no backup, the header and one notification say why; on SQLite: a backup."""
    app = StrikeboardApp(store.location, now=lambda: NOW, operator="backup-tester")
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        if store.is_sqlite:
            await wait_for(pilot, "the first backup", lambda: made(app))
            assert len(list_backups(backups, Path(store.location).stem)) == 1
            return
        await wait_for(pilot, "the server label", lambda: label(app) == "no backup: server database")
        said = [n.message for n in app._notifications if n.title == "No automatic backups"]
        assert said == ["Automatic backups are for SQLite files: back up a server database with pg_dump."]
        assert not backups.exists() and app.store_error is None


def test_partial_files_left_by_a_killed_backup_are_swept(demo_db: Path, backups: Path) -> None:
    """A window killed mid-backup leaves its temporary file; the next backup deletes it once it
    is an hour old (a younger one may be another window's backup in progress)."""
    from strikeboard.tui.data import Gateway

    backups.mkdir(parents=True)
    old = backups / ".strike-20261110-120000Z.db.partial"
    young = backups / ".strike-20261126-000000Z.db.partial"
    other = backups / ".other-20261110-120000Z.db.partial"  # another database's: not ours to touch
    for path in (old, young, other):
        path.write_bytes(b"half a database")
    an_hour_and_more = time.time() - 3700
    for path in (old, other):
        os.utime(path, (an_hour_and_more, an_hour_and_more))
    gateway = Gateway.open(str(demo_db))
    try:
        result = gateway.make_backup()
    finally:
        gateway.close()
    assert not old.exists() and young.exists() and other.exists()
    assert list_backups(backups, "strike") == [result.path]


async def test_quitting_during_a_backup_leaves_no_partial_file(
    demo_db: Path, backups: Path, fast: None
) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, "a backup to start", lambda: backups.exists())
        await pilot.press("ctrl+q")
    deadline = time.monotonic() + 20  # the backup thread finishes after the app has gone
    while list(backups.glob(".*.partial")):
        assert time.monotonic() < deadline, "a partial backup file was left behind"
        time.sleep(0.05)
    for path in list_backups(backups, "strike"):  # whatever was finished is whole
        assert checkins_in(path) == checkins_in(demo_db)
