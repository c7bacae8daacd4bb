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
