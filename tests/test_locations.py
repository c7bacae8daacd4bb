"""Picket locations: create, find by name, edit, deactivate; validation before any write."""

import pytest
from sqlalchemy import func, select

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.locations import (
    LocationForm,
    create_location,
    deactivate_location,
    find_location,
    list_locations,
    set_location_active,
    update_location,
)
from strikeboard.store.db import Store
from strikeboard.store.models import Location


def _count(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Location)) or 0)


def test_create_list_and_features(store: Store) -> None:
    with store.write() as session:
        create_location(
            session,
            LocationForm(
                name="  Gate 4   (Main) ", address=" 1 Studio Way ", has_shade=True, near_transit=True
            ),
            by="test",
        )
        create_location(session, LocationForm(name="Bürbank Lot"), by="test")
    with store.read() as session:
        rows = list_locations(session)
    assert [row.name for row in rows] == ["Bürbank Lot", "Gate 4 (Main)"]
    gate = rows[1]
    assert (gate.address, gate.active) == ("1 Studio Way", True)
    assert gate.features == "shade · transit"
    assert rows[0].features == ""


def test_find_by_exact_name_accents_and_unique_prefix(store: Store) -> None:
    with store.write() as session:
        for name in ("Gate 1", "Gate 12", "Bürbank Lot", "Culver"):
            create_location(session, LocationForm(name=name), by="test")
    with store.read() as session:
        assert find_location(session, "gate 1").name == "Gate 1"  # exact wins over prefix of "Gate 12"
        assert find_location(session, "burbank lot").name == "Bürbank Lot"
        assert find_location(session, "cul").name == "Culver"
        with pytest.raises(NotFound, match="several locations"):
            find_location(session, "gate")
        with pytest.raises(NotFound, match="the active locations are: Bürbank Lot, Culver, Gate 1, Gate 12"):
            find_location(session, "Gate 9")


def test_duplicate_names_refused_ignoring_case_and_accents(store: Store) -> None:
    with store.write() as session:
        create_location(session, LocationForm(name="Bürbank Lot"), by="test")
    with pytest.raises(ValidationError) as err, store.write() as session:
        create_location(session, LocationForm(name="BURBANK  lot"), by="test")
    assert err.value.field == "name" and "already a location called 'Bürbank Lot'" in err.value.message
    assert _count(store) == 1


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (LocationForm(name="   "), "name"),
        (LocationForm(name="x" * 121), "name"),
        (LocationForm(name="Gate", address="a" * 301), "address"),
    ],
)
def test_bad_forms_write_nothing(store: Store, form: LocationForm, field: str) -> None:
    with pytest.raises(ValidationError) as err, store.write() as session:
        create_location(session, form, by="test")
    assert err.value.field == field
    assert _count(store) == 0


def test_edit_and_deactivate_keep_the_row(store: Store) -> None:
    with store.write() as session:
        gate = create_location(session, LocationForm(name="Gate 1"), by="test")
        other = create_location(session, LocationForm(name="Gate 2"), by="test")
    with store.write() as session:
        update_location(
            session, gate, LocationForm(name="Gate 1 North", step_free=True, notes="ramp"), by="t"
        )
    with pytest.raises(ValidationError), store.write() as session:
        update_location(session, other, LocationForm(name="gate 1 north"), by="test")
    with store.write() as session:
        update_location(
            session, gate, LocationForm(name="Gate 1 North", step_free=True), by="test"
        )  # same name ok
        deactivate_location(session, gate, by="test")
    with store.read() as session:
        assert [row.name for row in list_locations(session)] == ["Gate 2"]
        everything = list_locations(session, include_inactive=True)
        assert [(row.name, row.active, row.step_free) for row in everything] == [
            ("Gate 1 North", False, True),
            ("Gate 2", True, False),
        ]
        assert find_location(session, "gate 1 north").active is False  # still found, e.g. to reactivate
    with store.write() as session:
        set_location_active(session, gate, True, by="test")
    with store.read() as session:
        assert len(list_locations(session)) == 2
