"""``strikeboard grievances``: list, show and export grievance cases."""

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from strikeboard.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    InputProblem,
    iso_date,
    log_export,
    opened,
    whole_number,
)

if TYPE_CHECKING:
    from sqlmodel import Session

    from strikeboard.cli.common import Subcommands


def _grievance_today(args: argparse.Namespace, session: "Session") -> date:
    """``--today``, else the current date in the strike's time zone."""
    if args.today is not None:
        today: date = args.today
        return today
    from datetime import datetime

    from strikeboard.services.settings import load_settings

    return datetime.now(load_settings(session).zone).date()


#: The furthest ``--due-within`` looks ahead (ten years of working days).
MAX_DUE_WITHIN = 2600


def cmd_grievances_list(args: argparse.Namespace) -> int:
    """Print the grievances by next deadline (a table, or JSON with ``--json``)."""
    import json

    from strikeboard.services.grievances import list_grievances

    if args.due_within is not None and args.due_within > MAX_DUE_WITHIN:  # far beyond any contract
        raise CliError(
            f"--due-within {args.due_within} is too far ahead: give at most {MAX_DUE_WITHIN} days."
        )
    with opened(args) as store, store.read() as session:
        today = _grievance_today(args, session)
        rows = list_grievances(
            session,
            today,
            statuses=args.status or None,
            steward=args.steward,
            due_within=args.due_within,
            overdue=args.overdue,
        )
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
    from rich.cells import cell_len  # terminal width of a name with emoji or CJK

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
    widths = [max(cell_len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = (cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print(f"{len(rows)} grievance{'s' if len(rows) != 1 else ''} (today {today.isoformat()})")
    return EXIT_OK


def cmd_grievances_show(args: argparse.Namespace) -> int:
    """Print one case and its timeline."""
    from strikeboard.services.errors import NotFound
    from strikeboard.services.grievances import get_grievance

    with opened(args) as store, store.read() as session:
        today = _grievance_today(args, session)
        try:
            case = get_grievance(session, args.number, today)
        except NotFound as exc:
            raise InputProblem(str(exc)) from None
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
    exists = f"{out} already exists: choose another name, or add --force to replace it."
    if out.exists() and not args.force:
        raise InputProblem(exists)
    with opened(args) as store, store.read() as session:
        today = _grievance_today(args, session)
        try:
            count = export_grievances(
                session, out, today, events=args.events, excel=args.excel, overwrite=args.force
            )
        except FileExistsError:  # created by someone else since the check above
            raise InputProblem(exists) from None
        log_export(store, what="grievance event" if args.events else "grievance", path=out, rows=count)
    what = "events" if args.events else "grievances"
    print(f"wrote {count} {what} to {out}")
    print(
        "This file holds personal data about members: keep it private and delete it when done.",
        file=sys.stderr,
    )
    return EXIT_OK


def register(sub: "Subcommands") -> None:
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
        type=whole_number,
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
    listing.add_argument("--today", type=iso_date, help=today_help)
    listing.set_defaults(func=cmd_grievances_list)

    show = commands.add_parser("show", help="one case and its timeline")
    show.add_argument("number", metavar="NUMBER", help="the case number, e.g. G-2026-0042")
    show.add_argument("--today", type=iso_date, help=today_help)
    show.set_defaults(func=cmd_grievances_show)

    export = commands.add_parser("export", help="write every case (or every event) to a CSV file")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="CSV file to write")
    export.add_argument("--events", action="store_true", help="export the events (timelines) instead")
    export.add_argument("--excel", action="store_true", help="add a byte-order mark so Excel reads UTF-8")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument("--today", type=iso_date, help=today_help)
    export.set_defaults(func=cmd_grievances_export)
