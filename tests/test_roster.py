"""Roster services: the paged, filtered, sorted roster; add/edit/deactivate with validation; detail."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlmodel import col

from strikeboard import demo
from strikeboard.services import roster as r
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.roster import MemberForm, RosterFilter
from strikeboard.services.shifts import week_start
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import CheckIn, Location, Member, Shift

ZONE = ZoneInfo("America/Los_Angeles")
TODAY = date(2026, 11, 25)
MONDAY = week_start(TODAY)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("roster") / "demo.db"
    demo.generate(path, members=400, seed=3, today=TODAY)
    return open_store(str(path))


def _page(store: Store, flt: RosterFilter, offset: int = 0, limit: int = 1000) -> list[r.RosterRow]:
    with store.read() as s:
        return r.member_page(s, flt, offset, limit, week_start=MONDAY, zone=ZONE)


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("(323) 555-0142", "+13235550142", "+1 323-555-0142"),
        ("323.555.0142", "+13235550142", "+1 323-555-0142"),
        ("1 323 555 0142", "+13235550142", "+1 323-555-0142"),
        ("+1-323-555-0142", "+13235550142", "+1 323-555-0142"),
        ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("+1 416 555 0199", "+14165550199", "+1 416-555-0199"),  # Canada: slow path
        ("", "", ""),
    ],
)
def test_phone_normalised_and_readable(typed: str, stored: str, shown: str) -> None:
    assert r.normalise_phone(typed) == stored
    assert r.readable_phone(stored) == shown


@pytest.mark.parametrize("typed", ["555-0142", "12", "call me", "+1 023 555 0142"])
def test_bad_phone(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        r.normalise_phone(typed)
    assert caught.value.field == "phone"


# --------------------------------------------------------------------------- the roster page


def test_count_and_pages_cover_everyone_in_order(demo_store: Store) -> None:
    with demo_store.read() as s:
        total = r.count_members(s, RosterFilter())
        everyone = s.execute(select(col(Member.id))).scalars().all()
    assert total == len(everyone)
    rows = [row for offset in range(0, total, 70) for row in _page(demo_store, RosterFilter(), offset, 70)]
    assert len(rows) == total and {row.id for row in rows} == set(everyone)
    with demo_store.read() as s:  # the same order as the existing roster search (last, then given name)
        assert [row.id for row in rows] == [m.id for m in r.search_members(s, "", limit=total).rows]


def test_search_accent_case_phone_email_number(demo_store: Store) -> None:
    with demo_store.write() as s:
        r.create_member(
            s,
            MemberForm(
                member_number="Z-777",
                first_name="Zoë",
                last_name="Ångström",
                email="Zoe.A@Example.org",
                phone="(213) 555-0177",
            ),
            actor="t",
        )
    for query in ("zoe ang", "ZOË", "213-555-0177", "2135550177", "zoe.a@example", "z-77"):
        rows = _page(demo_store, RosterFilter(query=query))
        assert "Z-777" in [row.member_number for row in rows], query
        with demo_store.read() as s:
            assert r.count_members(s, RosterFilter(query=query)) == len(rows)
    row = next(x for x in _page(demo_store, RosterFilter(query="zoe ang")) if x.member_number == "Z-777")
    assert (row.name, row.phone) == ("Ångström, Zoë", "+1 213-555-0177")


def test_filters(demo_store: Store) -> None:
    captains = _page(demo_store, RosterFilter(roles=("captain",)))
    assert captains and {row.role for row in captains} == {"captain"}
    with demo_store.read() as s:
        units = r.unit_choices(s)
    assert units and "" not in units
    some = _page(demo_store, RosterFilter(units=(units[0],), statuses=("active",)))
    assert {(row.unit, row.status) for row in some} == {(units[0], "active")}


@pytest.mark.parametrize("sort", r.SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_pages_consistently(demo_store: Store, sort: str, descending: bool) -> None:
    flt = RosterFilter(sort=sort, descending=descending)
    whole = _page(demo_store, flt)
    paged = [row for offset in range(0, len(whole), 37) for row in _page(demo_store, flt, offset, 37)]
    assert [row.id for row in paged] == [row.id for row in whole]
    if sort == "hours_week":
        hours = [row.hours_week for row in whole]
        assert hours == sorted(hours, reverse=descending) and max(hours) > 0
    if sort == "last_picket":
        days = [row.last_picket for row in whole if row.last_picket is not None]
        assert days == sorted(days, reverse=descending)
        assert whole[-1].last_picket is None  # never picketed: last either way
    if sort == "email":
        assert whole[-1].email == "" or all(row.email for row in whole)
    with demo_store.read() as s:
        for index in (0, 5, len(whole) - 1):
            assert r.member_position(s, flt, whole[index].id) == index


def test_member_position_outside_the_filter(demo_store: Store) -> None:
    member = _page(demo_store, RosterFilter(roles=("member",)), 0, 1)[0]
    with demo_store.read() as s:
        assert r.member_position(s, RosterFilter(roles=("captain",)), member.id) is None


def test_bad_sort(demo_store: Store) -> None:
    with pytest.raises(ValidationError):
        _page(demo_store, RosterFilter(sort="shoe_size"))


# --------------------------------------------------------------------------- add, edit, deactivate


def test_create_validates_and_normalises(store: Store) -> None:
    with store.write() as s:
        member_id = r.create_member(
            s,
            MemberForm(
                member_number=" M1 ",
                first_name=" Zoë ",
                email="z@example.org",
                phone="323 555 0142",
                role="Captain",
                languages="Spanish, ASL,",
                skills="",
            ),
            actor="t",
        )
        form = r.member_form(s, member_id)
        member = s.get(Member, member_id)
        assert member is not None
        assert (member.member_number, member.first_name, member.phone, member.phone_digits) == (
            "M1",
            "Zoë",
            "+13235550142",
            "13235550142",
        )
        assert (member.role, member.languages, member.search_key) == ("captain", ["Spanish", "ASL"], "zoe")
    assert form.phone == "+1 323-555-0142" and form.languages == "Spanish, ASL"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"member_number": ""}, "member_number"),
        ({"first_name": "  "}, "first_name"),
        ({"email": "no-at-sign"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"phone": "555"}, "phone"),
        ({"role": "boss"}, "role"),
        ({"status": "gone"}, "status"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"last_name": "two\nlines"}, "last_name"),
        ({"notes": "bell\x07"}, "notes"),
    ],
)
def test_validation_names_the_field(store: Store, changes: dict[str, str], field: str) -> None:
    form = replace(MemberForm(member_number="M1", first_name="Ann"), **changes)
    with store.write() as s, pytest.raises(ValidationError) as caught:
        r.create_member(s, form, actor="t")
    assert caught.value.field == field


def test_duplicates_pointed_out_and_number_unique(store: Store) -> None:
    with store.write() as s:
        ann = r.create_member(
            s,
            MemberForm(
                member_number="M1",
                first_name="Ann",
                last_name="Lee",
                email="Ann@Example.org",
                phone="3235550142",
            ),
            actor="t",
        )
        hints = r.check_member(
            s,
            MemberForm(
                member_number="M1",
                first_name="Ann",
                last_name="Lée",
                email="ann@example.org",
                phone="(323) 555-0142",
            ),
        )
        assert [(h.member_id, h.reason) for h in hints] == [(ann, "same member number")]
        hints = r.check_member(s, MemberForm(member_number="M2", first_name="Ann", last_name="Lée"))
        assert [(h.member_id, h.reason, h.name) for h in hints] == [(ann, "similar name", "Ann Lee")]
        hints = r.check_member(s, MemberForm(member_number="M2", first_name="X", phone="323.555.0142"))
        assert [h.reason for h in hints] == ["same phone"]
        assert r.check_member(s, r.member_form(s, ann), member_id=ann) == []
        with pytest.raises(ValidationError) as caught:
            r.create_member(s, MemberForm(member_number="M1", first_name="Other"), actor="t")
        assert caught.value.field == "member_number"


def test_update_and_deactivate(store: Store) -> None:
    with store.write() as s:
        ann = r.create_member(s, MemberForm(member_number="M1", first_name="Ann"), actor="t")
        bob = r.create_member(s, MemberForm(member_number="M2", first_name="Bob"), actor="t")
    with store.write() as s:
        form = r.member_form(s, ann)
        r.update_member(
            s, ann, MemberForm(**{**form.__dict__, "preferred_name": "Annie", "last_name": "Ng"}), actor="t"
        )
        with pytest.raises(ValidationError):
            r.update_member(s, bob, MemberForm(member_number="M1", first_name="Bob"), actor="t")
    with store.write() as s:
        r.deactivate_member(s, ann, actor="t")
        member = s.get(Member, ann)
        assert member is not None
        assert (member.status, member.search_key) == ("inactive", "ann ng annie")
        with pytest.raises(NotFound):
            r.member_form(s, uuid.uuid4())
        with pytest.raises(ValidationError):
            r.deactivate_member(s, bob, actor=" ")


# --------------------------------------------------------------------------- detail and hours


def test_detail_and_hours_this_week(store: Store) -> None:
    with store.write() as s:
        ann = r.create_member(s, MemberForm(member_number="M1", first_name="Ann"), actor="t")
        gate = Location(name="Gate 1")
        s.add(gate)
        s.flush()
        shift = Shift(
            location_id=gate.id,
            starts_at=datetime(2026, 11, 24, 17, tzinfo=UTC),
            ends_at=datetime(2026, 11, 24, 21, tzinfo=UTC),
        )
        old = Shift(
            location_id=gate.id,
            starts_at=datetime(2026, 11, 10, 17, tzinfo=UTC),
            ends_at=datetime(2026, 11, 10, 21, tzinfo=UTC),
        )
        s.add_all([shift, old])
        s.flush()
        s.add(CheckIn(shift_id=shift.id, member_id=ann, in_at=shift.starts_at, out_at=shift.ends_at))
        s.add(CheckIn(shift_id=old.id, member_id=ann, in_at=old.starts_at, out_at=old.ends_at))
    rows = _page(store, RosterFilter())
    assert (rows[0].hours_week, rows[0].last_picket) == (4.0, date(2026, 11, 24))
    with store.read() as s:
        detail = r.member_detail(s, ann, today=TODAY, zone=ZONE)
    assert detail.hours_week == 4.0 and detail.name == "Ann"
    assert [h[0] for h in detail.history] == [date(2026, 11, 24), date(2026, 11, 10)]


def test_detail_of_a_demo_member(demo_store: Store) -> None:
    row = _page(demo_store, RosterFilter(sort="hours_week", descending=True), 0, 1)[0]
    with demo_store.read() as s:
        detail = r.member_detail(s, row.id, today=TODAY, zone=ZONE)
    assert detail.hours_week == row.hours_week and detail.history


def test_existing_search_members_still_works(demo_store: Store) -> None:
    with demo_store.read() as s:
        page = r.search_members(s, "", limit=10)
    assert len(page.rows) == 10 and page.total >= 400
