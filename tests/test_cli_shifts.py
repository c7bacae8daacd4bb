"""``strikeboard locations ...`` and ``strikeboard shifts create|list|cancel|assign|unassign``."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.cli import main
from strikeboard.store.db import open_store
from strikeboard.store.models import Assignment, Location, Member, Shift

#: Far enough ahead that the shifts are never in the past when the tests run.
MONDAY = date.today() + timedelta(days=35 - date.today().weekday())


def _run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def _count(db: Path, table: type, *where: object) -> int:
    store = open_store(str(db))
    try:
        with store.read() as session:
            return int(session.scalar(select(func.count()).select_from(table).where(*where)) or 0)  # type: ignore[arg-type]
    finally:
        store.close()


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "s.db"
    assert _run(path, "locations", "add", "Gate 1 (Main)", "--address", "1 Studio Way", "--shade") == 0
    assert _run(path, "locations", "add", "Gate 2", "--step-free", "--restrooms") == 0
    store = open_store(str(path))
    with store.write() as session:
        session.add_all(
            [
                Member(member_number="100", first_name="Ann", last_name="Lee", email="ann@example.org"),
                Member(member_number="200", first_name="Bo", last_name="Kim", needs_seating=True),
            ]
        )
    store.close()
    capsys.readouterr()
    return path


def test_locations_list_edit_deactivate(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "locations", "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["NAME", "ADDRESS", "FEATURES", "ACTIVE"]
    assert "Gate 2" in out[2] and "restrooms · step-free" in out[2] and out[-1] == "2 locations"
    assert (
        _run(db, "locations", "edit", "gate 2", "--no-step-free", "--seating", "--notes", "ramp broken") == 0
    )
    assert _run(db, "locations", "edit", "gate 1", "--name", "Gate 2") == 1
    assert "--name: There is already a location called 'Gate 2'." in capsys.readouterr().err
    assert _run(db, "locations", "edit", "gate 1") == 1
    assert "Nothing to change" in capsys.readouterr().err
    assert _run(db, "locations", "deactivate", "Gate 1") == 0
    capsys.readouterr()
    assert _run(db, "locations", "list", "--json", "--all") == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert (rows["Gate 2"]["step_free"], rows["Gate 2"]["has_seating"], rows["Gate 2"]["notes"]) == (
        False,
        True,
        "ramp broken",
    )
    assert (rows["Gate 1 (Main)"]["active"], rows["Gate 1 (Main)"]["has_shade"]) == (False, True)
    assert _run(db, "locations", "add", "GATE 2") == 1
    assert capsys.readouterr().err.startswith("strikeboard: NAME: There is already")


def test_create_series_list_and_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["shifts", "create", "--all-gates", "--from", MONDAY.isoformat(), "--to"]
    args += [(MONDAY + timedelta(days=20)).isoformat(), "--weekdays", "mon-fri"]
    args += ["--time", "06:00-10:00", "--time", "10:00-14:00", "--time", "14:00-18:00", "--role", "first aid"]
    assert _run(db, *args) == 0
    assert capsys.readouterr().out.startswith("created 90 shifts at Gate 1 (Main), Gate 2 from ")
    assert _count(db, Shift) == 90
    assert _run(db, "shifts", "list", "--from", MONDAY.isoformat(), "--to", MONDAY.isoformat()) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "WHEN", "LOCATION", "ASSIGNED", "NEEDED", "CAPTAIN", "ROLES", "STATUS"]
    assert len(out) == 8 and out[-1] == f"6 shifts from {MONDAY} to {MONDAY}"
    assert "06:00–10:00" in out[1] and "first_aid" in out[1] and out[1].rstrip().endswith("short")
    assert _run(db, "shifts", "list", "--from", MONDAY.isoformat(), "--location", "gate 2", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 15 and {r["location"] for r in rows} == {"Gate 2"}
    assert rows[0]["starts_at"].startswith(f"{MONDAY}T06:00:00") and rows[0]["roles_needed"] == ["first_aid"]


def test_one_off_overnight_and_rrule(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    day = MONDAY.isoformat()
    assert _run(db, "shifts", "create", "--location", "Gate 2", "--from", day, "--time", "22:00-02:00") == 2
    assert "--time '22:00-02:00': the end is before the start; add --overnight" in capsys.readouterr().err
    args = ["shifts", "create", "--location", "Gate 2", "--from", day, "--time", "22:00-02:00", "--overnight"]
    assert _run(db, *args, "--no-captain", "--min", "1", "--max", "3") == 0
    assert capsys.readouterr().out == f"created 1 shift at Gate 2 on {day} 22:00-02:00\n"
    args = ["shifts", "create", "--location", "Gate 1", "--from", day, "--to"]
    args += [
        (MONDAY + timedelta(days=13)).isoformat(),
        "--rrule",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "--time",
        "8-12",
    ]
    assert _run(db, *args) == 0
    assert capsys.readouterr().out.startswith("created 4 shifts at Gate 1 (Main)")
    assert _run(db, "shifts", "list", "--from", day, "--to", day, "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    night = next(r for r in rows if r["location"] == "Gate 2")
    assert (
        night["ends_at"].startswith(f"{MONDAY + timedelta(days=1)}T02:00:00") and not night["captain_needed"]
    )
    assert (night["min_headcount"], night["max_headcount"], night["series_id"]) == (1, 3, None)


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (["--location", "Gate 9"], 1, "No location is called 'Gate 9'; the active locations are:"),
        (["--location", "Gate"], 1, "'Gate' matches several locations"),
        ([], 2, "--location: name at least one location"),
        (["--all-gates", "--min", "5", "--max", "4"], 1, "--min: The minimum headcount (5) is more than"),
        (["--all-gates", "--min", "-1"], 1, "--min: The minimum headcount cannot be negative"),
        (["--all-gates", "--to", "2020-01-01"], 1, "--to: The last day (2020-01-01) is before the first day"),
        (["--all-gates", "--weekdays", "funday"], 2, "--weekdays 'funday': use day names like mon-fri"),
        (["--all-gates", "--weekdays", "mon", "--rrule", "FREQ=DAILY"], 2, "--rrule: give either"),
        (["--all-gates", "--rrule", "FREQ=HOURLY"], 1, "--rrule: The RRULE must repeat daily"),
        (["--all-gates", "--to", "2099-01-01"], 1, "--to: A series can run for at most one year"),
    ],
)
def test_bad_create_input_writes_nothing(
    db: Path, capsys: pytest.CaptureFixture[str], extra: list[str], code: int, message: str
) -> None:
    assert _run(db, "shifts", "create", "--from", MONDAY.isoformat(), "--time", "06:00-10:00", *extra) == code
    err = capsys.readouterr().err
    assert err.startswith("strikeboard: ") and message in err and err.count("\n") == 1
    assert _count(db, Shift) == 0


def test_inactive_gate_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "locations", "deactivate", "Gate 2") == 0
    capsys.readouterr()
    args = ["shifts", "create", "--location", "Gate 2", "--from", MONDAY.isoformat(), "--time", "06:00-10:00"]
    assert _run(db, *args) == 1
    assert "--location: Gate 2 is inactive: reactivate it" in capsys.readouterr().err
    assert _count(db, Shift) == 0


def _shift_ids(db: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert _run(db, "shifts", "list", "--from", MONDAY.isoformat(), "--to", MONDAY.isoformat()) == 0
    return [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:-1]]


def test_assign_warns_and_cancel_asks_first(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["shifts", "create", "--location", "Gate 1", "--from", MONDAY.isoformat()]
    args += [
        "--to",
        (MONDAY + timedelta(days=2)).isoformat(),
        "--time",
        "06:00-10:00",
        "--min",
        "1",
        "--max",
        "1",
    ]
    assert _run(db, *args) == 0
    capsys.readouterr()
    [first] = _shift_ids(db, capsys)
    assert _run(db, "shifts", "assign", first, "100") == 0
    assert capsys.readouterr().out == "assigned Ann Lee (100) as picketer\n"
    assert _run(db, "shifts", "assign", first, "100") == 1
    assert "Ann Lee is already assigned to this shift." in capsys.readouterr().err
    assert _run(db, "shifts", "assign", first, "nobody@example.org") == 1
    assert "No member has the member number or email 'nobody@example.org'." in capsys.readouterr().err
    assert _run(db, "shifts", "assign", first.upper(), "200", "--role", "captain") == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "assigned Bo Kim (200) as captain",
        "warning: The shift is full (1 of 1 assigned).",
        "warning: Bo Kim needs seating; Gate 1 (Main) does not have it.",
    ]
    assert _run(db, "shifts", "cancel", first, "--following") == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[:2] == [
        "This would cancel 3 shifts.",
        "2 assigned people would be taken off:",
    ]
    assert "Ann Lee: Gate 1 (Main)" in captured.out and "run again with --yes" in captured.err
    assert _count(db, Shift, col(Shift.cancelled).is_(True)) == 0
    assert _run(db, "shifts", "unassign", first, "ann@example.org") == 0
    assert _run(db, "shifts", "cancel", first, "--yes") == 0
    done = capsys.readouterr().out
    assert "cancelled 1 shift; 1 assignment cancelled" in done and "tell Bo Kim: Gate 1 (Main)" in done
    assert _count(db, Shift, col(Shift.cancelled).is_(True)) == 1
    assert _count(db, Assignment, col(Assignment.status) == "assigned") == 0
    assert _run(db, "shifts", "cancel", first, "--yes") == 1
    assert "This shift is already cancelled." in capsys.readouterr().err
    assert _run(db, "shifts", "assign", first, "100") == 1
    assert "This shift is cancelled" in capsys.readouterr().err
    assert _run(db, "shifts", "cancel", "zz") == 1
    assert "'zz' is not a shift id" in capsys.readouterr().err


def test_deactivate_warns_about_future_shifts(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["shifts", "create", "--location", "Gate 2", "--from", MONDAY.isoformat(), "--time", "06:00-10:00"]
    assert _run(db, *args) == 0
    capsys.readouterr()
    assert _run(db, "locations", "deactivate", "gate 2") == 0
    captured = capsys.readouterr()
    assert captured.out == "deactivated location Gate 2: no new shifts can be planned there\n"
    assert "warning: 1 future shift is still planned at Gate 2" in captured.err
    assert _count(db, Location, col(Location.active).is_(False)) == 1
