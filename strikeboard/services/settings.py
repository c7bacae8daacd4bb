"""The strike's settings: name, time zone, strike-pay rule, contract time limits, holidays, scheduling.

Settings are stored one key per row (``setting`` table, JSON values) so two laptops
can change different settings without conflict. :func:`load_settings` always returns a
complete :class:`StrikeSettings`: missing keys take the defaults below.

Changes are validated here, not in a front end, so the CLI and the TUI say the same thing:
:func:`apply_setting` (one simple key from text), :func:`parse_steps` (the grievance
steps), :func:`add_holidays` / :func:`remove_holidays`. Each raises
:class:`~strikeboard.services.errors.ValidationError` naming the key, with one sentence
that says how to fix it. :func:`update_settings` writes the result and, when the steps or
holidays changed, recomputes the stored next deadline of every open grievance.
"""

import math
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from strikeboard.services.access import require_full_access
from strikeboard.services.errors import ValidationError
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


@dataclass(frozen=True)
class SchedulingRule:
    """How the auto-fill schedules volunteers."""

    min_rest_hours: float = 8.0  # least time off between two shifts of one person


@dataclass(frozen=True)
class BackupRule:
    """How often the TUI backs up a SQLite database file on its own."""

    every_minutes: int = 30  # at most this often, and only after changes; 0 = no automatic backups


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
    scheduling: SchedulingRule = field(default_factory=SchedulingRule)
    backup: BackupRule = field(default_factory=BackupRule)

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
    if key == "scheduling":
        return SchedulingRule(**value)
    if key == "backup":
        return BackupRule(**value)
    return value


def _encode(key: str, value: Any) -> Any:
    if key == "strike_pay":
        return asdict(value)
    if key == "grievance_steps":
        return [asdict(step) for step in value]
    if key == "holidays":
        return [day.isoformat() for day in value]
    if key in ("scheduling", "backup"):
        return asdict(value)
    return value


def load_settings(session: Session) -> StrikeSettings:
    """Read every stored setting over the defaults."""
    known = StrikeSettings.__dataclass_fields__
    stored = {row.key: row.value for row in session.exec(select(Setting)) if row.key in known}
    return StrikeSettings(**{key: _decode(key, value) for key, value in stored.items()})


def save_settings(session: Session, settings: StrikeSettings) -> None:
    """Write every setting of ``settings`` (one row per key)."""
    require_full_access(session, "changing settings")
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


# --- changing settings -------------------------------------------------------------------

#: Week days as :attr:`StrikePayRule.week_starts_on` numbers them (0 = Monday).
WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: The keys :func:`apply_setting` changes from one text value.
SIMPLE_KEYS: tuple[str, ...] = (
    "strike_name",
    "time_zone",
    "filing_counts_from",
    "strike_pay.weekly_hours",
    "strike_pay.daily_minimum_hours",
    "strike_pay.week_starts_on",
    "strike_pay.alternative_duty_counts",
    "scheduling.min_rest_hours",
    "backup.every_minutes",
)

FILING_COUNTS_FROM: tuple[str, ...] = ("incident", "learned")
STRIKE_NAME_MAX = 120
STEP_NAME_MAX = 40  # the width of ``grievance.step``
STEP_DAYS_MAX = 365
WEEKLY_HOURS_MAX, DAILY_HOURS_MAX = 168.0, 24.0
REST_HOURS_MAX = 48.0
BACKUP_MINUTES_MAX = 24 * 60
_YES = ("yes", "y", "true", "on", "1")
_NO = ("no", "n", "false", "off", "0")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _valid_time_zone(key: str, text: str) -> str:
    zones = zoneinfo.available_timezones()
    if text in zones:
        return text
    hint = "give one such as America/Los_Angeles or America/New_York."
    same = [zone for zone in zones if zone.casefold() == text.casefold()]
    if same:
        hint = f"did you mean {same[0]}?"
    elif not zones:  # no zone list on this system: ask zoneinfo itself
        try:
            ZoneInfo(text)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            pass
        else:
            return text
    raise ValidationError(key, f"{key}: {text!r} is not an IANA time zone name: {hint}")


def _hours(key: str, text: str, highest: float) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 <= value <= highest):
        raise ValidationError(
            key, f"{key}: {text!r} is not a number of hours from 0 to {highest:g}, e.g. 20."
        )
    return value


def _weekday(key: str, text: str) -> int:
    word = text.strip().casefold()
    if word.isascii() and word.isdigit() and int(word) < len(WEEKDAYS):
        return int(word)
    for number, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return number
    raise ValidationError(
        key, f"{key}: {text!r} is not a week day: give monday to sunday, or 0 (Monday) to 6."
    )


def _yes_no(key: str, text: str) -> bool:
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValidationError(key, f"{key}: {text!r} is not yes or no: give yes, no, true or false.")


def apply_setting(settings: StrikeSettings, key: str, value: str) -> StrikeSettings:
    """``settings`` with the simple setting ``key`` (one of :data:`SIMPLE_KEYS`) set from text.

    Raises :class:`ValidationError` (``field`` = ``key``) for an unknown key or a bad value.
    """
    text = value.strip()
    pay = settings.strike_pay
    if key == "strike_name":
        if not text:
            raise ValidationError(key, 'strike_name: give the strike a name, e.g. "Local 42 strike".')
        if len(text) > STRIKE_NAME_MAX:
            raise ValidationError(key, f"strike_name: keep the name to {STRIKE_NAME_MAX} characters.")
        return replace(settings, strike_name=text)
    if key == "time_zone":
        return replace(settings, time_zone=_valid_time_zone(key, text))
    if key == "filing_counts_from":
        word = text.casefold()
        if word not in FILING_COUNTS_FROM:
            raise ValidationError(
                key,
                f"filing_counts_from: {text!r} is not a choice: give incident (count the filing deadline "
                "from the incident date) or learned (from the date the union learned of it).",
            )
        return replace(settings, filing_counts_from=word)
    if key == "strike_pay.weekly_hours":
        return replace(settings, strike_pay=replace(pay, weekly_hours=_hours(key, text, WEEKLY_HOURS_MAX)))
    if key == "strike_pay.daily_minimum_hours":
        hours = _hours(key, text, DAILY_HOURS_MAX)
        return replace(settings, strike_pay=replace(pay, daily_minimum_hours=hours))
    if key == "strike_pay.week_starts_on":
        return replace(settings, strike_pay=replace(pay, week_starts_on=_weekday(key, text)))
    if key == "strike_pay.alternative_duty_counts":
        return replace(settings, strike_pay=replace(pay, alternative_duty_counts=_yes_no(key, text)))
    if key == "scheduling.min_rest_hours":
        rest = _hours(key, text, REST_HOURS_MAX)
        return replace(settings, scheduling=replace(settings.scheduling, min_rest_hours=rest))
    if key == "backup.every_minutes":
        if not (text.isascii() and text.isdigit() and int(text) <= BACKUP_MINUTES_MAX):
            raise ValidationError(
                key,
                f"{key}: {text!r} is not a whole number of minutes from 0 (no automatic backups) "
                f"to {BACKUP_MINUTES_MAX}, e.g. 30.",
            )
        return replace(settings, backup=replace(settings.backup, every_minutes=int(text)))
    if key == "grievance_steps":
        raise ValidationError(key, "grievance_steps: change the steps with `strikeboard settings steps`.")
    if key == "holidays":
        raise ValidationError(key, "holidays: change them with `strikeboard settings holidays add|remove`.")
    raise ValidationError(key, f"{key!r} is not a setting: use one of {', '.join(SIMPLE_KEYS)}.")


def _number(value: float) -> str:
    """``20`` for 20.0, ``7.5`` for 7.5 (exact: reads back as the same float)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def format_setting(settings: StrikeSettings, key: str) -> str:
    """The simple setting ``key`` as text that :func:`apply_setting` reads back unchanged."""
    pay = settings.strike_pay
    texts = {
        "strike_name": settings.strike_name,
        "time_zone": settings.time_zone,
        "filing_counts_from": settings.filing_counts_from,
        "strike_pay.weekly_hours": _number(pay.weekly_hours),
        "strike_pay.daily_minimum_hours": _number(pay.daily_minimum_hours),
        "strike_pay.week_starts_on": WEEKDAYS[pay.week_starts_on % 7],
        "strike_pay.alternative_duty_counts": "yes" if pay.alternative_duty_counts else "no",
        "scheduling.min_rest_hours": _number(settings.scheduling.min_rest_hours),
        "backup.every_minutes": str(settings.backup.every_minutes),
    }
    if key not in texts:
        raise ValidationError(key, f"{key!r} is not a setting: use one of {', '.join(SIMPLE_KEYS)}.")
    return texts[key]


def format_step(step: StepRule) -> str:
    """``step`` as ``NAME:UNION_DAYS:EMPLOYER_DAYS:working|calendar`` (what :func:`parse_step` reads)."""
    return (
        f"{step.name}:{step.union_days}:{step.employer_days}:{'working' if step.working_days else 'calendar'}"
    )


def parse_step(text: str) -> StepRule:
    """One step from ``NAME:UNION_DAYS:EMPLOYER_DAYS[:working|calendar]`` (working by default).

    The name may itself hold colons (the numbers are read from the right).
    """
    key = "grievance_steps"
    parts = text.strip().split(":")
    working = True
    if parts[-1].strip().casefold() in ("working", "calendar"):
        working = parts.pop().strip().casefold() == "working"
    if len(parts) < 3:
        raise ValidationError(
            key,
            f"grievance_steps: {text!r} is not a step: write "
            'NAME:UNION_DAYS:EMPLOYER_DAYS[:working|calendar], e.g. "Step 1:15:10:working".',
        )
    employer_text, union_text = parts.pop().strip(), parts.pop().strip()
    name = ":".join(parts).strip()
    if not name:
        raise ValidationError(key, f"grievance_steps: {text!r} has no step name before the days.")
    if len(name) > STEP_NAME_MAX:
        raise ValidationError(
            key, f"grievance_steps: keep the step name {name!r} to {STEP_NAME_MAX} characters."
        )
    days = []
    for what, number in (("union", union_text), ("employer", employer_text)):
        if not (number.isascii() and number.isdigit() and int(number) <= STEP_DAYS_MAX):
            raise ValidationError(
                key,
                f"grievance_steps: {name}'s {what} days {number!r} must be a whole number "
                f"from 0 to {STEP_DAYS_MAX}.",
            )
        days.append(int(number))
    return StepRule(name, days[0], days[1], working)


def parse_steps(texts: Sequence[str]) -> tuple[StepRule, ...]:
    """The whole step list, in order, from :func:`parse_step` texts (checked by :func:`check_steps`)."""
    if not texts:
        raise ValidationError("grievance_steps", "grievance_steps: give at least one step.")
    return check_steps(tuple(parse_step(text) for text in texts))


def check_steps(steps: Sequence[StepRule]) -> tuple[StepRule, ...]:
    """``steps`` if they make a procedure: at least one, names unique (ignoring case) and
    non-empty, days whole numbers from 0 to :data:`STEP_DAYS_MAX`."""
    key = "grievance_steps"
    if not steps:
        raise ValidationError(key, "grievance_steps: give at least one step.")
    seen: set[str] = set()
    for step in steps:
        name = step.name.strip()
        if not name or name != step.name or len(name) > STEP_NAME_MAX:
            raise ValidationError(
                key, f"grievance_steps: give each step a name of 1 to {STEP_NAME_MAX} characters."
            )
        for what, days in (("union", step.union_days), ("employer", step.employer_days)):
            if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= STEP_DAYS_MAX:
                raise ValidationError(
                    key,
                    f"grievance_steps: {name}'s {what} days must be a whole number "
                    f"from 0 to {STEP_DAYS_MAX}.",
                )
        if name.casefold() in seen:
            raise ValidationError(key, f"grievance_steps: the step name {name!r} is used twice.")
        seen.add(name.casefold())
    return tuple(steps)


def replace_steps(settings: StrikeSettings, steps: Sequence[StepRule]) -> StrikeSettings:
    """``settings`` with the grievance procedure ``steps`` (checked by :func:`check_steps`)."""
    return replace(settings, grievance_steps=check_steps(steps))


def parse_holiday(text: str) -> date:
    """A holiday from ``YYYY-MM-DD``."""
    day: date | None = None
    if _ISO_DAY.match(text.strip()):
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            day = None
    if day is None:
        raise ValidationError(
            "holidays", f"holidays: {text!r} is not a date: use YYYY-MM-DD, e.g. 2026-11-26."
        )
    return day


def add_holidays(settings: StrikeSettings, texts: Iterable[str]) -> tuple[StrikeSettings, tuple[date, ...]]:
    """``settings`` with the ``YYYY-MM-DD`` days added (kept sorted), and which were new."""
    days = [parse_holiday(text) for text in texts]
    new = tuple(sorted(set(days) - set(settings.holidays)))
    return replace(settings, holidays=tuple(sorted({*settings.holidays, *new}))), new


def remove_holidays(settings: StrikeSettings, texts: Iterable[str]) -> StrikeSettings:
    """``settings`` without the ``YYYY-MM-DD`` days; every day must be a listed holiday."""
    days = {parse_holiday(text) for text in texts}
    missing = sorted(days - set(settings.holidays))
    if missing:
        listed = ", ".join(day.isoformat() for day in missing)
        raise ValidationError(
            "holidays", f"holidays: {listed} {'is' if len(missing) == 1 else 'are'} not on the holiday list."
        )
    return replace(settings, holidays=tuple(day for day in settings.holidays if day not in days))


def settings_as_dict(settings: StrikeSettings) -> dict[str, Any]:
    """Every setting as JSON-ready values (as stored: dates as ``YYYY-MM-DD``)."""
    return {key: _encode(key, getattr(settings, key)) for key in StrikeSettings.__dataclass_fields__}


@dataclass(frozen=True)
class DeadlineRefresh:
    """What :func:`refresh_open_deadlines` did to the open grievances."""

    checked: int = 0  # open cases looked at
    moved: tuple[str, ...] = ()  # numbers of cases whose next deadline changed
    kept: tuple[str, ...] = ()  # cases at a step the contract no longer has: deadline left as stored


def refresh_open_deadlines(session: Session, settings: StrikeSettings) -> DeadlineRefresh:
    """Recompute and store the next deadline of every open grievance under ``settings``.

    Each case's history is replayed with the public deadline rule
    (:func:`strikeboard.services.grievances.next_due`), exactly as a write to the case
    would. Deadlines of past events, extensions and closed cases are not touched. A case
    whose current step is no longer one of the steps keeps its stored deadline (the rule
    cannot place it) and is listed in ``kept``.
    """
    from sqlmodel import col

    from strikeboard.services.grievances import OPEN_STATUSES, next_due
    from strikeboard.store.models import Grievance, GrievanceEvent

    cases = list(session.exec(select(Grievance).where(col(Grievance.status).in_(OPEN_STATUSES))))
    if not cases:
        return DeadlineRefresh()
    history: dict[Any, list[GrievanceEvent]] = {case.id: [] for case in cases}
    events = session.exec(
        select(GrievanceEvent)
        .join(Grievance, col(Grievance.id) == col(GrievanceEvent.grievance_id))
        .where(col(Grievance.status).in_(OPEN_STATUSES))
        .order_by(col(GrievanceEvent.occurred_on), col(GrievanceEvent.created_at))
    )
    for event in events:
        history[event.grievance_id].append(event)
    names = {step.name for step in settings.grievance_steps}
    moved: list[str] = []
    kept: list[str] = []
    now = utcnow()
    for case in sorted(cases, key=lambda c: c.number):
        due = next_due(
            case.status,
            case.step,
            history[case.id],
            steps=settings.grievance_steps,
            holidays=settings.holidays,
        )
        if due is None and case.step not in names:
            kept.append(case.number)
            continue
        deadline, label = (due.due, due.label) if due else (None, "")
        if (deadline, label) != (case.next_deadline, case.next_deadline_label):
            case.next_deadline, case.next_deadline_label, case.updated_at = deadline, label, now
            session.add(case)
            moved.append(case.number)
    session.flush()
    return DeadlineRefresh(checked=len(cases), moved=tuple(moved), kept=tuple(kept))


def update_settings(session: Session, settings: StrikeSettings) -> DeadlineRefresh:
    """Save ``settings`` (call inside ``store.write()``); when the grievance steps or the
    holidays changed, recompute the open grievances' next deadlines in the same transaction.
    """
    require_full_access(session, "changing settings")
    before = load_settings(session)
    save_settings(session, settings)
    if (before.grievance_steps, before.holidays) == (settings.grievance_steps, settings.holidays):
        return DeadlineRefresh()
    return refresh_open_deadlines(session, settings)
