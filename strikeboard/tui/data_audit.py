"""The audit view's door to the database (a mixin of :class:`~strikeboard.tui.data.Gateway`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from strikeboard.services import audit
from strikeboard.services.errors import ValidationError
from strikeboard.tui.forms.base import FieldProblem

if TYPE_CHECKING:
    from strikeboard.services.audit import AuditRow
    from strikeboard.services.settings import StrikeSettings
    from strikeboard.store.audit import ChainReport
    from strikeboard.store.db import Store


class AuditData:
    """Reads of the audit trail: filtered events, newest first, and the chain check."""

    store: Store
    settings: StrikeSettings

    def audit_events(
        self, *, table: str = "", record: str = "", actor: str = "", day: date | None = None, limit: int = 500
    ) -> list[AuditRow]:
        """Events matching the filters (``day`` is a local day of the strike), newest first."""
        query = audit.AuditFilter(
            table=table, record=record, actor=actor, day=day, zone=str(self.settings.zone), limit=limit
        )
        try:
            with self.store.read() as session:
                return audit.list_events(session, query)
        except ValidationError as error:
            raise FieldProblem(error.field, error.message) from None

    def audit_verify(self) -> ChainReport:
        """Walk the whole hash chain (see ``strikeboard audit verify``)."""
        with self.store.read() as session:
            return audit.verify(session)
