"""Formatting of times, counts and names for the screen (stdlib only)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def clock_time(moment: datetime, zone: ZoneInfo) -> str:
    """``"09:00"``: the local wall-clock time of an aware instant."""
    return moment.astimezone(zone).strftime("%H:%M")


def time_range(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """``"09:00–13:00"`` in the strike's zone (``"22:00–02:00+1"`` when it ends the next day)."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    days = (local_end.date() - local_start.date()).days
    suffix = f"+{days}" if days > 0 else ""
    return f"{local_start:%H:%M}–{local_end:%H:%M}{suffix}"


def short_day(day: date) -> str:
    """``"Tue 10 Nov"``."""
    return f"{day:%a} {day.day} {day:%b}"


def long_day(day: date) -> str:
    """``"Tuesday 10 November 2026"``."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``"1 shift"``, ``"1,204 members"``."""
    word = singular if number == 1 else (plural or singular + "s")
    return f"{number:,} {word}"


def headcount(low: int, high: int) -> str:
    """``"4–8"`` or ``"4"`` when the bounds are equal."""
    return str(low) if low == high else f"{low}–{high}"


def days_left(days: int | None) -> str:
    """``"today"``, ``"1 day"``, ``"3 days overdue"``; ``""`` without a deadline."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days < 0:
        return f"{count(-days, 'day')} overdue"
    return count(days, "day")


def names(people: tuple[str, ...] | list[str], shown: int = 2) -> str:
    """``"Ana Ruiz, Bo Kim +3"``: the first ``shown`` names and how many more."""
    head = ", ".join(people[:shown])
    rest = len(people) - shown
    return f"{head} +{rest}" if rest > 0 else head
