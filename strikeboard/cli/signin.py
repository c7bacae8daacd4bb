"""``strikeboard signin`` / ``signout``: sign a member in or out at a gate, as a captain would.

MEMBER is a member number, an exact email or a phone number; GATE is a location name (or
a unique start of one). ``--at`` is ``HH:MM`` (today), ``YYYY-MM-DD HH:MM`` in the strike's
time zone, or an ISO time with an offset; the default is now. The shift is the one running
at that time at that gate (or starting within the hour). The helpers here that turn
MEMBER, GATE and TIME into records are shared by the other picket commands.
"""

import argparse
import re
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from strikeboard.cli.common import EXIT_OK, CliError, InputProblem, actor, opened

if TYPE_CHECKING:
    from sqlmodel import Session

    from strikeboard.cli.common import Subcommands
    from strikeboard.services.locations import LocationRow
    from strikeboard.store.models import Member

_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")
_DAY_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def parse_time(text: str | None, zone: ZoneInfo, now: datetime) -> datetime:
    """``--at``: ``HH:MM`` today, ``YYYY-MM-DD HH:MM`` local, or ISO with an offset; ``None`` is now."""
    if text is None:
        return now
    raw = text.strip()
    try:
        if _CLOCK.match(raw):
            return datetime.combine(now.astimezone(zone).date(), time.fromisoformat(raw.zfill(5)), zone)
        if _DAY_TIME.match(raw):
            moment = datetime.fromisoformat(raw)
            return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
    except ValueError:
        pass
    raise CliError(f"--at {text!r} is not a time: use HH:MM, or YYYY-MM-DD HH:MM in the strike's time zone.")


def find_member(session: "Session", text: str) -> "Member":
    """The member whose number, email (ignoring case) or phone is exactly ``text``."""
    from sqlalchemy import func, select
    from sqlmodel import col

    from strikeboard.services.errors import ValidationError
    from strikeboard.services.roster import normalise_phone
    from strikeboard.store.models import Member

    wanted = text.strip()
    member = session.scalars(select(Member).where(col(Member.member_number) == wanted)).first()
    if member is None and "@" in wanted:
        member = session.scalars(
            select(Member).where(func.lower(col(Member.email)) == wanted.casefold())
        ).first()
    if member is None and sum(ch.isdigit() for ch in wanted) >= 7:
        try:
            phone = normalise_phone(wanted)
        except ValidationError:
            phone = ""
        if phone:
            found = list(session.scalars(select(Member).where(col(Member.phone) == phone).limit(2)))
            if len(found) > 1:
                raise InputProblem(f"Several members have the phone {text!r}: give the member number.")
            member = found[0] if found else None
    if member is None:
        raise InputProblem(f"No member has the number, email or phone {text!r}: check it in the roster.")
    return member


def find_gate(session: "Session", text: str) -> "LocationRow":
    """The location named ``text`` (see :func:`strikeboard.services.locations.find_location`)."""
    from strikeboard.services.errors import NotFound
    from strikeboard.services.locations import find_location

    try:
        return find_location(session, text)
    except NotFound as exc:
        raise InputProblem(str(exc)) from None


def strike_zone(session: "Session") -> ZoneInfo:
    """The strike's time zone."""
    from strikeboard.services.settings import load_settings

    return load_settings(session).zone


def local_day(text: str) -> date:
    """A ``YYYY-MM-DD`` given after the database was opened (exit 2 when bad)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2026-11-25.") from None


def cmd_signin(args: argparse.Namespace) -> int:
    """Sign a member in to the shift running at the gate."""
    from sqlalchemy import select
    from sqlmodel import col

    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.signin import EARLY_SIGN_IN, sign_in
    from strikeboard.store.models import Shift, utcnow

    with opened(args) as store, store.write() as session:
        zone = strike_zone(session)
        at = parse_time(args.at, zone, utcnow())
        member = find_member(session, args.member)
        gate = find_gate(session, args.location)
        shift_id = session.scalars(
            select(col(Shift.id))
            .where(
                col(Shift.location_id) == gate.id,
                col(Shift.cancelled).is_(False),
                col(Shift.starts_at) <= at + EARLY_SIGN_IN,
                col(Shift.ends_at) > at,
            )
            .order_by(col(Shift.starts_at))
        ).first()
        when = at.astimezone(zone).strftime("%a %d %b %H:%M")
        if shift_id is None:
            raise InputProblem(f"No shift is running at {gate.name} at {when}: check the gate and --at.")
        try:
            done = sign_in(
                session, shift_id=shift_id, member_id=member.id, at=at, by=args.by or actor(), zone=zone
            )
        except (ValidationError, NotFound) as exc:
            raise InputProblem(str(exc)) from None
    walk = " as a walk-in" if done.walk_in else ""
    print(f"signed in {done.name} ({member.member_number}) at {gate.name}{walk}, {when}")
    if done.warning:
        print(f"note: {done.warning}")
    return EXIT_OK


def cmd_signout(args: argparse.Namespace) -> int:
    """Sign a member out of the shift they are signed in to at the gate."""
    from sqlalchemy import select
    from sqlmodel import col

    from strikeboard.services.errors import ValidationError
    from strikeboard.services.shifts import live_check_in
    from strikeboard.services.signin import sign_out
    from strikeboard.store.models import CheckIn, Shift, utcnow

    with opened(args) as store, store.write() as session:
        zone = strike_zone(session)
        at = parse_time(args.at, zone, utcnow())
        member = find_member(session, args.member)
        gate = find_gate(session, args.location)
        shift_id = session.scalars(
            select(col(CheckIn.shift_id))
            .join(Shift, col(Shift.id) == col(CheckIn.shift_id))
            .where(
                col(Shift.location_id) == gate.id,
                col(CheckIn.member_id) == member.id,
                col(CheckIn.out_at).is_(None),
                live_check_in(),
            )
            .order_by(col(CheckIn.in_at).desc())
        ).first()
        if shift_id is None:
            raise InputProblem(
                f"{member.member_number} is not signed in at {gate.name}: nothing to sign out."
            )
        try:
            hours = sign_out(session, shift_id=shift_id, member_id=member.id, at=at, by=args.by or actor())
        except ValidationError as exc:
            raise InputProblem(str(exc)) from None
    print(f"signed out {member.member_number} at {gate.name}: {hours:g} h")
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """The ``signin`` and ``signout`` commands."""
    at_help = "HH:MM today, or YYYY-MM-DD HH:MM in the strike's time zone (default: now)"
    for name, func, what in (
        ("signin", cmd_signin, "sign a member in to the shift running at a gate"),
        ("signout", cmd_signout, "sign a member out of their shift at a gate"),
    ):
        cmd = sub.add_parser(name, help=what, description=f"{what[0].upper()}{what[1:]}.")
        cmd.add_argument("member", metavar="MEMBER", help="member number, exact email or phone")
        cmd.add_argument("--location", required=True, metavar="GATE", help="the gate's name")
        cmd.add_argument("--at", metavar="TIME", help=at_help)
        cmd.add_argument("--by", metavar="NAME", help="who records it (default: cli:USER)")
        cmd.set_defaults(func=func)
