"""The Roster tab driven as a user would: search, scroll, sort, filter, open, edit, add,
deactivate, import and export (the demo strike, 300 members, in a real SQLite file)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from strikeboard import demo
from strikeboard.services.roster import RosterFilter, count_members, member_form, member_page
from strikeboard.store.db import open_store
from strikeboard.tui.app import StrikeboardApp
from strikeboard.tui.forms.base import FormScreen
from strikeboard.tui.forms.member import ConfirmScreen, MemberFormScreen
from strikeboard.tui.forms.member_export import ExportDialog
from strikeboard.tui.forms.member_import import ImportWizard
from strikeboard.tui.forms.roster_filters import RosterFilterForm
from strikeboard.tui.panels.roster import RosterPanel, pay_text
from strikeboard.tui.screens.member import MemberScreen
from strikeboard.tui.widgets.virtual_table import PAGE, VirtualRow, VirtualTable

SIZE = (120, 35)
MEMBERS = 300
ZONE = ZoneInfo(demo.TIME_ZONE)
TODAY = date(2026, 11, 10)
NOW = datetime.combine(TODAY, demo.DEMO_NOW, tzinfo=ZONE)
OPERATOR = "tester"


def make_app(path: Path) -> StrikeboardApp:
    app = StrikeboardApp(str(path), now=lambda: NOW, operator=OPERATOR)
    app.animation_level = "none"
    return app


def read(path: Path, function: Callable[..., object], *args: object, **kwargs: object) -> object:
    store = open_store(str(path))
    try:
        with store.read() as session:
            return function(session, *args, **kwargs)
    finally:
        store.close()


def service_rows(path: Path, flt: RosterFilter, offset: int = 0, limit: int = 1000) -> list:
    monday = TODAY - timedelta(days=TODAY.weekday())
    return read(path, member_page, flt, offset, limit, week_start=monday, zone=ZONE)  # type: ignore[return-value]


async def settle(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    deadline = time.monotonic() + 10
    while app.gateway is None:
        assert time.monotonic() < deadline, "the store never opened"
        await pilot.pause(0.01)
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(pilot: Pilot[None], condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, what
        await pilot.pause(0.05)


def panel(app: StrikeboardApp) -> RosterPanel:
    found = app.panel("roster")
    assert isinstance(found, RosterPanel)
    return found


def table(app: StrikeboardApp) -> VirtualTable:
    return app.query_one("#roster-table", VirtualTable)


def status(app: StrikeboardApp) -> str:
    return str(app.query_one("#roster-panel .status", Static).render())


def loaded_rows(app: StrikeboardApp) -> list[VirtualRow]:
    t = table(app)
    rows = [t.row_at(i) for i in range(min(t.total, PAGE))]
    assert None not in rows
    return [r for r in rows if r is not None]


def names(app: StrikeboardApp) -> list[str]:
    return [row.cells["name"].plain for row in loaded_rows(app)]


async def open_tab(app: StrikeboardApp, pilot: Pilot[None]) -> None:
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)


async def searched(app: StrikeboardApp, pilot: Pilot[None], query: str) -> None:
    await wait_for(pilot, lambda: f"“{query}”" in status(app), f"no results for {query!r}: {status(app)!r}")
    await settle(app, pilot)


def notices(app: StrikeboardApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def set_field(form: object, name: str, value: str) -> None:
    assert isinstance(form, FormScreen)
    form.query_one(f"#f-{name}", Input).value = value


def field_errors(form: object) -> dict[str, str]:
    assert isinstance(form, FormScreen)
    return form.field_errors()


async def test_search_scroll_sort_and_filter(demo_db: Path) -> None:
    everyone = read(demo_db, count_members, RosterFilter())
    assert everyone == MEMBERS
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        t = table(app)
        assert t.total == MEMBERS and t.has_focus  # every member, no cap
        assert status(app).startswith(f"{MEMBERS} members · sorted by name ▲")
        assert names(app)[:50] == [r.name for r in service_rows(demo_db, RosterFilter(), 0, 50)]

        # the last member is reachable by scrolling (its page is fetched as it comes into view)
        await pilot.press("end")
        await wait_for(pilot, lambda: t.row_at(MEMBERS - 1) is not None, "the last page never loaded")
        last = service_rows(demo_db, RosterFilter(), MEMBERS - 1, 1)[0]
        assert t.cursor == MEMBERS - 1 and t.cursor_key == str(last.id)
        await pilot.press("home")

        # search as you type: accent-insensitive, narrowed in SQL
        await pilot.press("slash", "z", "o", "e")
        await searched(app, pilot, "zoe")
        expected = [r.name for r in service_rows(demo_db, RosterFilter(query="zoe"))]
        assert expected and names(app) == expected and t.total == len(expected) < MEMBERS
        assert any("Zoë" in name for name in names(app))
        assert f"{len(expected)} members matching “zoe” (of {MEMBERS})" in status(app) or len(expected) == 1
        await pilot.press("ctrl+a", "ctrl+k")  # clear it
        await wait_for(pilot, lambda: t.total == MEMBERS, "the search was not cleared")
        await pilot.press("escape")
        assert t.has_focus

        # sort: s moves to the next column (member number), S reverses; the header shows it
        await pilot.press("s")
        await settle(app, pilot)
        numbers = [row.cells["member_number"].plain for row in loaded_rows(app)]
        by_number = service_rows(demo_db, RosterFilter(sort="member_number"))
        assert numbers == [r.member_number for r in by_number][:PAGE]
        assert "sorted by member number ▲" in status(app)
        assert t.sort_key == "member_number" and not t.sort_descending
        await pilot.press("S")
        await settle(app, pilot)
        flt = RosterFilter(sort="member_number", descending=True)
        assert [row.key for row in loaded_rows(app)] == [str(r.id) for r in service_rows(demo_db, flt)][:PAGE]
        assert "sorted by member number ▼" in status(app)
        # a click on a column's header sorts by it
        panel(app).sort_by("unit")
        await settle(app, pilot)
        assert [row.key for row in loaded_rows(app)] == [
            str(r.id) for r in service_rows(demo_db, RosterFilter(sort="unit"))
        ][:PAGE]

        # filters: role steward (f opens the filter form: member, captain, steward, ...)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterFilterForm), "no filter form")
        await pilot.press("down", "down", "space", "ctrl+s")
        await settle(app, pilot)
        stewards = service_rows(demo_db, RosterFilter(roles=("steward",), sort="unit"))
        assert stewards and t.total == len(stewards)
        assert {row.cells["role"].plain for row in loaded_rows(app)} == {"steward"}
        assert "role steward" in status(app)


async def test_open_edit_and_field_error(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        t = table(app)
        t.move_cursor(5)
        await settle(app, pilot)
        member_id = uuid.UUID(t.cursor_key or "")
        before = read(demo_db, member_form, member_id)

        # Enter opens the member view
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MemberScreen), "no member view")
        await settle(app, pilot)
        view = app.screen
        assert isinstance(view, MemberScreen)
        shown = view.shown_text()
        for heading in ("Contact", "Roles and skills", "Accommodations", "Availability", "Upcoming shifts"):
            assert heading in shown
        assert "Sign-in history" in shown and "Grievances" in shown
        assert before.member_number in shown  # type: ignore[attr-defined]

        # e edits: a bad email is shown under the field and nothing is written
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, MemberFormScreen), "no edit form")
        form = app.screen
        assert isinstance(form, MemberFormScreen)
        assert form.query_one("#f-member_number", Input).value == before.member_number  # type: ignore[attr-defined]
        set_field(form, "email", "not an email")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and "email" in field_errors(form)
        assert read(demo_db, member_form, member_id) == before

        # a required field left empty: said at the field, nothing written
        set_field(form, "email", "")
        set_field(form, "first_name", "")
        set_field(form, "last_name", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "first_name" in field_errors(form)

        # a good edit is saved, shown in the list and in the view; the cursor stays on the member
        set_field(form, "first_name", "Renamed")
        set_field(form, "last_name", "[b]Aardvark[/b]")
        set_field(form, "preferred_name", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is view, (app.screen_stack, notices(app))
        after = read(demo_db, member_form, member_id)
        assert after.last_name == "[b]Aardvark[/b]" and after.first_name == "Renamed"  # type: ignore[attr-defined]
        assert "[b]Aardvark[/b]" in view.shown_text()  # literally
        await pilot.press("escape")
        await settle(app, pilot)
        assert t.cursor_key == str(member_id)  # sorted to a new place, the cursor followed
        row = t.row_at(t.cursor)
        assert row is not None and row.cells["name"].plain == "[b]Aardvark[/b], Renamed"


async def test_add_with_a_duplicate_warning_and_deactivate(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        t = table(app)
        existing = service_rows(demo_db, RosterFilter(), 3, 1)[0]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, MemberFormScreen), "no add form")
        form = app.screen
        assert isinstance(form, MemberFormScreen)
        set_field(form, "first_name", "Newcomer")
        set_field(form, "last_name", "Zzyzx")
        set_field(form, "member_number", "T-0001")
        set_field(form, "email", existing.email)  # the same email as a member on the roster
        set_field(form, "phone", "(323) 555-0199")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "no duplicate warning")
        assert read(demo_db, count_members, RosterFilter()) == MEMBERS  # nothing written yet
        await pilot.press("escape")  # go back to the form
        await pilot.pause()
        assert app.screen is form
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "no duplicate warning")
        await pilot.press("y")  # save anyway
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert read(demo_db, count_members, RosterFilter()) == MEMBERS + 1
        assert any(n.endswith(": added") for n in notices(app))
        assert t.total == MEMBERS + 1
        assert t.cursor_key == str(form.saved_id)  # the cursor is on the new member

        # x deactivates (after asking); nothing is deleted
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "no confirmation")
        await pilot.press("y")
        await settle(app, pilot)
        assert read(demo_db, member_form, form.saved_id).status == "inactive"
        assert read(demo_db, count_members, RosterFilter()) == MEMBERS + 1


async def test_import_wizard_and_export(demo_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "new members.csv"
    source.write_text(
        "First Name,Last Name,Employee ID,Email,Phone\n"
        "Ana,Import,IMP-1,ana.import@example.org,323-555-9901\n"
        "Bé,Import,IMP-2,be.import@example.org,323-555-9902\n"
        ",,IMP-3,broken,\n",
        encoding="utf-8",
    )
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportWizard), "no import wizard")
        wizard = app.screen
        assert isinstance(wizard, ImportWizard)
        set_field(wizard, "path", str(tmp_path / "missing.csv"))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "path" in field_errors(wizard)
        set_field(wizard, "path", str(source))
        await pilot.press("ctrl+s")  # preview: nothing written
        await settle(app, pilot)
        preview = wizard.preview_shown()
        assert "2 new" in preview and "1 rejected" in preview and "line 4" in preview
        assert read(demo_db, count_members, RosterFilter()) == MEMBERS
        await pilot.press("ctrl+s")  # apply
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportWizard)
        assert read(demo_db, count_members, RosterFilter()) == MEMBERS + 2
        assert read(demo_db, count_members, RosterFilter(query="IMP-")) == 2
        assert (tmp_path / "new members.rejected.csv").exists()  # line 4, to fix and import again
        assert table(app).total == MEMBERS + 2

        # export what the search shows
        await pilot.press("slash", *"import")
        await searched(app, pilot, "import")
        await pilot.press("escape", "X")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), "no export dialog")
        dialog = app.screen
        assert "personal data" in str(dialog.query_one("#export-notice", Static).render())
        out = tmp_path / "out.csv"
        set_field(dialog, "path", str(out))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        text = out.read_text(encoding="utf-8")
        assert "ana.import@example.org" in text and "be.import@example.org" in text
        assert len([line for line in text.splitlines() if line.strip()]) == 3  # header + 2
        assert (out.stat().st_mode & 0o777) == 0o600


async def test_small_terminal_keys_help_and_palette(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tab(app, pilot)
        t = table(app)
        assert t.region.height >= 10 and t.region.right <= 80
        from textual.widgets._footer import FooterKey

        footer = {key.description for key in app.screen.query(FooterKey)}
        assert {"Search", "Filter", "Sort", "Add", "Edit"} <= footer
        titles = [command.title for command in app.palette_commands()]
        for title in ("Add a member", "Edit member", "Import members from CSV", "Export members to CSV"):
            assert title in titles
        text = "\n".join(f"{k} {d}" for _, rows in app.help_sections() for k, d in rows)
        for key in ("a Add", "e Edit", "x Deactivate", "i Import", "X  ctrl+e Export", "s Sort"):
            assert key in text


async def test_filter_form_several_values_and_strike_pay(demo_db: Path) -> None:
    """f opens the filter form: several roles and a status at once, then strike pay; Esc keeps them."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        t = table(app)
        # the Pay wk column shows each member's standing this week, as the service judges it
        expected_rows = service_rows(demo_db, RosterFilter(pay_week=TODAY), 0, PAGE)
        assert [row.cells["pay"].plain for row in loaded_rows(app)] == [
            pay_text(r.pay, r.short_by) for r in expected_rows
        ]
        assert {r.pay for r in service_rows(demo_db, RosterFilter())} >= {"short", "not_eligible"}  # Tuesday

        # roles captain and steward (Space ticks), Tab to the statuses, active; ctrl+s applies
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterFilterForm), "no filter form")
        await pilot.press("down", "space", "down", "space", "tab", "space", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, RosterFilterForm)
        flt = RosterFilter(roles=("captain", "steward"), statuses=("active",))
        both = service_rows(demo_db, flt)
        assert both and t.total == len(both) == read(demo_db, count_members, flt)
        assert {row.cells["role"].plain for row in loaded_rows(app)} == {"captain", "steward"}
        assert {row.cells["status"].plain for row in loaded_rows(app)} == {"active"}
        assert "role captain or steward · status active" in status(app)
        assert f"(of {MEMBERS})" in status(app)

        # Esc leaves the filters as they were
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterFilterForm), "no filter form")
        form = app.screen
        assert form.query_one("#f-roles", SelectionList).selected == ["captain", "steward"]
        await pilot.press("space", "escape")
        await settle(app, pilot)
        assert t.total == len(both) and "role captain or steward" in status(app)

        # ctrl+r clears every tick; then strike pay: short of hours this week (the third list)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterFilterForm), "no filter form")
        await pilot.press("ctrl+r", "tab", "tab", "down", "space", "ctrl+s")
        await settle(app, pilot)
        short = service_rows(demo_db, RosterFilter(eligibility=("short",), pay_week=TODAY))
        assert short and t.total == len(short) < MEMBERS
        assert [row.key for row in loaded_rows(app)] == [str(r.id) for r in short][:PAGE]
        assert all(row.cells["pay"].plain.startswith("short ") for row in loaded_rows(app))
        assert "pay short of hours" in status(app)

        # the export takes the same filter: only the short members are written
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), "no export dialog")
        dialog = app.screen
        assert "pay short of hours" in str(dialog.query_one("#export-what", Static).render())
        out = demo_db.parent / "short.csv"
        set_field(dialog, "path", str(out))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
        numbers = {line.split(",")[0].strip('"') for line in out.read_text().splitlines()[1:]}
        assert numbers == {r.member_number for r in short}


async def test_export_column_chooser(demo_db: Path, tmp_path: Path) -> None:
    """The export form lists every column ticked; ctrl+t flips them all, Space ticks one."""
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot)
        await pilot.press("slash", *"zoe")
        await searched(app, pilot, "zoe")
        await pilot.press("escape", "X")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), "no export dialog")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        columns = dialog.query_one("#f-columns", SelectionList)
        assert columns.selected == list(dialog.columns) and "member_number" in dialog.columns
        out = tmp_path / "two.csv"
        set_field(dialog, "path", str(out))
        await pilot.press("tab", "ctrl+t")  # to the column list; untick them all
        assert columns.has_focus and columns.selected == []
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog and "columns" in field_errors(dialog) and not out.exists()
        await pilot.press("space", "down", "space", "ctrl+s")  # member_number, first_name
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog), field_errors(dialog)
        lines = out.read_text(encoding="utf-8").splitlines()
        zoe = service_rows(demo_db, RosterFilter(query="zoe"))
        assert lines[0] == '"member_number","first_name"' and len(lines) == 1 + len(zoe)
        assert {line.split(",")[0].strip('"') for line in lines[1:]} == {r.member_number for r in zoe}


def test_a_search_overtaken_by_the_next_key_stops_its_query(demo_db: Path) -> None:
    """The panel's load passes its worker's "cancelled": once true, the SQLite read stops."""
    from sqlalchemy.exc import OperationalError

    from strikeboard.tui.data import Gateway

    monday = TODAY - timedelta(days=TODAY.weekday())
    flt = RosterFilter(query="e", sort="hours_week")
    gateway = Gateway.open(str(demo_db))
    try:
        asked: list[bool] = []
        with pytest.raises(OperationalError, match="interrupted"):
            gateway.roster_first_page(
                flt, PAGE, week_start=monday, cursor=None, cancelled=lambda: asked.append(True) or True
            )
        assert asked  # the handler was asked, and stopped the read at once
        # the connection is fine afterwards, and a read that is not cancelled is not stopped
        total, everyone, rows, _, _ = gateway.roster_first_page(
            flt, PAGE, week_start=monday, cursor=None, cancelled=lambda: False
        )
        expected = service_rows(demo_db, flt)
        assert (total, everyone) == (len(expected), MEMBERS)
        assert [row.id for row in rows] == [r.id for r in expected][:PAGE]
        assert gateway.member_page(flt, 0, 5, week_start=monday) == rows[:5]
    finally:
        gateway.close()
