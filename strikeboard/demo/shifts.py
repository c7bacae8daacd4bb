"""The gates and their shifts: locations, every shift of the strike, and who is assigned to each."""

from datetime import date, timedelta

from strikeboard.demo.pools import GATES, SHIFT_NOTES
from strikeboard.demo.shape import DAYS_BEFORE_TODAY, SLOTS
from strikeboard.demo.state import Booking, Demo, Row, ShiftPlan
from strikeboard.store.models import AssignmentSource, AssignmentStatus, Role


def location_rows(demo: Demo) -> list[Row]:
    """The studio gates."""
    rows = []
    for gate in GATES:
        gate_id = demo.uid()
        demo.location_ids.append(gate_id)
        rows.append(
            {
                "id": gate_id,
                "name": gate.name,
                "address": gate.address,
                "notes": gate.notes,
                "has_shade": gate.has("shade"),
                "has_seating": gate.has("seating"),
                "has_restrooms": gate.has("restrooms"),
                "step_free": gate.has("step_free"),
                "near_transit": gate.has("transit"),
                "active": True,
                "created_at": demo.setup,
                "updated_at": demo.setup,
            }
        )
    return rows


def shift_rows(demo: Demo) -> list[Row]:
    """Every gate, every day, every slot, with headcounts scaled to the roster's size."""
    rng, rows = demo.rng, []
    series = {(g, s): demo.uid() for g in range(len(GATES)) for s in range(len(SLOTS))}
    cancelled = {  # (gate, day index, slot): note
        (len(GATES) - 2, DAYS_BEFORE_TODAY - 4, 2): "Cancelled: heat advisory; pickets moved to Disney.",
        (4, DAYS_BEFORE_TODAY + 3, 0): "Cancelled: the studio closed the gate for a permitted event.",
    }
    created = demo.local(demo.start - timedelta(days=3), 14)
    for d, day in enumerate(demo.days):
        weekend = day.weekday() >= 5
        ahead = (day - demo.today).days
        for s, (h0, h1) in enumerate(SLOTS):
            starts, ends = demo.local(day, h0), demo.local(day, h1)
            for g, gate in enumerate(GATES):
                high = max(2, round(gate.size * demo.scale * (0.7 if weekend else 1.0)))
                low = max(1, round(high * 0.4))
                if starts <= demo.now:  # over or running: as many as ever signed up
                    fill = rng.uniform(0.75, 1.0)
                else:  # sign-ups thin out further ahead, so some shifts are at risk
                    fill = rng.uniform(
                        *(0.65, 0.95) if ahead <= 3 else (0.45, 0.8) if ahead <= 7 else (0.25, 0.6)
                    )
                roles = ["first_aid"] * (gate.size >= 40) + ["interpreter"] * gate.interpreter
                note = cancelled.get((g, d, s), "")
                if not note and rng.random() < 0.02:
                    note = rng.choice(SHIFT_NOTES)
                plan = ShiftPlan(
                    demo.uid(),
                    g,
                    day,
                    s,
                    starts,
                    ends,
                    round(high * fill),
                    gate.captain,
                    roles,
                    (g, d, s) in cancelled,
                )
                demo.plans.append(plan)
                updated = created
                if plan.cancelled:
                    updated = demo.stamp(min(day, demo.today) - timedelta(days=1), 18)
                rows.append(
                    {
                        "id": plan.id,
                        "location_id": demo.location_ids[g],
                        "starts_at": starts,
                        "ends_at": ends,
                        "min_headcount": low,
                        "max_headcount": high,
                        "captain_needed": gate.captain,
                        "roles_needed": roles,
                        "series_id": series[(g, s)],
                        "cancelled": plan.cancelled,
                        "notes": note,
                        "created_at": created,
                        "updated_at": updated,
                    }
                )
    return rows


def _fill(demo: Demo) -> None:
    """Put volunteers on shifts: captains first, then first aid and interpreters, then pickets.

    Respects weekly windows, dated exceptions, accommodation needs, excluded gates and
    weekly/daily caps, prefers preferred gates, and never books anyone twice in a slot.
    """
    rng = demo.rng
    by_slot: dict[tuple[date, int], list[ShiftPlan]] = {}
    for shift in demo.plans:
        by_slot.setdefault((shift.day, shift.slot), []).append(shift)
    week_count: dict[tuple[int, int], int] = {}
    day_count: dict[tuple[int, date], int] = {}

    def place(i: int, wanted: list[ShiftPlan]) -> ShiftPlan | None:
        person = demo.people[i]
        for shift in wanted:
            if shift.gate in person.preferred_gates and person.fits(shift.gate):
                return shift
        first = rng.randrange(len(wanted))
        return next((pl for pl in wanted[first:] + wanted[:first] if person.fits(pl.gate)), None)

    for (day, slot), plans in by_slot.items():
        week = (day - demo.start).days // 7
        candidates = list(demo.eligible[(day.weekday(), slot)])
        rng.shuffle(candidates)
        free = [
            i
            for i in candidates
            if day not in demo.people[i].unavailable
            and day_count.get((i, day), 0) < demo.people[i].day_cap
            and week_count.get((i, week), 0) < demo.people[i].week_cap
        ]
        used: set[int] = set()
        for role in ("captain", "first_aid", "interpreter", "picketer"):
            if role == "captain":
                wanted = [pl for pl in plans if pl.captain_needed and pl.target > 0]
            elif role == "picketer":
                wanted = [pl for pl in plans if pl.room > 0]
            else:
                wanted = [pl for pl in plans if role in pl.roles_needed and pl.room > 0]
            for i in free:
                if not wanted:
                    break
                person = demo.people[i]
                if (
                    i in used
                    or (role == "captain" and person.role != Role.CAPTAIN)
                    or (role in ("first_aid", "interpreter") and role not in person.skills)
                ):
                    continue
                plan = place(i, wanted)
                if plan is None:
                    continue
                plan.crew.append((i, role))
                used.add(i)
                week_count[(i, week)] = week_count.get((i, week), 0) + 1
                day_count[(i, day)] = day_count.get((i, day), 0) + 1
                if role != "picketer" or plan.room <= 0:
                    wanted.remove(plan)


def assignment_rows(demo: Demo) -> list[Row]:
    """Assignment rows: sources, locks, cancellations and no-shows that fit each shift's time."""
    _fill(demo)
    rng, rows = demo.rng, []
    last_planning_day = demo.today - timedelta(days=1)
    for plan in demo.plans:
        over = plan.ends_at <= demo.now
        crew = demo.crews.setdefault(plan.id, [])
        for i, role in plan.crew:
            r = rng.random()
            if plan.cancelled:
                status = AssignmentStatus.CANCELLED
            elif over and r < 0.08:
                status = AssignmentStatus.NO_SHOW
            elif r < (0.11 if over else 0.04):
                status = AssignmentStatus.CANCELLED
            else:
                status = AssignmentStatus.ASSIGNED
            manual = role == "captain" or rng.random() < 0.25
            locked = manual and rng.random() < (0.7 if role == "captain" else 0.3)
            made_on = min(
                max(demo.start - timedelta(days=2), plan.day - timedelta(days=rng.randint(1, 7))),
                last_planning_day,
            )
            # the auto-scheduler runs at 20:00; people are put on by hand during the day
            created = (
                demo.local(made_on, rng.randint(9, 18), rng.randint(0, 59))
                if manual
                else demo.local(made_on, 20)
            )
            updated = created
            if status == AssignmentStatus.NO_SHOW:
                updated = plan.ends_at + timedelta(minutes=30)
            elif status == AssignmentStatus.CANCELLED:
                updated = max(created, demo.local(min(plan.day, demo.today) - timedelta(days=1), 21))
            crew.append(Booking(i, role, status.value))
            rows.append(
                {
                    "id": demo.uid(),
                    "shift_id": plan.id,
                    "member_id": demo.people[i].id,
                    "role": role,
                    "source": (AssignmentSource.MANUAL if manual else AssignmentSource.AUTO).value,
                    "locked": locked,
                    "status": status.value,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
    return rows
