"""The gateway's Sign-in-tab methods: a gate's desk, type-ahead, and the captain's writes.

A mixin of :class:`strikeboard.tui.data.Gateway` (imported lazily with it). Every write
runs in one transaction (``store.write`` under the captain's name) and the shift's list is
read again *after* the commit, so what the tab shows as done is what the database holds.
The services' ``ValidationError``/``NotFound`` become
:class:`~strikeboard.tui.forms.base.FieldProblem` (one sentence, nothing written).
A sign-in can also be shown the moment it commits (:meth:`SignInData.commit_sign_in`), and the
list read afterwards (:meth:`SignInData.signin_people`).
Type-ahead runs in memory over every member (:class:`~strikeboard.services.signin.SignInIndex`),
loaded once and reloaded when the roster has changed.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from strikeboard.services import signin
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.shift_people import GateShift, ShiftPeople, current_shift, gate_shifts, shift_people
from strikeboard.services.signin import Closed, Matches, SignedIn, SignInIndex
from strikeboard.store.models import Location, Member, Shift
from strikeboard.tui.forms.base import FieldProblem

if TYPE_CHECKING:
    from strikeboard.services.settings import StrikeSettings
    from strikeboard.store.db import Store


@dataclass(frozen=True)
class Desk:
    """A gate's sign-in desk: its shifts today and the chosen one's people (``None``: no shift today)."""

    location_id: uuid.UUID
    location: str
    shifts: tuple[GateShift, ...]
    people: ShiftPeople | None
    now: datetime
    read_from: float = 0.0  # ``time.monotonic()`` when the read began: it holds every commit before


@dataclass(frozen=True)
class Done:
    """A committed write, with the shift's list read after the commit."""

    people: ShiftPeople
    at: datetime  # the instant the list was read for
    signed: SignedIn | None = None  # a sign-in (or quick-add and sign-in)
    hours: float | None = None  # a sign-out's hours
    names: tuple[str, ...] = ()  # no-shows marked
    closed: tuple[Closed, ...] = ()  # signed out at the shift's end
    read_from: float = 0.0  # ``time.monotonic()`` when the list's read began (see :attr:`Desk.read_from`)


@contextmanager
def _problems() -> Iterator[None]:
    try:
        yield
    except ValidationError as error:
        raise FieldProblem(error.field, error.message) from None
    except NotFound as error:
        raise FieldProblem("", str(error)) from None


class SignInData:
    """Gateway methods of the Sign-in tab (``store`` and ``settings`` come from the Gateway)."""

    store: Store
    settings: StrikeSettings
    _signin_index: SignInIndex | None = None

    # -- reading ---------------------------------------------------------------------

    def signin_desk(
        self,
        now: datetime,
        *,
        location_id: uuid.UUID | None = None,
        board_shift: uuid.UUID | None = None,
        shift_id: uuid.UUID | None = None,
    ) -> Desk:
        """A gate's desk at ``now``: the gate by id, or the gate of ``board_shift`` (a row of the board).

        The shift is ``shift_id`` when it is one of the gate's shifts today, else the clock's
        (:func:`current_shift`), else the next one to start, else the day's first.
        """
        zone = self.settings.zone
        read_from = time.monotonic()
        with _problems(), self.store.read() as session:
            if location_id is None:
                shift = session.get(Shift, board_shift) if board_shift is not None else None
                if shift is None:
                    raise NotFound("That shift no longer exists: pick the gate again.")
                location_id = shift.location_id
            location = session.get(Location, location_id)
            if location is None:
                raise NotFound("That gate no longer exists: pick the gate again.")
            shifts = tuple(gate_shifts(session, location_id, now.astimezone(zone).date(), zone, now))
            chosen = next((s for s in shifts if s.shift_id == shift_id), None) or current_shift(shifts, now)
            if chosen is None and shifts:
                later = [s for s in shifts if s.starts_at > now and not s.cancelled]
                chosen = later[0] if later else shifts[0]
            people = shift_people(session, chosen.shift_id, now, zone) if chosen is not None else None
            return Desk(location_id, location.name, shifts, people, now, read_from)

    def signin_index(self) -> SignInIndex:
        """Every member for type-ahead: loaded the first time, and again once the roster has changed."""
        index = self._signin_index
        with self.store.read() as session:
            if index is None or index.stamp != signin.member_stamp(session):
                index = signin.load_index(session)
        self._signin_index = index
        return index

    def signin_index_reloaded(self) -> bool:
        """Load the type-ahead index if the roster has changed (:meth:`signin_index`); whether it was."""
        before = self._signin_index
        return self.signin_index() is not before

    def signin_matches(self, text: str, prefer: Collection[uuid.UUID] = (), limit: int = 8) -> Matches:
        """Members matching ``text`` (in memory, no database: call on any thread); none until loaded."""
        index = self._signin_index
        if index is None:
            return Matches(text, (), 0, None)
        return signin.find_for_sign_in(index, text, limit=limit, prefer=prefer)

    def signin_people(self, shift_id: uuid.UUID, now: datetime) -> Done:
        """The shift's list, read (again) after a write has committed (with ``read_from`` set)."""
        read_from = time.monotonic()
        with _problems(), self.store.read() as session:
            people = shift_people(session, shift_id, now, self.settings.zone)
        return Done(people, now, read_from=read_from)

    # -- writing (each one transaction; then the list is read again, after the commit) --

    def commit_sign_in(
        self, shift_id: uuid.UUID, member_id: uuid.UUID, now: datetime, *, by: str
    ) -> SignedIn:
        """Sign a member in at ``now`` (a walk-in when not assigned); returns once committed.

        The tab shows the returned sign-in at once and reads the list (:meth:`signin_people`) after.
        """
        with _problems(), self.store.write(by) as session:
            return signin.sign_in(
                session, shift_id=shift_id, member_id=member_id, at=now, by=by, zone=self.settings.zone
            )

    def quick_add_and_sign_in(
        self, shift_id: uuid.UUID, now: datetime, *, first_name: str, last_name: str, phone: str, by: str
    ) -> Done:
        """Add someone not on the roster (flagged incomplete) and sign them in, in one transaction."""
        with _problems(), self.store.write(by) as session:
            member_id = signin.quick_add(
                session, first_name=first_name, last_name=last_name, phone=phone, by=by
            )
            signed = signin.sign_in(
                session, shift_id=shift_id, member_id=member_id, at=now, by=by, zone=self.settings.zone
            )
            member = session.get(Member, member_id)
            assert member is not None
            added = signin.candidate(member)
        index = self._signin_index
        if index is not None:
            index.add(added)
        return replace(self.signin_people(shift_id, now), signed=signed)

    def sign_out_member(self, shift_id: uuid.UUID, member_id: uuid.UUID, now: datetime, *, by: str) -> Done:
        """Sign a member out at ``now``; the hours credited come back in ``hours``."""
        with _problems(), self.store.write(by) as session:
            hours = signin.sign_out(session, shift_id=shift_id, member_id=member_id, at=now, by=by)
        return replace(self.signin_people(shift_id, now), hours=hours)

    def undo_sign_in(
        self, shift_id: uuid.UUID, member_id: uuid.UUID, now: datetime, *, by: str, reason: str
    ) -> Done:
        """Void a member's check-in on the shift (who, when and why are kept)."""
        with _problems(), self.store.write(by) as session:
            signin.undo(session, shift_id=shift_id, member_id=member_id, by=by, reason=reason)
        return self.signin_people(shift_id, now)

    def close_signin_shift(self, shift_id: uuid.UUID, now: datetime, *, by: str) -> Done:
        """Sign out everyone still in at the shift's end (credited to the end, flagged)."""
        with _problems(), self.store.write(by) as session:
            closed = signin.close_shift(session, shift_id=shift_id, by=by, now=now)
        return replace(self.signin_people(shift_id, now), closed=closed)

    def mark_signin_no_shows(self, shift_id: uuid.UUID, now: datetime, *, by: str) -> Done:
        """Mark the assigned people who never came as no-shows (once the shift has ended)."""
        with _problems(), self.store.write(by) as session:
            names = signin.mark_no_shows(session, shift_id=shift_id, by=by, now=now)
        return replace(self.signin_people(shift_id, now), names=names)
