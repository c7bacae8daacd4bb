"""The Roster tab at 11,500 and 100,000 members: first paint of the tab, and search keystrokes.

The databases are the demo strike (``strikeboard.demo.generate``, seed 2023, today's date),
generated once into the user cache folder and reused while current (11,500 is the file
``bench_launch`` uses; 100k takes ~30 s to build the first time).

In process, with ``app.run_test()`` at 120×35. First paint: after the app has settled on the
Sign-in tab, the Roster table is emptied (no rows, no cached pages) and the panel's data
dropped; the clock starts, the panel's reload starts and "3" is pressed; it stops when the
table paints its first member row (its ``render_line`` is timed: the frame the user sees).
Search: with the cursor in the search box and the result of the text so far shown (its load
landed: no earlier query still running), one more character is typed and the clock stops
when the table paints its first row of the new result. Measured twice: from the key (a key
after a pause searches at once; a burst of typing waits for ``DEBOUNCE_SECONDS``) and from the
moment the query starts (what the database and the table cost), the latter also as the
process's CPU time (all threads: steadier than wall time on a loaded machine). The service
calls (count + first page) are timed on their own too. Medians.

Targets (issue 3): first paint ≤ 0.35 s at 11,500 and ≤ 0.5 s at 100k; keystroke → table
updated ≤ 50 ms at 100k.
"""

import asyncio
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import Row, print_rows

SIZES = (11_500, 100_000)
RUNS = 5
#: Searches typed one character at a time (the last character is the timed keystroke).
QUERIES = ("zoe", "garc", "5550", "w18", "mail.ex")


def _ms(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def prepare(members: int, today: date) -> tuple[Path, str]:
    """The demo database with ``members`` members for ``today`` (cached); and how it was got."""
    from bench.bench_launch import prepare_database

    return prepare_database(today, members)


class PaintClock:
    """When the roster table paints a member row (its ``render_line`` wrapped on the instance)."""

    def __init__(self, table: Any) -> None:
        self.rows: float | None = None
        self.cpu: float | None = None  # process CPU time at that paint
        render = table.render_line

        def render_line(y: int) -> Any:
            strip = render(y)
            if y > 0 and self.rows is None and table.row_at(int(table.scroll_y) + y - 1) is not None:
                self.rows, self.cpu = time.perf_counter(), time.process_time()
            return strip

        table.render_line = render_line

    def clear(self) -> None:
        self.rows = self.cpu = None


async def _wait(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the roster never painted")
        await asyncio.sleep(0.0005)


async def _times(path: Path, today: date) -> dict[str, list[float]]:
    """Per run: "3" to the first row painted; a keystroke (and the query) to the new rows painted."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from strikeboard import demo
    from strikeboard.tui.app import StrikeboardApp
    from strikeboard.tui.panels.roster import RosterPanel
    from strikeboard.tui.widgets.virtual_table import VirtualTable

    now = datetime.combine(today, demo.DEMO_NOW, tzinfo=ZoneInfo(demo.TIME_ZONE))
    times: dict[str, list[float]] = {"paint": [], "paint_cpu": [], "key": [], "query": [], "query_cpu": []}
    app = StrikeboardApp(str(path), now=lambda: now)
    app.animation_level = "none"
    async with app.run_test(size=(120, 35)) as pilot:
        while app.gateway is None:
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.panel("roster")
        assert isinstance(panel, RosterPanel)
        table = app.query_one("#roster-table", VirtualTable)
        clock = PaintClock(table)
        for _ in range(RUNS + 1):
            await pilot.press("1")
            table.reset(0, lambda offset, limit: [])  # a cold tab: no rows, nothing cached
            panel._last = None
            await pilot.pause()
            clock.clear()
            started, cpu = time.perf_counter(), time.process_time()
            panel.reload()  # the load starts with the key press (the data was dropped)
            await pilot.press("3")
            await _wait(lambda: clock.rows is not None)
            assert clock.rows is not None and clock.cpu is not None
            times["paint"].append(clock.rows - started)
            times["paint_cpu"].append(clock.cpu - cpu)
            await app.workers.wait_for_complete()
            await pilot.pause()

        # search: type each query but its last character, then time the last keystroke
        await pilot.press("slash")
        for query in QUERIES:
            for _ in range(2):  # the first round warms caches; both are kept (medians)
                await pilot.press("ctrl+a", "ctrl+k", *query[:-1])
                await _wait(lambda q=query: panel._last is not None and panel._last.filters[0] == q[:-1])
                await app.workers.wait_for_complete()
                await pilot.pause(0.2)
                clock.clear()
                started = time.perf_counter()
                loads: list[tuple[float, float]] = []
                original = panel.reload

                def timed_reload(original: Any = original, loads: list[tuple[float, float]] = loads) -> None:
                    loads.append((time.perf_counter(), time.process_time()))
                    original()

                panel.reload = timed_reload  # type: ignore[method-assign]
                await pilot.press(query[-1])
                await _wait(
                    lambda q=query: (
                        clock.rows is not None and panel._last is not None and panel._last.filters[0] == q
                    )
                )
                del panel.reload
                assert clock.rows is not None and clock.cpu is not None and loads
                times["key"].append(clock.rows - started)
                times["query"].append(clock.rows - loads[0][0])
                times["query_cpu"].append(clock.cpu - loads[0][1])
    times["paint"], times["paint_cpu"] = (
        times["paint"][1:],
        times["paint_cpu"][1:],
    )  # the first run warms caches
    return times


def _service_times(path: Path, today: date) -> list[float]:
    """The count and the first page for each query (``first_page``, what the panel's worker runs)."""
    from strikeboard.services.roster import RosterFilter, first_page
    from strikeboard.store.db import open_store

    store = open_store(str(path))
    monday = today - timedelta(days=today.weekday())
    result = []
    try:
        for query in QUERIES * 3:
            with store.read() as session:
                flt = RosterFilter(query=query)
                started = time.perf_counter()
                first_page(session, flt, 100, week_start=monday, zone=store_zone(session))
                result.append(time.perf_counter() - started)
    finally:
        store.close()
    return result


def _pay_times(path: Path, today: date) -> dict[str, list[float]]:
    """CPU time of the strike-pay filter "short" this week: worked out once (``resolve_pay``),
    then each count + first page, and a page further down, with the set reused."""
    from strikeboard.services.roster import RosterFilter, first_page, member_page, resolve_pay
    from strikeboard.store.db import open_store

    store = open_store(str(path))
    monday = today - timedelta(days=today.weekday())
    times: dict[str, list[float]] = {"resolve": [], "first": [], "page": []}
    try:
        for _ in range(RUNS):
            with store.read() as session:
                zone = store_zone(session)
                started = time.process_time()
                flt = resolve_pay(session, RosterFilter(eligibility=("short",), pay_week=today))
                times["resolve"].append(time.process_time() - started)
                started = time.process_time()
                first_page(session, flt, 100, week_start=monday, zone=zone)
                times["first"].append(time.process_time() - started)
                started = time.process_time()
                member_page(session, flt, 2000, 100, week_start=monday, zone=zone)
                times["page"].append(time.process_time() - started)
    finally:
        store.close()
    return times


def store_zone(session: Any) -> Any:
    """The strike's time zone, from its settings."""
    from strikeboard.services.settings import load_settings

    return load_settings(session).zone


def run() -> list[Row]:
    """Build (or reuse) both databases, then time the tab's first paint and search keystrokes."""
    from strikeboard.tui.panels.roster import DEBOUNCE_SECONDS

    today = date.today()
    rows: list[Row] = []
    for members in SIZES:
        path, how = prepare(members, today)
        times = asyncio.run(_times(path, today))
        target = "≤ 350 ms" if members < 50_000 else "≤ 500 ms"
        rows += [
            (
                f"roster tab first paint, {members:,} members (median; db {how})",
                _ms(statistics.median(times["paint"])),
            ),
            ("  the same, CPU time of the process (median)", _ms(statistics.median(times["paint_cpu"]))),
            ("  target", target),
            (
                f"search: query start → table painted, {members:,} members (median)",
                _ms(statistics.median(times["query"])),
            ),
            (
                "  the same, CPU time of the process (median)",
                _ms(statistics.median(times["query_cpu"])),
            ),
            (
                f"search: key after a pause → table painted (a burst waits {DEBOUNCE_SECONDS * 1000:.0f} ms)",
                _ms(statistics.median(times["key"])),
            ),
            (
                f"  first_page (count + first page), {members:,} members (median; max)",
                f"{_ms(statistics.median(s := _service_times(path, today)))}; {_ms(max(s))}",
            ),
        ]
        if members >= 50_000:
            rows.append(("  target (query → table updated)", "≤ 50 ms"))
        pay = _pay_times(path, today)
        rows += [
            (
                f"pay filter 'short': the set worked out once, {members:,} members (median CPU)",
                _ms(statistics.median(pay["resolve"])),
            ),
            ("  then count + first page (median CPU)", _ms(statistics.median(pay["first"]))),
            ("  then the page at row 2,000 (median CPU)", _ms(statistics.median(pay["page"]))),
        ]
    return rows


if __name__ == "__main__":
    print_rows("bench_roster_tab", run())
