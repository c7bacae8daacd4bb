"""The deadline engine: hand-worked examples, and an independent check against
numpy.busday_offset (test-only) over many random dates and holiday lists."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strikeboard.services.deadlines import (
    due_date,
    end_of_working_week,
    is_working_day,
    next_working_day,
    step_deadline,
    working_days_between,
)

THANKSGIVING = date(2026, 11, 26)
XMAS, NEW_YEAR = date(2026, 12, 25), date(2027, 1, 1)
HOLIDAYS = frozenset({THANKSGIVING, date(2026, 11, 27), XMAS, NEW_YEAR, date(2028, 2, 28)})


@pytest.mark.parametrize(
    ("start", "days", "working", "expected"),
    [
        # working days: the start never counts, weekends and holidays are skipped
        (date(2026, 11, 20), 1, True, date(2026, 11, 23)),  # Fri → Mon
        (date(2026, 11, 21), 1, True, date(2026, 11, 23)),  # from a Saturday
        (date(2026, 11, 24), 2, True, date(2026, 11, 30)),  # over Thanksgiving Thu + Fri
        (date(2026, 11, 16), 10, True, date(2026, 12, 2)),
        (date(2026, 12, 22), 7, True, date(2027, 1, 4)),  # across Christmas and New Year
        (date(2028, 2, 25), 2, True, date(2028, 3, 1)),  # Fri; Mon 28 a holiday; leap day counts
        (date(2028, 2, 28), 1, True, date(2028, 2, 29)),
        (date(2026, 11, 20), 0, True, date(2026, 11, 20)),
        # calendar days: a weekend or holiday landing moves to the next working day
        (date(2026, 11, 20), 8, False, date(2026, 11, 30)),  # Sat 28 → Mon 30
        (date(2026, 11, 16), 10, False, date(2026, 11, 30)),  # Thu 26, Fri 27 holidays, weekend
        (date(2026, 12, 2), 30, False, date(2027, 1, 4)),  # Fri 1 Jan → Mon 4 Jan
        (date(2028, 2, 1), 28, False, date(2028, 2, 29)),  # leap day is a Tuesday
        (date(2027, 2, 1), 28, False, date(2027, 3, 1)),  # no leap day in 2027
        (date(2028, 1, 31), 29, False, date(2028, 2, 29)),
        (date(2026, 12, 31), 1, False, date(2027, 1, 4)),  # year end: Fri 1 Jan holiday → Mon
        (date(2026, 11, 19), 14, False, date(2026, 12, 3)),  # a plain Thursday stays put
    ],
)
def test_hand_worked_deadlines(start: date, days: int, working: bool, expected: date) -> None:
    assert step_deadline(start, days, working_days=working, holidays=HOLIDAYS) == expected


def test_working_day_helpers() -> None:
    assert is_working_day(date(2026, 11, 25), HOLIDAYS) and not is_working_day(THANKSGIVING, HOLIDAYS)
    assert not is_working_day(date(2026, 11, 28))
    assert next_working_day(THANKSGIVING, HOLIDAYS) == date(2026, 11, 30)
    assert next_working_day(date(2026, 11, 25), HOLIDAYS) == date(2026, 11, 25)
    assert end_of_working_week(date(2026, 11, 23)) == date(2026, 11, 27)
    assert end_of_working_week(date(2026, 11, 27)) == date(2026, 11, 27)
    assert end_of_working_week(date(2026, 11, 28)) == date(2026, 12, 4)
    assert end_of_working_week(date(2026, 11, 29)) == date(2026, 12, 4)


@pytest.mark.parametrize(
    ("today", "due", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 23), date(2026, 11, 24), 1),
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Fri → Mon
        (date(2026, 11, 23), date(2026, 11, 20), -1),  # Monday, due last Friday
        (date(2026, 11, 25), date(2026, 11, 30), 1),  # over Thanksgiving
        (date(2026, 11, 30), date(2026, 11, 25), -1),
        (date(2026, 12, 21), date(2027, 1, 4), 8),
    ],
)
def test_working_days_between(today: date, due: date, expected: int) -> None:
    assert working_days_between(today, due, HOLIDAYS) == expected


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
holiday_lists = st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 6, 30)), max_size=40)


def _np(holidays: list[date]) -> list[np.datetime64]:
    return [np.datetime64(day) for day in holidays]


def _as_date(value: np.datetime64) -> date:
    return date.fromisoformat(str(value))


@settings(max_examples=300, deadline=None)
@given(start=dates, days=st.integers(min_value=1, max_value=60), holidays=holiday_lists)
def test_working_days_match_numpy(start: date, days: int, holidays: list[date]) -> None:
    # roll="backward": a start on a non-working day counts from the working day before it,
    # so the first day counted is the first working day after ``start``.
    expected = np.busday_offset(np.datetime64(start), days, roll="backward", holidays=_np(holidays))
    assert step_deadline(start, days, working_days=True, holidays=holidays) == _as_date(expected)
    assert due_date(start, days, working_days=True, holidays=holidays) == _as_date(expected)


@settings(max_examples=300, deadline=None)
@given(start=dates, days=st.integers(min_value=0, max_value=120), holidays=holiday_lists)
def test_calendar_days_match_numpy(start: date, days: int, holidays: list[date]) -> None:
    landing = np.datetime64(start + timedelta(days=days))
    expected = np.busday_offset(landing, 0, roll="forward", holidays=_np(holidays))
    assert step_deadline(start, days, working_days=False, holidays=holidays) == _as_date(expected)


@settings(max_examples=300, deadline=None)
@given(today=dates, due=dates, holidays=holiday_lists)
def test_working_days_between_matches_numpy(today: date, due: date, holidays: list[date]) -> None:
    # numpy counts [begin, end): shift by one day to count (today, due] / [due, today).
    if due >= today:
        expected = int(
            np.busday_count(today + timedelta(days=1), due + timedelta(days=1), holidays=_np(holidays))
        )
    else:
        expected = -int(np.busday_count(due, today, holidays=_np(holidays)))
    assert working_days_between(today, due, holidays) == expected
