"""Member CSV export: filter and columns, injection-safe cells, 0600, and export → import round trips."""

from __future__ import annotations

import csv
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from strikeboard.services.errors import ValidationError
from strikeboard.services.member_export import EXPORT_COLUMNS, export_members
from strikeboard.services.member_import import apply_import
from strikeboard.services.roster import MemberForm, RosterFilter, create_member
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import Member

FIELDS_COMPARED = (*EXPORT_COLUMNS, "phone_digits", "search_key")


def _snapshot(store: Store) -> dict[str, tuple[object, ...]]:
    with store.read() as s:
        members = s.execute(select(Member)).scalars()
        return {m.member_number: tuple(getattr(m, f) for f in FIELDS_COMPARED) for m in members}


def _seed(store: Store) -> None:
    with store.write() as s:
        create_member(
            s,
            MemberForm(
                member_number="M1",
                first_name="=cmd|' /C calc'!A0",
                last_name="Zoë",
                phone="+1 323 555 0142",
                email="z@example.org",
                role="captain",
                languages="Spanish, ASL",
                notes="@SUM(1)\nline two",
            ),
            actor="t",
        )
        create_member(
            s, MemberForm(member_number="M2", first_name="Bob", unit="Fox", status="excused"), actor="t"
        )


def test_cells_are_neutralised_quoted_and_private(store: Store, tmp_path: Path) -> None:
    _seed(store)
    out = tmp_path / "members.csv"
    with store.read() as s:
        assert export_members(s, out, RosterFilter()) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode()
    assert (
        "\"'=cmd|' /C calc'!A0\"" in text and '"\'+13235550142"' in text and '"\'@SUM(1)\nline two"' in text
    )
    rows = list(csv.reader(text.splitlines(keepends=True)))
    assert rows[0] == list(EXPORT_COLUMNS) and all(cell.startswith("'") is False for cell in rows[0])
    with store.read() as s, pytest.raises(FileExistsError):
        export_members(s, out, RosterFilter())
    with store.read() as s:
        export_members(s, out, RosterFilter(), excel=True, overwrite=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_filter_search_and_columns(store: Store, tmp_path: Path) -> None:
    _seed(store)
    out = tmp_path / "m.csv"
    with store.read() as s:
        assert (
            export_members(s, out, RosterFilter(statuses=("excused",)), columns=["member_number", "unit"])
            == 1
        )
    assert out.read_bytes() == b'"member_number","unit"\r\n"M2","Fox"\r\n'
    with store.read() as s:
        assert export_members(s, out, RosterFilter(query="zoe"), columns=["first_name"], overwrite=True) == 1
        with pytest.raises(ValidationError):
            export_members(s, out, RosterFilter(), columns=["password"], overwrite=True)


def test_export_then_import_changes_nothing(store: Store, tmp_path: Path) -> None:
    _seed(store)
    before = _snapshot(store)
    out = tmp_path / "m.csv"
    with store.read() as s:
        export_members(s, out, RosterFilter(), excel=True)
    with store.write() as s:
        preview = apply_import(s, out, actor="t")
    assert (preview.new, preview.updated, preview.unchanged, preview.rejected) == (0, 0, 2, ())
    assert _snapshot(store) == before


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"),
    max_size=30,
).map(str.strip)
_formula = st.sampled_from(["=1+2", "+SUM(A1)", "-3", "@cmd", "'=x", "''+y", "'plain", '=HYPERLINK("a")'])
_name = st.one_of(_text, _formula).filter(lambda t: t == t.strip())
_item = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=",\x85\u2028\u2029"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
_phone = st.sampled_from(["", "+1 323 555 0142", "(213) 555-0100", "+44 20 7946 0958", "+33 1 42 68 53 00"])


@st.composite
def _members(draw: st.DrawFn) -> list[MemberForm]:
    count = draw(st.integers(1, 6))
    phones = draw(st.lists(_phone, min_size=count, max_size=count))
    seen: set[str] = set()
    forms = []
    for i in range(count):
        phone = phones[i] if phones[i] not in seen else ""
        if phone:
            seen.add(phone)
        forms.append(
            MemberForm(
                member_number=draw(st.one_of(st.just(f"N{i}"), _formula)) + str(i),
                first_name=draw(_name.filter(bool)),
                last_name=draw(_name),
                preferred_name=draw(_name),
                notes=draw(st.one_of(_name, st.just("multi\r\nline\ttext"))),
                phone=phone,
                unit=draw(_name),
                languages=", ".join(draw(st.lists(_item, max_size=3))),
                role=draw(st.sampled_from(["member", "captain", "steward"])),
            )
        )
    return forms


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forms=_members())
def test_round_trip_property(tmp_path: Path, forms: list[MemberForm]) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    source = open_store(str(folder / "a.db"))
    target = open_store(str(folder / "b.db"))
    try:
        with source.write() as s:
            for form in forms:
                create_member(s, form, actor="t")
        out = folder / "m.csv"
        with source.read() as s:
            export_members(s, out, RosterFilter())
        with target.write() as s:
            preview = apply_import(s, out, actor="t")
        assert preview.rejected == () and preview.new == len(forms)
        assert _snapshot(target) == _snapshot(source)
        with source.write() as s:  # and into the same database: nothing changes
            again = apply_import(s, out, actor="t")
        assert (again.unchanged, again.updated, again.new) == (len(forms), 0, 0)
    finally:
        source.close()
        target.close()


def test_export_by_strike_pay_eligibility(store: Store, tmp_path: Path) -> None:
    """Members short of the week's hours (hand-made check-ins), in name order whatever the sort."""
    from datetime import UTC, date, datetime, timedelta

    from strikeboard.store.models import CheckIn, Location, Shift

    _seed(store)
    with store.write() as s:
        gate = Location(name="Gate")
        s.add(gate)
        s.flush()
        bob = s.execute(select(Member.id).where(Member.member_number == "M2")).scalar_one()
        start = datetime(2026, 11, 24, 16, tzinfo=UTC)
        shift = Shift(location_id=gate.id, starts_at=start, ends_at=start + timedelta(hours=4))
        s.add(shift)
        s.flush()
        s.add(CheckIn(shift_id=shift.id, member_id=bob, in_at=shift.starts_at, out_at=shift.ends_at))
    out = tmp_path / "short.csv"
    week = date(2026, 11, 25)
    with store.read() as s:
        flt = RosterFilter(eligibility=("short",), pay_week=week, sort="hours_week", descending=True)
        assert export_members(s, out, flt, columns=["member_number"]) == 1
        assert out.read_text() == '"member_number"\n"M2"\n'
        flt = RosterFilter(eligibility=("not_eligible",), pay_week=week)
        assert export_members(s, out, flt, columns=["member_number"], overwrite=True) == 1
        assert out.read_text() == '"member_number"\n"M1"\n'
        with pytest.raises(ValidationError):
            export_members(s, out, RosterFilter(eligibility=("short",)), overwrite=True)  # which week?
