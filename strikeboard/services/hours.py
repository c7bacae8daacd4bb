"""Picket hours per member and local day, hour credits, and strike-pay eligibility for a week.

The rules, each applied in one place:

- **Picket hours** come from live check-ins (:func:`~strikeboard.services.shifts.live_check_in`):
  from the sign-in to the sign-out. *A sign-in with no sign-out counts until its shift's
  end and is flagged "no sign-out"* (:func:`_picket_rows`), so a captain who forgot to sign
  someone out never costs them pay, and an organizer can see whom to check. A sign-out
  that :func:`strikeboard.services.signin.close_shift` recorded at the shift's end for
  the same reason (note :data:`~strikeboard.services.shift_people.NO_SIGN_OUT_NOTE`) is
  flagged the same way.
- **Days** are calendar days in the strike's time zone. A check-in's hours belong to the
  local day of its sign-in, even when the shift runs past local midnight (a 22:00–02:00
  shift is 4 h on the first day). A DST day is simply 23 or 25 hours long.
- **Weeks** start on :attr:`StrikePayRule.week_starts_on` (:func:`pay_week_start`).
- **Credits** (:class:`~strikeboard.store.models.HoursCredit`) are append-only: a void is a
  new row whose ``void_of`` names the voided credit; a credit counts while nothing voids it.
  Excused absences always count; alternative duty counts only when the rule's
  ``alternative_duty_counts`` is on.
- **Daily minimum**: a day whose total (picketing plus the credits that count) is below
  ``daily_minimum_hours`` adds nothing to the week.
- **Eligibility** for a week: *eligible* when the counted total reaches ``weekly_hours``;
  *short by N hours* when some hours count but fewer than that; *not eligible* when none do.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from strikeboard.services.access import require_full_access
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.roster import display_name
from strikeboard.services.settings import StrikePayRule, StrikeSettings
from strikeboard.services.shift_people import NO_SIGN_OUT_NOTE
from strikeboard.services.shifts import checkin_seconds, live_check_in, local_day_bounds
from strikeboard.store.models import CheckIn, CreditKind, HoursCredit, Member, Shift

#: Longest credit for one day, and the longest approver / description texts.
MAX_CREDIT_HOURS = 24.0
APPROVER_MAX = 120
DESCRIPTION_MAX = 500


def pay_week_start(day: date, rule: StrikePayRule) -> date:
    """The first day of the pay week holding ``day`` (weeks start on ``rule.week_starts_on``)."""
    return day - timedelta(days=(day.weekday() - rule.week_starts_on) % 7)


@dataclass(frozen=True)
class DayHours:
    """One member's hours on one local day, before the daily minimum."""

    picket: float = 0.0
    alternative_duty: float = 0.0
    excused_absence: float = 0.0
    no_sign_out: int = 0  # check-ins without a real sign-out, counted to their shift's end

    def total(self, rule: StrikePayRule) -> float:
        """Picketing plus the credits that count under ``rule``."""
        duty = self.alternative_duty if rule.alternative_duty_counts else 0.0
        return self.picket + self.excused_absence + duty

    def counted(self, rule: StrikePayRule) -> float:
        """:meth:`total`, or 0 when it is below the rule's daily minimum."""
        total = self.total(rule)
        return total if total >= rule.daily_minimum_hours else 0.0


class EligibilityStatus(StrEnum):
    """Where a member stands for a week's strike pay."""

    ELIGIBLE = "eligible"
    SHORT = "short"
    NOT_ELIGIBLE = "not_eligible"


@dataclass(frozen=True)
class Eligibility:
    """A member's week: hours per day, what counts, and the verdict."""

    member_id: uuid.UUID
    week_start: date
    days: tuple[DayHours, ...]  # 7, from ``week_start``
    counted_hours: float
    short_by: float  # hours still missing (0 when eligible)
    status: EligibilityStatus

    @property
    def picket_hours(self) -> float:
        """Hours on the line this week (every day, before the daily minimum)."""
        return _round(sum(day.picket for day in self.days))

    @property
    def no_sign_out(self) -> int:
        """Check-ins this week counted to their shift's end for want of a sign-out."""
        return sum(day.no_sign_out for day in self.days)

    @property
    def label(self) -> str:
        """``eligible``, ``short by 0.5 h`` or ``not eligible``."""
        if self.status is EligibilityStatus.SHORT:
            return f"short by {self.short_by:g} h"
        return self.status.value.replace("_", " ")


def _round(hours: float) -> float:
    return round(hours, 2)


def _day_index(column: Any, bounds: list[datetime]) -> Any:
    """SQL: which of the local days delimited by ``bounds`` (UTC) the instant ``column`` falls on."""
    return case(*[(column < bound, index) for index, bound in enumerate(bounds[1:])])


def _picket_rows(session: Session, bounds: list[datetime], member_ids: Collection[uuid.UUID] | None) -> Any:
    """``(member_id, day index, seconds, no-sign-out count)`` per member and local day.

    A check-in's length is :func:`~strikeboard.services.shifts.checkin_seconds`.
    """
    day = _day_index(col(CheckIn.in_at), bounds).label("day")
    seconds = checkin_seconds()
    flagged = or_(col(CheckIn.out_at).is_(None), col(CheckIn.note) == NO_SIGN_OUT_NOTE)
    open_rows = func.sum(case((flagged, 1), else_=0))
    query = (
        select(col(CheckIn.member_id), day, func.sum(seconds), open_rows)
        .join(Shift, col(Shift.id) == col(CheckIn.shift_id))
        .where(
            # the shift index narrows the rows; sign-ins happen within a day of the start
            col(Shift.starts_at) >= bounds[0] - timedelta(days=1),
            col(Shift.starts_at) < bounds[-1] + timedelta(days=1),
            col(CheckIn.in_at) >= bounds[0],
            col(CheckIn.in_at) < bounds[-1],
            live_check_in(),
        )
        .group_by(col(CheckIn.member_id), day)
    )
    if member_ids is not None:
        query = query.where(col(CheckIn.member_id).in_(list(member_ids)))
    return session.connection().execute(query)  # Core rows: no ORM bookkeeping for thousands of rows


def live_credit() -> Any:
    """SQL condition: an ``HoursCredit`` that counts (not a void, and not voided)."""
    voids = aliased(HoursCredit)
    return and_(
        col(HoursCredit.void_of).is_(None),
        col(HoursCredit.id).not_in(select(col(voids.void_of)).where(col(voids.void_of).is_not(None))),
    )


def daily_hours(
    session: Session,
    first_day: date,
    days: int,
    settings: StrikeSettings,
    member_ids: Collection[uuid.UUID] | None = None,
) -> dict[uuid.UUID, list[DayHours]]:
    """Per member with any hours: ``days`` :class:`DayHours` from the local ``first_day``.

    Two grouped queries (check-ins, credits) whatever the number of members.
    """
    zone = settings.zone
    bounds = [local_day_bounds(first_day + timedelta(days=i), zone)[0] for i in range(days)]
    bounds.append(local_day_bounds(first_day + timedelta(days=days - 1), zone)[1])
    picket: dict[tuple[uuid.UUID, int], tuple[float, int]] = {}
    for member_id, index, seconds, open_count in _picket_rows(session, bounds, member_ids):
        picket[member_id, index] = (float(seconds or 0) / 3600, int(open_count or 0))
    credits: dict[tuple[uuid.UUID, int], dict[str, float]] = defaultdict(dict)
    credit_query = (
        select(
            col(HoursCredit.member_id),
            col(HoursCredit.on_date),
            col(HoursCredit.kind),
            func.sum(col(HoursCredit.hours)),
        )
        .where(
            live_credit(),
            col(HoursCredit.on_date) >= first_day,
            col(HoursCredit.on_date) < first_day + timedelta(days=days),
        )
        .group_by(col(HoursCredit.member_id), col(HoursCredit.on_date), col(HoursCredit.kind))
    )
    if member_ids is not None:
        credit_query = credit_query.where(col(HoursCredit.member_id).in_(list(member_ids)))
    for member_id, on_date, kind, hours in session.connection().execute(credit_query):
        credits[member_id, (on_date - first_day).days][kind] = float(hours)
    result: dict[uuid.UUID, list[DayHours]] = {}
    for member_id, index in picket.keys() | credits.keys():
        hours, open_count = picket.get((member_id, index), (0.0, 0))
        kinds = credits.get((member_id, index), {})
        row = result.setdefault(member_id, [DayHours()] * days)
        row[index] = DayHours(
            picket=_round(hours),
            alternative_duty=_round(kinds.get(CreditKind.ALTERNATIVE_DUTY, 0.0)),
            excused_absence=_round(kinds.get(CreditKind.EXCUSED_ABSENCE, 0.0)),
            no_sign_out=open_count,
        )
    return result


def judge(
    member_id: uuid.UUID, week_start: date, days: tuple[DayHours, ...], rule: StrikePayRule
) -> Eligibility:
    """Apply the strike-pay ``rule`` to one member's seven days."""
    counted = _round(sum(day.counted(rule) for day in days))
    if counted >= rule.weekly_hours:
        status, short = EligibilityStatus.ELIGIBLE, 0.0
    elif counted > 0:
        status, short = EligibilityStatus.SHORT, _round(rule.weekly_hours - counted)
    else:
        status, short = EligibilityStatus.NOT_ELIGIBLE, _round(rule.weekly_hours)
    return Eligibility(member_id, week_start, days, counted, short, status)


def eligibility(
    session: Session,
    week_start: date,
    settings: StrikeSettings,
    member_ids: Collection[uuid.UUID] | None = None,
) -> dict[uuid.UUID, Eligibility]:
    """Every member's (or ``member_ids``') strike-pay standing for the pay week holding ``week_start``.

    Members without any hours are included, as not eligible.
    """
    require_full_access(session, "strike-pay standing")
    rule = settings.strike_pay
    start = pay_week_start(week_start, rule)
    hours = daily_hours(session, start, 7, settings, member_ids)
    if member_ids is None:
        member_ids = session.connection().execute(select(col(Member.id))).scalars().all()
    idle = judge(uuid.UUID(int=0), start, (DayHours(),) * 7, rule)  # everyone without hours: built once
    return {
        member_id: judge(member_id, start, tuple(hours[member_id]), rule)
        if member_id in hours
        else Eligibility(member_id, start, idle.days, idle.counted_hours, idle.short_by, idle.status)
        for member_id in member_ids
    }


# --- credits --------------------------------------------------------------------------------


def _text(field: str, value: str, limit: int, *, required: str = "") -> str:
    text = " ".join(value.split())
    if required and not text:
        raise ValidationError(field, required)
    if len(text) > limit:
        raise ValidationError(field, f"Keep the {field.replace('_', ' ')} to {limit} characters.")
    return text


def add_credit(
    session: Session,
    *,
    member_id: uuid.UUID,
    on_date: date,
    hours: float,
    kind: str,
    approved_by: str,
    description: str = "",
) -> uuid.UUID:
    """Credit ``hours`` of alternative duty or excused absence on ``on_date``; return the credit's id."""
    require_full_access(session, "hour credits")
    if session.get(Member, member_id) is None:
        raise NotFound("That member is not in the roster: search again.")
    kinds = [k.value for k in CreditKind]
    if kind not in kinds:
        raise ValidationError("kind", f"{kind!r} is not a kind of credit: use {' or '.join(kinds)}.")
    if not (math.isfinite(hours) and 0 < hours <= MAX_CREDIT_HOURS):
        raise ValidationError(
            "hours", f"Give the hours as a number above 0 and at most {MAX_CREDIT_HOURS:g}."
        )
    approver = _text("approved_by", approved_by, APPROVER_MAX, required="Say who approved the credit.")
    text = _text("description", description, DESCRIPTION_MAX)
    row = HoursCredit(
        member_id=member_id, on_date=on_date, hours=hours, kind=kind, description=text, approved_by=approver
    )
    session.add(row)
    session.flush()
    return row.id


def void_credit(session: Session, credit_id: uuid.UUID, *, by: str, reason: str = "") -> uuid.UUID:
    """Cancel a credit with a void row (who and why are kept); return the void's id."""
    require_full_access(session, "hour credits")
    credit = session.get(HoursCredit, credit_id)
    if credit is None:
        raise NotFound(f"No hours credit has the id {credit_id}: check the id.")
    if credit.void_of is not None:
        raise ValidationError("credit", "That row is itself a void: void the original credit instead.")
    voided = session.scalars(select(col(HoursCredit.id)).where(col(HoursCredit.void_of) == credit_id)).first()
    if voided is not None:
        raise ValidationError("credit", "That credit is already voided.")
    who = _text("by", by, APPROVER_MAX, required="Say who voids the credit.")
    why = _text("reason", reason, DESCRIPTION_MAX)
    row = HoursCredit(
        member_id=credit.member_id,
        on_date=credit.on_date,
        hours=credit.hours,
        kind=credit.kind,
        description=f"Void: {why}" if why else "Void.",
        approved_by=who,
        void_of=credit.id,
    )
    session.add(row)
    session.flush()
    return row.id


@dataclass(frozen=True)
class CreditRow:
    """A credit as listed: the original entry, and whether (and by whom) it was voided."""

    id: uuid.UUID
    member_id: uuid.UUID
    member_number: str
    name: str
    on_date: date
    hours: float
    kind: str
    description: str
    approved_by: str
    voided_by: str  # "" while it counts


def list_credits(
    session: Session,
    *,
    member_id: uuid.UUID | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[CreditRow]:
    """Credits (not the void rows themselves), by date, for one member and/or a range of days (inclusive)."""
    require_full_access(session, "hour credits")
    voids = aliased(HoursCredit)
    query = (
        select(
            HoursCredit,
            col(Member.member_number),
            col(Member.first_name),
            col(Member.last_name),
            col(Member.preferred_name),
            col(voids.approved_by),
        )
        .join(Member, col(Member.id) == col(HoursCredit.member_id))
        .outerjoin(voids, col(voids.void_of) == col(HoursCredit.id))
        .where(col(HoursCredit.void_of).is_(None))
        .order_by(col(HoursCredit.on_date), col(HoursCredit.created_at))
    )
    if member_id is not None:
        query = query.where(col(HoursCredit.member_id) == member_id)
    if first_day is not None:
        query = query.where(col(HoursCredit.on_date) >= first_day)
    if last_day is not None:
        query = query.where(col(HoursCredit.on_date) <= last_day)
    rows: dict[uuid.UUID, CreditRow] = {}  # two laptops may both have voided a credit: list it once
    for credit, number, first, last, preferred, voider in session.execute(query):
        rows.setdefault(
            credit.id,
            CreditRow(
                id=credit.id,
                member_id=credit.member_id,
                member_number=number,
                name=display_name(first, last, preferred),
                on_date=credit.on_date,
                hours=credit.hours,
                kind=credit.kind,
                description=credit.description,
                approved_by=credit.approved_by,
                voided_by=voider or "",
            ),
        )
    return list(rows.values())
