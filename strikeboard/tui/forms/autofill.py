"""Auto-fill: a date range and optional gates → the scheduler's preview → Apply or Discard.

Step one (ctrl+s) runs the scheduler in the form's thread worker and writes nothing: it
shows minimum slots filled before and after (beside the upper bound on what any schedule
could fill), captain slots, fairness (most and least shifts and hours among eligible
volunteers), coverage per gate, every unfilled minimum slot with its reason, and the list
of changes. Step two (ctrl+s again, "Apply") writes the changes in one transaction and
dismisses with a one-line summary; Esc discards. Changing the range or gates goes back
to step one.

Push it with ``AutoFillScreen(gateway, actor, monday, gates)`` where ``gates`` is
``[(location id, name), ...]`` to offer; none ticked means every active gate.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input, SelectionList, Static
from textual.worker import Worker, WorkerState

from strikeboard.tui.forms.base import FieldProblem, FormScreen

if TYPE_CHECKING:
    from strikeboard.services.schedule import SchedulePreview
    from strikeboard.tui.data import Gateway

#: Unfilled slots and changes listed at most (the CLI's --json has them all).
SHOWN = 30


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def preview_text(preview: SchedulePreview) -> Text:
    """The preview as plain text (names shown literally)."""
    zone = ZoneInfo(preview.time_zone)
    before, after, f = preview.before, preview.after, preview.fairness
    text = Text()
    text.append("Minimum slots filled: ", style="bold")
    text.append(
        f"{before.required_filled:,} → {after.required_filled:,} of {after.required_total:,} "
        f"({_pct(after.required_filled, after.required_total)})"
    )
    if preview.bound is not None:
        text.append(f"\n  at most {preview.bound:,} can be filled by any schedule", style="dim")
    text.append(f"\nAll slots up to max: {before.filled:,} → {after.filled:,} of {after.total:,}")
    text.append(f"\nCaptain slots: {preview.captain_filled:,} of {preview.captain_total:,}")
    text.append(
        f"\nMinimum rest between shifts: {preview.rest_hours:g} h (setting scheduling.min_rest_hours)",
        style="dim",
    )
    text.append("\nFairness: ", style="bold")
    text.append(
        f"{f.volunteers:,} eligible volunteers · shifts {f.min_shifts}–{f.max_shifts} "
        f"(spread {f.spread_shifts}) · hours {f.min_hours:g}–{f.max_hours:g} "
        f"(spread {f.spread_hours:g}) · idle {f.idle:,}"
    )
    text.append("\n\nPer gate (minimum slots):", style="bold")
    for name, cov in preview.by_location:
        text.append(f"\n  {name}: {cov.required_filled}/{cov.required_total} (all {cov.filled}/{cov.total})")
    required = [u for u in preview.unfilled if u.required]
    text.append(f"\n\nUnfilled minimum slots: {len(required):,}", style="bold")
    for u in required[:SHOWN]:
        when = u.shift.starts_at.astimezone(zone).strftime("%a %d %b %H:%M")
        text.append(f"\n  {when} {u.shift.location} · {u.role}: {u.reason}")
    if len(required) > SHOWN:
        text.append(f"\n  … {len(required) - SHOWN:,} more")
    text.append(f"\n\nChanges: {preview.added:,} added, {preview.removed:,} removed", style="bold")
    for c in preview.changes[:SHOWN]:
        when = c.shift.starts_at.astimezone(zone).strftime("%a %d %b %H:%M")
        text.append(f"\n  {'+' if c.kind == 'add' else '−'} {when} {c.shift.location}: {c.member} ({c.role})")
    if len(preview.changes) > SHOWN:
        text.append(f"\n  … {len(preview.changes) - SHOWN:,} more")
    return text


class AutoFillScreen(FormScreen):
    """Auto-fill a range of shifts; dismisses with "Auto-fill applied: 120 added, 4 removed" or None."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {"from": "start", "to": "end", "location": "gates"}

    def __init__(
        self, gateway: Gateway, actor: str, monday: date, gates: list[tuple[uuid.UUID, str]]
    ) -> None:
        super().__init__(gateway, actor, monday, title="Auto-fill shifts")
        self.monday = monday
        self.gates = gates
        self.preview: SchedulePreview | None = None
        self._pending: SchedulePreview | None = None  # set by the preview worker

    def compose_header(self) -> ComposeResult:
        yield Static(
            "Step 1: choose the days (and gates: none ticked = all) and press ctrl+s to preview.\n"
            "Step 2: check it, then Apply (ctrl+s: one transaction) or Esc to discard.",
            id="autofill-steps",
            markup=False,
        )

    def compose_fields(self) -> ComposeResult:
        yield self.field_row("start", "From:", self.date_input("start", self.monday))
        yield self.field_row("end", "To:", self.date_input("end", self.monday + timedelta(days=6)))
        gates: SelectionList[str] = SelectionList(
            *((name, str(gate_id)) for gate_id, name in self.gates), id="f-gates", compact=True
        )
        yield self.field_row("gates", "Gates:", gates, hint="none ticked: every active gate")
        preview = Static("", id="autofill-preview", markup=False)
        preview.display = False
        yield preview

    def on_mount(self) -> None:
        self.call_after_refresh(self._label_save, "Preview (ctrl+s)")
        self.call_after_refresh(self._label_button, "#form-cancel", "Discard (Esc)")

    def _label_save(self, label: str) -> None:
        self._label_button("#form-save", label)

    def _label_button(self, selector: str, label: str) -> None:
        button = self.query_one_optional(selector, Button)
        if button is not None:
            button.label = label

    def collect(self) -> tuple[date, date, list[uuid.UUID]]:
        """The range (to on or after from) and the ticked gates."""
        start, end = self.required_day("start"), self.required_day("end")
        if end < start:
            raise FieldProblem("end", "The last day is before the first: give a day on or after it.")
        chosen = self.query_one("#f-gates", SelectionList).selected
        return start, end, [uuid.UUID(str(value)) for value in chosen]

    def save(self, values: Any) -> str:
        """Preview (step 1) or apply (step 2), in the form's thread worker."""
        if self.preview is None:
            start, end, gates = values
            self._pending = self.gateway.schedule_preview(start, end, gates)
            return ""
        preview = self.preview
        self.gateway.schedule_apply(preview, actor=self.actor)
        return f"Auto-fill applied: {preview.added:,} added, {preview.removed:,} removed"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A preview stays open to be checked; an apply closes with its summary."""
        if event.worker.group == "form" and event.state is WorkerState.SUCCESS and not event.worker.result:
            event.stop()
            event.prevent_default()  # not FormScreen's handler: that would close the form
            self.saving = False
            preview = self._pending
            if preview is None:
                return
            self.preview = preview
            shown = self.query_one("#autofill-preview", Static)
            shown.update(preview_text(preview))
            shown.display = True
            self._label_save("Apply (ctrl+s)" if preview.changes else "Nothing to change")
            self.query_one("#form-save", Button).disabled = not preview.changes
            self.query_one("#form-save", Button).focus()

    def action_save(self) -> None:
        """Preview, or apply a preview that has changes."""
        if self.preview is not None and not self.preview.changes:
            return
        super().action_save()

    def _back_to_step_one(self) -> None:
        if self.preview is not None:
            self.preview = None
            self.query_one("#autofill-preview").display = False
            self.query_one("#form-save", Button).disabled = False
            self._label_save("Preview (ctrl+s)")

    @on(Input.Changed)
    def _range_changed(self) -> None:
        self._back_to_step_one()

    @on(SelectionList.SelectedChanged)
    def _gates_changed(self) -> None:
        self._back_to_step_one()

    def preview_shown(self) -> str:
        """The preview as shown (for tests)."""
        return str(self.query_one("#autofill-preview", Static).render())
