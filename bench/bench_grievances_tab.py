"""The Grievances tab with 5,000 cases: first paint of the tab, and the queries behind it.

The database is the demo strike (few members) plus Core bulk inserts of extra open
grievances up to 5,000 cases, with deadlines spread from 20 days overdue to 60 days away.
In process, with ``app.run_test()`` at 120×35: after the app has settled on the Sign-in tab,
the Grievances panel's data is dropped, then the clock starts as "4" is pressed and the
panel reloads; it stops when the table holds every row and the screen has been refreshed.
The service calls (list, due this week) are timed on their own too (medians).

Targets (issue 6): first paint ≤ 0.2 s; "due this week" ≤ 20 ms.
"""

import asyncio
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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


async def _paint_times(path: Path, expected_rows: int) -> tuple[list[float], list[float]]:
    """``(key press to rows painted, of which the tab switch)`` per run."""
    from datetime import datetime as dt

    from textual.widgets import DataTable

    from strikeboard import demo
    from strikeboard.tui.app import StrikeboardApp

    now = dt.combine(TODAY, demo.DEMO_NOW, tzinfo=__import__("zoneinfo").ZoneInfo(demo.TIME_ZONE))
    times: list[float] = []
    switches: list[float] = []
    app = StrikeboardApp(str(path), now=lambda: now)
    app.animation_level = "none"
    async with app.run_test(size=(120, 35)) as pilot:
        while app.gateway is None:
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(RUNS + 1):
            await pilot.press("1")
            panel = app.panel("grievances")
            assert panel is not None
            table = app.query_one("#grievances-table", DataTable)
            table.clear()
            panel._last = None  # type: ignore[attr-defined]
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("4")
            pressed = time.perf_counter()
            panel.reload()
            from strikeboard.tui.panels.grievances import PAGE_SIZE

            while table.row_count < min(expected_rows, PAGE_SIZE) or panel._last is None:  # type: ignore[attr-defined]
                await asyncio.sleep(0.001)
            await pilot.pause()  # the refresh that paints the rows
            times.append(time.perf_counter() - started)
            switches.append(pressed - started)
    return times[1:], switches[1:]  # the first run warms caches


def run() -> list[Row]:
    """Build the database, then time the tab's first paint and the service calls."""
    from strikeboard.services.grievances import due_this_week, list_grievances
    from strikeboard.store.db import open_store

    with tempfile.TemporaryDirectory(prefix="bench-grievances-") as folder:
        path = Path(folder) / "g.db"
        open_rows = build(path)
        paint, switch = asyncio.run(_paint_times(path, open_rows))
        store = open_store(str(path))
        try:
            listing, due = [], []
            for _ in range(RUNS + 1):
                with store.read() as session:
                    started = time.perf_counter()
                    list_grievances(session, TODAY)
                    listing.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    due_rows = due_this_week(session, TODAY)
                    due.append(time.perf_counter() - started)
        finally:
            store.close()
    return [
        (
            f"grievances tab first paint, {CASES:,} cases ({open_rows:,} open, median)",
            _ms(statistics.median(paint)),
        ),
        ("  target", "≤ 200 ms"),
        ("  of which the tab switch itself (median)", _ms(statistics.median(switch))),
        (f"list_grievances, {open_rows:,} open (median)", _ms(statistics.median(listing[1:]))),
        (f"due_this_week, {len(due_rows)} due (median)", _ms(statistics.median(due[1:]))),
        ("  target", "≤ 20 ms"),
    ]


if __name__ == "__main__":
    print_rows("bench_grievances_tab", run())
