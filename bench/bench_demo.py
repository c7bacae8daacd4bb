"""How long the demo strike takes to make: generation at full size, and the copy + re-date
that ``make run`` does at every launch (in process, and end to end through the CLI).

Run alone with ``python -m bench.bench_demo``; ``python -m bench`` includes it.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench import Row, print_rows

MEMBERS = 11_500
SEED = 2023
TODAY = date(2026, 11, 25)
REDATE_TO = TODAY + timedelta(days=25)  # across a month end, not a whole number of weeks
REPEATS = 3


def _seconds(value: float) -> str:
    return f"{value:.2f} s"


def run() -> list[Row]:
    """Generate the full-size demo once, then time the copy + re-date a few times (median)."""
    from strikeboard import demo  # imported here so that ``python -m bench`` stays light

    with tempfile.TemporaryDirectory(prefix="bench-demo-") as folder:
        source, out = Path(folder) / "sample.db", Path(folder) / "run.db"
        started = time.perf_counter()
        demo.generate(source, members=MEMBERS, seed=SEED, today=TODAY)
        generated = time.perf_counter() - started

        in_process = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            demo.copy_redated(source, out, REDATE_TO)
            in_process.append(time.perf_counter() - started)

        command = [
            sys.executable,
            "-m",
            "strikeboard",
            "demo",
            "--from",
            str(source),
            "--out",
            str(out),
            "--today",
            REDATE_TO.isoformat(),
        ]
        end_to_end = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            end_to_end.append(time.perf_counter() - started)

        size = source.stat().st_size
    return [
        (f"demo generate, {MEMBERS:,} members", _seconds(generated)),
        (f"demo file size, {MEMBERS:,} members", f"{size / 1e6:.1f} MB"),
        ("demo copy+redate, in process (median)", _seconds(statistics.median(in_process))),
        ("demo copy+redate, CLI end to end (make run, median)", _seconds(statistics.median(end_to_end))),
    ]


if __name__ == "__main__":
    print_rows("bench_demo", run())
