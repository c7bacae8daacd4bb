"""The ``strikeboard`` command: opens the TUI, or runs one service for scripting.

Exit codes: 0 success, 1 the operation found problems in its input, 2 usage or
environment error (bad arguments, a database that cannot be opened).

Each command group lives in its own module with a ``register(subcommands)`` function.
Heavy modules (SQLAlchemy, Textual) are imported inside the commands that need them,
so ``--help`` and the TUI's first paint stay fast.
"""

import argparse
import os
import sys
from collections.abc import Sequence

from strikeboard import __version__
from strikeboard.cli import (
    audit,
    backup,
    basics,
    grievances,
    locations,
    members,
    reports,
    schedule,
    settings,
    shifts,
    signin,
    sync,
    transfer,
)
from strikeboard.cli.common import EXIT_INPUT, EXIT_OK, EXIT_USAGE, CliError, InputProblem
from strikeboard.store.probe import StoreError

#: Commands refused in captain mode here because no service session guards them: whole-database
#: copies (below the services) and the incidents CSV (written from rows a captain may read).
CAPTAIN_REFUSED = {
    backup.cmd_backup: "backing up to a file",
    backup.cmd_restore: "restoring a backup",
    transfer.cmd_copy: "copying the database",
    reports.cmd_incidents_export: "exporting incidents",
}


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
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
    parser.add_argument(
        "--captain",
        action="store_true",
        dest="captain_mode",  # not `captain`: `shifts create --captain` is whether a shift needs one
        help="captain mode: sign-in and names only (no phones, emails, notes, grievances or exports)",
    )
    parser.set_defaults(func=basics.cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    basics.register(sub)
    grievances.register(sub)
    backup.register(sub)
    settings.register(sub)
    members.register(sub)
    signin.register(sub)
    reports.register(sub)
    audit.register(sub)
    locations.register(sub)
    shifts.register(sub)
    transfer.register(sub)
    schedule.register(sub)
    sync.register(sub)
    return parser


def one_line(message: str) -> str:
    """``message`` with control characters (newlines, terminal escapes from names or paths) shown
    as escapes, so an error stays one line and cannot drive the terminal."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    os.umask(0o077)  # databases, backups and exports hold personal data
    args = build_parser().parse_args(argv)
    from strikeboard.services.errors import AccessDenied  # tiny; here so `import strikeboard.cli` stays light

    try:
        if args.captain_mode and args.func in CAPTAIN_REFUSED:
            raise CliError(
                f"Captain mode: {CAPTAIN_REFUSED[args.func]} is not available; "
                "an organizer can do this from a full strikeboard."
            )
        return int(args.func(args))
    except InputProblem as exc:
        print(f"strikeboard: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_INPUT
    except (StoreError, CliError, AccessDenied) as exc:
        print(f"strikeboard: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `strikeboard info | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a file named on the command line: too long a name, a folder, a busy mount...
        where = f" {exc.filename}" if exc.filename else ""
        message = f"cannot use{where} ({exc.strerror or exc}): choose another path."
        print(f"strikeboard: {one_line(message)}", file=sys.stderr)
        return EXIT_USAGE
