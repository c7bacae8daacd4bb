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
    from sqlmodel import Session

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


# --------------------------------------------------------------------------- grievances


def _grievance_today(args: argparse.Namespace, session: "Session") -> date:
    """``--today``, else the current date in the strike's time zone."""
    if args.today is not None:
        today: date = args.today
        return today
    from datetime import datetime

    from strikeboard.services.settings import load_settings

    return datetime.now(load_settings(session).zone).date()


def _input_problem(exc: Exception) -> int:
    print(f"strikeboard: {exc}", file=sys.stderr)
    return EXIT_INPUT


def cmd_grievances_list(args: argparse.Namespace) -> int:
    """Print the grievances by next deadline (a table, or JSON with ``--json``)."""
    import json

    from strikeboard.services.grievances import list_grievances

    store = _open(args)
    try:
        with store.read() as session:
            today = _grievance_today(args, session)
            rows = list_grievances(
                session,
                today,
                statuses=args.status or None,
                steward=args.steward,
                due_within=args.due_within,
                overdue=args.overdue,
            )
    finally:
        store.close()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "number": r.number,
                        "step": r.step,
                        "status": r.status,
                        "next_deadline": r.next_deadline.isoformat() if r.next_deadline else None,
                        "days_left": r.days_left,
                        "due": r.next_deadline_label,
                        "steward": r.steward,
                        "grievants": list(r.grievants),
                        "is_class": r.is_class,
                        "employer": r.employer,
                    }
                    for r in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    header = ("NUMBER", "STEP", "STATUS", "NEXT DEADLINE", "DAYS LEFT", "DUE", "STEWARD", "GRIEVANT")
    table = [header] + [
        (
            r.number,
            r.step,
            r.status,
            r.next_deadline.isoformat() if r.next_deadline else "-",
            "-" if r.days_left is None else str(r.days_left),
            r.next_deadline_label or "-",
            r.steward or "-",
            ("class" if r.is_class and not r.grievants else ", ".join(r.grievants)) or "-",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print(f"{len(rows)} grievance{'s' if len(rows) != 1 else ''} (today {today.isoformat()})")
    return EXIT_OK


def cmd_grievances_show(args: argparse.Namespace) -> int:
    """Print one case and its timeline."""
    from strikeboard.services.errors import NotFound
    from strikeboard.services.grievances import get_grievance

    store = _open(args)
    try:
        with store.read() as session:
            today = _grievance_today(args, session)
            try:
                case = get_grievance(session, args.number, today)
            except NotFound as exc:
                return _input_problem(exc)
    finally:
        store.close()
    grievants = "class grievance" if case.is_class else ", ".join(name for _, name in case.grievants)
    lines = [
        f"{case.number}  {case.status.replace('_', ' ')}, {case.step}"
        + ("  (discipline)" if case.is_discipline else ""),
        f"Grievant(s): {grievants or '-'}",
        f"Employer:    {case.employer or '-'}  /  {case.unit or '-'}",
        f"Articles:    {case.articles or '-'}",
        f"Steward:     {case.steward_name or '-'}",
        f"Incident:    {case.incident_date.isoformat()}"
        + (f"  learned {case.learned_date.isoformat()}" if case.learned_date else "")
        + (f"  filed {case.filed_date.isoformat()}" if case.filed_date else ""),
        f"Summary:     {case.summary}",
        f"Remedy:      {case.remedy or '-'}",
    ]
    if case.next_deadline is not None:
        d = case.next_deadline
        state = (
            "OVERDUE" if d.days_left < 0 else f"{d.days_left} days, {d.working_days_left} working days left"
        )
        lines.append(f"Next:        {d.label} by {d.due.isoformat()} ({state})")
    if case.employer_late and case.next_step:
        lines.append(f"The employer's answer is late: the union may advance to {case.next_step}.")
    lines.append("")
    lines.append("Timeline:")
    for e in case.events:
        extra = [
            f"deadline {e.deadline.isoformat()}" if e.deadline else "",
            e.outcome,
            f"agreed by {e.agreed_by}" if e.agreed_by else "",
            e.document,
            e.notes,
        ]
        detail = "; ".join(part for part in extra if part)
        lines.append(
            f"  {e.occurred_on.isoformat()}  {e.kind:<9} {e.step:<11} {detail}".rstrip()
            + (f"  [{e.recorded_by}]" if e.recorded_by else "")
        )
    if case.info_requests:
        lines.append("")
        lines.append("Information requests:")
        for r in case.info_requests:
            state = (
                f"received {r.received_on.isoformat()}"
                if r.received_on
                else ("OVERDUE" if r.overdue else "pending")
            )
            lines.append(
                f"  {r.requested_on.isoformat()}  due {r.due_on.isoformat()}  {state}  {r.description}"
            )
    print("\n".join(lines))
    return EXIT_OK


def cmd_grievances_export(args: argparse.Namespace) -> int:
    """Write the grievances (or their events) to a CSV file."""
    from strikeboard.services.grievance_export import export_grievances

    out = Path(args.output)
    if out.is_dir():
        raise CliError(f"-o {out} is a directory: give a file name, e.g. {out / 'grievances.csv'}.")
    if not out.parent.is_dir():
        raise CliError(f"-o: the folder {out.parent} does not exist.")
    if out.exists() and not args.force:
        return _input_problem(
            Exception(f"{out} already exists: choose another name, or add --force to replace it.")
        )
    store = _open(args)
    try:
        with store.read() as session:
            today = _grievance_today(args, session)
            try:
                count = export_grievances(
                    session, out, today, events=args.events, excel=args.excel, overwrite=args.force
                )
            except FileExistsError:
                return _input_problem(Exception(f"{out} already exists: add --force to replace it."))
    finally:
        store.close()
    what = "events" if args.events else "grievances"
    print(f"wrote {count} {what} to {out}")
    print(
        "This file holds personal data about members: keep it private and delete it when done.",
        file=sys.stderr,
    )
    return EXIT_OK


def _add_grievances(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The ``grievances`` command group: list, show, export."""
    group = sub.add_parser("grievances", help="list, show and export grievances")

    def usage(_args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return EXIT_USAGE

    group.set_defaults(func=usage)
    commands = group.add_subparsers(title="grievance commands", metavar="COMMAND")
    today_help = "the date to count deadlines from, YYYY-MM-DD (default: today in the strike's time zone)"

    listing = commands.add_parser("list", help="open grievances by next deadline")
    listing.add_argument("--overdue", action="store_true", help="only cases whose deadline has passed")
    listing.add_argument(
        "--due-within",
        type=_int,
        metavar="DAYS",
        help="only deadlines at most DAYS working days away (overdue included)",
    )
    listing.add_argument("--steward", metavar="NAME", help="only cases of this steward (part of the name)")
    listing.add_argument(
        "--status",
        action="append",
        choices=("open", "in_arbitration", "settled", "withdrawn", "won", "lost"),
        help="only this status (repeatable; default: open and in arbitration)",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument("--today", type=_iso_date, help=today_help)
    listing.set_defaults(func=cmd_grievances_list)

    show = commands.add_parser("show", help="one case and its timeline")
    show.add_argument("number", metavar="NUMBER", help="the case number, e.g. G-2026-0042")
    show.add_argument("--today", type=_iso_date, help=today_help)
    show.set_defaults(func=cmd_grievances_show)

    export = commands.add_parser("export", help="write every case (or every event) to a CSV file")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="CSV file to write")
    export.add_argument("--events", action="store_true", help="export the events (timelines) instead")
    export.add_argument("--excel", action="store_true", help="add a byte-order mark so Excel reads UTF-8")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument("--today", type=_iso_date, help=today_help)
    export.set_defaults(func=cmd_grievances_export)


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

    _add_grievances(sub)
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
