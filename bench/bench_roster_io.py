"""Roster at 100k members: CSV import and export, and the search query behind each keystroke.

Targets (issue 3): import of a 100k-row CSV of new members ≤ 2 s including validation,
printed beside a plain ``sqlite3.executemany`` of the same stored rows (the floor) and the
ratio; export of 100k members ≤ 1 s; a search keystroke's query (``first_page``: the count
and the first page, what the roster tab runs) ≤ 50 ms at 100k.

The CSV mixes what real lists hold: accents, formatted and E.164 phones, a few foreign
numbers (which take phonenumbers' slow path), roles and units.

Run alone with ``python -m bench.bench_roster_io``; ``python -m bench`` includes it.
"""

import csv
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench import Row, print_rows

MEMBERS = 100_000
FIRST = ("Zoë", "Ana", "José", "Mary", "Ahmed", "Nguyễn", "Chloé", "Liam", "Aiko", "Olu", "Sam", "Renée")
LAST = ("García", "Smith", "O'Brien", "Kowalski", "Nakamura", "Okafor", "Müller", "Jones", "Ng", "Dubois")
UNITS = ("Paramount", "Netflix", "Warner Bros.", "Disney", "Sony", "Fox", "Universal")


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms (median of {len(samples)})"


def _phone(i: int, rng: random.Random) -> str:
    area = rng.choice((213, 310, 323, 424, 626, 818))
    exchange, line = 200 + i // 10_000, i % 10_000
    style = i % 10
    if style == 0:
        return f"+44 20 7{(i // 10) // 10_000:03d} {(i // 10) % 10_000:04d}"  # abroad: the slow path
    if style < 4:
        return f"+1{area}{exchange:03d}{line:04d}"
    if style < 8:
        return f"({area}) {exchange:03d}-{line:04d}"
    return f"{area}.{exchange:03d}.{line:04d}"


def _write_csv(path: Path) -> None:
    rng = random.Random(3)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Member Number", "First Name", "Last Name", "Email", "can2_phone", "Unit", "Role"])
        for i in range(MEMBERS):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            writer.writerow(
                [
                    f"W{100000 + i}",
                    first,
                    last,
                    f"m{i}@example.org",
                    _phone(i, rng),
                    rng.choice(UNITS),
                    "captain" if i % 50 == 0 else "member",
                ]
            )


def run() -> list[Row]:
    """Import, floor, export and search at 100k members."""
    from zoneinfo import ZoneInfo

    from strikeboard.services.member_export import export_members
    from strikeboard.services.member_import import apply_import
    from strikeboard.services.roster import RosterFilter, first_page
    from strikeboard.services.shifts import week_start
    from strikeboard.store.db import open_store

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-roster-io-") as folder:
        base = Path(folder)
        source = base / "members.csv"
        _write_csv(source)
        size = source.stat().st_size

        store = open_store(str(base / "import.db"))
        try:
            started = time.perf_counter()
            with store.write() as s:
                preview = apply_import(s, source, actor="bench")
            imported = time.perf_counter() - started
            assert preview.applied and preview.new == MEMBERS, preview.rejected[:3]
        finally:
            store.close()

        # The floor: the same stored rows, executemany'd into an empty database of the same schema.
        open_store(str(base / "floor.db")).close()
        with sqlite3.connect(base / "import.db") as src:
            cursor = src.execute("SELECT * FROM member")
            names = [d[0] for d in cursor.description]
            stored = cursor.fetchall()
        floor_db = sqlite3.connect(base / "floor.db", isolation_level=None)
        floor_db.execute("PRAGMA synchronous=FULL")
        started = time.perf_counter()
        floor_db.execute("BEGIN IMMEDIATE")
        floor_db.executemany(
            f"INSERT INTO member ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", stored
        )
        floor_db.execute("COMMIT")
        floor = time.perf_counter() - started
        floor_db.close()
        del stored

        rows += [
            (
                f"import {MEMBERS:,} new members from CSV ({size / 1e6:.1f} MB; target ≤ 2 s)",
                f"{imported:.2f} s",
            ),
            ("floor: sqlite3.executemany of the same rows", f"{floor:.2f} s"),
            ("import / floor", f"{imported / floor:.1f}x"),
        ]

        store = open_store(str(base / "import.db"))
        try:
            exports = []
            for k in range(3):
                with store.read() as s:
                    started = time.perf_counter()
                    count = export_members(s, base / f"out{k}.csv", RosterFilter())
                    exports.append(time.perf_counter() - started)
            rows.append((f"export {count:,} members (target ≤ 1 s)", _ms(exports)))

            zone = ZoneInfo("America/Los_Angeles")
            monday = week_start(date(2026, 11, 25))

            def keystroke(flt: RosterFilter, runs: int = 15) -> tuple[list[float], int]:
                samples, matching = [], 0
                for _ in range(runs):
                    with store.read() as s:
                        t0 = time.perf_counter()
                        matching, _ = first_page(s, flt, 60, week_start=monday, zone=zone)
                        samples.append(time.perf_counter() - t0)
                return samples, matching

            scans = []  # a yardstick for a loaded machine: one plain pass over the member rows
            for _ in range(15):
                with store.read() as s:
                    t0 = time.perf_counter()
                    s.connection().exec_driver_sql(
                        "SELECT count(*) FROM member WHERE length(notes) > 99999"
                    ).all()
                    scans.append(time.perf_counter() - t0)
            rows.append(("yardstick: one scan of the member table", _ms(scans)))
            for query in ("z", "zoe", "zoe garc", "garcia", "w1234", "323 205", "m777@"):
                samples, matching = keystroke(RosterFilter(query=query))
                rows.append(
                    (
                        f"search {query!r}: count + first page ({matching:,} match; target ≤ 50 ms)",
                        _ms(samples),
                    )
                )
            samples, matching = keystroke(RosterFilter(), 10)
            rows.append((f"no search: count + first page by name ({matching:,})", _ms(samples)))
            samples, matching = keystroke(RosterFilter(sort="email", descending=True), 10)
            rows.append(("no search: first page by email, descending", _ms(samples)))
            samples, matching = keystroke(RosterFilter(query="zoe", roles=("captain",)), 10)
            rows.append((f"search 'zoe' + role=captain ({matching:,})", _ms(samples)))
            samples, _ = keystroke(RosterFilter(sort="hours_week", descending=True), 5)
            rows.append(("no search: first page by hours this week", _ms(samples)))
        finally:
            store.close()
    return rows


if __name__ == "__main__":
    print_rows(__name__, run())
