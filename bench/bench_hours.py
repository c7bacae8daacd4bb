"""Strike-pay eligibility for a week at WGA scale: compute it, and export the hours report.

On a copy of the cached 11,500-member demo database, for the last full pay week before
today (the demo's busiest): the median of several runs of
:func:`strikeboard.services.hours.eligibility` for every member and for one screenful of
200 members (what a roster filter asks), and the time to write the hours & eligibility
CSV. Run alone: ``python -m bench.bench_hours``.
"""

import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from bench import Row, print_rows
from bench.bench_launch import prepare_database

RUNS = 7
PAGE = 200


def _median_ms(func: Callable[[], object], runs: int = RUNS) -> str:
    """Median wall-clock and CPU time of ``func()`` as ``"120 ms (CPU 95 ms)"``.

    The CPU figure is this process's own: on a shared, loaded machine it is the steadier one.
    """
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return f"{1000 * statistics.median(walls):.0f} ms (CPU {1000 * statistics.median(cpus):.0f} ms)"


def run() -> list[Row]:
    """Eligibility for everyone / for a page, and the report export, in milliseconds."""
    from sqlalchemy import select
    from sqlmodel import col

    from strikeboard.services.hours import eligibility, pay_week_start
    from strikeboard.services.settings import load_settings
    from strikeboard.services.shift_exports import write_hours_report
    from strikeboard.store.db import open_store
    from strikeboard.store.models import Member

    source, _ = prepare_database()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "strike.db"
        shutil.copy(source, db)  # the cached file is closed and checkpointed: a plain copy is fine here
        store = open_store(str(db))
        try:
            with store.read() as session:
                settings = load_settings(session)
                today = datetime.now(settings.zone).date()
                week = pay_week_start(today, settings.strike_pay) - timedelta(days=7)
                page = list(
                    session.scalars(select(col(Member.id)).order_by(col(Member.last_name)).limit(PAGE))
                )
                everyone = eligibility(session, week, settings)
                all_ms = _median_ms(lambda: eligibility(session, week, settings))
                page_ms = _median_ms(lambda: eligibility(session, week, settings, member_ids=page))
                counts = Counter(result.status.value for result in everyone.values())
                written: list[int] = []

                def export() -> None:
                    out = Path(tmp) / f"hours{len(written)}.csv"
                    written.append(write_hours_report(session, out, week, settings)[1])

                export_ms = _median_ms(export)
        finally:
            store.close()
    verdicts = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    return [
        ("week", f"{week.isoformat()}: {len(everyone)} members ({verdicts})"),
        ("eligibility, every member (median)", all_ms),
        (f"eligibility, {PAGE} members (median)", page_ms),
        (f"hours report CSV of {written[0]} rows, compute + write (median)", export_ms),
    ]


if __name__ == "__main__":
    print_rows("bench_hours", run())
