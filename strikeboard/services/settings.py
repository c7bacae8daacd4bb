"""The strike's settings: name, time zone, strike-pay rule, contract time limits, holidays.

Settings are stored one key per row (``setting`` table, JSON values) so two laptops
can change different settings without conflict. :func:`load_settings` always returns a
complete :class:`StrikeSettings`: missing keys take the defaults below.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from strikeboard.store.models import Setting, utcnow


@dataclass(frozen=True)
class StepRule:
    """One step of the grievance procedure and its contract time limits."""

    name: str
    union_days: int  # days for the union to file/appeal to this step
    employer_days: int  # days for the employer to answer at this step
    working_days: bool = True  # Monday–Friday minus holidays, else calendar days


@dataclass(frozen=True)
class StrikePayRule:
    """When a member has earned strike pay for a week."""

    weekly_hours: float = 20.0
    daily_minimum_hours: float = 0.0
    week_starts_on: int = 0  # 0 = Monday
    alternative_duty_counts: bool = True


DEFAULT_STEPS: tuple[StepRule, ...] = (
    StepRule("Informal", 15, 5),
    StepRule("Step 1", 15, 10),
    StepRule("Step 2", 5, 10),
    StepRule("Step 3", 5, 15),
    StepRule("Arbitration", 15, 30),
)


@dataclass(frozen=True)
class StrikeSettings:
    """Every setting of a strike, with defaults."""

    strike_name: str = "Strike"
    time_zone: str = "America/Los_Angeles"
    strike_pay: StrikePayRule = field(default_factory=StrikePayRule)
    grievance_steps: tuple[StepRule, ...] = DEFAULT_STEPS
    filing_counts_from: str = "incident"  # or "learned"
    holidays: tuple[date, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        """The strike's time zone, in which every time is shown."""
        return ZoneInfo(self.time_zone)


def _decode(key: str, value: Any) -> Any:
    if key == "strike_pay":
        return StrikePayRule(**value)
    if key == "grievance_steps":
        return tuple(StepRule(**step) for step in value)
    if key == "holidays":
        return tuple(date.fromisoformat(day) for day in value)
    return value


def _encode(key: str, value: Any) -> Any:
    if key == "strike_pay":
        return asdict(value)
    if key == "grievance_steps":
        return [asdict(step) for step in value]
    if key == "holidays":
        return [day.isoformat() for day in value]
    return value


def load_settings(session: Session) -> StrikeSettings:
    """Read every stored setting over the defaults."""
    known = StrikeSettings.__dataclass_fields__
    stored = {row.key: row.value for row in session.exec(select(Setting)) if row.key in known}
    return StrikeSettings(**{key: _decode(key, value) for key, value in stored.items()})


def save_settings(session: Session, settings: StrikeSettings) -> None:
    """Write every setting of ``settings`` (one row per key)."""
    now = utcnow()
    for key in StrikeSettings.__dataclass_fields__:
        value = _encode(key, getattr(settings, key))
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value, updated_at=now))
        elif row.value != value:
            row.value = value
            row.updated_at = now
            session.add(row)
