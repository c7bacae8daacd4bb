"""Backups of a live database and restores: consistent, verified, private, never half-made."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from strikeboard.cli import main
from strikeboard.store.backup import backup, integrity_problem, list_backups, restore
from strikeboard.store.db import open_store
from strikeboard.store.models import Location
from strikeboard.store.probe import StoreError


def _locations(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(row[0] for row in conn.execute("SELECT name FROM location"))
    finally:
        conn.close()


def _make_db(path: Path, *names: str) -> None:
    store = open_store(str(path))
    with store.write() as session:
        for name in names:
            session.add(Location(name=name))
    store.close()


def test_a_backup_of_a_live_database_holds_what_was_committed(tmp_path: Path) -> None:
    db = tmp_path / "strike.db"
    _make_db(db, "Gate A", "Gate B")
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO location (id, name, address, notes, has_shade, has_seating, has_restrooms,"
        " step_free, near_transit, active, created_at, updated_at)"
        " VALUES ('0123456789abcdef0123456789abcdef', 'Uncommitted', '', '', 0, 0, 0, 0, 0, 1,"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    try:
        result = backup(db, out=tmp_path / "copy.db")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _locations(result.path) == ["Gate A", "Gate B"]
    assert integrity_problem(result.path) is None
    assert result.path.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*partial"))


def test_the_folder_keeps_only_the_newest_backups(tmp_path: Path) -> None:
    db = tmp_path / "strike.db"
    _make_db(db, "Gate A")
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    made = [backup(db, folder=folder, keep=3, now=start + timedelta(minutes=i)).path for i in range(5)]
    assert list_backups(folder, "strike") == made[:1:-1]  # the three newest, newest first
    assert not made[0].exists() and not made[1].exists()


def test_a_file_that_is_not_a_strikeboard_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("not a database")
    with pytest.raises(StoreError, match="not a strikeboard database"):
        backup(junk, out=tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_restore_swaps_the_backup_in_and_keeps_the_old_file(tmp_path: Path) -> None:
    db = tmp_path / "strike.db"
    _make_db(db, "Gate A")
    saved = backup(db, out=tmp_path / "saved.db").path
    store = open_store(str(db))
    with store.write() as session:
        session.add(Location(name="Added after the backup"))
    store.close()

    aside = restore(saved, db)

    assert _locations(db) == ["Gate A"]
    assert aside is not None and _locations(aside) == ["Added after the backup", "Gate A"]
    assert db.stat().st_mode & 0o777 == 0o600
    reopened = open_store(str(db))  # the app opens the restored file
    reopened.close()


def test_a_damaged_backup_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    db = tmp_path / "strike.db"
    _make_db(db, "Gate A")
    damaged = backup(db, out=tmp_path / "damaged.db").path
    data = bytearray(damaged.read_bytes())
    page = 4096
    data[2 * page : 3 * page] = b"\xff" * page  # scribble over a page of the copy
    damaged.write_bytes(bytes(data))
    before = db.read_bytes()
    with pytest.raises(StoreError):
        restore(damaged, db)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("*before-restore*"))


_CHILD = """
import sys
from pathlib import Path
from strikeboard.store.backup import backup
print("ready", flush=True)
backup(Path(sys.argv[1]), out=Path(sys.argv[2]))
"""


def test_a_backup_killed_part_way_leaves_no_file_that_looks_complete(tmp_path: Path) -> None:
    db = tmp_path / "strike.db"
    _make_db(db)
    conn = sqlite3.connect(db)
    with conn:  # about 10 MB, so that a kill can land while the copy is being written
        conn.executemany(
            "INSERT INTO location (id, name, address, notes, has_shade, has_seating, has_restrooms,"
            " step_free, near_transit, active, created_at, updated_at)"
            " VALUES (?, ?, ?, '', 0, 0, 0, 0, 0, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            ((f"{i:032x}", f"Gate {i}", "x" * 500) for i in range(20_000)),
        )
    conn.close()
    outcomes = set()
    for attempt, delay in enumerate((0.0, 0.01, 0.02, 0.04, 0.08, 0.3)):
        out = tmp_path / f"killed-{attempt}.db"
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(db), str(out)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        outcomes.add(out.exists())
        if out.exists():  # the rename is the last step: a file under the name is a verified one
            assert integrity_problem(out) is None
            assert len(_locations(out)) == 20_000
    assert False in outcomes  # at least one kill landed mid-backup
    assert integrity_problem(db) is None
    assert backup(db, out=tmp_path / "after.db").path.exists()  # stale partial files do not get in the way


def test_cli_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "strike.db"
    _make_db(db, "Gate A")
    copy = tmp_path / "copy.db"
    assert main(["--db", str(db), "backup", "-o", str(copy)]) == 0
    assert "verified" in capsys.readouterr().out
    assert main(["--db", str(db), "backup", "-o", str(copy)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["--db", str(db), "restore", str(copy)]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["--db", str(db), "restore", str(copy), "--yes"]) == 0
    assert "kept as" in capsys.readouterr().out
    assert main(["--db", "postgresql://nobody@127.0.0.1/none", "backup"]) == 2
    assert "pg_dump" in capsys.readouterr().err


def test_cli_backup_goes_to_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    db = tmp_path / "strike.db"
    _make_db(db, "Gate A")
    assert main(["--db", str(db), "backup"]) == 0
    folder = tmp_path / "xdg" / "strikeboard" / "backups"
    (made,) = list_backups(folder, "strike")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert main(["--db", str(db), "backups"]) == 0
    assert str(made) in capsys.readouterr().out
