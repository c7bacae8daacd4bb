"""``strikeboard backup`` and ``strikeboard restore``: verified copies of a live database."""

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from strikeboard.cli.common import EXIT_OK, CliError, positive_number
from strikeboard.config import resolve_db
from strikeboard.store.backup import DEFAULT_KEEP, backup, list_backups, restore
from strikeboard.store.probe import is_url

if TYPE_CHECKING:
    from strikeboard.cli.common import Subcommands


def _database(args: argparse.Namespace) -> Path:
    location = resolve_db(args.db)
    if is_url(location):
        raise CliError("backup and restore work on SQLite files; back up a server database with pg_dump.")
    return Path(location).expanduser()


def cmd_backup(args: argparse.Namespace) -> int:
    """Make a consistent, verified copy of the database; keep the newest N in the folder."""
    out = Path(args.output) if args.output else None
    folder = Path(args.dir) if args.dir else None
    result = backup(_database(args), out=out, folder=folder, keep=args.keep)
    print(f"wrote {result.path} ({result.size / 1e6:.1f} MB, verified, {result.seconds:.2f} s)")
    for old in result.pruned:
        print(f"removed old backup {old}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database with a backup; the current file is kept aside."""
    database = _database(args)
    source = Path(args.file)
    if not args.yes:
        raise CliError(
            f"restoring replaces {database} with {source}: close strikeboard everywhere, "
            "then run again with --yes."
        )
    aside = restore(source, database)
    print(f"restored {source} into {database}")
    if aside is not None:
        print(f"the previous database is kept as {aside}")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    """List the backups of the database in the backup folder, newest first."""
    from strikeboard.store.backup import default_backup_dir

    database = _database(args)
    folder = Path(args.dir) if args.dir else default_backup_dir()
    found = list_backups(folder, database.stem)
    for path in found:
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")
    if not found:
        print(f"no backups of {database.name} in {folder}")
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """Add ``backup``, ``backups`` and ``restore``."""
    dir_help = "backup folder (default: backups/ in the user data folder)"
    make = sub.add_parser("backup", help="make a verified backup of the database")
    make.add_argument("-o", "--output", metavar="FILE", help="write the backup here instead")
    make.add_argument("--dir", metavar="FOLDER", help=dir_help)
    make.add_argument(
        "--keep",
        type=positive_number,
        default=DEFAULT_KEEP,
        help=f"backups to keep in the folder (default {DEFAULT_KEEP})",
    )
    make.set_defaults(func=cmd_backup)

    listing = sub.add_parser("backups", help="list the backups of the database")
    listing.add_argument("--dir", metavar="FOLDER", help=dir_help)
    listing.set_defaults(func=cmd_backups)

    put_back = sub.add_parser("restore", help="replace the database with a backup (the old one is kept)")
    put_back.add_argument("file", metavar="FILE", help="the backup to restore")
    put_back.add_argument("--yes", action="store_true", help="confirm: every strikeboard window is closed")
    put_back.set_defaults(func=cmd_restore)
