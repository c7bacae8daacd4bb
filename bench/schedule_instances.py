"""Seeded scheduling instances A-D for the scheduler benchmark and tests (see issue 5).

- A: 2,000 volunteers x ~300 shifts: demand 4-12 (max = demand + 2), 30 % need a captain,
  6 % of volunteers are captains, 4 eligible gates each, weekly cap 1-5, one availability
  window each (06-14 / 10-18 / 14-22 / 06-22) on 4-7 days, 4 h shifts every 2 h from 06:00,
  at most one shift a day, 8 h rest. Some shifts also need first aid (10 %) or an interpreter (5 %).
- B: A with scarce volunteers: 3 eligible gates, weekly cap 1-2, available 1-3 days.
- C: 11,500 volunteers x ~2,000 shifts (about 15.7k minimum slots), otherwise as A.
- D: C with scarce volunteers, as B.
Times are minutes from Monday 00:00; one week.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from strikeboard.scheduling import ShiftNeed, Volunteer
from strikeboard.scheduling.model import Problem

#: The seed of each instance (change nothing here without saying so in the report).
SEEDS = {"A": 20261101, "B": 20261102, "C": 20261103, "D": 20261104}
WINDOWS = ((6, 14), (10, 18), (14, 22), (6, 22))
STARTS = (6, 8, 10, 12, 14, 16, 18)  # 4 h shifts every 2 h from 06:00, the last ends at 22:00
DAY = 24 * 60


@dataclass(frozen=True)
class Shape:
    """What distinguishes the four instances."""

    volunteers: int
    gates: int
    gates_each: int
    weekly_cap: tuple[int, int]
    days_available: tuple[int, int]


SHAPES = {
    "A": Shape(2_000, 6, 4, (1, 5), (4, 7)),
    "B": Shape(2_000, 6, 3, (1, 2), (1, 3)),
    "C": Shape(11_500, 40, 4, (1, 5), (4, 7)),
    "D": Shape(11_500, 40, 3, (1, 2), (1, 3)),
}


def make_instance(name: str) -> Problem:
    """The seeded instance ``name`` ("A", "B", "C" or "D")."""
    shape, rng = SHAPES[name], random.Random(SEEDS[name])
    gates = [f"g{g:02d}" for g in range(shape.gates)]
    shifts: list[ShiftNeed] = []
    for g in gates:
        for day in range(7):
            for hour in STARTS:
                demand = rng.randint(4, 12)
                roles = []
                if rng.random() < 0.10:
                    roles.append("first_aid")
                if rng.random() < 0.05:
                    roles.append("interpreter")
                start = day * DAY + hour * 60
                shifts.append(
                    ShiftNeed(
                        key=f"s{len(shifts):05d}",
                        location=g,
                        start=start,
                        end=start + 240,
                        day=day,
                        week=0,
                        min_headcount=demand,
                        max_headcount=demand + 2,
                        captain_needed=rng.random() < 0.30,
                        roles_needed=tuple(roles),
                    )
                )
    volunteers: list[Volunteer] = []
    for v in range(shape.volunteers):
        low, high = WINDOWS[rng.randrange(len(WINDOWS))]
        days = sorted(rng.sample(range(7), rng.randint(*shape.days_available)))
        skills = set()
        if rng.random() < 0.10:
            skills.add("first_aid")
        if rng.random() < 0.05:
            skills.add("interpreter")
        places = rng.sample(gates, shape.gates_each)
        volunteers.append(
            Volunteer(
                key=f"v{v:05d}",
                windows=tuple((d * DAY + low * 60, d * DAY + high * 60) for d in days),
                locations=frozenset(places),
                preferred=frozenset(places[:1]) if rng.random() < 0.3 else frozenset(),
                captain=rng.random() < 0.06,
                skills=frozenset(skills),
                max_shifts_per_day=1,
                max_shifts_per_week=rng.randint(*shape.weekly_cap),
            )
        )
    return Problem(volunteers=tuple(volunteers), shifts=tuple(shifts), rest_minutes=8 * 60, seed=SEEDS[name])
