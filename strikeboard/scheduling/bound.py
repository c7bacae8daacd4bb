"""An upper bound on how many minimum slots any schedule can fill.

The relaxation keeps who is eligible for which shift and each volunteer's total cap (from
the day, week and hour caps) but drops roles, overlaps and rest: every real schedule is a
flow in it, so its maximum flow bounds the real coverage. The maximum flow is found by
augmenting paths from the solver's own schedule (usually a handful are missing), and a
search that fails marks everything it visited dead, so the whole run stays near-linear.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def coverage_bound(
    elig: Sequence[list[int]],
    required: list[int],
    crew: list[dict[int, str]],
    outsiders: list[int],
    caps: list[int],
) -> int:
    """Most minimum slots fillable: ``elig[j]`` volunteers of shift j, ``caps[i]`` shifts each."""
    m, n = len(required), len(caps)
    need = [max(0, required[j] - outsiders[j]) for j in range(m)]
    on_shift: list[set[int]] = [set() for _ in range(m)]
    shifts_of: list[set[int]] = [set() for _ in range(n)]
    for j in range(m):
        for i in sorted(crew[j])[: need[j]]:
            on_shift[j].add(i)
            shifts_of[i].add(j)
    used = [len(js) for js in shifts_of]
    seen_v = [0] * n
    seen_s = [0] * m
    stamp = 0
    for j0 in range(m):
        while len(on_shift[j0]) < need[j0] and seen_s[j0] >= 0:
            stamp += 1
            if not _augment(j0, stamp, elig, on_shift, shifts_of, used, caps, seen_v, seen_s):
                break
    return sum(min(required[j], outsiders[j]) + len(on_shift[j]) for j in range(m))


def _augment(
    j0: int,
    stamp: int,
    elig: Sequence[list[int]],
    on_shift: list[set[int]],
    shifts_of: list[set[int]],
    used: list[int],
    caps: list[int],
    seen_v: list[int],
    seen_s: list[int],
) -> bool:
    """One augmenting path into shift ``j0``; on failure mark the visited nodes dead (-1)."""
    visited_v: list[int] = []
    visited_s: list[int] = [j0]
    seen_s[j0] = stamp
    # frames alternate: (shift, iterator over its eligible people), (volunteer, iterator over their shifts)
    shift_frames: list[tuple[int, Iterator[int]]] = [(j0, iter(elig[j0]))]
    vol_frames: list[tuple[int, Iterator[int]]] = []
    while shift_frames:
        if len(shift_frames) > len(vol_frames):
            j, people = shift_frames[-1]
            found = -1
            for i in people:
                if seen_v[i] == stamp or seen_v[i] < 0 or i in on_shift[j]:
                    continue
                seen_v[i] = stamp
                visited_v.append(i)
                if used[i] < caps[i]:
                    found = i
                    break
                vol_frames.append((i, iter(sorted(shifts_of[i]))))
                break
            else:
                shift_frames.pop()
                continue
            if found >= 0:
                # found takes the last shift; each volunteer on the path leaves the next one
                used[found] += 1
                take = found
                for level in range(len(shift_frames) - 1, -1, -1):
                    j = shift_frames[level][0]
                    on_shift[j].add(take)
                    shifts_of[take].add(j)
                    if level > 0:
                        mover = vol_frames[level - 1][0]
                        on_shift[j].discard(mover)
                        shifts_of[mover].discard(j)
                        take = mover
                return True
        else:
            i, shifts = vol_frames[-1]
            for t in shifts:
                if seen_s[t] == stamp or seen_s[t] < 0:
                    continue
                seen_s[t] = stamp
                visited_s.append(t)
                shift_frames.append((t, iter(elig[t])))
                break
            else:
                vol_frames.pop()
    for i in visited_v:
        seen_v[i] = -1
    for t in visited_s:
        seen_s[t] = -1
    return False
