"""Exports: sign-in sheets (CSV, text, HTML), the hours report, incidents CSV and iCal files."""

import csv
import stat
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from strikeboard.services.hours import add_credit
from strikeboard.services.incidents import list_incidents, log_incident
from strikeboard.services.settings import StrikeSettings
from strikeboard.services.shift_exports import (
    SHEET_HEADER,
    WALK_IN_LINES,
    shifts_ical,
    signin_sheet,
    write_hours_report,
    write_incidents,
    write_private,
    write_signin_sheet,
)
from strikeboard.services.signin import sign_in, sign_out
from strikeboard.store.db import Store
from strikeboard.store.models import Assignment, AssignmentStatus, Location, Member, MemberStatus, Shift

ZONE = ZoneInfo("America/Los_Angeles")
DAY = date(2026, 11, 24)  # a Tuesday
SETTINGS = StrikeSettings(time_zone="America/Los_Angeles")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


@pytest.fixture
def ids(store: Store) -> dict[str, uuid.UUID]:
    """Gate A with a morning shift (Ann assigned and signed in/out, Bo assigned and absent, Cy a
    walk-in still signed in), a cancelled afternoon shift, and a shift the next day."""
    with store.write() as session:
        gate = Location(name="Gate <A>", address="1 Studio Way")
        session.add(gate)
        session.flush()
        morning = Shift(location_id=gate.id, starts_at=_at(DAY, 6), ends_at=_at(DAY, 10), notes="Bring water")
        later = Shift(location_id=gate.id, starts_at=_at(DAY, 14), ends_at=_at(DAY, 18), cancelled=True)
        tomorrow = Shift(
            location_id=gate.id,
            starts_at=_at(DAY + timedelta(days=1), 6),
            ends_at=_at(DAY + timedelta(days=1), 10),
        )
        ann = Member(member_number="100", first_name="Ann", last_name="Lee")
        bo = Member(member_number="200", first_name="=cmd|calc", last_name="Kim")
        cy = Member(member_number="300", first_name="Cy", last_name="Abe")
        gone = Member(member_number="400", first_name="Di", last_name="Old", status=MemberStatus.INACTIVE)
        session.add_all([morning, later, tomorrow, ann, bo, cy, gone])
        session.flush()
        session.add_all(
            [
                Assignment(shift_id=morning.id, member_id=ann.id),
                Assignment(shift_id=morning.id, member_id=bo.id),
                Assignment(shift_id=later.id, member_id=ann.id),
                Assignment(shift_id=tomorrow.id, member_id=ann.id, status=AssignmentStatus.CANCELLED),
            ]
        )
        session.flush()
        sign_in(session, shift_id=morning.id, member_id=ann.id, at=_at(DAY, 6, 5), by="c", zone=ZONE)
        sign_out(session, shift_id=morning.id, member_id=ann.id, at=_at(DAY, 10, 5), by="c")
        sign_in(session, shift_id=morning.id, member_id=cy.id, at=_at(DAY, 7), by="c", zone=ZONE)
        return {
            "gate": gate.id,
            "morning": morning.id,
            "later": later.id,
            "tomorrow": tomorrow.id,
            "ann": ann.id,
            "cy": cy.id,
        }


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_sign_in_sheet_lists_assigned_then_walk_ins_with_blank_lines(
    store: Store, ids: dict[str, uuid.UUID], tmp_path: Path
) -> None:
    with store.read() as session:
        sheet = signin_sheet(session, location_id=ids["gate"], day=DAY, zone=ZONE)
    assert [sheet.span(shift) for shift in sheet.shifts] == ["06:00–10:00", "14:00–18:00 (cancelled)"]
    out = tmp_path / "sheet.csv"
    write_signin_sheet(out, sheet, "csv")
    assert _private(out)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == SHEET_HEADER
    morning = [row for row in rows[1:] if row[0] == "06:00–10:00"]
    assert morning[:3] == [
        ["06:00–10:00", "'=cmd|calc Kim", "200", "assigned", "", "", "", ""],  # injection-safe
        ["06:00–10:00", "Ann Lee", "100", "assigned", "06:05", "10:05", "4", ""],
        ["06:00–10:00", "Cy Abe", "300", "walk-in", "07:00", "", "", ""],
    ]
    assert morning[3:] == [["06:00–10:00", "", "", "walk-in", "", "", "", ""]] * WALK_IN_LINES


def test_one_shift_only_and_a_shift_at_another_gate_is_refused(
    store: Store, ids: dict[str, uuid.UUID]
) -> None:
    from strikeboard.services.errors import ValidationError

    with store.write() as session:
        other = Location(name="Gate B")
        session.add(other)
        session.flush()
        sheet = signin_sheet(
            session, location_id=ids["gate"], day=date(2000, 1, 1), zone=ZONE, shift_id=ids["later"]
        )
        assert (sheet.day, [s.id for s in sheet.shifts]) == (DAY, [ids["later"]])
        with pytest.raises(ValidationError, match="not at Gate B"):
            signin_sheet(session, location_id=other.id, day=DAY, zone=ZONE, shift_id=ids["later"])


def test_the_printable_sheets_have_signature_lines_and_escape_html(
    store: Store, ids: dict[str, uuid.UUID], tmp_path: Path
) -> None:
    with store.read() as session:
        sheet = signin_sheet(session, location_id=ids["gate"], day=DAY, zone=ZONE)
    write_signin_sheet(tmp_path / "s.txt", sheet, "txt")
    write_signin_sheet(tmp_path / "s.html", sheet, "html")
    text = (tmp_path / "s.txt").read_text()
    assert text.startswith("Sign-in sheet — Gate <A> — Tue 24 Nov 2026\n1 Studio Way\n")
    assert "Shift 06:00–10:00" in text and "Shift 14:00–18:00 (cancelled)" in text
    ann_line = next(line for line in text.splitlines() if line.startswith("Ann Lee"))
    assert "06:05" in ann_line and "10:05" in ann_line and ann_line.endswith("_" * 24)
    assert text.count("walk-in") == 2 * WALK_IN_LINES + 1  # Cy, and the blank lines of both shifts
    page = (tmp_path / "s.html").read_text()
    assert "Gate &lt;A&gt;" in page and "Gate <A>" not in page
    assert page.count('<td class="sign"></td>') == 3 + 1 + 2 * WALK_IN_LINES  # morning 3, later 1 (Ann)
    assert _private(tmp_path / "s.txt") and _private(tmp_path / "s.html")


def test_write_private_refuses_to_overwrite_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    write_private(target, b"one")
    with pytest.raises(FileExistsError):
        write_private(target, b"two")
    write_private(target, b"three", overwrite=True)
    assert target.read_bytes() == b"three"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_the_hours_report_has_a_column_per_day_and_the_verdict(
    store: Store, ids: dict[str, uuid.UUID], tmp_path: Path
) -> None:
    with store.write() as session:
        add_credit(
            session, member_id=ids["cy"], on_date=DAY, hours=2, kind="alternative_duty", approved_by="Org"
        )
    out = tmp_path / "hours.csv"
    with store.read() as session:
        start, count = write_hours_report(session, out, DAY + timedelta(days=2), SETTINGS)
    assert (start, count) == (date(2026, 11, 23), 3)  # the inactive member without hours is left out
    assert _private(out)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = {row["member_number"]: row for row in csv.DictReader(handle)}
    ann, cy = rows["100"], rows["300"]
    assert (ann["2026-11-24"], ann["picket_hours"], ann["eligibility"], ann["short_by"]) == (
        "4",
        "4",
        "short",
        "16",
    )
    # Cy never signed out: counted to the shift's end (3 h from 07:00) and flagged, plus 2 h of duty
    assert (cy["2026-11-24"], cy["counted_hours"], cy["alternative_duty_hours"], cy["no_sign_out"]) == (
        "5",
        "5",
        "2",
        "1",
    )
    assert rows["200"]["eligibility"] == "not_eligible" and rows["200"]["name"] == "'=cmd|calc Kim"


def test_the_incidents_csv_uses_local_times(store: Store, ids: dict[str, uuid.UUID], tmp_path: Path) -> None:
    with store.write() as session:
        log_incident(
            session,
            location_id=ids["gate"],
            occurred_at=_at(DAY, 7, 30),
            category="threat",
            description="-shouted threats",
            reported_by="Ann",
            now=_at(DAY, 12),
        )
    out = tmp_path / "incidents.csv"
    with store.read() as session:
        assert write_incidents(out, list_incidents(session, zone=ZONE), ZONE) == 1
    with out.open(newline="", encoding="utf-8") as handle:
        row = next(iter(csv.DictReader(handle)))
    assert (row["occurred_at"], row["shift_start"], row["description"]) == (
        "2026-11-24T07:30-08:00",
        "2026-11-24T06:00-08:00",
        "'-shouted threats",
    )


def test_a_members_calendar_has_their_shifts_with_the_strike_zone(
    store: Store, ids: dict[str, uuid.UUID]
) -> None:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with store.read() as session:
        data, count = shifts_ical(session, zone=ZONE, now=now, member_id=ids["ann"])
        _cy_data, cy_count = shifts_ical(session, zone=ZONE, now=now, member_id=ids["cy"])
    assert count == 3 and cy_count == 1  # Cy walked in: the shift is on their calendar too
    assert b"DTSTART;TZID=America/Los_Angeles:20261124T060000" in data
    assert b"BEGIN:VTIMEZONE" in data
    events = {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    assert set(events) == {str(ids["morning"]), str(ids["later"]), str(ids["tomorrow"])}
    assert str(events[str(ids["morning"])]["status"]) == "CONFIRMED"
    assert str(events[str(ids["later"])]["status"]) == "CANCELLED"  # the shift was cancelled
    assert str(events[str(ids["tomorrow"])]["status"]) == "CANCELLED"  # her assignment was
    assert events[str(ids["morning"])].decoded("dtstart") == _at(DAY, 6)
    assert str(events[str(ids["morning"])]["summary"]) == "Picket: Gate <A>"


def test_a_gates_calendar_for_a_day_range(store: Store, ids: dict[str, uuid.UUID]) -> None:
    from strikeboard.services.errors import ValidationError

    now = datetime(2026, 11, 20, tzinfo=UTC)
    with store.read() as session:
        _, everything = shifts_ical(session, zone=ZONE, now=now, location_id=ids["gate"])
        _, one_day = shifts_ical(
            session, zone=ZONE, now=now, location_id=ids["gate"], first_day=DAY, last_day=DAY
        )
        with pytest.raises(ValidationError):
            shifts_ical(session, zone=ZONE, now=now, location_id=ids["gate"], member_id=ids["ann"])
    assert (everything, one_day) == (3, 2)
