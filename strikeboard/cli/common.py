"""What every command shares: exit codes, errors, argument types, opening the database."""

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from strikeboard.config import resolve_db

if TYPE_CHECKING:
    from strikeboard.store.db import Store

    #: What ``add_subparsers()`` returns: each command module's ``register`` adds to it.
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A usage or environment problem: printed as one sentence, exit code 2."""


class InputProblem(Exception):
    """The operation found a problem in what it was given: one sentence, exit code 1."""


def iso_date(text: str) -> date:
    """An argparse type: a ``YYYY-MM-DD`` date."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-11-25") from None


def whole_number(text: str) -> int:
    """An argparse type: any integer."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def positive_number(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def actor() -> str:
    """Who a change made from the command line is recorded as (``cli:USER``)."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name (containers): still say where the change came from
        return "cli"


def open_db(args: argparse.Namespace) -> "Store":
    """Open the database named by ``--db``/``STRIKEBOARD_DB``/the default; its changes are
    audited as made by ``--by`` when the command has one, else :func:`actor`. With
    ``--captain`` the services refuse all but sign-in and names (exit 2)."""
    from strikeboard.store.db import open_store

    store = open_store(resolve_db(args.db), captain=getattr(args, "captain_mode", False))
    store.actor = getattr(args, "by", None) or actor()
    return store


def log_export(store: "Store", *, what: str, path: object, rows: int) -> None:
    """Record in the audit trail that this command wrote ``rows`` rows of ``what`` to ``path``."""
    from strikeboard.services.audit import record_export

    with store.write() as session:
        record_export(session, actor=store.actor, what=what, path=str(path), rows=rows)


@contextmanager
def opened(args: argparse.Namespace) -> Iterator["Store"]:
    """The database for one command, checkpointed and closed afterwards."""
    store = open_db(args)
    try:
        yield store
    finally:
        store.close()
