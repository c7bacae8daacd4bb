"""Launch → first paint of the TUI on a WGA-scale database, against a bare Textual app.

Both programs are started the same way, as a user would: ``<python> -m strikeboard --db FILE``
and ``<python> -m bench._bare_app``, with the interpreter running this benchmark, each in a
real pseudo-terminal of 120×35 with ``TERM=xterm-256color``. The clock starts just before
the fork and stops when the terminal output (ANSI escapes stripped) shows a string that
only a painted screen has: the tab label "Grievances" for strikeboard, the label text for
the bare app. Then the child is killed and reaped. After a warm-up, runs alternate between
the two apps so that machine noise hits both alike.

For strikeboard a second figure is read from the same runs: the moment the header shows
the strike's name, i.e. the database has been opened in the background.

The database (11,500 members, seed 2023, today's date) is generated once with
``strikeboard.demo.generate`` into the user cache folder and reused while it is current.

Targets: first paint ≤ 0.45 s and ≤ 2.2 × the bare app (medians).
"""

import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import termios
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench import Row, print_rows

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, LINES = 120, 35
WARMUPS, RUNS = 1, 7
TIMEOUT_S = 10.0
MEMBERS, SEED = 11_500, 2023
TARGET_S, TARGET_RATIO = 0.45, 2.2

PAINTED = "Grievances"  # a tab label: on screen as soon as the shell is painted
LOADED = " — strikeboard"  # the header title once the database is open ("WGA 2023 — strikeboard")
BARE_PAINTED = "Bare app painted"  # bench._bare_app.MARKER (not imported: keep Textual out of here)

#: CSI, OSC, DCS/SOS/PM/APC strings and two-byte escapes.
ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, modes
    rb"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: title, clipboard, hyperlinks
    rb"|[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC strings
    rb"|[ -/]*[0-~])"  # two-byte and nF escapes
)


@dataclass
class Launch:
    """One launch: seconds from fork to each marker seen, and how it ended."""

    seen: dict[str, float] = field(default_factory=dict)
    outcome: str = "timeout"  # "ok", "timeout" or "exited"
    tail: str = ""  # the last visible text, to explain a failure


def screen_text(raw: bytes) -> str:
    """What a terminal would show of ``raw``, flattened: escapes removed, decoded leniently."""
    return ANSI.sub(b"", raw).decode("utf-8", errors="replace")


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.pop("COLUMNS", None)  # the size comes from the pty (TIOCSWINSZ), as in a real terminal
    env.pop("LINES", None)
    env["TERM"] = "xterm-256color"
    env.setdefault("LANG", "C.UTF-8")
    return env


def _reap(pid: int) -> None:
    """Kill the child (if still alive) and wait for it, so no zombie or stray app is left."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except InterruptedError:
            continue
        except ChildProcessError:
            return


def launch(argv: list[str], markers: tuple[str, ...], timeout: float = TIMEOUT_S) -> Launch:
    """Start ``argv`` in a fresh pty and time (from just before the fork) when each marker shows."""
    env = _child_env()
    wanted = {marker: marker.encode() for marker in markers}
    result = Launch()
    buffer = bytearray()
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: size the terminal, then become the app
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    try:
        deadline = started + timeout
        while (remaining := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError as exc:
                if exc.errno != errno.EIO:  # EIO: the child closed the terminal (it exited)
                    raise
                chunk = b""
            now = time.perf_counter()
            if not chunk:
                result.outcome = "exited"
                break
            buffer += chunk
            visible = ANSI.sub(b"", bytes(buffer))
            for marker, encoded in wanted.items():
                if marker not in result.seen and encoded in visible:
                    result.seen[marker] = now - started
            if len(result.seen) == len(wanted):
                result.outcome = "ok"
                break
    finally:
        _reap(pid)
        os.close(fd)
    if result.outcome != "ok":
        result.tail = " ".join(screen_text(bytes(buffer)).split())[-300:]
    return result


def strikeboard_argv(database: Path) -> list[str]:
    """How a user starts the app (the same interpreter as this benchmark)."""
    return [sys.executable, "-m", "strikeboard", "--db", str(database)]


def bare_argv() -> list[str]:
    """The bare Textual app, started the same way."""
    return [sys.executable, "-m", "bench._bare_app"]


# --- the database -----------------------------------------------------------------------


def _cache_folder() -> Path:
    from platformdirs import user_cache_path

    folder = user_cache_path("strikeboard", appauthor=False) / "bench"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def prepare_database(today: date | None = None, members: int = MEMBERS) -> tuple[Path, str]:
    """A demo database of ``members`` for ``today`` (generated once, then reused); and how it was got."""
    from strikeboard.store.probe import FileState, StoreError, inspect_sqlite_file

    today = today or date.today()
    folder = _cache_folder()
    path = folder / f"wga-{members}-seed{SEED}-{today.isoformat()}.db"
    try:
        if path.exists() and inspect_sqlite_file(path) is FileState.CURRENT:
            return path, f"cached in {folder}"
    except StoreError:
        pass  # an older schema or a damaged file: build it again
    for old in folder.glob(f"wga-{members}-seed{SEED}-*.db*"):
        old.unlink()
    from strikeboard import demo

    started = time.perf_counter()
    demo.generate(path, members=members, seed=SEED, today=today)
    return path, f"generated in {time.perf_counter() - started:.1f} s into {folder}"


def describe_database(path: Path) -> str:
    """``members: 11500, shifts: ...`` from the same counts as ``strikeboard info``."""
    from strikeboard.services.stats import database_counts
    from strikeboard.store.db import open_store

    store = open_store(str(path))
    try:
        with store.read() as session:
            counts = database_counts(session)
    finally:
        store.close()
    return ", ".join(f"{value:,} {name}" for name, value in counts.items())


# --- the measurement ---------------------------------------------------------------------


def _summary(times: list[float], failures: list[Launch], runs: int) -> str:
    if not times:
        reason = failures[0].outcome if failures else "no runs"
        tail = f": …{failures[0].tail[-160:]}" if failures and failures[0].tail else ""
        return f"{reason} (0 of {runs} runs){tail}"
    text = f"median {statistics.median(times):.3f} s, min {min(times):.3f} s"
    if len(times) < runs:
        text += f" ({runs - len(times)} of {runs} runs failed: {failures[0].outcome})"
    return text


def run() -> list[Row]:
    """Measure both apps; return (metric, value) rows."""
    database, how = prepare_database()
    rows: list[Row] = [
        ("database", describe_database(database)),
        ("database file", f"{database.name}, {database.stat().st_size / 1e6:.1f} MB, {how}"),
        ("method", f"pty {COLUMNS}×{LINES}, TERM=xterm-256color, {WARMUPS} warm-up + {RUNS} runs each"),
    ]
    ours = strikeboard_argv(database)
    bare = bare_argv()
    for _ in range(WARMUPS):
        launch(bare, (BARE_PAINTED,))
        launch(ours, (PAINTED, LOADED))
    bare_times: list[float] = []
    paint_times: list[float] = []
    loaded_times: list[float] = []
    failures: dict[str, list[Launch]] = {"bare": [], "paint": [], "loaded": []}
    for _ in range(RUNS):  # alternate, so that noise hits both alike
        result = launch(bare, (BARE_PAINTED,))
        if BARE_PAINTED in result.seen:
            bare_times.append(result.seen[BARE_PAINTED])
        else:
            failures["bare"].append(result)
        result = launch(ours, (PAINTED, LOADED))
        for marker, times, key in ((PAINTED, paint_times, "paint"), (LOADED, loaded_times, "loaded")):
            if marker in result.seen:
                times.append(result.seen[marker])
            else:
                failures[key].append(result)

    rows.append(("bare Textual app: launch → first paint", _summary(bare_times, failures["bare"], RUNS)))
    rows.append(("strikeboard: launch → first paint", _summary(paint_times, failures["paint"], RUNS)))
    if paint_times and bare_times:
        median, ratio = (
            statistics.median(paint_times),
            statistics.median(paint_times) / statistics.median(bare_times),
        )
        met = median <= TARGET_S and ratio <= TARGET_RATIO
        rows.append(("strikeboard / bare (medians)", f"{ratio:.2f}×"))
        rows.append(
            (
                "targets (≤ 0.45 s, ≤ 2.2× bare)",
                f"{'met' if met else 'NOT met'}: {median:.3f} s, {ratio:.2f}×",
            )
        )
    rows.append(
        ("strikeboard: launch → database open (header)", _summary(loaded_times, failures["loaded"], RUNS))
    )
    return rows


if __name__ == "__main__":
    print_rows("bench_launch", run())
