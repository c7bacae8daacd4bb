"""The gateway's auto-fill methods: preview the scheduler's proposal, apply it in one transaction.

A mixin of :class:`strikeboard.tui.data.Gateway` (imported lazily with it). The services'
``ValidationError`` becomes :class:`~strikeboard.tui.forms.base.FieldProblem` (shown at
the form's field; nothing written).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from strikeboard.services import schedule
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.schedule import SchedulePreview
from strikeboard.tui.forms.base import FieldProblem

if TYPE_CHECKING:
    from strikeboard.store.db import Store


class ScheduleData:
    """Auto-fill for the Shifts tab (mixed into ``Gateway``, which provides ``store``)."""

    store: Store

    def schedule_preview(self, start: date, end: date, gates: Sequence[uuid.UUID] = ()) -> SchedulePreview:
        """The proposed schedule for ``start``..``end`` at ``gates`` (all when empty); writes nothing."""
        try:
            with self.store.read() as session:
                return schedule.preview_schedule(session, start, end, list(gates) or None)
        except ValidationError as error:
            raise FieldProblem(error.field, error.message) from None
        except NotFound as error:
            raise FieldProblem("", str(error)) from None

    def schedule_apply(self, preview: SchedulePreview, *, actor: str) -> int:
        """Write ``preview``'s changes in one transaction under ``actor``; return the rows changed."""
        try:
            with self.store.write(actor) as session:
                return schedule.apply_preview(session, preview)
        except ValidationError as error:
            raise FieldProblem(error.field, error.message) from None
