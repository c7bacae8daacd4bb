"""Two windows on one database file (two captains on one laptop) and a command-line sign-in beside
them: every write lands, and each window shows the others' changes after a refresh (r).

Both apps run at once in one test (two ``run_test()`` contexts, nested), on a copy of the demo
strike in a real SQLite file, with the demo's fixed "now"."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, func, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Label

from strikeboard import demo
from strikeboard.services.shifts import BoardShift, today_board
from strikeboard.store.db import open_store
from strikeboard.store.models import CheckIn, Member, MemberStatus
from strikeboard.tui.app import StrikeboardApp
from strikeboard.tui.panels import signin
from strikeboard.tui.panels.signin import SignInPanel

SIZE = (110, 35)
ZONE = ZoneInfo(demo.TIME_ZONE)
TODAY = date(2026, 11, 10)
NOW = datetime.combine(TODAY, demo.DEMO_NOW, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def _no_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Sign-in tab reloads itself every few seconds; here only the r key may refresh it."""
    monkeypatch.setattr(signin, "AUTO_REFRESH_SECONDS", 3600)


def make_app(path: Path, operator: str) -> StrikeboardApp:
    app = StrikeboardApp(str(path), now=lambda: NOW, operator=operator)
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


def running_shift_and_strangers(path: Path) -> tuple[BoardShift, list[Member]]:
    """A shift running at NOW, and active members never signed in (they come as walk-ins)."""
    store = open_store(str(path))
    try:
        with store.read() as session:
            shift = next(s for s in today_board(session, TODAY, ZONE, NOW) if s.running(NOW))
            busy = set(session.exec(select(col(CheckIn.member_id))))
            members = session.exec(
                select(Member)
                .where(col(Member.status) == MemberStatus.ACTIVE)
                .order_by(col(Member.member_number))
            )
            return shift, [m for m in members if m.id not in busy][:3]
    finally:
        store.close()


def signed_in(path: Path, member: Member) -> list[str]:
    """Who recorded the member's check-ins (one per sign-in)."""
    store = open_store(str(path))
    try:
        with store.read() as session:
            return list(session.exec(select(CheckIn.recorded_by).where(col(CheckIn.member_id) == member.id)))
    finally:
        store.close()


def checkins(path: Path) -> int:
    store = open_store(str(path))
    try:
        with store.read() as session:
            return int(session.exec(select(func.count()).select_from(CheckIn)).one())
    finally:
        store.close()


def on_the_line(app: StrikeboardApp, shift: BoardShift) -> int:
    """The board's "In now" count for the shift, as shown."""
    board = app.query_one("#signin-table", DataTable)
    text = board.get_cell(str(shift.id), "in_now")
    return int(str(getattr(text, "plain", text)).split("/")[0])


def desk_state(app: StrikeboardApp, member: Member) -> str | None:
    """The member's state on the gate's desk list (``None``: not on it)."""
    panel = app.panel("signin")
    assert isinstance(panel, SignInPanel)
    table = panel.people_table
    for index in range(table.total):
        row = table.row_at(index)
        if row is not None and row.key == str(member.id):
            return row.cells["state"].plain
    return None


async def open_gate(app: StrikeboardApp, pilot: Pilot[None], shift: BoardShift) -> None:
    """On today's board, arrow down to the shift's row and press Enter."""
    board = app.query_one("#signin-table", DataTable)
    assert board.has_focus
    while board.cursor_row < board.get_row_index(str(shift.id)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(app, pilot)


async def back_to_board_and_refresh(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    """ctrl+g back to today's board, then r (the box has the focus at the desk: r would be typed)."""
    await pilot.press("ctrl+g")
    await settle(app, pilot)
    await pilot.press("r")
    await settle(app, pilot)


def cli_sign_in(path: Path, shift: BoardShift, member: Member) -> None:
    """Another terminal: ``strikeboard signin`` at the same gate and time."""
    at = f"{NOW:%Y-%m-%d %H:%M}"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "strikeboard", "--db", str(path), "signin"),
            *("--location", shift.location, "--at", at, "--by", "cli-captain", member.member_number),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


async def test_two_windows_and_the_command_line_see_each_others_sign_ins(demo_db: Path) -> None:
    shift, (first, second, third) = running_shift_and_strangers(demo_db)
    before = checkins(demo_db)
    one, two = make_app(demo_db, "captain-one"), make_app(demo_db, "captain-two")
    async with one.run_test(size=SIZE) as pilot_one, two.run_test(size=SIZE) as pilot_two:
        await settle(one, pilot_one)
        await settle(two, pilot_two)
        start = on_the_line(one, shift)
        assert on_the_line(two, shift) == start

        # window one signs the first member in at the gate
        await open_gate(one, pilot_one, shift)
        await pilot_one.press(*first.member_number, "enter")
        await settle(one, pilot_one)
        assert desk_state(one, first) == "✓ in"
        assert signed_in(demo_db, first) == ["captain-one"]

        # window two still shows the board as it loaded it; r shows the new count
        assert on_the_line(two, shift) == start
        await pilot_two.press("r")
        await settle(two, pilot_two)
        assert on_the_line(two, shift) == start + 1

        # window two signs the second member in at the same gate; it lists the first as in
        await open_gate(two, pilot_two, shift)
        assert desk_state(two, first) == "✓ in"
        await pilot_two.press(*second.member_number, "enter")
        await settle(two, pilot_two)
        assert desk_state(two, second) == "✓ in"
        assert signed_in(demo_db, second) == ["captain-two"]

        # a command-line sign-in in another process, while both windows are open
        cli_sign_in(demo_db, shift, third)
        assert signed_in(demo_db, third) == ["cli-captain"]

        # window one: back to the board, r: both other sign-ins counted, and on its desk
        assert desk_state(one, second) is None
        await back_to_board_and_refresh(one, pilot_one)
        assert on_the_line(one, shift) == start + 3
        await open_gate(one, pilot_one, shift)
        assert [desk_state(one, m) for m in (first, second, third)] == ["✓ in"] * 3

        # window two: the same after its own refresh
        await back_to_board_and_refresh(two, pilot_two)
        assert on_the_line(two, shift) == start + 3

        for app in (one, two):  # both backed up at start (even within the same second): no failure
            assert app.is_running
            assert re.fullmatch(r"backup \d\d:\d\d", str(app.query_one("#header-backup", Label).render()))
            assert [n.message for n in app._notifications if n.severity == "error"] == []
    assert checkins(demo_db) == before + 3
