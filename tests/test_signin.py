"""Sign-in, sign-out and undo on a real SQLite file: append-only rows, live state, rules."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.shifts import today_board
from strikeboard.services.signin import sign_in, sign_out, undo
from strikeboard.store.db import Store
from strikeboard.store.models import Assignment, CheckIn, CheckInKind, Location, Member, MemberStatus, Shift

ZONE = ZoneInfo("America/Los_Angeles")
START = datetime(2026, 11, 25, 10, 0, tzinfo=ZONE)


def _setup(store: Store) -> dict[str, uuid.UUID]:
    with store.write() as session:
        gate_a, gate_b = Location(name="Gate A"), Location(name="Gate B")
        session.add_all([gate_a, gate_b])
        session.flush()
        shift_a = Shift(location_id=gate_a.id, starts_at=START, ends_at=START + timedelta(hours=4))
        shift_b = Shift(location_id=gate_b.id, starts_at=START, ends_at=START + timedelta(hours=4))
        ann = Member(member_number="1", first_name="Ann", last_name="Lee")
        bo = Member(member_number="2", first_name="Bo", last_name="Kim")
        gone = Member(member_number="3", first_name="Cy", last_name="Old", status=MemberStatus.INACTIVE)
        session.add_all([shift_a, shift_b, ann, bo, gone])
        session.flush()
        session.add(Assignment(shift_id=shift_a.id, member_id=ann.id))
        return {"a": shift_a.id, "b": shift_b.id, "ann": ann.id, "bo": bo.id, "gone": gone.id}


def _rows(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(CheckIn)) or 0)


def _on_line(store: Store, shift_id: uuid.UUID, now: datetime) -> int:
    with store.read() as session:
        board = today_board(session, now.date(), ZONE, now)
    return next(row.signed_in_now for row in board if row.id == shift_id)


def test_an_assigned_member_signs_in_and_counts_on_the_board(store: Store) -> None:
    ids = _setup(store)
    at = START + timedelta(minutes=5)
    with store.write() as session:
        done = sign_in(session, shift_id=ids["a"], member_id=ids["ann"], at=at, by="captain", zone=ZONE)
    assert (done.name, done.walk_in, done.warning) == ("Ann Lee", False, "")
    assert _on_line(store, ids["a"], at) == 1


def test_someone_not_assigned_is_a_walk_in(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        done = sign_in(session, shift_id=ids["a"], member_id=ids["bo"], at=START, by="captain", zone=ZONE)
    assert done.walk_in
    with store.read() as session:
        assert session.scalars(select(col(CheckIn.walk_in))).one() is True


def test_signing_in_twice_is_refused_and_writes_nothing(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=ids["ann"], at=START, by="c", zone=ZONE)
    with pytest.raises(ValidationError, match="already signed in") as error, store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=ids["ann"], at=START, by="c", zone=ZONE)
    assert error.value.field == "member"
    assert _rows(store) == 1


def test_a_second_gate_the_same_day_is_allowed_with_a_warning(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=ids["ann"], at=START, by="c", zone=ZONE)
    with store.write() as session:
        done = sign_in(
            session, shift_id=ids["b"], member_id=ids["ann"], at=START + timedelta(hours=1), by="c", zone=ZONE
        )
    assert "Gate A" in done.warning


@pytest.mark.parametrize(
    ("who", "when", "field"),
    [
        ("gone", START, "member"),  # inactive
        ("ann", START - timedelta(hours=2), "shift"),  # too early
        ("ann", START + timedelta(hours=4), "shift"),  # over
    ],
)
def test_refusals_name_the_field_and_write_nothing(
    store: Store, who: str, when: datetime, field: str
) -> None:
    ids = _setup(store)
    with pytest.raises(ValidationError) as error, store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=ids[who], at=when, by="c", zone=ZONE)
    assert error.value.field == field
    assert _rows(store) == 0


def test_an_unknown_member_is_not_found(store: Store) -> None:
    ids = _setup(store)
    with pytest.raises(NotFound), store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=uuid.uuid4(), at=START, by="c", zone=ZONE)


def test_sign_out_credits_hours_and_leaves_the_line(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=ids["ann"], at=START, by="c", zone=ZONE)
    out = START + timedelta(hours=3, minutes=30)
    with store.write() as session:
        hours = sign_out(session, shift_id=ids["a"], member_id=ids["ann"], at=out, by="c")
    assert hours == 3.5
    assert _on_line(store, ids["a"], out + timedelta(minutes=1)) == 0
    with store.read() as session:
        kinds = sorted(session.scalars(select(col(CheckIn.kind))))
    assert kinds == [CheckInKind.CORRECTION, CheckInKind.SIGN_IN]  # nothing was overwritten
    with pytest.raises(ValidationError), store.write() as session:
        sign_out(session, shift_id=ids["a"], member_id=ids["ann"], at=out, by="c")


def test_undo_voids_the_sign_in_and_keeps_the_record(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=ids["bo"], at=START, by="c", zone=ZONE)
    with store.write() as session:
        undo(session, shift_id=ids["a"], member_id=ids["bo"], by="c", reason="wrong person")
    assert _on_line(store, ids["a"], START + timedelta(minutes=1)) == 0
    assert _rows(store) == 2
    with store.write() as session:  # and they can be signed in again afterwards
        sign_in(
            session,
            shift_id=ids["a"],
            member_id=ids["bo"],
            at=START.astimezone(UTC) + timedelta(minutes=2),
            by="c",
            zone=ZONE,
        )
    assert _on_line(store, ids["a"], START + timedelta(minutes=3)) == 1
