"""Grievances at scale: "due this week", the case list and the CSV export with 5,000 cases.

Targets (issue 6): "due this week" ≤ 20 ms. A small demo gives members and stewards; 5,000
extra cases are then filed through the service (so every stored deadline is computed by
the engine), in one transaction.

Run alone with ``python -m bench.bench_grievances``; ``python -m bench`` includes it.
"""

import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench import Row, print_rows

TODAY = date(2026, 11, 25)
CASES = 5_000
RUNS = 50


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms (median of {len(samples)})"


def run() -> list[Row]:
    """Build a 5,000-case database, then time the reads and the export."""
    from sqlalchemy import func, select, update
    from sqlmodel import col

    from strikeboard import demo
    from strikeboard.services import grievances as g
    from strikeboard.services.grievance_export import export_grievances
    from strikeboard.store.db import open_store
    from strikeboard.store.models import Grievance, Member, Role

    rng = random.Random(6)
    with tempfile.TemporaryDirectory(prefix="bench-grievances-") as folder:
        path = Path(folder) / "g.db"
        demo.generate(path, members=300, seed=1, today=TODAY)
        store = open_store(str(path))
        try:
            with store.read() as s:
                members = list(s.execute(select(Member.id)).scalars())
                stewards = list(s.execute(select(Member.id).where(Member.role == Role.STEWARD)).scalars())
                existing = s.execute(select(func.count()).select_from(Grievance)).scalar_one()
            started = time.perf_counter()
            with store.write() as s:
                for _ in range(CASES - existing):
                    filed = TODAY - timedelta(days=rng.randint(0, 365))
                    g.file_grievance(
                        s,
                        g.GrievanceInput(
                            incident_date=filed - timedelta(days=rng.randint(0, 10)),
                            filed_date=filed,
                            summary="Bench case",
                            employer=rng.choice(("Acme", "Beta", "Gamma")),
                            steward_id=rng.choice(stewards) if stewards else None,
                            grievant_ids=(rng.choice(members),),
                            is_discipline=rng.random() < 0.1,
                        ),
                        actor="bench",
                        today=TODAY,
                    )
            filing = time.perf_counter() - started
            with store.write() as s:  # most cases of a year are closed (85%): Core update
                ids = list(s.execute(select(Grievance.id)).scalars())
                closed = rng.sample(ids, int(len(ids) * 0.85))
                s.execute(
                    update(Grievance)
                    .where(col(Grievance.id).in_(closed))
                    .values(status="settled", next_deadline=None, next_deadline_label="")
                )

            def timed(fn: object, runs: int = RUNS) -> tuple[list[float], int]:
                samples, size = [], 0
                for _ in range(runs):
                    with store.read() as s:
                        t0 = time.perf_counter()
                        size = len(fn(s))  # type: ignore[operator]
                        samples.append(time.perf_counter() - t0)
                return samples, size

            week, week_n = timed(lambda s: g.due_this_week(s, TODAY))
            listing, list_n = timed(lambda s: g.list_grievances(s, TODAY), 10)
            show, _ = timed(lambda s: g.get_grievance(s, "G-2026-0042", TODAY).events, 20)
            exports = []
            for k in range(5):
                with store.read() as s:
                    t0 = time.perf_counter()
                    rows = export_grievances(s, Path(folder) / f"e{k}.csv", TODAY)
                    exports.append(time.perf_counter() - t0)
        finally:
            store.close()
    return [
        (f"file {CASES - existing:,} grievances (service, one transaction)", f"{filing:.2f} s"),
        (f"due_this_week, {CASES:,} cases ({week_n} rows; target ≤ 20 ms)", _ms(week)),
        (f"list_grievances, open cases ({list_n:,} rows)", _ms(listing)),
        ("get_grievance (case view)", _ms(show)),
        (f"CSV export, {rows:,} cases", _ms(exports)),
    ]


if __name__ == "__main__":
    print_rows(__name__, run())
