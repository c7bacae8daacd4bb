"""An independent checker of every hard rule, written plainly (pairwise) to catch solver bugs.

Used by the tests and the benchmark: it shares no code with the solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from strikeboard.scheduling.model import CAPTAIN, PICKETER, Placement, Problem, ShiftNeed, Volunteer


def _covered(windows: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    """Whether the union of ``windows`` covers [start, end)."""
    reach = start
    for a, b in sorted(windows):
        if a > reach:
            break
        reach = max(reach, b)
        if reach >= end:
            return True
    return reach >= end


def _role_ok(volunteer: Volunteer, shift: ShiftNeed, role: str) -> bool:
    if role == PICKETER:
        return True
    named = ((CAPTAIN,) if shift.captain_needed else ()) + tuple(shift.roles_needed)
    if role not in named:
        return False
    return volunteer.captain if role == CAPTAIN else role in volunteer.skills


def violations(problem: Problem, placements: Iterable[Placement]) -> list[str]:
    """Every broken hard rule in ``placements`` (fixed placements are allowed to break them)."""
    shifts = {s.key: s for s in problem.shifts}
    people = {v.key: v for v in problem.volunteers}
    fixed = set(problem.fixed)
    found: list[str] = []
    chosen = list(placements)
    for p in fixed:
        if p not in chosen and p.shift in shifts and shifts[p.shift].open:
            found.append(f"fixed placement {p} was changed")
    pairs: set[tuple[str, str]] = set()
    per_shift: dict[str, int] = defaultdict(int)
    fixed_per_shift: dict[str, int] = defaultdict(int)
    mine: dict[str, list[tuple[ShiftNeed, bool]]] = defaultdict(list)
    for p in fixed:
        if p.shift in shifts and not shifts[p.shift].open:
            mine[p.volunteer].append((shifts[p.shift], True))
    for p in chosen:
        shift = shifts.get(p.shift)
        if shift is None:
            found.append(f"{p}: unknown shift")
            continue
        if (p.shift, p.volunteer) in pairs:
            found.append(f"{p}: volunteer twice on one shift")
        pairs.add((p.shift, p.volunteer))
        per_shift[p.shift] += 1
        is_fixed = p in fixed
        fixed_per_shift[p.shift] += is_fixed
        if is_fixed:
            mine[p.volunteer].append((shift, True))
            continue
        if not shift.open:
            found.append(f"{p}: placed on a shift outside the range")
        volunteer = people.get(p.volunteer)
        if volunteer is None:
            found.append(f"{p}: not an active volunteer")
            continue
        mine[p.volunteer].append((shift, False))
        if volunteer.locations is not None and shift.location not in volunteer.locations:
            found.append(f"{p}: location not acceptable")
        if not _covered(volunteer.windows, shift.start, shift.end):
            found.append(f"{p}: outside availability")
        if (p.shift, p.volunteer) in problem.blocked:
            found.append(f"{p}: the volunteer withdrew from this shift")
        if not _role_ok(volunteer, shift, p.role):
            found.append(f"{p}: cannot take role {p.role}")
    for key, count in per_shift.items():
        if count > max(shifts[key].max_headcount, fixed_per_shift[key]):
            found.append(f"shift {key}: {count} people, more than {shifts[key].max_headcount}")
    for key, items in mine.items():
        volunteer = people.get(key)
        for a, (s, s_fixed) in enumerate(items):
            for t, t_fixed in items[a + 1 :]:
                if s_fixed and t_fixed:
                    continue
                gap = max(t.start - s.end, s.start - t.end)
                if gap < problem.rest_minutes:
                    found.append(f"volunteer {key}: shifts {s.key} and {t.key} overlap or lack rest")
        if volunteer is None:
            continue
        days: dict[int, list[bool]] = defaultdict(list)
        weeks: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for s, s_fixed in items:
            days[s.day].append(s_fixed)
            weeks[s.week].append((s.end - s.start, s_fixed))
        cap = volunteer.max_shifts_per_day
        for day, flags in days.items():
            if cap is not None and len(flags) > cap and not all(flags):
                found.append(f"volunteer {key}: {len(flags)} shifts on day {day}, cap {cap}")
        for week, rows in weeks.items():
            if all(f for _, f in rows):
                continue
            if volunteer.max_shifts_per_week is not None and len(rows) > volunteer.max_shifts_per_week:
                found.append(f"volunteer {key}: {len(rows)} shifts in week {week}")
            hours = sum(m for m, _ in rows) / 60
            if volunteer.max_hours_per_week is not None and hours > volunteer.max_hours_per_week + 1e-9:
                found.append(f"volunteer {key}: {hours} hours in week {week}")
    return found
