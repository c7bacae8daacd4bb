"""Bad input everywhere, in the forms: the service validators behind the TUI forms get hostile values.

Each form's service (add member, quick add at a gate, location, one-off shift, series, file a
grievance) runs on a fresh copy of a small demo strike with Hypothesis-made values: very long
strings, control characters, markup brackets, right-to-left marks, dates at the ends of the
calendar, negative and huge numbers, SQL-looking text. The outcome is either
``ValidationError`` naming one of the form's fields (and the database unchanged) or a save
that reads back exactly as the service cleaned it. Any other exception fails the test.
"""

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from strikeboard.cli import main
from strikeboard.services.errors import ValidationError
from strikeboard.services.grievances import GrievanceInput, file_grievance
from strikeboard.services.locations import LocationForm, create_location
from strikeboard.services.roster import MemberForm, create_member
from strikeboard.services.settings import load_settings
from strikeboard.services.shift_plan import SeriesForm, ShiftForm, create_series, create_shift
from strikeboard.services.signin import quick_add
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import Grievance, Location, Member, Shift

FUZZ = settings(
    max_examples=int(os.environ.get("STRIKEBOARD_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TODAY = date(2026, 11, 25)

HOSTILE = [
    "",
    "   ",
    "\x00",
    "nul\x00inside",
    "'; DROP TABLE member; --",
    "Robert'); DELETE FROM shift;--",
    "%_%",
    "[bold red]boom[/]",
    "[/]",
    "<b>x</b>",
    '=HYPERLINK("http://x")',
    "\u202eevil\u202c",
    "\u200f\u200e",
    "\ufeff",
    "e\u0301\u0301",
    "名字",
    "😀👩‍👩‍👧",
    "\x1b[31mred\x1b[0m",
    "line\nbreak",
    "tab\there",
    "\r\n",
    "\x7f",
    "-1",
    "9" * 40,
    "+1 (555) 010-0199",
    "+44 20 7946 0958",
    "a" * 101,
    "x" * 20_000,
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
)
hostile_dates = st.one_of(
    st.sampled_from([date.min, date.max, date(1970, 1, 1), TODAY, date(2026, 11, 30), date(2025, 2, 28)]),
    st.dates(),
)
hostile_times = st.one_of(st.sampled_from([time.min, time.max, time(0, 0), time(23, 59)]), st.times())
hostile_counts = st.one_of(st.integers(-3, 12), st.integers(-(2**70), 2**70), st.sampled_from([0, 1, 10**6]))


def pick(
    data: st.DataObject, sane: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any], label: str
) -> Any:
    """A sane value three times in four, else a hostile one: so most fields pass and one gets through deep."""
    return data.draw(st.one_of(sane, sane, sane, hostile), label=label)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``strikeboard demo --members 60`` file, made once."""
    path = tmp_path_factory.mktemp("forms-demo") / "demo.db"
    assert main(["demo", "--out", str(path), "--members", "60", "--today", TODAY.isoformat()]) == 0
    return path


def fingerprint(path: Path) -> tuple[object, ...]:
    """Row counts per table and the newest audit event."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = tuple(
            (t, conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
            for t in sorted(tables)
            if not t.startswith("sqlite_")
        )
        newest = conn.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
        return (counts, newest)
    finally:
        conn.close()


class Workbench:
    """A fresh copy of the demo per example: run a form's service, check the outcome."""

    def __init__(self, demo: Path, folder: Path) -> None:
        self.demo = demo
        self.folder = folder
        self.tried = 0

    def ids(self, sql: str) -> list[uuid.UUID]:
        """Ids from the demo (for choices a form offers, e.g. locations)."""
        conn = sqlite3.connect(self.demo)
        try:
            return [uuid.UUID(row[0]) for row in conn.execute(sql)]
        finally:
            conn.close()

    def submit(self, save: Callable[[Any], Any], fields_: set[str]) -> tuple[Store, Any] | None:
        """Run ``save(session)`` on a fresh copy; a ValidationError must name one of ``fields_``
        and leave the database as it was.

        Returns the open store and what ``save`` returned, or None when it was refused.
        """
        self.tried += 1
        path = self.folder / f"case{self.tried}.db"
        shutil.copyfile(self.demo, path)
        before = fingerprint(path)
        store = open_store(str(path))
        store.actor = "fuzz"
        try:
            with store.write() as session:
                result = save(session)
        except ValidationError as exc:
            store.close()
            assert exc.field in fields_, (exc.field, exc.message)
            assert exc.message.strip() and "\n" not in exc.message.replace(repr("\n")[1:-1], ""), exc.message
            assert fingerprint(path) == before
            path.unlink()
            return None
        return store, result


@pytest.fixture
def bench(demo: Path, tmp_path: Path) -> Iterator[Workbench]:
    """A workbench over the module's demo."""
    yield Workbench(demo, tmp_path)


def _read(store: Store, model: type, record_id: uuid.UUID) -> Any:
    with store.read() as session:
        return session.get(model, record_id)


MEMBER_FIELDS = {f.name for f in fields(MemberForm)}


@FUZZ
@given(data=st.data())
def test_the_member_form_refuses_or_saves_exactly(bench: Workbench, data: st.DataObject) -> None:
    """Add member: every field hostile in turn (and the role/status choices)."""
    sane = {"member_number": "F-1", "first_name": "Ann", "role": "member", "status": "active"}
    values = {
        name: pick(data, st.just(sane.get(name, "")), hostile_text, name) for name in sorted(MEMBER_FIELDS)
    }
    form = MemberForm(**values)
    outcome = bench.submit(lambda s: create_member(s, form, actor="fuzz"), MEMBER_FIELDS)
    if outcome is None:
        return
    store, member_id = outcome
    try:
        member = _read(store, Member, member_id)
        for name in ("member_number", "first_name", "last_name", "preferred_name", "pronouns", "notes"):
            assert getattr(member, name) == getattr(form, name).strip(), name
    finally:
        store.close()


@FUZZ
@given(first=hostile_text, last=hostile_text, phone=hostile_text, by=hostile_text)
def test_quick_add_refuses_or_saves_exactly(
    bench: Workbench, first: str, last: str, phone: str, by: str
) -> None:
    """Quick add at a gate: name and phone only."""
    outcome = bench.submit(
        lambda s: quick_add(s, first_name=first, last_name=last, phone=phone, by=by),
        {"first_name", "last_name", "phone", "by"},
    )
    if outcome is None:
        return
    store, member_id = outcome
    try:
        member = _read(store, Member, member_id)
        assert (member.first_name, member.last_name) == (first.strip(), last.strip())
        assert member.phone.startswith("+") and member.phone_digits
    finally:
        store.close()


@FUZZ
@given(
    name=hostile_text,
    address=hostile_text,
    notes=hostile_text,
    flags=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_the_location_form_refuses_or_saves_exactly(
    bench: Workbench, name: str, address: str, notes: str, flags: list[bool]
) -> None:
    """Add location: name, address, notes and the five features."""
    form = LocationForm(name, address, notes, *flags)
    outcome = bench.submit(
        lambda s: create_location(s, form, by="fuzz"), {f.name for f in fields(LocationForm)}
    )
    if outcome is None:
        return
    store, location_id = outcome
    try:
        loc = _read(store, Location, location_id)
        assert loc.name == " ".join(name.split())
        assert (loc.address, loc.notes) == (address.strip(), notes.strip())
        assert [loc.has_shade, loc.has_seating, loc.has_restrooms, loc.step_free, loc.near_transit] == flags
    finally:
        store.close()


SHIFT_FIELDS = {f.name for f in fields(ShiftForm)} | {"location", "day", "start", "end"}


@FUZZ
@given(data=st.data())
def test_the_shift_form_refuses_or_saves_exactly(bench: Workbench, data: st.DataObject) -> None:
    """One-off shift: day at the ends of the calendar, any times, any counts, hostile roles and notes."""
    locations = bench.ids("SELECT id FROM location ORDER BY active DESC, name LIMIT 3")
    form = ShiftForm(
        location_id=pick(data, st.sampled_from(locations), st.uuids(), "location"),
        day=pick(data, st.just(date(2026, 12, 3)), hostile_dates, "day"),
        start=pick(data, st.just(time(9)), hostile_times, "start"),
        end=pick(data, st.just(time(13)), hostile_times, "end"),
        min_headcount=pick(data, st.just(2), hostile_counts, "min"),
        max_headcount=pick(data, st.just(8), hostile_counts, "max"),
        roles_needed=tuple(pick(data, st.just(["first_aid"]), st.lists(hostile_text, max_size=3), "roles")),
        notes=pick(data, st.just("bring water"), hostile_text, "notes"),
    )

    def save(session: Any) -> uuid.UUID:
        return create_shift(session, form, load_settings(session).zone, by="fuzz")

    outcome = bench.submit(save, SHIFT_FIELDS)
    if outcome is None:
        return
    store, shift_id = outcome
    try:
        shift = _read(store, Shift, shift_id)
        assert (shift.min_headcount, shift.max_headcount) == (form.min_headcount, form.max_headcount)
        assert shift.notes == form.notes.strip() and shift.starts_at < shift.ends_at
    finally:
        store.close()


SERIES_FIELDS = {f.name for f in fields(SeriesForm)} | {"location", "start", "end"}


@FUZZ
@given(data=st.data())
def test_the_series_form_refuses_or_saves_exactly(bench: Workbench, data: st.DataObject) -> None:
    """Recurring series: hostile days, weekdays, slots, counts and RRULE text."""
    locations = bench.ids("SELECT id FROM location WHERE active LIMIT 3")
    form = SeriesForm(
        location_ids=tuple(pick(data, st.just(locations[:1]), st.lists(st.uuids(), max_size=2), "locations")),
        first_day=pick(data, st.just(date(2026, 12, 1)), hostile_dates, "first"),
        last_day=pick(data, st.just(date(2026, 12, 14)), hostile_dates, "last"),
        weekdays=tuple(pick(data, st.just([0, 2, 4]), st.lists(st.integers(), max_size=3), "weekdays")),
        slots=tuple(
            pick(
                data,
                st.just([(time(6), time(10))]),
                st.lists(st.tuples(hostile_times, hostile_times), max_size=2),
                "slots",
            )
        ),
        min_headcount=pick(data, st.just(2), hostile_counts, "min"),
        max_headcount=pick(data, st.just(8), hostile_counts, "max"),
        roles_needed=tuple(pick(data, st.just(()), st.lists(hostile_text, max_size=2), "roles")),
        notes=pick(data, st.just(""), hostile_text, "notes"),
        rrule=pick(
            data,
            st.none(),
            st.one_of(
                hostile_text,
                st.sampled_from(
                    ["FREQ=DAILY", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX", "FREQ=YEARLY;COUNT=99999"]
                ),
            ),
            "rrule",
        ),
    )

    def save(session: Any) -> Any:
        return create_series(session, form, load_settings(session).zone, by="fuzz")

    outcome = bench.submit(save, SERIES_FIELDS)
    if outcome is None:
        return
    store, created = outcome
    try:
        with store.read() as session:
            found = session.exec(select(Shift).where(col(Shift.series_id) == created.series_id)).all()
        assert len(found) == created.count > 0
        assert all(shift.notes == form.notes.strip() and shift.starts_at < shift.ends_at for shift in found)
    finally:
        store.close()


GRIEVANCE_FIELDS = {f.name for f in fields(GrievanceInput)} | {"step", "actor", "grievants", "steward"}


@FUZZ
@given(data=st.data())
def test_the_grievance_form_refuses_or_saves_exactly(bench: Workbench, data: st.DataObject) -> None:
    """File a grievance: hostile texts, dates anywhere in the calendar, unknown people."""
    members = bench.ids("SELECT id FROM member LIMIT 3")
    people = st.one_of(st.sampled_from(members), st.uuids())
    form = GrievanceInput(
        incident_date=pick(data, st.just(date(2026, 11, 2)), hostile_dates, "incident"),
        summary=pick(data, st.just("Late pay"), hostile_text, "summary"),
        employer=pick(data, st.just("Sony"), hostile_text, "employer"),
        unit=pick(data, st.just(""), hostile_text, "unit"),
        articles=pick(data, st.just("Art. 13"), hostile_text, "articles"),
        learned_date=pick(data, st.none(), hostile_dates, "learned"),
        filed_date=pick(data, st.none(), hostile_dates, "filed"),
        remedy=pick(data, st.just(""), hostile_text, "remedy"),
        steward_id=pick(data, st.none(), people, "steward"),
        grievant_ids=tuple(pick(data, st.just(members[:1]), st.lists(people, max_size=2), "grievants")),
        is_class=data.draw(st.booleans()),
        is_discipline=data.draw(st.booleans()),
    )
    outcome = bench.submit(lambda s: file_grievance(s, form, actor="fuzz", today=TODAY), GRIEVANCE_FIELDS)
    if outcome is None:
        return
    store, grievance_id = outcome
    try:
        case = _read(store, Grievance, grievance_id)
        assert (case.summary, case.remedy, case.employer) == (
            form.summary.strip(),
            form.remedy.strip(),
            form.employer.strip(),
        )
        assert case.incident_date == form.incident_date
    finally:
        store.close()


@pytest.mark.parametrize("day", [date.min, date(1, 1, 2), date(9999, 12, 30), date.max])
def test_a_shift_at_the_ends_of_the_calendar_is_refused_by_name(bench: Workbench, day: date) -> None:
    """A shift or series on the calendar's first or last days is refused naming the day (it used to
    raise OverflowError)."""
    location = bench.ids("SELECT id FROM location WHERE active LIMIT 1")[0]
    shift = ShiftForm(location, day, time(22), time(2))
    series = SeriesForm((location,), day, day, tuple(range(7)), ((time(20), time(23)),))
    assert bench.submit(lambda s: create_shift(s, shift, load_settings(s).zone, by="fuzz"), {"day"}) is None
    assert (
        bench.submit(lambda s: create_series(s, series, load_settings(s).zone, by="fuzz"), {"first_day"})
        is None
    )
