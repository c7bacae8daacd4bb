"""``strikeboard audit verify`` and ``strikeboard audit list``: the tamper-evident change log."""

import argparse
import json
import sys
from typing import TYPE_CHECKING

from strikeboard.cli.common import EXIT_INPUT, EXIT_OK, InputProblem, iso_date, opened, positive_number

if TYPE_CHECKING:
    from strikeboard.cli.common import Subcommands


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Walk the hash chain; exit 1 naming the first event that was changed or removed."""
    from strikeboard.services.audit import verify

    with opened(args) as store, store.read() as session:
        report = verify(session)
    if report.intact:
        print(f"{report.events} events, chain intact")
        if report.head:
            print(f"newest event {report.events}: hash {report.head}")
        return EXIT_OK
    print(
        f"audit chain broken at event {report.broken_seq}: {report.reason} "
        f"({report.events} events before it are intact).",
        file=sys.stderr,
    )
    return EXIT_INPUT


def cmd_audit_list(args: argparse.Namespace) -> int:
    """List events newest first, filtered by table, record, actor and local day."""
    from strikeboard.services.audit import AuditFilter, list_events
    from strikeboard.services.errors import ValidationError
    from strikeboard.services.settings import load_settings

    with opened(args) as store, store.read() as session:
        zone = load_settings(session).zone
        query = AuditFilter(
            table=args.table or "",
            record=args.record or "",
            actor=args.actor or "",
            day=args.day,
            zone=str(zone),
            limit=args.limit,
        )
        try:
            rows = list_events(session, query)
        except ValidationError as error:
            raise InputProblem(error.message) from None
    if args.json:
        json.dump([row.as_json() for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return EXIT_OK
    for row in rows:
        when = row.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
        who = row.actor or "(nobody named)"
        record = row.record_id[:8] if row.record_id else "-"
        print(f"{row.seq:>7}  {when}  {who}  {row.action} {row.table_name} {record}  {row.summary()}")
    if not rows:
        print("no audit events match", file=sys.stderr)
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """Add ``audit verify`` and ``audit list``."""
    audit = sub.add_parser("audit", help="the change log: who changed what, and a tamper check")
    commands = audit.add_subparsers(title="audit commands", metavar="COMMAND", required=True)

    check = commands.add_parser("verify", help="check that no audit event was changed or removed")
    check.set_defaults(func=cmd_audit_verify)

    listing = commands.add_parser("list", help="list changes, newest first")
    listing.add_argument("--table", metavar="T", help="only this table (member, shift, check_in, grievance…)")
    listing.add_argument("--record", metavar="ID", help="only this record (its id or first characters)")
    listing.add_argument("--actor", metavar="NAME", help="only changes by people whose name contains NAME")
    listing.add_argument("--day", metavar="YYYY-MM-DD", type=iso_date, help="only this day (strike's zone)")
    listing.add_argument(
        "--limit", metavar="N", type=positive_number, default=50, help="at most N events (default 50)"
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of lines")
    listing.set_defaults(func=cmd_audit_list)
