"""``strikeboard copy``: move a whole strike to another database (e.g. a shared PostgreSQL)."""

import argparse
import time
from typing import TYPE_CHECKING

from strikeboard.cli.common import EXIT_OK, opened

if TYPE_CHECKING:
    from strikeboard.cli.common import Subcommands


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy every table of ``--db`` into ``--to`` (created and migrated if new; must be empty)."""
    from strikeboard.store.db import open_store
    from strikeboard.store.transfer import copy_database

    started = time.perf_counter()
    with opened(args) as source:
        target = open_store(args.to)
        try:
            copied = copy_database(source, target)
        finally:
            target.close()
    total = sum(c.rows for c in copied)
    for c in copied:
        if c.rows:
            print(f"{c.table}: {c.rows}")
    print(f"copied {total} rows into {args.to} in {time.perf_counter() - started:.1f} s")
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """Add ``copy``."""
    parser = sub.add_parser(
        "copy", help="copy the whole database into another, empty one (a file or postgresql:// URL)"
    )
    parser.add_argument("--to", required=True, metavar="DB", help="the target file or URL (must be empty)")
    parser.set_defaults(func=cmd_copy)
