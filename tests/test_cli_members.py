"""``strikeboard members import|export``: previews, exit codes, all or nothing, the personal-data notice."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from strikeboard.cli import main

GOOD = (
    "Employee ID,First Name,Last Name,E-mail,can2_phone,Shoe size\n"
    "M1,Zoë,Adams,zoe@example.org,(323) 555-0142,9\n"
)


def _run(db: Path, *args: str) -> int:
    return main(["--db", str(db), "members", *args])


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_then_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, path = tmp_path / "s.db", _write(tmp_path, GOOD)
    assert _run(db, "import", str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "new: 1  updated: 0  unchanged: 0  rejected: 0" in out and "dry run: nothing was imported" in out
    assert "not imported: 'Shoe size'" in out and "'Employee ID'" in out and "→ member_number" in out
    assert _run(db, "export", "-o", str(tmp_path / "e.csv")) == 0
    assert capsys.readouterr().out.startswith("wrote 0 members")
    assert _run(db, "import", str(path)) == 0
    assert "imported: 1 new, 0 updated." in capsys.readouterr().out
    assert _run(db, "import", str(path)) == 0
    assert "unchanged: 1" in capsys.readouterr().out


def test_rejected_rows_block_the_import_unless_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    path = _write(tmp_path, GOOD + "M2,,,,,\nM3,Bob,,bob@,,\nM4,Cy,,,,\n")
    assert _run(db, "import", str(path)) == 1
    captured = capsys.readouterr()
    assert "line 3: A new member needs a first name." in captured.out
    assert "line 4: 'bob@' is not an email address" in captured.out
    assert "nothing was imported: 2 row(s) rejected" in captured.err and "--skip-rejected" in captured.err
    assert (tmp_path / "in.rejected.csv").exists()
    out = tmp_path / "all.csv"
    assert _run(db, "export", "-o", str(out)) == 0
    assert out.read_text().count("\n") == 1  # header only: nothing was imported
    capsys.readouterr()
    assert _run(db, "import", str(path), "--dry-run") == 1
    assert _run(db, "import", str(path), "--skip-rejected") == 0
    assert "imported: 2 new, 0 updated, skipped 2 rejected row(s)." in capsys.readouterr().out


def test_file_problems_exit_1_and_usage_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    bad = tmp_path / "cp.csv"
    bad.write_bytes("member_number,first_name\nM1,José\n".encode("cp1252"))
    assert _run(db, "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert "Line 2:" in err and "--encoding cp1252" in err and "Nothing was imported." in err
    assert _run(db, "import", str(bad), "--encoding", "cp1252") == 0
    capsys.readouterr()
    assert _run(db, "import", str(tmp_path / "missing.csv")) == 2
    assert _run(db, "import", str(bad), "--map", "nonsense") == 2
    unmapped = _write(tmp_path, "ID,Name\nM9,Ann\n", "u.csv")
    assert _run(db, "import", str(unmapped)) == 1
    assert "no column gives a first name" in capsys.readouterr().err
    assert _run(db, "import", str(unmapped), "--map", "ID=member_number", "--map", "Name=first_name") == 0
    assert _run(db, "export", "-o", str(tmp_path / "x.csv"), "--columns", "member_number,password") == 2
    assert _run(db, "export", "-o", str(tmp_path / "x.csv"), "--filter", "shoe=9") == 2
    assert _run(db, "export", "-o", str(tmp_path)) == 2
    assert main(["--db", str(db), "members"]) == 2  # the bare group prints its help


def test_export_filters_columns_force_and_notice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    path = _write(
        tmp_path,
        "member_number,first_name,role,status\nM1,Ann,captain,active\nM2,Bob,member,active\n"
        "M3,Cy,captain,inactive\n",
    )
    assert _run(db, "import", str(path)) == 0
    out = tmp_path / "caps.csv"
    args = (
        "export",
        "-o",
        str(out),
        "--filter",
        "role=captain",
        "--filter",
        "status=active",
        "--columns",
        "member_number,first_name",
    )
    capsys.readouterr()
    assert _run(db, *args) == 0
    captured = capsys.readouterr()
    assert "wrote 1 members" in captured.out and "personal data" in captured.err
    assert out.read_text() == '"member_number","first_name"\n"M1","Ann"\n'
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert _run(db, *args) == 1  # exists
    assert "--force" in capsys.readouterr().err
    assert _run(db, *args, "--force", "--excel") == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert _run(db, "export", "-o", str(tmp_path / "s.csv"), "--search", "cy", "--force") == 0
    assert "wrote 1 members" in capsys.readouterr().out


def test_export_by_eligibility(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--filter eligibility=short`` (+ eligible / not_eligible) for the week of ``--week``."""
    from datetime import UTC, datetime, timedelta

    from strikeboard.services.roster import MemberForm, create_member
    from strikeboard.store.db import open_store
    from strikeboard.store.models import CheckIn, Location, Shift

    db = tmp_path / "s.db"
    store = open_store(str(db))
    try:
        with store.write() as s:
            gate = Location(name="Gate")
            s.add(gate)
            s.flush()
            for number, name, hours in (("M1", "Ann", 20.0), ("M2", "Bob", 17.5), ("M3", "Cy", 0.0)):
                member = create_member(s, MemberForm(member_number=number, first_name=name), actor="t")
                for day in range(4) if hours else ():
                    start = datetime(2026, 3, 2 + day, 16, tzinfo=UTC)  # Mon 2 – Thu 5 March
                    shift = Shift(
                        location_id=gate.id, starts_at=start, ends_at=start + timedelta(hours=hours / 4)
                    )
                    s.add(shift)
                    s.flush()
                    s.add(CheckIn(shift_id=shift.id, member_id=member, in_at=start, out_at=shift.ends_at))
    finally:
        store.close()
    out = tmp_path / "pay.csv"

    def export(*filters: str) -> str:
        flags = [arg for value in filters for arg in ("--filter", f"eligibility={value}")]
        week = ["--week", "2026-03-04"]
        assert _run(db, "export", "-o", str(out), "--force", "--columns", "first_name", *week, *flags) == 0
        return out.read_text()

    assert export("short") == '"first_name"\n"Bob"\n'
    assert export("eligible") == '"first_name"\n"Ann"\n'
    assert export("not-eligible") == '"first_name"\n"Cy"\n'
    assert export("eligible", "short") == '"first_name"\n"Ann"\n"Bob"\n'
    capsys.readouterr()
    assert _run(db, "export", "-o", str(out), "--force", "--filter", "eligibility=paid") == 2
    assert "eligible, short or not_eligible" in capsys.readouterr().err
    args = ("export", "-o", str(out), "--force", "--filter", "eligibility=short", "--week", "25/11")
    assert _run(db, *args) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert _run(db, "export", "-o", str(out), "--force", "--filter", "eligibility=short") == 0  # today's week
    assert "wrote 0 members" in capsys.readouterr().out
