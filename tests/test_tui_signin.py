"""The Sign-in tab driven as a captain would, keys only: pick a gate, type, Enter, quick-add,
sign out, undo, close the shift, mark no-shows (the demo strike, 300 members, a real SQLite file)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import col
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits, Input, Static

from strikeboard import demo
from strikeboard.services.shift_people import ShiftPeople, shift_people
from strikeboard.services.shifts import today_board
from strikeboard.services.signin import sign_in
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import Assignment, CheckIn, CheckInKind, Member, MemberStatus
from strikeboard.store.transfer import copy_database
from strikeboard.tui.app import StrikeboardApp
from strikeboard.tui.forms.member import ConfirmScreen
from strikeboard.tui.forms.quick_add import QuickAddForm
from strikeboard.tui.panels.signin import AUTO_REFRESH_SECONDS, SignInPanel

SIZE = (110, 35)
MEMBERS = 300
ZONE = ZoneInfo(demo.TIME_ZONE)
TODAY = date(2026, 11, 10)
NOW = datetime.combine(TODAY, demo.DEMO_NOW, tzinfo=ZONE)
OPERATOR = "captain-tester"


class Clock:
    """A clock the test can move (the shift ends while the app runs)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_app(path: Path, clock: Callable[[], datetime]) -> StrikeboardApp:
    app = StrikeboardApp(str(path), now=clock, operator=OPERATOR)
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


def panel(app: StrikeboardApp) -> SignInPanel:
    found = app.panel("signin")
    assert isinstance(found, SignInPanel)
    return found


def read(path: Path, fn: Callable[..., object]) -> object:
    store = open_store(str(path))
    try:
        with store.read() as session:
            return fn(session)
    finally:
        store.close()


def busy_shift(path: Path) -> ShiftPeople:
    """A shift running at NOW with people on the line, and three more people assigned (not in yet)."""

    def pick(session: object) -> ShiftPeople:
        running = [s for s in today_board(session, TODAY, ZONE, NOW) if s.running(NOW)]  # type: ignore[arg-type]
        shift = max(running, key=lambda s: (s.signed_in_now, str(s.id)))
        return shift_people(session, shift.id, NOW, ZONE)  # type: ignore[arg-type]

    people = read(path, pick)
    assert isinstance(people, ShiftPeople)
    store = open_store(str(path))
    try:
        with store.write("organizer") as session:
            for member in strangers(path, people)[:3]:
                session.add(Assignment(shift_id=people.shift_id, member_id=member.id))
        with store.read() as session:
            people = shift_people(session, people.shift_id, NOW, ZONE)
    finally:
        store.close()
    assert sum(p.state == "expected" for p in people.people) >= 3
    assert any(p.state == "in" for p in people.people)
    return people


def strangers(path: Path, people: ShiftPeople) -> list[Member]:
    """Active members not on the shift's list and not signed in anywhere today."""

    def pick(session: object) -> list[Member]:
        busy = set(session.scalars(select(col(CheckIn.member_id))))  # type: ignore[attr-defined]
        on_list = {p.member_id for p in people.people}
        members = session.scalars(  # type: ignore[attr-defined]
            select(Member)
            .where(col(Member.status) == MemberStatus.ACTIVE)
            .order_by(col(Member.member_number))
        )
        return [m for m in members if m.id not in busy and m.id not in on_list][:8]

    found = read(path, pick)
    assert isinstance(found, list) and found
    return found


def live(path: Path, shift_id: uuid.UUID, member_id: uuid.UUID) -> list[CheckIn]:
    """The member's rows on the shift (every kind), oldest first."""

    def rows(session: object) -> list[CheckIn]:
        return list(
            session.scalars(  # type: ignore[attr-defined]
                select(CheckIn)
                .where(col(CheckIn.shift_id) == shift_id, col(CheckIn.member_id) == member_id)
                .order_by(col(CheckIn.created_at))
            )
        )

    found = read(path, rows)
    assert isinstance(found, list)
    return found


def checkin_count(path: Path) -> int:
    return int(read(path, lambda s: s.scalar(select(func.count()).select_from(CheckIn))))  # type: ignore[arg-type]


def row_state(app: StrikeboardApp, member_id: uuid.UUID) -> dict[str, str]:
    """The plain text of the member's row in the desk's list."""
    table = panel(app).people_table
    rows = [table.row_at(i) for i in range(table.total)]
    row = next(r for r in rows if r is not None and r.key == str(member_id))
    return {key: text.plain for key, text in row.cells.items()}


async def open_gate(app: StrikeboardApp, pilot: Pilot[None], shift_id: uuid.UUID) -> None:
    """On today's board, arrow down to the shift's row and press Enter."""
    await settle(app, pilot)
    board = app.query_one("#signin-table", DataTable)
    assert board.has_focus
    target = board.get_row_index(str(shift_id))
    while board.cursor_row < target:
        await pilot.press("down")
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.focused, Input) and app.focused.id == "signin-box"


async def type_and_enter(app: StrikeboardApp, pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_a_name_then_enter_signs_in_and_the_database_has_it(demo_db: Path) -> None:
    people = busy_shift(demo_db)
    expected = [p for p in people.people if p.state == "expected"]
    target = expected[0]
    app = make_app(demo_db, Clock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        assert desk.desk is not None and desk.desk.people is not None
        assert desk.desk.people.shift_id == people.shift_id  # the clock's shift
        assert row_state(app, target.member_id)["state"] == "· expected"
        before = checkin_count(demo_db)
        await pilot.press(*target.name)
        await pilot.pause()
        matches = desk._matches
        assert matches is not None and matches.candidates[0].member_id == target.member_id  # expected first
        shown = str(app.query_one("#signin-matches", Static).render())
        assert target.name in shown and "expected" in shown  # on screen as typed
        if desk._chosen is None:  # several people share the name: choose with ↓
            await pilot.press("enter")  # Enter alone does not guess
            await settle(app, pilot)
            assert "↑↓ to choose" in desk.message and checkin_count(demo_db) == before
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert row_state(app, target.member_id)["state"] == "✓ in"
        assert row_state(app, target.member_id)["in"] == "11:00"
        assert desk.message.startswith(f"✓ {target.name} signed in at 11:00")
        assert desk.box.value == ""  # ready for the next person
        rows = live(demo_db, people.shift_id, target.member_id)
        assert [(r.kind, r.walk_in, r.recorded_by) for r in rows] == [(CheckInKind.SIGN_IN, False, OPERATOR)]
        assert desk.desk.people.in_now == people.in_now + 1
        assert app.query_one("#signin-count", Digits).value == str(people.in_now + 1)  # shown large


async def test_barcode_digits_walk_in_and_already_in(demo_db: Path) -> None:
    people = busy_shift(demo_db)
    target = next(p for p in people.people if p.state == "expected")
    stranger = strangers(demo_db, people)[0]  # not on the list (the first three are now assigned)
    app = make_app(demo_db, Clock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        # a barcode reader types the member number's digits and Enter
        await type_and_enter(app, pilot, target.member_number.lstrip("W"))
        assert row_state(app, target.member_id)["state"] == "✓ in"
        assert len(live(demo_db, people.shift_id, target.member_id)) == 1

        # someone not assigned is a walk-in, and the screen says so
        await type_and_enter(app, pilot, stranger.member_number)
        assert "walk-in" in desk.message
        assert row_state(app, stranger.id)["role"] == "walk-in"
        assert [r.walk_in for r in live(demo_db, people.shift_id, stranger.id)] == [True]

        # the same person again: the service's sentence, nothing written
        before = checkin_count(demo_db)
        await type_and_enter(app, pilot, stranger.member_number)
        assert desk.message.startswith("✗ Not done:") and "already signed in" in desk.message
        assert checkin_count(demo_db) == before
        assert app.is_running


async def test_quick_add_creates_a_flagged_member_and_signs_them_in(demo_db: Path) -> None:
    people = busy_shift(demo_db)
    app = make_app(demo_db, Clock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        await type_and_enter(app, pilot, "Newt Quickley")  # nobody matches: the form opens, prefilled
        form = app.screen
        assert isinstance(form, QuickAddForm)
        assert (form.text("first_name"), form.text("last_name")) == ("Newt", "Quickley")
        assert isinstance(app.focused, Input) and app.focused.id == "f-phone"
        before = checkin_count(demo_db)
        await pilot.press(*"12", "ctrl+s")  # not a phone number: said under the field, nothing written
        await settle(app, pilot)
        assert app.screen is form and "not a valid phone number" in form.field_errors()["phone"]
        assert checkin_count(demo_db) == before
        await pilot.press("ctrl+a", "ctrl+k", *"323 555 0177", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, QuickAddForm)

        def newt(session: object) -> Member:
            return session.scalars(select(Member).where(col(Member.first_name) == "Newt")).one()  # type: ignore[attr-defined]

        member = read(demo_db, newt)
        assert isinstance(member, Member)
        assert (member.status, member.phone) == ("incomplete", "+13235550177")
        assert [r.walk_in for r in live(demo_db, people.shift_id, member.id)] == [True]
        assert row_state(app, member.id)["flag"] == "incomplete record"
        assert "Newt Quickley added" in desk.message
        # and the type-ahead finds the new member at once
        await pilot.press(*"newt")
        await pilot.pause()
        assert desk._matches is not None and desk._matches.candidates[0].member_id == member.id


async def test_sign_out_then_undo_a_mistaken_sign_in(demo_db: Path) -> None:
    people = busy_shift(demo_db)
    first, second = [p for p in people.people if p.state == "expected"][:2]
    clock = Clock(NOW)
    app = make_app(demo_db, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        await type_and_enter(app, pilot, first.member_number)
        clock.now = NOW + timedelta(hours=1, minutes=30)
        await pilot.press("ctrl+o")  # the cursor is on the person just signed in
        await settle(app, pilot)
        assert desk.message == f"{first.name} signed out at 12:30: 1.50 h credited."
        assert row_state(app, first.member_id)["state"] == "out"
        kinds = [(r.kind, r.out_at) for r in live(demo_db, people.shift_id, first.member_id)]
        assert kinds == [(CheckInKind.SIGN_IN, None), (CheckInKind.CORRECTION, clock.now)]

        await type_and_enter(app, pilot, second.member_number)
        assert row_state(app, second.member_id)["state"] == "✓ in"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert row_state(app, second.member_id)["state"] == "· expected"
        assert "sign-in undone" in desk.message and OPERATOR in desk.message
        rows = live(demo_db, people.shift_id, second.member_id)
        assert [r.kind for r in rows] == [CheckInKind.SIGN_IN, CheckInKind.VOID]
        assert rows[1].void_of == rows[0].id and rows[1].recorded_by == OPERATOR and rows[1].note


async def test_close_shift_and_no_shows_only_once_it_has_ended(demo_db: Path) -> None:
    people = busy_shift(demo_db)
    still_in = [p for p in people.people if p.state == "in" and p.out_at is None]
    never = [p for p in people.people if p.state == "expected"]
    assert still_in and never
    clock = Clock(NOW)
    app = make_app(demo_db, clock)

    def statuses(session: object) -> dict[uuid.UUID, str]:
        rows = session.execute(  # type: ignore[attr-defined]
            select(col(Assignment.member_id), col(Assignment.status)).where(
                col(Assignment.shift_id) == people.shift_id
            )
        )
        return dict(rows.all())

    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        before = read(demo_db, statuses)
        await pilot.press("ctrl+t")
        await pilot.press("y")
        await settle(app, pilot)
        assert "runs until 14:00" in desk.message and read(demo_db, statuses) == before  # nothing written
        count = checkin_count(demo_db)
        await pilot.press("ctrl+e", "y")
        await settle(app, pilot)
        assert "runs until 14:00" in desk.message and checkin_count(demo_db) == count

        clock.now = people.ends_at + timedelta(minutes=10)  # the shift is over
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert desk.message.startswith(f"Shift closed: {len(still_in)} ")
        for person in still_in:
            rows = live(demo_db, people.shift_id, person.member_id)
            assert rows[-1].out_at == people.ends_at and rows[-1].note == "no sign-out: credited to shift end"
            assert row_state(app, person.member_id)["flag"] == "no sign-out"

        await pilot.press("ctrl+t", "y")
        await settle(app, pilot)
        after = read(demo_db, statuses)
        assert isinstance(after, dict)
        assert {after[p.member_id] for p in never} == {"no_show"}
        assert all(row_state(app, p.member_id)["state"] == "✗ no-show" for p in never)
        assert desk.message.startswith(f"{len(never)} no-show")


async def test_refresh_shows_other_laptops_and_keeps_the_typing(demo_db: Path) -> None:
    people = busy_shift(demo_db)
    target = next(p for p in people.people if p.state == "expected")
    app = make_app(demo_db, Clock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        await pilot.press("down", "down")  # the cursor on the third person (box empty: ↓ moves the list)
        cursor = desk.people_table.cursor
        await pilot.press(*"zo")
        other: Store = open_store(str(demo_db))  # another laptop signs someone in
        try:
            with other.write() as session:
                sign_in(
                    session, shift_id=people.shift_id, member_id=target.member_id, at=NOW, by="x", zone=ZONE
                )
        finally:
            other.close()
        desk.reload()  # what the timer does
        await settle(app, pilot)
        assert row_state(app, target.member_id)["state"] == "✓ in"
        assert desk.box.value == "zo" and desk.box.has_focus
        assert desk.people_table.cursor == cursor


async def test_gate_and_shift_keys(demo_db: Path) -> None:
    people = busy_shift(demo_db)
    app = make_app(demo_db, Clock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        assert desk.desk is not None
        ids = [s.shift_id for s in desk.desk.shifts]
        await pilot.press("ctrl+left")
        await settle(app, pilot)
        assert (
            desk.desk.people is not None and desk.desk.people.shift_id == ids[ids.index(people.shift_id) - 1]
        )
        assert "(ended)" in str(app.query_one("#signin-shift").render())
        await pilot.press("ctrl+right")
        await settle(app, pilot)
        assert desk.desk.people is not None and desk.desk.people.shift_id == people.shift_id
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        assert desk.desk is None and app.query_one("#signin-table", DataTable).has_focus
        await pilot.press("3")  # off the box, digits switch tabs again
        assert app.active_tab == "roster"


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        await pilot.pause(0.005)


async def test_a_sign_in_shows_when_it_commits_not_before_and_before_the_list_is_read_again(
    demo_db: Path,
) -> None:
    """Enter: nothing shows until the write commits; then the row, box and count show at once from
    what the write returned (the list's re-read held back here), and the re-read agrees with them."""
    import threading

    people = busy_shift(demo_db)
    walk_in = strangers(demo_db, people)[0]  # inserted among the walk-ins, by name
    app = make_app(demo_db, Clock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        gateway = app.gateway
        assert gateway is not None
        may_commit, may_reread = threading.Event(), threading.Event()
        commit, reread = gateway.commit_sign_in, gateway.signin_people

        def held_commit(*args: object, **kwargs: object) -> object:
            assert may_commit.wait(10)
            return commit(*args, **kwargs)  # type: ignore[arg-type]

        def held_reread(*args: object, **kwargs: object) -> object:
            assert may_reread.wait(10)
            return reread(*args, **kwargs)  # type: ignore[arg-type]

        gateway.commit_sign_in = held_commit  # type: ignore[method-assign]
        gateway.signin_people = held_reread  # type: ignore[method-assign]
        await pilot.press(*walk_in.member_number, "enter")
        await pilot.pause(0.1)
        assert walk_in.id not in {p.member_id for p in desk.desk.people.people}  # type: ignore[union-attr]
        assert desk.box.value == walk_in.member_number and not live(demo_db, people.shift_id, walk_in.id)
        await pilot.press("enter")  # again, before the commit: not a second sign-in
        may_commit.set()
        await wait_until(pilot, lambda: desk.box.value == "", "the box emptied")
        assert row_state(app, walk_in.id)["state"] == "✓ in"
        assert desk.desk is not None and desk.desk.people is not None
        assert desk.desk.people.in_now == people.in_now + 1
        assert row_state(app, walk_in.id)["role"] == "walk-in" and "walk-in" in desk.message
        assert app.query_one("#signin-count", Digits).value == str(people.in_now + 1)
        assert len(live(demo_db, people.shift_id, walk_in.id)) == 1  # committed
        assert desk.desk is not None and desk.desk.people is not None
        shown = [(p.member_id, p.state, p.walk_in) for p in desk.desk.people.people]
        may_reread.set()
        await settle(app, pilot)
        assert desk.desk.people is not None
        assert [(p.member_id, p.state, p.walk_in) for p in desk.desk.people.people] == shown
        assert row_state(app, walk_in.id)["state"] == "✓ in" and "walk-in" in desk.message
        assert len(live(demo_db, people.shift_id, walk_in.id)) == 1


async def test_a_list_read_before_a_sign_in_shown_does_not_hide_it(demo_db: Path) -> None:
    from strikeboard.tui.data_signin import Done
    from strikeboard.tui.panels.signin import SignInWritten

    people = busy_shift(demo_db)
    target = next(p for p in people.people if p.state == "expected")
    app = make_app(demo_db, Clock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        await type_and_enter(app, pilot, target.member_number)
        assert row_state(app, target.member_id)["state"] == "✓ in"
        desk.post_message(SignInWritten(Done(people, NOW, read_from=0.0), None, "ok"))  # a late, old read
        await settle(app, pilot)
        assert row_state(app, target.member_id)["state"] == "✓ in"


async def test_the_next_scan_during_a_slow_write_starts_in_an_empty_box(demo_db: Path) -> None:
    import threading

    people = busy_shift(demo_db)
    first, second = strangers(demo_db, people)[:2]
    app = make_app(demo_db, Clock(NOW))
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        gateway = app.gateway
        assert gateway is not None
        may_commit = threading.Event()
        commit = gateway.commit_sign_in

        def held_commit(*args: object, **kwargs: object) -> object:
            assert may_commit.wait(10)
            return commit(*args, **kwargs)  # type: ignore[arg-type]

        gateway.commit_sign_in = held_commit  # type: ignore[method-assign]
        await pilot.press(*first.member_number, "enter")
        await pilot.press(*second.member_number)  # the next badge, while the first is written
        assert desk.box.value == second.member_number
        may_commit.set()
        await wait_until(pilot, lambda: "✓" in desk.message, "the first sign-in shown")
        assert desk.box.value == second.member_number  # kept
        await pilot.press("enter")
        await settle(app, pilot)
        assert row_state(app, first.id)["state"] == "✓ in" and row_state(app, second.id)["state"] == "✓ in"
        assert desk.box.value == ""


async def test_another_laptops_sign_in_appears_by_itself_on_every_backend(
    strike_file: Path, store: Store
) -> None:
    """Two laptops on one database (a shared file, or the PostgreSQL server in that lane): a sign-in
    made on one shows on the other's desk within a few seconds, and the cursor stays put."""
    source = open_store(str(strike_file))
    try:
        copy_database(source, store)
    finally:
        source.close()
    location = Path(store.location) if store.is_sqlite else store.location
    people = busy_shift(location)  # type: ignore[arg-type]
    target = next(p for p in people.people if p.state == "expected")
    app = make_app(location, Clock(NOW))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await open_gate(app, pilot, people.shift_id)
        desk = panel(app)
        await pilot.press("down", "down")  # the box is empty: ↓ moves the list's cursor
        cursor = desk.people_table.cursor_key
        assert row_state(app, target.member_id)["state"] != "✓ in"
        with store.write("captain at the other laptop") as session:
            sign_in(session, shift_id=people.shift_id, member_id=target.member_id, at=NOW, by="b", zone=ZONE)
        deadline = time.monotonic() + AUTO_REFRESH_SECONDS + 5  # nobody presses anything
        while row_state(app, target.member_id)["state"] != "✓ in":
            assert time.monotonic() < deadline, "the other laptop's sign-in never appeared"
            await pilot.pause(0.05)
        assert desk.people_table.cursor_key == cursor and desk.box.has_focus
