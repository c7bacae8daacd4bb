"""The Grievances tab with 5,000 cases: first paint of the tab, and the queries behind it.

The database is the demo strike (few members) plus Core bulk inserts of extra open
grievances up to 5,000 cases, with deadlines spread from 20 days overdue to 60 days away.
In process, with ``app.run_test()`` at 120×35: after the app has settled on the Sign-in tab,
the Grievances table is emptied (no rows, no cached pages) and the panel's data dropped;
then the clock starts, the panel's reload starts and "4" is pressed; it stops when the
table paints its first row of cases (its ``render_line`` is timed, so this is the frame
the user sees, not the data arriving). Also timed: the tab itself painted (header, rows
still loading), the app idle again after the key (the footer's re-composition included),
and End → the last of the ~5,000 rows painted (its page fetched in the table's worker).
The service calls (counts, a page, the whole list, due this week) are timed on their own
too (medians).

Targets (issue 6): first paint ≤ 0.2 s; "due this week" ≤ 20 ms.
"""

import asyncio
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import Row, print_rows

CASES = 5_000
MEMBERS = 200
SEED = 2023
TODAY = date(2026, 11, 10)
RUNS = 5


def _ms(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def build(path: Path) -> int:
    """The demo strike plus bulk-inserted open grievances, ``CASES`` in all; returns the open count."""
    from sqlalchemy import func, insert, select

    from strikeboard import demo
    from strikeboard.store.db import open_store
    from strikeboard.store.models import Grievance, Member

    demo.generate(path, members=MEMBERS, seed=SEED, today=TODAY)
    store = open_store(str(path))
    try:
        with store.write() as session:
            existing = session.execute(select(func.count()).select_from(Grievance)).scalar_one()
            stewards = [row[0] for row in session.execute(select(Member.id).limit(20))]
            now = datetime.now(UTC)
            rows = []
            for n in range(CASES - existing):
                deadline = TODAY + timedelta(days=(n % 80) - 20)
                rows.append(
                    {
                        "id": uuid.uuid4(),
                        "number": f"G-2019-{n + 1:04d}",
                        "is_class": n % 9 == 0,
                        "employer": ("Disney", "Netflix", "Sony", "Fox", "Amazon")[n % 5],
                        "unit": "Writers",
                        "articles": f"{n % 30}.{n % 7}",
                        "incident_date": deadline - timedelta(days=40),
                        "filed_date": deadline - timedelta(days=30),
                        "summary": f"Bulk case {n}",
                        "remedy": "Make whole",
                        "steward_id": stewards[n % len(stewards)],
                        "is_discipline": False,
                        "step": ("Step 1", "Step 2", "Step 3")[n % 3],
                        "status": "open",
                        "next_deadline": deadline,
                        "next_deadline_label": "Step 1 answer (employer)",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            session.execute(insert(Grievance), rows)
        with store.read() as session:
            return int(
                session.execute(
                    select(func.count())
                    .select_from(Grievance)
                    .where(Grievance.status.in_(("open", "in_arbitration")))  # type: ignore[attr-defined]
                ).scalar_one()
            )
    finally:
        store.close()


class PaintClock:
    """Records when the Grievances table paints a row (its ``render_line`` wrapped on the instance)."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.header: float | None = None
        self.rows: float | None = None
        self.last_row: float | None = None
        render = table.render_line

        def render_line(y: int) -> Any:
            strip = render(y)
            now = time.perf_counter()
            if y == 0:
                self.header = self.header or now
            else:
                row = table.row_at(int(table.scroll_y) + y - 1)
                if row is not None:
                    self.rows = self.rows or now
                    if int(table.scroll_y) + y - 1 == table.total - 1:
                        self.last_row = self.last_row or now
            return strip

        table.render_line = render_line

    def clear(self) -> None:
        self.header = self.rows = self.last_row = None


async def _paint_times(path: Path) -> dict[str, list[float]]:
    """Per run: key press to rows painted, to the tab painted, to the app idle; End to the last row."""
    from datetime import datetime as dt

    from strikeboard import demo
    from strikeboard.tui.app import StrikeboardApp
    from strikeboard.tui.widgets.virtual_table import VirtualTable

    now = dt.combine(TODAY, demo.DEMO_NOW, tzinfo=__import__("zoneinfo").ZoneInfo(demo.TIME_ZONE))
    times: dict[str, list[float]] = {"paint": [], "tab": [], "idle": [], "end": []}
    app = StrikeboardApp(str(path), now=lambda: now)
    app.animation_level = "none"
    async with app.run_test(size=(120, 35)) as pilot:
        while app.gateway is None:
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one("#grievances-table", VirtualTable)
        clock = PaintClock(table)
        for _ in range(RUNS + 1):
            await pilot.press("1")
            panel = app.panel("grievances")
            assert panel is not None
            table.reset(0, lambda offset, limit: [])  # a cold tab: no rows, nothing cached
            panel._last = None  # type: ignore[attr-defined]
            await pilot.pause()
            clock.clear()
            started = time.perf_counter()
            panel.reload()  # the load starts with the key press (the data was dropped)
            await pilot.press("4")
            times["idle"].append(time.perf_counter() - started)
            while clock.rows is None:
                await asyncio.sleep(0.001)
            times["paint"].append(clock.rows - started)
            assert clock.header is not None
            times["tab"].append(clock.header - started)
            await app.workers.wait_for_complete()
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("end")
            while clock.last_row is None:
                await asyncio.sleep(0.001)
            times["end"].append(clock.last_row - started)
    return {name: values[1:] for name, values in times.items()}  # the first run warms caches


def run() -> list[Row]:
    """Build the database, then time the tab's first paint and the service calls."""
    from strikeboard.services.grievances import (
        due_this_week,
        grievance_counts,
        grievance_page,
        list_grievances,
    )
    from strikeboard.store.db import open_store

    with tempfile.TemporaryDirectory(prefix="bench-grievances-") as folder:
        path = Path(folder) / "g.db"
        open_rows = build(path)
        paint = asyncio.run(_paint_times(path))
        store = open_store(str(path))
        try:
            listing, due, counts, first, last = [], [], [], [], []
            for _ in range(RUNS + 1):
                with store.read() as session:
                    started = time.perf_counter()
                    list_grievances(session, TODAY)
                    listing.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    grievance_counts(session, TODAY)
                    counts.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    grievance_page(session, TODAY, offset=0, limit=100)
                    first.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    grievance_page(session, TODAY, offset=open_rows - 100, limit=100)
                    last.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    due_rows = due_this_week(session, TODAY)
                    due.append(time.perf_counter() - started)
        finally:
            store.close()
    return [
        (
            f"grievances tab first paint, {CASES:,} cases ({open_rows:,} open, median)",
            _ms(statistics.median(paint["paint"])),
        ),
        ("  target", "≤ 200 ms"),
        ("  key press to the tab painted, rows not yet (median)", _ms(statistics.median(paint["tab"]))),
        ("  key press to the app idle again (median)", _ms(statistics.median(paint["idle"]))),
        (f"End key to row {open_rows:,} painted (median)", _ms(statistics.median(paint["end"]))),
        (f"grievance_counts, {open_rows:,} open (median)", _ms(statistics.median(counts[1:]))),
        ("grievance_page, first 100 rows (median)", _ms(statistics.median(first[1:]))),
        ("grievance_page, last 100 rows (median)", _ms(statistics.median(last[1:]))),
        (f"list_grievances, all {open_rows:,} open (median)", _ms(statistics.median(listing[1:]))),
        (f"due_this_week, {len(due_rows)} due (median)", _ms(statistics.median(due[1:]))),
        ("  target", "≤ 20 ms"),
    ]


if __name__ == "__main__":
    print_rows("bench_grievances_tab", run())
