"""The Shifts tab driven as a user would: the week grid, a shift's view, assigning, cancelling,
planning a series, validation at the field and the locations screen (the demo strike, real SQLite)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input, Label, SelectionList, Static

from strikeboard import demo
from strikeboard.services.roster import display_name
from strikeboard.services.shift_people import shift_people
from strikeboard.services.shifts import WeekShift, week_schedule
from strikeboard.store.db import open_store
from strikeboard.store.models import Assignment, AssignmentStatus, Location, Member, Shift
from strikeboard.tui.app import StrikeboardApp
from strikeboard.tui.forms.assign import AssignForm
from strikeboard.tui.forms.base import FormScreen
from strikeboard.tui.forms.locations import LocationForm, LocationsScreen
from strikeboard.tui.forms.member import ConfirmScreen
from strikeboard.tui.forms.shift import NewShiftForm, parse_slots, parse_weekdays
from strikeboard.tui.panels.shifts import ShiftsPanel, coverage
from strikeboard.tui.screens.shift import ShiftScreen
from strikeboard.tui.widgets.week_grid import WeekGrid

SIZE = (120, 36)
MEMBERS = 300
ZONE = ZoneInfo(demo.TIME_ZONE)
TODAY = date(2026, 11, 10)  # a Tuesday
MONDAY = date(2026, 11, 9)
NOW = datetime.combine(TODAY, demo.DEMO_NOW, tzinfo=ZONE)


def make_app(path: Path) -> StrikeboardApp:
    app = StrikeboardApp(str(path), now=lambda: NOW, operator="tester")
    app.animation_level = "none"
    return app


async def settle(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    """Wait until the store is open and every worker has finished and been shown."""
    deadline = time.monotonic() + 10
    while app.gateway is None:
        assert time.monotonic() < deadline, "the store never opened"
        await pilot.pause(0.01)
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def open_tab(app: StrikeboardApp, pilot: Pilot[None]) -> WeekGrid:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    return app.query_one("#shifts-grid", WeekGrid)


def week(path: Path, monday: date = MONDAY) -> list[WeekShift]:
    store = open_store(str(path))
    try:
        with store.read() as session:
            return week_schedule(session, monday, ZONE)
    finally:
        store.close()


def errors(app: StrikeboardApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications if n.severity == "error"]


def detail_line(app: StrikeboardApp) -> str:
    return str(app.query_one("#shifts-detail", Static).render())


def put_cursor_on(grid: WeekGrid, shift: WeekShift) -> None:
    """Setup: the cursor on ``shift``'s cell and line (navigation itself is tested by keys)."""
    grid.move_to(shift.location, (shift.day - MONDAY).days, str(shift.id))
    assert grid.cursor_item_key == str(shift.id)


def future_shift_with_people(path: Path) -> tuple[WeekShift, list[str]]:
    """A shift tomorrow with people assigned and nobody signed in, and their names."""
    store = open_store(str(path))
    try:
        with store.read() as session:
            for shift in week_schedule(session, MONDAY, ZONE):
                if shift.day == TODAY + timedelta(days=1) and shift.assigned >= 2 and not shift.cancelled:
                    people = shift_people(session, shift.id, NOW, ZONE).people
                    return shift, [p.name for p in people if p.state == "expected"]
    finally:
        store.close()
    raise AssertionError("the demo has no shift tomorrow with people")


# -- the grid --------------------------------------------------------------------------------


def test_parsing_weekdays_and_slots() -> None:
    assert parse_weekdays("") == tuple(range(7))
    assert parse_weekdays("mon-fri") == (0, 1, 2, 3, 4)
    assert parse_weekdays("Mon, wed FRI") == (0, 2, 4)
    assert parse_weekdays("fri-mon") == (0, 4, 5, 6)
    assert parse_weekdays("weekends") == (5, 6)
    slots = parse_slots("06:00-10:00, 10-14, 22:30–02:00")
    assert [f"{a:%H:%M}-{b:%H:%M}" for a, b in slots] == ["06:00-10:00", "10:00-14:00", "22:30-02:00"]
    from strikeboard.tui.forms.base import FieldProblem

    with pytest.raises(FieldProblem):
        parse_weekdays("someday")
    with pytest.raises(FieldProblem):
        parse_slots("6 to 10")


async def test_the_grid_shows_the_week_as_in_the_database(demo_db: Path) -> None:
    expected = week(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        assert grid.has_focus
        assert grid.columns == ("Mon 9", "Tue 10", "Wed 11", "Thu 12", "Fri 13", "Sat 14", "Sun 15")
        assert grid.highlight == 1  # today, Tuesday
        # every shift in the cell of its gate and day, with its numbers and coverage
        shown = {
            item.key: (row.key, day, item)
            for row in grid.rows
            for day, cell in enumerate(row.cells)
            for item in cell
        }
        assert set(shown) == {str(s.id) for s in expected}
        for shift in expected:
            gate, day, item = shown[str(shift.id)]
            assert (gate, day) == (shift.location, (shift.day - MONDAY).days)
            assert item.kind == coverage(shift)
            if not shift.cancelled:
                assert f" {shift.assigned}/{shift.min_headcount}" in item.text
        assert {row.key for row in grid.rows} >= {gate.name for gate in demo.GATES}
        # the totals
        live = [s for s in expected if not s.cancelled]
        status = str(app.query_one("#shifts-panel .status", Static).render())
        assert status.startswith(f"This week: Mon 9 Nov – Sun 15 Nov 2026 · {len(live)} shifts")
        short = [s for s in live if s.assigned < s.min_headcount]
        assert short and f"{len(short)} short" in status
        assert f"{sum(s.captain_needed and not s.captain_assigned for s in live)} without captain" in status

        # a short shift is painted in the theme's error colour, with its "!" mark
        red = app.theme_variables["text-error"].lower()
        green = app.theme_variables["text-success"].lower()
        amber = app.theme_variables["text-warning"].lower()
        away = [s for s in live if str(s.id) != grid.cursor_item_key]  # the cursor paints its own colours
        painted = (
            (next(s for s in away if coverage(s) == "short"), red),
            (next(s for s in away if coverage(s) == "covered"), green),
            (next(s for s in away if coverage(s) == "no-captain"), amber),
        )
        for shift, colour in painted:
            line = grid.item_line(shift.location, (shift.day - MONDAY).days, str(shift.id))
            assert line is not None
            text = shown[str(shift.id)][2].text
            segment = next(s for s in grid.line_segments(line) if s.text.strip() == text)
            assert segment.style is not None and segment.style.color is not None
            assert segment.style.color.triplet is not None
            assert segment.style.color.triplet.hex == colour
        assert shown[str(short[0].id)][2].text.endswith("!")
        # and on screen: the header and a gate's first line
        screen = app.export_screenshot().replace("&#160;", " ")
        assert "Tue 10" in screen and "Sun 15" in screen
        assert not errors(app)


async def test_the_keyboard_moves_through_cells_and_shifts(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        panel = app.query_one("#shifts-panel", ShiftsPanel)
        assert (grid.cursor.row, grid.cursor.column, grid.cursor.item) == (0, 0, 0)
        await pilot.press("right", "right")
        assert grid.cursor.column == 2
        first = panel.cursor_shift
        assert first is not None and first.day == date(2026, 11, 11)
        assert detail_line(app).startswith(f"Wed 11 Nov {first.starts_at.astimezone(ZONE):%H:%M}")
        height = len(grid.cell(0, 2))
        for _ in range(height - 1):
            await pilot.press("down")
        assert (grid.cursor.row, grid.cursor.item) == (0, height - 1)
        await pilot.press("down")  # past the cell's last shift: the gate below
        assert (grid.cursor.row, grid.cursor.item) == (1, 0)
        await pilot.press("up")
        assert (grid.cursor.row, grid.cursor.item) == (0, height - 1)
        await pilot.press("end")
        assert grid.cursor.column == 6
        await pilot.press("home")
        assert grid.cursor.column == 0
        await pilot.press("pagedown")
        assert grid.cursor.row > 1
        row_key, column = grid.cursor_row_key, grid.cursor.column
        # weeks move, the cursor stays on the same gate and weekday
        await pilot.press("n")
        await settle(app, pilot)
        assert panel.monday == MONDAY + timedelta(days=7)
        assert (grid.cursor_row_key, grid.cursor.column) == (row_key, column)
        await pilot.press("t")
        await settle(app, pilot)
        assert panel.monday == MONDAY
        # Enter opens the shift under the cursor; Esc comes back to the same place
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ShiftScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ShiftScreen)
        assert (grid.cursor_row_key, grid.cursor.column) == (row_key, column)


async def test_the_shift_view_shows_who_is_assigned_and_signed_in(demo_db: Path) -> None:
    running = [s for s in week(demo_db) if s.starts_at <= NOW < s.ends_at and s.assigned]
    shift = running[0]
    store = open_store(str(demo_db))
    with store.read() as session:
        people = shift_people(session, shift.id, NOW, ZONE)
    store.close()
    assert any(p.state == "in" for p in people.people)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        put_cursor_on(grid, shift)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ShiftScreen)
        text = screen.shown_text()
        assert shift.location in text and "10:00–14:00" in text
        assert f"{people.expected} assigned" in text and f"{people.in_now} in now" in text
        lines = text.splitlines()
        for person in people.people:
            state = {"in": "● in", "no_show": "no-show"}.get(person.state, person.state)
            row = f"{person.name}  {person.member_number}"
            assert any(line.startswith(row) and f"  {state}  " in line for line in lines), (row, state)
        assert "Access:" in text


async def test_assign_with_a_warning_asks_then_writes_the_assignment(demo_db: Path) -> None:
    """A member already on an overlapping shift: the warning is shown, confirmed, then saved."""
    expected = week(demo_db)
    tomorrow = [s for s in expected if s.day == TODAY + timedelta(days=1) and not s.cancelled]
    target = next(s for s in tomorrow if s.starts_at.astimezone(ZONE).hour == 10)
    other = next(s for s in tomorrow if s.starts_at == target.starts_at and s.location != target.location)
    store = open_store(str(demo_db))
    with store.read() as session:
        member = session.exec(
            select(Member)
            .join(Assignment, col(Assignment.member_id) == col(Member.id))
            .where(col(Assignment.shift_id) == other.id, col(Assignment.status) == AssignmentStatus.ASSIGNED)
        ).first()
        assert member is not None
        number = member.member_number
    store.close()

    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        put_cursor_on(grid, target)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AssignForm)
        await pilot.press(*number)
        deadline = time.monotonic() + 5
        while not form.query_one("#assign-matches").display:
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        await settle(app, pilot)
        await pilot.press("enter")  # picks the match; its warnings are read
        await settle(app, pilot)
        warnings = str(form.query_one("#assign-warnings", Static).render())
        assert "overlaps" in warnings and other.location in warnings
        await pilot.press("ctrl+s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert "overlaps" in str(confirm.query_one(".confirm-text", Static).render())
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ShiftScreen)
        assert (
            display_name(member.first_name, member.last_name, member.preferred_name)
            in app.screen.shown_text()
        )

    store = open_store(str(demo_db))
    with store.read() as session:
        row = session.exec(
            select(Assignment).where(
                col(Assignment.shift_id) == target.id, col(Assignment.member_id) == member.id
            )
        ).one()
    store.close()
    assert row.status == AssignmentStatus.ASSIGNED and row.locked and row.source == "manual"


async def test_cancelling_a_shift_with_people_names_them_first(demo_db: Path) -> None:
    shift, names = future_shift_with_people(demo_db)
    assert names
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        put_cursor_on(grid, shift)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        text = str(confirm.query_one(".confirm-text", Static).render())
        for name in names:
            assert name in text
        await pilot.press("escape")  # "Keep": nothing changes
        await settle(app, pilot)
        store = open_store(str(demo_db))
        with store.read() as session:
            kept = session.get(Shift, shift.id)
            assert kept is not None and not kept.cancelled
        store.close()
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ShiftScreen)
        assert "CANCELLED" in app.screen.shown_text()
        await pilot.press("escape")
        await settle(app, pilot)
        item = next(i for row in grid.rows for c in row.cells for i in c if i.key == str(shift.id))
        assert item.kind == "cancelled"
        assert grid.cursor_item_key == str(shift.id)  # the grid reloaded on the same cell

    store = open_store(str(demo_db))
    with store.read() as session:
        cancelled = session.get(Shift, shift.id)
        statuses = session.exec(
            select(col(Assignment.status)).where(col(Assignment.shift_id) == shift.id)
        ).all()
    store.close()
    assert cancelled is not None and cancelled.cancelled
    assert AssignmentStatus.ASSIGNED not in statuses


async def set_input(pilot: Pilot[None], form: FormScreen, name: str, value: str) -> None:
    """Focus field ``name`` and type ``value`` over what is there."""
    form.set_focus(form.query_one(f"#f-{name}", Input))
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k", *value)


async def test_a_new_series_through_the_form(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        first_gate, second_gate = grid.rows[0].key, grid.rows[1].key
        await pilot.press("n")  # next week, Monday column
        await settle(app, pilot)
        await pilot.press("N")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewShiftForm)
        gates = form.query_one("#f-location_ids", SelectionList)
        assert gates.has_focus and len(gates.selected) == 1  # the cursor's gate
        await pilot.press("down", "space")  # and the next gate
        await set_input(pilot, form, "last_day", "2026-11-20")
        await set_input(pilot, form, "weekdays", "mon-fri")
        await set_input(pilot, form, "slots", "18:00-22:00")
        await set_input(pilot, form, "min_headcount", "9")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # refused: the minimum is above the maximum (8)
        errors_shown = form.field_errors()
        assert "min_headcount" in errors_shown and "more than the maximum" in errors_shown["min_headcount"]
        await set_input(pilot, form, "min_headcount", "3")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert any("10 shifts planned" in str(n.message) for n in app._notifications)
        evening = [
            item for row in grid.rows for cell in row.cells for item in cell if item.text.startswith("18–22")
        ]
        assert len(evening) == 10

    store = open_store(str(demo_db))
    with store.read() as session:
        start = datetime(2026, 11, 16, tzinfo=ZONE).astimezone(UTC)
        rows = session.exec(
            select(Shift, Location)
            .join(Location, col(Location.id) == col(Shift.location_id))
            .where(col(Shift.starts_at) >= start, col(Shift.min_headcount) == 3)
        ).all()
    store.close()
    assert len(rows) == 10
    assert {loc.name for _, loc in rows} == {first_gate, second_gate}
    assert {s.starts_at.astimezone(ZONE).strftime("%a %H:%M") for s, _ in rows} == {
        f"{day} 18:00" for day in ("Mon", "Tue", "Wed", "Thu", "Fri")
    }
    assert len({s.series_id for s, _ in rows}) == 1 and rows[0][0].series_id is not None


async def test_the_locations_screen_adds_a_gate(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LocationsScreen)
        assert len(screen.rows) == len(demo.GATES)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LocationForm)
        await pilot.press(*"[Gate] 99")
        form.query_one("#f-step_free").focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        added = next(row for row in screen.rows if row.name == "[Gate] 99")
        assert added.step_free and added.features == "step-free"
        await pilot.press("escape")
        await settle(app, pilot)
        assert "[Gate] 99" in {row.key for row in grid.rows}  # a new row of the grid, shown literally
        # deactivate it (asks first): it leaves the grid, having no shifts
        await pilot.press("L")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LocationsScreen)
        screen.table.move_cursor(row=[row.name for row in screen.rows].index("[Gate] 99"))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert not next(row for row in screen.rows if row.name == "[Gate] 99").active
        await pilot.press("escape")
        await settle(app, pilot)
        assert "[Gate] 99" not in {row.key for row in grid.rows}
    store = open_store(str(demo_db))
    with store.read() as session:
        gate = session.exec(select(Location).where(col(Location.name) == "[Gate] 99")).one()
        assert gate.step_free and not gate.active
    store.close()


async def test_an_empty_cell_and_a_missing_member(demo_db: Path) -> None:
    """Enter on an empty cell plans a shift there; the assign form says when nobody is picked."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        await pilot.press("p", "p", "p", "p")  # a week before the strike: every cell empty
        await settle(app, pilot)
        assert grid.cursor_item is None
        assert "no shift" in detail_line(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewShiftForm)
        await pilot.press("escape")
        await pilot.press("t")
        await settle(app, pilot)
        shift, _ = future_shift_with_people(demo_db)
        put_cursor_on(grid, shift)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AssignForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Find a member" in form.field_errors().get("member", "")
        assert str(form.query_one("#assign-picked", Label).render()) == "(nobody picked yet)"


async def test_assign_a_member_to_a_shift_from_the_member_view(demo_db: Path) -> None:
    """Roster → member → s: the member's choices with warnings; one with a warning, confirmed, is saved."""
    from strikeboard.tui.forms.assign import PickShiftForm
    from strikeboard.tui.screens.member import MemberScreen

    shift, _ = future_shift_with_people(demo_db)
    store = open_store(str(demo_db))
    with store.read() as session:
        member = session.exec(
            select(Member)
            .join(Assignment, col(Assignment.member_id) == col(Member.id))
            .where(col(Assignment.shift_id) == shift.id, col(Assignment.status) == AssignmentStatus.ASSIGNED)
        ).first()
        assert member is not None
    store.close()
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "slash", *member.member_number)
        deadline = time.monotonic() + 10
        while member.member_number not in str(app.query_one("#roster-panel .status", Static).render()):
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        await pilot.press("s")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, PickShiftForm) and form.choices
        assert all(c.starts_at >= NOW and c.shift_id != shift.id for c in form.choices)  # not theirs already
        warned = next(i for i, c in enumerate(form.choices) if any("overlaps" in w for w in c.warnings))
        for _ in range(warned):
            await pilot.press("down")
        choice = form.choices[warned]
        assert "overlaps" in str(form.query_one("#assign-warnings", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, MemberScreen)
    store = open_store(str(demo_db))
    with store.read() as session:
        row = session.exec(
            select(Assignment).where(
                col(Assignment.shift_id) == choice.shift_id, col(Assignment.member_id) == member.id
            )
        ).one()
    store.close()
    assert row.status == AssignmentStatus.ASSIGNED


async def test_edit_this_and_following_shifts_and_unassign(demo_db: Path) -> None:
    from textual.widgets import Select

    from strikeboard.tui.forms.shift import EditShiftForm

    shift, names = future_shift_with_people(demo_db)
    store = open_store(str(demo_db))
    with store.read() as session:
        series = session.get(Shift, shift.id)
        assert series is not None and series.series_id is not None
        later = session.exec(
            select(col(Shift.id)).where(
                col(Shift.series_id) == series.series_id,
                col(Shift.starts_at) >= series.starts_at,
                col(Shift.cancelled).is_(False),
            )
        ).all()
        before = session.exec(
            select(col(Shift.id)).where(
                col(Shift.series_id) == series.series_id, col(Shift.starts_at) < series.starts_at
            )
        ).all()
    store.close()
    assert len(later) > 1 and before
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_tab(app, pilot)
        put_cursor_on(grid, shift)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditShiftForm)
        await set_input(pilot, form, "max_headcount", "12")
        form.set_focus(form.query_one("#f-scope", Select))
        await pilot.press("enter", "down", "enter")
        assert form.query_one("#f-scope", Select).value == "following"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ShiftScreen)
        assert any(f"{len(later)} shifts changed" in str(n.message) for n in app._notifications)
        assert "people" in app.screen.shown_text() and "–12 people" in app.screen.shown_text()
        # unassign the first person on the list (asks first)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
    store = open_store(str(demo_db))
    with store.read() as session:
        maxes = {sid: session.get(Shift, sid).max_headcount for sid in (*later, *before)}  # type: ignore[union-attr]
        left = session.exec(
            select(Member)
            .join(Assignment, col(Assignment.member_id) == col(Member.id))
            .where(col(Assignment.shift_id) == shift.id, col(Assignment.status) == AssignmentStatus.CANCELLED)
        ).all()
    store.close()
    assert all(maxes[sid] == 12 for sid in later)
    assert all(maxes[sid] != 12 for sid in before)  # earlier shifts of the series unchanged
    assert (
        len(left) == 1
        and display_name(left[0].first_name, left[0].last_name, left[0].preferred_name) in names
    )
