"""What happened at the gates: sign-ins (with their corrections and voids), hour credits, incidents."""

from datetime import date, datetime, timedelta

from strikeboard.demo.pools import ALTERNATIVE_DUTIES, EXCUSED_REASONS, GATES, INCIDENT_TEXT
from strikeboard.demo.shape import DAYS_BEFORE_TODAY
from strikeboard.demo.state import Demo, Row, ShiftPlan
from strikeboard.store.models import AssignmentStatus, CheckInKind, CreditKind, MemberStatus, Role


def _captain(demo: Demo, plan: ShiftPlan) -> int | None:
    """The person captaining ``plan`` (assigned, not cancelled), if any."""
    return next(
        (
            b.person
            for b in demo.crews.get(plan.id, ())
            if b.role == "captain" and b.status == AssignmentStatus.ASSIGNED
        ),
        None,
    )


def check_in_rows(demo: Demo) -> tuple[list[Row], list[Row]]:
    """Sign-ins for past and running shifts; then the corrections and voids that refer to them."""
    rng = demo.rng
    signins: list[Row] = []
    fixes: list[Row] = []
    walk_pool = [
        i
        for i, p in enumerate(demo.people)
        if not p.volunteer
        and p.role != Role.STAFF
        and p.status in (MemberStatus.ACTIVE, MemberStatus.INCOMPLETE)
    ]
    walked: dict[tuple[date, int], set[int]] = {}
    for plan in demo.plans:
        if plan.cancelled or plan.starts_at > demo.now:
            continue
        running = plan.ends_at > demo.now
        captain = _captain(demo, plan)
        recorder = (
            demo.people[captain].name if captain is not None else f"Gate laptop ({GATES[plan.gate].name})"
        )
        present = [b.person for b in demo.crews[plan.id] if b.status == AssignmentStatus.ASSIGNED]
        slot_walkers = walked.setdefault((plan.day, plan.slot), set())
        walk_ins: list[int] = []
        expected = len(present) * rng.uniform(0.03, 0.12) if walk_pool else 0.0
        wanted = int(expected) + (rng.random() < expected % 1)  # small demos get some too
        for _ in range(3 * wanted):
            if len(walk_ins) == wanted:
                break
            i = rng.choice(walk_pool)
            if i not in slot_walkers:
                slot_walkers.add(i)
                walk_ins.append(i)
        minutes_in = int((demo.now - plan.starts_at).total_seconds() // 60)
        for i, walk_in in [(i, False) for i in present] + [(i, True) for i in walk_ins]:
            if running and rng.random() < 0.1:
                continue  # not here yet
            late = min(rng.randint(-15, 25), minutes_in - 1)
            in_at = plan.starts_at + timedelta(minutes=late, seconds=rng.randint(0, 59))
            out_at: datetime | None = None
            if not running:
                leave = -rng.randint(45, 120) if rng.random() < 0.04 else rng.randint(-25, 10)
                out_at = max(
                    plan.ends_at + timedelta(minutes=leave, seconds=rng.randint(0, 59)),
                    in_at + timedelta(minutes=30),
                )
            forgot = out_at is not None and rng.random() < 0.015  # never signed out
            row = {
                "id": demo.uid(),
                "kind": CheckInKind.SIGN_IN.value,
                "shift_id": plan.id,
                "member_id": demo.people[i].id,
                "in_at": in_at,
                "out_at": None if forgot else out_at,
                "walk_in": walk_in,
                "void_of": None,
                "recorded_by": recorder,
                "note": "Walk-in" if walk_in else "",
                "created_at": in_at,
            }
            signins.append(row)
            if forgot and rng.random() < 0.6:
                fixes.append(
                    {
                        **row,
                        "id": demo.uid(),
                        "kind": CheckInKind.CORRECTION.value,
                        "out_at": plan.ends_at,
                        "void_of": row["id"],
                        "note": "Forgot to sign out; the captain confirmed the end time.",
                        "created_at": demo.past(plan.ends_at + timedelta(hours=rng.randint(1, 20))),
                    }
                )
            elif out_at is not None and rng.random() < 0.005:  # two captains signed them in
                twin = {**row, "id": demo.uid(), "created_at": in_at + timedelta(minutes=2)}
                signins.append(twin)
                fixes.append(
                    {
                        **twin,
                        "id": demo.uid(),
                        "kind": CheckInKind.VOID.value,
                        "void_of": twin["id"],
                        "note": "Duplicate sign-in.",
                        "created_at": in_at + timedelta(minutes=rng.randint(5, 90)),
                    }
                )
            elif out_at is not None and late > 10 and rng.random() < 0.05:
                fixes.append(
                    {
                        **row,
                        "id": demo.uid(),
                        "kind": CheckInKind.CORRECTION.value,
                        "in_at": plan.starts_at,
                        "void_of": row["id"],
                        "note": "On the paper sheet from the start; time corrected.",
                        "created_at": demo.past(plan.ends_at + timedelta(hours=1)),
                    }
                )
    return signins, fixes


def credit_rows(demo: Demo) -> tuple[list[Row], list[Row]]:
    """Alternative duty (mostly members with accommodations) and excused absences; then a few voids."""
    rng = demo.rng
    rows: list[Row] = []
    voids: list[Row] = []
    approvers = [p.name for p in demo.people if p.role == Role.ORGANIZER] or ["Strike office"]
    past_days = [day for day in demo.days if day < demo.today]
    for person in demo.people:
        if person.status == MemberStatus.ACTIVE and (person.accommodation or rng.random() < 0.01):
            days = sorted(rng.sample(past_days, min(len(past_days), rng.randint(1, 6))))
            kind, description = CreditKind.ALTERNATIVE_DUTY, rng.choice(ALTERNATIVE_DUTIES)
        elif person.status == MemberStatus.EXCUSED and rng.random() < 0.4:
            days = [day for day in past_days if day.weekday() < 5]
            kind, description = CreditKind.EXCUSED_ABSENCE, rng.choice(EXCUSED_REASONS)
        else:
            continue
        approver = rng.choice(approvers)
        for day in days:
            row = {
                "id": demo.uid(),
                "member_id": person.id,
                "on_date": day,
                "hours": rng.choice((3.0, 4.0, 4.0, 4.5)),
                "kind": kind.value,
                "description": description,
                "approved_by": approver,
                "void_of": None,
                "created_at": demo.stamp(day, 18, rng.randint(0, 59)),
            }
            rows.append(row)
            if rng.random() < 0.01:
                voids.append(
                    {
                        **row,
                        "id": demo.uid(),
                        "void_of": row["id"],
                        "description": "Void: entered twice.",
                        "created_at": demo.stamp(day + timedelta(days=1), 10),
                    }
                )
    return rows, voids


def incident_rows(demo: Demo) -> list[Row]:
    """About five a week at shifts that are over, every category at least once."""
    rng = demo.rng
    over = [pl for pl in demo.plans if pl.ends_at <= demo.now and not pl.cancelled]
    categories = list(INCIDENT_TEXT)
    rng.shuffle(categories)
    count = min(len(over), max(len(categories), round(DAYS_BEFORE_TODAY * 5 / 7)))
    rows = []
    for k, index in enumerate(sorted(rng.sample(range(len(over)), count))):
        plan = over[index]
        category = categories[k % len(categories)]
        captain = _captain(demo, plan)
        occurred = plan.starts_at + timedelta(minutes=rng.randint(10, 220))
        rows.append(
            {
                "id": demo.uid(),
                "location_id": demo.location_ids[plan.gate],
                "shift_id": plan.id,
                "occurred_at": occurred,
                "category": category,
                "description": rng.choice(INCIDENT_TEXT[category]),
                "reported_by": demo.people[captain].name if captain is not None else "Gate laptop",
                "reporter_member_id": demo.people[captain].id if captain is not None else None,
                "created_at": occurred + timedelta(minutes=15),
                "updated_at": occurred + timedelta(minutes=15),
            }
        )
    return rows
