"""The app driven as a user would: keys, tabs, search, help, palette, failures (real SQLite files)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.text import Text
from textual import events
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Static, TabbedContent
from textual.widgets._footer import FooterKey

from strikeboard import demo
from strikeboard.services.grievances import GrievanceRow, open_grievances
from strikeboard.services.roster import MemberPage, search_members
from strikeboard.services.shifts import BoardShift, WeekShift, today_board, week_schedule
from strikeboard.store.db import open_store
from strikeboard.tui.app import StrikeboardApp
from strikeboard.tui.help import HelpScreen
from strikeboard.tui.widgets.virtual_table import VirtualRow, VirtualTable
from strikeboard.tui.widgets.week_grid import GridItem, WeekGrid

SIZE = (100, 30)
MEMBERS = 300
ZONE = ZoneInfo(demo.TIME_ZONE)
TODAY = date(2026, 11, 10)  # a Tuesday
#: The demo's "now": the early shifts are over, the mid-morning ones are running.
NOW = datetime.combine(TODAY, demo.DEMO_NOW, tzinfo=ZONE)


def clock() -> datetime:
    """The fixed "now" of the demo strike."""
    return NOW


@dataclass(frozen=True)
class Expected:
    """What the services say the tabs should show (the TUI must show exactly this)."""

    board: list[BoardShift]
    week: list[WeekShift]
    next_week: list[WeekShift]
    grievances: list[GrievanceRow]
    zoe: MemberPage


@pytest.fixture(scope="module")
def expected(strike_file: Path) -> Expected:
    store = open_store(str(strike_file))
    try:
        with store.read() as s:
            monday = TODAY - timedelta(days=TODAY.weekday())
            return Expected(
                board=today_board(s, TODAY, ZONE, NOW),
                week=week_schedule(s, monday, ZONE),
                next_week=week_schedule(s, monday + timedelta(days=7), ZONE),
                grievances=open_grievances(s, TODAY),
                zoe=search_members(s, "zoe"),
            )
    finally:
        store.close()


def make_app(path: Path | str) -> StrikeboardApp:
    app = StrikeboardApp(str(path), now=clock)
    app.animation_level = "none"  # the pilot waits for animations (tab underline) otherwise
    return app


async def settle(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    """Wait until the store is open (or failed to open) and every load has been shown."""
    deadline = time.monotonic() + 10
    while app.gateway is None and not errors(app):
        assert time.monotonic() < deadline, "the store never opened"
        await pilot.pause(0.01)
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def searched(app: StrikeboardApp, pilot: Pilot[None], query: str) -> None:
    """Wait until the roster shows the results for ``query`` (the search is debounced)."""
    deadline = time.monotonic() + 10
    while f"“{query}”" not in status(app, "roster"):
        assert time.monotonic() < deadline, f"no results for {query!r}: {status(app, 'roster')!r}"
        await pilot.pause(0.05)
    await settle(app, pilot)


def table(app: StrikeboardApp, pane: str) -> DataTable:
    return app.query_one(f"#{pane}-panel DataTable", DataTable)


def grievance_table(app: StrikeboardApp) -> VirtualTable:
    return app.query_one("#grievances-table", VirtualTable)


def grievance_rows(app: StrikeboardApp) -> list[VirtualRow]:
    """Every row of the Grievances list (the demo's fit in the first page, loaded with the tab)."""
    t = grievance_table(app)
    rows = [t.row_at(index) for index in range(t.total)]
    assert None not in rows, "a page of the list was not loaded"
    return [row for row in rows if row is not None]


def roster_table(app: StrikeboardApp) -> VirtualTable:
    return app.query_one("#roster-table", VirtualTable)


def week_grid(app: StrikeboardApp) -> WeekGrid:
    return app.query_one("#shifts-grid", WeekGrid)


def grid_items(app: StrikeboardApp) -> list[GridItem]:
    """Every shift shown in the week grid, row by row, day by day."""
    return [item for row in week_grid(app).rows for cell in row.cells for item in cell]


def main_table(app: StrikeboardApp, pane: str) -> DataTable | VirtualTable | WeekGrid:
    """A tab's list: a DataTable, the Grievances/Roster tab's VirtualTable, or the Shifts tab's grid."""
    if pane == "roster":
        return roster_table(app)
    if pane == "shifts":
        return week_grid(app)
    return grievance_table(app) if pane == "grievances" else table(app, pane)


def row_count(app: StrikeboardApp, pane: str) -> int:
    """Rows of a tab's list (the Shifts tab: shifts in the grid)."""
    t = main_table(app, pane)
    if isinstance(t, WeekGrid):
        return len(grid_items(app))
    return t.total if isinstance(t, VirtualTable) else t.row_count


def column(app: StrikeboardApp, pane: str, key: str) -> list[str]:
    """The plain text of one column of a tab's table."""
    if pane == "grievances":
        return [row.cells[key].plain for row in grievance_rows(app)]
    if pane == "roster":  # the loaded rows (the first page, or every match of a search)
        roster = roster_table(app)
        return [row.cells[key].plain for i in range(roster.total) if (row := roster.row_at(i)) is not None]
    t = table(app, pane)
    return [t.get_cell(row, key).plain for row in t.rows]


def status(app: StrikeboardApp, pane: str) -> str:
    return str(app.query_one(f"#{pane}-panel .status", Static).render())


def footer_keys(app: StrikeboardApp) -> dict[str, str]:
    return {key.description: key.key for key in app.screen.query(FooterKey)}


def errors(app: StrikeboardApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications if n.severity == "error"]


def test_importing_the_app_does_not_import_the_database_layer() -> None:
    code = (
        "import sys, strikeboard.cli, strikeboard.tui.app\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic')\n"
        "  or m.startswith(('strikeboard.services', 'strikeboard.store.db', 'strikeboard.tui.data'))]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


async def test_tabs_show_the_database(demo_db: Path, expected: Expected) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        tabs = app.query_one(TabbedContent)
        assert tabs.active == "signin"
        assert table(app, "signin").has_focus

        # Sign-in: every shift of today, by gate; the 10:00-14:00 ones are running at 11:00
        board = expected.board
        assert board and table(app, "signin").row_count == len(board)
        assert list(table(app, "signin").rows) == [str(shift.id) for shift in board]  # keyed by id
        gates = [g for g in column(app, "signin", "gate") if g]
        assert gates == sorted({shift.location for shift in board})
        assert set(gates) <= {gate.name for gate in demo.GATES}
        for shift, time_range, state, in_now in zip(
            board,
            column(app, "signin", "time"),
            column(app, "signin", "state"),
            column(app, "signin", "in_now"),
            strict=True,
        ):
            if shift.cancelled:
                assert state == "cancelled"
            elif time_range == "10:00–14:00":
                assert state == "▶ now"
                assert in_now.startswith(f"{shift.signed_in_now} / {shift.min_headcount}")
            else:
                assert state == ("done" if time_range == "06:00–10:00" else "later")
        running = [shift for shift in board if shift.running(NOW)]
        assert f"{len(running)} running" in status(app, "signin")
        on_line = sum(shift.signed_in_now for shift in running)
        assert on_line > 0 and f"{on_line} on the line" in status(app, "signin")
        captains = column(app, "signin", "captain")
        assert any(c.startswith("✓ ") for c in captains)

        # Shifts: this week, Monday to Sunday, gates by days
        await pilot.press("2")
        assert tabs.active == "shifts" and week_grid(app).has_focus
        assert sorted(item.key for item in grid_items(app)) == sorted(str(s.id) for s in expected.week)
        assert status(app, "shifts").startswith("This week: Mon 9 Nov – Sun 15 Nov 2026")
        assert week_grid(app).columns[0] == "Mon 9" and week_grid(app).columns[1] == "Tue 10"
        first = expected.week[0]
        shown = next(item for item in grid_items(app) if item.key == str(first.id))
        assert f" {first.assigned}/{first.min_headcount}" in shown.text

        # Roster: every member (paged as it scrolls), search in SQL (accent-insensitive)
        await pilot.press("3")
        assert tabs.active == "roster"
        assert row_count(app, "roster") == MEMBERS
        assert status(app, "roster").startswith(f"{MEMBERS} members")
        await pilot.press("slash", "z", "o", "e")
        await searched(app, pilot, "zoe")
        names = column(app, "roster", "name")
        assert "O'Brien-Nguyễn, Zoë" in names  # "zoe" finds "Zoë"
        assert {row.roster_name for row in expected.zoe.rows} <= set(names)  # what SQL found (and emails)
        assert "matching “zoe”" in status(app, "roster")
        await pilot.press("enter")
        assert main_table(app, "roster").has_focus

        # Grievances: open ones, soonest deadline first
        await pilot.press("4")
        assert tabs.active == "grievances"
        assert column(app, "grievances", "number") == [row.number for row in expected.grievances]
        n_overdue = sum(row.overdue for row in expected.grievances)
        assert f"{n_overdue} overdue" in status(app, "grievances")
        class_rows = [i for i, row in enumerate(expected.grievances) if row.is_class]
        assert class_rows and column(app, "grievances", "grievants")[class_rows[0]].startswith("class")

        await pilot.press("1")
        assert tabs.active == "signin"
        await pilot.press("f5")
        assert tabs.active == "grievances"
        assert not errors(app)


async def test_keys_typed_faster_than_the_screen_updates(demo_db: Path) -> None:
    """A burst ("3", "/", "zoe", then "F3", "n") lands where the user meant it.

    The driver posts keys to the app as they arrive; here they are posted in one go,
    without waiting for the app between them, as a fast typist or a paste would.
    """
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key, character in [("4", "4"), ("3", "3"), ("slash", "/"), ("z", "z"), ("o", "o"), ("e", "e")]:
            app.post_message(events.Key(key, character))
        await searched(app, pilot, "zoe")
        assert app.query_one("#roster-search", Input).value == "zoe"
        assert isinstance(app.focused, Input)  # late tab messages did not steal the focus back
        assert "Refresh" not in footer_keys(app)  # "r" types an r here: the footer says so
        assert "matching “zoe”" in status(app, "roster")
        for key, character in [("f3", None), ("n", "n")]:
            app.post_message(events.Key(key, character))
        await settle(app, pilot)
        assert app.active_tab == "shifts"
        assert status(app, "shifts").startswith("Next week")
        for key in "4214":  # the last tab typed wins, not the first (TabPane.Focused arrives late)
            app.post_message(events.Key(key, key))
        await settle(app, pilot)
        assert app.active_tab == "grievances" and grievance_table(app).has_focus


async def test_overdue_and_due_soon_are_coloured(demo_db: Path, expected: Expected) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        t = grievance_table(app)
        red = app.theme_variables["text-error"].lower()
        amber = app.theme_variables["text-warning"].lower()
        keys = [row.key for row in grievance_rows(app)]

        def cell_text(row: GrievanceRow) -> str:
            return grievance_rows(app)[keys.index(str(row.id))].cells["days_left"].plain

        def colour(row: GrievanceRow) -> str:
            """The colour the days-left cell is painted in."""
            index = keys.index(str(row.id))
            t.move_cursor(index)  # into view
            line = t.render_line(index - int(t.scroll_y) + 1)
            style = next(s.style for s in line if cell_text(row) and cell_text(row) in s.text)
            return style.color.triplet.hex if style and style.color and style.color.triplet else ""

        kinds = {"overdue": 0, "soon": 0, "later": 0}
        for row in expected.grievances:
            if row.overdue:
                assert colour(row) == red and "overdue" in cell_text(row)
                kinds["overdue"] += 1
            elif row.due_soon:
                assert colour(row) == amber
                kinds["soon"] += 1
            else:
                assert colour(row) not in (red, amber)
                kinds["later"] += 1
        assert all(kinds.values()), kinds  # the demo has all three


async def test_week_keys_move_the_shifts_tab(demo_db: Path, expected: Expected) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "n")
        await settle(app, pilot)
        assert status(app, "shifts").startswith("Next week: Mon 16 Nov – Sun 22 Nov 2026")
        assert row_count(app, "shifts") == len(expected.next_week)
        await pilot.press("p", "p")
        await settle(app, pilot)
        assert status(app, "shifts").startswith("Last week: Mon 2 Nov")
        await pilot.press("p")
        await settle(app, pilot)
        assert status(app, "shifts").startswith("Week: Mon 26 Oct")
        await pilot.press("t")
        await settle(app, pilot)
        assert status(app, "shifts").startswith("This week")
        assert row_count(app, "shifts") == len(expected.week)


async def test_user_text_is_shown_literally(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        title = app.query_one("#header-title", Label).render()
        assert str(title) == f"{demo.STRIKE_NAME} — strikeboard"
        await pilot.press("3")
        # the roster sorts "[red]Jones[/red]" under "[": it is on the first page
        names = column(app, "roster", "name")
        assert "[red]Jones[/red], Mary" in names
        await pilot.press("slash", *"steward")
        await searched(app, pilot, "steward")
        t = roster_table(app)
        cells = [row.cells["name"] for i in range(t.total) if (row := t.row_at(i)) is not None]
        assert "Lee, [steward] Ann" in [c.plain for c in cells]
        assert all(isinstance(c, Text) for c in cells)
        # and on screen, not just in the model
        screen = app.export_screenshot().replace("&#160;", " ")
        assert "Lee, [steward] Ann" in screen
        await pilot.press("escape")  # leave the search box: digits switch tabs again
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"bold")
        await searched(app, pilot, "bold")
        assert "O'Brien-Smith, Bo" in column(app, "roster", "name")  # preferred name shown
        await pilot.press("escape", "4")
        assert app.query_one(TabbedContent).active == "grievances"


async def test_footer_shows_the_keys_of_the_tab_and_help_lists_all(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        keys = footer_keys(app)
        assert keys["Quit"] == "ctrl+q" and keys["Help"] == "f1" and keys["Refresh"] == "r"
        assert "Prev week" not in keys
        await pilot.press("2")
        await pilot.pause()
        assert {"Prev week", "Next week", "This week"} <= set(footer_keys(app))
        await pilot.press("3")
        await pilot.pause()
        assert "Search" in footer_keys(app) and "Prev week" not in footer_keys(app)

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        for expected in ("ctrl+q", "Quit", "F2", "Go to Roster", "Prev week", "Search", "Refresh", "ctrl+p"):
            assert expected in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_offers_tabs_and_actions(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.palette_commands()]
        for expected in ("Go to Sign-in", "Go to Roster", "Refresh", "Help", "Quit", "Next week"):
            assert expected in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to grievances")
        deadline = time.monotonic() + 10
        while not app.screen.query(CommandList).first().option_count:  # the palette searches async
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "grievances"


async def test_a_failing_worker_is_reported_and_the_app_survives(demo_db: Path, expected: Expected) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        with sqlite3.connect(demo_db) as conn:  # another program breaks the database
            conn.execute("DROP TABLE grievance_grievant")
        await pilot.press("4", "r")
        await settle(app, pilot)
        assert app.is_running
        reported = errors(app)
        assert reported and "Could not load the grievances" in reported[0]
        assert "no such table" in reported[0] and "Traceback" not in reported[0]
        await pilot.press("1")  # still usable
        assert app.query_one(TabbedContent).active == "signin"
        assert table(app, "signin").row_count == len(expected.board)

        # now the whole file is overwritten: every tab fails, the user is told once
        size = demo_db.stat().st_size
        with demo_db.open("r+b") as handle:
            handle.write(b"\x00garbage" * (size // 8))
        # Pooled connections may serve cached pages (WAL checks its index, not the file):
        # drop them, as after the laptop slept, so every tab reads the broken file.
        assert app.gateway is not None
        app.gateway.store.engine.dispose()
        await pilot.press("r")
        for _ in range(50):  # every tab's loader fails on its own schedule: wait for them
            await settle(app, pilot)
            if any(m.endswith("malformed") for m in errors(app)[len(reported) :]):
                break
            await pilot.pause(0.1)
        await settle(app, pilot)
        assert app.is_running
        new = errors(app)[len(reported) :]
        malformed = [message for message in new if message.endswith(": database disk image is malformed")]
        late = [message for message in new if "no such table" in message]  # page loads of the first break
        assert len(malformed) == 1 and len(malformed) + len(late) == len(new), new  # told once
        assert table(app, "signin").row_count == len(expected.board)  # the last data stays on screen


async def test_a_database_that_cannot_be_opened_is_explained(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database\n")
    app = make_app(bad)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.is_running and app.gateway is None
        reported = errors(app)
        assert len(reported) == 1
        assert (
            reported[0].startswith("Cannot open the database:")
            and "not a strikeboard database" in reported[0]
        )
        assert "not a strikeboard database" in status(app, "roster")
        await pilot.press("r", "2", "3")  # nothing to refresh; keys still work
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "roster"
        await pilot.press("ctrl+q")
    assert not app.is_running


async def test_ctrl_q_quits_and_closes_the_store(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        gateway = app.gateway
        assert gateway is not None
        closed: list[bool] = []
        original: Callable[[], None] = gateway.store.close

        def spy() -> None:
            closed.append(True)
            original()

        gateway.store.close = spy  # type: ignore[method-assign]
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert closed == [True]
    assert app.gateway is None


async def test_small_terminal_and_resizing(demo_db: Path, expected: Expected) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for key, pane in (("1", "signin"), ("2", "shifts"), ("3", "roster"), ("4", "grievances")):
            await pilot.press(key)
            await pilot.pause()
            t = main_table(app, pane)
            assert row_count(app, pane) > 0
            assert t.region.height >= 10  # the table gets the room, not the chrome
            assert t.region.right <= 80
        assert set(footer_keys(app)) >= {"Quit", "Refresh", "Help"}

        # long gate names are cut at 80 columns so the captain column stays in view...
        await pilot.press("1")
        longest = max((shift.location for shift in expected.board), key=len)
        assert len(longest) > 22
        screen = app.export_screenshot().replace("&#160;", " ")
        assert longest not in screen and longest[:21] + "…" in screen
        assert "Captain" in screen
        # ...and shown whole once the terminal is wider (on screen, not just in the table model)
        await pilot.resize_terminal(140, 40)
        await pilot.pause(0.1)
        await pilot.pause()
        assert longest in app.export_screenshot().replace("&#160;", " ")


async def test_the_first_frame_is_the_shell_and_the_data_follows(demo_db: Path) -> None:
    """The first frame has the header, tabs and footer; the store opens after it."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        # at first paint: the shell, the first tab saying what it is doing, no database yet
        assert app.gateway is None
        assert status(app, "signin") == "Opening the database…"
        assert app.query_one(TabbedContent).tab_count == 4
        await settle(app, pilot)
        # hidden tabs mounted after the first paint, and every one got its data
        assert len(app.panels) == 4
        assert all(panel.context is not None for panel in app.panels)
        for pane in ("signin", "shifts", "roster", "grievances"):
            assert not status(app, pane).startswith("Opening")
            assert row_count(app, pane) > 0


async def test_actions_before_the_hidden_tabs_have_mounted(demo_db: Path) -> None:
    """Actions in the first instant (hidden panels not mounted yet) neither crash nor lose data."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        assert app.panel("grievances") is None  # mounts after the first paint
        app.action_refresh_data()  # "still opening"
        app.action_panel("shifts", "next_week")
        app.action_search_roster()
        app.action_show_tab("grievances")
        await settle(app, pilot)
        assert app.is_running and not errors(app)
        await pilot.press("4")
        assert grievance_table(app).total > 0
