"""Read-only roster queries: a page of members, filtered in SQL.

Names are matched on ``Member.search_key`` (casefolded, accents stripped; see
:mod:`strikeboard.textnorm`) so "zoe" finds "Zoë"; member numbers by prefix and phone
numbers by their digits. Results are plain frozen dataclasses, safe to hand to the UI
after the session closes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session, col

from strikeboard.store.models import Member
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


def member_filter(query: str) -> Any | None:
    """The SQL condition for a roster search, or ``None`` for a blank query.

    Every word of the query must occur in the member's search key; alternatively the
    query may be the start of a member number, or (with enough digits) part of a phone.
    """
    text = query.strip()
    words = search_key(text).split()
    if not words:
        return None
    options: list[Any] = [
        and_(*(col(Member.search_key).contains(word, autoescape=True) for word in words)),
        col(Member.member_number).istartswith(text, autoescape=True),
    ]
    phone = digits(text)
    if len(phone) >= MIN_PHONE_DIGITS:
        options.append(col(Member.phone_digits).contains(phone, autoescape=True))
    return or_(*options)


def search_members(session: Session, query: str = "", limit: int = DEFAULT_PAGE) -> MemberPage:
    """Members matching ``query`` (all when blank), ordered by last then first name.

    A member with only one name (``last_name`` empty) sorts under that name.
    """
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
