"""Offline merge: export and import of a bundle holding a busy strike day.

Two copies of the cached 11,500-member demo stand for two laptops that were in step in the
morning. During the day laptop A records 5,000 sign-ins (through the ORM, as the sign-in
screen does) and touches all 11,500 members (a Core ``UPDATE``, as a membership CSV import
does). Timed: A exports the day (``--since`` the morning), and B imports that bundle; both
targets are 2 s. The first full export (which gives every bulk-written row its version)
is shown for information. Run alone: ``python -m bench.bench_sync``.
"""

import random
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlmodel import col

from bench import Row, print_rows
from bench.bench_launch import prepare_database
from strikeboard.services.sync import export_bundle, import_bundle
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import CheckIn, Member, Shift, utcnow

SIGN_INS = 5_000


def busy_day(store: Store) -> tuple[int, int]:
    """Record the day on ``store``: 5,000 sign-ins and every member touched; return both counts."""
    rng = random.Random(2023)
    with store.read() as session:
        shifts = list(session.execute(select(col(Shift.id), col(Shift.starts_at)).limit(400)))
        members = list(session.scalars(select(col(Member.id))))
    with store.write(actor="bench") as session:
        for _ in range(SIGN_INS):
            shift_id, starts = rng.choice(shifts)
            session.add(
                CheckIn(
                    shift_id=shift_id,
                    member_id=rng.choice(members),
                    in_at=starts + timedelta(minutes=rng.randint(0, 30)),
                    recorded_by="bench",
                )
            )
        session.flush()
    with store.write(actor="bench") as session:
        session.connection().execute(update(Member).values(notes="picketed today", updated_at=utcnow()))
    return SIGN_INS, len(members)


def run() -> list[Row]:
    """Seconds to export the day's bundle on one laptop and to import it on the other."""
    source, how = prepare_database()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in ("a.db", "b.db"):
            shutil.copy(source, folder / name)  # the cached file is closed and checkpointed
        a, b = open_store(str(folder / "a.db")), open_store(str(folder / "b.db"))
        try:
            started = time.perf_counter()
            with a.write() as session:
                morning = export_bundle(session, folder / "morning.sbsync")
            first = time.perf_counter() - started
            with b.write() as session:
                import_bundle(session, folder / "morning.sbsync")  # in step: B knows A's node
            sign_ins, touched = busy_day(a)
            started = time.perf_counter()
            with a.write() as session:
                day = export_bundle(session, folder / "day.sbsync", morning.clock)
            export_s = time.perf_counter() - started
            started = time.perf_counter()
            with b.write() as session:
                merged = import_bundle(session, folder / "day.sbsync")
            import_s = time.perf_counter() - started
        finally:
            a.close()
            b.close()
    return [
        ("database", f"11,500-member demo ({how})"),
        ("first full export (versions every bulk row)", f"{first:.2f} s, {morning.rows:,} rows"),
        ("the day", f"{sign_ins:,} sign-ins, {touched:,} members touched"),
        (
            "export of the day",
            f"{export_s:.2f} s, {day.rows:,} rows, {day.bytes / 1e6:.1f} MB (target ≤ 2 s)",
        ),
        ("import of the day", f"{import_s:.2f} s, {merged.rows:,} rows changed (target ≤ 2 s)"),
    ]


if __name__ == "__main__":
    print_rows("bench_sync", run())
