"""Exports of the picket line: sign-in sheets, the hours & eligibility report, incidents, iCal.

CSV files go through :func:`strikeboard.services.csvio.write_csv` (injection-safe, 0600,
complete or absent). The paper sign-in sheet (plain text or HTML) and the ``.ics`` files
are written the same way by :func:`write_private`: a private temporary file beside the
target, then renamed (or linked, when overwriting is refused) into place.
"""

from __future__ import annotations

import contextlib
import html
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlmodel import Session, col

from strikeboard.services.access import require_full_access
from strikeboard.services.csvio import Cell, write_csv
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.hours import eligibility, pay_week_start
from strikeboard.services.incidents import IncidentRow
from strikeboard.services.roster import display_name, sort_name
from strikeboard.services.settings import StrikeSettings
from strikeboard.services.shifts import live_check_in, local_day_bounds
from strikeboard.store.models import (
    Assignment,
    AssignmentStatus,
    CheckIn,
    Location,
    Member,
    MemberStatus,
    Shift,
)

#: Empty lines under each shift of a sign-in sheet, for walk-ins to write themselves in.
WALK_IN_LINES = 10
SHEET_HEADER = ("shift", "name", "member_number", "assigned_or_walk_in", "in", "out", "hours", "signature")
INCIDENT_HEADER = ("occurred_at", "location", "shift_start", "category", "description", "reported_by", "id")


def write_private(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` as a 0600 file that appears complete or not at all.

    Raises :class:`FileExistsError` when ``path`` exists and ``overwrite`` is false.
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(f"{target} already exists")
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(temp_name, target)
        else:
            os.link(temp_name, target)  # fails if someone created the file meanwhile
            os.unlink(temp_name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


# --- sign-in sheets -----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetLine:
    """One person on a sign-in sheet."""

    name: str
    member_number: str
    walk_in: bool
    in_at: datetime | None  # UTC; None when not signed in
    out_at: datetime | None  # UTC

    @property
    def hours(self) -> float | None:
        """Hours between sign-in and sign-out (None until signed out)."""
        if self.in_at is None or self.out_at is None:
            return None
        return round((self.out_at - self.in_at).total_seconds() / 3600, 2)


@dataclass(frozen=True)
class SheetShift:
    """A shift on a sign-in sheet: assigned people first, then walk-ins, each by name."""

    id: uuid.UUID
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    cancelled: bool
    lines: tuple[SheetLine, ...]


@dataclass(frozen=True)
class SignInSheet:
    """The sign-in sheet of one gate for one local day (or one shift)."""

    location: str
    address: str
    day: date
    zone: ZoneInfo
    shifts: tuple[SheetShift, ...]

    def clock(self, instant: datetime | None) -> str:
        """``HH:MM`` in the strike's zone ("" for None)."""
        return instant.astimezone(self.zone).strftime("%H:%M") if instant else ""

    def span(self, shift: SheetShift) -> str:
        """``06:00–10:00`` (with ``(cancelled)`` when it is)."""
        text = f"{self.clock(shift.starts_at)}–{self.clock(shift.ends_at)}"
        return f"{text} (cancelled)" if shift.cancelled else text

    @property
    def title(self) -> str:
        """``Sign-in sheet — Gate 4 — Wed 25 Nov 2026``."""
        return f"Sign-in sheet — {self.location} — {self.day.strftime('%a %d %b %Y')}"


def signin_sheet(
    session: Session, *, location_id: uuid.UUID, day: date, zone: ZoneInfo, shift_id: uuid.UUID | None = None
) -> SignInSheet:
    """The sheet for every shift starting on local ``day`` at the gate, or for ``shift_id`` alone."""
    location = session.get(Location, location_id)
    if location is None:
        raise NotFound("That location no longer exists: pick the gate again.")
    query = select(Shift).where(col(Shift.location_id) == location_id).order_by(col(Shift.starts_at))
    if shift_id is not None:
        shifts = list(session.scalars(query.where(col(Shift.id) == shift_id)))
        if not shifts:
            raise ValidationError("shift", f"That shift is not at {location.name}: give one of its shifts.")
        day = shifts[0].starts_at.astimezone(zone).date()
    else:
        start, end = local_day_bounds(day, zone)
        shifts = list(session.scalars(query.where(col(Shift.starts_at) >= start, col(Shift.starts_at) < end)))
    ids = [shift.id for shift in shifts]
    people: dict[tuple[uuid.UUID, uuid.UUID], dict[str, object]] = {}
    assigned = session.execute(
        select(col(Assignment.shift_id), col(Assignment.member_id)).where(
            col(Assignment.shift_id).in_(ids), col(Assignment.status) != AssignmentStatus.CANCELLED
        )
    )
    for sid, mid in assigned:
        people[sid, mid] = {"walk_in": False, "in_at": None, "out_at": None}
    checkins = session.execute(
        select(col(CheckIn.shift_id), col(CheckIn.member_id), col(CheckIn.in_at), col(CheckIn.out_at)).where(
            col(CheckIn.shift_id).in_(ids), live_check_in()
        )
    )
    for sid, mid, in_at, out_at in checkins:
        entry = people.setdefault((sid, mid), {"walk_in": True})
        entry.update(in_at=in_at, out_at=out_at)
    members = {
        row.id: row
        for row in session.execute(
            select(
                col(Member.id),
                col(Member.member_number),
                col(Member.first_name),
                col(Member.last_name),
                col(Member.preferred_name),
            ).where(col(Member.id).in_({mid for _, mid in people}))
        )
    }
    lines: dict[uuid.UUID, list[tuple[tuple[bool, str], SheetLine]]] = {sid: [] for sid in ids}
    for (sid, mid), entry in people.items():
        m = members[mid]
        line = SheetLine(
            name=display_name(m.first_name, m.last_name, m.preferred_name),
            member_number=m.member_number,
            walk_in=bool(entry["walk_in"]),
            in_at=entry.get("in_at"),  # type: ignore[arg-type]
            out_at=entry.get("out_at"),  # type: ignore[arg-type]
        )
        lines[sid].append(
            ((line.walk_in, sort_name(m.first_name, m.last_name, m.preferred_name).casefold()), line)
        )
    return SignInSheet(
        location=location.name,
        address=location.address,
        day=day,
        zone=zone,
        shifts=tuple(
            SheetShift(
                id=shift.id,
                starts_at=shift.starts_at,
                ends_at=shift.ends_at,
                cancelled=shift.cancelled,
                lines=tuple(line for _, line in sorted(lines[shift.id], key=lambda pair: pair[0])),
            )
            for shift in shifts
        ),
    )


def _hours_text(hours: float | None) -> str:
    """Hours as ``4``, ``3.5`` or ``0.25`` ("" for None)."""
    return "" if hours is None else f"{round(hours, 2):g}"


def sheet_rows(sheet: SignInSheet) -> Iterator[Sequence[Cell]]:
    """The sheet as CSV rows (:data:`SHEET_HEADER`), with blank walk-in rows after each shift."""
    for shift in sheet.shifts:
        span = sheet.span(shift)
        for line in shift.lines:
            yield (
                span,
                line.name,
                line.member_number,
                "walk-in" if line.walk_in else "assigned",
                sheet.clock(line.in_at),
                sheet.clock(line.out_at),
                _hours_text(line.hours),
                "",
            )
        for _ in range(WALK_IN_LINES):
            yield (span, "", "", "walk-in", "", "", "", "")


def sheet_text(sheet: SignInSheet) -> str:
    """The sheet as plain text for printing: one table per shift, lines to sign on."""
    widths = (28, 10, 9, 6, 6, 6, 24)
    heads = ("Name", "Member no", "Assigned", "In", "Out", "Hours", "Signature")

    def row(cells: Sequence[str]) -> str:
        return " ".join(cell[:width].ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    out = [sheet.title]
    if sheet.address:
        out.append(sheet.address)
    if not sheet.shifts:
        out += ["", "No shifts at this gate on this day."]
    for shift in sheet.shifts:
        out += ["", f"Shift {sheet.span(shift)}", row(heads), row(tuple("-" * w for w in widths))]
        for line in shift.lines:
            kind = "walk-in" if line.walk_in else "yes"
            times = (sheet.clock(line.in_at), sheet.clock(line.out_at), _hours_text(line.hours))
            out.append(row((line.name, line.member_number, kind, *times, "_" * widths[-1])))
        blank = "_" * widths[0], "_" * widths[1], "walk-in", "_" * 5, "_" * 5, "_" * 5, "_" * widths[-1]
        out += [row(blank)] * WALK_IN_LINES
    return "\n".join(out) + "\n"


def sheet_html(sheet: SignInSheet) -> str:
    """The sheet as a printable HTML page (one table per shift, a page per shift)."""
    esc = html.escape
    heads = "".join(
        f"<th>{h}</th>" for h in ("Name", "Member no", "Assigned", "In", "Out", "Hours", "Signature")
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(sheet.title)}</title>",
        "<style>body{font-family:sans-serif;font-size:11pt}table{border-collapse:collapse;width:100%}"
        "th,td{border:1px solid #000;padding:4px 6px;height:1.6em;text-align:left}"
        "td.sign{width:30%}section{page-break-after:always}section:last-child{page-break-after:auto}</style>",
        "</head><body>",
    ]
    heading = f"<h1>{esc(sheet.title)}</h1>" + (f"<p>{esc(sheet.address)}</p>" if sheet.address else "")
    if not sheet.shifts:
        parts += [heading, "<p>No shifts at this gate on this day.</p>"]
    for shift in sheet.shifts:
        parts += [
            "<section>",
            heading,
            f"<h2>Shift {esc(sheet.span(shift))}</h2>",
            f"<table><tr>{heads}</tr>",
        ]
        for line in shift.lines:
            cells = (
                line.name,
                line.member_number,
                "walk-in" if line.walk_in else "yes",
                sheet.clock(line.in_at),
                sheet.clock(line.out_at),
                _hours_text(line.hours),
            )
            parts.append(
                "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + '<td class="sign"></td></tr>'
            )
        blank = '<tr><td></td><td></td><td>walk-in</td><td></td><td></td><td></td><td class="sign"></td></tr>'
        parts += [blank] * WALK_IN_LINES
        parts += ["</table>", "</section>"]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_signin_sheet(
    path: str | os.PathLike[str], sheet: SignInSheet, fmt: str, *, overwrite: bool = False
) -> None:
    """Write ``sheet`` as ``csv``, ``txt`` or ``html``."""
    if fmt == "csv":
        write_csv(path, SHEET_HEADER, sheet_rows(sheet), overwrite=overwrite)
    elif fmt == "txt":
        write_private(path, sheet_text(sheet).encode("utf-8"), overwrite=overwrite)
    elif fmt == "html":
        write_private(path, sheet_html(sheet).encode("utf-8"), overwrite=overwrite)
    else:
        raise ValidationError("format", f"{fmt!r} is not a sheet format: use csv, txt or html.")


# --- hours & eligibility report -----------------------------------------------------------


def hours_report_header(week_start: date) -> tuple[str, ...]:
    """The report's columns: who, the seven days' hours (by date), totals and the verdict."""
    days = tuple((week_start + timedelta(days=i)).isoformat() for i in range(7))
    return (
        "member_number",
        "name",
        "unit",
        "member_status",
        *days,
        "picket_hours",
        "alternative_duty_hours",
        "excused_absence_hours",
        "counted_hours",
        "eligibility",
        "short_by",
        "no_sign_out",
    )


def write_hours_report(
    session: Session,
    path: str | os.PathLike[str],
    week: date,
    settings: StrikeSettings,
    *,
    overwrite: bool = False,
) -> tuple[date, int]:
    """Write the hours & eligibility CSV for the pay week holding ``week``; return (week start, rows).

    One row per member, by name as the roster sorts it; inactive members appear only if
    they have hours. A day's column is its total under the rule (picketing plus the credits
    that count), before the daily minimum; ``counted_hours`` is what the verdict is based on.
    """
    require_full_access(session, "the hours report")
    rule = settings.strike_pay
    start = pay_week_start(week, rule)
    standing = eligibility(session, start, settings)
    query = select(
        col(Member.id),
        col(Member.member_number),
        col(Member.first_name),
        col(Member.last_name),
        col(Member.preferred_name),
        col(Member.unit),
        col(Member.status),
    )
    people = sorted(
        session.connection().execute(query),  # Core rows: no ORM bookkeeping for the whole roster
        key=lambda p: (sort_name(p.first_name, p.last_name, p.preferred_name).casefold(), p.member_number),
    )

    def rows() -> Iterator[Sequence[Cell]]:
        for mid, number, first, last, preferred, unit, status in people:
            e = standing[mid]
            if status == MemberStatus.INACTIVE and not any(day.total(rule) for day in e.days):
                continue
            yield (
                number,
                display_name(first, last, preferred),
                unit,
                status,
                *(_hours_text(day.total(rule)) for day in e.days),
                _hours_text(e.picket_hours),
                _hours_text(sum(day.alternative_duty for day in e.days)),
                _hours_text(sum(day.excused_absence for day in e.days)),
                _hours_text(e.counted_hours),
                e.status.value,
                _hours_text(e.short_by),
                e.no_sign_out,
            )

    return start, write_csv(path, hours_report_header(start), rows(), overwrite=overwrite)


# --- incidents ------------------------------------------------------------------------------


def write_incidents(
    path: str | os.PathLike[str], incidents: Sequence[IncidentRow], zone: ZoneInfo, *, overwrite: bool = False
) -> int:
    """Write incidents (from :func:`~strikeboard.services.incidents.list_incidents`) as CSV; times local."""
    rows = (
        (
            row.occurred_at.astimezone(zone).isoformat(timespec="minutes"),
            row.location,
            row.shift_starts_at.astimezone(zone).isoformat(timespec="minutes") if row.shift_starts_at else "",
            row.category,
            row.description,
            row.reported_by,
            str(row.id),
        )
        for row in incidents
    )
    return write_csv(path, INCIDENT_HEADER, rows, overwrite=overwrite)


# --- iCal -----------------------------------------------------------------------------------


def shifts_ical(
    session: Session,
    *,
    zone: ZoneInfo,
    now: datetime,
    member_id: uuid.UUID | None = None,
    location_id: uuid.UUID | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
    calendar_name: str = "Picket shifts",
) -> tuple[bytes, int]:
    """An iCalendar file of a member's shifts or a gate's shifts (local days, inclusive); and the count.

    Times carry the strike's TZID (with its VTIMEZONE); the UID is the shift's id; a
    cancelled shift (or a cancelled assignment in a member's calendar) is STATUS:CANCELLED.
    """
    require_full_access(session, "calendar exports")
    from icalendar import Calendar, Event

    if (member_id is None) == (location_id is None):
        raise ValidationError("member", "Give either a member or a location, not both.")
    if first_day and last_day and last_day < first_day:
        raise ValidationError("to", "The last day is before the first day: swap them.")
    query = (
        select(Shift, col(Location.name), col(Location.address))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .order_by(col(Shift.starts_at), col(Location.name))
    )
    dropped: set[uuid.UUID] = set()
    if member_id is not None:
        if session.get(Member, member_id) is None:
            raise NotFound("That member is not in the roster: search again.")
        assignments = dict(
            session.execute(
                select(col(Assignment.shift_id), col(Assignment.status)).where(
                    col(Assignment.member_id) == member_id
                )
            ).all()
        )
        dropped = {sid for sid, status in assignments.items() if status == AssignmentStatus.CANCELLED}
        came = select(col(CheckIn.shift_id)).where(col(CheckIn.member_id) == member_id, live_check_in())
        query = query.where(or_(col(Shift.id).in_(list(assignments)), col(Shift.id).in_(came)))
    else:
        query = query.where(col(Shift.location_id) == location_id)
    if first_day is not None:
        query = query.where(col(Shift.starts_at) >= local_day_bounds(first_day, zone)[0])
    if last_day is not None:
        query = query.where(col(Shift.starts_at) < local_day_bounds(last_day, zone)[1])
    calendar = Calendar()
    calendar.add("prodid", "-//strikeboard//picket shifts//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", calendar_name)
    count = 0
    for shift, location, address in session.execute(query):
        event = Event()
        event.add("uid", str(shift.id))
        event.add("dtstamp", now)
        event.add("dtstart", shift.starts_at.astimezone(zone))
        event.add("dtend", shift.ends_at.astimezone(zone))
        event.add("summary", f"Picket: {location}")
        event.add("location", f"{location}, {address}" if address else location)
        if shift.notes:
            event.add("description", shift.notes)
        event.add("last-modified", shift.updated_at)
        event.add("status", "CANCELLED" if shift.cancelled or shift.id in dropped else "CONFIRMED")
        calendar.add_component(event)
        count += 1
    if count:
        calendar.add_missing_timezones()
    return calendar.to_ical(), count
