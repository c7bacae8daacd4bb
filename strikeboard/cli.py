"""The ``strikeboard`` command: opens the TUI, or runs one service for scripting.

Exit codes: 0 success, 1 the operation found problems in its input, 2 usage or
environment error (bad arguments, a database that cannot be opened).

Heavy modules (SQLAlchemy, Textual) are imported inside the commands that need them,
so ``--help`` and the TUI's first paint stay fast.
"""

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from strikeboard import __version__
from strikeboard.config import resolve_db
from strikeboard.store.probe import FileState, StoreError, inspect_sqlite_file, is_url

if TYPE_CHECKING:
    from strikeboard.store.db import Store

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
DEMO_MEMBERS, DEMO_SEED = 11_500, 2023

Command = Callable[[argparse.Namespace], int]


class CliError(Exception):
    """A usage or environment problem: printed as one sentence, exit code 2."""


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-11-25") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _open(args: argparse.Namespace) -> "Store":
    """Open the database named by ``--db``/``STRIKEBOARD_DB``/the default."""
    from strikeboard.store.db import open_store

    return open_store(resolve_db(args.db))


def cmd_tui(args: argparse.Namespace) -> int:
    """Open the TUI. A database that needs creating or upgrading is prepared first."""
    location = resolve_db(args.db)
    needs_prepare = is_url(location) or inspect_sqlite_file(Path(location)) is not FileState.CURRENT
    if needs_prepare:
        _open(args).close()
    from strikeboard.tui.app import StrikeboardApp

    StrikeboardApp(location).run()
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    """Print one ``name: value`` line per kind of record, and the schema version."""
    from strikeboard.services.stats import database_counts
    from strikeboard.store.db import schema_revision

    store = _open(args)
    try:
        with store.read() as session:
            counts = database_counts(session)
        for name, value in counts.items():
            print(f"{name}: {value}")
        print(f"schema: {schema_revision(store)}")
    finally:
        store.close()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Write the demo strike: generated from a seed, or a re-dated copy of ``--from``."""
    from strikeboard import demo

    out = Path(args.out)
    if out.is_dir():
        raise CliError(f"--out {out} is a directory: give a file name, e.g. {out / 'demo.db'}.")
    if not out.parent.is_dir():
        raise CliError(f"--out: the folder {out.parent} does not exist.")
    today = args.today or date.today()
    if args.source:
        if args.members is not None or args.seed is not None:
            raise CliError("--members and --seed make a new demo: they cannot be combined with --from.")
        demo.copy_redated(Path(args.source), out, today)
    else:
        members = DEMO_MEMBERS if args.members is None else args.members
        seed = DEMO_SEED if args.seed is None else args.seed
        demo.generate(out, members=members, seed=seed, today=today)
    print(f"wrote {out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, for ``main`` and for the README's reference."""
    parser = argparse.ArgumentParser(
        prog="strikeboard",
        description="Run a strike from the terminal. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"strikeboard {__version__}")
    parser.add_argument(
        "--db",
        metavar="DB",
        help="database file or URL (default: $STRIKEBOARD_DB, else the user data folder)",
    )
    parser.set_defaults(func=cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    info = sub.add_parser("info", help="print counts of what the database holds")
    info.set_defaults(func=cmd_info)

    demo = sub.add_parser("demo", help="write the demo strike to a new file")
    demo.add_argument("--out", required=True, metavar="FILE", help="database file to write (replaced)")
    demo.add_argument(
        "--from",
        dest="source",
        metavar="DB",
        help="copy this demo database and move its dates so that TODAY is mid-strike",
    )
    demo.add_argument("--members", type=_positive_int, help=f"members to generate (default {DEMO_MEMBERS})")
    demo.add_argument("--seed", type=_int, help=f"random seed (default {DEMO_SEED})")
    demo.add_argument("--today", type=_iso_date, help="the demo's today, YYYY-MM-DD (default: today)")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    os.umask(0o077)  # databases, backups and exports hold personal data
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (StoreError, CliError) as exc:
        print(f"strikeboard: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `strikeboard info | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
