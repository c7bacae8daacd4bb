"""Picket locations (gates): create, edit, deactivate, list and find by name.

A location is never deleted: deactivating it keeps its past shifts and check-ins, and
new shifts cannot be planned there. Names are unique ignoring case and accents.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields

from sqlmodel import Session, col, select

from strikeboard.services.access import require_full_access
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.store.models import Location, utcnow
from strikeboard.textnorm import search_key

#: The accessibility attributes, with the short label shown wherever a location is chosen.
FEATURES: tuple[tuple[str, str], ...] = (
    ("has_shade", "shade"),
    ("has_seating", "seating"),
    ("has_restrooms", "restrooms"),
    ("step_free", "step-free"),
    ("near_transit", "transit"),
)

NAME_MAX, ADDRESS_MAX = 120, 300


@dataclass(frozen=True)
class LocationForm:
    """What a user fills in for a location."""

    name: str
    address: str = ""
    notes: str = ""
    has_shade: bool = False
    has_seating: bool = False
    has_restrooms: bool = False
    step_free: bool = False
    near_transit: bool = False


@dataclass(frozen=True)
class LocationRow:
    """A location as shown in lists and pickers."""

    id: uuid.UUID
    name: str
    address: str
    notes: str
    has_shade: bool
    has_seating: bool
    has_restrooms: bool
    step_free: bool
    near_transit: bool
    active: bool

    @property
    def features(self) -> str:
        """The attributes present, e.g. ``"shade · restrooms · transit"`` ("" if none)."""
        return " · ".join(label for attr, label in FEATURES if getattr(self, attr))


def _row(loc: Location) -> LocationRow:
    return LocationRow(
        id=loc.id,
        name=loc.name,
        address=loc.address,
        notes=loc.notes,
        has_shade=loc.has_shade,
        has_seating=loc.has_seating,
        has_restrooms=loc.has_restrooms,
        step_free=loc.step_free,
        near_transit=loc.near_transit,
        active=loc.active,
    )


def list_locations(session: Session, *, include_inactive: bool = False) -> list[LocationRow]:
    """The locations by name (active ones only unless ``include_inactive``)."""
    query = select(Location)
    if not include_inactive:
        query = query.where(col(Location.active).is_(True))
    rows = [_row(loc) for loc in session.exec(query)]
    rows.sort(key=lambda row: search_key(row.name))
    return rows


def find_location(session: Session, text: str) -> LocationRow:
    """The location named ``text``: exact name (ignoring case and accents) or a unique prefix.

    Inactive locations are found too (callers decide what to allow). Raises ``NotFound``
    naming the known locations otherwise.
    """
    wanted = search_key(text)
    rows = list_locations(session, include_inactive=True)
    if wanted:
        exact = [row for row in rows if search_key(row.name) == wanted]
        if exact:
            return exact[0]
        prefixed = [row for row in rows if search_key(row.name).startswith(wanted)]
        if len(prefixed) == 1:
            return prefixed[0]
        if len(prefixed) > 1:
            names = ", ".join(row.name for row in prefixed)
            raise NotFound(f"{text!r} matches several locations ({names}): give more of the name.")
    known = ", ".join(row.name for row in rows if row.active) or "none yet"
    raise NotFound(f"No location is called {text!r}; the active locations are: {known}.")


def _clean(session: Session, form: LocationForm, location_id: uuid.UUID | None) -> LocationForm:
    """The form with text trimmed, or ``ValidationError`` naming the field to fix."""
    name = " ".join(form.name.split())
    address = form.address.strip()
    if not name:
        raise ValidationError("name", "A location needs a name, e.g. 'Gate 4 (Main)'.")
    if len(name) > NAME_MAX:
        raise ValidationError("name", f"The name is too long: keep it to {NAME_MAX} characters.")
    if len(address) > ADDRESS_MAX:
        raise ValidationError("address", f"The address is too long: keep it to {ADDRESS_MAX} characters.")
    key = search_key(name)
    for other in session.exec(select(Location)):
        if other.id != location_id and search_key(other.name) == key:
            state = "" if other.active else " (inactive: edit that one to reactivate it)"
            raise ValidationError("name", f"There is already a location called {other.name!r}{state}.")
    values = {f.name: getattr(form, f.name) for f in fields(form)}
    values.update(name=name, address=address, notes=form.notes.strip())
    return LocationForm(**values)


def _get(session: Session, location_id: uuid.UUID) -> Location:
    loc = session.get(Location, location_id)
    if loc is None:
        raise NotFound("That location no longer exists.")
    return loc


def create_location(session: Session, form: LocationForm, *, by: str) -> uuid.UUID:
    """Add a location (active) and return its id. ``by`` names who did it."""
    require_full_access(session, "changing locations")
    clean = _clean(session, form, None)
    loc = Location(**{f.name: getattr(clean, f.name) for f in fields(clean)})
    session.add(loc)
    session.flush()
    return loc.id


def update_location(session: Session, location_id: uuid.UUID, form: LocationForm, *, by: str) -> None:
    """Replace a location's fields with ``form``."""
    require_full_access(session, "changing locations")
    loc = _get(session, location_id)
    clean = _clean(session, form, location_id)
    for f in fields(clean):
        setattr(loc, f.name, getattr(clean, f.name))
    loc.updated_at = utcnow()
    session.add(loc)
    session.flush()


def set_location_active(session: Session, location_id: uuid.UUID, active: bool, *, by: str) -> None:
    """Deactivate or reactivate a location (its shifts and history stay)."""
    require_full_access(session, "changing locations")
    loc = _get(session, location_id)
    if loc.active != active:
        loc.active = active
        loc.updated_at = utcnow()
        session.add(loc)
        session.flush()


def deactivate_location(session: Session, location_id: uuid.UUID, *, by: str) -> None:
    """Stop planning shifts at a location. It is never deleted; shifts already planned stay."""
    require_full_access(session, "changing locations")
    set_location_active(session, location_id, False, by=by)
