"""The calendar: US federal holidays, for working-day deadlines and the strike's settings."""

from datetime import date, timedelta

from dateutil.relativedelta import MO, TH, relativedelta


def us_holidays(year: int) -> list[date]:
    """US federal holidays of ``year`` (observed on Friday/Monday), plus the day after Thanksgiving."""

    def observed(day: date) -> date:
        if day.weekday() == 5:
            return day - timedelta(days=1)
        if day.weekday() == 6:
            return day + timedelta(days=1)
        return day

    thanksgiving = date(year, 11, 1) + relativedelta(weekday=TH(+4))
    days = [
        observed(date(year, 1, 1)),
        date(year, 1, 1) + relativedelta(weekday=MO(+3)),  # Martin Luther King Jr. Day
        date(year, 2, 1) + relativedelta(weekday=MO(+3)),  # Presidents' Day
        date(year, 5, 31) + relativedelta(weekday=MO(-1)),  # Memorial Day
        observed(date(year, 6, 19)),  # Juneteenth
        observed(date(year, 7, 4)),
        date(year, 9, 1) + relativedelta(weekday=MO(+1)),  # Labor Day
        observed(date(year, 11, 11)),  # Veterans Day
        thanksgiving,
        thanksgiving + timedelta(days=1),
        observed(date(year, 12, 25)),
    ]
    return sorted(days)


def demo_holidays(today: date) -> tuple[date, ...]:
    """The holidays a demo around ``today`` needs: two years back (old grievances), one ahead."""
    return tuple(day for year in range(today.year - 2, today.year + 2) for day in us_holidays(year))
