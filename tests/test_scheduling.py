"""The pure scheduler: hard rules never broken, determinism, monotonicity, and optimality on tiny cases.

Random small instances come from Hypothesis; every schedule is checked by the independent
checker :func:`strikeboard.scheduling.violations`. On tiny instances an exhaustive search
gives the best coverage of minimum slots and, at that coverage, the smallest spread.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.schedule_instances import make_instance
from strikeboard.scheduling import (
    CAPTAIN,
    PICKETER,
    Placement,
    Problem,
    ShiftNeed,
    Volunteer,
    refill,
    solve,
    violations,
)
from strikeboard.scheduling.solver import required_filled

DAY = 24 * 60
LOCATIONS = ("north", "south")


@st.composite
def problems(draw: st.DrawFn, max_volunteers: int = 7, max_shifts: int = 6, roles: bool = True) -> Problem:
    """A small random problem: 1-3 days, 2 locations, 4 h shifts, random windows and caps."""
    days = draw(st.integers(1, 3))
    shifts: list[ShiftNeed] = []
    for k in range(draw(st.integers(1, max_shifts))):
        day = draw(st.integers(0, days - 1))
        start = day * DAY + draw(st.sampled_from((6, 8, 10, 14, 18))) * 60
        low = draw(st.integers(0, 3))
        shifts.append(
            ShiftNeed(
                key=f"s{k}",
                location=draw(st.sampled_from(LOCATIONS)),
                start=start,
                end=start + draw(st.sampled_from((120, 240, 300))),
                day=day,
                week=0,
                min_headcount=low,
                max_headcount=low + draw(st.integers(0, 2)),
                captain_needed=roles and draw(st.booleans()),
                roles_needed=("first_aid",) if roles and draw(st.integers(0, 4)) == 0 else (),
            )
        )
    volunteers: list[Volunteer] = []
    for k in range(draw(st.integers(0, max_volunteers))):
        windows = []
        for day in range(days):
            if draw(st.booleans()):
                a = draw(st.sampled_from((6, 8, 10, 14)))
                windows.append((day * DAY + a * 60, day * DAY + min(24, a + draw(st.integers(4, 16))) * 60))
        volunteers.append(
            Volunteer(
                key=f"v{k}",
                windows=tuple(windows),
                locations=draw(st.sampled_from((None, frozenset({"north"}), frozenset({"south"})))),
                preferred=draw(st.sampled_from((frozenset(), frozenset({"north"})))),
                captain=roles and draw(st.booleans()),
                skills=frozenset({"first_aid"}) if roles and draw(st.booleans()) else frozenset(),
                max_shifts_per_day=draw(st.sampled_from((None, 1, 2))),
                max_shifts_per_week=draw(st.sampled_from((None, 1, 2, 3))),
                max_hours_per_week=draw(st.sampled_from((None, 6.0, 10.0))),
            )
        )
    fixed: list[Placement] = []
    with_fixed = draw(st.booleans())
    if volunteers and with_fixed:
        v = draw(st.sampled_from(volunteers))
        s = draw(st.sampled_from(shifts))
        fixed.append(Placement(s.key, v.key, PICKETER))
    return Problem(
        volunteers=tuple(volunteers),
        shifts=tuple(shifts),
        fixed=tuple(fixed),
        rest_minutes=draw(st.sampled_from((0, 120, 480))),
        seed=draw(st.integers(0, 3)),
    )


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(problems())
def test_no_hard_rule_is_ever_broken(problem: Problem) -> None:
    solution = solve(problem)
    assert violations(problem, solution.placements) == []
    per_shift: dict[str, int] = {}
    for p in solution.placements:
        per_shift[p.shift] = per_shift.get(p.shift, 0) + 1
    for s in problem.shifts:
        fixed_here = sum(1 for p in problem.fixed if p.shift == s.key)
        assert per_shift.get(s.key, 0) <= max(s.max_headcount, fixed_here)
    assert set(problem.fixed) <= set(solution.placements)
    assert solution.bound is None or solution.after.required_filled <= solution.bound


@FAST
@given(problems())
def test_same_data_and_seed_give_the_same_schedule(problem: Problem) -> None:
    assert solve(problem) == solve(problem)


@FAST
@given(problems(), st.data())
def test_adding_a_volunteer_never_lowers_coverage(problem: Problem, data: st.DataObject) -> None:
    extra = data.draw(problems(max_volunteers=1, max_shifts=1))
    if not extra.volunteers:
        return
    newcomer = replace(extra.volunteers[0], key="newcomer")
    bigger = replace(problem, volunteers=(*problem.volunteers, newcomer))
    assert solve(bigger).after.required_filled >= solve(problem).after.required_filled


@FAST
@given(problems())
def test_a_rerun_keeps_the_schedule(problem: Problem) -> None:
    first = solve(problem)
    fixed = set(problem.fixed)
    again = replace(problem, current=tuple(p for p in first.placements if p not in fixed))
    second = solve(again)
    assert second.after.required_filled >= first.after.required_filled
    assert second.added == () and second.removed == ()


@FAST
@given(problems(), st.data())
def test_refill_after_a_dropout_keeps_everyone_else_and_breaks_no_rule(
    problem: Problem, data: st.DataObject
) -> None:
    first = solve(problem)
    fixed = set(problem.fixed)
    placed = sorted({p.volunteer for p in first.placements if p not in fixed})
    if not placed:
        return
    gone = data.draw(st.sampled_from(placed))
    after = replace(
        problem,
        volunteers=tuple(v for v in problem.volunteers if v.key != gone),
        current=tuple(p for p in first.placements if p not in fixed),
    )
    again = refill(after)
    assert violations(after, again.placements) == []
    assert refill(after) == again
    # the dropout's placements go; anyone else who loses a shift moved along an ejection chain
    assert gone in {p.volunteer for p in again.removed}
    assert {p.volunteer for p in again.removed} - {gone} <= {p.volunteer for p in again.added}
    assert len(again.added) <= len(again.removed)
    assert set(problem.fixed) <= set(again.placements)
    assert again.after.required_filled >= first.after.required_filled - len(again.removed)
    assert again.bound is None or again.after.required_filled <= again.bound


def test_refill_fills_the_hole_with_the_least_loaded_volunteer() -> None:
    shift = ShiftNeed("s1", "north", 6 * 60, 10 * 60, 0, 0, 1, 1)
    other = ShiftNeed("s2", "north", 20 * 60, 22 * 60, 0, 0, 1, 1)
    bob = Volunteer("bob", ((0, DAY),))
    cat = Volunteer("cat", ((0, DAY),))
    current = (Placement("s1", "ann"), Placement("s2", "bob"))
    again = refill(Problem((bob, cat), (shift, other), current=current))
    assert again.removed == (Placement("s1", "ann"),)
    assert again.added == (Placement("s1", "cat"),)  # cat had nothing; bob keeps his one shift
    assert violations(Problem((bob, cat), (shift, other)), again.placements) == []


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.booleans())
def test_of_two_equally_loaded_volunteers_the_one_who_prefers_the_gate_gets_the_slot(
    seed: int, flip: bool
) -> None:
    gate = ShiftNeed("s1", "gate", 6 * 60, 10 * 60, 0, 0, 1, 1)
    ann = Volunteer("ann", ((0, DAY),))
    bob = Volunteer("bob", ((0, DAY),), preferred=frozenset({"gate"}))
    people = (bob, ann) if flip else (ann, bob)
    fresh = solve(Problem(people, (gate,), seed=seed))
    assert fresh.placements == (Placement("s1", "bob"),)
    # and when the slot is a hole left by a dropout
    again = refill(Problem(people, (gate,), current=(Placement("s1", "gone"),), seed=seed))
    assert again.added == (Placement("s1", "bob"),)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.booleans(), st.booleans())
def test_of_two_equally_loaded_volunteers_the_one_with_the_other_half_of_the_day_gets_the_slot(
    seed: int, flip: bool, afternoon_hole: bool
) -> None:
    """Rotation: a volunteer with a morning shift is picked for an afternoon hole over an equally
    loaded one with an afternoon shift, and the other way round."""
    morning = ShiftNeed("m", "north", 6 * 60, 10 * 60, 0, 0, 1, 1)
    afternoon = ShiftNeed("a", "north", 14 * 60, 18 * 60, 0, 0, 1, 1)
    start = DAY + (14 if afternoon_hole else 6) * 60
    hole = ShiftNeed("h", "north", start, start + 4 * 60, 1, 0, 1, 1)
    ann = Volunteer("ann", ((0, 2 * DAY),))  # has the morning shift
    bob = Volunteer("bob", ((0, 2 * DAY),))  # has the afternoon shift
    current = (Placement("m", "ann"), Placement("a", "bob"), Placement("h", "gone"))
    problem = Problem(
        (bob, ann) if flip else (ann, bob), (morning, afternoon, hole), current=current, seed=seed
    )
    again = refill(problem)
    assert again.added == (Placement("h", "ann" if afternoon_hole else "bob"),)
    assert violations(problem, again.placements) == []


def test_load_still_comes_before_preferences() -> None:
    gate = ShiftNeed("s1", "gate", 14 * 60, 18 * 60, 1, 0, 1, 1)
    busy = ShiftNeed("s0", "north", 6 * 60, 10 * 60, 0, 0, 1, 1)
    ann = Volunteer("ann", ((0, 2 * DAY),))  # nothing yet, prefers nothing
    bob = Volunteer("bob", ((0, 2 * DAY),), preferred=frozenset({"gate"}))  # one morning shift already
    current = (Placement("s0", "bob"), Placement("s1", "gone"))
    again = refill(Problem((ann, bob), (busy, gate), current=current))
    assert again.added == (Placement("s1", "ann"),)


def _best(problem: Problem) -> tuple[int, int]:
    """Exhaustively: the most minimum slots any schedule fills, and the least spread at that coverage."""
    shifts = {s.key: s for s in problem.shifts}
    people = list(problem.volunteers)
    pairs = [(v, s) for v in people for s in problem.shifts]
    options = []
    for v, s in pairs:
        roles = [None, PICKETER] + [r for r in s.roles if v.can_fill(r)]
        options.append(roles)
    best = (-1, 0)
    for choice in itertools.product(*options):
        placements = [
            Placement(s.key, v.key, role)
            for (v, s), role in zip(pairs, choice, strict=True)
            if role is not None
        ]
        if violations(problem, placements):
            continue
        crew: dict[str, list[str]] = {}
        for p in placements:
            crew.setdefault(p.shift, []).append(p.role)
        covered = sum(required_filled(s.roles, s.required, crew.get(s.key, [])) for s in shifts.values())
        eligible = [v for v in people if any(_eligible(v, s) for s in problem.shifts)]
        loads = [sum(1 for p in placements if p.volunteer == v.key) for v in eligible]
        spread = max(loads, default=0) - min(loads, default=0)
        if covered > best[0] or (covered == best[0] and spread < best[1]):
            best = (covered, spread)
    return best


def _eligible(v: Volunteer, s: ShiftNeed) -> bool:
    if v.locations is not None and s.location not in v.locations:
        return False
    return any(a <= s.start and s.end <= b for a, b in v.windows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_volunteers=3, max_shifts=3, roles=False))
def test_tiny_instances_match_the_exhaustive_optimum(problem: Problem) -> None:
    problem = replace(problem, fixed=())
    solution = solve(problem)
    covered, spread = _best(problem)
    assert solution.after.required_filled == covered
    assert solution.fairness.spread_shifts == spread


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_volunteers=3, max_shifts=2, roles=True))
def test_tiny_instances_with_roles_match_the_exhaustive_coverage(problem: Problem) -> None:
    problem = replace(problem, fixed=())
    assert solve(problem).after.required_filled == _best(problem)[0]


def test_unfilled_slots_say_why() -> None:
    captain_shift = ShiftNeed("s1", "north", 6 * 60, 10 * 60, 0, 0, 2, 2, captain_needed=True)
    nobody_shift = ShiftNeed("s2", "south", 6 * 60, 10 * 60, 0, 0, 1, 1)
    busy_shift = ShiftNeed("s3", "north", 7 * 60, 9 * 60, 0, 0, 1, 1)
    ann = Volunteer("ann", ((0, DAY),), frozenset({"north"}))
    solution = solve(Problem((ann,), (captain_shift, nobody_shift, busy_shift)))
    reasons = {(u.shift, u.role): u.reason for u in solution.unfilled if u.required}
    assert reasons[("s1", CAPTAIN)] == "role missing"
    assert reasons[("s2", PICKETER)] == "no eligible volunteer available"
    either = reasons.get(("s1", PICKETER), "") + reasons.get(("s3", PICKETER), "")
    assert "at their cap or busy" in either  # Ann can take only one of the two overlapping shifts


def test_benchmark_instance_a_meets_its_targets() -> None:
    problem = make_instance("A")
    solution = solve(problem)
    assert violations(problem, solution.placements) == []
    assert solution.bound is not None
    assert solution.after.required_filled >= solution.bound * 0.999
    assert solution.fairness.spread_shifts <= 1
