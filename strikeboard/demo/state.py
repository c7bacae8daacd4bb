"""The state shared by the row builders: the seeded random source, the clock, and what they remember."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from strikeboard.demo.holidays import demo_holidays
from strikeboard.demo.pools import GATES
from strikeboard.demo.shape import (
    DAYS_BEFORE_TODAY,
    DEMO_NOW,
    REFERENCE_MEMBERS,
    SLOTS,
    STRIKE_DAYS,
    TIME_ZONE,
)

Row = dict[str, Any]


@dataclass(slots=True)
class Person:
    """What the generator remembers about a member while it fills the other tables."""

    id: uuid.UUID
    name: str  # as shown: preferred (or first) name and last name
    role: str
    status: str
    unit: str
    department: str
    skills: list[str]
    needs: int  # accommodation needs, a mask of NEED_*
    accommodation: bool
    volunteer: bool = False  # active, with availability: can be scheduled
    week_cap: int = 99
    day_cap: int = 2
    preferred_gates: tuple[int, ...] = ()
    excluded_gates: frozenset[int] = frozenset()
    unavailable: frozenset[date] = frozenset()

    def fits(self, gate: int) -> bool:
        """Whether this person can picket at ``gate`` (needs met, gate not excluded)."""
        return not (self.needs & ~GATES[gate].offers) and gate not in self.excluded_gates


@dataclass(slots=True)
class ShiftPlan:
    """A shift while it is being filled."""

    id: uuid.UUID
    gate: int
    day: date
    slot: int
    starts_at: datetime
    ends_at: datetime
    target: int  # how many people it gets (the demo's sign-up level)
    captain_needed: bool
    roles_needed: list[str]
    cancelled: bool
    crew: list[tuple[int, str]] = field(default_factory=list)  # (person index, role)

    @property
    def room(self) -> int:
        """How many more people this shift takes."""
        return self.target - len(self.crew)


@dataclass(frozen=True, slots=True)
class Booking:
    """One assignment as the check-in and incident generators see it."""

    person: int
    role: str
    status: str


class Demo:
    """The strike being built: one seeded random source, the demo's clock and calendar.

    The row builders (in :mod:`~strikeboard.demo.members`, :mod:`~strikeboard.demo.shifts`,
    :mod:`~strikeboard.demo.attendance` and :mod:`~strikeboard.demo.grievances`) take it as
    their first argument, draw from :attr:`rng` in the fixed order in which
    :func:`~strikeboard.demo.generator.generate` calls them, and leave here what later
    tables need: the people, the gates' ids, the shift plans and their crews.
    """

    def __init__(self, members: int, seed: int, today: date) -> None:
        self.n = members
        self.rng = random.Random(seed)
        self.today = today
        self.zone = ZoneInfo(TIME_ZONE)
        self.now = self.local(today, DEMO_NOW.hour, DEMO_NOW.minute)
        self.start = today - timedelta(days=DAYS_BEFORE_TODAY)
        self.days = [self.start + timedelta(days=i) for i in range(STRIKE_DAYS)]
        self.setup = self.local(self.start - timedelta(days=14), 10)  # roster imported, gates set up
        self.holidays = demo_holidays(today)
        self.holiday_set = frozenset(self.holidays)
        self.scale = members / REFERENCE_MEMBERS
        self.people: list[Person] = []
        self.location_ids: list[uuid.UUID] = []
        self.plans: list[ShiftPlan] = []
        self.crews: dict[uuid.UUID, list[Booking]] = {}
        # (weekday, slot) → indices of volunteers whose weekly window covers that slot
        self.eligible: dict[tuple[int, int], list[int]] = {
            (weekday, slot): [] for weekday in range(7) for slot in range(len(SLOTS))
        }

    # -- small helpers

    def uid(self) -> uuid.UUID:
        """A random (version 4) UUID drawn from the seeded source."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A wall-clock time in the strike's zone on ``day``, as a UTC instant."""
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone).astimezone(UTC)

    def stamp(self, day: date, hour: int, minute: int = 0) -> datetime:
        """Like :meth:`local`, but never after the demo's now (for things that already happened)."""
        return self.past(self.local(day, hour, minute))

    def past(self, moment: datetime) -> datetime:
        """``moment``, or a little before the demo's now if it would be later."""
        return min(moment, self.now - timedelta(minutes=5))

    def between(self, first: date, last: date) -> date:
        """A random day in ``[first, last]`` (``first`` if the range is empty)."""
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, span)) if span > 0 else first

    def working(self, day: date) -> bool:
        """Monday to Friday and not a holiday."""
        return day.weekday() < 5 and day not in self.holiday_set

    def workday(self, day: date, floor: date | None = None) -> date:
        """The last working day on or before ``day`` (but not before ``floor``)."""
        while not self.working(day) and (floor is None or day > floor):
            day -= timedelta(days=1)
        return day
