"""Offline merging between databases: bundles of changed rows, and the rules that merge them.

A bundle is a file: a first line naming the format, one line of JSON header (format version,
schema revision, node id, the clock when it was made, row counts, a SHA-256 checksum), then
the rows as gzip-compressed JSON. Each row travels with its version (hybrid logical clock
value and node id, see :mod:`strikeboard.store.hlc`); deleted rows travel as tombstones.

Merging a bundle (:func:`import_bundle`) or a whole file (:func:`merge_database`):

- every row is kept if its version is newer than the one here (last writer wins; the node id
  breaks ties), so append-only rows (check-ins, hour credits, grievance events, voids) are a
  union by id and importing twice, or in any order, gives the same database;
- the same member created on two laptops (same member number, or same email) becomes one
  member: the lower id is kept on every laptop, the other one's references are moved to it
  and remembered as an alias for later bundles (likewise a location of the same name, and an
  assignment or availability of the same person);
- two different grievances given the same number keep both: the higher id gets a suffix;
- grievance text (summary, remedy) edited on two laptops since they last merged: the newest
  edit is shown and the other is kept in ``sync_conflict`` for a person to settle.

Nothing is applied when a bundle is from a newer strikeboard, truncated or changed
(checksum), or refers to rows this database has never seen.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import uuid
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    String,
    Table,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import Date, Uuid
from sqlmodel import Session, col

from strikeboard.services.access import require_full_access
from strikeboard.services.audit import record_export
from strikeboard.store import hlc
from strikeboard.store.audit import Change, append_events
from strikeboard.store.models import (
    SyncAlias,
    SyncConflict,
    SyncGrievanceText,
    SyncNode,
    SyncPeer,
    SyncVersion,
    utcnow,
)
from strikeboard.store.probe import SCHEMA_HEAD, SCHEMA_HISTORY
from strikeboard.store.types import UTCDateTime
from strikeboard.store.versions import (
    ROOT,
    SYNCED_TABLES,
    TEXT_FIELDS,
    insert_for,
    row_id,
    save_texts,
    save_versions,
    table,
    text_row,
)

FORMAT = 1
MAGIC = b"STRIKEBOARD-SYNC\n"

#: Rows that mean the same thing when these columns match (the lower id is kept).
SAME_WHEN: dict[str, tuple[tuple[str, ...], ...]] = {
    "member": (("member_number",), ("email",)),
    "location": (("name",),),
    "availability": (("member_id",),),
    "assignment": (("shift_id", "member_id"),),
}
#: Unique columns of different records that may collide: the higher id gets a suffix.
RENAME_WHEN: dict[str, str] = {"grievance": "number"}
#: Unique columns to move out of the way while a row changes id.
_UNIQUE: dict[str, str] = {"member": "member_number", "location": "name"}
_CONFLICT_NS = uuid.UUID("6f1c2a58-4d5e-4b7a-9c3e-8a1f0d2b7c11")

Version = tuple[int, str]


class SyncError(Exception):
    """A bundle or file that cannot be merged; the message is one sentence for the user."""


# --------------------------------------------------------------------------- values


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _raw(column: Any) -> bool:
    """Columns read without result processing (SQLite hands back their stored text)."""
    return isinstance(column.type, Uuid | UTCDateTime | Date | JSON)


def _codec(column: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """How a column's value goes into a bundle and comes out (stored text or a Python value in)."""
    kind = column.type
    if isinstance(kind, Uuid):
        return (lambda v: v if isinstance(v, str) else v.hex), (lambda v: uuid.UUID(hex=v))
    if isinstance(kind, UTCDateTime):
        return (lambda v: v if isinstance(v, str) else v.isoformat()), _instant
    if isinstance(kind, Date):
        return (lambda v: v if isinstance(v, str) else v.isoformat()), date.fromisoformat
    if isinstance(kind, JSON):  # travels as its JSON text
        return (lambda v: v if isinstance(v, str) else json.dumps(v)), json.loads
    return (lambda v: v), (lambda v: v)


@dataclass
class _Shape:
    """How one table's rows are written to and read from a bundle."""

    table: Table
    columns: list[str]
    encoders: list[Callable[[Any], Any]]
    decoders: dict[str, Callable[[Any], Any]]
    pk: list[str]
    stamped: bool  # has updated_at

    @classmethod
    def of(cls, name: str) -> _Shape:
        tbl = table(name)
        columns = [c.name for c in tbl.columns]
        codecs = [_codec(c) for c in tbl.columns]
        return cls(
            tbl,
            columns,
            [enc for enc, _ in codecs],
            {c: dec for c, (_, dec) in zip(columns, codecs, strict=True)},
            [c.name for c in tbl.primary_key.columns],
            "updated_at" in tbl.c,
        )

    def encode(self, row: Sequence[Any]) -> list[Any]:
        return [None if v is None else enc(v) for enc, v in zip(self.encoders, row, strict=True)]

    def decode(self, columns: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
        return {
            c: (None if v is None else self.decoders[c](v))
            for c, v in zip(columns, values, strict=True)
            if c in self.decoders
        }

    def key_values(self, rid: str) -> dict[str, Any]:
        parts = rid.split("/", len(self.pk) - 1)
        return {c: self.decoders[c](p) for c, p in zip(self.pk, parts, strict=True)}

    def rid(self, values: dict[str, Any]) -> str:
        return row_id([values[c] for c in self.pk])

    def where(self, values: dict[str, Any]) -> Any:
        return and_(*(self.table.c[c] == values[c] for c in self.pk))

    def raw_columns(self) -> list[Any]:
        """Every column, UUIDs and dates unprocessed (see :func:`_codec`)."""
        return [type_coerce(c, String) if _raw(c) else c for c in self.table.columns]

    def rid_sql(self, conn: Connection) -> Any:
        """The row id as SQL (on SQLite the stored key itself, so joins use the primary key)."""
        parts: list[Any] = []
        for name in self.pk:
            column = self.table.c[name]
            if isinstance(column.type, Uuid) and conn.dialect.name == "postgresql":
                parts.append(func.replace(cast(column, String), "-", ""))
            else:
                parts.append(type_coerce(column, String))
        expression: Any = parts[0]
        for part in parts[1:]:
            expression = expression + "/" + part
        return expression


_SHAPES: dict[str, _Shape] = {}


def _shape(name: str) -> _Shape:
    if name not in _SHAPES:
        _SHAPES[name] = _Shape.of(name)
    return _SHAPES[name]


@dataclass
class _Stored:
    hlc: int
    node: str
    deleted: bool
    stamp: datetime | None
    changed: int


_V = SyncVersion.__table__  # type: ignore[attr-defined]


def _joined(conn: Connection, shape: _Shape, name: str) -> Any:
    """The table left-joined to its versions."""
    return shape.table.outerjoin(_V, and_(_V.c.table_name == name, _V.c.row_id == shape.rid_sql(conn)))


def _moved(shape: _Shape) -> Any:
    """True where the row's ``updated_at`` moved since its version was recorded (a Core write)."""
    return _V.c.stamp.is_distinct_from(shape.table.c.updated_at) if shape.stamped else literal(False)


def stamp_unversioned(conn: Connection) -> int:
    """Give a version to rows written without the ORM (bulk inserts, Core updates or deletes).

    A row never seen gets HLC 0 (older than any edit); a row changed since its version was
    recorded (its ``updated_at`` moved) gets a new version from this node; a versioned row that
    is gone gets a tombstone. Returns how many versions were written.
    """
    node, value = hlc.tick(conn)
    written = 0
    for name in SYNCED_TABLES:
        shape = _shape(name)
        width = len(shape.pk)
        columns: list[Any] = [type_coerce(shape.table.c[c], String) for c in shape.pk]
        columns.append(type_coerce(shape.table.c.updated_at, String) if shape.stamped else literal(None))
        texts = name == "grievance"
        columns += [shape.table.c[f] for f in TEXT_FIELDS] if texts else []
        statement = (
            select(*columns, _V.c.hlc, _V.c.node)
            .select_from(_joined(conn, shape, name))
            .where(or_(_V.c.row_id.is_(None), _V.c.deleted, _moved(shape)))
        )
        pending: list[dict[str, Any]] = []
        text_rows: list[dict[str, Any]] = []
        for row in conn.execute(statement):
            rid = row_id(row[:width])
            stamp, old_hlc, old_node = row[width], row[-2], row[-1]
            version: Version = (0, "") if old_hlc is None else (value, node)
            pending.append(_version_row(name, rid, version, False, stamp, value))
            if texts:
                text = dict(zip(TEXT_FIELDS, row[width + 1 : width + 1 + len(TEXT_FIELDS)], strict=True))
                prev = ROOT if old_hlc is None else (int(old_hlc), str(old_node))
                gid = row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(hex=row[0])
                text_rows.append(text_row(gid, version, prev, text))
        present = exists(
            select(literal(1)).select_from(shape.table).where(shape.rid_sql(conn) == _V.c.row_id)
        )
        gone = select(_V.c.row_id).where(_V.c.table_name == name, ~_V.c.deleted, ~present)
        for (rid,) in conn.execute(gone):
            pending.append(_version_row(name, rid, (value, node), True, None, value))
        _put_versions(conn, pending)
        save_texts(conn, text_rows)
        written += len(pending)
    return written


def _sqlite_stamp(stamp: Any) -> str | None:
    if stamp is None or isinstance(stamp, str):
        return stamp
    return str(stamp.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds"))


def _put_versions(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert or replace versions whose stamps may be SQLite's stored text (straight to the driver there)."""
    if conn.dialect.name != "sqlite":
        for row in rows:
            if isinstance(row["stamp"], str):
                row["stamp"] = _instant(row["stamp"])
        save_versions(conn, rows)
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.executemany(
        _VERSION_UPSERT,
        [
            (
                r["table_name"],
                r["row_id"],
                r["hlc"],
                r["node"],
                int(r["deleted"]),
                _sqlite_stamp(r["stamp"]),
                r["changed"],
            )
            for r in rows
        ],
    )


def _version_row(
    name: str, rid: str, version: Version, deleted: bool, stamp: Any, changed: int
) -> dict[str, Any]:
    return {
        "table_name": name,
        "row_id": rid,
        "hlc": version[0],
        "node": version[1],
        "deleted": deleted,
        "stamp": stamp,
        "changed": changed,
    }


# --------------------------------------------------------------------------- collecting


def collect(conn: Connection, *, since: int | None, node: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The rows of every synced table with their versions (only those stored here after the
    clock value ``since`` when given), the aliases and grievance text history; and row counts.

    Reads only: a row without a version counts as HLC 0, and a row changed without the ORM
    since its version as a new version of ``node`` at its ``updated_at``.
    """
    tables: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for name in SYNCED_TABLES:
        shape = _shape(name)
        statement = select(*shape.raw_columns(), _V.c.hlc, _V.c.node, _moved(shape))
        if since is None:
            statement = statement.select_from(_joined(conn, shape, name))
        else:
            statement = statement.select_from(_V.join(shape.table, _V.c.row_id == shape.rid_sql(conn))).where(
                _V.c.table_name == name, _V.c.changed > since, ~_V.c.deleted
            )
        pk_at = [shape.columns.index(c) for c in shape.pk]
        stamp_at = shape.columns.index("updated_at") if shape.stamped else -1
        width = len(shape.columns)
        entries: list[list[Any]] = []
        for row in conn.execute(statement):
            values = shape.encode(row[:width])
            rid = "/".join(values[i] for i in pk_at)
            old_hlc, old_node, moved = row[width], row[width + 1], row[width + 2]
            if old_hlc is None:
                version: Version = (0, "")
            elif moved:
                version = (max(int(old_hlc) + 1, hlc.of_instant(_instant(values[stamp_at]))), node)
            else:
                version = (int(old_hlc), str(old_node))
            entries.append([rid, version[0], version[1], values])
        dead = select(_V.c.row_id, _V.c.hlc, _V.c.node).where(_V.c.table_name == name, _V.c.deleted)
        if since is not None:
            dead = dead.where(_V.c.changed > since)
        entries += [[rid, int(h), str(n), None] for rid, h, n in conn.execute(dead)]
        if entries:
            tables[name] = {"columns": shape.columns, "rows": entries}
            counts[name] = len(entries)
    aliases = [
        [t, o, n]
        for t, o, n in conn.execute(
            select(col(SyncAlias.table_name), col(SyncAlias.old_id), col(SyncAlias.new_id))
        )
    ]
    text_columns = [c.name for c in table("sync_grievance_text").columns]
    texts = [
        [r[0].hex, *r[1:]]
        for r in conn.execute(select(*(table("sync_grievance_text").c[c] for c in text_columns)))
    ]
    body = {"tables": tables, "aliases": aliases, "text_columns": text_columns, "texts": texts}
    return body, counts


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class Bundle:
    """A bundle read and checked: its header and its content."""

    header: dict[str, Any]
    body: dict[str, Any]

    @property
    def node(self) -> str:
        """The node id of the database that made it."""
        return str(self.header.get("node", ""))


def _digest(header: dict[str, Any], payload: bytes) -> str:
    fixed = {k: v for k, v in header.items() if k != "sha256"}
    canonical = json.dumps(fixed, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical + b"\n" + payload).hexdigest()


def write_bundle(path: Path, header: dict[str, Any], body: dict[str, Any]) -> int:
    """Write a bundle file (readable by its owner only); returns its size in bytes."""
    payload = gzip.compress(json.dumps(body, separators=(",", ":")).encode(), compresslevel=5, mtime=0)
    header = {**header, "bytes": len(payload)}
    header["sha256"] = _digest(header, payload)
    data = MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + payload
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb", opener=lambda p, flags: os.open(p, flags, 0o600)) as handle:
            handle.write(data)
        partial.replace(path)
    except OSError:  # a full disk, a folder or ".." as the name: never leave half a bundle behind
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    return len(data)


def read_bundle(path: Path) -> Bundle:
    """Read and check a bundle file; :class:`SyncError` says in one sentence why it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SyncError(f"{path} does not exist: give the path of a bundle file.") from None
    except IsADirectoryError:
        raise SyncError(f"{path} is a folder: give the path of a bundle file.") from None
    except OSError as exc:
        raise SyncError(f"{path} cannot be read ({exc.strerror}).") from None
    if not data.startswith(MAGIC):
        raise SyncError(f"{path.name} is not a strikeboard sync bundle.")
    line_end = data.find(b"\n", len(MAGIC))
    try:
        header = json.loads(data[len(MAGIC) : line_end]) if line_end > 0 else None
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise SyncError(f"{path.name} is truncated or damaged (its header cannot be read): ask for it again.")
    if not isinstance(header.get("format"), int) or header["format"] > FORMAT:
        raise SyncError(
            f"{path.name} was written by a newer strikeboard (bundle format {header.get('format')}): "
            "upgrade strikeboard here first."
        )
    if header.get("schema") not in SCHEMA_HISTORY:
        raise SyncError(
            f"{path.name} comes from a newer strikeboard (schema {header.get('schema')}): "
            "upgrade strikeboard here first."
        )
    payload = data[line_end + 1 :]
    if _digest(header, payload) != header.get("sha256"):
        raise SyncError(
            f"{path.name} is truncated or was changed after it was written (its checksum does not match): "
            "ask for it again."
        )
    try:
        body = json.loads(gzip.decompress(payload))
    except (OSError, EOFError, zlib.error, ValueError):
        raise SyncError(f"{path.name} is damaged (its content cannot be read): ask for it again.") from None
    return Bundle(header, body)


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class Exported:
    """What :func:`export_bundle` wrote."""

    path: Path
    rows: int
    bytes: int
    since: int | None
    clock: int  # give this as ``--since`` next time for the changes after this export


def resolve_since(session: Session, since: str | int | None) -> int | None:
    """``None`` (everything), a clock value, or ``"auto"``: this database's previous export."""
    if since is None or since == "":
        return None
    if isinstance(since, int):
        return since
    if since == "auto":
        last = session.connection().execute(select(col(SyncNode.last_export))).scalar()
        return int(last) if last else None
    try:
        value = int(since)
        if not 0 <= value < 2**63:  # a clock value is a non-negative SQLite integer
            raise ValueError(since)
    except ValueError:
        raise SyncError(
            f"--since {since!r} is not a clock value: give the number an export printed, or auto."
        ) from None
    return value


def build_bundle(session: Session, since: int | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and content of a bundle of this database's rows (changed after ``since``)."""
    require_full_access(session, "sync")
    conn = session.connection()
    stamp_unversioned(conn)
    node, clock = hlc.tick(conn)
    body, counts = collect(conn, since=since, node=node)
    header = {
        "format": FORMAT,
        "schema": SCHEMA_HEAD,
        "node": node,
        "created": clock,
        "created_at": hlc.instant(clock).isoformat(),
        "since": since,
        "counts": counts,
    }
    conn.execute(update(SyncNode).where(col(SyncNode.id) == 1).values(last_export=clock))
    _refresh_conflicts(conn, _disputed(conn))  # local edits since the last merge may settle some
    return header, body


def export_bundle(session: Session, path: Path, since: int | None = None) -> Exported:
    """Write a bundle of this database's rows (changed after the clock value ``since``) to ``path``."""
    require_full_access(session, "sync")
    path = Path(path)
    if not path.parent.is_dir():
        raise SyncError(f"{path.parent} does not exist: choose a folder for the bundle.")
    header, body = build_bundle(session, since)
    size = write_bundle(path, header, body)
    rows = sum(header["counts"].values())
    record_export(session, actor=str(session.info.get("actor", "")), what="sync_bundle", path=path, rows=rows)
    return Exported(path, rows, size, since, int(header["created"]))


# --------------------------------------------------------------------------- merging


@dataclass(frozen=True)
class Merged:
    """What a merge changed here."""

    peer: str
    source: str
    rows: int  # rows inserted, updated or deleted here
    members_merged: int  # duplicates of a member joined into one
    conflicts: int  # grievance text conflicts open after the merge


class _Prefilter:
    """Which incoming rows might clash with another row here on a natural key (see :data:`SAME_WHEN`,
    :data:`RENAME_WHEN`): a cheap in-memory test on bundle values; the slow path checks in the database."""

    def __init__(self, conn: Connection, name: str) -> None:
        self.name = name
        self.pk = _shape(name).pk[0]
        keys: list[tuple[str, ...]] = [*SAME_WHEN.get(name, ())]
        if name in RENAME_WHEN:
            keys.append((RENAME_WHEN[name],))
        self.keys = keys
        self.seen: list[dict[Any, Any]] = [{} for _ in keys]
        if not keys:
            return
        shape = _shape(name)
        wanted = [self.pk, *sorted({c for key in keys for c in key})]
        at = [shape.columns.index(c) for c in wanted]
        raw = shape.raw_columns()
        for row in conn.execute(select(*(raw[i] for i in at))):
            values = {
                c: (None if v is None else shape.encoders[i](v))
                for c, i, v in zip(wanted, at, row, strict=True)
            }
            self.add(values)

    def _key(self, key: tuple[str, ...], values: dict[str, Any]) -> Any:
        """The key's value in ``values`` (emails compared without case); None when a part is empty."""
        if len(key) == 1:
            value = values.get(key[0])
            if value is None or value == "":
                return None
            return value.lower() if key[0] == "email" else value
        parts = tuple(values.get(c) for c in key)
        return None if any(v is None or v == "" for v in parts) else parts

    def suspect(self, row: dict[str, Any]) -> bool:
        """True when another row here may share a natural key with ``row``."""
        own = row[self.pk]
        for seen, key in zip(self.seen, self.keys, strict=True):
            value = self._key(key, row)
            if value is not None:
                other = seen.get(value)
                if other is not None and other != own:
                    return True
        return False

    def add(self, row: dict[str, Any]) -> None:
        """Remember a row written in a batch."""
        for seen, key in zip(self.seen, self.keys, strict=True):
            value = self._key(key, row)
            if value is not None:
                seen[value] = row[self.pk]


def _sqlite_form(column: Any) -> Callable[[Any], Any]:
    """How a bundle value is stored by SQLite (as SQLAlchemy would store it)."""
    kind = column.type
    if isinstance(kind, UTCDateTime):

        def instant(value: str) -> str:
            if "T" not in value and "+" not in value:
                return value  # already SQLite's form
            return (
                _instant(value)
                .astimezone(UTC)
                .replace(tzinfo=None)
                .isoformat(sep=" ", timespec="microseconds")
            )

        return instant
    if isinstance(kind, Boolean):
        return int
    return lambda v: v


_VERSION_UPSERT = (
    "INSERT INTO sync_version (table_name, row_id, hlc, node, deleted, stamp, changed) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (table_name, row_id) DO UPDATE SET hlc = excluded.hlc, node = excluded.node, "
    "deleted = excluded.deleted, stamp = excluded.stamp, changed = excluded.changed"
)


class _Merger:
    """Applies incoming rows with their versions to the database behind ``conn``."""

    def __init__(self, conn: Connection, changed: int) -> None:
        self.conn = conn
        self.changed = changed
        self.rows = 0
        self.members_merged = 0
        self.aliases: dict[str, dict[str, str]] = defaultdict(dict)
        for t, old, new in conn.execute(
            select(col(SyncAlias.table_name), col(SyncAlias.old_id), col(SyncAlias.new_id))
        ):
            self.aliases[t][old] = new
        self.touched_grievances: set[uuid.UUID] = set()
        self.parents: dict[str, list[tuple[str, str]]] = defaultdict(list)  # parent → (child, column)
        self.refs: dict[str, list[tuple[str, str]]] = defaultdict(list)  # child → (column, parent)
        for name in SYNCED_TABLES:
            for fk in table(name).foreign_keys:
                self.parents[fk.column.table.name].append((name, fk.parent.name))
                self.refs[name].append((fk.parent.name, fk.column.table.name))

    # ---- aliases

    def canonical(self, name: str, rid: str) -> str:
        seen = 0
        while rid in self.aliases.get(name, {}) and seen < 50:
            rid = self.aliases[name][rid]
            seen += 1
        return rid

    def _remember_alias(self, name: str, old: str, new: str) -> None:
        """Record ``old`` → ``new``; every alias points straight at the kept id (same on every laptop)."""
        new = self.canonical(name, new)
        if old == new:
            return
        self.aliases[name][old] = new
        statement = insert_for(self.conn)(SyncAlias).values(table_name=name, old_id=old, new_id=new)
        self.conn.execute(
            statement.on_conflict_do_update(index_elements=["table_name", "old_id"], set_={"new_id": new})
        )
        pointing = [key for key, target in self.aliases[name].items() if target == old]
        for key in pointing:
            self.aliases[name][key] = new
        if pointing:
            self.conn.execute(
                update(SyncAlias)
                .where(col(SyncAlias.table_name) == name, col(SyncAlias.new_id) == old)
                .values(new_id=new)
            )

    def remap(self, name: str, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with its id and references moved along known aliases."""
        shape = _shape(name)
        if len(shape.pk) == 1 and isinstance(values.get(shape.pk[0]), uuid.UUID):
            key = shape.pk[0]
            values[key] = uuid.UUID(hex=self.canonical(name, values[key].hex))
        for column, parent in self.refs[name]:
            value = values.get(column)
            if isinstance(value, uuid.UUID) and self.aliases.get(parent):
                values[column] = uuid.UUID(hex=self.canonical(parent, value.hex))
        return values

    # ---- local state

    def version(self, name: str, rid: str) -> _Stored | None:
        row = self.conn.execute(
            select(
                col(SyncVersion.hlc),
                col(SyncVersion.node),
                col(SyncVersion.deleted),
                col(SyncVersion.stamp),
                col(SyncVersion.changed),
            ).where(col(SyncVersion.table_name) == name, col(SyncVersion.row_id) == rid)
        ).first()
        return None if row is None else _Stored(int(row[0]), str(row[1]), bool(row[2]), row[3], int(row[4]))

    def set_version(
        self, name: str, rid: str, version: Version, deleted: bool, stamp: datetime | None
    ) -> None:
        save_versions(self.conn, [_version_row(name, rid, version, deleted, stamp, self.changed)])

    def drop_version(self, name: str, rid: str) -> None:
        self.conn.execute(
            delete(SyncVersion).where(col(SyncVersion.table_name) == name, col(SyncVersion.row_id) == rid)
        )

    def local_row(self, name: str, values: dict[str, Any]) -> dict[str, Any] | None:
        shape = _shape(name)
        row = self.conn.execute(select(shape.table).where(shape.where(values))).first()
        return None if row is None else dict(row._mapping)

    # ---- applying one row

    def apply(self, name: str, rid: str, version: Version, values: dict[str, Any] | None) -> None:
        """Apply one incoming version of a row (``values`` None: a tombstone)."""
        shape = _shape(name)
        if values is None:
            values = self.remap(name, shape.key_values(rid))
            rid = shape.rid(values)
            mine = self.version(name, rid)
            if mine is not None and (mine.hlc, mine.node) >= version:
                return
            if self.conn.execute(delete(shape.table).where(shape.where(values))).rowcount:
                self.rows += 1
            self.set_version(name, rid, version, True, None)
            return
        values = self.remap(name, values)
        rid = shape.rid(values)
        mine = self.version(name, rid)
        here = self.local_row(name, values)
        if here is None and mine is not None and not mine.deleted:
            mine = None  # a version without its row: treat as unseen
        if mine is not None and (mine.hlc, mine.node) >= version:
            return
        if name in SAME_WHEN and self._join_same(name, values, version, here):
            return
        if name == "grievance":
            self.touched_grievances.add(values["id"])
        if name in RENAME_WHEN:
            self._rename_clash(name, values)
        if here is None:
            self.conn.execute(insert(shape.table), [values])
        else:
            self.conn.execute(update(shape.table).where(shape.where(values)).values(values))
        self.rows += 1
        self.set_version(name, rid, version, False, values.get("updated_at"))

    def _same(self, name: str, values: dict[str, Any]) -> dict[str, Any] | None:
        """Another local row meaning the same as ``values`` (see :data:`SAME_WHEN`)."""
        shape = _shape(name)
        for columns in SAME_WHEN[name]:
            if any(values.get(c) in (None, "") for c in columns):
                continue
            conditions = [shape.table.c[c] == values[c] for c in columns]
            if name == "member" and columns == ("email",):
                conditions = [func.lower(shape.table.c.email) == str(values["email"]).lower()]
            key = shape.pk[0]
            row = self.conn.execute(
                select(shape.table).where(*conditions, shape.table.c[key] != values[key]).limit(1)
            ).first()
            if row is not None:
                return dict(row._mapping)
        return None

    def _join_same(
        self, name: str, values: dict[str, Any], version: Version, here: dict[str, Any] | None
    ) -> bool:
        """Join an incoming row with a local one meaning the same (lower id kept); True when done."""
        other = self._same(name, values)
        if other is None:
            return False
        shape = _shape(name)
        key = shape.pk[0]
        incoming_id, other_id = values[key], other[key]
        theirs = self.version(name, other_id.hex)
        other_version: Version = (0, "") if theirs is None else (theirs.hlc, theirs.node)
        winner, win_version = (values, version) if version > other_version else (other, other_version)
        if here is not None:  # the incoming id exists here too: two local rows become one
            mine = self.version(name, incoming_id.hex)
            mine_version: Version = (0, "") if mine is None else (mine.hlc, mine.node)
            if mine_version > win_version:
                winner, win_version = here, mine_version
        keep, drop = sorted([incoming_id, other_id], key=lambda u: u.hex)
        content = {**winner, key: keep}
        if name == "member":
            self.members_merged += 1
        if here is not None or drop == other_id:
            # the row to drop exists here: move its references to the kept id, then remove it
            self._move(name, drop, keep, content)
        else:
            self.conn.execute(update(shape.table).where(shape.table.c[key] == keep).values(content))
        self._remember_alias(name, drop.hex, keep.hex)
        self.drop_version(name, drop.hex)
        self.set_version(name, keep.hex, win_version, False, content.get("updated_at"))
        self.rows += 1
        return True

    def _move(self, name: str, old: uuid.UUID, new: uuid.UUID, content: dict[str, Any]) -> None:
        """Replace local row ``old`` by row ``new`` holding ``content``, moving every reference."""
        shape = _shape(name)
        key = shape.pk[0]
        column = shape.table.c[key]
        exists = self.conn.execute(select(column).where(column == new)).first() is not None
        if not self.parents.get(name):  # nothing refers to it: remove first (unique columns)
            self.conn.execute(delete(shape.table).where(column == old))
            if exists:
                self.conn.execute(update(shape.table).where(column == new).values(content))
            else:
                self.conn.execute(insert(shape.table), [content])
            return
        unique = _UNIQUE.get(name)
        if unique is not None:  # step the old row aside so the kept one can take its number/name
            self.conn.execute(update(shape.table).where(column == old).values({unique: f"~{old.hex[:24]}"}))
        if exists:
            self.conn.execute(update(shape.table).where(column == new).values(content))
        else:
            self.conn.execute(insert(shape.table), [content])
        for child, fk in self.parents[name]:
            self._move_children(child, fk, name, old, new)
        self.conn.execute(delete(shape.table).where(column == old))

    def _move_children(self, child: str, fk: str, parent: str, old: uuid.UUID, new: uuid.UUID) -> None:
        shape = _shape(child)
        rows = [
            dict(r._mapping) for r in self.conn.execute(select(shape.table).where(shape.table.c[fk] == old))
        ]
        if not rows:
            return
        if fk not in shape.pk and child not in SAME_WHEN:
            self.conn.execute(update(shape.table).where(shape.table.c[fk] == old).values({fk: new}))
            return
        for row in rows:
            moved = {**row, fk: new}
            if fk in shape.pk:  # the row id changes with the reference (a grievant link)
                old_rid, new_rid = shape.rid(row), shape.rid(moved)
                theirs, mine = self.version(child, old_rid), self.version(child, new_rid)
                self.conn.execute(delete(shape.table).where(shape.where(row)))
                if self.local_row(child, moved) is None:
                    self.conn.execute(insert(shape.table), [moved])
                versions = [(v.hlc, v.node) for v in (theirs, mine) if v is not None]
                self.drop_version(child, old_rid)
                self.set_version(child, new_rid, max(versions, default=(0, "")), False, None)
                continue
            clash = self._same(child, moved)
            if clash is None:
                self.conn.execute(update(shape.table).where(shape.where(row)).values({fk: new}))
                continue
            key = shape.pk[0]
            a, b = row[key], clash[key]
            va, vb = self.version(child, a.hex), self.version(child, b.hex)
            version_a: Version = (0, "") if va is None else (va.hlc, va.node)
            version_b: Version = (0, "") if vb is None else (vb.hlc, vb.node)
            winner, win_version = (moved, version_a) if version_a > version_b else (clash, version_b)
            keep, drop = sorted([a, b], key=lambda u: u.hex)
            self.conn.execute(delete(shape.table).where(shape.table.c[key].in_([a, b])))
            self.conn.execute(insert(shape.table), [{**winner, key: keep}])
            self._remember_alias(child, drop.hex, keep.hex)
            self.drop_version(child, drop.hex)
            self.set_version(child, keep.hex, win_version, False, winner.get("updated_at"))

    def _rename_clash(self, name: str, values: dict[str, Any]) -> None:
        """Two different records with the same number: the higher id gets a suffix."""
        shape = _shape(name)
        column, key = RENAME_WHEN[name], shape.pk[0]
        other = self.conn.execute(
            select(shape.table.c[key]).where(
                shape.table.c[column] == values[column], shape.table.c[key] != values[key]
            )
        ).first()
        if other is None:
            return
        loser = max(values[key], other[0], key=lambda u: u.hex)
        suffixed = f"{values[column]}-{loser.hex[:4]}"
        if loser == values[key]:
            values[column] = suffixed
        else:
            self.conn.execute(
                update(shape.table).where(shape.table.c[key] == loser).values({column: suffixed})
            )

    # ---- a whole bundle

    def apply_body(self, body: dict[str, Any]) -> None:
        """Apply a bundle's aliases, then its rows table by table (parents first), then its text history."""
        for t, old, new in body.get("aliases", []):
            if t in SYNCED_TABLES and self.canonical(t, old) != self.canonical(t, new):
                self._apply_alias(t, old, new)
        tables = body.get("tables", {})
        for name in SYNCED_TABLES:
            block = tables.get(name)
            if block:
                self._apply_table(name, list(block["columns"]), block["rows"])
        text_columns = body.get("text_columns", [])
        history = table("sync_grievance_text")
        have = {
            tuple(r) for r in self.conn.execute(select(history.c.grievance_id, history.c.hlc, history.c.node))
        }
        texts = []
        for entry in body.get("texts", []):
            item = dict(zip(text_columns, entry, strict=True))
            item["grievance_id"] = uuid.UUID(hex=self.canonical("grievance", item["grievance_id"]))
            if (item["grievance_id"], item["hlc"], item["node"]) not in have:
                texts.append(item)
                self.touched_grievances.add(item["grievance_id"])
        save_texts(self.conn, texts)

    def _apply_table(self, name: str, columns: list[str], entries: list[list[Any]]) -> None:
        """Apply one table's entries: plain inserts and updates in batches, the rest one by one.

        Rows stay in their bundle form (UUIDs as hex, instants as text) on the batch path; on
        SQLite they go to the driver in SQLite's stored form, and an update sets only the columns
        that differ (fewer index writes).
        """
        shape = _shape(name)
        at = {c: i for i, c in enumerate(columns)}
        if "void_of" in at and "created_at" in at:  # corrections and voids after what they refer to
            void_at, created_at = at["void_of"], at["created_at"]
            entries = sorted(
                entries,
                key=lambda e: (e[3] is not None and e[3][void_at] is not None, e[3] and e[3][created_at]),
            )
        defaults = {c: self._default(shape, c) for c in shape.columns if c not in at}
        pending: list[tuple[str, Version, dict[str, Any] | None]] = []
        for rid, value, node, values in entries:
            row = None
            if values is not None:
                row = {c: values[at[c]] for c in shape.columns if c in at}
                row.update(defaults)
            pending.append((rid, (int(value), str(node)), row))
        known = self._known(name, [rid for rid, _, row in pending if row is not None])
        clashes = _Prefilter(self.conn, name)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        versions: list[tuple[str, Version, Any]] = []

        def flush() -> None:
            self._write(shape, name, inserts, updates, versions)
            inserts.clear()
            updates.clear()
            versions.clear()

        for rid, version, row in pending:
            if row is not None:
                row = self._remap_bundle(name, shape, row)
                rid = "/".join(str(row[c]) for c in shape.pk)
            if row is None or clashes.suspect(row):
                flush()
                self.apply(name, rid, version, None if row is None else self._decoded(shape, row))
                known.pop(rid, None)
                if row is not None:  # a join may have changed other rows: look them up again
                    known.clear()
                    clashes = _Prefilter(self.conn, name)
                continue
            mine = known[rid] if rid in known else self._known(name, [rid])[rid]
            if mine is not None and (mine[0], mine[1]) >= version:
                continue
            if name == "grievance":
                self.touched_grievances.add(uuid.UUID(hex=row["id"]))
            (updates if mine is not None and not mine[2] else inserts).append(row)
            versions.append((rid, version, row.get("updated_at")))
            known[rid] = (version[0], version[1], False)
            clashes.add(row)
        flush()

    def _remap_bundle(self, name: str, shape: _Shape, row: dict[str, Any]) -> dict[str, Any]:
        """A bundle row with its id and references moved along known aliases (hex ids)."""
        if len(shape.pk) == 1 and self.aliases.get(name) and isinstance(row[shape.pk[0]], str):
            row[shape.pk[0]] = self.canonical(name, row[shape.pk[0]])
        for column, parent in self.refs[name]:
            value = row.get(column)
            if value and self.aliases.get(parent):
                row[column] = self.canonical(parent, value)
        return row

    @staticmethod
    def _decoded(shape: _Shape, row: dict[str, Any]) -> dict[str, Any]:
        return {c: (None if v is None else shape.decoders[c](v)) for c, v in row.items()}

    def _write(
        self,
        shape: _Shape,
        name: str,
        inserts: list[dict[str, Any]],
        updates: list[dict[str, Any]],
        versions: list[tuple[str, Version, Any]],
    ) -> None:
        """Write a batch of new rows, updated rows and their versions."""
        if not (inserts or updates or versions):
            return
        self.rows += len(inserts) + len(updates)
        if self.conn.dialect.name != "sqlite":
            if inserts:
                self.conn.execute(insert(shape.table), [self._decoded(shape, r) for r in inserts])
            if updates:
                keys: dict[str, Any] = {c: bindparam(f"k_{c}") for c in shape.pk}
                statement = update(shape.table).where(*(shape.table.c[c] == keys[c] for c in shape.pk))
                statement = statement.values({c: bindparam(c) for c in shape.columns if c not in shape.pk})
                rows = [self._decoded(shape, u) for u in updates]
                self.conn.execute(statement, [{**u, **{f"k_{c}": u[c] for c in shape.pk}} for u in rows])
            decode_stamp = shape.decoders.get("updated_at", _instant)
            save_versions(
                self.conn,
                [
                    _version_row(name, rid, v, False, None if st is None else decode_stamp(st), self.changed)
                    for rid, v, st in versions
                ],
            )
            return
        forms = {c.name: _sqlite_form(c) for c in shape.table.columns}
        raw = self.conn.connection.driver_connection
        assert raw is not None
        table_sql = f'"{shape.table.name}"'
        if inserts:
            names = shape.columns
            sql = f"INSERT INTO {table_sql} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            raw.executemany(sql, [[None if r[c] is None else forms[c](r[c]) for c in names] for r in inserts])
        if updates:
            self._update_changed(shape, table_sql, forms, updates)
        stamp_form = forms.get("updated_at", lambda v: v)
        raw.executemany(
            _VERSION_UPSERT,
            [
                (name, rid, v[0], v[1], 0, None if st is None else stamp_form(st), self.changed)
                for rid, v, st in versions
            ],
        )

    def _update_changed(
        self,
        shape: _Shape,
        table_sql: str,
        forms: dict[str, Callable[[Any], Any]],
        updates: list[dict[str, Any]],
    ) -> None:
        """UPDATE only the columns that differ from the row here, grouped by which ones (SQLite).

        Compared in SQLite's stored form, read straight from the driver.
        """
        raw = self.conn.connection.driver_connection
        assert raw is not None
        pk = shape.pk
        names = shape.columns
        key_at = [names.index(c) for c in pk]
        here: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        where = " AND ".join(f"{c} = ?" for c in pk)
        if len(pk) == 1:
            for start in range(0, len(updates), 400):
                chunk = [u[pk[0]] for u in updates[start : start + 400]]
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT {', '.join(names)} FROM {table_sql} WHERE {pk[0]} IN ({marks})"
                for stored in raw.execute(sql, chunk):
                    here[tuple(stored[i] for i in key_at)] = stored
        else:
            for u in updates:
                for stored in raw.execute(
                    f"SELECT {', '.join(names)} FROM {table_sql} WHERE {where}", [u[c] for c in pk]
                ):
                    here[tuple(stored[i] for i in key_at)] = stored
        groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
        for row in updates:
            incoming = [None if row[c] is None else forms[c](row[c]) for c in names]
            current = here.get(tuple(incoming[i] for i in key_at))
            changed = tuple(
                i
                for i, c in enumerate(names)
                if c not in pk and (current is None or current[i] != incoming[i])
            )
            if changed:
                groups[tuple(names[i] for i in changed)].append(
                    [incoming[i] for i in changed] + [incoming[i] for i in key_at]
                )
        for columns, params in groups.items():
            assignments = ", ".join(f"{c} = ?" for c in columns)
            raw.executemany(f"UPDATE {table_sql} SET {assignments} WHERE {where}", params)

    def _known(self, name: str, ids: list[str]) -> dict[str, tuple[int, str, bool] | None]:
        """The stored (hlc, node, deleted) of these rows (None: never seen here)."""
        found: dict[str, tuple[int, str, bool] | None] = dict.fromkeys(ids)
        for start in range(0, len(ids), 500):
            statement = select(_V.c.row_id, _V.c.hlc, _V.c.node, _V.c.deleted).where(
                _V.c.table_name == name, _V.c.row_id.in_(ids[start : start + 500])
            )
            for rid, h, n, d in self.conn.execute(statement):
                found[rid] = (int(h), str(n), bool(d))
        return found

    @staticmethod
    def _default(shape: _Shape, column: str) -> Any:
        """A value for a column an older bundle does not have."""
        arg = getattr(shape.table.c[column].default, "arg", None)
        return None if callable(arg) else arg

    def _apply_alias(self, name: str, old: str, new: str) -> None:
        old_id, new_id = uuid.UUID(hex=self.canonical(name, old)), uuid.UUID(hex=self.canonical(name, new))
        keep, drop = sorted([old_id, new_id], key=lambda u: u.hex)
        shape = _shape(name)
        row = self.conn.execute(select(shape.table).where(shape.table.c[shape.pk[0]] == drop)).first()
        if row is not None:
            mine, theirs = self.version(name, drop.hex), self.version(name, keep.hex)
            kept = self.local_row(name, {shape.pk[0]: keep})
            mine_v: Version = (0, "") if mine is None else (mine.hlc, mine.node)
            theirs_v: Version = (0, "") if theirs is None or kept is None else (theirs.hlc, theirs.node)
            content = dict(row._mapping) if kept is None or mine_v > theirs_v else kept
            self._move(name, drop, keep, {**content, shape.pk[0]: keep})
            self.drop_version(name, drop.hex)
            self.set_version(name, keep.hex, max(mine_v, theirs_v), False, content.get("updated_at"))
            self.rows += 1
        self._remember_alias(name, drop.hex, keep.hex)


# --------------------------------------------------------------------------- grievance text conflicts


def _disputed(conn: Connection) -> set[uuid.UUID]:
    """Grievances whose text history has parallel branches, or that have conflicts listed now."""
    history = table("sync_grievance_text")
    later = history.alias("later")
    followed = exists(
        select(literal(1))
        .select_from(later)
        .where(
            later.c.grievance_id == history.c.grievance_id,
            later.c.prev_hlc == history.c.hlc,
            later.c.prev_node == history.c.node,
        )
    )
    branched = (
        select(history.c.grievance_id)
        .where(~followed)
        .group_by(history.c.grievance_id)
        .having(func.count() > 1)
    )
    found = set(conn.execute(branched).scalars())
    found.update(conn.execute(select(col(SyncConflict.grievance_id))).scalars())
    return found


def _refresh_conflicts(conn: Connection, grievance_ids: Iterable[uuid.UUID]) -> None:
    """Recompute the open text conflicts of these grievances from their text history."""
    gtable = table("grievance")
    for gid in grievance_ids:
        current = conn.execute(select(gtable.c.summary, gtable.c.remedy).where(gtable.c.id == gid)).first()
        if current is None:
            continue
        shown = dict(zip(TEXT_FIELDS, current, strict=True))
        history: dict[Version, Any] = {
            (int(r.hlc), str(r.node)): r
            for r in conn.execute(select(SyncGrievanceText).where(col(SyncGrievanceText.grievance_id) == gid))
        }
        stored = conn.execute(
            select(col(SyncVersion.hlc), col(SyncVersion.node)).where(
                col(SyncVersion.table_name) == "grievance", col(SyncVersion.row_id) == gid.hex
            )
        ).first()
        winner: Version = (0, "") if stored is None else (int(stored[0]), str(stored[1]))
        parents = {(int(r.prev_hlc), str(r.prev_node)) for r in history.values()}
        lineage = _lineage(history, winner)
        found: dict[uuid.UUID, dict[str, Any]] = {}
        for head, record in history.items():
            if head in parents or head == winner or head in lineage:
                continue
            fork = next((k for k in _chain(history, head) if k in lineage), None)
            base = history.get(fork) if fork is not None else None
            for field in TEXT_FIELDS:
                theirs = getattr(record, field)
                if theirs == shown[field] or (base is not None and theirs == getattr(base, field)):
                    continue
                cid = uuid.uuid5(_CONFLICT_NS, f"{gid.hex}/{field}/{head[0]}/{head[1]}")
                found[cid] = {
                    "id": cid,
                    "grievance_id": gid,
                    "field": field,
                    "other_value": theirs,
                    "other_hlc": head[0],
                    "other_node": head[1],
                    "detected_at": utcnow(),
                }
        existing = set(
            conn.execute(select(col(SyncConflict.id)).where(col(SyncConflict.grievance_id) == gid)).scalars()
        )
        gone = existing - found.keys()
        if gone:
            conn.execute(delete(SyncConflict).where(col(SyncConflict.id).in_(gone)))
        new = [row for cid, row in found.items() if cid not in existing]
        if new:
            conn.execute(insert(SyncConflict), new)


def _chain(history: dict[Version, Any], start: Version) -> Iterable[Version]:
    """``start`` and the versions before it, newest first."""
    seen: set[Version] = set()
    at: Version | None = start
    while at is not None and at not in seen:
        seen.add(at)
        yield at
        record = history.get(at)
        at = None if record is None else (int(record.prev_hlc), str(record.prev_node))


def _lineage(history: dict[Version, Any], winner: Version) -> set[Version]:
    return set(_chain(history, winner))


# --------------------------------------------------------------------------- entry points


def _merge(session: Session, bundle: Bundle, source: str) -> Merged:
    conn = session.connection()
    stamp_unversioned(conn)
    newest = max(
        [int(bundle.header.get("created", 0))]
        + [int(e[1]) for block in bundle.body.get("tables", {}).values() for e in block["rows"]],
        default=0,
    )
    node, changed = hlc.tick(conn, seen=newest)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    merger = _Merger(conn, changed)
    try:
        merger.apply_body(bundle.body)
        _refresh_conflicts(conn, merger.touched_grievances | _disputed(conn))
        if conn.dialect.name == "sqlite":
            broken = next(
                (
                    row
                    for name in bundle.body.get("tables", {})
                    if name in SYNCED_TABLES
                    for row in conn.exec_driver_sql(f'PRAGMA foreign_key_check("{name}")').fetchall()[:1]
                ),
                None,
            )
            if broken is not None:
                raise SyncError(
                    f"{Path(source).name} refers to records this database does not have "
                    f"(in {broken[0]}): merge that laptop's earlier bundles first, or ask for a full export."
                )
    except IntegrityError:
        raise SyncError(
            f"{Path(source).name} refers to records this database does not have: merge that laptop's "
            "earlier bundles first, or ask for a full export."
        ) from None
    conflicts = int(conn.execute(select(func.count()).select_from(SyncConflict)).scalar_one())
    peer = bundle.node
    if peer and peer != node:
        now = datetime.now(UTC)
        statement = insert_for(conn)(SyncPeer).values(
            node_id=peer,
            last_merged_at=now,
            last_hlc=int(bundle.header.get("created", 0)),
            source=source[:500],
            rows=merger.rows,
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["node_id"],
                set_={
                    "last_merged_at": now,
                    "last_hlc": statement.excluded.last_hlc,
                    "source": statement.excluded.source,
                    "rows": merger.rows,
                },
            )
        )
        summary = {"source": source[:300], "rows": merger.rows, "members_merged": merger.members_merged}
        append_events(
            conn,
            [Change("import", "sync_peer", peer, None, summary)],
            actor=str(session.info.get("actor", "")),
        )
    return Merged(peer, source, merger.rows, merger.members_merged, conflicts)


def import_bundle(session: Session, path: Path) -> Merged:
    """Merge a bundle file into this database (run inside ``store.write()``); all or nothing."""
    require_full_access(session, "sync")
    bundle = read_bundle(Path(path))
    return _merge(session, bundle, str(path))


def merge_database(session: Session, other_path: Path) -> Merged:
    """Merge every row of another strikeboard database file into this one.

    The other file is opened read-only (nothing is written to it, not even a journal): it must
    be at this strikeboard's schema (open it once with this version to upgrade an older one).
    """
    require_full_access(session, "sync")
    import sqlite3

    from sqlalchemy import create_engine

    from strikeboard.store.probe import FileState, StoreError, inspect_sqlite_file

    other_path = Path(other_path).expanduser()
    here = session.connection().engine.url.database
    if here and Path(here).resolve() == other_path.resolve():
        raise SyncError(f"{other_path} is this database: choose another laptop's file.")
    if not other_path.is_file():
        raise SyncError(f"{other_path} does not exist: give the path of another laptop's database file.")
    try:
        state = inspect_sqlite_file(other_path)
    except StoreError as exc:
        raise SyncError(str(exc)) from None
    if state is FileState.MISSING:
        raise SyncError(f"{other_path} is empty: it is not a strikeboard database.")
    if state is FileState.OLD:
        raise SyncError(
            f"{other_path} was made by an older strikeboard: open it once with this version "
            "(it is upgraded), then merge it."
        )
    live = other_path.with_name(other_path.name + "-wal").exists()
    flags = "mode=ro" if live else "mode=ro&immutable=1"
    uri = f"{other_path.absolute().as_uri()}?{flags}"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    try:
        with engine.connect() as conn:
            node = conn.execute(select(col(SyncNode.node_id))).scalar()
            node = node or uuid.uuid5(uuid.NAMESPACE_URL, str(other_path.resolve())).hex
            body, counts = collect(conn, since=None, node=node)
            clock = conn.execute(select(col(SyncNode.clock))).scalar() or 0
    finally:
        engine.dispose()
    header = {"format": FORMAT, "schema": SCHEMA_HEAD, "node": node, "created": int(clock), "counts": counts}
    return _merge(session, Bundle(header, body), str(other_path))


# --------------------------------------------------------------------------- status


@dataclass(frozen=True)
class PeerRow:
    """A database merged here, and when."""

    node_id: str
    last_merged_at: datetime
    source: str
    rows: int


@dataclass(frozen=True)
class ConflictRow:
    """A grievance text edited on two laptops: the version not shown."""

    grievance_number: str
    field: str
    other_value: str


@dataclass(frozen=True)
class SyncStatus:
    """This database's node id, clock, previous export, peers and open conflicts."""

    node_id: str
    clock: int
    last_export: int
    peers: tuple[PeerRow, ...]
    conflicts: tuple[ConflictRow, ...]


def sync_status(session: Session) -> SyncStatus:
    """Where this database stands with its peers (nothing is written)."""
    require_full_access(session, "sync")
    conn = session.connection()
    node = conn.execute(select(col(SyncNode.clock), col(SyncNode.last_export))).first()
    peers = tuple(
        PeerRow(p.node_id, p.last_merged_at, p.source, p.rows)
        for p in session.exec(
            select(SyncPeer).order_by(col(SyncPeer.last_merged_at).desc())  # type: ignore[call-overload]
        ).scalars()
    )
    gtable = table("grievance")
    conflicts = tuple(
        ConflictRow(str(number), str(field), str(value))
        for number, field, value in conn.execute(
            select(gtable.c.number, col(SyncConflict.field), col(SyncConflict.other_value))
            .join(gtable, gtable.c.id == col(SyncConflict.grievance_id))
            .order_by(gtable.c.number, col(SyncConflict.field))
        )
    )
    return SyncStatus(
        hlc.node_id(conn),
        0 if node is None else int(node[0]),
        0 if node is None else int(node[1]),
        peers,
        conflicts,
    )
