"""The hash-chained audit trail, recorded in one place for every service.

Sessions made by :class:`~strikeboard.store.db.Store` are :class:`AuditedSession`: after
each flush, every insert, update and delete of an audited table becomes one
``audit_event`` row with who (``session.info["actor"]``), when, what and the values
before/after (the whole row for inserts and deletes, the changed columns only for
updates), all JSON-safe. Each event's ``hash`` is the SHA-256 of its canonical JSON,
which includes the previous event's hash, so editing or removing a past event breaks the
chain that :func:`verify_chain` walks.

Events are numbered while the transaction holds the write lock (SQLite's
``BEGIN IMMEDIATE``; on PostgreSQL a transaction-level advisory lock), so concurrent
writers append one unbroken chain. Core statements that bypass the ORM (the bulk member
import) are not seen here: their callers record a summary (``services.audit.record_import``).
A session with ``info["history"] = False`` records nothing here (nor sync versions, see
:mod:`strikeboard.store.versions`): only the demo generator, which builds a made-up strike
that must come out byte-identical every time, uses it.
"""

import enum
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, event, insert, inspect, select, text
from sqlalchemy.orm import InstanceState, UOWTransaction
from sqlmodel import Session, col

from strikeboard.store.models import AuditEvent

#: The tables whose changes are audited (everything that holds strike data).
AUDITED_TABLES = frozenset(
    {
        "member",
        "availability",
        "availability_window",
        "availability_exception",
        "location",
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

#: Columns whose change alone is not worth an event.
_NOISE = frozenset({"updated_at"})
#: An arbitrary constant naming the PostgreSQL advisory lock that serialises appends.
_PG_LOCK = 0x5EB0A7D17


_LAST = select(col(AuditEvent.seq), col(AuditEvent.hash)).order_by(col(AuditEvent.seq).desc()).limit(1)
_APPEND = insert(AuditEvent)


@dataclass(frozen=True)
class Change:
    """One change to record: the action, the table, the record and its values."""

    action: str  # create, update, delete, export, import
    table_name: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: UUIDs as hex strings, instants and dates as ISO 8601."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def canonical(payload: Mapping[str, Any]) -> bytes:
    """The canonical JSON bytes of an event (sorted keys, no spaces, ASCII only)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def event_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    table_name: str,
    record_id: str,
    before: Any,
    after: Any,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the event's canonical JSON, which includes the previous hash."""
    payload = {
        "seq": seq,
        "at": jsonable(at),
        "actor": actor,
        "action": action,
        "table": table_name,
        "record": record_id,
        "before": before,
        "after": after,
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical(payload)).hexdigest()


# --------------------------------------------------------------------------- recording


class AuditedSession(Session):
    """A session whose flushes append audit events for the audited tables."""


def _table(state: InstanceState[Any]) -> str:
    return str(state.mapper.persist_selectable.description)


def _record_id(state: InstanceState[Any]) -> str:
    identity = state.identity or state.mapper.primary_key_from_instance(state.obj())
    if _table(state) == "grievance_grievant":
        return str(identity[0])  # the grievance: its grievants are found under its id
    return "/".join(str(part) for part in identity)


def _row(state: InstanceState[Any]) -> dict[str, Any]:
    values = state.dict
    return {prop.key: jsonable(values.get(prop.key)) for prop in state.mapper.column_attrs}


def _update(state: InstanceState[Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for prop in state.mapper.column_attrs:
        history = state.attrs[prop.key].history
        if not history.added and not history.deleted:
            continue
        if history.deleted:
            before[prop.key] = jsonable(history.deleted[0])
        after[prop.key] = jsonable(history.added[0] if history.added else None)
    if not after.keys() - _NOISE:
        return None  # nothing changed (the ORM drops values set to what they were) or only the stamp
    return before, after


def collect(session: Session) -> list[Change]:
    """The changes of the flush in progress (call from ``after_flush``)."""
    changes: list[Change] = []
    for obj in session.new:
        state = inspect(obj)
        table = _table(state)
        if table in AUDITED_TABLES:
            changes.append(Change("create", table, _record_id(state), None, _row(state)))
    for obj in session.dirty:
        state = inspect(obj)
        table = _table(state)
        if table in AUDITED_TABLES and state.modified:
            diff = _update(state)
            if diff is not None:
                changes.append(Change("update", table, _record_id(state), diff[0], diff[1]))
    for obj in session.deleted:
        state = inspect(obj)
        table = _table(state)
        if table in AUDITED_TABLES:
            changes.append(Change("delete", table, _record_id(state), _row(state), None))
    return changes


def _last(connection: Connection) -> tuple[int, str]:
    """The newest event's (seq, hash); (0, "") before the first. Takes the append lock."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    row = connection.execute(_LAST).first()
    return (0, "") if row is None else (int(row[0]), str(row[1]))


def append_events(connection: Connection, changes: Iterable[Change], *, actor: str) -> int:
    """Append ``changes`` to the chain inside the connection's (write) transaction; return how many."""
    pending = list(changes)
    if not pending:
        return 0
    seq, prev = _last(connection)
    at = datetime.now(UTC)
    actor = actor[:120]
    rows = []
    for change in pending:
        seq += 1
        record_id = change.record_id[:64]
        digest = event_hash(
            seq=seq,
            at=at,
            actor=actor,
            action=change.action,
            table_name=change.table_name,
            record_id=record_id,
            before=change.before,
            after=change.after,
            prev_hash=prev,
        )
        rows.append(
            {
                "id": uuid.uuid4(),
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": change.action,
                "table_name": change.table_name,
                "record_id": record_id,
                "before": change.before,
                "after": change.after,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    connection.execute(_APPEND, rows)
    return len(rows)


@event.listens_for(AuditedSession, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    if session.info.get("history") is False:  # a session that builds a whole new database (the demo)
        return
    changes = collect(session)
    if changes:
        append_events(session.connection(), changes, actor=str(session.info.get("actor", "")))


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class ChainReport:
    """The result of :func:`verify_chain`: how many events, and the first break if any."""

    events: int
    broken_seq: int | None = None
    reason: str = ""
    head: str = ""  # the newest event's hash when intact: note it to detect a truncated tail later

    @property
    def intact(self) -> bool:
        """True when every event's hash and link are right."""
        return self.broken_seq is None


def _stored(connection: Connection) -> Iterator[Any]:
    columns = [getattr(AuditEvent, name) for name in ("seq", "at", "actor", "action", "table_name")]
    rest = [col(AuditEvent.record_id), col(AuditEvent.before), col(AuditEvent.after)]
    statement = select(*columns, *rest, col(AuditEvent.prev_hash), col(AuditEvent.hash))
    result = connection.execution_options(yield_per=2000).execute(statement.order_by(col(AuditEvent.seq)))
    yield from result


def verify_chain(connection: Connection) -> ChainReport:
    """Walk the chain in order and report the first event that was changed, removed or inserted."""
    count = 0
    expected_seq, prev = 1, ""
    for row in _stored(connection):
        seq = int(row.seq)
        if seq != expected_seq:
            what = (
                f"event {expected_seq} is missing (the numbers jump from {expected_seq - 1} to {seq})"
                if seq > expected_seq
                else f"event {seq} is out of order"
            )
            return ChainReport(count, expected_seq, what)
        if row.prev_hash != prev:
            return ChainReport(
                count, seq, f"event {seq} does not link to event {seq - 1} (one of them was replaced)"
            )
        digest = event_hash(
            seq=seq,
            at=row.at,
            actor=row.actor,
            action=row.action,
            table_name=row.table_name,
            record_id=row.record_id,
            before=row.before,
            after=row.after,
            prev_hash=row.prev_hash,
        )
        if digest != row.hash:
            return ChainReport(
                count, seq, f"event {seq} was changed after it was recorded (its hash differs)"
            )
        count += 1
        expected_seq, prev = seq + 1, row.hash
    return ChainReport(count, head=prev)
