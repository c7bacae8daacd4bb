"""The Grievances tab driven by keys: file a case, act on it, watch it move; filters and search."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, Static

from strikeboard import demo
from strikeboard.services.grievances import GrievanceRow, due_this_week, get_grievance, list_grievances
from strikeboard.store.db import open_store
from strikeboard.tui.app import StrikeboardApp
from strikeboard.tui.forms.base import FormScreen
from strikeboard.tui.forms.file_grievance import FileGrievanceForm
from strikeboard.tui.screens.grievance_case import GrievanceCaseScreen
from strikeboard.tui.widgets.virtual_table import PAGE, VirtualRow, VirtualTable

SIZE = (120, 35)
ZONE = ZoneInfo(demo.TIME_ZONE)
TODAY = date(2026, 11, 10)  # a Tuesday
NOW = datetime.combine(TODAY, demo.DEMO_NOW, tzinfo=ZONE)
OPERATOR = "steward-test"


def clock() -> datetime:
    """The fixed "now" of the demo strike."""
    return NOW


def read_rows(path: Path, **filters: object) -> list[GrievanceRow]:
    store = open_store(str(path))
    try:
        with store.read() as s:
            return list_grievances(s, TODAY, **filters)  # type: ignore[arg-type]
    finally:
        store.close()


def make_app(path: Path) -> StrikeboardApp:
    app = StrikeboardApp(str(path), now=clock, operator=OPERATOR)
    app.animation_level = "none"
    return app


async def settle(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    """Wait until the store is open and every worker (loads and writes) has finished."""
    deadline = time.monotonic() + 10
    while app.gateway is None:
        assert time.monotonic() < deadline, "the store never opened"
        await pilot.pause(0.01)
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(pilot: Pilot[None], condition: object, what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        await pilot.pause(0.05)


def table(app: StrikeboardApp) -> VirtualTable:
    return app.query_one("#grievances-table", VirtualTable)


def rows(app: StrikeboardApp) -> list[VirtualRow]:
    """Every row of the list (the demo's fit in the pages loaded so far)."""
    t = table(app)
    found = [t.row_at(index) for index in range(t.total)]
    assert None not in found, "a page of the list was not loaded"
    return [row for row in found if row is not None]


async def scroll_through(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    """Move the cursor down the whole list a page at a time, as a user scrolling would (loads every page)."""
    t = table(app)
    for index in range(0, t.total, PAGE):
        t.move_cursor(index)
        await settle(app, pilot)
    t.move_cursor(0)


def keys(app: StrikeboardApp) -> list[str]:
    return [row.key for row in rows(app)]


def column(app: StrikeboardApp, key: str) -> list[str]:
    return [row.cells[key].plain for row in rows(app)]


def cell_text(app: StrikeboardApp, row_key: str, key: str) -> str:
    return next(row.cells[key].plain for row in rows(app) if row.key == row_key)


def status(app: StrikeboardApp) -> str:
    return str(app.query_one("#grievances-panel .status", Static).render())


def notices(app: StrikeboardApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def colour(app: StrikeboardApp, row_key: str) -> str:
    """``"red"``, ``"amber"`` or ``""``: how the row's days-left cell is painted."""
    t = table(app)
    index = keys(app).index(row_key)
    t.move_cursor(index)  # (brings the row into view; the cursor's own colours sit under the cell's)
    line = t.render_line(index - int(t.scroll_y) + 1)
    days = cell_text(app, row_key, "days_left")
    style = next(segment.style for segment in line if days and days in segment.text)
    hex_ = style.color.triplet.hex if style and style.color and style.color.triplet else ""
    if hex_ == app.theme_variables["text-error"].lower():
        return "red"
    if hex_ == app.theme_variables["text-warning"].lower():
        return "amber"
    return ""


async def open_tab(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)


async def fill(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text) if text else None


async def test_file_a_grievance_with_the_keyboard(demo_db: Path) -> None:
    before = {row.number for row in read_rows(demo_db, statuses=["open", "in_arbitration"])}
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FileGrievanceForm), "the form never opened")
        form = app.screen
        assert isinstance(app.focused, Input) and app.focused.id == "f-incident_date"
        await pilot.press(*"2026-11-02", "tab", "tab")  # incident date; no learned date
        await pilot.press(*"NBC", "tab", *"W", "tab", *"12.3", "tab")
        await pilot.press(*"[red]OT[/red]", "tab", *"Pay", "tab", "tab")
        assert app.focused is form.query_one("#f-grievant_search")
        await pilot.press(*"zoe")
        matches = form.query_one("#grievant-matches", OptionList)
        await wait_for(pilot, lambda: matches.display and matches.option_count > 0, "no member matches")
        await pilot.press("enter")
        assert any("Zoë" in name for name in form.picked.values())  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)  # the form closed after the commit
        filed = [n for n in notices(app) if n.endswith(" filed")]
        assert len(filed) == 1
        number = filed[0].removesuffix(" filed")
        assert number.startswith("G-2026-") and number not in before
        assert number in column(app, "number")  # in the list, refreshed after the commit

    store = open_store(str(demo_db))
    try:
        with store.read() as s:
            case = get_grievance(s, number, TODAY)
    finally:
        store.close()
    assert case.summary == "[red]OT[/red]"  # literal, never markup
    assert case.employer == "NBC" and case.articles == "12.3" and case.remedy == "Pay"
    assert case.incident_date == date(2026, 11, 2)
    assert [name for _, name in case.grievants] and "Zoë" in case.grievants[0][1]
    assert case.events[0].kind == "filed" and case.events[0].recorded_by == OPERATOR


async def test_errors_are_shown_at_the_field_and_nothing_is_written(demo_db: Path) -> None:
    before = read_rows(demo_db, statuses=["open", "in_arbitration", "settled", "withdrawn", "won", "lost"])
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, FileGrievanceForm), "the form never opened")
        form = app.screen
        assert isinstance(form, FileGrievanceForm)
        # a date that does not exist: the Input's validator says so when the box is left
        await pilot.press(*"2026-02-30", "tab")
        assert "not a date" in form.field_errors()["incident_date"]
        assert form.query_one("#f-incident_date", Input).has_class("-invalid")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "YYYY-MM-DD" in form.field_errors()["incident_date"]
        assert app.screen is form
        # a date after today: only the service knows; its ValidationError lands on the same field
        await pilot.click("#f-incident_date")
        await pilot.press("ctrl+a", "ctrl+k", *"2026-12-01")
        form.query_one("#f-summary", Input).value = "Late pay"
        form.query_one("#f-is_class").value = True  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        errors = form.field_errors()
        assert list(errors) == ["incident_date"] and "cannot be after today" in errors["incident_date"]
        assert app.focused is form.query_one("#f-incident_date")
        # no grievant and not a class grievance: said at the grievants list
        form.query_one("#f-is_class").value = False  # type: ignore[attr-defined]
        await pilot.press("ctrl+a", "ctrl+k", *"2026-11-02", "ctrl+s")
        await settle(app, pilot)
        assert "at least one grievant" in form.field_errors()["grievants"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        assert not [n for n in notices(app) if "filed" in n]
    after = read_rows(demo_db, statuses=["open", "in_arbitration", "settled", "withdrawn", "won", "lost"])
    assert after == before  # nothing was written


async def test_case_actions_move_the_case_between_overdue_due_soon_and_ok(demo_db: Path) -> None:
    overdue = [row for row in read_rows(demo_db) if row.overdue]
    assert overdue
    case = overdue[0]
    key = str(case.id)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        assert colour(app, key) == "red" and "overdue" in cell_text(app, key, "days_left")
        table(app).move_cursor(keys(app).index(key))
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GrievanceCaseScreen) and screen.detail is not None
        assert case.number in str(screen.query_one("#case-title", Static).render())
        assert len(screen.query_one("#case-timeline", DataTable).rows) == len(screen.detail.events)

        # extend to two working days from now: due soon (amber)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"2026-11-12", "tab", *"HR dir", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.detail.next_deadline is not None and screen.detail.next_deadline.due == date(
            2026, 11, 12
        )
        assert screen.detail.events[-1].kind == "extension"
        assert screen.detail.events[-1].agreed_by == "HR dir"
        assert screen.detail.events[-1].recorded_by == OPERATOR
        assert f"{case.number}: deadline extended" in notices(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert colour(app, key) == "amber" and cell_text(app, key, "days_left") == "2 days"

        # extend again, a month out: no colour
        await pilot.press("o")  # "o" opens the case under the cursor, as Enter does
        await settle(app, pilot)
        assert isinstance(app.screen, GrievanceCaseScreen)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"2026-12-10", "tab", *"HR", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert colour(app, key) == "" and cell_text(app, key, "days_left") == "30 days"


async def test_record_an_answer_then_advance(demo_db: Path) -> None:
    rows = [
        r for r in read_rows(demo_db) if r.status == "open" and "employer" in r.next_deadline_label.lower()
    ]
    assert rows, "the demo has cases awaiting an employer's answer"
    case = rows[0]
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        app.query_one("#grievances-panel").open_case(case.id)  # type: ignore[attr-defined]
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GrievanceCaseScreen) and screen.detail is not None
        step, next_step = screen.detail.step, screen.detail.next_step
        assert next_step
        # an answer before the case reached this step is refused at the "on" field
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"2000-01-03", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and "on" in form.field_errors()
        await pilot.press("ctrl+a", "ctrl+k", *TODAY.isoformat(), "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        answer = screen.detail.events[-1]
        assert answer.kind == "answer" and answer.outcome == "denied" and answer.occurred_on == TODAY
        assert screen.detail.next_deadline is not None and screen.detail.next_deadline.party == "union"

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")  # appealed today
        await settle(app, pilot)
        assert screen.detail.step == next_step != step
        assert screen.detail.events[-1].kind == "advanced"
        assert f"{case.number}: advanced to {next_step}" in notices(app)
        await pilot.press("escape")
        await settle(app, pilot)
        row = keys(app).index(str(case.id))
        assert column(app, "step")[row].startswith(next_step)


async def test_information_requests_and_closing(demo_db: Path) -> None:
    case = read_rows(demo_db)[-1]
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        app.query_one("#grievances-panel").open_case(case.id)  # type: ignore[attr-defined]
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GrievanceCaseScreen) and screen.detail is not None
        n_requests = len(screen.detail.info_requests)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"OT rec", "tab", "ctrl+a", "ctrl+k", *"2026-11-02")
        await pilot.press("tab", *"2026-11-09", "ctrl+s")
        await settle(app, pilot)
        assert len(screen.detail.info_requests) == n_requests + 1
        new = [r for r in screen.detail.info_requests if r.description == "OT rec"]
        assert new and new[0].overdue  # due yesterday, not received
        assert "OVERDUE" in [
            screen.query_one("#case-info", DataTable).get_cell(str(r.id), "state").plain for r in new
        ]
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-request_id", Select).value = new[0].id
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        received = next(r for r in screen.detail.info_requests if r.id == new[0].id)
        assert received.received_on == TODAY and not received.overdue

        await pilot.press("s")  # settle
        await pilot.pause()
        await pilot.press("tab", "tab", *"Paid", "ctrl+s")
        await settle(app, pilot)
        assert screen.detail.status == "settled"
        assert screen.detail.events[-1].outcome == "Paid"
        assert not screen.check_action("advance", ())  # a closed case offers no actions
        await pilot.press("escape")
        await settle(app, pilot)
        assert str(case.id) not in keys(app)  # no longer open
        app.query_one("#grievance-status", Select).value = "settled"
        await settle(app, pilot)
        await scroll_through(app, pilot)
        assert str(case.id) in keys(app)


async def test_filters_and_search_narrow_the_list(demo_db: Path) -> None:
    open_rows = read_rows(demo_db)
    all_rows = read_rows(demo_db, statuses=["open", "in_arbitration", "settled", "withdrawn", "won", "lost"])
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        assert column(app, "number") == [r.number for r in open_rows]

        # the due-this-week list at the top, same cases as the service
        store = open_store(str(demo_db))
        try:
            with store.read() as s:
                due = due_this_week(s, TODAY)
        finally:
            store.close()
        due_list = app.query_one("#grievances-due", OptionList)
        assert due and [due_list.get_option_at_index(i).id for i in range(due_list.option_count)] == [
            str(r.id) for r in due
        ]
        await pilot.press("d", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GrievanceCaseScreen) and app.screen.grievance_id == due[0].id
        await pilot.press("escape")
        await pilot.pause()

        # search by number
        number = open_rows[3].number
        await pilot.press("slash", *number)
        await wait_for(pilot, lambda: column(app, "number") == [number], "search by number")
        assert "1 open grievance matching" in status(app)
        # by grievant name
        grievant = next(r for r in open_rows if r.grievants).grievants[0]
        await pilot.press("ctrl+a", "ctrl+k", *grievant)
        expected = [
            r.number for r in open_rows if any(grievant.casefold() in g.casefold() for g in r.grievants)
        ]
        await wait_for(
            pilot, lambda: column(app, "number")[: len(expected)] == expected, "search by grievant"
        )
        await pilot.press("ctrl+a", "ctrl+k", "enter")
        await settle(app, pilot)
        assert table(app).has_focus and len(column(app, "number")) == len(open_rows)

        # status: closed ones too
        app.query_one("#grievance-status", Select).value = "all"
        await settle(app, pilot)
        await scroll_through(app, pilot)
        assert len(column(app, "number")) == len(all_rows) > len(open_rows)
        # steward
        steward = next(r.steward for r in open_rows if r.steward)
        app.query_one("#grievance-status", Select).value = "active"
        app.query_one("#grievance-steward", Select).value = steward
        await settle(app, pilot)
        assert set(column(app, "steward")) == {steward}
        assert len(column(app, "number")) == sum(r.steward == steward for r in open_rows)
        # and step
        app.query_one("#grievance-steward", Select).clear()
        app.query_one("#grievance-step", Select).value = "Step 2"
        await settle(app, pilot)
        assert column(app, "number") == [r.number for r in open_rows if r.step == "Step 2"]
        # employer (choices come from the cases seen)
        employer = open_rows[0].employer
        app.query_one("#grievance-step", Select).clear()
        app.query_one("#grievance-employer", Select).value = employer
        await settle(app, pilot)
        assert column(app, "number") == [r.number for r in open_rows if r.employer == employer]


async def test_keys_are_in_the_footer_help_and_palette(demo_db: Path) -> None:
    from textual.widgets._footer import FooterKey

    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        keys = {k.description: k.key for k in app.screen.query(FooterKey)}
        assert keys["File grievance"] == "n" and keys["Open case"] == "o" and keys["Filters"] == "f"
        titles = [c.title for c in app.palette_commands()]
        assert {
            "File a grievance",
            "Search grievances",
            "Filter grievances",
            "Grievances due this week",
        } <= set(titles)
        help_text = "\n".join(f"{k} {d}" for _, rows in app.help_sections() for k, d in rows)
        for expected in ("File grievance", "Advance", "Extend", "Ask info", "Save"):
            assert expected in help_text
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GrievanceCaseScreen)
        keys = {k.description: k.key for k in screen.query(FooterKey)}
        assert {"Advance", "Answer", "Meeting", "Extend", "Settle", "Withdraw", "Ask info"} <= set(keys)
        assert any(c.title == "Case: extend the deadline" for c in screen.palette_commands())


async def test_edit_the_case_prefilled_errors_at_the_field_then_saved(demo_db: Path) -> None:
    from strikeboard.tui.forms.edit_grievance import EditGrievanceForm

    case = read_rows(demo_db)[0]
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        app.query_one("#grievances-panel").open_case(case.id)  # type: ignore[attr-defined]
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GrievanceCaseScreen) and screen.detail is not None
        detail, n_events = screen.detail, len(screen.detail.events)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, EditGrievanceForm), "the edit form never opened")
        form = app.screen
        assert isinstance(form, EditGrievanceForm)
        assert form.query_one("#f-incident_date", Input).value == detail.incident_date.isoformat()
        assert form.query_one("#f-summary", Input).value == detail.summary
        assert form.query_one("#f-steward", Select).value == detail.steward_id
        assert set(form.picked) == {member_id for member_id, _ in detail.grievants}
        # the union cannot have learned of it before the incident: said at that field, nothing written
        form.query_one("#f-learned_date", Input).value = "2000-01-03"
        form.query_one("#f-summary", Input).value = "[b]Corrected[/b] summary"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and list(form.field_errors()) == ["learned_date"]
        assert app.focused is form.query_one("#f-learned_date")
        store = open_store(str(demo_db))
        try:
            with store.read() as s:
                assert get_grievance(s, case.id, TODAY) == detail  # nothing written
        finally:
            store.close()
        learned = detail.learned_date.isoformat() if detail.learned_date else ""
        await pilot.press("ctrl+a", "ctrl+k", *learned, "ctrl+s")  # the learned date as it was
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.detail.summary == "[b]Corrected[/b] summary"  # literal
        edited = screen.detail.events[-1]
        assert len(screen.detail.events) == n_events + 1
        assert (edited.kind, edited.recorded_by) == ("edited", OPERATOR)
        assert edited.notes.startswith("Summary: ") and "→ “[b]Corrected[/b] summary”" in edited.notes
        assert f"{case.number}: case details updated (1 change)" in notices(app)
        assert "Corrected" in str(screen.query_one("#case-fields", Static).render())


async def test_a_date_after_today_is_refused_at_the_field(demo_db: Path) -> None:
    case = read_rows(demo_db)[0]
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        app.query_one("#grievances-panel").open_case(case.id)  # type: ignore[attr-defined]
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, GrievanceCaseScreen) and screen.detail is not None
        detail = screen.detail
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"2026-11-11", "tab", *"minutes.pdf", "tab")
        await pilot.press(*"Two", "enter", *"lines")  # notes: several lines
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        errors = form.field_errors()
        assert app.screen is form and list(errors) == ["on"] and "after today (2026-11-10)" in errors["on"]
        assert app.focused is form.query_one("#f-on")
        await pilot.press("ctrl+a", "ctrl+k", *TODAY.isoformat(), "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen and len(screen.detail.events) == len(detail.events) + 1
        meeting = screen.detail.events[-1]
        assert (meeting.kind, meeting.document, meeting.notes) == ("meeting", "minutes.pdf", "Two\nlines")
