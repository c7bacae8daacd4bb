"""Incidents: logging with validation (nothing written on bad input), the running shift attached, filters."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.incidents import category_of, list_incidents, log_incident
from strikeboard.store.db import Store
from strikeboard.store.models import Incident, Location, Shift

ZONE = ZoneInfo("America/Los_Angeles")
DAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=ZONE)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


@pytest.fixture
def gates(store: Store) -> dict[str, uuid.UUID]:
    with store.write() as session:
        a, b = Location(name="Gate A"), Location(name="Gate B")
        session.add_all([a, b])
        session.flush()
        shift = Shift(location_id=a.id, starts_at=_at(DAY, 6), ends_at=_at(DAY, 10))
        other = Shift(location_id=b.id, starts_at=_at(DAY, 6), ends_at=_at(DAY, 10))
        session.add_all([shift, other])
        session.flush()
        return {"a": a.id, "b": b.id, "shift": shift.id, "other": other.id}


def _log(
    store: Store, location: uuid.UUID, at: datetime, category: str = "vehicle", **kw: object
) -> uuid.UUID:
    values: dict = {"description": "A truck drove through the line.", "reported_by": "Captain Ann"}
    values.update(kw)
    with store.write() as session:
        return log_incident(
            session, location_id=location, occurred_at=at, category=category, now=NOW, **values
        )


def _count(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Incident)) or 0)


def test_an_incident_during_a_shift_is_attached_to_it(store: Store, gates: dict[str, uuid.UUID]) -> None:
    during = _log(store, gates["a"], _at(DAY, 7), "Employer filming")
    outside = _log(store, gates["a"], _at(DAY, 12), "police")
    with store.read() as session:
        rows = {row.id: row for row in list_incidents(session, zone=ZONE)}
    assert rows[during].shift_id == gates["shift"] and rows[during].category == "employer_filming"
    assert rows[outside].shift_id is None and rows[outside].location == "Gate A"


def test_bad_incidents_are_refused_naming_the_field(store: Store, gates: dict[str, uuid.UUID]) -> None:
    cases = [
        ({"category": "aliens"}, "category"),
        ({"description": "   "}, "description"),
        ({"reported_by": ""}, "reported_by"),
        ({"at": NOW + timedelta(hours=1)}, "occurred_at"),
        ({"shift_id": gates["other"]}, "shift"),
    ]
    for change, field in cases:
        values: dict = {"category": "vehicle", "at": _at(DAY, 7)}
        values.update(change)
        at, category = values.pop("at"), values.pop("category")
        with pytest.raises(ValidationError) as error:
            _log(store, gates["a"], at, category, **values)
        assert error.value.field == field, change
    with pytest.raises(NotFound):
        _log(store, uuid.uuid4(), _at(DAY, 7))
    assert _count(store) == 0


def test_list_filters_by_gate_days_and_category(store: Store, gates: dict[str, uuid.UUID]) -> None:
    _log(store, gates["a"], _at(DAY, 7), "vehicle")
    _log(store, gates["b"], _at(DAY, 23), "threat")  # 23:00 local is 07:00 UTC the next day
    _log(store, gates["a"], _at(DAY + timedelta(days=1), 8), "injury")
    with store.read() as session:

        def listed(**kw: object) -> list[str]:
            return [row.category for row in list_incidents(session, zone=ZONE, **kw)]  # type: ignore[arg-type]

        assert listed() == ["vehicle", "threat", "injury"]
        assert listed(location_id=gates["a"]) == ["vehicle", "injury"]
        assert listed(first_day=DAY, last_day=DAY) == ["vehicle", "threat"]
        assert listed(first_day=DAY + timedelta(days=1)) == ["injury"]
        assert listed(categories=("threat", "Injury")) == ["threat", "injury"]
        with pytest.raises(ValidationError):
            listed(first_day=DAY, last_day=DAY - timedelta(days=1))


def test_category_names_are_forgiving_but_checked() -> None:
    assert category_of(" Employer-Filming ") == "employer_filming"
    with pytest.raises(ValidationError, match="use one of vehicle, police"):
        category_of("weather")
