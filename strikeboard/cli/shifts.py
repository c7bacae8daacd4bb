"""``strikeboard shifts``: create one-off shifts and series, list, cancel, assign and unassign.

Times are the strike's local wall-clock times (``strikeboard settings`` sets the zone).
A slot ending before it starts needs ``--overnight``; an end of ``00:00`` or ``24:00``
means midnight. Shifts are named by the ID column of ``shifts list`` (or a longer
beginning of the id). Cancelling never happens without ``--yes``: without it, the
command prints what would be cancelled and who is assigned, and exits 1.
"""

import argparse
import re
import sys
import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from strikeboard.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    InputProblem,
    actor,
    iso_date,
    opened,
    whole_number,
)

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from sqlmodel import Session

    from strikeboard.cli.common import Subcommands
    from strikeboard.services.shift_plan import Affected, Scope

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_WORDS = {
    "weekdays": (0, 1, 2, 3, 4),
    "weekends": (5, 6),
    "daily": tuple(range(7)),
    "all": tuple(range(7)),
}
_SLOT = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*$")

#: Service field → the flag to name in messages.
FLAG_OF = {
    "location": "--location",
    "location_ids": "--location",
    "first_day": "--from",
    "last_day": "--to",
    "to": "--to",
    "weekdays": "--weekdays",
    "rrule": "--rrule",
    "slots": "--time",
    "start": "--time",
    "end": "--time",
    "min_headcount": "--min",
    "max_headcount": "--max",
    "roles_needed": "--role",
    "role": "--role",
}


def parse_slot(text: str, *, overnight: bool) -> tuple[time, time]:
    """``"06:00-10:00"`` → ``(time(6), time(10))``; raises ``CliError`` naming ``--time``."""
    match = _SLOT.match(text)
    example = "write it as HH:MM-HH:MM, e.g. --time 06:00-10:00"
    if not match:
        raise CliError(f"--time {text!r}: {example}.")
    sh, sm, eh, em = (int(part or 0) for part in match.groups())
    if eh == 24 and em == 0:
        eh = 0
    if sh > 23 or eh > 23 or sm > 59 or em > 59:
        raise CliError(f"--time {text!r}: hours go from 00 to 23 and minutes from 00 to 59; {example}.")
    start, end = time(sh, sm), time(eh, em)
    if start == end:
        raise CliError(f"--time {text!r}: the shift ends when it starts; give a later end time.")
    if end < start and end != time(0) and not overnight:
        raise CliError(
            f"--time {text!r}: the end is before the start; add --overnight if the shift runs past midnight."
        )
    return start, end


def parse_weekdays(text: str) -> tuple[int, ...]:
    """``"mon-fri"``, ``"mon,wed,fri"``, ``"sat-sun"``, ``"weekdays"`` → weekday numbers (0 = Monday)."""
    result: list[int] = []
    words = [word.strip().casefold() for word in text.split(",")]
    problem = f"--weekdays {text!r}: use day names like mon-fri, mon,wed,fri or weekdays/weekends/daily."
    for word in words:
        if word in DAY_WORDS:
            result.extend(DAY_WORDS[word])
            continue
        first, sep, last = word.partition("-")
        try:
            lo = DAY_NAMES.index(first.strip()[:3]) if len(first.strip()) >= 3 else -1
            hi = DAY_NAMES.index(last.strip()[:3]) if sep and len(last.strip()) >= 3 else lo
        except ValueError:
            raise CliError(problem) from None
        if lo < 0 or hi < 0:
            raise CliError(problem)
        span = range(lo, hi + 1) if lo <= hi else [*range(lo, 7), *range(0, hi + 1)]
        result.extend(span)
    if not result:
        raise CliError(problem)
    return tuple(sorted(set(result)))


def _zone(session: "Session") -> "ZoneInfo":
    from strikeboard.services.settings import load_settings

    return load_settings(session).zone


def _problem(exc: Exception, *, written: bool = True) -> InputProblem:
    """A service error as a CLI problem, naming the flag when the service named a field."""
    from strikeboard.services.errors import ValidationError

    tail = " Nothing was changed." if written else ""
    if isinstance(exc, ValidationError) and exc.field in FLAG_OF:
        return InputProblem(f"{FLAG_OF[exc.field]}: {exc}{tail}")
    return InputProblem(f"{exc}{tail}")


def _when(starts: datetime, ends: datetime, zone: "ZoneInfo") -> str:
    start, end = starts.astimezone(zone), ends.astimezone(zone)
    next_day = "+1" if end.date() != start.date() else ""
    return f"{start:%a %Y-%m-%d %H:%M}–{end:%H:%M}{next_day}"


def cmd_shifts_create(args: argparse.Namespace) -> int:
    """Create one shift, or a series (several days, times or locations)."""
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.locations import find_location, list_locations
    from strikeboard.services.shift_plan import SeriesForm, ShiftForm, create_series, create_shift

    if not args.location and not args.all_gates:
        raise CliError("--location: name at least one location (repeat --location), or give --all-gates.")
    if args.location and args.all_gates:
        raise CliError("--all-gates: give either --location or --all-gates, not both.")
    if args.weekdays and args.rrule:
        raise CliError("--rrule: give either --weekdays or --rrule, not both.")
    slots = tuple(parse_slot(text, overnight=args.overnight) for text in args.time)
    weekdays = parse_weekdays(args.weekdays) if args.weekdays else tuple(range(7))
    last = args.to or args.start
    common: dict[str, Any] = {
        "min_headcount": args.min,
        "max_headcount": args.max,
        "captain_needed": args.captain,
        "roles_needed": tuple(args.role or ()),
        "notes": args.notes or "",
    }
    try:
        with opened(args) as store, store.write() as session:
            zone = _zone(session)
            if args.all_gates:
                gates = list_locations(session)
                if not gates:
                    raise InputProblem("--all-gates: there are no active locations; add one first.")
            else:
                gates = [find_location(session, text) for text in args.location]
            names = ", ".join(dict.fromkeys(gate.name for gate in gates))
            one_off = len(gates) == 1 and len(slots) == 1 and args.to is None and not args.rrule
            if one_off and (not args.weekdays or args.start.weekday() in weekdays):
                start, end = slots[0]
                create_shift(
                    session, ShiftForm(gates[0].id, args.start, start, end, **common), zone, by=actor()
                )
                print(f"created 1 shift at {names} on {args.start.isoformat()} {start:%H:%M}-{end:%H:%M}")
                return EXIT_OK
            form = SeriesForm(
                location_ids=tuple(gate.id for gate in gates),
                first_day=args.start,
                last_day=last,
                weekdays=weekdays,
                slots=slots,
                rrule=args.rrule,
                **common,
            )
            created = create_series(session, form, zone, by=actor())
    except (NotFound, ValidationError) as exc:
        raise _problem(exc) from None
    print(
        f"created {created.count} shift{'s' if created.count != 1 else ''} at {names} "
        f"from {args.start.isoformat()} to {last.isoformat()} (series {created.series_id.hex[:8]})"
    )
    return EXIT_OK


def cmd_shifts_list(args: argparse.Namespace) -> int:
    """Print the shifts of a date range (a table, or JSON with ``--json``)."""
    import json

    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.locations import find_location
    from strikeboard.services.shift_plan import list_planned, short_id

    try:
        with opened(args) as store, store.read() as session:
            zone = _zone(session)
            first: date = args.start or datetime.now(zone).date()
            last: date = args.to or first + timedelta(days=6)
            location_id = find_location(session, args.location).id if args.location else None
            rows = list_planned(
                session, first, last, zone, location_id=location_id, include_cancelled=not args.active
            )
    except (NotFound, ValidationError) as exc:
        raise _problem(exc, written=False) from None
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": str(r.id),
                        "series_id": str(r.series_id) if r.series_id else None,
                        "location": r.location,
                        "starts_at": r.starts_at.astimezone(zone).isoformat(),
                        "ends_at": r.ends_at.astimezone(zone).isoformat(),
                        "min_headcount": r.min_headcount,
                        "max_headcount": r.max_headcount,
                        "assigned": r.assigned,
                        "captain_needed": r.captain_needed,
                        "captain_assigned": r.captain_assigned,
                        "roles_needed": list(r.roles_needed),
                        "notes": r.notes,
                        "cancelled": r.cancelled,
                    }
                    for r in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    from rich.cells import cell_len

    def status(r: Any) -> str:
        if r.cancelled:
            return "cancelled"
        if r.assigned < r.min_headcount:
            return "short"
        if r.captain_needed and not r.captain_assigned:
            return "no captain"
        return "full" if r.assigned >= r.max_headcount else "ok"

    header = ("ID", "WHEN", "LOCATION", "ASSIGNED", "NEEDED", "CAPTAIN", "ROLES", "STATUS")
    table = [header] + [
        (
            short_id(r.id),
            _when(r.starts_at, r.ends_at, zone),
            r.location,
            str(r.assigned),
            f"{r.min_headcount}-{r.max_headcount}",
            ("yes" if r.captain_assigned else "needed") if r.captain_needed else "-",
            ", ".join(r.roles_needed) or "-",
            status(r),
        )
        for r in rows
    ]
    widths = [max(cell_len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = (cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print(f"{len(rows)} shift{'s' if len(rows) != 1 else ''} from {first.isoformat()} to {last.isoformat()}")
    return EXIT_OK


def cmd_shifts_cancel(args: argparse.Namespace) -> int:
    """Cancel a shift (or it and the rest of its series); without --yes, only say what would happen."""
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.shift_plan import affected_by_cancel, cancel_shift, find_shift

    scope: Scope = "following" if args.following else "one"
    try:
        with opened(args) as store, store.write() as session:
            zone = _zone(session)
            shift_id = find_shift(session, args.shift)
            affected = affected_by_cancel(session, shift_id, scope=scope)
            if not args.yes:
                _preview(session, shift_id, scope, affected, zone)
                return EXIT_INPUT
            count = cancel_shift(session, shift_id, scope=scope, by=actor(), zone=zone)
    except (NotFound, ValidationError) as exc:
        raise _problem(exc) from None
    people = f"; {len(affected)} assignment{'s' if len(affected) != 1 else ''} cancelled" if affected else ""
    print(f"cancelled {count} shift{'s' if count != 1 else ''}{people}")
    for person in affected:
        print(
            f"  tell {person.name}: {person.location}, {person.starts_at.astimezone(zone):%a %Y-%m-%d %H:%M}"
        )
    return EXIT_OK


def _preview(
    session: "Session", shift_id: uuid.UUID, scope: "Scope", affected: "list[Affected]", zone: "ZoneInfo"
) -> None:
    """Print what ``cancel`` would do, and that nothing was done."""
    from strikeboard.services.shift_plan import shifts_in_scope

    count = len(shifts_in_scope(session, shift_id, scope=scope))
    print(f"This would cancel {count} shift{'s' if count != 1 else ''}.")
    if affected:
        print(f"{len(affected)} assigned {'person' if len(affected) == 1 else 'people'} would be taken off:")
        for person in affected:
            print(
                f"  {person.name}: {person.location}, {person.starts_at.astimezone(zone):%a %Y-%m-%d %H:%M}"
            )
    else:
        print("Nobody is assigned.")
    print("Nothing was cancelled: run again with --yes to cancel.", file=sys.stderr)


def cmd_shifts_assign(args: argparse.Namespace) -> int:
    """Put a member on a shift by hand; print the warnings."""
    from strikeboard.services.assignments import assign, find_member
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.shift_plan import find_shift

    try:
        with opened(args) as store, store.write() as session:
            zone = _zone(session)
            shift_id = find_shift(session, args.shift)
            member = find_member(session, args.member)
            done = assign(session, shift_id, member.id, role=args.role, by=actor(), zone=zone)
    except (NotFound, ValidationError) as exc:
        raise _problem(exc) from None
    print(f"assigned {done.name} ({member.member_number}) as {args.role}")
    for warning in done.warnings:
        print(f"warning: {warning}")
    return EXIT_OK


def cmd_shifts_unassign(args: argparse.Namespace) -> int:
    """Take a member off a shift."""
    from strikeboard.services.assignments import find_member, unassign
    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.shift_plan import find_shift

    try:
        with opened(args) as store, store.write() as session:
            shift_id = find_shift(session, args.shift)
            member = find_member(session, args.member)
            unassign(session, shift_id, member.id, by=actor())
    except (NotFound, ValidationError) as exc:
        raise _problem(exc) from None
    print(f"unassigned member {member.member_number}")
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """The ``shifts`` command group: create, list, cancel, assign, unassign."""
    group = sub.add_parser("shifts", help="picket shifts: create (one-off or series), list, cancel, assign")

    def usage(_args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return EXIT_USAGE

    group.set_defaults(func=usage)
    commands = group.add_subparsers(title="shift commands", metavar="COMMAND")

    create = commands.add_parser(
        "create",
        help="create a shift, or a series over days, times and locations",
        description="One location, one --time and no --to make a single shift; anything more makes a "
        "series (every day from --from to --to unless --weekdays or --rrule says otherwise), "
        "created all or nothing. Times are local to the strike's time zone and stay put across "
        "daylight-saving changes.",
    )
    create.add_argument("--location", action="append", metavar="GATE", help="a location name (repeatable)")
    create.add_argument("--all-gates", action="store_true", help="every active location")
    create.add_argument(
        "--from", dest="start", type=iso_date, required=True, metavar="DATE", help="first day"
    )
    create.add_argument("--to", type=iso_date, metavar="DATE", help="last day (default: the --from day)")
    create.add_argument(
        "--time", action="append", required=True, metavar="HH:MM-HH:MM", help="a time slot (repeatable)"
    )
    create.add_argument("--overnight", action="store_true", help="allow slots that end the next day")
    create.add_argument(
        "--weekdays", metavar="DAYS", help="e.g. mon-fri, mon,wed,fri, weekends (default: daily)"
    )
    create.add_argument("--rrule", metavar="RRULE", help="an RFC 5545 rule, e.g. FREQ=WEEKLY;BYDAY=MO,WE,FR")
    create.add_argument("--min", type=whole_number, default=2, metavar="N", help="minimum headcount (2)")
    create.add_argument("--max", type=whole_number, default=8, metavar="N", help="maximum headcount (8)")
    create.add_argument(
        "--captain", action=argparse.BooleanOptionalAction, default=True, help="a captain is needed (yes)"
    )
    create.add_argument(
        "--role", action="append", metavar="ROLE", help="a role needed, e.g. first_aid (repeatable)"
    )
    create.add_argument("--notes", metavar="TEXT", help="notes shown with the shift")
    create.set_defaults(func=cmd_shifts_create)

    listing = commands.add_parser("list", help="shifts by start time (default: the next 7 days)")
    listing.add_argument("--from", dest="start", type=iso_date, metavar="DATE", help="first day (today)")
    listing.add_argument("--to", type=iso_date, metavar="DATE", help="last day (6 days after --from)")
    listing.add_argument("--location", metavar="GATE", help="only this location")
    listing.add_argument("--active", action="store_true", help="leave out cancelled shifts")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(func=cmd_shifts_list)

    cancel = commands.add_parser(
        "cancel", help="cancel a shift (or the rest of its series); asks for --yes first"
    )
    cancel.add_argument("shift", metavar="SHIFT_ID", help="from the ID column of 'shifts list'")
    cancel.add_argument("--following", action="store_true", help="also the later shifts of its series")
    cancel.add_argument("--yes", action="store_true", help="really cancel (without it: show who is affected)")
    cancel.set_defaults(func=cmd_shifts_cancel)

    for name, func, text in (
        ("assign", cmd_shifts_assign, "put a member on a shift (warnings are printed, never block)"),
        ("unassign", cmd_shifts_unassign, "take a member off a shift"),
    ):
        cmd = commands.add_parser(name, help=text)
        cmd.add_argument("shift", metavar="SHIFT_ID", help="from the ID column of 'shifts list'")
        cmd.add_argument("member", metavar="MEMBER", help="member number or exact email")
        if name == "assign":
            cmd.add_argument(
                "--role", default="picketer", metavar="ROLE", help="picketer (default), captain, ..."
            )
        cmd.set_defaults(func=func)
