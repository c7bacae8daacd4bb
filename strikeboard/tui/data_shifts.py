"""The gateway's Shifts-tab methods: the week grid, one shift's people, locations, planning and assigning.

A mixin of :class:`strikeboard.tui.data.Gateway` (imported lazily with it): every method
opens one short read or one write transaction through the services and returns plain
frozen dataclasses; the services' ``ValidationError``/``NotFound`` become
:class:`~strikeboard.tui.forms.base.FieldProblem` shown at the form's field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from strikeboard.services import assignments, locations, shift_plan, shifts
from strikeboard.services.assignments import Assigned, ShiftChoice
from strikeboard.services.errors import NotFound
from strikeboard.services.locations import LocationForm, LocationRow
from strikeboard.services.shift_plan import Affected, Scope, SeriesForm, ShiftChanges, ShiftForm
from strikeboard.services.shifts import WeekShift
from strikeboard.store.models import Shift
from strikeboard.tui.data_errors import user_errors

if TYPE_CHECKING:
    from strikeboard.services.settings import StrikeSettings
    from strikeboard.services.shift_people import ShiftPeople
    from strikeboard.store.db import Store


@dataclass(frozen=True)
class WeekGridData:
    """What the week grid shows: the gates (active ones, and any with shifts that week) and the shifts."""

    monday: date
    locations: tuple[LocationRow, ...]
    shifts: tuple[WeekShift, ...]


@dataclass(frozen=True)
class ShiftDetail:
    """One shift for the drill-in: its people (see ``shift_people``) and what the gate and plan say."""

    people: ShiftPeople
    address: str
    features: str  # the gate's accessibility features ("shade · seating · ..."; "" if none)
    roles_needed: tuple[str, ...]
    in_series: bool


class ShiftData:
    """Gateway methods of the Shifts tab (``store`` and ``settings`` come from the Gateway)."""

    store: Store
    settings: StrikeSettings

    def week_grid(self, monday: date) -> WeekGridData:
        """The week from ``monday`` for the grid, in one read."""
        zone = self.settings.zone
        with self.store.read() as session:
            week = shifts.week_schedule(session, monday, zone)
            gates = locations.list_locations(session, include_inactive=True)
        used = {shift.location for shift in week}
        shown = tuple(gate for gate in gates if gate.active or gate.name in used)
        return WeekGridData(monday, shown, tuple(week))

    def shift_detail(self, shift_id: uuid.UUID, now: datetime) -> ShiftDetail:
        """One shift with who is assigned, signed in, out or missing at ``now``."""
        from strikeboard.services.shift_people import shift_people

        with user_errors(), self.store.read() as session:
            people = shift_people(session, shift_id, now, self.settings.zone)
            shift = session.get(Shift, shift_id)
            if shift is None:
                raise NotFound("That shift no longer exists.")
            gates = locations.list_locations(session, include_inactive=True)
        gate = next((row for row in gates if row.id == people.location_id), None)
        return ShiftDetail(
            people=people,
            address=gate.address if gate else "",
            features=gate.features if gate else "",
            roles_needed=tuple(shift.roles_needed or ()),
            in_series=shift.series_id is not None,
        )

    # -- locations -------------------------------------------------------------------------

    def location_list(self, *, include_inactive: bool = True) -> list[LocationRow]:
        """Every location by name (inactive ones too unless told otherwise)."""
        with self.store.read() as session:
            return locations.list_locations(session, include_inactive=include_inactive)

    def save_location(self, form: LocationForm, location_id: uuid.UUID | None, *, actor: str) -> uuid.UUID:
        """Add a location (``location_id`` None) or save an edit, in one transaction."""
        with user_errors(), self.store.write() as session:
            if location_id is None:
                return locations.create_location(session, form, by=actor)
            locations.update_location(session, location_id, form, by=actor)
            return location_id

    def set_location_active(self, location_id: uuid.UUID, active: bool, *, actor: str) -> None:
        """Deactivate (or reactivate) a location; it is never deleted."""
        with user_errors(), self.store.write() as session:
            locations.set_location_active(session, location_id, active, by=actor)

    # -- planning --------------------------------------------------------------------------

    def plan_shifts(self, form: ShiftForm | SeriesForm, *, actor: str) -> int:
        """Create a one-off shift or a whole series in one transaction; returns how many shifts."""
        zone = self.settings.zone
        with user_errors(), self.store.write() as session:
            if isinstance(form, ShiftForm):
                shift_plan.create_shift(session, form, zone, by=actor)
                return 1
            return shift_plan.create_series(session, form, zone, by=actor).count

    def update_shift(self, shift_id: uuid.UUID, changes: ShiftChanges, *, scope: Scope, actor: str) -> int:
        """Change one shift or it and the later ones of its series; returns how many changed."""
        with user_errors(), self.store.write() as session:
            return shift_plan.update_shift(
                session, shift_id, changes, scope=scope, zone=self.settings.zone, by=actor
            )

    def affected_by_cancel(self, shift_id: uuid.UUID, *, scope: Scope) -> list[Affected]:
        """Who is assigned to the shifts a cancel would hit."""
        with user_errors(), self.store.read() as session:
            return shift_plan.affected_by_cancel(session, shift_id, scope=scope)

    def cancel_shift(self, shift_id: uuid.UUID, *, scope: Scope, actor: str) -> int:
        """Cancel one shift (or it and the later ones of its series); returns how many."""
        with user_errors(), self.store.write() as session:
            return shift_plan.cancel_shift(session, shift_id, scope=scope, by=actor, zone=self.settings.zone)

    # -- assigning -------------------------------------------------------------------------

    def assignment_warnings(self, shift_id: uuid.UUID, member_id: uuid.UUID) -> list[str]:
        """Why one might think twice before putting the member on the shift (never blocks)."""
        with user_errors(), self.store.read() as session:
            return assignments.assignment_warnings(session, shift_id, member_id, self.settings.zone)

    def assign(
        self, shift_id: uuid.UUID, member_id: uuid.UUID, *, role: str, actor: str, now: datetime
    ) -> Assigned:
        """Put a member on a shift by hand, in one transaction (refused for past/cancelled shifts)."""
        with user_errors(), self.store.write() as session:
            return assignments.assign(
                session, shift_id, member_id, role=role, by=actor, zone=self.settings.zone, now=now
            )

    def unassign(self, shift_id: uuid.UUID, member_id: uuid.UUID, *, actor: str) -> None:
        """Take a member off a shift (the assignment is kept, marked cancelled)."""
        with user_errors(), self.store.write() as session:
            assignments.unassign(session, shift_id, member_id, by=actor)

    def shift_choices(self, member_id: uuid.UUID, start: datetime, end: datetime) -> list[ShiftChoice]:
        """Shifts from ``start`` to ``end`` the member could join, with the warnings of each."""
        with user_errors(), self.store.read() as session:
            return assignments.shift_choices(session, member_id, start, end, self.settings.zone)
