"""Re-dating: copy a demo database and move every date so that the demo's "today" becomes a new one.

``make run`` uses :func:`copy_redated` to open a strike that is always in progress.
"""

import json
import os
import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date
from sqlmodel import SQLModel

from strikeboard.demo.files import install, remove_db, temp_beside
from strikeboard.demo.holidays import demo_holidays
from strikeboard.demo.shape import DEMO_NOW, DEMO_TODAY_KEY, SLOTS, TIME_ZONE
from strikeboard.store.models import AvailabilityException, AvailabilityWindow
from strikeboard.store.probe import StoreError
from strikeboard.store.types import UTCDateTime

#: Minutes in a day, as availability windows count them.
DAY_MINUTES = 24 * 60


def dated_columns() -> list[tuple[str, list[str], list[str]]]:
    """Every table holding instants or dates: (table, UTCDateTime columns, Date columns).

    Read from the SQLModel metadata, so a new table or column is re-dated without anyone
    remembering to list it here.
    """
    found = []
    for table in SQLModel.metadata.sorted_tables:
        instants = [column.name for column in table.columns if isinstance(column.type, UTCDateTime)]
        dates = [column.name for column in table.columns if isinstance(column.type, Date)]
        if instants or dates:
            found.append((table.name, instants, dates))
    return found


def _open_source(source: Path) -> sqlite3.Connection:
    """Open ``source`` read-only.

    With no ``-wal`` file nobody has the database open and everything is in the main
    file: it is opened ``immutable``, so that not even ``-wal``/``-shm`` files appear
    beside it. Otherwise it is opened ``mode=ro``, which reads the log consistently.
    """
    path = source.resolve()
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    return sqlite3.connect(f"{path.as_uri()}?{mode}", uri=True)


def _quote(name: str) -> str:
    """An SQL identifier, quoted (names come from our own metadata)."""
    return f'"{name}"'


def _setting(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


def _offset(zone: ZoneInfo, moment: datetime) -> int:
    """UTC offset of ``zone`` at the naive UTC time ``moment``, in seconds."""
    delta = moment.replace(tzinfo=UTC).astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def _transitions(zone: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[datetime, int, int]]:
    """The offset changes of ``zone`` between two naive UTC times: (instant, before, after)."""
    found = []
    day = lo.replace(hour=0, minute=0, second=0, microsecond=0)
    current = _offset(zone, day)
    while day <= hi:
        following = day + timedelta(days=1)
        after = _offset(zone, following)
        if after != current:
            a, b = day, following  # bisect down to the second
            while b - a > timedelta(seconds=1):
                middle = a + (b - a) / 2
                a, b = (middle, b) if _offset(zone, middle) == current else (a, middle)
            found.append((b.replace(microsecond=0), current, after))
            current = after
        day = following
    return found


def _moved(zone: ZoneInfo, days: int, moment: datetime) -> datetime:
    """The naive UTC time ``moment`` moved ``days`` days in ``zone``'s wall-clock time.

    A moved wall-clock time that falls in a gap or an overlap takes the offset in force
    before the change (``zoneinfo``'s ``fold=0``).
    """
    wall = moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return wall.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def _move_steps(zone: ZoneInfo, days: int, lo: datetime, hi: datetime) -> list[tuple[datetime, int]]:
    """How far (in seconds) :func:`_moved` moves each UTC time in ``[lo, hi]``, as steps.

    Returns ``[(from, seconds), ...]``, ``from`` ascending, the first at ``lo``. The amount
    can only change where the time's own UTC offset changes, or where its moved wall-clock
    time crosses a change; in between it is constant, so one evaluation per step is exact.
    """
    changes = _transitions(
        zone,
        min(lo, lo + timedelta(days=days)) - timedelta(days=2),
        max(hi, hi + timedelta(days=days)) + timedelta(days=2),
    )
    offsets = sorted({offset for _at, before, after in changes for offset in (before, after)})
    points = {at for at, _before, _after in changes}
    for at, before, after in changes:
        for wall in (at + timedelta(seconds=before), at + timedelta(seconds=after)):
            points.update(wall - timedelta(days=days, seconds=offset) for offset in offsets)
    steps: list[tuple[datetime, int]] = []
    for point in [lo, *sorted(p for p in points if lo < p <= hi)]:
        seconds = int((_moved(zone, days, point) - point).total_seconds())
        if not steps or steps[-1][1] != seconds:
            steps.append((point, seconds))
    return steps


def _instant_sql(column: str, steps: list[tuple[datetime, int]]) -> str:
    """SQL moving the stored UTC instant in ``column`` by the amount ``steps`` give for it.

    Stored instants look like ``2026-11-25 19:00:00.000000``: the whole seconds go through
    ``datetime()``, the sub-second digits are carried over untouched.
    """
    whens = " ".join(
        f"WHEN {column} < '{next_start:%Y-%m-%d %H:%M:%S}' THEN '{seconds:+d} seconds'"
        for (_start, seconds), (next_start, _next) in pairwise(steps)
    )
    modifier = (
        f"CASE {whens} ELSE '{steps[-1][1]:+d} seconds' END" if whens else f"'{steps[-1][1]:+d} seconds'"
    )
    return f"datetime(substr({column}, 1, 19), {modifier}) || substr({column}, 20)"


def slot_hours(now: datetime, zone: ZoneInfo) -> int:
    """Hours to move the demo so that ``now`` falls in the slot that runs at the demo's own "now".

    The demo is recorded at :data:`DEMO_NOW` (11:00) in the 10–14 slot; moving every
    instant by whole slots (4 h) keeps the shift grid and puts a running shift, with
    people on the line, at the real time of day (e.g. +4 h at 15:22, −4 h at 08:00).
    In the first hour of a slot the demo's sign-ins run up to an hour ahead of the clock.
    """
    start, end = next(slot for slot in SLOTS if slot[0] <= DEMO_NOW.hour < slot[1])
    local = now.astimezone(zone)
    minutes = local.hour * 60 + local.minute - start * 60
    return (minutes // ((end - start) * 60)) * (end - start)


def _move_windows(conn: sqlite3.Connection, days: int, hours: int) -> None:
    """Turn the weekly windows by ``days`` and move them ``hours`` later in local time.

    A window keeps its start within its day (0 to 1439 minutes): one moved past midnight
    (or before it) belongs to the next (or previous) week day.
    """
    table = _quote(AvailabilityWindow.__tablename__)
    if not hours:
        conn.execute(f"UPDATE {table} SET weekday = (weekday + ?) % 7", (days % 7,))
        return
    moved = []
    rows = conn.execute(f"SELECT id, weekday, start_minute, end_minute FROM {table}").fetchall()
    for key, weekday, start, end in rows:
        turn, start_minute = divmod(start + hours * 60, DAY_MINUTES)
        moved.append(((weekday + days + turn) % 7, start_minute, end + hours * 60 - turn * DAY_MINUTES, key))
    conn.executemany(f"UPDATE {table} SET weekday = ?, start_minute = ?, end_minute = ? WHERE id = ?", moved)


def _move_exceptions(conn: sqlite3.Connection, hours: int) -> None:
    """Move the dated exceptions (already on their new dates) ``hours`` later in local time.

    A window moves like a weekly one (its date turns when its start passes midnight). A whole
    day off becomes the same 24 hours moved: a window on its day plus the part that now falls
    on the next (or previous) day, so the shifts it kept people off are still the ones it
    keeps them off. A whole day *available* stays as it is (it replaces that day's windows).
    """
    table = _quote(AvailabilityException.__tablename__)
    shift = hours * 60
    moved, added = [], []
    rows = conn.execute(
        f"SELECT id, member_id, on_date, available, start_minute, end_minute, note FROM {table}"
    ).fetchall()
    for key, member, on_date, available, start, end, note in rows:
        day = date.fromisoformat(on_date)
        if start is not None and end is not None:
            turn, start_minute = divmod(start + shift, DAY_MINUTES)
            on = (day + timedelta(days=turn)).isoformat()
            moved.append((on, start_minute, end + shift - turn * DAY_MINUTES, key))
        elif not available:
            if shift > 0:
                moved.append((day.isoformat(), shift, DAY_MINUTES + shift, key))
                extra = (day + timedelta(days=1), 0, shift)
            else:
                moved.append((day.isoformat(), 0, DAY_MINUTES + shift, key))
                extra = (day - timedelta(days=1), DAY_MINUTES + shift, 2 * DAY_MINUTES + shift)
            added.append((uuid.uuid4().hex, member, extra[0].isoformat(), 0, extra[1], extra[2], note))
    conn.executemany(f"UPDATE {table} SET on_date = ?, start_minute = ?, end_minute = ? WHERE id = ?", moved)
    conn.executemany(
        f"INSERT INTO {table} (id, member_id, on_date, available, start_minute, end_minute, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        added,
    )


def _redate(conn: sqlite3.Connection, today: date, source: Path, now: datetime | None = None) -> None:
    """Move every date and instant of the open copy ``conn`` so that the demo's today is ``today``.

    With ``now``, instants also move by whole slots (:func:`slot_hours`) so that a shift
    with people signed in is running at ``now``'s time of day.
    """
    stored = _setting(conn, DEMO_TODAY_KEY)
    if not isinstance(stored, str):
        raise StoreError(f"{source} is not a demo database (it has no {DEMO_TODAY_KEY} setting).")
    days = (today - date.fromisoformat(stored)).days
    zone = ZoneInfo(_setting(conn, "time_zone") or TIME_ZONE)
    hours = 0 if now is None else slot_hours(now, zone)
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    columns = [entry for entry in dated_columns() if entry[0] in tables]
    conn.execute("BEGIN IMMEDIATE")
    try:
        if days or hours:
            stamps: list[str] = []
            for table, instants, _dates in columns:
                if instants:
                    bounds = ", ".join(f"min({_quote(c)}), max({_quote(c)})" for c in instants)
                    stamps += [
                        v for v in conn.execute(f"SELECT {bounds} FROM {_quote(table)}").fetchone() if v
                    ]
            parsed = [datetime.fromisoformat(stamp[:19]) for stamp in stamps] or [datetime(2000, 1, 1)]
            steps = _move_steps(zone, days, min(parsed) - timedelta(days=1), max(parsed) + timedelta(days=1))
            steps = [(start, seconds + hours * 3600) for start, seconds in steps]
            for table, instants, dates in columns:
                sets = [f"{_quote(c)} = {_instant_sql(_quote(c), steps)}" for c in instants]
                sets += [f"{_quote(c)} = date({_quote(c)}, '{days:+d} days')" for c in dates]
                conn.execute(f"UPDATE {_quote(table)} SET {', '.join(sets)}")
            # Weekly windows turn with the shifts they were drawn for, and move by the same hours.
            _move_windows(conn, days, hours)
            if hours:
                _move_exceptions(conn, hours)
        conn.execute(
            "UPDATE setting SET value = ? WHERE key = ?", (json.dumps(today.isoformat()), DEMO_TODAY_KEY)
        )
        holidays = json.dumps([day.isoformat() for day in demo_holidays(today)])
        conn.execute("UPDATE setting SET value = ? WHERE key = 'holidays'", (holidays,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def copy_redated(source: Path, out: Path, today: date, *, now: datetime | None = None) -> None:
    """Copy the demo database ``source`` to ``out``, moving every date so that its today is ``today``.

    ``source`` is opened read-only and never changes. Every date column moves by the
    whole number of days between the demo's stored today and ``today``; every instant
    keeps its wall-clock time in the strike's zone (a 06:00 shift stays at 06:00 across
    a daylight-saving change). Weekly availability windows turn with them, and the
    holiday list is recomputed for the new dates (holidays are real calendar days).
    With ``now`` (``make run``), instants also move by whole 4-hour slots so that people
    are on the line at the real time of day (:func:`slot_hours`); availability windows and
    dated exceptions move by the same hours, so the scheduler still finds everyone where
    the demo put them.
    The copy is built beside ``out`` and renamed into place.
    """
    source, out = Path(source), Path(out)
    if not source.is_file():
        raise StoreError(f"{source} does not exist: give the demo database to copy.")
    if out.exists() and out.samefile(source):
        raise StoreError(f"{out} is the database being copied: write the copy to another file.")
    tmp = temp_beside(out)
    try:
        with closing(_open_source(source)) as src, closing(sqlite3.connect(tmp, isolation_level=None)) as dst:
            src.backup(dst)
            # A private file nobody else sees until the rename: no need to write every page
            # twice (WAL) or to wait for the disk at each step; one fsync before the rename.
            dst.execute("PRAGMA journal_mode=MEMORY")
            dst.execute("PRAGMA synchronous=OFF")
            _redate(dst, today, source, now)
            dst.execute("PRAGMA journal_mode=WAL")  # as strikeboard keeps its databases
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        install(tmp, out)
    except BaseException:
        remove_db(tmp)
        raise
