"""The picket locations screen (``L`` on the Shifts tab): every gate with its accessibility features.

Keys: ``a`` add, ``e`` or Enter edit, ``x`` deactivate (asks first; never deleted, its
shifts stay) or reactivate an inactive one, Esc back. The form has the name, address,
notes and the five features (shade, seating, restrooms, step-free access, near transit).
Writes run in thread workers through the gateway; the list is read again afterwards.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, Static
from textual.worker import Worker, WorkerState

from strikeboard.tui.forms.base import FormScreen
from strikeboard.tui.messages import WorkFailed
from strikeboard.tui.panels.base import add_columns, cell, refill

if TYPE_CHECKING:
    from strikeboard.services.locations import LocationRow
    from strikeboard.tui.data import Gateway

#: ``(field, label)`` of the accessibility features, as the service names them.
FEATURES = (
    ("has_shade", "Shade"),
    ("has_seating", "Seating"),
    ("has_restrooms", "Restrooms"),
    ("step_free", "Step-free access"),
    ("near_transit", "Near transit"),
)

COLUMNS = (("Name", "name"), ("Access", "features"), ("Address", "address"), ("State", "state"))


class LocationsScreen(Screen[None]):
    """Every location; ``a`` add, ``e``/Enter edit, ``x`` deactivate or reactivate, Esc back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="locations.back"),
        Binding("a", "add", "Add", id="locations.add"),
        Binding("e", "edit", "Edit", id="locations.edit"),
        Binding("x", "toggle_active", "Deactivate/reactivate", id="locations.toggle"),
    ]

    def __init__(self, gateway: Gateway, actor: str, today: date) -> None:
        super().__init__()
        self.gateway = gateway
        self.actor = actor
        self.today = today
        self.rows: list[LocationRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Picket locations", id="locations-title", markup=False)
        yield DataTable(id="locations-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="locations-notes", markup=False)
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        """The list of locations."""
        return self.query_one("#locations-table", DataTable)

    def on_mount(self) -> None:
        add_columns(self.table, COLUMNS)
        self.set_focus(self.table)
        self.reload()

    def reload(self) -> None:
        """Read the locations again (in a thread)."""
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="locations")
    def _load(self) -> None:
        rows = self.gateway.location_list(include_inactive=True)
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[LocationRow]) -> None:
        self.rows = rows
        refill(
            self.table,
            [
                (
                    str(row.id),
                    {
                        "name": cell(row.name, "" if row.active else "dim", limit=40),
                        "features": cell(row.features or "—", "" if row.active else "dim", limit=50),
                        "address": cell(row.address, "" if row.active else "dim", limit=40),
                        "state": cell("active" if row.active else "inactive", "" if row.active else "dim"),
                    },
                )
                for row in rows
            ],
        )
        active = sum(row.active for row in rows)
        self.query_one("#locations-title", Static).update(
            f"Picket locations: {active} active, {len(rows) - active} inactive"
            " · a add · e edit · x deactivate/reactivate"
        )
        self._show_notes()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_notes()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _show_notes(self) -> None:
        row = self.cursor_row
        self.query_one("#locations-notes", Static).update(row.notes if row is not None else "")

    @property
    def cursor_row(self) -> LocationRow | None:
        """The location on the highlighted row."""
        if not self.table.row_count:
            return None
        key = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value
        return next((row for row in self.rows if str(row.id) == key), None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Failures are reported by the app like every other."""
        if event.state is WorkerState.ERROR and event.worker.group.startswith("locations"):
            event.stop()
            what = "load the locations" if event.worker.group == "locations" else "change the location"
            self.app.post_message(WorkFailed(what, event.worker.error or Exception()))

    # -- actions ---------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the Shifts tab."""
        self.dismiss(None)

    def _saved(self, summary: str | None) -> None:
        if summary:
            self.app.notify(summary, title="Saved", markup=False)
            self.reload()

    def action_add(self) -> None:
        """A new location."""
        self.app.push_screen(LocationForm(self.gateway, self.actor, self.today, None), self._saved)

    def action_edit(self) -> None:
        """Edit the highlighted location."""
        if (row := self.cursor_row) is not None:
            self.app.push_screen(LocationForm(self.gateway, self.actor, self.today, row), self._saved)

    def action_toggle_active(self) -> None:
        """Deactivate the highlighted location (asks first), or reactivate an inactive one."""
        row = self.cursor_row
        if row is None:
            return
        if not row.active:
            self._set_active(row.id, row.name, True)
            return
        from strikeboard.tui.forms.member import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._set_active(row.id, row.name, False)

        self.app.push_screen(
            ConfirmScreen(
                f"Deactivate {row.name}?",
                "No new shifts can be planned there. Shifts already planned and their history stay; "
                "nothing is deleted. Cancel its future shifts from the week grid if they are off.",
                yes="Deactivate",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="locations-write")
    def _set_active(self, location_id: uuid.UUID, name: str, active: bool) -> None:
        self.gateway.set_location_active(location_id, active, actor=self.actor)
        self.app.call_from_thread(self._saved, f"{name}: {'reactivated' if active else 'deactivated'}")


class LocationForm(FormScreen):
    """Add a location (``row`` None) or edit one; dismisses with "Gate 4: saved"."""

    def __init__(self, gateway: Gateway, actor: str, today: date, row: LocationRow | None) -> None:
        super().__init__(gateway, actor, today, title="Add a location" if row is None else "Edit location")
        self.row = row

    def compose_fields(self) -> ComposeResult:
        row = self.row
        yield self.field_row(
            "name", "Name:", self.text_input("name", row.name if row else "", max_length=120)
        )
        yield self.field_row(
            "address", "Address:", self.text_input("address", row.address if row else "", max_length=300)
        )
        yield self.field_row("notes", "Notes:", self.notes_input("notes", row.notes if row else ""))
        for name, label in FEATURES:
            value = bool(getattr(row, name)) if row else False
            yield self.field_row(name, "", Checkbox(label, value, id=f"f-{name}", compact=True))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-name", Input))

    def collect(self) -> Any:
        """A ``LocationForm`` of the services (the name is checked by the service)."""
        from strikeboard.services.locations import LocationForm as Values

        features = {name: self.checked(name) for name, _ in FEATURES}
        return Values(
            name=self.text("name"), address=self.text("address"), notes=self.notes("notes"), **features
        )

    def save(self, values: Any) -> str:
        """Add or save in one transaction."""
        self.gateway.save_location(values, self.row.id if self.row else None, actor=self.actor)
        return f"{values.name}: {'added' if self.row is None else 'saved'}"
