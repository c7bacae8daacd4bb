"""The Sign-in tab at WGA scale: Enter → the committed sign-in shown, and type-ahead keystrokes.

In process, ``app.run_test()`` at 120×35 on a copy of the cached 11,500-member demo
(``bench_launch.prepare_database``; synchronous=FULL as always), the clock at the demo's
"now". The captain's desk is opened at a running gate (Enter on its board row); every
:data:`PER_GATE` sign-ins it moves to the next running gate (ctrl+g, Enter), so each list
stays the size of a real shift.

- **Enter → shown**: a member number is put in the box (as a scanner types it), then the
  clock starts, Enter is pressed, and it stops when the people table paints a frame after
  the row shows the person "✓ in" (the row appears only after the write transaction has
  committed; the list is read again after that paint). p50/p99 over :data:`SIGN_INS`
  sign-ins. Finer rows: to the end of that frame (the compositor has rendered every
  changed line; headless, so the terminal write itself is not included), the write +
  commit alone (worker thread), and the list's re-read that follows (off the clock).
- **Keystroke → matches shown**: with a query but its last character in the box, the last
  key is pressed; the clock stops when the match list paints the new matches.
- **Matcher alone**: :func:`~strikeboard.services.signin.find_for_sign_in` over the same
  queries, in memory.

Run alone: ``python -m bench.bench_signin_tab``.
"""

import asyncio
import shutil
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench import Row, print_rows

SIGN_INS = 240
PER_GATE = 40
#: Typed one character at a time; the last one is timed (names, a number's start, phone digits).
QUERIES = ("zoe", "garc", "ann l", "w1045", "5550", "m", "chris")
MATCHER_RUNS = 50


class FrameClock:
    """When the app next hands a finished frame to the terminal driver (``App._display``)."""

    def __init__(self, app: Any) -> None:
        self.armed: Any = lambda: False
        self.done: float | None = None
        display = app._display

        def timed_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if self.done is None and self.armed():
                self.done = time.perf_counter()

        app._display = timed_display


class PaintClock:
    """When a widget next paints a line (its ``render_line`` wrapped on the instance)."""

    def __init__(self, widget: Any) -> None:
        self.painted: float | None = None
        self.ready: Any = lambda: False  # what must be on the widget for a paint to count
        self.event = asyncio.Event()
        render = widget.render_line

        def render_line(y: int) -> Any:
            strip = render(y)
            if self.painted is None and self.ready():
                self.painted = time.perf_counter()
                self.event.set()
            return strip

        widget.render_line = render_line

    def clear(self, ready: Any) -> None:
        """Wait for the first paint at which ``ready()`` holds."""
        self.painted = None
        self.ready = ready
        self.event.clear()

    async def wait(self, timeout: float = 10.0) -> float:
        """When the paint happened (no polling: the app gets the whole CPU meanwhile)."""
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except TimeoutError:
            raise TimeoutError("the sign-in tab never showed it") from None
        assert self.painted is not None
        return self.painted


def _shown_in(table: Any, key: str) -> bool:
    """Whether the people table lists member ``key`` as "✓ in"."""
    for index in range(table.total):
        row = table.row_at(index)
        if row is not None and row.key == key:
            return bool(row.cells["state"].plain == "✓ in")
    return False


def _percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(0.99 * (len(ordered) - 1))] * 1000
    return f"{p50:.1f} ms / {p99:.1f} ms"


async def _measure(path: Path, now: datetime) -> dict[str, list[float]]:
    from sqlalchemy import select
    from sqlmodel import col

    from strikeboard.services.signin import find_for_sign_in
    from strikeboard.store.db import open_store
    from strikeboard.store.models import CheckIn, Member, MemberStatus
    from strikeboard.tui.app import StrikeboardApp
    from strikeboard.tui.panels.signin import SignInPanel

    store = open_store(str(path))
    with store.read() as session:
        busy = set(session.scalars(select(col(CheckIn.member_id))))
        members = [
            (member_id, number)
            for member_id, number in session.execute(
                select(col(Member.id), col(Member.member_number)).where(
                    col(Member.status) == MemberStatus.ACTIVE
                )
            )
            if member_id not in busy
        ][:SIGN_INS]
    store.close()

    names = ("enter", "frame", "write", "reread", "floor", "key", "matcher", "index")
    times: dict[str, list[float]] = {name: [] for name in names}
    app = StrikeboardApp(str(path), now=lambda: now, operator="bench")
    app.animation_level = "none"
    async with app.run_test(size=(120, 35)) as pilot:
        while app.gateway is None:
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.panel("signin")
        assert isinstance(panel, SignInPanel)
        assert panel._last is not None
        running = [shift.id for shift in panel._last.shifts if shift.running(now)]
        table = panel.people_table
        people_paint = PaintClock(table)
        frame = FrameClock(app)
        gateway = app.gateway
        assert gateway is not None

        def timed(method: Any, name: str) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return method(*args, **kwargs)
                finally:
                    times[name].append(time.perf_counter() - started)

            return call

        gateway.commit_sign_in = timed(gateway.commit_sign_in, "write")  # type: ignore[method-assign]
        gateway.signin_people = timed(gateway.signin_people, "reread")  # type: ignore[method-assign]
        for index, (member_id, number) in enumerate(members):
            if index % PER_GATE == 0:  # the next gate: ctrl+g, then Enter on its row
                if panel.desk is not None:
                    await pilot.press("ctrl+g")
                    await app.workers.wait_for_complete()
                    await pilot.pause()
                board = app.query_one("#signin-table")
                board.move_cursor(row=board.get_row_index(str(running[(index // PER_GATE) % len(running)])))
                await pilot.press("enter")
                await app.workers.wait_for_complete()
                await pilot.pause()
            panel.box.value = number  # as a scanner types it
            await pilot.pause()
            key = str(member_id)
            people_paint.clear(lambda key=key: _shown_in(table, key))
            frame.done, frame.armed = None, lambda: people_paint.painted is not None
            started = time.perf_counter()
            await pilot.press("enter")
            times["enter"].append(await people_paint.wait() - started)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert frame.done is not None
            times["frame"].append(frame.done - started)

        # the floor: a key that only moves the box's cursor (Input repaints), timed the same way
        box_paint = PaintClock(panel.box)
        panel.box.value = "W1234"
        for _ in range(60):
            await pilot.press("end")
            await pilot.pause()
            position = panel.box.cursor_position
            box_paint.clear(lambda position=position: panel.box.cursor_position == position - 1)
            started = time.perf_counter()
            await pilot.press("left")
            times["floor"].append(await box_paint.wait() - started)
        panel.box.value = ""

        # type-ahead: the last keystroke of each query, to the match list painted
        from textual.widgets import Static

        matches = app.query_one("#signin-matches", Static)
        match_paint = PaintClock(matches)
        assert app.gateway is not None
        started = time.perf_counter()
        app.gateway._signin_index = None
        index = app.gateway.signin_index()
        times["index"].append(time.perf_counter() - started)
        for query in QUERIES:
            before, after = (find_for_sign_in(index, text) for text in (query[:-1], query))
            if (before.candidates, before.total) == (after.candidates, after.total):
                continue  # the key changes nothing on screen: there is no paint to time
            for _ in range(3):
                panel.box.value = query[:-1]
                panel.box.cursor_position = len(query) - 1
                await pilot.pause()
                await pilot.pause()
                match_paint.clear(lambda q=query: panel._matches is not None and panel._matches.query == q)
                started = time.perf_counter()
                await pilot.press(query[-1] if query[-1] != " " else "space")
                times["key"].append(await match_paint.wait() - started)
        prefer: set[uuid.UUID] = set()
        for _ in range(MATCHER_RUNS):
            for query in QUERIES:
                started = time.perf_counter()
                find_for_sign_in(index, query, prefer=prefer)
                times["matcher"].append(time.perf_counter() - started)
    return times


def run() -> list[Row]:
    """p50/p99 of Enter → committed and shown, keystroke → matches shown, and the matcher alone."""
    from zoneinfo import ZoneInfo

    from bench.bench_launch import prepare_database
    from strikeboard.demo import DEMO_NOW, TIME_ZONE

    zone = ZoneInfo(TIME_ZONE)
    today = date.today()  # the day the shared cached demo is made for (see bench_launch)
    source, how = prepare_database(today)
    now = datetime.combine(today, DEMO_NOW, zone)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "strike.db"
        shutil.copy(source, db)
        times = asyncio.run(_measure(db, now))
    return [
        ("database", f"11,500 members, demo for {today} ({how})"),
        (
            f"Enter → committed row shown, p50 / p99 ({len(times['enter'])} sign-ins)",
            f"{_percentiles(times['enter'])} (target p99 ≤ 15 ms)",
        ),
        ("  Enter → that frame complete (all its lines rendered), p50 / p99", _percentiles(times["frame"])),
        ("  of which the gateway's write + commit (worker thread), p50 / p99", _percentiles(times["write"])),
        (
            "  then the list's re-read (worker thread, after the row is shown), p50 / p99",
            _percentiles(times["reread"]),
        ),
        (
            f"  floor: a key that only moves the box's cursor → painted, p50 / p99 ({len(times['floor'])})",
            _percentiles(times["floor"]),
        ),
        (
            f"keystroke → matches shown, p50 / p99 ({len(times['key'])} keys)",
            f"{_percentiles(times['key'])} (target ≤ 30 ms)",
        ),
        (
            f"matcher alone, p50 / p99 ({len(times['matcher'])} queries)",
            f"{_percentiles(times['matcher'])} (target ≤ 30 ms)",
        ),
        ("type-ahead index load (11,500 members, once per gateway)", f"{times['index'][0] * 1000:.0f} ms"),
    ]


if __name__ == "__main__":
    print_rows("bench_signin_tab", run())
