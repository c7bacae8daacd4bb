"""The PostgreSQL lane: copy the WGA-scale demo to a server, then sign-in → committed.

Uses ``STRIKEBOARD_BENCH_PG`` (default: the local test server) to create a scratch
database, copies the cached 11,500-member demo into it with ``strikeboard copy``'s
function, signs 300 members in as :mod:`bench.bench_signin` does, and drops it.
Run alone: ``python -m bench.bench_postgres``.
"""

import os
import time
import uuid

from sqlalchemy import create_engine, make_url, text

from bench import Row, print_rows
from bench.bench_launch import prepare_database
from bench.bench_signin import percentiles, sign_in_latencies
from strikeboard.store.db import open_store
from strikeboard.store.transfer import copy_database

SERVER = os.environ.get("STRIKEBOARD_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def run() -> list[Row]:
    """Copy time and sign-in latency on PostgreSQL over loopback."""
    name = f"sb_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(SERVER), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server here: say so instead of failing the whole bench run
        return [("PostgreSQL", f"not measured: {str(exc).splitlines()[0]}")]
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        source_path, _ = prepare_database()
        source, target = open_store(str(source_path)), open_store(url)
        try:
            started = time.perf_counter()
            copied = copy_database(source, target)
            copy_seconds = time.perf_counter() - started
            times, refused, running = sign_in_latencies(target)
        finally:
            source.close()
            target.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    rows = sum(c.rows for c in copied)
    return [
        ("copy the 11,500-member demo to PostgreSQL", f"{rows} rows in {copy_seconds:.1f} s"),
        ("sign-ins", f"{len(times)} ({refused} refused by a rule) on {running} running shifts"),
        ("sign-in → committed on loopback, p50 / p99", f"{percentiles(times)} (target p99 ≤ 15 ms)"),
    ]


if __name__ == "__main__":
    print_rows("bench_postgres", run())
