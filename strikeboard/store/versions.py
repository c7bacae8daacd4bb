"""Row versions for offline merging, recorded after every flush of a store's session.

Each insert, update or delete of a synced table gets a ``sync_version`` row: the hybrid
logical clock value of the change, the node that made it, a tombstone flag for deletes, and
the row's ``updated_at`` at that moment (so a later Core ``UPDATE`` that bypasses the ORM is
noticed at the next export). Each version of a grievance also keeps its text with the version
it replaced (``sync_grievance_text``), which is how parallel edits are found at merge time.
"""

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstanceState, UOWTransaction
from sqlmodel import Session, SQLModel, col

from strikeboard.store import hlc
from strikeboard.store.audit import AuditedSession
from strikeboard.store.models import SyncGrievanceText, SyncVersion

#: The tables merged between databases, parents before children.
SYNCED_TABLES: tuple[str, ...] = tuple(
    table.name
    for table in SQLModel.metadata.sorted_tables
    if table.name
    in {
        "location",
        "member",
        "availability",
        "availability_window",
        "availability_exception",
        "shift",
        "assignment",
        "check_in",
        "hours_credit",
        "incident",
        "grievance",
        "grievance_grievant",
        "grievance_event",
        "information_request",
        "setting",
    }
)
_SYNCED = frozenset(SYNCED_TABLES)
#: The grievance fields whose parallel edits are kept for a person to settle.
TEXT_FIELDS = ("summary", "remedy")


def table(name: str) -> Table:
    """The SQLAlchemy table called ``name``."""
    return SQLModel.metadata.tables[name]


def key_part(value: Any) -> str:
    """One primary-key value as it appears in a row id (UUIDs as 32 hex digits)."""
    return value.hex if isinstance(value, uuid.UUID) else str(value)


def row_id(values: Sequence[Any]) -> str:
    """The row id of a row with these primary-key values."""
    return "/".join(key_part(value) for value in values)


def insert_for(connection: Connection) -> Any:
    """The dialect's INSERT construct (for ``ON CONFLICT``)."""
    return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert


def save_versions(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Insert or replace ``sync_version`` rows (dicts with every column)."""
    pending = list(rows)
    if not pending:
        return
    statement = insert_for(connection)(SyncVersion)
    statement = statement.on_conflict_do_update(
        index_elements=["table_name", "row_id"],
        set_={name: statement.excluded[name] for name in ("hlc", "node", "deleted", "stamp", "changed")},
    )
    connection.execute(statement, pending)


def save_texts(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Insert grievance text versions not already there."""
    pending = list(rows)
    if pending:
        statement = insert_for(connection)(SyncGrievanceText).on_conflict_do_nothing()
        connection.execute(statement, pending)


def current_versions(connection: Connection, name: str, ids: Sequence[str]) -> dict[str, tuple[int, str]]:
    """The stored (hlc, node) of these rows of ``name`` (missing rows are left out)."""
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(ids), 500):
        statement = select(col(SyncVersion.row_id), col(SyncVersion.hlc), col(SyncVersion.node)).where(
            col(SyncVersion.table_name) == name, col(SyncVersion.row_id).in_(ids[start : start + 500])
        )
        for rid, value, node in connection.execute(statement):
            found[rid] = (int(value), str(node))
    return found


def _changed(state: InstanceState[Any]) -> bool:
    return any(state.attrs[prop.key].history.has_changes() for prop in state.mapper.column_attrs)


def _old(state: InstanceState[Any], name: str) -> Any:
    history = state.attrs[name].history
    return history.deleted[0] if history.deleted else state.dict.get(name)


def text_row(
    gid: uuid.UUID, at: tuple[int, str], prev: tuple[int, str], text: dict[str, Any]
) -> dict[str, Any]:
    """A ``sync_grievance_text`` row: the text of grievance ``gid`` at version ``at``."""
    return {
        "grievance_id": gid,
        "hlc": at[0],
        "node": at[1],
        "prev_hlc": prev[0],
        "prev_node": prev[1],
        "summary": text.get("summary") or "",
        "remedy": text.get("remedy") or "",
    }


#: The ``prev`` of a first known version: nothing came before it.
ROOT = (-1, "")


@event.listens_for(AuditedSession, "after_flush")
def _record_versions(session: Session, _context: UOWTransaction) -> None:
    if session.info.get("history") is False:  # the demo generator (see strikeboard.store.audit)
        return
    found = [(inspect(obj), "new") for obj in session.new]
    found += [(inspect(obj), "edit") for obj in session.dirty if inspect(obj).modified]
    found = [(state, how) for state, how in found if how == "new" or _changed(state)]
    found += [(inspect(obj), "gone") for obj in session.deleted]
    found = [(state, how) for state, how in found if state.mapper.persist_selectable.description in _SYNCED]
    if not found:
        return
    connection = session.connection()
    node, value = hlc.tick(connection)
    versions: dict[tuple[str, str], dict[str, Any]] = {}
    grievances: list[tuple[InstanceState[Any], str]] = []
    for state, how in found:
        name = str(state.mapper.persist_selectable.description)
        rid = row_id(state.mapper.primary_key_from_instance(state.obj()))
        stamp = state.dict.get("updated_at")
        versions[(name, rid)] = {
            "table_name": name,
            "row_id": rid,
            "hlc": value,
            "node": node,
            "deleted": how == "gone",
            "stamp": stamp if how != "gone" and isinstance(stamp, datetime) else None,
            "changed": value,
        }
        if name == "grievance" and how != "gone":
            grievances.append((state, how))
    if grievances:
        _record_texts(connection, grievances, (value, node))
    save_versions(connection, versions.values())


def _record_texts(
    connection: Connection, states: list[tuple[InstanceState[Any], str]], at: tuple[int, str]
) -> None:
    before = current_versions(connection, "grievance", [state.dict["id"].hex for state, _ in states])
    rows = []
    for state, how in states:
        gid = state.dict["id"]
        if how == "new":
            rows.append(text_row(gid, at, ROOT, state.dict))
            continue
        prev = before.get(gid.hex, (0, ""))
        # The version edited here, in case it is not known yet (a row written in bulk).
        rows.append(text_row(gid, prev, ROOT, {name: _old(state, name) for name in TEXT_FIELDS}))
        rows.append(text_row(gid, at, prev, state.dict))
    save_texts(connection, rows)
