"""The scheduling problem and its answer as plain frozen dataclasses (no database, no clock).

Times are whole minutes from an origin the caller picks (the service uses local midnight
of the first day); ``day`` and ``week`` are the caller's local calendar indices, so the
solver never needs a time zone. The origin should be a local midnight: the solver's
morning/afternoon rotation reads the time of day as minutes modulo a day. Roles are plain
strings: ``"captain"`` for a picket captain, any other name (``"first_aid"``,
``"interpreter"``) matches a volunteer's skills.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The role of an ordinary picketer (any eligible volunteer can fill it).
PICKETER = "picketer"
#: The role of a picket captain (a volunteer with ``captain=True``).
CAPTAIN = "captain"

#: Reasons a slot stays empty, as shown to organizers.
NO_ONE_AVAILABLE = "no eligible volunteer available"
ALL_AT_CAP = "all eligible volunteers at their cap or busy"
ROLE_MISSING = "role missing"


@dataclass(frozen=True)
class Volunteer:
    """Someone who may be scheduled: when, where, in which roles, and how much at most."""

    key: str
    windows: tuple[tuple[int, int], ...]  # (start, end) minutes they can picket
    locations: frozenset[str] | None = None  # acceptable locations; None means any
    preferred: frozenset[str] = frozenset()
    captain: bool = False
    skills: frozenset[str] = frozenset()
    max_shifts_per_day: int | None = None
    max_shifts_per_week: int | None = None
    max_hours_per_week: float | None = None

    def can_fill(self, role: str) -> bool:
        """Whether this volunteer may take a slot of ``role``."""
        if role == PICKETER:
            return True
        if role == CAPTAIN:
            return self.captain
        return role in self.skills


@dataclass(frozen=True)
class ShiftNeed:
    """A shift to staff. ``open=False`` marks a shift outside the range (it only constrains)."""

    key: str
    location: str
    start: int
    end: int
    day: int
    week: int
    min_headcount: int = 1
    max_headcount: int = 1
    captain_needed: bool = False
    roles_needed: tuple[str, ...] = ()
    open: bool = True

    @property
    def roles(self) -> tuple[str, ...]:
        """The named roles this shift needs, captain first, at most ``max_headcount`` of them."""
        named = ((CAPTAIN,) if self.captain_needed else ()) + tuple(self.roles_needed)
        return named[: self.max_headcount]

    @property
    def required(self) -> int:
        """How many people the shift needs at least (its named roles count towards it)."""
        return min(self.max_headcount, max(self.min_headcount, len(self.roles)))


@dataclass(frozen=True)
class Placement:
    """A volunteer on a shift in a role."""

    shift: str
    volunteer: str
    role: str = PICKETER


@dataclass(frozen=True)
class Problem:
    """Everything the solver needs. ``fixed`` is never changed; ``current`` is kept when it can be."""

    volunteers: tuple[Volunteer, ...]
    shifts: tuple[ShiftNeed, ...]
    fixed: tuple[Placement, ...] = ()
    current: tuple[Placement, ...] = ()
    rest_minutes: int = 8 * 60
    seed: int = 0
    blocked: frozenset[tuple[str, str]] = frozenset()  # (shift, volunteer) pairs never to place


@dataclass(frozen=True)
class Unfilled:
    """A slot left empty and why."""

    shift: str
    role: str
    required: bool
    reason: str


@dataclass(frozen=True)
class Fairness:
    """Load among volunteers eligible for at least one open shift (fixed ones included)."""

    volunteers: int
    max_shifts: int
    min_shifts: int
    max_hours: float
    min_hours: float
    idle: int

    @property
    def spread_shifts(self) -> int:
        """Most-loaded minus least-loaded, in shifts."""
        return self.max_shifts - self.min_shifts

    @property
    def spread_hours(self) -> float:
        """Most-loaded minus least-loaded, in hours."""
        return self.max_hours - self.min_hours


@dataclass(frozen=True)
class Coverage:
    """Filled and total slots of one location (or of everything)."""

    required_filled: int
    required_total: int
    filled: int
    total: int


@dataclass(frozen=True)
class Solution:
    """The schedule: every placement on open shifts (fixed ones included) and how good it is."""

    placements: tuple[Placement, ...]
    added: tuple[Placement, ...]
    removed: tuple[Placement, ...]
    unfilled: tuple[Unfilled, ...]
    before: Coverage
    after: Coverage
    by_location: dict[str, Coverage] = field(default_factory=dict)
    fairness: Fairness = Fairness(0, 0, 0, 0.0, 0.0, 0)
    captain_filled: int = 0
    captain_total: int = 0
    bound: int | None = None  # most required slots any schedule could fill (a relaxation)
