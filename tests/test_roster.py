"""Roster services: the paged, filtered, sorted roster; add/edit/deactivate with validation; detail."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
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


def _library_e164(text: str) -> str:
    """What phonenumbers alone makes of ``text``: E.164, or ``""`` when it is not valid."""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, r.DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _agrees_with_the_library(text: str) -> None:
    expected = _library_e164(text)
    fast = r._international(text)
    assert fast is None or fast == expected, (text, fast, expected)
    if expected:
        assert r.normalise_phone(text) == expected, text
    else:
        with pytest.raises(ValidationError):
            r.normalise_phone(text)


def test_numbers_abroad_decide_as_phonenumbers_for_every_region_and_type() -> None:
    """The fast path for ``+country ...`` numbers, on every example number and near misses of it."""
    import phonenumbers

    decided = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(12):  # every PhoneNumberType but UNKNOWN
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
            spaced = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            last = e164[-1]
            for typed in (
                e164,
                spaced,
                spaced.replace(" ", "-"),
                e164[:-1],
                e164 + "5",
                e164[:-1] + str((int(last) + 1) % 10),
                e164[:3] + "0" + e164[3:],
            ):
                _agrees_with_the_library(typed)
                decided += r._international(typed) not in (None, "")
    assert decided > 1000  # the fast path really decided most of them


@settings(max_examples=400, deadline=None)
@given(
    groups=st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=1, max_size=5),
    separator=st.sampled_from([" ", "-", ".", ""]),
)
def test_arbitrary_plus_numbers_decide_as_phonenumbers(groups: list[str], separator: str) -> None:
    _agrees_with_the_library("+" + separator.join(groups))


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


def _exact(store: Store, flt: RosterFilter) -> list[uuid.UUID]:
    """The members matching ``flt`` in roster order, by the plain search (no search index)."""
    with store.read() as s:
        columns = [col(Member.id)]
        return list(s.execute(r._ordered(flt, columns, week_start=MONDAY, zone=ZONE)).scalars())


#: Bits of what members hold (names, numbers, phones, emails) and of what people mistype.
_PIECES = ["zo", "Zoë", "ZOE", "garc", "ía", "w1", "-", "323", "(213) 5", "213-555", "@", ".org", "%", "_",
           "/", "'", "o'b", "é", "ß", " ", "  ", "a b", "0", "m1", "Ång", "ex", "z-7", "ng", "josé.ñ",
           "Ñ-4", "ñ"]  # fmt: skip


@pytest.fixture(scope="module")
def odd_store(demo_store: Store) -> Store:
    """The demo plus members whose number and email hold what the name search key folds away."""
    with demo_store.write() as s:
        for number, first, email, phone in (
            ("Ñ-42", "Ana", "josé.ñ@example.org", "(213) 555-0142"),
            ("ab_1%", "Bo", "O'Brien@Example.org", "+44 20 7946 0958"),
        ):
            if r.count_members(s, RosterFilter(query=number)) == 0:
                form = MemberForm(member_number=number, first_name=first, email=email, phone=phone)
                r.create_member(s, form, actor="t")
    return demo_store


@pytest.mark.parametrize("query", ["josé.ñ", "Ñ-4", "ab_1%", "213-555-0142", "o'brien@ex", "+44 20 79"])
def test_search_finds_numbers_and_emails_the_name_key_would_fold(odd_store: Store, query: str) -> None:
    exact = _exact(odd_store, RosterFilter(query=query))
    with odd_store.read() as s:
        matching, rows = r.first_page(s, RosterFilter(query=query), 10, week_start=MONDAY, zone=ZONE)
    assert matching == len(exact) >= 1 and [row.id for row in rows] == exact[:10]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), min_size=1, max_size=3))
def test_indexed_search_finds_exactly_the_plain_search(odd_store: Store, parts: list[str]) -> None:
    """The search index only narrows: the first page and the count are those of the plain search."""
    demo_store = odd_store
    query = "".join(parts)
    flt = RosterFilter(query=query)
    exact = _exact(demo_store, flt)
    with demo_store.read() as s:
        matching, rows = r.first_page(s, flt, 25, week_start=MONDAY, zone=ZONE)
        assert r.count_members(s, flt) == matching == len(exact)
    assert [row.id for row in rows] == exact[:25]
    assert [row.id for row in _page(demo_store, flt, 10, 30)] == exact[10:40]


def test_first_page_with_filters_and_sorts(demo_store: Store) -> None:
    for flt in (
        RosterFilter(query="a", roles=("captain",)),
        RosterFilter(query="5", sort="email", descending=True),
        RosterFilter(query="e", sort="hours_week"),
        RosterFilter(query="nobody-has-this"),
        RosterFilter(),
    ):
        exact = _exact(demo_store, flt)
        with demo_store.read() as s:
            matching, rows = r.first_page(s, flt, 40, week_start=MONDAY, zone=ZONE)
        assert (matching, [row.id for row in rows]) == (len(exact), exact[:40]), flt
        assert rows == _page(demo_store, flt, 0, 40)


def test_the_search_scans_the_search_index(demo_store: Store) -> None:
    """On SQLite a search reads the narrow index, not every member row (the 100k keystroke target)."""
    with demo_store.read() as s:
        if s.get_bind().dialect.name != "sqlite":
            pytest.skip("the search index is scanned on SQLite only")
        statement = r._ordered(
            RosterFilter(query="zoe"), [col(Member.id)], week_start=MONDAY, zone=ZONE, indexed=True
        )
        compiled = statement.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        plan = [row[-1] for row in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    assert f"SCAN member USING INDEX {r.SEARCH_INDEX}" in plan and "SCAN member" not in plan, plan


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


# --------------------------------------------------------------------------- strike-pay eligibility


def _picket(s: object, gate: Location, member: uuid.UUID, start: datetime, hours: float) -> None:
    """A shift at ``gate`` from ``start`` for ``hours``, and ``member`` on it the whole time."""
    from datetime import timedelta

    from sqlmodel import Session

    assert isinstance(s, Session)
    shift = Shift(location_id=gate.id, starts_at=start, ends_at=start + timedelta(hours=hours))
    s.add(shift)
    s.flush()
    s.add(CheckIn(shift_id=shift.id, member_id=member, in_at=shift.starts_at, out_at=shift.ends_at))


@pytest.fixture
def pay_store(store: Store) -> tuple[Store, dict[str, uuid.UUID]]:
    """Five members in the week of TODAY (Mon 23 – Sun 29 Nov; the default rule: 20 h a week)."""
    ids: dict[str, uuid.UUID] = {}
    with store.write() as s:
        for number, first, role in [
            ("M1", "Ann", "captain"),  # 4 × 5 h = 20 h: eligible
            ("M2", "Bob", "member"),  # 17.5 h: short by 2.5 h
            ("M3", "Cat", "captain"),  # no hours: not eligible
            ("M4", "Dan", "member"),  # 20 h, but the week before: not eligible this week
            ("M5", "Eve", "member"),  # 25 h: eligible
        ]:
            ids[first] = r.create_member(
                s, MemberForm(member_number=number, first_name=first, last_name="Payne", role=role), actor="t"
            )
        gate = Location(name="Gate 1")
        s.add(gate)
        s.flush()
        for day in (23, 24, 25, 26):
            start = datetime(2026, 11, day, 16, tzinfo=UTC)  # 08:00 in Los Angeles
            _picket(s, gate, ids["Ann"], start, 5)
            _picket(s, gate, ids["Bob"], start, 2.5 if day == 26 else 5)
            _picket(s, gate, ids["Dan"], datetime(2026, 11, day - 7, 16, tzinfo=UTC), 5)
            _picket(s, gate, ids["Eve"], start, 6.25)
    return store, ids


def _pay(flt: RosterFilter) -> RosterFilter:
    return replace(flt, pay_week=TODAY)


@pytest.mark.parametrize(
    ("standings", "expected"),
    [
        (("eligible",), {"Ann", "Eve"}),
        (("short",), {"Bob"}),
        (("not_eligible",), {"Cat", "Dan"}),
        (("eligible", "short"), {"Ann", "Bob", "Eve"}),
        (("short", "not_eligible"), {"Bob", "Cat", "Dan"}),
        (("eligible", "short", "not_eligible"), {"Ann", "Bob", "Cat", "Dan", "Eve"}),
    ],
)
def test_eligibility_filter(
    pay_store: tuple[Store, dict[str, uuid.UUID]], standings: tuple[str, ...], expected: set[str]
) -> None:
    store, _ = pay_store
    flt = _pay(RosterFilter(eligibility=standings))
    rows = _page(store, flt)
    assert {row.name.split(", ")[1] for row in rows} == expected
    with store.read() as s:
        assert r.count_members(s, flt) == len(expected)
        matching, first = r.first_page(s, flt, 2, week_start=MONDAY, zone=ZONE)
        assert matching == len(expected) and [row.id for row in first] == [row.id for row in rows[:2]]
        resolved = r.resolve_pay(s, flt)  # once, then reused for every query
        assert resolved.pay is not None and r.resolve_pay(s, resolved) is resolved
        assert r.count_members(s, resolved) == len(expected)
        # combined with the other filters and the search
        captains = replace(resolved, roles=("captain",))
        assert {row.name for row in r.member_page(s, captains, 0, 10, week_start=MONDAY, zone=ZONE)} == {
            f"Payne, {name}" for name in expected & {"Ann", "Cat"}
        }
        assert r.count_members(s, replace(resolved, query="bob")) == int("Bob" in expected)


def test_pay_column_and_the_other_weeks(pay_store: tuple[Store, dict[str, uuid.UUID]]) -> None:
    store, ids = pay_store
    rows = {row.id: row for row in _page(store, RosterFilter())}
    assert (rows[ids["Ann"]].pay, rows[ids["Ann"]].short_by) == ("eligible", 0.0)
    assert (rows[ids["Bob"]].pay, rows[ids["Bob"]].short_by) == ("short", 2.5)
    assert (rows[ids["Cat"]].pay, rows[ids["Dan"]].pay) == ("not_eligible", "not_eligible")
    # the week before: only Dan picketed
    earlier = RosterFilter(eligibility=("eligible",), pay_week=date(2026, 11, 18))
    assert [row.id for row in _page(store, earlier)] == [ids["Dan"]]
    assert _page(store, earlier)[0].pay == "eligible"  # the column shows the filter's week
    with store.read() as s:
        assert r.count_members(s, replace(earlier, eligibility=("short",))) == 0


def test_eligibility_filter_agrees_with_the_hours_service(demo_store: Store) -> None:
    """On the demo strike, each standing's members are exactly those hours.eligibility() gives it."""
    from strikeboard.services.hours import eligibility
    from strikeboard.services.settings import load_settings

    with demo_store.read() as s:
        judged = eligibility(s, TODAY, load_settings(s))
        last_week = eligibility(s, date(2026, 11, 18), load_settings(s))
    assert {e.status.value for e in last_week.values()} >= {"eligible", "not_eligible"}
    for day, verdicts in ((TODAY, judged), (date(2026, 11, 18), last_week)):
        for standing in r.PAY_STANDINGS:
            flt = RosterFilter(eligibility=(standing,), pay_week=day)
            found = {row.id for row in _page(demo_store, flt, 0, 1000)}
            assert found == {m for m, e in verdicts.items() if e.status.value == standing}, (day, standing)
    shown = {row.id: (row.pay, row.short_by) for row in _page(demo_store, RosterFilter(pay_week=TODAY))}
    assert shown == {
        m: (e.status.value, e.short_by if e.status.value == "short" else 0.0) for m, e in judged.items()
    }


def test_eligibility_filter_is_checked(pay_store: tuple[Store, dict[str, uuid.UUID]]) -> None:
    store, _ = pay_store
    with store.read() as s:
        with pytest.raises(ValidationError) as bad:
            r.count_members(s, RosterFilter(eligibility=("paid",), pay_week=TODAY))
        assert bad.value.field == "eligibility" and "not_eligible" in bad.value.message
        with pytest.raises(ValidationError) as no_week:
            r.count_members(s, RosterFilter(eligibility=("short",)))
        assert no_week.value.field == "pay_week"
