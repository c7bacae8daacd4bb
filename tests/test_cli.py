"""The ``strikeboard`` command line: help, version, ``info``, where the database is, and
one clear sentence (exit code 2, no traceback) for every database that cannot be used.

Most tests call :func:`strikeboard.cli.main` in-process (fast); a few run the real
console script / ``python -m strikeboard`` in a subprocess.
"""

import importlib.metadata
import os
import sqlite3
import stat
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from strikeboard import __version__
from strikeboard.cli import main
from strikeboard.store.db import open_store
from strikeboard.store.models import (
    Assignment,
    CheckIn,
    CheckInKind,
    Grievance,
    Location,
    Member,
    Shift,
)
from strikeboard.store.probe import SCHEMA_HEAD

PYTHON = sys.executable
CONSOLE_SCRIPT = Path(sys.executable).with_name("strikeboard")
NOBODY = 65534


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads $STRIKEBOARD_DB or writes to the real user data folder; umask restored."""
    monkeypatch.delenv("STRIKEBOARD_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    umask = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(umask)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    try:
        code = main(args)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_one_clear_sentence(err: str) -> None:
    """Exactly one line on stderr, prefixed with the program's name, and no traceback."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("strikeboard: ")
    assert lines[0].endswith((".", ")"))  # a sentence, not a cut-off repr


# --- help and version -----------------------------------------------------------------


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--help"], capsys)
    assert code == 0 and err == ""
    assert out.startswith("usage: strikeboard")
    for word in ("info", "demo", "--db", "--version"):
        assert word in out


def test_version_matches_the_installed_package(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out == f"strikeboard {importlib.metadata.version('strikeboard')}\n"
    assert __version__ == importlib.metadata.version("strikeboard")


def test_the_console_script_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(CONSOLE_SCRIPT), "--version"], capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"strikeboard {__version__}\n", "")


def test_python_dash_m_reports_a_bad_database_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [PYTHON, "-m", "strikeboard", "--db", str(tmp_path), "info"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert_one_clear_sentence(done.stderr)
    assert "directory" in done.stderr


# --- info -----------------------------------------------------------------------------


def _fill(path: Path) -> None:
    """3 members, 2 locations, 4 shifts, 5 assignments, 3 live sign-ins (+ a void and a
    correction, which are not sign-ins), 2 grievances."""
    store = open_store(str(path))
    try:
        start = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
        with store.write() as session:
            members = [Member(member_number=f"W{n}", first_name=f"M{n}") for n in range(3)]
            gates = [Location(name="Gate 1"), Location(name="Gate 2")]
            shifts = [
                Shift(
                    location_id=gates[n % 2].id,
                    starts_at=start + timedelta(hours=4 * n),
                    ends_at=start + timedelta(hours=4 * n + 4),
                )
                for n in range(4)
            ]
            session.add_all([*members, *gates])
            session.flush()  # no relationship() on the models: the ORM does not order by foreign key
            session.add_all(shifts)
            session.flush()
            pairs = [(0, 0), (0, 1), (1, 0), (2, 2), (3, 1)]
            session.add_all(Assignment(shift_id=shifts[s].id, member_id=members[m].id) for s, m in pairs)
            ins = [
                CheckIn(shift_id=shifts[0].id, member_id=members[m].id, in_at=start + timedelta(minutes=m))
                for m in range(3)
            ]
            session.add_all(ins)
            session.flush()
            session.add(
                CheckIn(
                    kind=CheckInKind.VOID,
                    shift_id=shifts[0].id,
                    member_id=members[2].id,
                    in_at=start,
                    void_of=ins[2].id,
                )
            )
            session.add(
                CheckIn(
                    kind=CheckInKind.CORRECTION,
                    shift_id=shifts[0].id,
                    member_id=members[1].id,
                    in_at=start,
                    out_at=start + timedelta(hours=4),
                    void_of=ins[1].id,
                )
            )
            session.add_all(
                Grievance(number=f"G-2026-000{n}", incident_date=date(2026, 11, n + 1)) for n in range(2)
            )
    finally:
        store.close()


def test_info_prints_the_real_counts(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(db_path)
    code, out, err = run(["--db", str(db_path), "info"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "members: 3",
        "locations: 2",
        "shifts: 4",
        "assignments: 5",
        "check-ins: 3",
        "grievances: 2",
        f"schema: {SCHEMA_HEAD}",
    ]
    assert SCHEMA_HEAD == "0004_hours_credit_void_index"  # update with the next migration


def test_info_creates_a_new_private_database(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--db", str(db_path), "info"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "members: 0"
    assert out.splitlines()[-1] == f"schema: {SCHEMA_HEAD}"
    assert _mode(db_path) == 0o600


def test_info_leaves_no_wal_behind(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(db_path)
    assert run(["--db", str(db_path), "info"], capsys)[0] == 0
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_database_in_a_folder_named_with_a_hash_opens_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`Strike #2/strike.db`: created by the first run, and still ours on the second."""
    path = tmp_path / "Strike #2" / "strike.db"
    path.parent.mkdir()
    assert run(["--db", str(path), "info"], capsys)[0] == 0
    code, out, err = run(["--db", str(path), "info"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"schema: {SCHEMA_HEAD}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Strike #2"]


# --- databases that cannot be used ----------------------------------------------------


def _directory(tmp: Path) -> Path:
    folder = tmp / "a-folder.db"
    folder.mkdir()
    return folder


def _missing_parent(tmp: Path) -> Path:
    return tmp / "no-such-folder" / "strike.db"


def _text_file(tmp: Path) -> Path:
    path = tmp / "members.csv"
    path.write_text("member_number,first_name\nW1,Ann\n")
    return path


def _random_bytes(tmp: Path) -> Path:
    path = tmp / "noise.db"
    path.write_bytes(os.urandom(8192))
    return path


def _foreign_sqlite(tmp: Path) -> Path:
    path = tmp / "other-app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO recipes (name) VALUES ('soup')")
    conn.commit()
    conn.close()
    return path


def _damaged(tmp: Path) -> Path:
    path = tmp / "damaged.db"
    open_store(str(path)).close()
    data = bytearray(path.read_bytes())
    data[100:] = os.urandom(len(data) - 100)  # keep the header, scramble every page
    path.write_bytes(bytes(data))
    return path


def _newer(tmp: Path) -> Path:
    path = tmp / "future.db"
    open_store(str(path)).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()
    return path


def _device(tmp: Path) -> Path:
    return Path("/dev/null")


def _files(folder: Path) -> list[Path]:
    """The files in ``folder``, leaving out SQLite's -wal/-shm (opening a WAL database read-only,
    even just to look at its schema revision, creates them)."""
    return sorted(p for p in folder.rglob("*") if not p.name.endswith(("-wal", "-shm")))


BAD = {
    "directory": (_directory, "directory"),
    "missing parent": (_missing_parent, "does not exist"),
    "text file": (_text_file, "not a strikeboard database"),
    "random bytes": (_random_bytes, "not a strikeboard database"),
    "foreign sqlite": (_foreign_sqlite, "not a strikeboard database"),
    "damaged": (_damaged, "damaged"),
    "newer schema": (_newer, "newer"),
    "device": (_device, "not a regular file"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_database_gives_one_clear_sentence(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, phrase = BAD[case]
    path = make(tmp_path)
    before = _files(tmp_path)
    content = path.read_bytes() if path.is_file() else None
    code, out, err = run(["--db", str(path), "info"], capsys)
    assert (code, out) == (2, "")
    assert_one_clear_sentence(err)
    assert str(path) in err or str(path.parent) in err
    assert phrase in err
    # Refused without touching anything: no bytes changed, no new file beside it.
    assert _files(tmp_path) == before
    if content is not None:
        assert path.read_bytes() == content


def test_a_folder_that_cannot_be_written_gives_one_clear_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    """sysfs refuses new files even to root, so this holds whoever runs the tests."""
    if not Path("/sys/kernel").is_dir():
        pytest.skip("needs Linux /sys (a folder nobody can create files in)")
    code, out, err = run(["--db", "/sys/strikeboard-test.db", "info"], capsys)
    assert (code, out) == (2, "")
    assert_one_clear_sentence(err)
    assert "/sys/strikeboard-test.db" in err


def test_a_fifo_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    """Reading a FIFO blocks forever: run in a subprocess so a hang fails instead of freezing pytest."""
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    try:
        done = subprocess.run(
            [PYTHON, "-m", "strikeboard", "--db", str(fifo), "info"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("strikeboard hung reading a FIFO given as --db")
    assert done.returncode == 2
    assert_one_clear_sentence(done.stderr)


@contextmanager
def _as_nobody() -> Iterator[None]:
    """Run the block with the effective uid/gid of ``nobody`` (we are root: restorable)."""
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@contextmanager
def _permission_playground() -> Iterator[Path]:
    """A folder everyone may search (pytest's tmp_path is under a 0700 folder), removed after."""
    folder = Path(tempfile.mkdtemp(prefix="strikeboard-perm-"))
    folder.chmod(0o711)
    try:
        yield folder
    finally:
        for path in sorted(folder.rglob("*"), reverse=True):
            path.chmod(0o700)
            path.rmdir() if path.is_dir() else path.unlink()
        folder.rmdir()


def _check_unreadable(make: Callable[[Path], Path], capsys: pytest.CaptureFixture[str], phrase: str) -> None:
    """Permission bits do not stop root, so as root the check runs as ``nobody``."""
    with _permission_playground() as folder:
        path = make(folder)
        if os.geteuid() == 0:
            with _as_nobody():
                code, out, err = run(["--db", str(path), "info"], capsys)
        else:
            code, out, err = run(["--db", str(path), "info"], capsys)
    assert (code, out) == (2, "")
    assert_one_clear_sentence(err)
    assert phrase in err


def test_an_unreadable_database_gives_one_clear_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    def make(folder: Path) -> Path:
        path = folder / "strike.db"
        open_store(str(path)).close()
        path.chmod(0o000)
        return path

    _check_unreadable(make, capsys, "strike.db")


def test_a_database_in_a_folder_we_cannot_enter_gives_one_clear_sentence(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def make(folder: Path) -> Path:
        private = folder / "someone-else"
        private.mkdir(mode=0o700)
        path = private / "strike.db"
        open_store(str(path)).close()
        return path

    _check_unreadable(make, capsys, "someone-else")


def test_as_root_permission_bits_do_not_lock_the_owner_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What chmod 000 means for whoever runs this: root still opens it, others get the sentence."""
    path = tmp_path / "strike.db"
    open_store(str(path)).close()
    path.chmod(0o000)
    code, _, err = run(["--db", str(path), "info"], capsys)
    if os.geteuid() == 0:
        assert (code, err) == (0, "")
    else:
        assert code == 2
        assert_one_clear_sentence(err)


# --- where the database is ------------------------------------------------------------


def test_strikeboard_db_is_used_when_there_is_no_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from_env = tmp_path / "from-env.db"
    _fill(from_env)
    monkeypatch.setenv("STRIKEBOARD_DB", str(from_env))
    code, out, _ = run(["info"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "members: 3"
    assert not (tmp_path / "xdg-data").exists()  # the default location was not touched


def test_the_flag_wins_over_strikeboard_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STRIKEBOARD_DB", str(_directory(tmp_path)))  # would fail if it were used
    flagged = tmp_path / "flag.db"
    _fill(flagged)
    code, out, err = run(["--db", str(flagged), "info"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "members: 3"


def test_the_default_database_lives_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STRIKEBOARD_DB", "   ")  # blank counts as unset
    code, out, _ = run(["info"], capsys)
    assert code == 0
    folder = tmp_path / "xdg-data" / "strikeboard"
    database = folder / "strikeboard.db"
    assert database.is_file()
    assert _mode(folder) == 0o700
    assert _mode(database) == 0o600
    assert out.splitlines()[-1] == f"schema: {SCHEMA_HEAD}"
    # The second run finds the same file.
    store = open_store(str(database))
    try:
        with store.write() as session:
            session.add(Location(id=uuid.uuid4(), name="Gate 9"))
    finally:
        store.close()
    assert run(["info"], capsys)[1].splitlines()[1] == "locations: 1"


# --- usage errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["bogus"], "invalid choice"),
        (["--nope"], "unrecognized arguments"),
        (["info", "extra"], "unrecognized arguments"),
        (["--db"], "expected one argument"),
        (["demo"], "--out"),
        (["demo", "--out", "x.db", "--members", "0"], "at least 1"),
        (["demo", "--out", "x.db", "--seed", "many"], "whole number"),
        (["demo", "--out", "x.db", "--today", "25/11/2026"], "YYYY-MM-DD"),
    ],
)
def test_usage_errors_exit_2_with_the_usage(
    args: list[str], phrase: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("usage: strikeboard")
    assert phrase in err
    assert "Traceback" not in err
