"""Pure shift scheduling: frozen dataclasses in, a schedule and its quality report out.

No database, no UI, no clock: the service builds a :class:`Problem`, calls :func:`solve`
and saves the :class:`Solution`; after a dropout :func:`refill` fills only the holes.
:func:`violations` checks a schedule independently.
"""

from strikeboard.scheduling.check import violations
from strikeboard.scheduling.model import (
    CAPTAIN,
    PICKETER,
    Coverage,
    Fairness,
    Placement,
    Problem,
    ShiftNeed,
    Solution,
    Unfilled,
    Volunteer,
)
from strikeboard.scheduling.solver import refill, solve

__all__ = [
    "CAPTAIN",
    "PICKETER",
    "Coverage",
    "Fairness",
    "Placement",
    "Problem",
    "ShiftNeed",
    "Solution",
    "Unfilled",
    "Volunteer",
    "refill",
    "solve",
    "violations",
]
