"""Sign-in, sign-out and undo on a real SQLite file: append-only rows, live state, rules."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.shifts import today_board
from strikeboard.services.signin import (
    Candidate,
    SignInIndex,
    close_shift,
    find_for_sign_in,
    load_index,
    mark_no_shows,
    quick_add,
    sign_in,
    sign_out,
    undo,
)
from strikeboard.store.db import Store
from strikeboard.store.models import Assignment, CheckIn, CheckInKind, Location, Member, MemberStatus, Shift
from strikeboard.textnorm import search_key

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


# -- quick-add, shift end, type-ahead ----------------------------------------------------


def test_quick_add_creates_an_incomplete_flagged_member_who_can_sign_in(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        new = quick_add(session, first_name=" Zoë ", last_name="Nuñez", phone="(323) 555-0199", by="cap")
        done = sign_in(session, shift_id=ids["a"], member_id=new, at=START, by="cap", zone=ZONE)
    assert done.walk_in and done.name == "Zoë Nuñez"
    with store.read() as session:
        member = session.get(Member, new)
        assert member is not None
        assert (member.status, member.phone, member.phone_digits) == (
            "incomplete",
            "+13235550199",
            "13235550199",
        )
        assert member.member_number.startswith("Q-") and member.search_key == "zoe nunez"
        assert "organizer" in member.notes and "cap" in member.notes


@pytest.mark.parametrize(
    ("first", "phone", "by", "field"),
    [
        ("", "323 555 0199", "cap", "first_name"),
        ("Al", "", "cap", "phone"),
        ("Al", "12", "cap", "phone"),  # not a phone number
        ("Al\x07", "323 555 0199", "cap", "first_name"),  # a control character
        ("Al", "323 555 0199", " ", "by"),
    ],
)
def test_quick_add_refusals_name_the_field_and_write_nothing(
    store: Store, first: str, phone: str, by: str, field: str
) -> None:
    _setup(store)
    with pytest.raises(ValidationError) as error, store.write() as session:
        quick_add(session, first_name=first, last_name="Lee", phone=phone, by=by)
    assert error.value.field == field
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 3


def test_quick_add_refuses_a_phone_already_on_the_roster(store: Store) -> None:
    _setup(store)
    with store.write() as session:
        quick_add(session, first_name="Al", last_name="One", phone="323 555 0199", by="cap")
    with pytest.raises(ValidationError, match="Al One") as error, store.write() as session:
        quick_add(session, first_name="Al", last_name="Two", phone="+1 323-555-0199", by="cap")
    assert error.value.field == "phone"


def test_no_shows_only_after_the_end_and_only_who_never_came(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        bo_assigned = Assignment(shift_id=ids["a"], member_id=ids["bo"])
        session.add(bo_assigned)
    with store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=ids["bo"], at=START, by="c", zone=ZONE)
    end = START + timedelta(hours=4)
    with pytest.raises(ValidationError, match="runs until") as error, store.write() as session:
        mark_no_shows(session, shift_id=ids["a"], by="c", now=end - timedelta(minutes=1))
    assert error.value.field == "shift"
    with store.write() as session:
        assert mark_no_shows(session, shift_id=ids["a"], by="c", now=end) == ("Ann Lee",)
    with store.read() as session:
        statuses = dict(
            session.execute(
                select(col(Assignment.member_id), col(Assignment.status)).where(
                    col(Assignment.shift_id) == ids["a"]
                )
            ).all()
        )
    assert statuses == {ids["ann"]: "no_show", ids["bo"]: "assigned"}


def test_someone_marked_a_no_show_who_comes_late_is_not_a_walk_in(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        assignment = session.scalars(select(Assignment).where(col(Assignment.member_id) == ids["ann"])).one()
        assignment.status = "no_show"
    late = START + timedelta(hours=3)
    with store.write() as session:
        done = sign_in(session, shift_id=ids["a"], member_id=ids["ann"], at=late, by="captain", zone=ZONE)
    assert not done.walk_in
    assert done.warning == "Ann Lee was marked a no-show: that mark is lifted."
    with store.read() as session:
        assert session.scalars(select(col(Assignment.status))).one() == "assigned"


def test_close_shift_signs_out_those_still_in_at_the_end_flagged(store: Store) -> None:
    ids = _setup(store)
    with store.write() as session:
        sign_in(session, shift_id=ids["a"], member_id=ids["ann"], at=START, by="c", zone=ZONE)
        sign_in(session, shift_id=ids["a"], member_id=ids["bo"], at=START, by="c", zone=ZONE)
    with store.write() as session:
        sign_out(session, shift_id=ids["a"], member_id=ids["bo"], at=START + timedelta(hours=1), by="c")
    end = START + timedelta(hours=4)
    with pytest.raises(ValidationError), store.write() as session:
        close_shift(session, shift_id=ids["a"], by="c", now=START + timedelta(hours=2))
    assert _rows(store) == 3
    with store.write() as session:
        closed = close_shift(session, shift_id=ids["a"], by="c", now=end + timedelta(hours=3))
    assert [(c.name, c.hours) for c in closed] == [("Ann Lee", 4.0)]
    with store.read() as session:
        row = session.scalars(
            select(CheckIn).where(
                col(CheckIn.member_id) == ids["ann"], col(CheckIn.kind) == CheckInKind.CORRECTION
            )
        ).one()
    assert row.out_at == end and row.note == "no sign-out: credited to shift end" and row.recorded_by == "c"
    with store.write() as session:  # closing again finds nobody
        assert close_shift(session, shift_id=ids["a"], by="c", now=end) == ()


def _member(number: str, first: str, last: str, **more: str) -> Member:
    return Member(
        member_number=number, first_name=first, last_name=last, search_key=search_key(first, last), **more
    )


def _index_store(store: Store) -> None:
    with store.write() as session:
        session.add_all(
            [
                _member("W104522", "Zoë", "O'Brien", phone="+13235550142", phone_digits="13235550142"),
                _member("W104523", "Zoe", "Adams"),
                _member("W20001", "Ann", "Zoellner"),
                _member("Q-AB12", "Bo", "Kim"),
            ]
        )  # fmt: skip


def _names(store: Store, text: str, prefer: set[uuid.UUID] | None = None) -> list[str]:
    with store.read() as session:
        index = load_index(session)
    return [c.name for c in find_for_sign_in(index, text, prefer=prefer or set()).candidates]


def test_type_ahead_by_name_number_and_phone(store: Store) -> None:
    _index_store(store)
    assert _names(store, "zoe") == [
        "Zoe Adams",
        "Zoë O'Brien",
        "Ann Zoellner",
    ]  # starts with it, then any word
    assert _names(store, "ZOË  o'b") == ["Zoë O'Brien"]  # accents, case, spaces ignored; every word a prefix
    assert _names(store, "w1045") == ["Zoe Adams", "Zoë O'Brien"]  # a number's start
    assert _names(store, "0142") == ["Zoë O'Brien"]  # phone digits
    assert _names(store, "555-01") == ["Zoë O'Brien"]
    assert _names(store, "nobody") == []
    with store.read() as session:
        index = load_index(session)
    scanned = find_for_sign_in(index, "104522")  # a barcode reader types the digits
    assert scanned.exact is not None and scanned.exact.name == "Zoë O'Brien"
    assert find_for_sign_in(index, "w104522").exact == scanned.exact
    assert find_for_sign_in(index, "zoe").exact is None  # several: the captain chooses
    assert find_for_sign_in(index, "zoe ad").exact is not None  # the only match
    adams = find_for_sign_in(index, "zoe adams").candidates[0]
    obrien = scanned.exact
    assert _names(store, "zoe", {obrien.member_id})[0] == "Zoë O'Brien"  # expected on the shift come first
    assert find_for_sign_in(index, "zoe", limit=1).total == 3
    assert adams.status == "active"


def test_type_ahead_over_11500_members_finds_the_one_number(store: Store) -> None:
    """At union scale a scanned number is one exact match (speed is bench/bench_signin_tab.py's)."""
    index = SignInIndex(
        Candidate(uuid.uuid4(), f"Name{i}", f"name{i}", f"W{100000 + i}", f"1323555{i:04d}", "active",
                  f"first{i % 97} last{i}")
        for i in range(11_500)
    )  # fmt: skip
    found = find_for_sign_in(index, "W105000")
    assert found.exact is not None and found.exact.member_number == "W105000"
    assert find_for_sign_in(index, "nobody").total == 0
