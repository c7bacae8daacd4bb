"""``strikeboard grievances list|show|export`` on a small demo database."""

from __future__ import annotations

import csv
import json
import stat
from datetime import date
from pathlib import Path

import pytest

from strikeboard import demo
from strikeboard.cli import main

TODAY = date(2026, 11, 10)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli-grievances") / "demo.db"
    demo.generate(path, members=300, seed=1, today=TODAY)
    return str(path)


def _run(db: str, *args: str) -> int:
    return main(["--db", db, "grievances", *args, "--today", TODAY.isoformat()])


def test_list_table_and_json(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(demo_db, "list") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["NUMBER", "STEP", "STATUS"]
    assert out[-1].endswith("(today 2026-11-10)")
    assert _run(demo_db, "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    deadlines = [r["next_deadline"] for r in rows if r["next_deadline"]]
    assert rows and deadlines == sorted(deadlines)
    assert _run(demo_db, "list", "--json", "--overdue") == 0
    overdue = json.loads(capsys.readouterr().out)
    assert overdue and all(r["days_left"] < 0 for r in overdue)
    assert _run(demo_db, "list", "--json", "--due-within", "3") == 0
    soon = json.loads(capsys.readouterr().out)
    assert len(overdue) <= len(soon) <= len(rows)
    steward = rows[0]["steward"]
    assert _run(demo_db, "list", "--json", "--steward", steward) == 0
    assert {r["steward"] for r in json.loads(capsys.readouterr().out)} == {steward}
    assert _run(demo_db, "list", "--json", "--status", "won") == 0
    assert {r["status"] for r in json.loads(capsys.readouterr().out)} == {"won"}


def test_show_and_not_found(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(demo_db, "show", "g-2026-0003") == 0
    out = capsys.readouterr().out
    assert out.startswith("G-2026-0003") and "Timeline:" in out
    assert _run(demo_db, "show", "G-1999-0001") == 1
    err = capsys.readouterr().err
    assert err.strip() == "strikeboard: No grievance is numbered 'G-1999-0001'."


def test_export_cases_and_events(demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.csv"
    assert _run(demo_db, "export", "-o", str(out)) == 0
    captured = capsys.readouterr()
    assert "personal data" in captured.err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["number", "status", "step"] and len(rows) > 10
    assert _run(demo_db, "export", "-o", str(out)) == 1
    assert "--force" in capsys.readouterr().err
    assert _run(demo_db, "export", "-o", str(out), "--events", "--excel", "--force") == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b'"number","occurred_on","kind"' in raw
    assert _run(demo_db, "export", "-o", str(tmp_path / "missing" / "x.csv")) == 2
