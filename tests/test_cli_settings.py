"""``strikeboard settings show|set|steps|holidays`` on real SQLite files: every kind of
change, bad values (exit 1, nothing written), and the grievance deadline engine using
the new steps and holidays afterwards."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from strikeboard.cli import main
from strikeboard.services import grievances as g
from strikeboard.services.errors import ValidationError
from strikeboard.services.settings import (
    SIMPLE_KEYS,
    StepRule,
    StrikeSettings,
    apply_setting,
    format_setting,
    format_step,
    load_settings,
    parse_step,
    settings_as_dict,
)
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import Grievance, Member, Setting

#: Monday 9 November 2026: the cases below are filed on it (at Step 1: Informal is skipped).
FILED = date(2026, 11, 9)
TODAY = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads $STRIKEBOARD_DB or writes to the real user data folder."""
    monkeypatch.delenv("STRIKEBOARD_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A fresh database file (created by the first command)."""
    return str(tmp_path / "strike.db")


def _run(db: str, *args: str) -> int:
    try:
        return main(["--db", db, "settings", *args])
    except SystemExit as exc:  # argparse usage errors
        return exc.code if isinstance(exc.code, int) else 1


@contextmanager
def _opened(db: str) -> Iterator[Store]:
    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def _settings(db: str) -> StrikeSettings:
    with _opened(db) as store, store.read() as session:
        return load_settings(session)


def _rows(db: str) -> list[tuple[str, object, object]]:
    """Every stored setting row, with its change time (to prove nothing was written)."""
    with _opened(db) as store, store.read() as session:
        return [(r.key, r.value, r.updated_at) for r in session.exec(select(Setting).order_by(Setting.key))]


def _file(db: str, filed: date = FILED) -> tuple[uuid.UUID, date | None]:
    """File a grievance through the service; return its id and stored next deadline."""
    with _opened(db) as store, store.write() as session:
        member = Member(member_number=f"M-{uuid.uuid4().hex[:8]}", first_name="Ana", last_name="Alvarez")
        session.add(member)
        session.flush()
        data = g.GrievanceInput(
            incident_date=date(2026, 11, 2), filed_date=filed, summary="Overtime", grievant_ids=(member.id,)
        )
        case_id = g.file_grievance(session, data, actor="Sam Steward", today=TODAY)
    return case_id, _deadline(db, case_id)


def _deadline(db: str, case_id: uuid.UUID) -> date | None:
    with _opened(db) as store, store.read() as session:
        case = session.get(Grievance, case_id)
        assert case is not None
        return case.next_deadline


def test_show_defaults_as_text_and_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "show") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["strike_name", "Strike"]
    assert [line.split()[0] for line in out[: len(SIMPLE_KEYS)]] == list(SIMPLE_KEYS)
    assert out[5].split() == ["strike_pay.week_starts_on", "monday"]
    header = out.index("Grievance steps (strikeboard settings steps ...):")
    assert out[header + 1].split() == ["STEP", "UNION", "DAYS", "EMPLOYER", "DAYS", "COUNTED", "IN"]
    assert out[header + 2].split() == ["Informal", "15", "5", "working", "days"]
    assert out[header + 6].split() == ["Arbitration", "15", "30", "working", "days"]
    assert out[-2:] == ["Holidays (strikeboard settings holidays add|remove ...):", "  none"]
    assert _run(db, "show", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == settings_as_dict(StrikeSettings())
    assert shown["grievance_steps"][1] == {
        "name": "Step 1",
        "union_days": 15,
        "employer_days": 10,
        "working_days": True,
    }


@pytest.mark.parametrize(
    ("key", "value", "shown", "stored"),
    [
        ("strike_name", "  Local 42 strike ", "Local 42 strike", lambda s: s.strike_name),
        ("time_zone", "America/New_York", "America/New_York", lambda s: s.time_zone),
        ("filing_counts_from", "Learned", "learned", lambda s: s.filing_counts_from),
        ("strike_pay.weekly_hours", "16.5", "16.5", lambda s: s.strike_pay.weekly_hours),
        ("strike_pay.daily_minimum_hours", "4", "4", lambda s: s.strike_pay.daily_minimum_hours),
        ("strike_pay.week_starts_on", "Sunday", "sunday", lambda s: s.strike_pay.week_starts_on),
        ("strike_pay.week_starts_on", "2", "wednesday", lambda s: s.strike_pay.week_starts_on),
        ("strike_pay.alternative_duty_counts", "false", "no", lambda s: s.strike_pay.alternative_duty_counts),
        ("scheduling.min_rest_hours", "10.5", "10.5", lambda s: s.scheduling.min_rest_hours),
        ("backup.every_minutes", " 45 ", "45", lambda s: s.backup.every_minutes),
        ("backup.every_minutes", "0", "0", lambda s: s.backup.every_minutes),
    ],
)
def test_set_each_kind(
    db: str, capsys: pytest.CaptureFixture[str], key: str, value: str, shown: str, stored: object
) -> None:
    before = _settings(db)
    assert _run(db, "set", key, value) == 0
    assert capsys.readouterr().out.startswith(f"{key}: {shown} (was ")
    after = _settings(db)
    expected = {
        "strike_name": "Local 42 strike",
        "time_zone": "America/New_York",
        "filing_counts_from": "learned",
        "strike_pay.weekly_hours": 16.5,
        "strike_pay.daily_minimum_hours": 4.0,
        "strike_pay.week_starts_on": 6 if value == "Sunday" else 2,
        "strike_pay.alternative_duty_counts": False,
        "scheduling.min_rest_hours": 10.5,
        "backup.every_minutes": 0 if value == "0" else 45,
    }[key]
    assert callable(stored) and stored(after) == expected
    # every other setting is as it was
    assert apply_setting(before, key, value) == after
    assert _run(db, "set", key, value) == 0
    assert capsys.readouterr().out == f"{key}: {shown} (unchanged)\n"


def test_set_a_negative_value_is_a_value_not_an_option(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "set", "strike_pay.weekly_hours", "-5") == 1
    assert "from 0 to 168" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("key", "value", "fix"),
    [
        ("strike_name", "   ", "give the strike a name"),
        ("strike_name", "x" * 121, "120 characters"),
        ("time_zone", "Pacific Time", "America/Los_Angeles"),
        ("time_zone", "america/new_york", "did you mean America/New_York?"),
        ("time_zone", "../../etc/passwd", "America/Los_Angeles"),
        ("filing_counts_from", "filed", "incident"),
        ("strike_pay.weekly_hours", "twenty", "from 0 to 168"),
        ("strike_pay.weekly_hours", "169", "from 0 to 168"),
        ("strike_pay.weekly_hours", "nan", "from 0 to 168"),
        ("strike_pay.daily_minimum_hours", "25", "from 0 to 24"),
        ("strike_pay.week_starts_on", "7", "monday to sunday"),
        ("strike_pay.week_starts_on", "someday", "monday to sunday"),
        ("strike_pay.alternative_duty_counts", "maybe", "yes or no"),
        ("scheduling.min_rest_hours", "49", "from 0 to 48"),
        ("scheduling.min_rest_hours", "-1", "from 0 to 48"),
        ("backup.every_minutes", "-5", "from 0 (no automatic backups) to 1440"),
        ("backup.every_minutes", "1.5", "whole number of minutes"),
        ("backup.every_minutes", "1441", "to 1440, e.g. 30"),
        ("backup.every_minutes", "half an hour", "whole number of minutes"),
        ("backup.every_minutes", "٣٠", "whole number of minutes"),
        ("grievance_steps", "x", "strikeboard settings steps"),
        ("holidays", "2026-12-25", "strikeboard settings holidays"),
        ("strike_pay", "20", "one of strike_name"),
    ],
)
def test_bad_values_exit_1_and_write_nothing(
    db: str, capsys: pytest.CaptureFixture[str], key: str, value: str, fix: str
) -> None:
    assert _run(db, "set", "strike_name", "Local 42 strike") == 0
    capsys.readouterr()
    before, rows = _settings(db), _rows(db)
    assert _run(db, "set", key, value) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert err.startswith(f"strikeboard: {key}") or err.startswith(f"strikeboard: {key!r}")
    assert fix in err and len(err.splitlines()) == 1
    assert _settings(db) == before and _rows(db) == rows


def test_every_simple_setting_reads_back_as_shown() -> None:
    settings = StrikeSettings(strike_name="Local 42", time_zone="Europe/Paris")
    for key in SIMPLE_KEYS:
        assert apply_setting(settings, key, format_setting(settings, key)) == settings
    with pytest.raises(ValidationError) as caught:
        apply_setting(settings, "time_zone", "Mars/Olympus_Mons")
    assert caught.value.field == "time_zone"


def test_step_texts() -> None:
    assert parse_step("Step 1:15:10") == StepRule("Step 1", 15, 10, True)
    assert parse_step(" Step 2: 5 : 10 :Calendar ") == StepRule("Step 2", 5, 10, False)
    assert parse_step("Art. 9: Expedited:0:365:working") == StepRule("Art. 9: Expedited", 0, 365, True)
    rule = StepRule("Arbitration", 15, 30, False)
    assert parse_step(format_step(rule)) == rule


def test_steps_round_trip_and_drive_new_deadlines(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    first, default_due = _file(db)
    assert default_due == date(2026, 11, 23)  # Step 1 answer: 10 working days after Mon 9 Nov
    steps = ["Informal:15:5:working", "Step 1:15:3:calendar", "Step 2:5:10", "Arbitration:15:30:working"]
    assert _run(db, "steps", *steps) == 0
    out = capsys.readouterr().out
    assert out.startswith("Grievance steps (4):")
    assert ["Step", "1", "15", "3", "calendar", "days"] in [line.split() for line in out.splitlines()]
    assert out.endswith("1 case rechecked; next deadline moved for 1: G-2026-0001.\n")
    assert _settings(db).grievance_steps == (
        StepRule("Informal", 15, 5, True),
        StepRule("Step 1", 15, 3, False),
        StepRule("Step 2", 5, 10, True),
        StepRule("Arbitration", 15, 30, True),
    )
    assert _run(db, "show", "--json") == 0
    shown = json.loads(capsys.readouterr().out)["grievance_steps"]
    assert [format_step(StepRule(**step)) for step in shown] == [
        "Informal:15:5:working",
        "Step 1:15:3:calendar",
        "Step 2:5:10:working",
        "Arbitration:15:30:working",
    ]
    _, new_due = _file(db)
    assert new_due == date(2026, 11, 12)  # 3 calendar days after Mon 9 Nov
    assert _deadline(db, first) == new_due  # the case filed before was recomputed


def test_changing_steps_recomputes_open_cases(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    open_case, due = _file(db)
    closed_case, _ = _file(db)
    with _opened(db) as store, store.write() as session:
        g.close(
            session,
            closed_case,
            status="withdrawn",
            on=TODAY,
            outcome="",
            notes="",
            actor="Sam Steward",
            today=TODAY,
        )
    assert due == date(2026, 11, 23)
    assert _run(db, "steps", "Informal:15:5", "Step 1:15:5", "Step 2:5:10") == 0
    out = capsys.readouterr().out
    assert "2 cases rechecked" not in out  # only open cases are looked at
    assert "1 case rechecked; next deadline moved for 1: G-2026-0001." in out
    assert _deadline(db, open_case) == date(2026, 11, 16)  # 5 working days after Mon 9 Nov
    assert _deadline(db, closed_case) is None
    # the case's step disappears: it keeps its stored deadline, and the command says so
    assert _run(db, "steps", "Informal:15:5", "First step:15:5") == 0
    captured = capsys.readouterr()
    assert "no next deadline moved" in captured.out
    assert "keeps the stored deadline until advanced or closed: G-2026-0001." in captured.err
    assert _deadline(db, open_case) == date(2026, 11, 16)


@pytest.mark.parametrize(
    ("steps", "fix"),
    [
        (["Step 1"], "NAME:UNION_DAYS:EMPLOYER_DAYS"),
        (["Step 1:15"], "NAME:UNION_DAYS:EMPLOYER_DAYS"),
        ([":15:10"], "no step name"),
        (["Step 1:15:ten"], "employer days 'ten'"),
        (["Step 1:-1:10"], "union days '-1'"),
        (["Step 1:15:366"], "from 0 to 365"),
        (["Step 1:1.5:10"], "whole number"),
        (["Step 1:15:10", "step 1:5:5"], "used twice"),
        ([f"{'S' * 41}:15:10"], "40 characters"),
    ],
)
def test_bad_steps_exit_1_and_write_nothing(
    db: str, capsys: pytest.CaptureFixture[str], steps: list[str], fix: str
) -> None:
    before = _settings(db)
    assert _run(db, "steps", *steps) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("strikeboard: grievance_steps: ")
    assert fix in captured.err
    assert _settings(db) == before


def test_usage_errors_exit_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db) == 2
    assert "settings commands" in capsys.readouterr().err
    assert _run(db, "holidays") == 2
    assert "holiday commands" in capsys.readouterr().err
    assert _run(db, "steps") == 2
    assert _run(db, "set", "strike_name") == 2


def test_holidays_add_remove_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    case_id, due = _file(db)
    assert due == date(2026, 11, 23)
    assert _run(db, "holidays", "list") == 0
    assert capsys.readouterr().out == ""
    assert _run(db, "holidays", "add", "2026-12-25", "2026-11-11") == 0
    out = capsys.readouterr().out
    assert out.startswith("Added 2026-11-11, 2026-12-25: 2 holidays listed.\n")
    assert "next deadline moved for 1: G-2026-0001." in out
    assert _deadline(db, case_id) == date(2026, 11, 24)  # Wed 11 Nov is no longer a working day
    assert _settings(db).holidays == (date(2026, 11, 11), date(2026, 12, 25))
    assert _run(db, "holidays", "add", "2026-11-11", "2026-11-26") == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "Added 2026-11-26: 3 holidays listed.",
        "Already listed: 2026-11-11.",
    ]
    assert _run(db, "holidays", "list") == 0
    assert capsys.readouterr().out == ("2026-11-11  Wednesday\n2026-11-26  Thursday\n2026-12-25  Friday\n")
    assert _run(db, "show") == 0
    assert capsys.readouterr().out.endswith(
        "  2026-11-11  Wednesday\n  2026-11-26  Thursday\n  2026-12-25  Friday\n"
    )
    assert _run(db, "holidays", "remove", "2026-11-11") == 0
    assert capsys.readouterr().out.startswith("Removed 2026-11-11: 2 holidays left.\n")
    assert _deadline(db, case_id) == date(2026, 11, 23)
    assert _settings(db).holidays == (date(2026, 11, 26), date(2026, 12, 25))


@pytest.mark.parametrize(
    ("command", "days", "fix"),
    [
        ("add", ["2026-02-30"], "'2026-02-30' is not a date: use YYYY-MM-DD"),
        ("add", ["2026-12-25", "25/12/2026"], "'25/12/2026' is not a date"),
        ("add", ["20261225"], "is not a date"),
        ("remove", ["2026-07-04"], "2026-07-04 is not on the holiday list."),
        ("remove", ["2026-12-25", "2026-07-04", "2026-01-01"], "2026-01-01, 2026-07-04 are not on the"),
    ],
)
def test_bad_holidays_exit_1_and_write_nothing(
    db: str, capsys: pytest.CaptureFixture[str], command: str, days: list[str], fix: str
) -> None:
    assert _run(db, "holidays", "add", "2026-12-25") == 0
    capsys.readouterr()
    before, rows = _settings(db), _rows(db)
    assert _run(db, "holidays", command, *days) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("strikeboard: holidays: ")
    assert fix in captured.err
    assert _settings(db) == before and _rows(db) == rows


def test_recomputing_unchanged_settings_moves_no_demo_deadline(tmp_path: Path) -> None:
    """The refresh replays the same rule the services and the demo store: a no-op when nothing changed."""
    from strikeboard import demo
    from strikeboard.services.settings import refresh_open_deadlines

    path = tmp_path / "demo.db"
    demo.generate(path, members=120, seed=1, today=TODAY)
    with _opened(str(path)) as store, store.write() as session:
        refresh = refresh_open_deadlines(session, load_settings(session))
    assert refresh.checked > 10 and refresh.moved == () and refresh.kept == ()
