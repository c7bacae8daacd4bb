"""The app itself and the commands about the database as a whole: ``info`` and ``demo``."""

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from strikeboard.cli.common import (
    EXIT_OK,
    CliError,
    iso_date,
    open_db,
    opened,
    positive_number,
    whole_number,
)
from strikeboard.config import resolve_db
from strikeboard.store.probe import FileState, inspect_sqlite_file, is_url

if TYPE_CHECKING:
    from strikeboard.cli.common import Subcommands

DEMO_MEMBERS, DEMO_SEED = 11_500, 2023
DEMO_YEARS = (1980, 9000)  #: the years a demo's today may fall in


def cmd_tui(args: argparse.Namespace) -> int:
    """Open the TUI. A database that needs creating or upgrading is prepared first."""
    location = resolve_db(args.db)
    needs_prepare = is_url(location) or inspect_sqlite_file(Path(location)) is not FileState.CURRENT
    if needs_prepare:
        open_db(args).close()
    from strikeboard.tui.app import StrikeboardApp

    StrikeboardApp(location, captain=args.captain_mode).run()
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    """Print one ``name: value`` line per kind of record, and the schema version."""
    from strikeboard.services.stats import database_counts
    from strikeboard.store.db import schema_revision

    with opened(args) as store:
        with store.read() as session:
            counts = database_counts(session)
        revision = schema_revision(store)
    for name, value in counts.items():
        print(f"{name}: {value}")
    print(f"schema: {revision}")
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
    if not DEMO_YEARS[0] <= today.year <= DEMO_YEARS[1]:  # the demo spans years around today
        raise CliError(f"--today {today} is out of range: give a day in {DEMO_YEARS[0]}-{DEMO_YEARS[1]}.")
    if args.source:
        if args.members is not None or args.seed is not None:
            raise CliError("--members and --seed make a new demo: they cannot be combined with --from.")
        if inspect_sqlite_file(Path(args.source)) is FileState.MISSING:
            raise CliError(f"--from {args.source} does not exist or is empty: give a demo database.")
        now = None if args.today else datetime.now(UTC)  # a live demo: people on the line now
        demo.copy_redated(Path(args.source), out, today, now=now)
    else:
        members = DEMO_MEMBERS if args.members is None else args.members
        seed = DEMO_SEED if args.seed is None else args.seed
        demo.generate(out, members=members, seed=seed, today=today)
    print(f"wrote {out}")
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """Add ``info`` and ``demo``."""
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
    demo.add_argument("--members", type=positive_number, help=f"members to generate (default {DEMO_MEMBERS})")
    demo.add_argument("--seed", type=whole_number, help=f"random seed (default {DEMO_SEED})")
    demo.add_argument("--today", type=iso_date, help="the demo's today, YYYY-MM-DD (default: today)")
    demo.set_defaults(func=cmd_demo)
