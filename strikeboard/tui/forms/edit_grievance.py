"""The "edit the case" form: a filed case's own fields, prefilled, corrected and saved.

The same fields as filing (:class:`~strikeboard.tui.forms.file_grievance.FileGrievanceForm`),
filled in with the case as it is. The step and the status are not here: they change only
through the case's actions. The service records what changed (before → after) in the timeline.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.widgets import Label

from strikeboard.tui.forms.file_grievance import FileGrievanceForm, NewGrievance

if TYPE_CHECKING:
    from strikeboard.services.grievances import GrievanceDetail
    from strikeboard.tui.data import Gateway


def current_values(detail: GrievanceDetail) -> NewGrievance:
    """The editable fields of ``detail`` as they are (the service's ``GrievanceEdit.of``)."""
    from strikeboard.services.grievances import GrievanceEdit  # the store is open by now

    return NewGrievance(**vars(GrievanceEdit.of(detail)))


class EditGrievanceForm(FileGrievanceForm):
    """Correct a case's own fields; dismisses with "G-2026-0042: case details updated"."""

    def __init__(
        self,
        gateway: Gateway,
        actor: str,
        today: date,
        stewards: list[tuple[uuid.UUID, str]],
        detail: GrievanceDetail,
    ) -> None:
        choices = list(stewards)
        if detail.steward_id is not None and detail.steward_id not in {sid for sid, _ in choices}:
            # no longer a steward, but still this case's: keep it choosable, or saving would drop it
            choices.append((detail.steward_id, detail.steward_name or str(detail.steward_id)))
        super().__init__(
            gateway,
            actor,
            today,
            choices,
            title=f"{detail.number} — Edit the case",
            initial=current_values(detail),
            grievant_names=dict(detail.grievants),
        )
        self.grievance_id = detail.id
        self.number = detail.number

    def compose_header(self) -> ComposeResult:
        yield Label(
            "Step and status change only through the case's actions. Changes are recorded.",
            classes="form-note",
            markup=False,
        )

    def save(self, values: Any) -> str:
        """Write the corrections; the summary says whether anything changed."""
        changed = self.gateway.update_grievance(self.grievance_id, values, actor=self.actor, today=self.today)
        if not changed:
            return f"{self.number}: nothing changed"
        return (
            f"{self.number}: case details updated ({len(changed)} change{'s' if len(changed) != 1 else ''})"
        )
