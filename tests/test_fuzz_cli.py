"""Bad input everywhere, on the command line: every subcommand and option gets hostile values.

The commands are enumerated from :func:`strikeboard.cli.build_parser`, so a new command or
option is fuzzed without editing this file. For each one, Hypothesis builds an argv mixing
real values from a small demo strike (member names, shift ids, grievance numbers...) with
hostile ones (very long strings, control characters, markup, right-to-left marks, dates out
of range, negative numbers, SQL-looking text, hostile file names and file contents) and runs
``strikeboard.cli.main`` in-process on a fresh copy of the demo database. Every run must:

- exit 0, 1 or 2 (argparse usage errors exit 2 through SystemExit), never raise;
- print no traceback; on failure say one line (or argparse's usage plus one error line);
- on failure change nothing in the database and leave no new output file behind;
- for commands that only read, change nothing in the database even on success (the audit
  events a successful export adds are the one allowed change).

``STRIKEBOARD_FUZZ_EXAMPLES`` raises the number of examples per command for a deeper run.
"""

import argparse
import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strikeboard.cli import build_parser, main
from strikeboard.cli.common import iso_date

EXAMPLES = int(os.environ.get("STRIKEBOARD_FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Every command this test knows, and whether it may change the database when it succeeds.
#: The enumeration must find all of these; a command missing here is still fuzzed (as a writer).
READS, WRITES, TARGETED = "reads", "writes", "targeted"
KNOWN: dict[str, str] = {
    "info": READS,
    "demo": TARGETED,  # writes a whole new database: see test_demo_refuses_hostile_input
    "grievances list": READS,
    "grievances show": READS,
    "grievances export": READS,
    "backup": READS,
    "backups": READS,
    "restore": TARGETED,  # swaps the database file: see test_restore_refuses_hostile_files
    "settings show": READS,
    "settings set": WRITES,
    "settings steps": WRITES,
    "settings holidays add": WRITES,
    "settings holidays remove": WRITES,
    "settings holidays list": READS,
    "members import": WRITES,
    "members export": READS,
    "signin": WRITES,
    "signout": WRITES,
    "report hours": READS,
    "credit add": WRITES,
    "credit void": WRITES,
    "credit list": READS,
    "incidents log": WRITES,
    "incidents list": READS,
    "incidents export": READS,
    "export signin-sheet": READS,
    "export ical": READS,
    "audit verify": READS,
    "audit list": READS,
    "locations list": READS,
    "locations add": WRITES,
    "locations edit": WRITES,
    "locations deactivate": WRITES,
    "shifts create": WRITES,
    "shifts list": READS,
    "shifts cancel": WRITES,
    "shifts assign": WRITES,
    "shifts unassign": WRITES,
    "copy": READS,
    "schedule": WRITES,
    "sync export": WRITES,  # registers this laptop as a sync node on first use
    "sync import": WRITES,
    "sync merge": WRITES,
    "sync status": READS,
}

#: Root options that cannot run unattended (they ask for a passphrase on the terminal).
INTERACTIVE_ROOT_OPTIONS = ("--encrypted",)

#: Options and positionals naming a file the command writes (always placed inside the example's folder).
OUTPUT_DESTS = {"output", "out", "dir"}
#: Positionals and options naming a file the command reads (given hostile files).
INPUT_DESTS = {"file", "bundle", "other", "source"}


# --- the commands ---------------------------------------------------------------------------


def _leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if path and not subs:
        yield " ".join(path), parser
    for action in subs:
        for name, child in action.choices.items():
            yield from _leaves(child, (*path, name))


PARSER = build_parser()
COMMANDS = dict(_leaves(PARSER))
FUZZED = sorted(name for name in COMMANDS if KNOWN.get(name) != TARGETED)


def _arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    skip = (argparse._HelpAction, argparse._VersionAction, argparse._SubParsersAction)
    return [a for a in parser._actions if not isinstance(a, skip)]


def test_the_enumeration_finds_every_command() -> None:
    """The walk over the parser sees every known command (so the fuzzing below covers them)."""
    missing = sorted(set(KNOWN) - set(COMMANDS))
    assert not missing, f"commands not found by the enumeration: {missing}"
    assert len(COMMANDS) >= len(KNOWN)
    assert all(_arguments(COMMANDS[name]) for name in ("signin", "shifts create", "members export"))


# --- the demo database and its fingerprint --------------------------------------------------


@dataclass
class Demo:
    """The demo strike made once for the module, and real values to mix with hostile ones."""

    path: Path
    values: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """A ``strikeboard demo --members 60`` file and some of its real names, ids and numbers."""
    folder = tmp_path_factory.mktemp("fuzz-demo")
    path = folder / "demo.db"
    assert main(["demo", "--out", str(path), "--members", "60", "--today", "2026-11-25"]) == 0
    conn = sqlite3.connect(path)
    try:

        def column(sql: str) -> list[str]:
            return [str(row[0]) for row in conn.execute(sql)]

        members = column("SELECT first_name || ' ' || last_name FROM member LIMIT 5")
        members += column("SELECT member_number FROM member LIMIT 3") + column(
            "SELECT id FROM member LIMIT 2"
        )
        locations = column("SELECT name FROM location LIMIT 4") + column("SELECT id FROM location LIMIT 1")
        shifts = column("SELECT id FROM shift LIMIT 3") + column("SELECT substr(id, 1, 8) FROM shift LIMIT 2")
        values = {
            "member": members,
            "location": locations,
            "shift": shifts,
            "number": column("SELECT number FROM grievance LIMIT 3"),
            "id": column("SELECT id FROM hours_credit LIMIT 3"),
            "key": column("SELECT key FROM setting"),
            "steward": members[:2],
            "table": ["member", "shift", "check_in", "setting"],
            "record": members[-2:] + shifts[:1],
            "time": ["09:00-13:00", "22:00-02:00", "9-5"],
            "at": ["09:30", "2026-11-24 10:00", "2026-11-25T08:00"],
            "week": ["this", "last", "2026-11-23"],
            "filter": ["active", "role=steward", "status=active"],
            "columns": ["first_name,last_name", "phone,email"],
            "weekdays": ["mon-fri", "sat,sun"],
            "rrule": ["FREQ=DAILY;COUNT=3", "FREQ=WEEKLY;BYDAY=MO"],
            "role": ["picketer", "captain", "first_aid"],
            "since": ["auto", "0", "12"],
            "steps": ["Step 1:15:10:working", "Step 2:10:10:working", "Arbitration:30:30:calendar"],
            "days": ["2026-12-25", "2027-01-01"],
            "hours": ["4", "3.5"],
            "approved_by": members[:1],
            "description": ["phone banking"],
            "date": ["2026-11-24", "2026-11-20"],
            "value": ["America/Los_Angeles", "4", "WGA"],
            "encoding": ["utf-8", "latin-1", "cp1252"],
            "map": ["First=first_name", "Phone=phone"],
        }
    finally:
        conn.close()
    return Demo(path, values)


def fingerprint(path: Path) -> tuple[object, ...]:
    """Row counts per table and the newest audit event, leaving out logged exports."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in sorted(tables)
            if table != "audit_event" and not table.startswith("sqlite_")
        }
        audit = conn.execute("SELECT count(*), max(seq) FROM audit_event WHERE action != 'export'").fetchone()
        newest = conn.execute(
            "SELECT hash FROM audit_event WHERE action != 'export' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        settings_rows = tuple(conn.execute("SELECT key, value FROM setting ORDER BY key"))
        return (tuple(counts.items()), audit, newest, settings_rows)
    finally:
        conn.close()


# --- hostile values -------------------------------------------------------------------------

HOSTILE_WORDS = [
    "",
    " ",
    "-",
    "--",
    "-1",
    "-999999999999999999999",
    "0",
    "99999999999999999999999999",
    "1e309",
    "nan",
    "inf",
    "-inf",
    "3.5",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "24:00",
    "25:61",
    "23:59-00:00",
    "-1:00",
    "'; DROP TABLE member; --",
    '" OR 1=1 --',
    "%",
    "_",
    "%s%n%x",
    "{0}{}",
    "[bold red]boom[/]",
    "[/]",
    "[link=file:///etc/passwd]x[/link]",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "\u202eevil\u202c",
    "\u200f\u200e\u2066",
    "\ufeff",
    "\u0301\u0301\u0301",
    "Ω≈ç√∫˜µ≤≥÷",
    "名字",
    "😀👩‍👩‍👧",
    "\x1b[31mred\x1b[0m",
    "line\nbreak",
    "tab\there",
    "\r",
    "\x07\x08\x0b\x0c",
    "../../../etc/passwd",
    "a" * 5000,
    "x" * 100_000,
]

#: Text an argv can hold: anything but NUL (the operating system cannot pass a NUL in an argument).
argv_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
hostile_text = st.one_of(st.sampled_from(HOSTILE_WORDS), argv_text)
hostile_dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2026-11-25", "2026-11-20", "2026-12-01"]),
    st.sampled_from(HOSTILE_WORDS),
)
hostile_numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-3, max_value=60).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(HOSTILE_WORDS),
)
#: File names (one path component, or the odd traversal) placed inside the example's folder.
file_names = st.one_of(
    st.sampled_from(["out.csv", "out.xlsx", "out.ics", "x.db", "out", ".", "..", "sub/x.csv", "n" * 300]),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"),
        min_size=1,
        max_size=30,
    ),
)
#: What a hostile input file holds.
file_contents = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"first_name,last_name,phone\n",
            b"first_name,last_name,phone\n=cmd|' /C calc'!A0,\xff\xfe,+1 555\n",
            "first_name,last_name\n\u202eAnn,[b]O'Hara[/b]\n".encode(),
            b"SQLite format 3\x00" + b"\x00" * 200,
            b'{"format": "strikeboard-sync", "version": 999}',
            b"PK\x03\x04garbage",
        ]
    ),
    st.lists(st.lists(hostile_text, min_size=1, max_size=4), max_size=5).map(
        lambda rows: "\n".join(",".join(row) for row in rows).encode("utf-8", "surrogatepass")
    ),
)


def _value_strategy(action: argparse.Action, demo: Demo) -> st.SearchStrategy[str]:
    """Hostile values for one argument, mixed with real ones so commands get past the first check."""
    real = demo.values.get(action.dest, [])
    if action.type is iso_date:
        base = hostile_dates
    elif getattr(action.type, "__name__", "") in {
        "whole_number",
        "positive_number",
        "int",
        "float",
        "_hours",
    }:
        base = hostile_numbers
    else:
        base = hostile_text
    sane = st.sampled_from(sorted(map(str, action.choices))) if action.choices else None
    if real:
        sane = st.sampled_from(real)
    if sane is None:
        return base
    return st.one_of(sane, sane, sane, base)  # mostly sane, so one hostile value gets deep


# --- building and running one argv ----------------------------------------------------------


@dataclass
class Case:
    """One example: its folder, its database copy and the output files it named."""

    folder: Path
    db: Path
    outputs: list[Path] = field(default_factory=list)


def _output_path(draw: Callable[..., object], case: Case) -> str:
    name = str(draw(file_names))
    path = case.folder / name
    case.outputs.append(path)
    return str(path)


def _input_path(draw: Callable[..., object], case: Case) -> str:
    kind = draw(st.sampled_from(["file", "file", "missing", "folder", "database"]))
    path = case.folder / str(draw(file_names.filter(lambda n: "/" not in n and n not in {".", ".."})))
    try:
        if kind == "file":
            path.write_bytes(draw(file_contents))  # type: ignore[arg-type]
        elif kind == "folder":
            path.mkdir(exist_ok=True)
        elif kind == "database":
            shutil.copyfile(case.db, path)
    except OSError:  # a name too long for the file system: the command gets it anyway
        pass
    return str(path)


def _one_value(draw: Callable[..., object], action: argparse.Action, case: Case, demo: Demo) -> str:
    if action.dest in OUTPUT_DESTS:
        return _output_path(draw, case)
    if action.dest in INPUT_DESTS:
        return _input_path(draw, case)
    return str(draw(_value_strategy(action, demo)))


def build_argv(draw: Callable[..., object], command: str, case: Case, demo: Demo) -> list[str]:
    """Root options, the command's words, then its options (in random order) and positionals."""
    argv = ["--db", str(case.db)]
    for action in _arguments(PARSER):
        flags = [f for f in action.option_strings if f.startswith("--")]
        if action.dest == "db" or not flags or any(f in INTERACTIVE_ROOT_OPTIONS for f in flags):
            continue
        if action.nargs == 0 and draw(st.integers(0, 7)) == 0:  # e.g. --captain: now and then
            argv.append(draw(st.sampled_from(flags)))  # type: ignore[arg-type]
    argv += command.split()
    options: list[list[str]] = []
    positionals: list[str] = []
    parser = COMMANDS[command]
    copy_to = command == "copy"
    for action in _arguments(parser):
        if not action.option_strings:
            count = 1 if action.nargs is None else draw(st.integers(min_value=1, max_value=3))
            positionals += [_one_value(draw, action, case, demo) for _ in range(int(count))]  # type: ignore[arg-type]
            continue
        present = action.required and draw(st.integers(0, 9)) > 0  # sometimes drop a required option
        if not action.required:
            present = bool(draw(st.booleans()))
        if not present:
            continue
        flag = str(draw(st.sampled_from(action.option_strings)))
        if action.nargs == 0:
            options.append([flag])
            continue
        repeats = draw(st.integers(1, 2)) if isinstance(action, argparse._AppendAction) else 1
        for _ in range(int(repeats)):  # type: ignore[call-overload]
            if copy_to and action.dest == "to":
                value = _output_path(draw, case)
            else:
                value = _one_value(draw, action, case, demo)
            # "--opt=value" lets a value start with "-"; a separate word tests argparse's own parsing
            options.append(
                [f"{flag}={value}"] if draw(st.booleans()) and flag.startswith("--") else [flag, value]
            )
    order = draw(st.permutations(options))
    for words in order:  # type: ignore[attr-defined]
        argv += words
    if positionals and draw(st.booleans()):
        argv.append("--")  # so positionals starting with "-" reach the command
    return argv + positionals


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def check_outcome(code: int, err: str, argv: list[str]) -> None:
    """Exit 0/1/2, no traceback, and on failure one line (or argparse's usage plus one line)."""
    shown = [w if len(w) < 80 else w[:77] + "..." for w in argv]
    assert code in (0, 1, 2), (code, shown, err)
    assert "Traceback" not in err, (shown, err)
    if code == 0:
        return
    lines = err.splitlines()
    assert lines, f"failed silently: {shown}"
    if lines[0].startswith("usage:"):
        error_lines = [i for i, line in enumerate(lines) if line.startswith("strikeboard")]
        assert (error_lines and error_lines[-1] == len(lines) - 1) or _wrapped_error(lines), (shown, err)
    elif len(lines) > 1:  # e.g. `shifts cancel` without --yes lists who it would affect, then says so
        assert lines[-1].startswith("strikeboard: "), (shown, err)
        assert err.count("strikeboard: ") == 1, (shown, err)


def _wrapped_error(lines: list[str]) -> bool:
    """argparse's last line is ``PROG: error: ...`` (a value with a newline spans more lines)."""
    return any(": error: " in line for line in lines)


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No $STRIKEBOARD_DB, no real user data folder, no encryption key from the environment."""
    for name in ("STRIKEBOARD_DB", "STRIKEBOARD_KEY", "STRIKEBOARD_BACKUP_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    umask = os.umask(0o022)
    yield tmp_path
    os.umask(umask)


TRIED: dict[str, int] = {}
#: Per command, how many runs exited 0, 1 and 2 (printed with the counts).
OUTCOMES: dict[str, list[int]] = {}


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file (a name too long for the file system is not)."""
    try:
        return path.is_file()
    except OSError:
        return False


@pytest.mark.parametrize("command", FUZZED)
def test_every_command_survives_hostile_input(
    command: str, demo: Demo, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hostile argv for one command: a clear message or a correct run, never a traceback or half a write."""
    counter = iter(range(10**9))

    @FUZZ
    @given(data=st.data())
    def one_case(data: st.DataObject) -> None:
        folder = isolated / f"case{next(counter)}"
        folder.mkdir()
        try:
            case = Case(folder, folder / "strike.db")
            shutil.copyfile(demo.path, case.db)
            argv = build_argv(data.draw, command, case, demo)
            existed = {p: _is_file(p) for p in case.outputs}
            before = fingerprint(case.db)
            code, _out, err = run(argv, capsys)
            TRIED[command] = TRIED.get(command, 0) + 1
            OUTCOMES.setdefault(command, [0, 0, 0])[code] += 1 if code in (0, 1, 2) else 0
            check_outcome(code, err, argv)
            after = fingerprint(case.db)
            if code != 0:
                assert after == before, f"a failed {command!r} changed the database: {argv[:12]}"
                for path, was in existed.items():
                    if not was and _is_file(path):
                        raise AssertionError(f"a failed {command!r} left {path.name!r} behind: {err}")
            elif KNOWN.get(command) == READS:
                assert after == before, f"{command!r} only reads, yet changed the database"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    one_case()
    assert TRIED.get(command, 0) >= 1


# --- commands fuzzed by hand ----------------------------------------------------------------


def test_restore_refuses_hostile_files(
    demo: Demo, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``restore`` swaps whole files, so it gets hostile files rather than random argv: each is
    refused in one sentence and the live database is untouched."""
    live = isolated / "live.db"
    shutil.copyfile(demo.path, live)
    before = fingerprint(live)
    bad = {
        "empty.db": b"",
        "text.db": b"first_name,last_name\nAnn,Lee\n",
        "random.db": os.urandom(4096),
        "header-only.db": b"SQLite format 3\x00" + b"\x00" * 100,
        "\u202e\n[b]name.db": b"not a database",
        "a" * 300: b"",
    }
    paths: list[str] = []
    for name, content in bad.items():
        path = isolated / name
        with contextlib.suppress(OSError):  # a name too long for the file system: passed as is
            path.write_bytes(content)
        paths.append(str(path))
    foreign = isolated / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE member (id INTEGER)")
    paths += [str(foreign), str(isolated / "missing.db"), str(isolated), str(live)]
    for path in paths:
        code, _out, err = run(["--db", str(live), "restore", path, "--yes"], capsys)
        check_outcome(code, err, ["restore", path])
        if path != str(live):
            assert code != 0, path
        assert fingerprint(live) == before
    TRIED["restore"] = len(paths)


@pytest.mark.parametrize(
    "extra",
    [
        ["--members", "0"],
        ["--members", "-5"],
        ["--members", "1e3"],
        ["--seed", "nan"],
        ["--today", "0001-01-01"],
        ["--today", "9999-12-31"],
        ["--today", "2026-02-30"],
        ["--today", "\u202e2026-11-25"],
        ["--from", "missing.db"],
        ["--from", "text.db"],
        ["--from", "SELF"],
        ["--from", "demo.db", "--members", "3"],
    ],
)
def test_demo_refuses_hostile_input(
    extra: list[str], demo: Demo, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``demo`` writes a whole new file and takes seconds per run at any size, so it gets a fixed
    list of hostile values instead of random argv: one clear sentence or a working file, never a
    traceback, and a failure leaves no database behind."""
    (isolated / "text.db").write_text("hello")
    shutil.copyfile(demo.path, isolated / "demo.db")
    out = isolated / "new.db"
    words = [str(isolated / w) if w.endswith(".db") else w for w in extra]
    words = [str(out) if w == "SELF" else w for w in words]
    argv = ["demo", "--out", str(out), *words]
    if "--members" not in extra and "--from" not in extra:
        argv += ["--members", "3"]
    code, _out, err = run(argv, capsys)
    check_outcome(code, err, argv)
    if code == 0:
        assert run(["--db", str(out), "info"], capsys)[0] == 0
    else:
        assert not out.exists() or out.stat().st_size == 0 or run(["--db", str(out), "info"], capsys)[0] == 0


@pytest.mark.parametrize(
    "name",
    ["\u202e.db", "line\nbreak.db", "[b]x[/b].db", "a" * 300, "'; DROP TABLE x; --.db", ".", "sqlite:"],
)
def test_the_db_option_takes_hostile_paths(
    name: str, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--db`` (a root option, set on every fuzzed run above) with hostile file names inside a folder."""
    path = str(isolated / name) if name != "." else str(isolated)
    code, _out, err = run(["--db", path, "info"], capsys)
    check_outcome(code, err, ["--db", path, "info"])


def test_report_the_cases_tried(capsys: pytest.CaptureFixture[str]) -> None:
    """Print how many argv each command got (visible with ``pytest -s``); every command got some."""
    with capsys.disabled():
        for name in sorted(TRIED):
            ok, problem, usage = OUTCOMES.get(name, ["-", "-", "-"])
            print(f"fuzz {name}: {TRIED[name]} cases (exit 0/1/2: {ok}/{problem}/{usage})")
    if len(TRIED) > 2:  # the fuzz tests ran in this session (not deselected)
        assert set(FUZZED) <= set(TRIED)


@pytest.mark.parametrize(
    "words",
    [
        ["members", "export", "-o", "LONG"],
        ["grievances", "export", "-o", "LONG"],
        ["export", "ical", "--location", "GATE", "-o", "LONG"],
        ["sync", "export", "-o", "LONG"],
        ["sync", "export", "-o", "FOLDER"],
        ["sync", "export", "-o", "DOTDOT"],
        ["sync", "import", "LONG"],
        ["sync", "export", "-o", "OUT", "--since", "99999999999999999999999"],
        ["restore", "OUT\n\x1b[2J", "--yes"],
    ],
)
def test_bugs_the_fuzzing_found_stay_fixed(
    words: list[str], demo: Demo, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each of these raised a traceback (a file name too long, a folder as output, a clock value
    too big for SQLite) or printed a path's newline and terminal escape raw: now one clean line."""
    db = isolated / "strike.db"
    shutil.copyfile(demo.path, db)
    before = fingerprint(db)
    names = {"LONG": str(isolated / ("n" * 300)), "FOLDER": str(isolated), "OUT": str(isolated / "out.bin")}
    names["GATE"] = demo.values["location"][0]
    names["DOTDOT"] = str(isolated / "sub" / "..")
    (isolated / "sub").mkdir()
    argv = ["--db", str(db), *(names.get(w, w) for w in words)]
    argv = [names["OUT"] + w[3:] if w.startswith("OUT\n") else w for w in argv]
    code, _out, err = run(argv, capsys)
    assert code in (1, 2)
    assert len(err.splitlines()) == 1 and err.startswith("strikeboard: ")
    assert "\x1b" not in err
    assert fingerprint(db) == before
    assert not [name for name in os.listdir(isolated / "sub") if name.endswith(".partial")]


def test_a_huge_due_within_is_refused_in_one_line(
    demo: Demo, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``grievances list --due-within 18067645`` ran out of calendar (AssertionError in the deadline rule)."""
    db = isolated / "strike.db"
    shutil.copyfile(demo.path, db)
    code, _out, err = run(["--db", str(db), "grievances", "list", "--due-within", "18067645"], capsys)
    assert code == 2 and len(err.splitlines()) == 1 and "--due-within" in err
    assert run(["--db", str(db), "grievances", "list", "--due-within", "2600"], capsys)[0] == 0
