"""Read-only roster queries: a page of members, filtered in SQL.

Names are matched on ``Member.search_key`` (casefolded, accents stripped; see
:mod:`strikeboard.textnorm`) so "zoe" finds "Zoë"; member numbers by prefix and phone
numbers by their digits. Results are plain frozen dataclasses, safe to hand to the UI
after the session closes.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, Uuid, all_, and_, any_, false, func, literal, literal_column, or_, select
from sqlalchemy import text as sql_text
from sqlmodel import Session, col

from strikeboard.services.access import require_full_access
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.store.models import (
    MEMBER_SEARCH_TEXT,
    Assignment,
    AssignmentStatus,
    Availability,
    AvailabilityException,
    AvailabilityWindow,
    CheckIn,
    Grievance,
    GrievanceGrievant,
    Location,
    Member,
    MemberStatus,
    Role,
    Shift,
    utcnow,
)
from strikeboard.textnorm import digits, search_key

#: Rows shown before the user narrows the list with a search.
DEFAULT_PAGE = 200

#: A phone search needs at least this many digits (fewer would match nearly everyone).
MIN_PHONE_DIGITS = 3


def display_name(first: str, last: str = "", preferred: str = "") -> str:
    """How a person is addressed: the preferred name (if set) or first name, then last name."""
    return " ".join(part for part in ((preferred or first).strip(), last.strip()) if part)


def sort_name(first: str, last: str = "", preferred: str = "") -> str:
    """A roster label, ``"Last, Preferred"``, matching the roster's sort order."""
    given = (preferred or first).strip()
    last = last.strip()
    if last and given:
        return f"{last}, {given}"
    return last or given


@dataclass(frozen=True)
class MemberRow:
    """One roster line."""

    id: uuid.UUID
    member_number: str
    first_name: str
    last_name: str
    preferred_name: str
    unit: str
    role: str
    status: str
    phone: str
    email: str

    @property
    def name(self) -> str:
        """The member's name as addressed (preferred name when set)."""
        return display_name(self.first_name, self.last_name, self.preferred_name)

    @property
    def roster_name(self) -> str:
        """``"Last, Preferred"``: the roster's sort label."""
        return sort_name(self.first_name, self.last_name, self.preferred_name)


@dataclass(frozen=True)
class MemberPage:
    """The first ``limit`` members matching ``query``, with honest counts."""

    query: str
    rows: tuple[MemberRow, ...]
    matching: int  # members matching the query (all members when the query is blank)
    total: int  # members in the database

    @property
    def truncated(self) -> bool:
        """True when more members match than are shown."""
        return self.matching > len(self.rows)


def _like(text: str, *, prefix: bool = False) -> str:
    """A LIKE pattern (escape ``/``) for ``text`` anywhere (or at the start)."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"{escaped}%" if prefix else f"%{escaped}%"


def member_filter(query: str) -> Any | None:
    """The SQL condition for a roster search, or ``None`` for a blank query.

    Every word of the query must occur in the member's search key; alternatively the
    query may be the start of a member number, or (with enough digits) part of a phone.
    The patterns are built here, not in SQL (``'%' || ? || '%'`` is evaluated per row and
    made a 100k-member search twice as slow). SQLite's LIKE ignores ASCII case.
    """
    text = query.strip()
    words = search_key(text).split()
    if not words:
        return None
    options: list[Any] = [
        and_(*(col(Member.search_key).like(_like(word), escape="/") for word in words)),
        col(Member.member_number).like(_like(text, prefix=True), escape="/"),
    ]
    phone = digits(text)
    if len(phone) >= MIN_PHONE_DIGITS:
        options.append(col(Member.phone_digits).like(_like(phone), escape="/"))
    return or_(*options)


def search_members(session: Session, query: str = "", limit: int = DEFAULT_PAGE) -> MemberPage:
    """Members matching ``query`` (all when blank), ordered by last then first name.

    A member with only one name (``last_name`` empty) sorts under that name.
    """
    require_full_access(session, "the roster search")
    condition = member_filter(query)
    total = int(session.scalar(select(func.count()).select_from(Member)) or 0)
    if condition is None:
        matching = total
    else:
        matching = int(session.scalar(select(func.count()).select_from(Member).where(condition)) or 0)
    statement = select(
        col(Member.id),
        col(Member.member_number),
        col(Member.first_name),
        col(Member.last_name),
        col(Member.preferred_name),
        col(Member.unit),
        col(Member.role),
        col(Member.status),
        col(Member.phone),
        col(Member.email),
    )
    if condition is not None:
        statement = statement.where(condition)
    given = func.coalesce(func.nullif(col(Member.preferred_name), ""), col(Member.first_name))
    statement = statement.order_by(
        func.lower(func.coalesce(func.nullif(col(Member.last_name), ""), given)),
        func.lower(given),
        col(Member.member_number),
    ).limit(limit)
    rows = tuple(MemberRow(*row) for row in session.execute(statement))
    return MemberPage(query=query, rows=rows, matching=matching, total=total)


# --------------------------------------------------------------------------- phone numbers

#: Where a number written without ``+country`` is assumed to be.
DEFAULT_REGION = "US"

_NANP_SHAPE = re.compile(r"^(?:\+?1[ .\-]?)?\(?([2-9]\d{2})\)?[ .\-]?(\d{3})[ .\-]?(\d{4})$")
_E164_NANP = re.compile(r"^\+1(\d{3})(\d{3})(\d{4})$")


@cache
def _us_valid() -> re.Pattern[str]:
    """A regex accepting exactly the 10-digit national numbers phonenumbers calls valid for the US.

    Built from phonenumbers' own metadata, so parsing the common case (a US number in
    any of the usual formats) needs no call into the library: about 1 µs instead of 20.
    """
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region(DEFAULT_REGION)
    assert meta is not None
    descs = (
        meta.fixed_line, meta.mobile, meta.toll_free, meta.premium_rate, meta.shared_cost,
        meta.personal_number, meta.voip, meta.pager, meta.uan, meta.voicemail,
    )  # fmt: skip
    types = "|".join(f"(?:{d.national_number_pattern})" for d in descs if d and d.national_number_pattern)
    assert meta.general_desc is not None
    general = meta.general_desc.national_number_pattern
    return re.compile(f"(?=(?:{general})$)(?:{types})$")


_PLUS_SHAPE = re.compile(r"^\+[0-9]+(?:[ .\-][0-9]+)*$")
_SEPARATORS = str.maketrans("", "", " .-")
_Desc = tuple[frozenset[int], re.Pattern[str]]


def _desc(desc: Any) -> _Desc | None:
    """A number description of phonenumbers' metadata: (possible lengths, compiled pattern)."""
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length), re.compile(desc.national_number_pattern)


def _matches(desc: _Desc | None, national: str) -> bool:
    """phonenumbers' ``_is_number_matching_desc``: the length is possible and the pattern matches."""
    return (
        desc is not None and (not desc[0] or len(national) in desc[0]) and bool(desc[1].fullmatch(national))
    )


@cache
def _region_rules(region: str) -> tuple[str | None, re.Pattern[str] | None, _Desc | None, tuple[_Desc, ...]]:
    """A region's (national prefix for parsing, leading digits, general description, number types).

    The types are those phonenumbers' ``_number_type_helper`` accepts as a known type (mobile
    only when its pattern differs from the fixed-line one), precompiled.
    """
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    assert meta is not None
    descs = [meta.premium_rate, meta.toll_free, meta.shared_cost, meta.voip, meta.personal_number, meta.pager,
             meta.uan, meta.voicemail, meta.fixed_line]  # fmt: skip
    if not meta.same_mobile_and_fixed_line_pattern:
        descs.append(meta.mobile)
    types = tuple(found for found in map(_desc, descs) if found is not None)
    leading = re.compile(meta.leading_digits) if meta.leading_digits is not None else None
    return meta.national_prefix_for_parsing or None, leading, _desc(meta.general_desc), types


def _valid_in(region: str, national: str) -> bool:
    """phonenumbers' ``_number_type_helper(national, region) != UNKNOWN``."""
    _, _, general, types = _region_rules(region)
    return _matches(general, national) and any(_matches(desc, national) for desc in types)


def _international(text: str) -> str | None:
    """``+`` and digits (single spaces, dots or hyphens between): E.164, ``""`` if invalid, None if unsure.

    Decides as ``phonenumbers.parse`` + ``is_valid_number`` would (tests/test_roster.py compares
    them), in a few microseconds instead of 45: a list's numbers from abroad are mostly written
    this way. Anything it is unsure of (a national prefix after the country code, a leading zero,
    non-geographic codes, odd lengths) is left to phonenumbers.
    """
    if not _PLUS_SHAPE.match(text):
        return None
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    number = text[1:].translate(_SEPARATORS)
    if number[0] == "0":
        return None
    for size in (1, 2, 3):
        regions = COUNTRY_CODE_TO_REGION_CODE.get(int(number[:size]))
        if regions is not None:
            break
    else:
        return None
    code, national = number[:size], number[size:]
    if not 2 <= len(national) <= 17 or national[0] == "0" or "001" in regions:
        return None
    prefix = _region_rules(regions[0])[0]
    if prefix is not None and re.match(prefix, national):
        return None  # parse might strip a national prefix: let phonenumbers decide
    region = regions[0]
    if len(regions) > 1:  # phonenumbers' _region_code_for_number_from_list
        chosen = None
        for candidate in regions:
            leading = _region_rules(candidate)[1]
            if leading is not None:
                if leading.match(national):
                    chosen = candidate
                    break
            elif _valid_in(candidate, national):
                chosen = candidate
                break
        if chosen is None:
            return ""
        region = chosen
    return f"+{code}{national}" if _valid_in(region, national) else ""


def normalise_phone(text: str) -> str:
    """A phone number as E.164 (``"+13235550142"``); ``""`` for blank input.

    Raises :class:`ValidationError` (field ``phone``) when it is not a valid number.
    """
    text = text.strip()
    if not text:
        return ""
    match = _NANP_SHAPE.match(text)
    if match and DEFAULT_REGION == "US":
        national = "".join(match.groups())
        if _us_valid().match(national):
            return "+1" + national
    found = _international(text) if text[0] == "+" else None
    if found:
        return found
    import phonenumbers

    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "phone",
            f"{text!r} is not a valid phone number: give the area code, or +country code for numbers abroad.",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def readable_phone(e164: str) -> str:
    """How a stored number is shown: ``"+13235550142"`` → ``"+1 323-555-0142"``."""
    if not e164:
        return ""
    match = _E164_NANP.match(e164)
    if match:
        return "+1 {}-{}-{}".format(*match.groups())
    if not e164.startswith("+"):
        return e164  # stored before normalisation (or unparseable): shown as it is
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --------------------------------------------------------------------------- the roster tab (issue 3)

#: Columns the roster can sort by.
SORTS = ("name", "member_number", "unit", "role", "status", "phone", "email", "hours_week", "last_picket")


#: Strike-pay standings the roster filters by (the values of ``services.hours.EligibilityStatus``).
PAY_STANDINGS = ("eligible", "short", "not_eligible")


@dataclass(frozen=True)
class PayMembers:
    """The members an eligibility filter keeps, worked out once by :func:`resolve_pay`.

    Only members with hours in the week can be eligible or short, so the set holds at most
    those: ``ids`` are kept, or (``exclude``, when "not eligible" is chosen) every member but
    ``ids`` is. ``condition`` is that, in SQL, ready for any statement on ``member``.
    """

    week_start: date  # the pay week judged
    ids: frozenset[uuid.UUID]
    exclude: bool
    condition: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class RosterFilter:
    """What the roster shows: a search and filters, and the sort."""

    query: str = ""  # name (accent/case-insensitive), member number prefix, phone digits (3+), email
    roles: tuple[str, ...] = ()  # empty = any
    units: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sort: str = "name"  # one of SORTS
    descending: bool = False
    eligibility: tuple[str, ...] = ()  # strike-pay standings (PAY_STANDINGS) in ``pay_week``; empty = any
    pay_week: date | None = None  # a day of the pay week judged (and shown in ``RosterRow.pay``)
    pay: PayMembers | None = field(default=None, repr=False, compare=False)  # set by resolve_pay


@dataclass(frozen=True)
class RosterRow:
    """One line of the roster tab."""

    id: uuid.UUID
    name: str  # "Last, Preferred"
    member_number: str
    unit: str
    role: str
    status: str
    phone: str  # readable, e.g. "+1 323-555-0142"
    email: str
    hours_week: float
    last_picket: date | None
    pay: str = "not_eligible"  # strike-pay standing in the pay week (PAY_STANDINGS)
    short_by: float = 0.0  # hours still missing when ``pay`` is "short"


#: The index the roster search scans on SQLite (the migration 0002 creates it).
SEARCH_INDEX = "ix_member_search_text"


def _search_prefilter(query: str) -> Any | None:
    """A necessary condition for a roster search, on :data:`MEMBER_SEARCH_TEXT` alone (SQLite).

    Each way a member can match (every name word in ``search_key``, the member number
    starting with the text, the phone digits, the email containing the text) puts that text
    inside :data:`MEMBER_SEARCH_TEXT`, so every match passes this condition: it narrows, the
    exact search decides. It is checked on the entries of the narrow search index (one or two
    ``LIKE`` per member instead of three or four on the wide table rows); only the members it
    lets through are read from the table. A text containing another adds nothing and is left out.
    """
    text = query.strip()
    words = search_key(text).split()
    if not words:
        return None
    alternatives: list[tuple[str, ...]] = [tuple(words), (text,)]
    phone = digits(text)
    if len(phone) >= MIN_PHONE_DIGITS:
        alternatives.append((phone,))
    singles: list[str] = []
    for single in sorted({alt[0] for alt in alternatives if len(alt) == 1}, key=len):
        if not any(kept in single for kept in singles):
            singles.append(single)
    kept = [(single,) for single in singles] + [
        alt for alt in alternatives if len(alt) > 1 and not any(s in part for part in alt for s in singles)
    ]
    indexed = literal_column(f"({MEMBER_SEARCH_TEXT})", String)
    narrowed = or_(*(and_(*(indexed.like(_like(part), escape="/") for part in alt)) for alt in kept))
    # SQLite 3.40 does not choose an expression index for a scan by itself: name it.
    scanned = sql_text(f"member INDEXED BY {SEARCH_INDEX}")
    candidates: Any = select(literal_column("rowid")).select_from(scanned).where(narrowed)
    return literal_column("member.rowid").in_(candidates)


def _indexed(session: Session) -> bool:
    """True when ``session`` talks to SQLite, where the search index can be scanned."""
    return session.get_bind().dialect.name == "sqlite"


def roster_conditions(flt: RosterFilter, *, indexed: bool = False) -> list[Any]:
    """The SQL conditions of ``flt`` (search and filters) on ``Member``.

    ``indexed`` (SQLite only) adds :func:`_search_prefilter`: the same members, found faster,
    unless a role is chosen (few members hold one: the role index narrows more).
    """
    conditions: list[Any] = []
    search = member_filter(flt.query)
    if search is not None:
        text = flt.query.strip()
        if indexed and not flt.roles:
            conditions.append(_search_prefilter(flt.query))
        conditions.append(or_(search, col(Member.email).like(_like(text), escape="/")))
    if flt.roles:
        conditions.append(col(Member.role).in_(flt.roles))
    if flt.units:
        conditions.append(col(Member.unit).in_(flt.units))
    if flt.statuses:
        conditions.append(col(Member.status).in_(flt.statuses))
    if flt.eligibility:
        if flt.pay is None:
            raise ValueError("An eligibility filter is resolved first: resolve_pay(session, flt).")
        if flt.pay.condition is not None:
            conditions.append(flt.pay.condition)
    return conditions


def _json_values(items: list[Any]) -> Any:
    """SQLite: ``SELECT value FROM json_each(?)`` over ``items``, bound as one JSON parameter."""
    return select(literal_column("value")).select_from(func.json_each(literal(json.dumps(items), String)))


def _member_ids_condition(session: Session, ids: frozenset[uuid.UUID], exclude: bool) -> Any | None:
    """SQL: the member is one of ``ids`` (is not, when ``exclude``); None when that keeps everyone.

    The ids travel as one parameter, so tens of thousands stay within the drivers' limits on
    bound parameters. On SQLite they are turned into rowids once, here: testing a member's
    rowid against a set of integers costs a third of testing its 32-character id (a page of
    a 31,000-member set out of 100k: 31 ms instead of 96). Rowids hold while the file is not
    VACUUMed in place (backups use VACUUM INTO, which leaves it alone): resolve again after a
    restore, as the roster does on every reload.
    """
    if not ids:
        return None if exclude else false()
    if session.get_bind().dialect.name == "sqlite":
        hexes = _json_values(sorted(member_id.hex for member_id in ids))
        found: Any = select(literal_column("rowid")).select_from(Member).where(col(Member.id).in_(hexes))
        rowids = sorted(session.connection().execute(found).scalars())
        listed = _json_values(rowids)
        rowid: Any = literal_column("member.rowid")
        return rowid.not_in(listed) if exclude else rowid.in_(listed)
    from sqlalchemy.dialects.postgresql import ARRAY

    array = literal(sorted(ids), ARRAY(Uuid))
    return col(Member.id) != all_(array) if exclude else col(Member.id) == any_(array)


def resolve_pay(session: Session, flt: RosterFilter) -> RosterFilter:
    """``flt`` with its eligibility filter worked out (:class:`PayMembers`); unchanged without one.

    The standing of every member with hours in the pay week is judged once here (two grouped
    queries, :func:`strikeboard.services.hours.daily_hours`, and the rule's
    :func:`~strikeboard.services.hours.judge`); a member without hours is not eligible. Resolve
    once per filter change and reuse the result for the count and every page.
    """
    if not flt.eligibility or flt.pay is not None:
        return flt
    unknown = [standing for standing in flt.eligibility if standing not in PAY_STANDINGS]
    if unknown:
        raise ValidationError(
            "eligibility", f"{unknown[0]!r} is not a strike-pay standing: use {', '.join(PAY_STANDINGS)}."
        )
    if flt.pay_week is None:
        raise ValidationError("pay_week", "Say which week's strike-pay eligibility to filter by.")
    from strikeboard.services.hours import daily_hours, judge, pay_week_start
    from strikeboard.services.settings import load_settings

    settings = load_settings(session)
    rule = settings.strike_pay
    start = pay_week_start(flt.pay_week, rule)
    wanted = frozenset(flt.eligibility)
    exclude = "not_eligible" in wanted  # members without hours are kept: list those to leave out
    ids = frozenset(
        member_id
        for member_id, days in daily_hours(session, start, 7, settings).items()
        if (judge(member_id, start, tuple(days), rule).status in wanted) != exclude
    )
    condition = _member_ids_condition(session, ids, exclude)
    return replace(flt, pay=PayMembers(start, ids, exclude, condition))


def _week_hours_query(week_start: date, zone: ZoneInfo) -> Any:
    """Per member: picket hours of the live check-ins that began in the local week, counted
    as the hours report counts them (:func:`~strikeboard.services.shifts.checkin_seconds`)."""
    from strikeboard.services.shifts import checkin_seconds, live_check_in, local_day_bounds

    start = local_day_bounds(week_start, zone)[0]
    end = local_day_bounds(week_start + timedelta(days=6), zone)[1]
    hours = (func.sum(checkin_seconds()) / 3600.0).label("hours")
    return (
        select(col(CheckIn.member_id).label("member_id"), hours)
        .join(Shift, col(Shift.id) == col(CheckIn.shift_id))
        .where(live_check_in(), col(CheckIn.in_at) >= start, col(CheckIn.in_at) < end)
        .group_by(col(CheckIn.member_id))
    )


def _last_picket_query() -> Any:
    from strikeboard.services.shifts import live_check_in

    return (
        select(col(CheckIn.member_id).label("member_id"), func.max(col(CheckIn.in_at)).label("last_in"))
        .where(live_check_in())
        .group_by(col(CheckIn.member_id))
    )


def _order(flt: RosterFilter, hours: Any | None, last: Any | None) -> list[Any]:
    """ORDER BY terms for ``flt.sort``; ties fall back to the name, then the member number.

    Blank values (no email, never picketed) sort last in either direction.
    """
    given = func.coalesce(func.nullif(col(Member.preferred_name), ""), col(Member.first_name))
    by_name = [func.lower(func.coalesce(func.nullif(col(Member.last_name), ""), given)), func.lower(given)]
    blank: Any = None
    primary: list[Any]
    if flt.sort == "name":
        primary = by_name
    elif flt.sort == "member_number":
        primary = [col(Member.member_number)]
    elif flt.sort in ("unit", "phone"):
        column = getattr(Member, flt.sort)
        blank, primary = column == "", [column]
    elif flt.sort in ("role", "status"):
        primary = [getattr(Member, flt.sort)]
    elif flt.sort == "email":
        blank, primary = col(Member.email) == "", [func.lower(col(Member.email))]
    elif flt.sort == "hours_week" and hours is not None:
        primary = [func.coalesce(hours.c.hours, 0.0)]
    elif flt.sort == "last_picket" and last is not None:
        blank, primary = last.c.last_in.is_(None), [last.c.last_in]
    else:
        raise ValidationError("sort", f"Cannot sort by {flt.sort!r}: choose one of {', '.join(SORTS)}.")
    if flt.descending:
        primary = [term.desc() for term in primary]
    head = [] if blank is None else [blank]
    tail = [] if flt.sort == "name" else by_name
    return [*head, *primary, *tail, col(Member.member_number)]


def _ordered(
    flt: RosterFilter,
    columns: list[Any],
    *,
    week_start: date | None,
    zone: ZoneInfo | None,
    indexed: bool = False,
) -> Any:
    """SELECT ``columns`` FROM member (joined to what the sort needs), filtered and ordered."""
    hours = last = None
    statement = select(*columns)
    if flt.sort == "hours_week":
        if week_start is None or zone is None:
            raise ValidationError("sort", "Sorting by hours needs the week and the time zone.")
        hours = _week_hours_query(week_start, zone).subquery()
        statement = statement.select_from(Member).outerjoin(hours, hours.c.member_id == col(Member.id))
    elif flt.sort == "last_picket":
        last = _last_picket_query().subquery()
        statement = statement.select_from(Member).outerjoin(last, last.c.member_id == col(Member.id))
    conditions = roster_conditions(flt, indexed=indexed)
    if conditions:
        statement = statement.where(*conditions)
    return statement.order_by(*_order(flt, hours, last))


def count_members(session: Session, flt: RosterFilter) -> int:
    """How many members match ``flt``."""
    require_full_access(session, "the roster")
    flt = resolve_pay(session, flt)
    statement = select(func.count()).select_from(Member)
    conditions = roster_conditions(flt, indexed=_indexed(session))
    if conditions:
        statement = statement.where(*conditions)
    return int(session.scalar(statement) or 0)


_PAGE_COLUMNS = (
    Member.id, Member.first_name, Member.last_name, Member.preferred_name, Member.member_number,
    Member.unit, Member.role, Member.status, Member.phone, Member.email,
)  # fmt: skip


def member_page(
    session: Session, flt: RosterFilter, offset: int, limit: int, *, week_start: date, zone: ZoneInfo
) -> list[RosterRow]:
    """Rows ``offset`` .. ``offset + limit`` of the roster under ``flt``.

    Hours this week and the last picket date are computed for the page's members only
    (unless the page is sorted by one of them).
    """
    require_full_access(session, "the roster")
    flt = resolve_pay(session, flt)
    columns = [col(column) for column in _PAGE_COLUMNS]
    statement = _ordered(flt, columns, week_start=week_start, zone=zone, indexed=_indexed(session))
    rows = session.execute(statement.offset(max(offset, 0)).limit(max(limit, 0))).all()
    return _roster_rows(session, rows, week_start=week_start, zone=zone, pay_week=flt.pay_week)


def first_page(
    session: Session, flt: RosterFilter, limit: int, *, week_start: date, zone: ZoneInfo
) -> tuple[int, list[RosterRow]]:
    """How many members match ``flt`` and the first ``limit`` of them, in one query.

    What the roster needs on each search keystroke. A search matches inside names, phones and
    emails, so it has to look at every member: counting and paging separately would do that
    twice. Here the count is a window function over the page query's own matches. Without a
    search the filters alone are cheap to count, and many members may match (all active ones,
    say): a window over all of them would sort every match instead of the first ``limit`` (at
    100k members and "status active", 199 ms instead of 65), so the count is a query of its own.
    """
    require_full_access(session, "the roster")
    flt = resolve_pay(session, flt)
    if member_filter(flt.query) is None:
        return count_members(session, flt), member_page(
            session, flt, 0, limit, week_start=week_start, zone=zone
        )
    columns = [*(col(column) for column in _PAGE_COLUMNS), func.count().over().label("matching")]
    statement = _ordered(flt, columns, week_start=week_start, zone=zone, indexed=_indexed(session))
    rows = session.execute(statement.limit(max(limit, 1))).all()
    matching = int(rows[0][-1]) if rows else 0
    page = [row[:-1] for row in rows[: max(limit, 0)]]
    return matching, _roster_rows(session, page, week_start=week_start, zone=zone, pay_week=flt.pay_week)


def _roster_rows(
    session: Session, rows: Sequence[Any], *, week_start: date, zone: ZoneInfo, pay_week: date | None
) -> list[RosterRow]:
    """Roster lines for raw ``_PAGE_COLUMNS`` rows, with the members' hours, last picket day and
    strike-pay standing in the pay week holding ``pay_week`` (default ``week_start``)."""
    if not rows:
        return []
    from strikeboard.services.hours import eligibility
    from strikeboard.services.settings import load_settings

    ids = [row[0] for row in rows]
    standing = eligibility(session, pay_week or week_start, load_settings(session), member_ids=ids)
    week = _week_hours_query(week_start, zone).where(col(CheckIn.member_id).in_(ids))
    hours = {member_id: float(value or 0.0) for member_id, value in session.execute(week)}
    last_in = {
        member_id: when
        for member_id, when in session.execute(_last_picket_query().where(col(CheckIn.member_id).in_(ids)))
    }
    result = []
    for member_id, first, last, preferred, number, unit, role, status, phone, email in rows:
        when = last_in.get(member_id)
        pay = standing[member_id]
        if isinstance(when, str):  # func.max() loses the column type: SQLite hands back text
            when = datetime.fromisoformat(when).replace(tzinfo=UTC)
        result.append(
            RosterRow(
                id=member_id,
                name=sort_name(first, last, preferred),
                member_number=number,
                unit=unit,
                role=role,
                status=status,
                phone=readable_phone(phone),
                email=email,
                hours_week=round(hours.get(member_id, 0.0), 2),
                last_picket=when.astimezone(zone).date() if when is not None else None,
                pay=pay.status.value,
                short_by=pay.short_by if pay.status.value == "short" else 0.0,
            )
        )
    return result


def member_position(session: Session, flt: RosterFilter, member_id: uuid.UUID) -> int | None:
    """The row index of ``member_id`` under ``flt`` (None when it does not match)."""
    require_full_access(session, "the roster")
    from strikeboard.services.shifts import week_start as monday_of

    flt = resolve_pay(session, flt)
    zone = ZoneInfo("UTC")
    if flt.sort == "hours_week":
        from strikeboard.services.settings import load_settings

        zone = load_settings(session).zone
    statement = _ordered(
        flt,
        [col(Member.id).label("mid")],
        week_start=monday_of(date.today()),
        zone=zone,
        indexed=_indexed(session),
    )
    ranked = statement.add_columns(
        func.row_number().over(order_by=list(statement._order_by_clauses)).label("rn")
    ).order_by(None)
    inner = ranked.subquery()
    found = session.execute(select(inner.c.rn).where(inner.c.mid == member_id)).scalar()
    return None if found is None else int(found) - 1


def unit_choices(session: Session) -> list[str]:
    """The units members belong to, sorted (for the unit filter)."""
    units = session.execute(select(col(Member.unit)).where(col(Member.unit) != "").distinct()).scalars()
    return sorted(units, key=lambda u: search_key(u))


# --------------------------------------------------------------------------- add and edit


@dataclass(frozen=True)
class MemberForm:
    """What the add/edit form submits: every field as typed."""

    member_number: str
    first_name: str
    last_name: str = ""
    preferred_name: str = ""
    pronouns: str = ""
    email: str = ""
    phone: str = ""
    unit: str = ""
    department: str = ""
    job_title: str = ""
    role: str = "member"
    status: str = "active"
    languages: str = ""  # comma-separated
    skills: str = ""  # comma-separated
    accommodation_notes: str = ""
    emergency_contact: str = ""
    notes: str = ""


#: The member fields, in form order: what an import can fill and an export can hold.
MEMBER_FIELDS: tuple[str, ...] = tuple(item.name for item in fields(MemberForm))


@dataclass(frozen=True)
class DuplicateHint:
    """An existing member the form may duplicate."""

    member_id: uuid.UUID
    name: str
    member_number: str
    reason: str  # "same email", "same phone", "same member number", "similar name"


#: Text fields of a member with their largest length (the column widths).
TEXT_LIMITS: dict[str, int] = {
    "member_number": 32,
    "first_name": 100,
    "last_name": 100,
    "preferred_name": 100,
    "pronouns": 40,
    "email": 254,
    "unit": 120,
    "department": 120,
    "job_title": 120,
    "emergency_contact": 200,
    "accommodation_notes": 10_000,
    "notes": 10_000,
}
_LABELS = {
    "member_number": "member number",
    "first_name": "first name",
    "last_name": "last name",
    "preferred_name": "preferred name",
    "job_title": "job title",
    "emergency_contact": "emergency contact",
    "accommodation_notes": "accommodation notes",
}
#: An email address, loosely: something@domain.tld, no spaces, one @.
EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")
_ONE_LINE = ("member_number", "first_name", "last_name", "preferred_name", "pronouns", "email", "unit",
             "department", "job_title", "emergency_contact")  # fmt: skip
_ROLES = frozenset(r.value for r in Role)
_STATUSES = frozenset(s.value for s in MemberStatus)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n]")


def split_list(text: str) -> list[str]:
    """``"Spanish, ASL"`` → ``["Spanish", "ASL"]`` (blank items dropped)."""
    return [item.strip() for item in text.split(",") if item.strip()]


def _label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))


def clean_text(name: str, value: str) -> str:
    """A text field stripped and checked (length, one line where it must be, no control characters)."""
    text = value.strip()
    if _CONTROL.search(text):
        raise ValidationError(name, f"The {_label(name)} contains a control character: retype it.")
    if name in _ONE_LINE and _LINE_BREAK.search(text):
        raise ValidationError(name, f"Give the {_label(name)} on one line.")
    limit = TEXT_LIMITS.get(name)
    if limit is not None and len(text) > limit:
        raise ValidationError(name, f"Keep the {_label(name)} to {limit} characters (it has {len(text)}).")
    return text


def clean_email(value: str) -> str:
    """An email address stripped and checked for shape (``""`` allowed)."""
    text = clean_text("email", value)
    if text and not EMAIL.match(text):
        raise ValidationError("email", f"{text!r} is not an email address (like name@example.org).")
    return text


def clean_choice(name: str, value: str, allowed: frozenset[str], default: str) -> str:
    """A role or status: case-insensitive, one of ``allowed``."""
    text = value.strip().casefold() or default
    if text not in allowed:
        raise ValidationError(
            name, f"{value.strip()!r} is not a {name}: use one of {', '.join(sorted(allowed))}."
        )
    return text


def _values(form: MemberForm) -> dict[str, Any]:
    """The form validated, as ``Member`` column values (raises ValidationError)."""
    values: dict[str, Any] = {}
    for name in TEXT_LIMITS:
        values[name] = clean_text(name, getattr(form, name))
    if not values["member_number"]:
        raise ValidationError("member_number", "Give the member number (the union's id for this member).")
    if not values["first_name"]:
        raise ValidationError("first_name", "Give the first name.")
    values["email"] = clean_email(form.email)
    values["phone"] = normalise_phone(form.phone)
    values["phone_digits"] = digits(values["phone"])
    values["role"] = clean_choice("role", form.role, _ROLES, Role.MEMBER.value)
    values["status"] = clean_choice("status", form.status, _STATUSES, MemberStatus.ACTIVE.value)
    values["languages"] = split_list(clean_text("languages", form.languages))
    values["skills"] = split_list(clean_text("skills", form.skills))
    values["search_key"] = search_key(values["first_name"], values["last_name"], values["preferred_name"])
    return values


def _duplicates(session: Session, values: dict[str, Any], member_id: uuid.UUID | None) -> list[DuplicateHint]:
    checks: list[tuple[Any, str]] = [
        (col(Member.member_number) == values["member_number"], "same member number")
    ]
    if values["email"]:
        checks.append((func.lower(col(Member.email)) == values["email"].lower(), "same email"))
    if values["phone_digits"]:
        checks.append((col(Member.phone_digits) == values["phone_digits"], "same phone"))
    given = search_key(values["preferred_name"] or values["first_name"])
    last = search_key(values["last_name"])
    if given and last:  # similar name: the same first (or preferred) and last name, accents ignored
        checks.append(
            (
                and_(
                    col(Member.search_key).contains(last, autoescape=True),
                    or_(
                        col(Member.search_key).startswith(given + " ", autoescape=True),
                        col(Member.search_key).contains(" " + given, autoescape=True),
                    ),
                ),
                "similar name",
            )
        )
    hints: dict[uuid.UUID, DuplicateHint] = {}
    for condition, reason in checks:
        statement = select(
            col(Member.id), col(Member.first_name), col(Member.last_name), col(Member.preferred_name),
            col(Member.member_number),
        ).where(condition)  # fmt: skip
        if member_id is not None:
            statement = statement.where(col(Member.id) != member_id)
        for found, first, last_name, preferred, number in session.execute(statement.limit(5)):
            if found not in hints:
                hints[found] = DuplicateHint(found, display_name(first, last_name, preferred), number, reason)
    return list(hints.values())


def check_member(
    session: Session, form: MemberForm, *, member_id: uuid.UUID | None = None
) -> list[DuplicateHint]:
    """Validate ``form`` (raises ValidationError(field, message)); return likely duplicates."""
    return _duplicates(session, _values(form), member_id)


def _actor(actor: str) -> str:
    if not actor.strip():
        raise ValidationError("actor", "Say who is making this change.")
    return actor.strip()


def _number_taken(session: Session, number: str, member_id: uuid.UUID | None) -> None:
    statement = select(col(Member.id)).where(col(Member.member_number) == number)
    if member_id is not None:
        statement = statement.where(col(Member.id) != member_id)
    if session.execute(statement.limit(1)).first() is not None:
        raise ValidationError("member_number", f"Member number {number} belongs to another member.")


def create_member(session: Session, form: MemberForm, *, actor: str) -> uuid.UUID:
    """Add a member; the phone is stored as E.164. The member number must be unused."""
    require_full_access(session, "adding members")
    _actor(actor)
    values = _values(form)
    _number_taken(session, values["member_number"], None)
    member = Member(**values)
    session.add(member)
    session.flush()
    return member.id


def _member(session: Session, member_id: uuid.UUID) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"No member has the id {member_id}.")
    return member


def update_member(session: Session, member_id: uuid.UUID, form: MemberForm, *, actor: str) -> None:
    """Save an edited member (the member number must stay unique)."""
    require_full_access(session, "editing members")
    _actor(actor)
    member = _member(session, member_id)
    values = _values(form)
    _number_taken(session, values["member_number"], member_id)
    changed = False
    for name, value in values.items():
        if getattr(member, name) != value:
            setattr(member, name, value)
            changed = True
    if changed:
        member.updated_at = utcnow()
        session.add(member)
        session.flush()


def deactivate_member(session: Session, member_id: uuid.UUID, *, actor: str) -> None:
    """Mark a member inactive: members are never deleted (their history stays attached)."""
    require_full_access(session, "removing members")
    _actor(actor)
    member = _member(session, member_id)
    if member.status != MemberStatus.INACTIVE:
        member.status = MemberStatus.INACTIVE.value
        member.updated_at = utcnow()
        session.add(member)
        session.flush()


def _form_of(member: Member) -> MemberForm:
    return MemberForm(
        member_number=member.member_number,
        first_name=member.first_name,
        last_name=member.last_name,
        preferred_name=member.preferred_name,
        pronouns=member.pronouns,
        email=member.email,
        phone=readable_phone(member.phone),
        unit=member.unit,
        department=member.department,
        job_title=member.job_title,
        role=member.role,
        status=member.status,
        languages=", ".join(member.languages or []),
        skills=", ".join(member.skills or []),
        accommodation_notes=member.accommodation_notes,
        emergency_contact=member.emergency_contact,
        notes=member.notes,
    )


def member_form(session: Session, member_id: uuid.UUID) -> MemberForm:
    """A member's current values, for prefilling the edit form (the phone shown readable)."""
    require_full_access(session, "a member's record")
    return _form_of(_member(session, member_id))


# --------------------------------------------------------------------------- the detail view


@dataclass(frozen=True)
class MemberDetail:
    """Everything the member detail view shows."""

    id: uuid.UUID
    form: MemberForm
    name: str
    phone_readable: str
    availability: tuple[str, ...]  # human lines, e.g. "Mon 06:00–14:00", "max 3 shifts/week"
    upcoming: tuple[tuple[datetime, str, str], ...]  # (starts_at UTC, location, role)
    history: tuple[tuple[date, str, float], ...]  # (local date, location, hours), newest first
    hours_week: float
    grievances: tuple[tuple[str, str, str], ...]  # (number, status, "grievant"/"steward")


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _number_text(value: float) -> str:
    return f"{value:g}"


def _availability_lines(session: Session, member_id: uuid.UUID, today: date) -> tuple[str, ...]:
    lines: list[str] = []
    avail = session.execute(select(Availability).where(col(Availability.member_id) == member_id)).scalar()
    windows = session.execute(
        select(AvailabilityWindow)
        .where(col(AvailabilityWindow.member_id) == member_id)
        .order_by(col(AvailabilityWindow.weekday), col(AvailabilityWindow.start_minute))
    ).scalars()
    for w in windows:
        lines.append(f"{_DAYS[w.weekday % 7]} {_clock(w.start_minute)}–{_clock(w.end_minute % 1440)}")
    if avail is not None:
        if avail.max_shifts_per_week is not None:
            lines.append(f"max {avail.max_shifts_per_week} shifts/week")
        if avail.max_hours_per_week is not None:
            lines.append(f"max {_number_text(avail.max_hours_per_week)} hours/week")
        if avail.max_shifts_per_day is not None:
            lines.append(f"max {avail.max_shifts_per_day} shifts/day")
        if avail.notes:
            lines.append(avail.notes)
    exceptions = session.execute(
        select(AvailabilityException)
        .where(col(AvailabilityException.member_id) == member_id, col(AvailabilityException.on_date) >= today)
        .order_by(col(AvailabilityException.on_date))
    ).scalars()
    for e in exceptions:
        if e.available and e.start_minute is not None and e.end_minute is not None:
            text = f"{e.on_date.isoformat()}: only {_clock(e.start_minute)}–{_clock(e.end_minute % 1440)}"
        else:
            text = f"{e.on_date.isoformat()}: {'available' if e.available else 'unavailable'}"
        lines.append(text + (f" ({e.note})" if e.note else ""))
    return tuple(lines)


def member_detail(session: Session, member_id: uuid.UUID, *, today: date, zone: ZoneInfo) -> MemberDetail:
    """A member's detail view: contact, availability, upcoming shifts, sign-ins, grievances."""
    require_full_access(session, "a member's record")
    from strikeboard.services.shifts import checkin_seconds, live_check_in, local_day_bounds
    from strikeboard.services.shifts import week_start as monday_of

    member = _member(session, member_id)
    now = local_day_bounds(today, zone)[0]
    upcoming = session.execute(
        select(col(Shift.starts_at), col(Location.name), col(Assignment.role))
        .join(Shift, col(Shift.id) == col(Assignment.shift_id))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(
            col(Assignment.member_id) == member_id,
            col(Assignment.status) == AssignmentStatus.ASSIGNED,
            col(Shift.cancelled).is_(False),
            col(Shift.ends_at) >= now,
        )
        .order_by(col(Shift.starts_at))
        .limit(50)
    ).all()
    history_rows = session.execute(
        select(col(CheckIn.in_at), checkin_seconds(), col(Location.name))
        .join(Shift, col(Shift.id) == col(CheckIn.shift_id))
        .join(Location, col(Location.id) == col(Shift.location_id))
        .where(col(CheckIn.member_id) == member_id, live_check_in())
        .order_by(col(CheckIn.in_at).desc())
    ).all()
    exact = [
        (in_at.astimezone(zone).date(), location, float(seconds) / 3600)
        for in_at, seconds, location in history_rows
    ]
    history = tuple((day, location, round(hours, 2)) for day, location, hours in exact)
    monday = monday_of(today)
    hours_week = round(sum(h for day, _, h in exact if monday <= day < monday + timedelta(days=7)), 2)
    as_grievant = session.execute(
        select(col(Grievance.number), col(Grievance.status))
        .join(GrievanceGrievant, col(GrievanceGrievant.grievance_id) == col(Grievance.id))
        .where(col(GrievanceGrievant.member_id) == member_id)
    ).all()
    as_steward = session.execute(
        select(col(Grievance.number), col(Grievance.status)).where(col(Grievance.steward_id) == member_id)
    ).all()
    grievances = sorted(
        [(n, s, "grievant") for n, s in as_grievant] + [(n, s, "steward") for n, s in as_steward],
        key=lambda g: g[0],
        reverse=True,
    )
    return MemberDetail(
        id=member.id,
        form=_form_of(member),
        name=display_name(member.first_name, member.last_name, member.preferred_name),
        phone_readable=readable_phone(member.phone),
        availability=_availability_lines(session, member_id, today),
        upcoming=tuple((starts, location, role) for starts, location, role in upcoming),
        history=history,
        hours_week=hours_week,
        grievances=tuple(grievances),
    )
