"""Sign-in → committed, through the service, on a WGA-scale database (synchronous=FULL).

Signs in 300 members, one write transaction each, to the shifts running at the demo's
"now" (a copy of the cached 11,500-member demo, so the cache stays clean), and prints
p50/p99 of the time from the call to the commit returning. The TUI adds its own
rendering on top; this is the part that must never be slow or lost.
Run alone: ``python -m bench.bench_signin``.
"""

import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import col

from bench import Row, print_rows
from bench.bench_launch import prepare_database
from strikeboard.demo import DEMO_NOW, TIME_ZONE
from strikeboard.services.errors import ValidationError
from strikeboard.services.signin import sign_in
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import CheckIn, Member, Shift

SIGN_INS = 300


def sign_in_latencies(store: Store, count: int = SIGN_INS) -> tuple[list[float], int, int]:
    """Sign ``count`` members in, one write transaction each, to the shifts running at the
    demo's now; return the sorted latencies (seconds), the refusals and the running shifts."""
    zone = ZoneInfo(TIME_ZONE)
    today = datetime.now(zone).date()
    now = datetime.combine(today, DEMO_NOW, zone)
    with store.read() as session:
        running = list(
            session.scalars(
                select(col(Shift.id)).where(col(Shift.starts_at) <= now, col(Shift.ends_at) > now)
            )
        )
        busy = set(session.scalars(select(col(CheckIn.member_id)).where(col(CheckIn.shift_id).in_(running))))
        members = [m for m in session.scalars(select(col(Member.id)).limit(4000)) if m not in busy]
    times, refused = [], 0
    for i, member in enumerate(members[:count]):
        started = time.perf_counter()
        try:
            with store.write() as session:
                sign_in(
                    session,
                    shift_id=running[i % len(running)],
                    member_id=member,
                    at=now,
                    by="bench",
                    zone=zone,
                )
        except ValidationError:
            refused += 1  # e.g. an inactive member: still a full round trip
        times.append(time.perf_counter() - started)
    return sorted(times), refused, len(running)


def percentiles(times: list[float]) -> str:
    """``p50 / p99`` of sorted latencies, in milliseconds."""
    p50 = 1000 * statistics.median(times)
    p99 = 1000 * times[int(0.99 * (len(times) - 1))]
    return f"{p50:.1f} ms / {p99:.1f} ms"


def run() -> list[Row]:
    """p50/p99 of sign-in commits."""
    source, _ = prepare_database()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "strike.db"
        shutil.copy(source, db)  # the cached file is closed and checkpointed: a plain copy is fine here
        store = open_store(str(db))
        try:
            times, refused, running = sign_in_latencies(store)
        finally:
            store.close()
    return [
        ("sign-ins", f"{len(times)} ({refused} refused by a rule) on {running} running shifts"),
        ("sign-in → committed, p50 / p99", f"{percentiles(times)} (target p99 ≤ 15 ms)"),
    ]


if __name__ == "__main__":
    print_rows("bench_signin", run())
