"""The hybrid logical clock (HLC) of a database, and the database's node id.

An HLC value is one integer: milliseconds since 1970 shifted left by 16 bits, plus a
16-bit counter. :func:`advance` never returns a value at or below the last one, whatever
the wall clock says, so a laptop whose clock is wrong (or set back) still orders its own
edits. The last value is kept in the ``sync_node`` row and every value received from a
peer moves it forward too (:func:`tick` with ``seen``), so after a restore the clock
catches up with what the peers have seen from it.

The node id is made once per database file. It is remade when the file turns up on
another machine or path (a copied file must not share its id with the original).
"""

import os
import socket
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from strikeboard.store.models import SyncNode

LOGICAL_BITS = 16


def wall_ms() -> int:
    """The wall clock in milliseconds since 1970 (replaced in tests to turn it back)."""
    return time.time_ns() // 1_000_000


def advance(last: int, wall: int) -> int:
    """The next clock value after ``last`` at wall-clock time ``wall`` (ms): always above ``last``."""
    physical = wall << LOGICAL_BITS
    return physical if physical > last else last + 1


def of_instant(moment: datetime) -> int:
    """The clock value of an instant (its milliseconds, counter 0)."""
    return int(moment.timestamp() * 1000) << LOGICAL_BITS


def instant(value: int) -> datetime:
    """The wall-clock instant of a clock value (UTC)."""
    return datetime.fromtimestamp((value >> LOGICAL_BITS) / 1000, UTC)


def home(connection: Connection) -> str:
    """Where this database lives: host and file for SQLite, server and name for PostgreSQL."""
    url = connection.engine.url
    if url.get_backend_name() == "sqlite":
        return f"{socket.gethostname()}:{os.path.realpath(url.database or '')}"[:500]
    return f"{url.host or ''}:{url.port or ''}/{url.database or ''}"[:500]


def _insert(connection: Connection) -> type[sqlite.Insert] | type[postgresql.Insert]:
    return postgresql.Insert if connection.dialect.name == "postgresql" else sqlite.Insert


def tick(connection: Connection, *, seen: int = 0) -> tuple[str, int]:
    """Issue a new clock value inside the connection's write transaction: ``(node id, value)``.

    The value is above the stored clock, above ``seen`` (the newest value received from a
    peer) and, when the wall clock is right, at the wall clock. Creates the node id on first use.
    """
    here = home(connection)
    # The usual case in one round trip: this file's node, clock moved in place.
    greatest = func.greatest if connection.dialect.name == "postgresql" else func.max
    floor = max(seen + 1, wall_ms() << LOGICAL_BITS)
    quick = (
        update(SyncNode)
        .where(col(SyncNode.id) == 1, col(SyncNode.home) == here)
        .values(clock=greatest(col(SyncNode.clock) + 1, floor))
        .returning(col(SyncNode.node_id), col(SyncNode.clock))
    )
    done = connection.execute(quick).first()
    if done is not None:
        return str(done[0]), int(done[1])
    statement = select(col(SyncNode.node_id), col(SyncNode.home), col(SyncNode.clock)).where(
        col(SyncNode.id) == 1
    )
    row = connection.execute(statement.with_for_update()).first()
    if row is None:
        node = uuid.uuid4().hex
        value = advance(seen, wall_ms())
        insert = _insert(connection)(SyncNode).values(id=1, node_id=node, home=here, clock=value)
        connection.execute(insert.on_conflict_do_nothing())
        row = connection.execute(statement.with_for_update()).one()
        if row.node_id == node:
            return node, value
    node = row.node_id if row.home == here else uuid.uuid4().hex
    value = advance(max(int(row.clock), seen), wall_ms())
    connection.execute(
        update(SyncNode).where(col(SyncNode.id) == 1).values(node_id=node, home=here, clock=value)
    )
    return node, value


def node_id(connection: Connection) -> str:
    """This database's node id without issuing a value ("" before its first synced write)."""
    row = connection.execute(
        select(col(SyncNode.node_id), col(SyncNode.home)).where(col(SyncNode.id) == 1)
    ).first()
    if row is None or row.home != home(connection):
        return ""
    return str(row.node_id)
