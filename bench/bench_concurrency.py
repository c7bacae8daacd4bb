"""2, 4 and 8 processes signing people in on one SQLite file at once, with a reader and a backup.

Prints attempted / committed / "database is locked" (or any) errors, and p50/p99 commit
latency (synchronous=FULL, BEGIN IMMEDIATE). Run alone: ``python -m bench.bench_concurrency``.
"""

from bench import Row, print_rows
from bench.concurrency import run as run_writers

PER_WRITER = 250


def run() -> list[Row]:
    """One row per writer count."""
    rows: list[Row] = []
    for writers in (2, 4, 8):
        outcome = run_writers(writers, PER_WRITER)
        rows.append(
            (
                f"{writers} writers × {PER_WRITER} sign-ins + reader + backup",
                f"committed {outcome.committed}/{outcome.attempted}, errors {outcome.errors}, "
                f"p50 {outcome.percentile(0.5):.1f} ms, p99 {outcome.percentile(0.99):.1f} ms, "
                f"backup {'ok' if outcome.backup_ok else 'FAILED'}",
            )
        )
    return rows


if __name__ == "__main__":
    print_rows("bench_concurrency", run())
