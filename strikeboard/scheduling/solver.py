"""Fill the slots of picket shifts: construction, repair by ejection chains, then levelling.

1. Keep every fixed placement, and every current placement that still obeys the rules
   (so a re-run after a dropout only fills the holes).
2. Named roles (captain, first aid, ...) first, the slot with the fewest candidates first,
   least-loaded candidate first. Then the other minimum slots, one slot per shift per pass,
   scarcest shift first, each taking a volunteer who fits with no more than ``level``
   shifts; the level rises only when nobody at it is left, so loads rise evenly.
   (Candidates who prefer the gate come first, then a rank drawn from the seed.)
3. Each empty minimum slot is repaired with the shortest ejection chain found breadth-first:
   a volunteer blocked by a cap or another shift moves over if someone else can take the
   shift they leave, and so on.
4. Levelling moves shifts from volunteers with two or more shifts more than someone who could
   take them, until no such move is left. Slots above the minimum are then filled without
   raising the most-loaded volunteer (fairness ranks before filling up to max), and levelled.

Preferences only break ties. Eligibility lists put volunteers who prefer the location first.
Where the least-loaded volunteer is picked (levelling, re-filling a hole), among equally loaded
ones a volunteer who prefers the shift's location wins, then one with fewer shifts in the same
half of the day (morning before noon, afternoon from noon), so loads rotate between mornings
and afternoons. Named roles keep the seeded order (the tie-break there cost coverage on D).
Everything is deterministic: remaining ties are broken by a rank drawn from ``random.Random(seed)``.
"""

from __future__ import annotations

import gc
import random
from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from typing import overload

from strikeboard.scheduling.bound import coverage_bound
from strikeboard.scheduling.model import (
    ALL_AT_CAP,
    CAPTAIN,
    NO_ONE_AVAILABLE,
    PICKETER,
    ROLE_MISSING,
    Coverage,
    Fairness,
    Placement,
    Problem,
    Solution,
    Unfilled,
)

#: Minutes in a day, and the minute of the day from which a shift counts as an afternoon one (see model).
DAY = 24 * 60
NOON = 12 * 60
#: The order placements are listed in (a C-level key: tens of thousands are sorted per run).
by_shift_and_volunteer = attrgetter("shift", "volunteer")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block that makes many small objects.

    A run at union scale builds some 10^5 tuples, lists and dicts, none of them in cycles;
    the collector's passes over them cost about a third of the run. Reference counting
    still frees everything; the collector is switched back on (if it was on) afterwards.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def merge_windows(windows: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping windows covering the same minutes."""
    given = list(windows)
    last = None
    for a, b in given:  # a plain loop: called once per volunteer on every run
        if b <= a or (last is not None and a <= last):
            break
        last = b
    else:
        return given  # already sorted and apart (the usual case)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(given):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def required_filled(roles: tuple[str, ...], required: int, crew_roles: Iterable[str]) -> int:
    """How many of a shift's minimum slots a crew with these roles fills."""
    need: dict[str, int] = defaultdict(int)
    for role in roles:
        need[role] += 1
    named = 0
    others = 0
    for role in crew_roles:
        if need.get(role, 0) > 0:
            need[role] -= 1
            named += 1
        else:
            others += 1
    return named + min(others, required - len(roles))


class _Eligible(Sequence[list[int]]):
    """For each shift, the volunteers whose windows and locations allow it (none for a shift
    outside the range), worked out the first time it is asked for.

    Volunteers who prefer the shift's location come first; otherwise the seeded rank.
    """

    def __init__(self, state: _State) -> None:
        self._state = state
        self._found: list[list[int] | None] = [None] * len(state.shifts)

    def __len__(self) -> int:
        return len(self._found)

    @overload
    def __getitem__(self, j: int) -> list[int]: ...

    @overload
    def __getitem__(self, j: slice) -> Sequence[list[int]]: ...

    def __getitem__(self, j: int | slice) -> list[int] | Sequence[list[int]]:
        if isinstance(j, slice):
            return [self[k] for k in range(len(self))[j]]
        found = self._found[j]
        if found is None:
            found = self._found[j] = self._work_out(j)
        return found

    def _work_out(self, j: int) -> list[int]:
        state = self._state
        shift = state.shifts[j]
        people: list[int] = []
        if not shift.open:
            return people
        start, end = shift.start, shift.end
        for a, b, group in state.groups.get(shift.location, ()):
            if a <= start < b and end <= b:
                # each shift starts at its own place in the group, so shifts that share
                # a group do not all scan past the same people first
                cut = (j * 7919) % len(group)
                people.extend(group[cut:])
                people.extend(group[:cut])
        return people


class _State:
    """The mutable schedule the phases work on (volunteers and shifts by index)."""

    def __init__(self, problem: Problem) -> None:
        rng = random.Random(problem.seed)
        order = list(range(len(problem.volunteers)))
        rng.shuffle(order)
        self.vols = [problem.volunteers[k] for k in order]
        self.shifts = problem.shifts
        self.rest = problem.rest_minutes
        self.vindex = {v.key: i for i, v in enumerate(self.vols)}
        self.sindex = {s.key: j for j, s in enumerate(self.shifts)}
        n, m = len(self.vols), len(self.shifts)
        self.start = [s.start for s in self.shifts]
        self.end = [s.end for s in self.shifts]
        self.length = [s.end - s.start for s in self.shifts]
        self.day = [s.day for s in self.shifts]
        self.week = [s.week for s in self.shifts]
        self.required = [s.required if s.open else 0 for s in self.shifts]
        self.maximum = [s.max_headcount if s.open else 0 for s in self.shifts]
        self.roles = [s.roles if s.open else () for s in self.shifts]
        self.is_open = [s.open for s in self.shifts]
        #: Whether each shift starts in the afternoon (minutes modulo a day: the origin is a local midnight).
        self.afternoon = [s.start % DAY >= NOON for s in self.shifts]
        self.count = [0] * n  # placements on open shifts
        self.minutes = [0] * n
        self.busy: list[list[int]] = [[] for _ in range(n)]
        self.day_count: dict[tuple[int, int], int] = defaultdict(int)
        self.week_count: dict[tuple[int, int], int] = defaultdict(int)
        self.week_minutes: dict[tuple[int, int], int] = defaultdict(int)
        self.crew: list[dict[int, str]] = [{} for _ in range(m)]
        self.cov = [0] * m  # minimum slots filled, kept current by place/unplace
        self.total_cov = 0  # sum of ``cov``
        self.successes = 0  # ejection chains carried out (dead ends found before one stay dead)
        self.outsiders: list[list[str]] = [[] for _ in range(m)]  # fixed people not in the problem
        self.fixed: set[tuple[int, int]] = set()
        self.given: dict[tuple[int, int], Placement] = {}  # the caller's placements kept as they were
        self.day_cap = [v.max_shifts_per_day for v in self.vols]
        self.week_cap = [v.max_shifts_per_week for v in self.vols]
        self.week_hours = [
            None if v.max_hours_per_week is None else round(v.max_hours_per_week * 60) for v in self.vols
        ]
        self.windows = [merge_windows(v.windows) for v in self.vols]
        self.role_people: dict[str, set[int]] = defaultdict(set)
        for i, v in enumerate(self.vols):
            if v.captain:
                self.role_people[CAPTAIN].add(i)
            for skill in v.skills:
                self.role_people[skill].add(i)
        self.blocked = {
            (self.vindex[v], self.sindex[j])
            for j, v in problem.blocked
            if v in self.vindex and j in self.sindex
        }
        self.groups = self._groups()
        self.elig = _Eligible(self)
        #: Whether volunteer ``i`` may also take shift ``j`` (pretending shift ``ignore`` is dropped).
        self.fits = self._fits_check()
        self.cap: list[int] = []  # most shifts each volunteer can take (see _caps), set before repair
        self.roomy = 0  # volunteers below their ``cap`` (kept current once ``cap`` is set)

    def _groups(self) -> dict[str, list[tuple[int, int, list[int]]]]:
        """Per location, (start, end, people) of the volunteers sharing a window there.

        In the order eligibility lists are built from: volunteers who prefer the location
        first, then the seeded rank.
        """
        by_location: dict[str, list[int]] = defaultdict(list)
        for j, s in enumerate(self.shifts):
            if s.open:
                by_location[s.location].append(j)
        everywhere = sorted(by_location)
        # one window table per location for those who prefer it and one for the rest: the
        # window tuples are reused as keys, so no key is built per (volunteer, location, window)
        liked = {loc: defaultdict[tuple[int, int], list[int]](list) for loc in everywhere}
        rest = {loc: defaultdict[tuple[int, int], list[int]](list) for loc in everywhere}
        sorted_locs: dict[frozenset[str], list[str]] = {}
        windows = self.windows
        for i, v in enumerate(self.vols):
            if v.locations is None:
                locs = everywhere
            else:
                locs = sorted_locs.get(v.locations) or sorted_locs.setdefault(
                    v.locations, sorted(x for x in v.locations if x in by_location)
                )
            mine, preferred = windows[i], v.preferred
            for loc in locs:
                table = liked[loc] if preferred and loc in preferred else rest[loc]
                for window in mine:
                    table[window].append(i)
        found: dict[str, list[tuple[int, int, list[int]]]] = {}
        for loc in everywhere:
            spans = [(a, b, people) for (a, b), people in liked[loc].items()]
            spans += [(a, b, people) for (a, b), people in rest[loc].items()]
            if spans:
                found[loc] = spans
        return found

    def eligible_people(self) -> list[int]:
        """The volunteers eligible for at least one open shift, in index order."""
        starts: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s in self.shifts:
            if s.open:
                starts[s.location].append((s.start, s.end))
        for spans in starts.values():
            spans.sort()
        has = [False] * len(self.vols)
        for loc, groups in self.groups.items():
            spans = starts[loc]
            for a, b, people in groups:
                k = bisect_left(spans, (a,))
                while k < len(spans) and spans[k][0] < b:
                    if spans[k][1] <= b:
                        for i in people:
                            has[i] = True
                        break
                    k += 1
        return [i for i in range(len(self.vols)) if has[i]]

    def days_per_week(self) -> list[dict[int, int]]:
        """For each volunteer, per week, the days with an open shift inside their windows (any location).

        Volunteers with the same windows share one (read-only) dict: there are far fewer
        distinct window sets than volunteers.
        """
        order = sorted((j for j, s in enumerate(self.shifts) if s.open), key=lambda j: self.start[j])
        starts = [self.start[j] for j in order]
        cache: dict[tuple[int, int], set[tuple[int, int]]] = {}
        known: dict[tuple[tuple[int, int], ...], dict[int, int]] = {}
        result = []
        for windows in self.windows:
            key = tuple(windows)
            per_week = known.get(key)
            if per_week is None:
                days: set[tuple[int, int]] = set()
                for a, b in windows:
                    found = cache.get((a, b))
                    if found is None:
                        found = cache[(a, b)] = set()
                        k = bisect_left(starts, a)
                        while k < len(order) and starts[k] < b:
                            j = order[k]
                            if self.end[j] <= b:
                                found.add((self.week[j], self.day[j]))
                            k += 1
                    days |= found
                per_week = known[key] = {}
                for week, _ in days:
                    per_week[week] = per_week.get(week, 0) + 1
            result.append(per_week)
        return result

    # -- placing and checking -------------------------------------------------------------------

    def _fits_check(self) -> Callable[..., bool]:
        """The :meth:`fits` test as a closure over the state's lists (the solver's hottest code)."""
        blocked, busy_of, length, day_of, week_of = self.blocked, self.busy, self.length, self.day, self.week
        day_caps, week_caps, week_hours = self.day_cap, self.week_cap, self.week_hours
        day_count, week_count, week_minutes = self.day_count, self.week_count, self.week_minutes
        start, end, rest = self.start, self.end, self.rest

        def fits(i: int, j: int, ignore: int = -1) -> bool:
            if blocked and (i, j) in blocked:
                return False
            busy = busy_of[i]
            if not busy:
                hours = week_hours[i]
                return day_caps[i] != 0 and week_caps[i] != 0 and (hours is None or length[j] <= hours)
            day, week = day_of[j], week_of[j]
            cap = day_caps[i]
            if cap is not None:
                used = day_count[(i, day)]
                if ignore >= 0 and day_of[ignore] == day:
                    used -= 1
                if used >= cap:
                    return False
            cap = week_caps[i]
            hours = week_hours[i]
            if cap is not None or hours is not None:
                same_week = ignore >= 0 and week_of[ignore] == week
                if cap is not None and week_count[(i, week)] - same_week >= cap:
                    return False
                if hours is not None:
                    minutes = week_minutes[(i, week)] - (length[ignore] if same_week else 0)
                    if minutes + length[j] > hours:
                        return False
            a, b = start[j], end[j]
            for t in busy:  # noqa: SIM110 (a plain loop: this is the hottest line of the solver)
                if t != ignore and a < end[t] + rest and start[t] < b + rest:
                    return False
            return True

        return fits

    def place(self, i: int, j: int, role: str, recount: bool = True) -> None:
        """Put volunteer ``i`` on shift ``j`` in ``role`` (``recount=False``: the caller recounts ``j``)."""
        self.crew[j][i] = role
        if recount:
            self.recount(j)
        self.busy[i].append(j)
        self.day_count[(i, self.day[j])] += 1
        week, length = (i, self.week[j]), self.length[j]
        self.week_count[week] += 1
        self.week_minutes[week] += length
        if self.is_open[j]:
            count = self.count[i] = self.count[i] + 1
            self.minutes[i] += length
            if self.cap and count == self.cap[i]:
                self.roomy -= 1

    def unplace(self, i: int, j: int) -> str:
        """Take volunteer ``i`` off shift ``j``; return the role they had."""
        role = self.crew[j].pop(i)
        self.recount(j)
        self.busy[i].remove(j)
        self.day_count[(i, self.day[j])] -= 1
        self.week_count[(i, self.week[j])] -= 1
        self.week_minutes[(i, self.week[j])] -= self.length[j]
        if self.shifts[j].open:
            self.count[i] -= 1
            self.minutes[i] -= self.length[j]
            if self.cap and self.count[i] == self.cap[i] - 1:
                self.roomy += 1
        return role

    def can_fill(self, i: int, role: str) -> bool:
        """Whether volunteer ``i`` may take ``role``."""
        return role == PICKETER or i in self.role_people[role]

    def size(self, j: int) -> int:
        """People on shift ``j`` (fixed outsiders included)."""
        return len(self.crew[j]) + len(self.outsiders[j])

    def covered(self, j: int) -> int:
        """Minimum slots of shift ``j`` that are filled."""
        if not self.roles[j]:
            return min(self.required[j], len(self.crew[j]) + len(self.outsiders[j]))
        roles = list(self.crew[j].values()) + self.outsiders[j]
        return required_filled(self.roles[j], self.required[j], roles)

    def recount(self, j: int) -> None:
        """Bring ``cov[j]`` and ``total_cov`` up to date after shift ``j``'s crew changed."""
        now = self.covered(j)
        self.total_cov += now - self.cov[j]
        self.cov[j] = now

    def missing_roles(self, j: int) -> list[str]:
        """The named roles of shift ``j`` nobody fills yet (with repeats)."""
        have: dict[str, int] = defaultdict(int)
        for role in list(self.crew[j].values()) + self.outsiders[j]:
            have[role] += 1
        missing = []
        for role in self.roles[j]:
            if have[role] > 0:
                have[role] -= 1
            else:
                missing.append(role)
        return missing

    def load(self, i: int) -> tuple[int, int]:
        """What "least loaded" compares: shifts, then minutes."""
        return self.count[i], self.minutes[i]

    def tie(self, i: int, j: int) -> tuple[bool, int]:
        """What breaks a tie in load for shift ``j`` (lower is better): whether ``i`` does not
        prefer its location, then how many shifts ``i`` already has in the same half of the day."""
        afternoon, half = self.afternoon, self.afternoon[j]
        return (
            self.shifts[j].location not in self.vols[i].preferred,
            sum(1 for t in self.busy[i] if afternoon[t] == half),
        )

    def least_loaded(
        self, j: int, people: Iterable[int], role: str, limit: int | None = None, ties: bool = True
    ) -> int:
        """The volunteer among ``people`` who can take ``role`` on shift ``j`` with the least load
        (and no more than ``limit`` shifts), or -1. Ties go by :meth:`tie` (unless ``ties`` is
        False), then by order in ``people``."""
        here, count = self.crew[j], self.count
        best, best_load, best_tie = -1, (0, 0), (False, 0)
        for i in people:
            if i in here or (limit is not None and count[i] > limit) or not self.can_fill(i, role):
                continue
            load = self.load(i)
            tie = None
            if best >= 0:
                if load > best_load:
                    continue
                if load == best_load:
                    if not ties:
                        continue
                    tie = self.tie(i, j)
                    if tie >= best_tie:
                        continue
            if self.fits(i, j):
                best, best_load, best_tie = i, load, tie if tie is not None else self.tie(i, j)
        return best


def _start(state: _State, problem: Problem) -> dict[int, int]:
    """Place the fixed placements as they are, then the current ones that still obey the rules.

    Returns the holes: how many current placements each open shift lost.
    """
    holes: dict[int, int] = defaultdict(int)
    for p in problem.fixed:
        j = state.sindex.get(p.shift)
        if j is None:
            continue
        i = state.vindex.get(p.volunteer)
        if i is None:
            state.outsiders[j].append(p.role)
            state.recount(j)
        elif i not in state.crew[j]:
            state.place(i, j, p.role, recount=False)
            state.fixed.add((i, j))
            state.given[(i, j)] = p
    sindex, vindex, crew, roles, maximum, outsiders = (
        state.sindex,
        state.vindex,
        state.crew,
        state.roles,
        state.maximum,
        state.outsiders,
    )
    fits, place, given, shifts, vols, windows_of = (
        state.fits,
        state.place,
        state.given,
        state.shifts,
        state.vols,
        state.windows,
    )
    for p in problem.current:  # thousands on a re-run: the state's lookups are hoisted
        j = sindex.get(p.shift)
        if j is None:
            continue
        i = vindex.get(p.volunteer)
        here = crew[j]
        if i is not None and i in here:
            continue
        role = p.role if p.role in roles[j] else PICKETER
        if i is None or len(here) + len(outsiders[j]) >= maximum[j]:
            eligible = False
        else:  # an acceptable location, inside one of i's windows (inline: once per placement)
            s, locations, windows = shifts[j], vols[i].locations, windows_of[i]
            k = bisect_left(windows, (s.start + 1,)) - 1
            eligible = (
                s.open
                and (locations is None or s.location in locations)
                and k >= 0
                and windows[k][0] <= s.start
                and s.end <= windows[k][1]
            )
        if i is not None and eligible and state.can_fill(i, role) and fits(i, j):
            place(i, j, role, False)
            if role == p.role:
                given[(i, j)] = p
        elif state.is_open[j]:
            holes[j] += 1
    for j in range(len(state.shifts)):  # once per shift, not once per placement
        state.recount(j)
    return holes


def _fill_roles(state: _State) -> None:
    """Named roles first, the slot with the fewest candidates first, least-loaded candidate first."""
    todo = []
    for j, s in enumerate(state.shifts):
        if s.open and state.roles[j]:
            for role in state.missing_roles(j):
                able = state.role_people[role]
                todo.append(([i for i in state.elig[j] if i in able], j, role))
    todo.sort(key=lambda t: (len(t[0]), t[1]))
    for people, j, role in todo:
        if state.size(j) >= state.maximum[j]:
            continue
        # the seeded order alone here: the preference tie-break cost named-role coverage on D
        best = state.least_loaded(j, people, role, ties=False)
        if best >= 0:
            state.place(best, j, role)


def _fill_levels(state: _State, limit: list[int], top: int) -> None:
    """Fill shifts up to ``limit``, one slot per shift per pass, scarcest shift first, taking
    volunteers with no more than ``level`` shifts; raise the level up to ``top``."""
    order = [j for j, s in enumerate(state.shifts) if s.open and state.elig[j]]
    order.sort(key=lambda j: (len(state.elig[j]) / max(1, limit[j]), j))
    count, crew, elig, fits = state.count, state.crew, state.elig, state.fits
    level = min(count, default=0)
    while level <= top:
        active = [j for j in order if state.size(j) < limit[j]]
        if not active:
            return
        pointer = dict.fromkeys(active, 0)
        while active:
            still = []
            for j in active:
                people, k, here = elig[j], pointer[j], crew[j]
                size = len(people)
                while k < size:
                    i = people[k]
                    k += 1
                    if count[i] <= level and i not in here and fits(i, j):
                        state.place(i, j, PICKETER)
                        if state.size(j) < limit[j]:
                            still.append(j)
                        break
                pointer[j] = k
            active = still
        level += 1


def _augment(
    state: _State, j0: int, role0: str, stamp: int, seen: list[int], dead: dict[tuple[int, str], int]
) -> bool:
    """Fill a ``role0`` slot of shift ``j0`` with the shortest ejection chain found breadth-first:
    a volunteer takes it, leaving another shift whose slot someone else takes, and so on.

    People visited by a failed search keep their ``stamp`` so the rest of the round skips
    them; a successful search clears its stamps. A (shift, role) a failed search scanned is
    ``dead`` until the next success: scanning it again would find the same nothing.
    """
    # came[t] = (volunteer who would leave shift t, the shift they would take)
    came: dict[int, tuple[int, int]] = {}
    roles = {j0: role0}
    queue = deque([j0])
    visited: list[int] = []
    scanned: list[int] = []
    version = state.successes
    crew, fixed, count, cap, cov = state.crew, state.fixed, state.count, state.cap, state.cov
    elig, busy_of, outsiders, fits = state.elig, state.busy, state.outsiders, state.fits
    is_open = state.is_open
    while queue:
        j = queue.popleft()
        role, here = roles[j], crew[j]
        if dead.get((j, role)) == version:
            continue
        scanned.append(j)
        able = None if role == PICKETER else state.role_people[role]
        people = elig[j]
        taker = -1
        if state.roomy:
            for i in people:
                if (
                    count[i] < cap[i]
                    and seen[i] != stamp
                    and i not in here
                    and (able is None or i in able)
                    and fits(i, j)
                ):
                    taker = i
                    break
        if taker >= 0:
            _apply(state, came, roles, j, taker, -1)
            break
        for i in people:
            if seen[i] == stamp or i in here or (able is not None and i not in able):
                continue
            seen[i] = stamp
            visited.append(i)
            done = False
            for t in busy_of[i]:  # left at once after a change (_apply), so no copy is needed
                if t in roles or not is_open[t] or (fixed and (i, t) in fixed) or not fits(i, j, t):
                    continue
                came[t] = (i, j)
                roles[t] = crew[t][i]
                if len(crew[t]) + len(outsiders[t]) > cov[t] and _spare(state, t, i):
                    _apply(state, came, roles, j, i, t)
                    done = True
                    break
                queue.append(t)
            if done:
                break
        else:
            continue
        break
    else:
        for j in scanned:
            dead[(j, roles[j])] = version
        return False
    state.successes += 1
    for k in visited:
        seen[k] = 0
    return True


def _spare(state: _State, t: int, i: int) -> bool:
    """Whether shift ``t`` keeps all its minimum slots filled without volunteer ``i``."""
    others = [r for k, r in state.crew[t].items() if k != i] + state.outsiders[t]
    return required_filled(state.roles[t], state.required[t], others) >= state.cov[t]


def _apply(
    state: _State, came: dict[int, tuple[int, int]], roles: dict[int, str], j: int, i: int, leaves: int
) -> None:
    """Carry out an ejection chain ending with volunteer ``i`` taking shift ``j`` (leaving
    ``leaves`` unless it is -1), then walking back to the first shift along ``came``."""
    while True:
        if leaves >= 0:
            state.unplace(i, leaves)
        state.place(i, j, roles[j])
        if j not in came:
            return
        leaves = j
        i, j = came[j]


def _repair(state: _State) -> None:
    """Close the gaps in minimum slots with ejection chains, while a round still helps."""
    seen = [0] * len(state.vols)
    dead: dict[tuple[int, str], int] = {}
    stamp = 0
    for _ in range(6):
        progress = False
        stamp += 1
        for j, s in enumerate(state.shifts):
            if not s.open:
                continue
            while state.cov[j] < state.required[j] and state.size(j) < state.maximum[j]:
                missing = state.missing_roles(j)
                role = missing[0] if missing else PICKETER
                if not _augment(state, j, role, stamp, seen, dead):
                    break
                progress = True
        if not progress:
            return


def _level(state: _State, eligible: list[int]) -> None:
    """Move shifts from the most loaded to volunteers with two fewer, until no move is left."""
    if not eligible:
        return
    count = state.count
    moved = True
    while moved:
        moved = False
        low = min(count[i] for i in eligible)
        heavy = [i for i in eligible if count[i] >= low + 2]
        heavy.sort(key=lambda i: (-count[i], i))
        for i in heavy:
            for j in list(state.busy[i]):
                if (i, j) in state.fixed or not state.shifts[j].open:
                    continue
                role = state.crew[j][i]
                best = state.least_loaded(j, state.elig[j], role, count[i] - 2)
                if best >= 0:
                    state.unplace(i, j)
                    state.place(best, j, role)
                    moved = True
                    if count[i] < low + 2:
                        break


def _reason(state: _State, j: int, role: str) -> str:
    people = state.elig[j]
    if not people:
        return NO_ONE_AVAILABLE
    if role != PICKETER and not any(state.can_fill(i, role) for i in people):
        return ROLE_MISSING
    return ALL_AT_CAP


def _coverage(state: _State, js: Iterable[int]) -> Coverage:
    req = req_total = filled = total = 0
    for j in js:
        req += state.covered(j)
        req_total += state.required[j]
        filled += min(state.size(j), state.maximum[j])
        total += state.maximum[j]
    return Coverage(req, req_total, filled, total)


def _coverage_before(problem: Problem, state: _State, js: list[int]) -> Coverage:
    roles: dict[int, list[str]] = defaultdict(list)
    for p in (*problem.fixed, *problem.current):
        j = state.sindex.get(p.shift)
        if j is not None:
            roles[j].append(p.role)
    req = req_total = filled = total = 0
    for j in js:
        req += required_filled(state.roles[j], state.required[j], roles[j])
        req_total += state.required[j]
        filled += min(len(roles[j]), state.maximum[j])
        total += state.maximum[j]
    return Coverage(req, req_total, filled, total)


def len_outsiders(state: _State) -> list[int]:
    """People on each shift who are not in the problem (kept as fixed)."""
    return [len(people) for people in state.outsiders]


def _caps(state: _State) -> list[int]:
    """Most open shifts each volunteer could take if only the day, week and hour caps counted."""
    shortest: dict[int, int] = {}
    for j, s in enumerate(state.shifts):
        if s.open:
            shortest[s.week] = min(shortest.get(s.week, state.length[j]), state.length[j])
    caps = []
    for i, per_week in enumerate(state.days_per_week()):
        total = 0
        per_day = state.day_cap[i]
        for week, days in per_week.items():
            cap = days * per_day if per_day is not None else len(state.shifts)
            if state.week_cap[i] is not None:
                cap = min(cap, state.week_cap[i] or 0)
            hours = state.week_hours[i]
            if hours is not None:
                cap = min(cap, hours // max(1, shortest[week]))
            total += cap
        caps.append(max(total, state.count[i]))
    return caps


def _placements(state: _State, problem: Problem) -> list[Placement]:
    out = [
        p
        for p in problem.fixed
        if p.volunteer not in state.vindex
        and p.shift in state.sindex
        and state.shifts[state.sindex[p.shift]].open
    ]
    given = state.given
    for j, s in enumerate(state.shifts):
        if s.open:
            for i, role in state.crew[j].items():
                p = given.get((i, j))
                out.append(
                    p if p is not None and p.role == role else Placement(s.key, state.vols[i].key, role)
                )
    out.sort(key=by_shift_and_volunteer)
    return out


def solve(problem: Problem, with_bound: bool = True) -> Solution:
    """The schedule for ``problem``: minimum slots first, then fairness, then the maximum.

    Current placements that still obey the rules are kept; see :func:`refill` for a quicker
    re-run that only fills the holes.
    """
    with paused_gc():
        return _solve(problem, with_bound)


def _solve(problem: Problem, with_bound: bool) -> Solution:
    state = _State(problem)
    open_js = [j for j, s in enumerate(state.shifts) if s.open]
    before_cov = _coverage_before(problem, state, open_js)
    _start(state, problem)
    _fill_roles(state)
    state.cap = _caps(state)  # valid from here on: only fixed placements may exceed the caps
    state.roomy = sum(1 for c, most in zip(state.count, state.cap, strict=True) if c < most)
    _fill_levels(state, state.required, max(state.cap, default=0))
    _repair(state)
    eligible = state.eligible_people()
    _level(state, eligible)
    # fairness before the slots above the minimum: they never raise the most-loaded volunteer
    ceiling = max((state.count[i] for i in eligible), default=0)
    _fill_levels(state, state.maximum, ceiling - 1)
    _level(state, eligible)
    return _finish(state, problem, open_js, before_cov, eligible, with_bound)


def refill(problem: Problem, with_bound: bool = True) -> Solution:
    """Keep every fixed and current placement that still obeys the rules; fill only the holes.

    For a re-run after a dropout: each slot a current placement leaves (the volunteer is
    gone, excused, withdrew or no longer available) goes to the least-loaded volunteer who
    fits, or, for a minimum slot, to the shortest ejection chain from it. Nothing else moves
    and nothing else is improved: :func:`solve` does that, in a few times as long.
    """
    with paused_gc():
        return _refill(problem, with_bound)


def _refill(problem: Problem, with_bound: bool) -> Solution:
    state = _State(problem)
    open_js = [j for j, s in enumerate(state.shifts) if s.open]
    before_cov = _coverage_before(problem, state, open_js)
    holes = _start(state, problem)
    state.cap = _caps(state)
    state.roomy = sum(1 for c, most in zip(state.count, state.cap, strict=True) if c < most)
    seen = [0] * len(state.vols)
    dead: dict[tuple[int, str], int] = {}
    for j in sorted(holes):
        for _ in range(holes[j]):
            if state.size(j) >= state.maximum[j]:
                break
            missing = state.missing_roles(j)
            role = missing[0] if missing else PICKETER
            if _take(state, j, role):
                continue
            if not (state.cov[j] < state.required[j] and _augment(state, j, role, 1, seen, dead)):
                break
    return _finish(state, problem, open_js, before_cov, state.eligible_people(), with_bound)


def _take(state: _State, j: int, role: str) -> bool:
    """Put the least-loaded volunteer who fits on shift ``j`` in ``role``, if there is one."""
    best = state.least_loaded(j, state.elig[j], role)
    if best < 0:
        return False
    state.place(best, j, role)
    return True


def _finish(
    state: _State,
    problem: Problem,
    open_js: list[int],
    before_cov: Coverage,
    eligible: list[int],
    with_bound: bool,
) -> Solution:
    """The solution for the schedule in ``state``: placements, changes, gaps and quality."""
    unfilled: list[Unfilled] = []
    captain_total = captain_filled = 0
    for j in open_js:
        missing = state.missing_roles(j)
        captain_total += state.roles[j].count(CAPTAIN)
        captain_filled += state.roles[j].count(CAPTAIN) - missing.count(CAPTAIN)
        gap = state.required[j] - state.covered(j)
        key = state.shifts[j].key
        for role in missing:
            unfilled.append(Unfilled(key, role, True, _reason(state, j, role)))
        for _ in range(gap - len(missing)):
            unfilled.append(Unfilled(key, PICKETER, True, _reason(state, j, PICKETER)))
        for _ in range(max(0, state.maximum[j] - max(state.size(j), state.required[j]))):
            unfilled.append(Unfilled(key, PICKETER, False, _reason(state, j, PICKETER)))

    by_location: dict[str, list[int]] = defaultdict(list)
    for j in open_js:
        by_location[state.shifts[j].location].append(j)
    placements = _placements(state, problem)
    old = {(p.shift, p.volunteer, p.role) for p in (*problem.fixed, *problem.current)}
    sindex, is_open = state.sindex, state.is_open
    old_open = {  # keyed by value, not by Placement: hashing the tuples directly is much quicker
        (p.shift, p.volunteer, p.role): p
        for p in (*problem.fixed, *problem.current)
        if p.shift in sindex and is_open[sindex[p.shift]]
    }
    new = {(p.shift, p.volunteer, p.role) for p in placements}
    counts = [state.count[i] for i in eligible]
    hours = [state.minutes[i] / 60 for i in eligible]
    fairness = Fairness(
        volunteers=len(eligible),
        max_shifts=max(counts, default=0),
        min_shifts=min(counts, default=0),
        max_hours=max(hours, default=0.0),
        min_hours=min(hours, default=0.0),
        idle=sum(1 for c in counts if c == 0),
    )
    bound = None
    if with_bound:
        bound = coverage_bound(state.elig, state.required, state.crew, len_outsiders(state), state.cap)
    return Solution(
        placements=tuple(placements),
        added=tuple(p for p in placements if (p.shift, p.volunteer, p.role) not in old),
        removed=tuple(
            sorted(
                (p for key, p in old_open.items() if key not in new),
                key=by_shift_and_volunteer,
            )
        ),
        unfilled=tuple(unfilled),
        before=before_cov,
        after=_coverage(state, open_js),
        by_location={loc: _coverage(state, js) for loc, js in sorted(by_location.items())},
        fairness=fairness,
        captain_filled=captain_filled,
        captain_total=captain_total,
        bound=bound,
    )
