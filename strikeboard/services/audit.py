"""The audit trail for callers: log exports, bulk imports and bulk changes, list events, verify the chain.

Inserts, updates and deletes made through the ORM are recorded by the store itself
(:mod:`strikeboard.store.audit`); this module adds what the store cannot see (a file
written, a bulk import done with Core statements) and the read side used by the CLI and
the TUI. Call the ``record_*`` functions inside ``store.write()``, so the event joins the
chain under the write lock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session, col

from strikeboard.services.access import require_full_access
from strikeboard.services.errors import ValidationError
from strikeboard.store.audit import ChainReport, Change, append_events, verify_chain
from strikeboard.store.models import AuditEvent

if TYPE_CHECKING:
    from sqlalchemy.sql import Select

MAX_LIMIT = 100_000


def record_export(session: Session, *, actor: str, what: str, path: Path | str, rows: int) -> None:
    """Log that ``actor`` exported ``rows`` rows of ``what`` (e.g. "member") to ``path``."""
    change = Change("export", what, "", None, {"path": str(path), "rows": rows})
    append_events(session.connection(), [change], actor=actor)


def record_import(
    session: Session, *, actor: str, what: str, path: Path | str, inserted: int, updated: int
) -> None:
    """Log a bulk import of ``what`` from ``path`` (written with Core, so not seen row by row)."""
    after = {"path": str(path), "inserted": inserted, "updated": updated}
    append_events(session.connection(), [Change("import", what, "", None, after)], actor=actor)


def record_bulk(session: Session, *, actor: str, what: str, summary: dict[str, Any]) -> None:
    """Log one bulk change of ``what`` written with Core (e.g. an auto-fill), as counts and context.

    ``summary`` is plain JSON data: how many rows were inserted, updated and deleted, and
    whatever identifies the run (a date range, a digest of the changes).
    """
    append_events(session.connection(), [Change("bulk", what, "", None, dict(summary))], actor=actor)


def verify(session: Session) -> ChainReport:
    """Check the whole chain: the number of events and the first break, if any."""
    require_full_access(session, "the audit trail")
    return verify_chain(session.connection())


@dataclass(frozen=True)
class AuditFilter:
    """Which events to list; empty fields do not filter."""

    table: str = ""
    record: str = ""  # a record id, or its first characters
    actor: str = ""  # part of the actor's name, any case
    day: date | None = None  # a local day in ``zone``
    zone: str = "UTC"
    limit: int = 200


@dataclass(frozen=True)
class AuditRow:
    """One event as shown to a person."""

    seq: int
    at: datetime
    actor: str
    action: str
    table_name: str
    record_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def summary(self) -> str:
        """The changed fields in one line: ``name: old → new, ...`` (whole rows list their fields)."""
        if self.action == "update" and self.before is not None and self.after is not None:
            parts = [f"{k}: {self.before.get(k, '?')!s} → {v!s}" for k, v in self.after.items()]
            return "; ".join(parts)
        values = self.after if self.after is not None else self.before or {}
        if self.action in ("export", "import", "bulk"):
            return ", ".join(f"{k} {v}" for k, v in values.items())
        shown = {k: v for k, v in values.items() if k not in ("id", "created_at", "updated_at", "search_key")}
        return "; ".join(f"{k}: {v}" for k, v in shown.items() if v not in ("", None, [], False))

    def as_json(self) -> dict[str, Any]:
        """The event as plain JSON data."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "table": self.table_name,
            "record_id": self.record_id,
            "before": self.before,
            "after": self.after,
        }


def _filtered(query: AuditFilter) -> Select[Any]:
    statement = select(AuditEvent)
    if query.table:
        statement = statement.where(col(AuditEvent.table_name) == query.table.strip().lower())
    record = query.record.strip().lower()
    if record:
        try:
            statement = statement.where(col(AuditEvent.record_id) == str(uuid.UUID(record)))
        except ValueError:
            prefix = func.substr(col(AuditEvent.record_id), 1, len(record))
            statement = statement.where(func.lower(prefix) == record)
    actor = query.actor.strip().lower()
    if actor:
        statement = statement.where(func.lower(col(AuditEvent.actor)).contains(actor, autoescape=True))
    if query.day is not None:
        try:
            zone = ZoneInfo(query.zone)
        except (ValueError, KeyError):
            raise ValidationError(
                "zone", f"{query.zone!r} is not a time zone: use e.g. America/Los_Angeles."
            ) from None
        start = datetime.combine(query.day, datetime.min.time(), zone)
        end = datetime.combine(query.day + timedelta(days=1), datetime.min.time(), zone)
        statement = statement.where(col(AuditEvent.at) >= start, col(AuditEvent.at) < end)
    return statement


def list_events(session: Session, query: AuditFilter) -> list[AuditRow]:
    """The events matching ``query``, newest first, at most ``query.limit``."""
    require_full_access(session, "the audit trail")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise ValidationError("limit", f"The limit must be between 1 and {MAX_LIMIT:,}.")
    statement = _filtered(query).order_by(col(AuditEvent.seq).desc()).limit(query.limit)
    return [
        AuditRow(
            seq=event.seq,
            at=event.at,
            actor=event.actor,
            action=event.action,
            table_name=event.table_name,
            record_id=event.record_id,
            before=event.before,
            after=event.after,
        )
        for event in session.scalars(statement)
    ]
