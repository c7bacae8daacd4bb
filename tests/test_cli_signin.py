"""``strikeboard signin|signout|report|credit|incidents|export``: what a user types, exit codes, files."""

import stat
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from strikeboard.cli import main
from strikeboard.cli.reports import CREDIT_KINDS, INCIDENT_CATEGORIES
from strikeboard.store.db import open_store
from strikeboard.store.models import (
    CheckIn,
    CreditKind,
    HoursCredit,
    Incident,
    IncidentCategory,
    Location,
    Member,
    Shift,
)

ZONE = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A strike with Gate 4 (a 06:00–10:00 shift on 24 Nov 2026) and two members."""
    path = tmp_path / "s.db"
    store = open_store(str(path))
    with store.write() as session:
        gate = Location(name="Gate 4", address="4000 Warner Blvd")
        session.add(gate)
        session.flush()
        session.add(
            Shift(
                location_id=gate.id,
                starts_at=datetime(2026, 11, 24, 6, tzinfo=ZONE),
                ends_at=datetime(2026, 11, 24, 10, tzinfo=ZONE),
            )
        )
        session.add(Member(member_number="1001", first_name="Ann", last_name="Lee", email="ann@example.org"))
        session.add(Member(member_number="1002", first_name="Bo", last_name="Kim", phone="+13235550142"))
    store.close()
    return path


def _run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def _count(db: Path, table: type) -> int:
    store = open_store(str(db))
    try:
        with store.read() as session:
            return int(session.scalar(select(func.count()).select_from(table)) or 0)
    finally:
        store.close()


def test_sign_in_and_out_by_number_email_and_phone(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "signin", "1001", "--location", "gate 4", "--at", "2026-11-24 06:02") == 0
    assert "signed in Ann Lee (1001) at Gate 4 as a walk-in, Tue 24 Nov 06:02" in capsys.readouterr().out
    assert _run(db, "signin", "(323) 555-0142", "--location", "Gate", "--at", "2026-11-24T05:30") == 0
    assert "signed in Bo Kim (1002)" in capsys.readouterr().out  # within the hour before the start
    assert _run(db, "signout", "ANN@example.org", "--location", "Gate 4", "--at", "2026-11-24 10:02") == 0
    assert "signed out 1001 at Gate 4: 4 h" in capsys.readouterr().out
    assert _count(db, CheckIn) == 3  # two sign-ins and the sign-out correction


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("signin", "9999", "--location", "Gate 4", "--at", "2026-11-24 07:00"), 1, "No member has"),
        (("signin", "1001", "--location", "Gate 9", "--at", "2026-11-24 07:00"), 1, "No location is called"),
        (("signin", "1001", "--location", "Gate 4", "--at", "2026-11-24 12:00"), 1, "No shift is running"),
        (("signin", "1001", "--location", "Gate 4", "--at", "noonish"), 2, "is not a time"),
        (("signout", "1001", "--location", "Gate 4", "--at", "2026-11-24 07:00"), 1, "is not signed in"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], code: int, message: str
) -> None:
    assert _run(db, *args) == code
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert _count(db, CheckIn) == 0


def test_sign_out_before_sign_in_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "signin", "1001", "--location", "Gate 4", "--at", "2026-11-24 07:00") == 0
    assert _run(db, "signout", "1001", "--location", "Gate 4", "--at", "2026-11-24 06:30") == 1
    assert "The sign-out time must be after the sign-in time." in capsys.readouterr().err
    assert _count(db, CheckIn) == 1


def test_hours_report_and_credits(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(db, "signin", "1001", "--location", "Gate 4", "--at", "2026-11-24 06:00")
    _run(db, "signout", "1001", "--location", "Gate 4", "--at", "2026-11-24 10:00")
    args = ("--date", "2026-11-25", "--hours", "4", "--kind", "alternative_duty", "--approved-by", "Org")
    assert _run(db, "credit", "add", "1001", *args, "--description", "phone banking") == 0
    credit_id = capsys.readouterr().out.split("credit id: ")[1].strip()
    too_long = ("--date", "2026-11-25", "--hours", "30", "--kind", "excused_absence", "--approved-by", "O")
    assert _run(db, "credit", "add", "1001", *too_long) == 1
    assert "at most 24" in capsys.readouterr().err
    out = tmp_path / "hours.csv"
    assert _run(db, "report", "hours", "--week", "2026-11-26", "-o", str(out)) == 0
    assert "for the week 2026-11-23 to 2026-11-29" in capsys.readouterr().out
    assert (
        '"1001","Ann Lee","","active","0","4","4","0","0","0","0","4","4","0","8","short","12","0"'
        in out.read_text()
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert _run(db, "report", "hours", "--week", "2026-11-26", "-o", str(out)) == 1
    assert "already exists" in capsys.readouterr().err
    assert _run(db, "credit", "list", "--member", "1001") == 0
    listed = capsys.readouterr().out
    assert "2026-11-25  1001 Ann Lee  4 h alternative duty (phone banking), approved by Org" in listed
    assert f"id {credit_id}" in listed and "1 credit\n" in listed
    assert _run(db, "credit", "void", credit_id, "--reason", "duplicate", "--by", "Org B") == 0
    assert _run(db, "credit", "list") == 0
    assert "VOIDED by Org B" in capsys.readouterr().out
    assert _run(db, "credit", "void", credit_id) == 1
    assert "already voided" in capsys.readouterr().err
    assert _run(db, "report", "hours", "--week", "2026-11-26", "-o", str(out), "--force") == 0
    assert '"short","16"' in out.read_text()
    assert _count(db, HoursCredit) == 2


def test_incidents_log_list_and_export(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = ("incidents", "log", "--location", "Gate 4", "--category", "vehicle", "--reporter", "Ann")
    assert _run(db, *log, "--description", "Truck at speed", "--at", "2026-11-24 07:15") == 0
    assert _run(db, *log, "--description", "  ", "--at", "2026-11-24 07:20") == 1
    assert "Describe what happened." in capsys.readouterr().err
    assert _run(db, "incidents", "list", "--from", "2026-11-24", "--to", "2026-11-24") == 0
    assert "2026-11-24 07:15  Gate 4  vehicle  Truck at speed  (reported by Ann)" in capsys.readouterr().out
    assert _run(db, "incidents", "list", "--from", "2026-11-25", "--to", "2026-11-24") == 2
    out = tmp_path / "inc.csv"
    assert _run(db, "incidents", "export", "--category", "vehicle", "-o", str(out)) == 0
    assert "Truck at speed" in out.read_text()
    assert _count(db, Incident) == 1


def test_export_a_sign_in_sheet_and_a_calendar(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, "signin", "1001", "--location", "Gate 4", "--at", "2026-11-24 06:00")
    page = tmp_path / "sheet.html"
    assert (
        _run(db, "export", "signin-sheet", "--location", "Gate 4", "--date", "2026-11-24", "-o", str(page))
        == 0
    )
    assert (
        "wrote the html sign-in sheet of Gate 4 for 2026-11-24 (1 shifts, 1 people)"
        in capsys.readouterr().out
    )
    assert page.read_text().startswith("<!DOCTYPE html>")
    text = tmp_path / "sheet.out"
    assert _run(db, "export", "signin-sheet", "--location", "Gate 4", "--date", "2026-11-24",
                "--format", "txt", "-o", str(text)) == 0  # fmt: skip
    assert "Ann Lee" in text.read_text()
    ics = tmp_path / "ann.ics"
    assert _run(db, "export", "ical", "--member", "1001", "-o", str(ics)) == 0
    assert "wrote 1 shifts" in capsys.readouterr().out and b"BEGIN:VEVENT" in ics.read_bytes()
    missing = tmp_path / "nobody.ics"
    assert _run(db, "export", "ical", "--member", "4242", "-o", str(missing)) == 1
    assert _run(db, "export", "ical", "--location", "Gate 4", "--from", "2026-11-25", "--to", "2026-11-24",
                "-o", str(missing)) == 2  # fmt: skip
    assert not missing.exists()


def test_the_spelled_out_choices_match_the_models() -> None:
    assert tuple(k.value for k in CreditKind) == CREDIT_KINDS
    assert tuple(c.value for c in IncidentCategory) == INCIDENT_CATEGORIES
