"""Several processes signing people in on one SQLite file, with a reader and a backup.

Shared by ``tests/test_concurrency.py`` (a small run that checks the counts) and
``bench/bench_concurrency.py`` (2, 4 and 8 writers, latency figures).
"""

import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.services.shifts import live_check_in
from strikeboard.store.backup import backup, integrity_problem
from strikeboard.store.db import open_store
from strikeboard.store.models import CheckIn, Location, Member, Shift

_WRITER = """
import sys, time, uuid
from datetime import datetime, UTC
from zoneinfo import ZoneInfo
from strikeboard.services.signin import sign_in
from strikeboard.store.db import open_store
store = open_store(sys.argv[1])
shift = uuid.UUID(sys.argv[2])
errors, latencies = 0, []
sys.stdin.readline()  # start together
for member in sys.argv[3:]:
    started = time.perf_counter()
    try:
        with store.write() as session:
            sign_in(session, shift_id=shift, member_id=uuid.UUID(member), at=datetime.now(UTC),
                    by="bench", zone=ZoneInfo("UTC"))
    except Exception as exc:
        errors += 1
        print("error", type(exc).__name__, exc, file=sys.stderr)
    latencies.append(time.perf_counter() - started)
print(errors, " ".join(f"{x:.6f}" for x in latencies))
"""


@dataclass(frozen=True)
class Outcome:
    """What one run of several writers did."""

    writers: int
    attempted: int
    committed: int
    errors: int
    latencies: list[float]
    backup_ok: bool

    def percentile(self, share: float) -> float:
        """Commit latency at ``share`` (0–1), in milliseconds."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def prepare(db: Path, members: int) -> tuple[str, list[str]]:
    """A database with one running shift and ``members`` members; returns their ids."""
    store = open_store(str(db))
    with store.write() as session:
        gate = Location(name="Gate")
        session.add(gate)
        people = [Member(member_number=str(i), first_name=f"M{i}") for i in range(members)]
        session.add_all(people)
        session.flush()
        now = datetime.now(UTC)
        shift = Shift(
            location_id=gate.id, starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=4)
        )
        session.add(shift)
        session.flush()
        ids = (str(shift.id), [str(p.id) for p in people])
    store.close()
    return ids


def run(writers: int, per_writer: int, folder: Path | None = None) -> Outcome:
    """Start ``writers`` processes signing in ``per_writer`` distinct members each, at once."""
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        db = Path(tmp) / "strike.db"
        shift, members = prepare(db, writers * per_writer)
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _WRITER,
                    str(db),
                    shift,
                    *members[i * per_writer : (i + 1) * per_writer],
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(writers)
        ]
        time.sleep(1.0)  # let every writer import and open the database
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        reads = 0
        store = open_store(str(db))
        backup_ok = False
        while any(proc.poll() is None for proc in procs):
            with store.read() as session:  # a reader polling the board, as a TUI does
                session.scalar(select(func.count()).select_from(CheckIn))
            reads += 1
            if not backup_ok and reads == 5:  # and a backup taken in the middle of it all
                copy = backup(db, out=Path(tmp) / "copy.db")
                backup_ok = integrity_problem(copy.path) is None
        errors, latencies = 0, []
        for proc in procs:
            out, _ = proc.communicate()
            count, _, times = out.strip().partition(" ")
            errors += int(count)
            latencies += [float(x) for x in times.split()]
        with store.read() as session:
            committed = int(
                session.scalar(
                    select(func.count())
                    .select_from(CheckIn)
                    .where(col(CheckIn.shift_id) == uuid.UUID(shift), live_check_in())
                )
                or 0
            )
        store.close()
    return Outcome(writers, writers * per_writer, committed, errors, latencies, backup_ok)
