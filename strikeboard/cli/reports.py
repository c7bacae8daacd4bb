"""Hours, credits, incidents and picket exports from the command line.

- ``report hours --week D -o FILE``: the hours & eligibility CSV for the pay week holding D.
- ``credit add|void|list``: credit alternative duty or an excused absence (with the approver),
  void one, list them with their ids.
- ``incidents log|list|export``: what happened at the gates.
- ``export signin-sheet|ical``: a gate's sign-in sheet for a day (CSV, text or HTML for
  printing), and a member's or a gate's shifts as an iCalendar file.

Bad input is one sentence and exit code 1 (a record that does not exist, a rule broken)
or 2 (a malformed option); nothing is written then.
"""

import argparse
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from strikeboard.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    InputProblem,
    actor,
    iso_date,
    log_export,
    opened,
)
from strikeboard.cli.signin import find_gate, find_member, parse_time, strike_zone

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sqlmodel import Session

    from strikeboard.cli.common import Subcommands
    from strikeboard.services.incidents import IncidentRow

SHEET_FORMATS = ("csv", "txt", "html")
#: As :class:`~strikeboard.store.models.CreditKind` and ``IncidentCategory`` (spelled out here so
#: that ``--help`` imports no database code; a test keeps them equal).
CREDIT_KINDS = ("alternative_duty", "excused_absence")
INCIDENT_CATEGORIES = ("vehicle", "police", "threat", "employer_filming", "injury", "other")


def _uuid(text: str) -> uuid.UUID:
    """An argparse type: a record id."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an id: copy it from a listing") from None


def _hours(text: str) -> float:
    """An argparse type: a number of hours."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of hours, e.g. 4 or 3.5") from None


def _output(args: argparse.Namespace) -> Path:
    """``-o FILE``, refused before any work when it cannot be written."""
    out = Path(args.output)
    if out.is_dir():
        raise CliError(f"-o {out} is a directory: give a file name.")
    if not out.parent.is_dir():
        raise CliError(f"-o: the folder {out.parent} does not exist.")
    if out.exists() and not args.force:
        raise InputProblem(f"{out} already exists: choose another name, or add --force to replace it.")
    return out


def _exists(out: Path) -> InputProblem:
    return InputProblem(f"{out} already exists: choose another name, or add --force to replace it.")


def _days(args: argparse.Namespace) -> None:
    if args.since and args.until and args.until < args.since:
        raise CliError("--to is before --from: swap them.")


def cmd_report_hours(args: argparse.Namespace) -> int:
    """Write the hours & eligibility report for a week."""
    from datetime import timedelta

    from strikeboard.services.settings import load_settings
    from strikeboard.services.shift_exports import write_hours_report

    out = _output(args)
    with opened(args) as store, store.read() as session:
        settings = load_settings(session)
        try:
            start, count = write_hours_report(session, out, args.week, settings, overwrite=args.force)
        except FileExistsError:
            raise _exists(out) from None
        log_export(store, what="hours report", path=out, rows=count)
    last = start + timedelta(days=6)
    print(f"wrote {count} members' hours for the week {start.isoformat()} to {last.isoformat()} to {out}")
    return EXIT_OK


def cmd_credit_add(args: argparse.Namespace) -> int:
    """Credit hours to a member."""
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.hours import add_credit

    with opened(args) as store, store.write() as session:
        member = find_member(session, args.member)
        try:
            credit_id = add_credit(
                session,
                member_id=member.id,
                on_date=args.date,
                hours=args.hours,
                kind=args.kind,
                approved_by=args.approved_by,
                description=args.description or "",
            )
        except (ValidationError, NotFound) as exc:
            raise InputProblem(str(exc)) from None
    print(
        f"credited {args.hours:g} h of {args.kind.replace('_', ' ')} to {member.member_number} on {args.date}"
    )
    print(f"credit id: {credit_id}")
    return EXIT_OK


def cmd_credit_void(args: argparse.Namespace) -> int:
    """Void a credit."""
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.hours import void_credit

    with opened(args) as store, store.write() as session:
        try:
            void_credit(session, args.id, by=args.by or actor(), reason=args.reason or "")
        except (ValidationError, NotFound) as exc:
            raise InputProblem(str(exc)) from None
    print(f"voided credit {args.id}")
    return EXIT_OK


def cmd_credit_list(args: argparse.Namespace) -> int:
    """Print credits, by date."""
    from strikeboard.services.hours import list_credits

    _days(args)
    with opened(args) as store, store.read() as session:
        member = find_member(session, args.member) if args.member else None
        rows = list_credits(
            session, member_id=member.id if member else None, first_day=args.since, last_day=args.until
        )
    for row in rows:
        what = row.kind.replace("_", " ") + (f" ({row.description})" if row.description else "")
        void = f"  VOIDED by {row.voided_by}" if row.voided_by else ""
        print(
            f"{row.on_date}  {row.member_number} {row.name}  {row.hours:g} h {what}, "
            f"approved by {row.approved_by}{void}  id {row.id}"
        )
    print(f"{len(rows)} credit{'s' if len(rows) != 1 else ''}")
    return EXIT_OK


def cmd_incidents_log(args: argparse.Namespace) -> int:
    """Log an incident at a gate."""
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.incidents import log_incident
    from strikeboard.store.models import utcnow

    with opened(args) as store, store.write() as session:
        zone = strike_zone(session)
        now = utcnow()
        at = parse_time(args.at, zone, now)
        gate = find_gate(session, args.location)
        try:
            incident_id = log_incident(
                session,
                location_id=gate.id,
                occurred_at=at,
                category=args.category,
                description=args.description,
                reported_by=args.reporter or actor(),
                now=now,
                shift_id=args.shift,
            )
        except (ValidationError, NotFound) as exc:
            raise InputProblem(str(exc)) from None
    print(f"logged incident {incident_id} at {gate.name}, {at.astimezone(zone).strftime('%a %d %b %H:%M')}")
    return EXIT_OK


def _incidents(args: argparse.Namespace, session: "Session") -> "tuple[list[IncidentRow], ZoneInfo]":
    from strikeboard.services.errors import ValidationError
    from strikeboard.services.incidents import list_incidents

    _days(args)
    zone = strike_zone(session)
    gate = find_gate(session, args.location) if args.location else None
    try:
        rows = list_incidents(
            session,
            zone=zone,
            location_id=gate.id if gate else None,
            first_day=args.since,
            last_day=args.until,
            categories=tuple(args.category or ()),
        )
    except ValidationError as exc:
        raise CliError(str(exc)) from None
    return rows, zone


def cmd_incidents_list(args: argparse.Namespace) -> int:
    """Print incidents, oldest first."""
    with opened(args) as store, store.read() as session:
        rows, zone = _incidents(args, session)
    for row in rows:
        when = row.occurred_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        text = " ".join(row.description.split())
        print(f"{when}  {row.location}  {row.category}  {text}  (reported by {row.reported_by})")
    print(f"{len(rows)} incident{'s' if len(rows) != 1 else ''}")
    return EXIT_OK


def cmd_incidents_export(args: argparse.Namespace) -> int:
    """Write incidents to a CSV file."""
    from strikeboard.services.shift_exports import write_incidents

    out = _output(args)
    with opened(args) as store, store.read() as session:
        rows, zone = _incidents(args, session)
        try:
            count = write_incidents(out, rows, zone, overwrite=args.force)
        except FileExistsError:
            raise _exists(out) from None
        log_export(store, what="incident", path=out, rows=count)
    print(f"wrote {count} incidents to {out}")
    return EXIT_OK


def cmd_export_signin_sheet(args: argparse.Namespace) -> int:
    """Write a gate's sign-in sheet for a day (or one shift)."""
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.shift_exports import signin_sheet, write_signin_sheet

    out = _output(args)
    suffix = out.suffix.lstrip(".").casefold()
    fmt = args.format or (suffix if suffix in SHEET_FORMATS else "csv")
    with opened(args) as store, store.read() as session:
        zone = strike_zone(session)
        gate = find_gate(session, args.location)
        try:
            sheet = signin_sheet(session, location_id=gate.id, day=args.date, zone=zone, shift_id=args.shift)
            write_signin_sheet(out, sheet, fmt, overwrite=args.force)
        except (ValidationError, NotFound) as exc:
            raise InputProblem(str(exc)) from None
        except FileExistsError:
            raise _exists(out) from None
        people = sum(len(shift.lines) for shift in sheet.shifts)
        log_export(store, what="sign-in sheet", path=out, rows=people)
    shifts = f"{len(sheet.shifts)} shifts, {people} people"
    print(f"wrote the {fmt} sign-in sheet of {gate.name} for {sheet.day} ({shifts}) to {out}")
    return EXIT_OK


def cmd_export_ical(args: argparse.Namespace) -> int:
    """Write a member's or a gate's shifts as an iCalendar file."""
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.roster import display_name
    from strikeboard.services.shift_exports import shifts_ical, write_private
    from strikeboard.store.models import utcnow

    _days(args)
    out = _output(args)
    with opened(args) as store, store.read() as session:
        zone = strike_zone(session)
        member = find_member(session, args.member) if args.member else None
        gate = find_gate(session, args.location) if args.location else None
        name = (
            f"Picket shifts: {display_name(member.first_name, member.last_name, member.preferred_name)}"
            if member
            else f"Picket shifts: {gate.name}"
            if gate
            else ""
        )
        try:
            data, count = shifts_ical(
                session,
                zone=zone,
                now=utcnow(),
                member_id=member.id if member else None,
                location_id=gate.id if gate else None,
                first_day=args.since,
                last_day=args.until,
                calendar_name=name,
            )
        except (ValidationError, NotFound) as exc:
            raise InputProblem(str(exc)) from None
        try:
            write_private(out, data, overwrite=args.force)
        except FileExistsError:
            raise _exists(out) from None
        log_export(store, what="shift calendar", path=out, rows=count)
    print(f"wrote {count} shifts to {out}")
    return EXIT_OK


def _group(sub: "Subcommands", name: str, what: str) -> "Subcommands":
    group = sub.add_parser(name, help=what)

    def usage(_args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return EXIT_USAGE

    group.set_defaults(func=usage)
    return group.add_subparsers(title=f"{name} commands", metavar="COMMAND")


def _file_options(cmd: argparse.ArgumentParser, what: str) -> None:
    cmd.add_argument("-o", "--output", required=True, metavar="FILE", help=what)
    cmd.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _day_range(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--from", dest="since", type=iso_date, metavar="YYYY-MM-DD", help="first local day")
    cmd.add_argument(
        "--to", dest="until", type=iso_date, metavar="YYYY-MM-DD", help="last local day (inclusive)"
    )


def register(sub: "Subcommands") -> None:
    """The ``report``, ``credit``, ``incidents`` and ``export`` command groups."""
    report = _group(sub, "report", "reports: hours & strike-pay eligibility")
    hours = report.add_parser(
        "hours",
        help="write the hours & eligibility CSV for a week",
        description="One row per member: each day's hours, the week's counted hours and eligible / short "
        "by N hours / not eligible under the strike-pay rule (strikeboard settings).",
    )
    hours.add_argument(
        "--week", required=True, type=iso_date, metavar="YYYY-MM-DD", help="any day of the pay week"
    )
    _file_options(hours, "CSV file to write")
    hours.set_defaults(func=cmd_report_hours)

    credit = _group(sub, "credit", "credit hours for alternative duty or an excused absence")
    add = credit.add_parser("add", help="credit hours to a member (with who approved them)")
    add.add_argument("member", metavar="MEMBER", help="member number, exact email or phone")
    add.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="the day credited")
    add.add_argument("--hours", required=True, type=_hours, metavar="H", help="hours, e.g. 4 or 3.5")
    add.add_argument("--kind", required=True, choices=CREDIT_KINDS)
    add.add_argument("--approved-by", required=True, metavar="NAME", help="who approved it")
    add.add_argument("--description", metavar="TEXT", help="e.g. phone banking")
    add.set_defaults(func=cmd_credit_add)
    void = credit.add_parser("void", help="cancel a credit (a void record keeps who and why)")
    void.add_argument("id", type=_uuid, metavar="ID", help="the credit's id")
    void.add_argument("--reason", metavar="TEXT", help="why it is voided")
    void.add_argument("--by", metavar="NAME", help="who voids it (default: cli:USER)")
    void.set_defaults(func=cmd_credit_void)
    listing = credit.add_parser("list", help="print credits (with their ids), by date")
    listing.add_argument("--member", metavar="MEMBER", help="only this member (number, email or phone)")
    _day_range(listing)
    listing.set_defaults(func=cmd_credit_list)

    incidents = _group(sub, "incidents", "log, list and export incidents at the gates")
    log = incidents.add_parser("log", help="log an incident at a gate")
    log.add_argument("--location", required=True, metavar="GATE", help="the gate's name")
    log.add_argument("--category", required=True, choices=INCIDENT_CATEGORIES)
    log.add_argument("--description", required=True, metavar="TEXT", help="what happened")
    log.add_argument("--at", metavar="TIME", help="HH:MM today, or YYYY-MM-DD HH:MM (default: now)")
    log.add_argument("--shift", type=_uuid, metavar="ID", help="the shift (default: the one running then)")
    log.add_argument("--reporter", metavar="NAME", help="who reports it (default: cli:USER)")
    log.set_defaults(func=cmd_incidents_log)
    for name, func in (("list", cmd_incidents_list), ("export", cmd_incidents_export)):
        cmd = incidents.add_parser(
            name, help="print incidents" if name == "list" else "write incidents to CSV"
        )
        cmd.add_argument("--location", metavar="GATE", help="only this gate")
        _day_range(cmd)
        cmd.add_argument("--category", action="append", choices=INCIDENT_CATEGORIES, help="repeatable")
        if name == "export":
            _file_options(cmd, "CSV file to write")
        cmd.set_defaults(func=func)

    export = _group(sub, "export", "export sign-in sheets and shift calendars")
    sheet = export.add_parser(
        "signin-sheet",
        help="a gate's sign-in sheet for a day (csv, or txt/html to print)",
        description="Everyone assigned or signed in, with times and hours, a signature column and "
        "blank lines for walk-ins under each shift.",
    )
    sheet.add_argument("--location", required=True, metavar="GATE", help="the gate's name")
    sheet.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help="the local day")
    sheet.add_argument("--shift", type=_uuid, metavar="ID", help="only this shift")
    sheet.add_argument("--format", choices=SHEET_FORMATS, help="default: from FILE's extension, else csv")
    _file_options(sheet, "file to write")
    sheet.set_defaults(func=cmd_export_signin_sheet)
    ical = export.add_parser("ical", help="a member's or a gate's shifts as an .ics calendar")
    who = ical.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", metavar="MEMBER", help="member number, exact email or phone")
    who.add_argument("--location", metavar="GATE", help="the gate's name")
    _day_range(ical)
    _file_options(ical, ".ics file to write")
    ical.set_defaults(func=cmd_export_ical)
