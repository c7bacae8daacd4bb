"""The Shifts tab's week grid at WGA scale: 12 gates × 7 days × 4 shifts (336 shifts, 11,500 members).

The cached demo database (``bench_launch.prepare_database``) has three slots a day at
each of its 12 gates; a copy gets a fourth (18:00–22:00, every day of this week, every
gate) through ``create_series``, so every cell holds four shifts. Measured, in process:

- the gateway read (``week_grid``: the week's shifts with counts, and the gates);
- the render alone: turning the data into grid rows and painting every line of the grid
  (header + 48 content lines, all of them, not only the visible ones);
- load → painted: with the app at 120×40 on the Shifts tab, the panel's data is dropped,
  the reload starts, and the clock stops when the grid paints a line showing a shift
  (its ``render_line`` is wrapped: the frame the user sees).

Medians of :data:`RUNS`. Target (issue 4): the grid renders in ≤ 100 ms.
"""

import asyncio
import shutil
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from bench import Row, print_rows

RUNS = 15


def _ms(values: list[float]) -> str:
    return f"{1000 * statistics.median(values):.1f} ms (max {1000 * max(values):.1f})"


def add_evening_slot(path: Path, monday: date) -> int:
    """A fourth shift (18:00–22:00) every day of the week at every active gate; returns how many."""
    from strikeboard.services.locations import list_locations
    from strikeboard.services.settings import load_settings
    from strikeboard.services.shift_plan import SeriesForm, create_series
    from strikeboard.store.db import open_store

    store = open_store(str(path))
    try:
        with store.write() as session:
            zone = load_settings(session).zone
            gates = tuple(gate.id for gate in list_locations(session))
            form = SeriesForm(
                gates, monday, monday + timedelta(days=6), tuple(range(7)), ((clock(18), clock(22)),)
            )
            return create_series(session, form, zone, by="bench").count
    finally:
        store.close()


async def _measure(path: Path, today: date) -> dict[str, list[float]]:
    from zoneinfo import ZoneInfo

    from strikeboard import demo
    from strikeboard.tui.app import StrikeboardApp
    from strikeboard.tui.panels.shifts import ShiftsPanel, grid_rows
    from strikeboard.tui.widgets.week_grid import WeekGrid

    zone = ZoneInfo(demo.TIME_ZONE)
    now = datetime.combine(today, demo.DEMO_NOW, tzinfo=zone)
    times: dict[str, list[float]] = {"read": [], "render": [], "painted": [], "shifts": [], "lines": []}
    app = StrikeboardApp(str(path), now=lambda: now)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        while app.gateway is None:
            await pilot.pause(0.01)
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.panel("shifts")
        assert isinstance(panel, ShiftsPanel) and app.gateway is not None
        grid = app.query_one("#shifts-grid", WeekGrid)
        monday = panel.monday
        assert monday is not None
        painted: list[float] = []
        render = grid.render_line

        def render_line(y: int) -> Any:
            strip = render(y)
            if y > 0 and not painted and grid.rows and any(c for row in grid.rows for c in row.cells):
                painted.append(time.perf_counter())
            return strip

        grid.render_line = render_line  # type: ignore[method-assign]
        for _ in range(RUNS + 1):
            started = time.perf_counter()
            data = app.gateway.week_grid(monday)
            times["read"].append(time.perf_counter() - started)

            started = time.perf_counter()
            rows = grid_rows(data, zone)
            grid.set_data(grid.columns, rows, corner=grid.corner, highlight=grid.highlight)
            lines = [grid._header_line(), *(grid._content_line(i) for i in range(len(grid._lines)))]
            times["render"].append(time.perf_counter() - started)
            times["shifts"].append(len(data.shifts))
            times["lines"].append(len(lines))

            panel._last = None  # a cold tab: nothing to show until the load arrives
            grid.set_data(grid.columns, [], corner="", highlight=None)
            await pilot.pause()
            painted.clear()
            started = time.perf_counter()
            panel.reload()
            deadline = started + 10
            while not painted:
                assert time.perf_counter() < deadline, "the grid never painted"
                await asyncio.sleep(0.0005)
            times["painted"].append(painted[0] - started)
            await app.workers.wait_for_complete()
            await pilot.pause()
    for key in times:
        times[key] = times[key][1:]  # the first round warms caches
    return times


def run() -> list[Row]:
    """Read, render and load → painted of the week grid at 12 × 7 × 4."""
    from bench.bench_launch import prepare_database

    today = date.today()
    source, how = prepare_database(today)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "strike.db"
        shutil.copy(source, db)
        added = add_evening_slot(db, today - timedelta(days=today.weekday()))
        times = asyncio.run(_measure(db, today))
    shifts, lines = int(times["shifts"][0]), int(times["lines"][0])
    return [
        ("database", f"11,500 members ({how}); +{added} evening shifts"),
        ("week grid", f"{shifts} shifts, {lines} lines painted (header + gates × 4)"),
        ("gateway read (week_grid)", _ms(times["read"])),
        ("render alone (rows + every line)", _ms(times["render"]) + " (target ≤ 100 ms)"),
        ("load → painted (reload to first shift line)", _ms(times["painted"])),
    ]


if __name__ == "__main__":
    print_rows("bench_week_grid", run())
