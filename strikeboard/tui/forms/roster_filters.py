"""The Roster tab's filter form: several roles, units, statuses and strike-pay standings at once.

Each filter is a :class:`~textual.widgets.SelectionList`: Tab moves between them, Space (or
Enter) ticks the highlighted value, ctrl+s applies, ctrl+r clears every tick, Esc leaves the
filters as they were. Nothing ticked in a list means "any". Units are the members' own text,
shown literally. The form writes nothing: it dismisses with a summary and leaves its choice
in :attr:`RosterFilterForm.chosen` for the panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, SelectionList

from strikeboard.tui.forms.base import FormScreen

if TYPE_CHECKING:
    from strikeboard.tui.data import Gateway

#: Strike-pay standings (the service's ``PAY_STANDINGS``) and how the form and status line say them.
PAY_LABELS = {"eligible": "eligible", "short": "short of hours", "not_eligible": "not eligible"}


@dataclass(frozen=True)
class RosterChoice:
    """The roster's filters: the values ticked in each list (empty: any)."""

    roles: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    pay: tuple[str, ...] = ()  # strike-pay standings this week

    def describe(self) -> list[str]:
        """The filters in words, one part per list that narrows (``["role captain or steward"]``)."""
        parts = []
        for noun, values in (("role", self.roles), ("unit", self.units), ("status", self.statuses)):
            if values:
                parts.append(f"{noun} {' or '.join(values)}")
        if self.pay:
            parts.append(f"pay {' or '.join(PAY_LABELS.get(value, value) for value in self.pay)}")
        return parts


class RosterFilterForm(FormScreen):
    """Tick the roles, units, statuses and strike-pay standings to show; ctrl+s applies."""

    DEFAULT_CSS = """
    RosterFilterForm #filter-lists {
        height: auto;
    }
    RosterFilterForm .filter-column {
        width: 1fr;
        height: auto;
        margin-right: 1;
    }
    RosterFilterForm .filter-column Label {
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "clear", "Clear all", id="roster_filters.clear"),
    ]

    def __init__(
        self,
        gateway: Gateway,
        actor: str,
        today: date,
        chosen: RosterChoice,
        *,
        roles: Sequence[str],
        statuses: Sequence[str],
        units: Sequence[str],
    ) -> None:
        super().__init__(gateway, actor, today, title="Filter the roster")
        self.chosen = chosen
        self.roles, self.statuses = tuple(roles), tuple(statuses)
        # a unit ticked before may have lost its last member meanwhile: keep it offered
        self.units = tuple(units) + tuple(unit for unit in chosen.units if unit not in units)

    def compose_header(self) -> ComposeResult:
        yield Label(
            "Space ticks; none ticked in a list = any. Tab: next list · ctrl+r: clear all.",
            markup=False,
        )

    def compose_fields(self) -> ComposeResult:
        chosen = self.chosen
        columns = (
            ("roles", "Role", [(Text(role), role, role in chosen.roles) for role in self.roles]),
            ("statuses", "Status", [(Text(s), s, s in chosen.statuses) for s in self.statuses]),
            ("pay", "Pay this week", [(Text(PAY_LABELS[p]), p, p in chosen.pay) for p in PAY_LABELS]),
            ("units", "Unit", [(Text(unit), unit, unit in chosen.units) for unit in self.units]),
        )
        with Horizontal(id="filter-lists"):
            for name, title, options in columns:
                with Vertical(classes="filter-column", id=f"row-{name}"):
                    yield Label(title, markup=False)
                    yield SelectionList[str](*options, id=f"f-{name}", compact=True)
                    yield Label("", id=f"error-{name}", classes="field-error", markup=False)

    def on_mount(self) -> None:
        for selection in self.query(SelectionList).results(SelectionList):
            selection.styles.max_height = 10  # over the forms' 4-line option lists (app.tcss)
        self.set_focus(self.query_one("#f-roles", SelectionList))

    def ticked(self, name: str) -> tuple[str, ...]:
        """The values ticked in list ``name``, in the list's order."""
        selection: SelectionList[str] = self.query_one(f"#f-{name}", SelectionList)
        chosen = set(selection.selected)
        return tuple(
            value
            for index in range(selection.option_count)
            if (value := selection.get_option_at_index(index).value) in chosen
        )

    def collect(self) -> RosterChoice:
        """What is ticked in each list."""
        return RosterChoice(
            roles=self.ticked("roles"),
            units=self.ticked("units"),
            statuses=self.ticked("statuses"),
            pay=self.ticked("pay"),
        )

    def action_save(self) -> None:
        """Apply the ticks: nothing is written, so the form closes at once."""
        self.chosen = self.collect()
        parts = self.chosen.describe()
        self.dismiss("Showing " + (" · ".join(parts) if parts else "every member"))

    def action_clear(self) -> None:
        """Untick everything (any role, unit, status and standing)."""
        for selection in self.query(SelectionList).results(SelectionList):
            selection.deselect_all()
