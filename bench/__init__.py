"""Reproducible benchmarks: ``python -m bench`` runs every ``bench/bench_*.py`` and prints one table.

Each benchmark module has ``run() -> list[tuple[str, str]]`` (metric, value) and runs
alone too (``python -m bench.bench_launch``). Numbers are printed, never asserted:
benchmarks are not tests. This package imports nothing heavy, so a child process started
as ``python -m bench._bare_app`` pays no more for it than ``python -m strikeboard`` does.
"""

import os
import tempfile
from collections.abc import Sequence

#: The apps benchmarked back up on their own (into the user data folder): keep that out of
#: the user's real folder (a scratch one per run, unless the caller chose one).
os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp(prefix="strikeboard-bench-data-"))

Row = tuple[str, str]


def format_table(rows: Sequence[tuple[str, ...]], header: Sequence[str]) -> str:
    """Rows as a plain-text table with left-aligned columns under ``header``."""
    table = [tuple(header), *rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def print_rows(module: str, rows: Sequence[Row]) -> None:
    """Print one benchmark module's rows as the same table ``python -m bench`` prints."""
    print(format_table([(module, metric, value) for metric, value in rows], ("module", "metric", "value")))
