"""Contract time limits: the date a deadline falls on (stdlib and dateutil only, no DB).

A contract counts its limits either in calendar days or in working days, and "working
days" almost always means Monday to Friday, holidays excluded. The count starts the day
*after* the triggering event (the incident, the answer, the filing), as contracts and
courts do.
"""

from collections.abc import Collection
from datetime import date, datetime, timedelta

from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule

_WEEKDAYS = (MO, TU, WE, TH, FR)


def due_date(start: date, days: int, *, working_days: bool, holidays: Collection[date] = ()) -> date:
    """The day a limit of ``days`` days counted from ``start`` runs out.

    Calendar days: ``start + days``. Working days: the ``days``-th Monday–Friday after
    ``start`` that is not in ``holidays`` (``start`` itself never counts, whatever day
    it is). Zero days is ``start`` itself. Holidays only matter for working days.

    >>> due_date(date(2026, 11, 27), 1, working_days=True)  # a Friday
    datetime.date(2026, 11, 30)
    """
    if days < 0:
        raise ValueError(f"a time limit cannot be negative ({days} days)")
    if not working_days:
        return start + timedelta(days=days)
    if days == 0:
        return start
    skip = holidays if isinstance(holidays, frozenset | set) else frozenset(holidays)
    # Every Monday–Friday after ``start``; holidays are dropped as they come. The
    # iterator is lazy, so at most ``days + len(holidays)`` days are ever produced.
    weekdays = rrule(
        DAILY, dtstart=datetime.combine(start + timedelta(days=1), datetime.min.time()), byweekday=_WEEKDAYS
    )
    counted = 0
    for moment in weekdays:
        day = moment.date()
        if day in skip:
            continue
        counted += 1
        if counted == days:
            return day
    raise AssertionError("unreachable: an unbounded rule always reaches the count")


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Monday to Friday and not a holiday."""
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays: Collection[date] = ()) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def step_deadline(start: date, days: int, *, working_days: bool, holidays: Collection[date] = ()) -> date:
    """The deadline of a contract time limit: THE rule every grievance deadline goes through.

    Working days: :func:`due_date` (never lands on a weekend or holiday). Calendar days:
    ``start + days``, moved forward to the next working day when it lands on a Saturday,
    Sunday or holiday — the usual contract clause (and the rule courts apply), so that no
    one must act on a day the office is closed.

    >>> step_deadline(date(2026, 11, 20), 8, working_days=False)  # Sat 28 Nov → Mon 30 Nov
    datetime.date(2026, 11, 30)
    """
    skip = holidays if isinstance(holidays, frozenset | set) else frozenset(holidays)
    day = due_date(start, days, working_days=working_days, holidays=skip)
    return day if working_days else next_working_day(day, skip)


def _weekdays_before(day: date) -> int:
    """Monday–Friday days strictly before ``day``, counted from the epoch 0001-01-01 (a Monday)."""
    n = day.toordinal() - 1  # days since Monday 0001-01-01
    weeks, rest = divmod(n, 7)
    return weeks * 5 + min(rest, 5)


def working_days_between(start: date, end: date, holidays: Collection[date] = ()) -> int:
    """Working days from ``start`` to ``end``: how many lie in (start, end] when ``end`` is
    later (so a deadline tomorrow is 1), or minus how many lie in [end, start) when it is
    earlier (a deadline last Friday seen on Monday is -1). Same day: 0.
    """
    if end == start:
        return 0
    lo, hi, sign = (start, end, 1) if end > start else (end, start, -1)
    # (lo, hi] for a future end, [lo, hi) for a past one.
    first = lo + timedelta(days=1) if sign == 1 else lo
    last = hi if sign == 1 else hi - timedelta(days=1)
    count = _weekdays_before(last + timedelta(days=1)) - _weekdays_before(first)
    count -= sum(1 for day in set(holidays) if first <= day <= last and day.weekday() < 5)
    return sign * count


def end_of_working_week(today: date) -> date:
    """The Friday of this week; on a Saturday or Sunday, the coming Friday."""
    return today + timedelta(days=(4 - today.weekday()) % 7)
