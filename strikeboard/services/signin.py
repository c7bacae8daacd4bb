"""Signing people in and out of picket shifts.

Check-ins are append-only (see :class:`~strikeboard.store.models.CheckIn`): a sign-in
is a new row; a sign-out is a *correction* row that voids the sign-in and carries both
times; an undo is a *void* row. The live state of a shift is the rows nobody voided
(:func:`strikeboard.services.shifts.live_check_in`), so two laptops' rows can later be
merged by their UUIDs without conflict.

Each function validates first and raises :class:`ValidationError` (naming the field)
before writing anything. The caller runs it inside ``Store.write()``; a sign-in is
acknowledged to the captain only after that transaction has committed.
"""

import heapq
import uuid
from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session, col

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.roster import MIN_PHONE_DIGITS, clean_text, display_name, normalise_phone, sort_name
from strikeboard.services.settings import load_settings
from strikeboard.services.shift_people import NO_SIGN_OUT_NOTE, hours_between
from strikeboard.services.shifts import live_check_in, local_day_bounds
from strikeboard.store.models import (
    Assignment,
    AssignmentStatus,
    CheckIn,
    CheckInKind,
    Location,
    Member,
    MemberStatus,
    Shift,
    utcnow,
)
from strikeboard.textnorm import digits, search_key

#: How early before its start a shift accepts sign-ins.
EARLY_SIGN_IN = timedelta(hours=1)


@dataclass(frozen=True)
class SignedIn:
    """A committed sign-in, with what the captain should be told."""

    check_in_id: uuid.UUID
    member_id: uuid.UUID
    name: str
    at: datetime
    walk_in: bool  # not assigned to this shift
    warning: str  # e.g. already signed in at another gate today; "" when none


def _shift(session: Session, shift_id: uuid.UUID) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("That shift no longer exists: pick the shift again.")
    return shift


def _live_row(session: Session, shift_id: uuid.UUID, member_id: uuid.UUID) -> CheckIn | None:
    """The member's live check-in row on the shift, if any."""
    return session.scalars(
        select(CheckIn).where(
            col(CheckIn.shift_id) == shift_id, col(CheckIn.member_id) == member_id, live_check_in()
        )
    ).first()


def _other_gate_today(
    session: Session, shift: Shift, member_id: uuid.UUID, at: datetime, zone: ZoneInfo
) -> str | None:
    """The name of another location where the member has a live check-in on ``at``'s local day."""
    start, end = local_day_bounds(at.astimezone(zone).date(), zone)
    return session.scalars(
        select(col(Location.name))
        .join(Shift, col(Shift.location_id) == col(Location.id))
        .join(CheckIn, col(CheckIn.shift_id) == col(Shift.id))
        .where(
            col(CheckIn.member_id) == member_id,
            live_check_in(),
            col(CheckIn.in_at) >= start,
            col(CheckIn.in_at) < end,
            col(Shift.location_id) != shift.location_id,
        )
    ).first()


def sign_in(
    session: Session,
    *,
    shift_id: uuid.UUID,
    member_id: uuid.UUID,
    at: datetime,
    by: str,
    zone: ZoneInfo,
) -> SignedIn:
    """Sign ``member_id`` in to ``shift_id`` at ``at``; someone not assigned is a walk-in."""
    shift = _shift(session, shift_id)
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("That member is not in the roster: search again or quick-add them.")
    name = display_name(member.first_name, member.last_name, member.preferred_name)
    if shift.cancelled:
        raise ValidationError("shift", "This shift is cancelled: pick the shift that is running.")
    if not shift.starts_at - EARLY_SIGN_IN <= at < shift.ends_at:
        local = shift.starts_at.astimezone(zone).strftime("%a %d %b %H:%M")
        raise ValidationError("shift", f"That shift ({local}) is not running now: pick the current shift.")
    if member.status == MemberStatus.INACTIVE:
        raise ValidationError(
            "member", f"{name} is marked inactive: an organizer must reactivate them first."
        )
    live = _live_row(session, shift_id, member_id)
    if live is not None and live.out_at is None:
        since = live.in_at.astimezone(zone).strftime("%H:%M")
        raise ValidationError("member", f"{name} is already signed in (since {since}).")
    if live is not None:
        raise ValidationError(
            "member", f"{name} already signed out of this shift: undo the sign-out to sign them back in."
        )
    assignment = session.scalars(
        select(Assignment).where(
            col(Assignment.shift_id) == shift_id,
            col(Assignment.member_id) == member_id,
            col(Assignment.status).in_((AssignmentStatus.ASSIGNED, AssignmentStatus.NO_SHOW)),
        )
    ).first()
    late = assignment is not None and assignment.status == AssignmentStatus.NO_SHOW
    if assignment is not None and late:  # marked no-show, then came after all: they are not a walk-in
        assignment.status = AssignmentStatus.ASSIGNED
        assignment.updated_at = utcnow()
    other_gate = _other_gate_today(session, shift, member_id, at, zone)
    row = CheckIn(
        kind=CheckInKind.SIGN_IN,
        shift_id=shift_id,
        member_id=member_id,
        in_at=at,
        walk_in=assignment is None,
        recorded_by=by,
    )
    session.add(row)
    session.flush()
    warnings = [f"{name} already signed in at {other_gate} today." if other_gate else ""]
    warnings.append(f"{name} was marked a no-show: that mark is lifted." if late else "")
    warning = " ".join(w for w in warnings if w)
    return SignedIn(row.id, member_id, name, at, row.walk_in, warning)


def sign_out(session: Session, *, shift_id: uuid.UUID, member_id: uuid.UUID, at: datetime, by: str) -> float:
    """Sign the member out at ``at``; return the hours credited for the shift."""
    live = _live_row(session, shift_id, member_id)
    if live is None or live.out_at is not None:
        raise ValidationError("member", "Not signed in to this shift: nothing to sign out.")
    if at <= live.in_at:
        raise ValidationError("at", "The sign-out time must be after the sign-in time.")
    session.add(
        CheckIn(
            kind=CheckInKind.CORRECTION,
            shift_id=shift_id,
            member_id=member_id,
            in_at=live.in_at,
            out_at=at,
            walk_in=live.walk_in,
            void_of=live.id,
            recorded_by=by,
            note="signed out",
        )
    )
    session.flush()
    return round((at - live.in_at).total_seconds() / 3600, 2)


def undo(session: Session, *, shift_id: uuid.UUID, member_id: uuid.UUID, by: str, reason: str) -> None:
    """Cancel the member's check-in on the shift (a void row: who, when and why are kept)."""
    live = _live_row(session, shift_id, member_id)
    if live is None:
        raise ValidationError("member", "Not signed in to this shift: there is nothing to undo.")
    session.add(
        CheckIn(
            kind=CheckInKind.VOID,
            shift_id=shift_id,
            member_id=member_id,
            in_at=live.in_at,
            out_at=live.out_at,
            walk_in=live.walk_in,
            void_of=live.id,
            recorded_by=by,
            note=reason,
        )
    )
    session.flush()


# --------------------------------------------------------------------------- quick-add


def _by(by: str) -> str:
    if not by.strip():
        raise ValidationError("by", "Say who is recording this (the captain's name).")
    return by.strip()


def quick_add(session: Session, *, first_name: str, last_name: str, phone: str, by: str) -> uuid.UUID:
    """Add someone not on the roster (name and phone only), status "incomplete", flagged for an organizer.

    The member gets a provisional number ``Q-XXXXXXXX``; a phone already on the roster is
    refused (sign that member in instead) so a gate cannot create duplicates.
    """
    who = _by(by)
    first = clean_text("first_name", first_name)
    last = clean_text("last_name", last_name)
    if not first:
        raise ValidationError("first_name", "Give the first name.")
    if not phone.strip():
        raise ValidationError(
            "phone", "Give a phone number so an organizer can reach them to complete the record."
        )
    e164 = normalise_phone(phone)
    phone_digits = digits(e164)
    existing = session.execute(
        select(
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
            col(Member.member_number),
        )
        .where(col(Member.phone_digits) == phone_digits)
        .limit(1)
    ).first()
    if existing is not None:
        name = display_name(existing[0], existing[1], existing[2])
        raise ValidationError(
            "phone", f"That phone is {name}'s ({existing[3]}): search for them and sign them in instead."
        )
    while True:
        number = f"Q-{uuid.uuid4().hex[:8].upper()}"
        if session.scalar(select(col(Member.id)).where(col(Member.member_number) == number)) is None:
            break
    member = Member(
        member_number=number,
        first_name=first,
        last_name=last,
        phone=e164,
        phone_digits=phone_digits,
        status=MemberStatus.INCOMPLETE.value,
        notes=f"Quick-added at a gate by {who} on {utcnow():%Y-%m-%d}: an organizer should complete it.",
        search_key=search_key(first, last),
    )
    session.add(member)
    session.flush()
    return member.id


# --------------------------------------------------------------------------- shift end


def _ended_shift(session: Session, shift_id: uuid.UUID, now: datetime, what: str) -> Shift:
    shift = _shift(session, shift_id)
    if shift.cancelled:
        raise ValidationError("shift", "This shift is cancelled: there is nobody to mark.")
    if now < shift.ends_at:
        zone = load_settings(session).zone
        raise ValidationError(
            "shift",
            f"This shift runs until {shift.ends_at.astimezone(zone):%H:%M}: {what} once it has ended.",
        )
    return shift


def mark_no_shows(session: Session, *, shift_id: uuid.UUID, by: str, now: datetime) -> tuple[str, ...]:
    """Mark everyone assigned who never signed in as a no-show (once the shift has ended); their names."""
    _by(by)
    _ended_shift(session, shift_id, now, "mark no-shows")
    came = select(col(CheckIn.member_id)).where(col(CheckIn.shift_id) == shift_id, live_check_in())
    rows = session.execute(
        select(Assignment, col(Member.first_name), col(Member.last_name), col(Member.preferred_name))
        .join(Member, col(Member.id) == col(Assignment.member_id))
        .where(
            col(Assignment.shift_id) == shift_id,
            col(Assignment.status) == AssignmentStatus.ASSIGNED,
            col(Assignment.member_id).not_in(came),
        )
    ).all()
    stamp = utcnow()
    names = []
    for assignment, first, last, preferred in rows:
        assignment.status = AssignmentStatus.NO_SHOW.value
        assignment.updated_at = stamp
        session.add(assignment)
        names.append(display_name(first, last, preferred))
    session.flush()
    return tuple(sorted(names))


@dataclass(frozen=True)
class Closed:
    """Someone signed out by :func:`close_shift`, with the hours credited."""

    member_id: uuid.UUID
    name: str
    hours: float


def close_shift(session: Session, *, shift_id: uuid.UUID, by: str, now: datetime) -> tuple[Closed, ...]:
    """Sign out everyone still in at the shift's end, at the end time, flagged "no sign-out".

    The stated rule: a person still signed in when the shift ends is credited to the
    shift's end, and the row's note says so for an organizer to check.
    """
    who = _by(by)
    shift = _ended_shift(session, shift_id, now, "close it")
    rows = session.execute(
        select(CheckIn, col(Member.first_name), col(Member.last_name), col(Member.preferred_name))
        .join(Member, col(Member.id) == col(CheckIn.member_id))
        .where(col(CheckIn.shift_id) == shift_id, live_check_in(), col(CheckIn.out_at).is_(None))
    ).all()
    closed = []
    for live, first, last, preferred in rows:
        out_at = max(shift.ends_at, live.in_at + timedelta(seconds=1))
        session.add(
            CheckIn(
                kind=CheckInKind.CORRECTION,
                shift_id=shift_id,
                member_id=live.member_id,
                in_at=live.in_at,
                out_at=out_at,
                walk_in=live.walk_in,
                void_of=live.id,
                recorded_by=who,
                note=NO_SIGN_OUT_NOTE,
            )
        )
        closed.append(
            Closed(live.member_id, display_name(first, last, preferred), hours_between(live.in_at, out_at))
        )
    session.flush()
    return tuple(sorted(closed, key=lambda c: c.name.casefold()))


# --------------------------------------------------------------------------- type-ahead


@dataclass(frozen=True)
class Candidate:
    """A member the sign-in box can match."""

    member_id: uuid.UUID
    name: str
    sort_name: str
    member_number: str
    phone_digits: str
    status: str
    key: str  # the search key (casefolded, accent-free)


@dataclass(frozen=True)
class Matches:
    """What the sign-in box matches, best first (at most the ``limit`` asked for)."""

    query: str
    candidates: tuple[Candidate, ...]
    total: int  # matches in all
    exact: Candidate | None  # a whole member number typed (a scan), or the one and only match


def _prefixed(pairs: list[tuple[str, int]], prefix: str) -> set[int]:
    """The positions paired with a text starting with ``prefix`` (``pairs`` sorted)."""
    found = set()
    at = bisect_left(pairs, (prefix, -1))
    while at < len(pairs) and pairs[at][0].startswith(prefix):
        found.add(pairs[at][1])
        at += 1
    return found


class SignInIndex:
    """Every member in memory, for type-ahead at a gate: name-token prefixes, numbers, phone digits."""

    def __init__(self, candidates: Iterable[Candidate], stamp: tuple[int, object] = (0, None)) -> None:
        self.stamp = stamp  # what :func:`member_stamp` said when it was loaded
        self.candidates: list[Candidate] = []
        self._tokens: list[tuple[str, int]] = []
        self._numbers: dict[str, int] = {}
        self._number_digits: dict[str, int] = {}
        self._by_number: list[tuple[str, int]] = []  # (number casefolded, position), sorted
        self._by_number_digits: list[tuple[str, int]] = []  # (the number's digits, position), sorted
        self.phones: list[str] = []  # phone digits, by position
        self._keys: list[tuple[str, int]] = []  # (the whole search key, position), sorted
        self._positions: dict[uuid.UUID, int] = {}
        for candidate in sorted(candidates, key=lambda c: (c.sort_name, c.member_number)):
            self._put(candidate)  # in name order: a lower position is earlier by name
        self._sort()

    def _sort(self) -> None:
        self._tokens.sort()
        self._keys.sort()
        self._by_number.sort()
        self._by_number_digits.sort()

    def _put(self, candidate: Candidate) -> None:
        index = len(self.candidates)
        self.candidates.append(candidate)
        self._positions[candidate.member_id] = index
        self._keys.append((candidate.key, index))
        for token in set(candidate.key.split()):
            self._tokens.append((token, index))
        number = candidate.member_number.casefold()
        self._numbers[number] = index
        if digits(number):
            self._number_digits.setdefault(digits(number), index)
        self._by_number.append((number, index))
        self._by_number_digits.append((digits(number), index))
        self.phones.append(candidate.phone_digits)

    def add(self, candidate: Candidate) -> None:
        """Add one member (just quick-added) without reloading."""
        self._put(candidate)
        self._sort()

    def __len__(self) -> int:
        return len(self.candidates)

    def token_prefix(self, prefix: str) -> set[int]:
        """Members with a name word starting with ``prefix``."""
        return _prefixed(self._tokens, prefix)

    def key_prefix(self, prefix: str) -> set[int]:
        """Members whose whole search key starts with ``prefix``."""
        return _prefixed(self._keys, prefix)

    def position(self, candidate: Candidate) -> int:
        """Where ``candidate`` is in :attr:`candidates`."""
        return self._positions[candidate.member_id]

    def positions(self, member_ids: Collection[uuid.UUID]) -> set[int]:
        """Where the members ``member_ids`` are (those not in the index are left out)."""
        return {self._positions[m] for m in member_ids if m in self._positions}

    def number_prefix(self, prefix: str) -> set[int]:
        """Members whose number starts with ``prefix`` (casefolded), or whose number's digits do."""
        found = _prefixed(self._by_number, prefix)
        if prefix.isdigit():
            found |= _prefixed(self._by_number_digits, prefix)
        return found

    def number(self, text: str) -> Candidate | None:
        """The member whose number is ``text`` (case-insensitive; or its digits, as a scanner types them)."""
        folded = text.strip().casefold()
        index = self._numbers.get(folded)
        if index is None and folded.isdigit():
            index = self._number_digits.get(folded)
        return self.candidates[index] if index is not None else None


def member_stamp(session: Session) -> tuple[int, object]:
    """How many members there are and the latest change: a new stamp means the index is stale."""
    count, latest = session.execute(select(func.count(), func.max(col(Member.updated_at)))).one()
    return int(count), latest


def candidate(member: Member) -> Candidate:
    """A member as the index holds it."""
    return Candidate(
        member.id,
        display_name(member.first_name, member.last_name, member.preferred_name),
        sort_name(member.first_name, member.last_name, member.preferred_name).casefold(),
        member.member_number,
        member.phone_digits,
        member.status,
        member.search_key or search_key(member.first_name, member.last_name, member.preferred_name),
    )


def load_index(session: Session) -> SignInIndex:
    """Every member, for :func:`find_for_sign_in` (about 50 ms for 11,500 members)."""
    stamp = member_stamp(session)
    rows = session.execute(
        select(
            col(Member.id),
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
            col(Member.member_number),
            col(Member.phone_digits),
            col(Member.status),
            col(Member.search_key),
        )
    )
    return SignInIndex(
        (
            Candidate(
                member_id,
                display_name(first, last, preferred),
                sort_name(first, last, preferred).casefold(),
                number,
                phone_digits,
                status,
                key or search_key(first, last, preferred),
            )
            for member_id, first, last, preferred, number, phone_digits, status, key in rows
        ),
        stamp,
    )


#: Characters a typed phone number may contain besides digits.
_PHONE_PUNCTUATION = str.maketrans("", "", " -().+/")


def find_for_sign_in(
    index: SignInIndex, text: str, *, limit: int = 8, prefer: Collection[uuid.UUID] = ()
) -> Matches:
    """Members matching what was typed in the sign-in box, best first.

    A whole member number (``W104522``, or its digits as a barcode scanner types them) is
    an exact match. Otherwise: every typed word is the start of a word of the name (accents
    and case ignored: "zoe ob" finds "Zoë O'Brien"), or the text starts a member number,
    or (3+ digits) it is part of a phone number. Members in ``prefer`` (expected on the
    shift) come first, then names that start with the text, then by name.
    """
    query = text.strip()
    if not query:
        return Matches(text, (), 0, None)
    exact = index.number(query)
    found: set[int] = set()
    words = search_key(query).split()
    if words:
        sets = [index.token_prefix(word) for word in words]
        found = set.intersection(*sorted(sets, key=len))
    folded = query.casefold()
    if any(ch.isdigit() for ch in folded):
        bare = folded.translate(_PHONE_PUNCTUATION)
        found |= index.number_prefix(folded)
        if bare.isdigit():
            found |= index.number_prefix(bare)
            if len(bare) >= MIN_PHONE_DIGITS:
                found.update(position for position, phone in enumerate(index.phones) if bare in phone)
    preferred = found & index.positions(prefer)
    starting = (found & index.key_prefix(search_key(query))) - preferred
    rest = found - preferred - starting
    best = sorted(preferred)[:limit]
    best += heapq.nsmallest(limit - len(best), starting)
    best += heapq.nsmallest(limit - len(best), rest)
    ranked = [index.candidates[position] for position in best]
    total = len(found)
    if exact is not None:
        total += index.position(exact) not in found
        ranked = [exact, *(c for c in ranked if c is not exact)][:limit]
    elif total == 1:
        exact = ranked[0]
    return Matches(text, tuple(ranked), total, exact)
