"""The roster: members (names, contacts, roles, needs) and when the volunteers among them can picket."""

import unicodedata
from datetime import timedelta

from strikeboard.demo.names import EDGE_NAMES, NAME_GROUPS, NAME_WEIGHTS, NameGroup
from strikeboard.demo.pools import (
    ACCOMMODATIONS,
    AREA_CODES,
    AVAILABILITY_NOTES,
    DEPARTMENTS,
    EMAIL_DOMAINS,
    EXCEPTION_NOTES,
    GATES,
    JOB_TITLES,
    MEMBER_NOTES,
    NEED_RESTROOMS,
    NEED_SEATING,
    NEED_SHADE,
    NEED_STEP_FREE,
    NICKNAMES,
    PRONOUNS,
    RELATIONS,
    STAFF_TITLES,
    STAFF_UNIT,
    STUDIOS,
)
from strikeboard.demo.shape import REFERENCE_MEMBERS, SLOTS
from strikeboard.demo.state import Demo, Person, Row
from strikeboard.store.models import MemberStatus, Role
from strikeboard.textnorm import digits, search_key

# Weekly availability patterns: (weight, weekdays, start minute, end minute). The last
# one runs past midnight (end > 1440) and matches no shift: the scheduler must cope.
PATTERNS: tuple[tuple[int, tuple[int, ...], int, int], ...] = (
    (20, (0, 1, 2, 3, 4), 6 * 60, 14 * 60),
    (15, (0, 1, 2, 3, 4), 10 * 60, 18 * 60),
    (20, (0, 1, 2, 3, 4, 5, 6), 6 * 60, 18 * 60),
    (10, (5, 6), 6 * 60, 18 * 60),
    (10, (0, 2, 4), 6 * 60, 18 * 60),
    (10, (1, 3), 6 * 60, 18 * 60),
    (8, (0, 1, 2, 3, 4, 5, 6), 6 * 60, 10 * 60),
    (5, (0, 1, 2, 3, 4), 14 * 60, 21 * 60),
    (2, (4, 5), 18 * 60, 26 * 60),
)
_PATTERN_WEIGHTS = tuple(pattern[0] for pattern in PATTERNS)
_MEMBER_STATUSES = (MemberStatus.ACTIVE, MemberStatus.EXCUSED, MemberStatus.INACTIVE, MemberStatus.INCOMPLETE)
_MEMBER_STATUS_WEIGHTS = (90, 5, 4, 1)
#: Share of each role that volunteers for picket shifts (active members only).
VOLUNTEER_SHARE = {Role.CAPTAIN: 1.0, Role.ORGANIZER: 1.0, Role.STEWARD: 0.6, Role.MEMBER: 0.4}

# --------------------------------------------------------------------------- members


def _roles(demo: Demo) -> list[str]:
    """Exact quotas of captains, stewards, organizers and staff, at shuffled places."""
    n, order = demo.n, list(range(demo.n))
    demo.rng.shuffle(order)
    roles = [Role.MEMBER.value] * n
    quotas = (
        (Role.CAPTAIN, max(1, round(n * 0.06))),
        (Role.STEWARD, max(1, round(n * 0.012))),
        (Role.ORGANIZER, max(1, round(n * 0.003))),
        (Role.STAFF, round(n * 90 / REFERENCE_MEMBERS)),
    )
    position = 0
    for role, count in quotas:
        for index in order[position : position + count]:
            roles[index] = role.value
        position += count
    return roles


def _name(demo: Demo) -> tuple[str, str, str, NameGroup]:
    """(first, last, preferred, group) from the weighted pools."""
    rng = demo.rng
    group = rng.choices(NAME_GROUPS, weights=NAME_WEIGHTS)[0]
    first, last = rng.choice(group.first), rng.choice(group.last)
    if group.latin and rng.random() < 0.04:
        last = f"{last}-{rng.choice(rng.choice(NAME_GROUPS[:4]).last)}"  # Smith-Jones
    preferred = rng.choice(NICKNAMES) if rng.random() < (0.07 if group.latin else 0.5) else ""
    return first, last, preferred, group


def _email(demo: Demo, first: str, last: str, number: str, seen: set[str]) -> str:
    """A unique lowercase address made from the name (``member<number>`` when it has no Latin letters)."""

    def slug(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
        return "".join(ch for ch in folded if ch.isalnum())

    a, b = slug(first), slug(last)
    local = f"{a}.{b}" if a and b else (a or b or f"member{digits(number)}")
    domain = demo.rng.choice(EMAIL_DOMAINS)
    email, k = f"{local}@{domain}", 1
    while email in seen:
        k += 1
        email = f"{local}{k}@{domain}"
    seen.add(email)
    return email


def _skills(demo: Demo, role: str, languages: list[str]) -> list[str]:
    rng = demo.rng
    lead = role in (Role.CAPTAIN, Role.ORGANIZER)
    skills = []
    if rng.random() < (0.3 if lead else 0.08):
        skills.append("first_aid")
    if len(languages) > 1 and rng.random() < 0.4:
        skills.append("interpreter")
    for skill, p, lead_p in (
        ("marshal", 0.05, 0.25),
        ("de_escalation", 0.03, 0.15),
        ("sign_making", 0.05, 0.05),
        ("social_media", 0.05, 0.05),
        ("driver", 0.04, 0.04),
        ("photography", 0.03, 0.03),
        ("legal_observer", 0.01, 0.01),
    ):
        if rng.random() < (lead_p if lead else p):
            skills.append(skill)
    return skills


def _languages(demo: Demo, group: NameGroup) -> list[str]:
    rng = demo.rng
    languages = ["English"]
    if group.languages and rng.random() < 0.6:
        languages.append(rng.choice(group.languages))
    if "Spanish" not in languages and rng.random() < 0.08:
        languages.append("Spanish")
    if not group.latin and len(languages) > 1 and rng.random() < 0.05:
        languages.remove("English")
    return languages


def member_rows(demo: Demo) -> list[Row]:
    """The roster: names from many cultures, a few edge cases, contacts, roles and needs."""
    rng, n = demo.rng, demo.n
    roles = _roles(demo)
    width = max(6, len(str(3 * n)))  # "W" + 6 digits, more for a huge roster
    numbers = rng.sample(range(10 ** (width - 1), 10**width), n)
    phone_order = list(range(n))
    rng.shuffle(phone_order)
    edges = EDGE_NAMES[:n]
    edge_at = dict(zip(rng.sample(range(n), len(edges)), edges, strict=True))
    studio_names = [name for name, _ in STUDIOS]
    studio_weights = [weight for _, weight in STUDIOS]
    seen_emails: set[str] = set()
    rows: list[Row] = []
    incomplete = 0
    for i in range(n):
        first, last, preferred, group = _name(demo)
        first, last, preferred = edge_at.get(i, (first, last, preferred))
        role = roles[i]
        status = MemberStatus.ACTIVE.value
        if role == Role.MEMBER:  # captains, stewards, organizers and staff are all active
            status = rng.choices(_MEMBER_STATUSES, weights=_MEMBER_STATUS_WEIGHTS)[0].value
        # Distinct phones: 555-0100..0199 (the fictional range) in each area code, then
        # 555-0200 and up; beyond 237,600 members they repeat.
        k = phone_order[i]
        line = 100 + (k // len(AREA_CODES)) % 9900
        phone = f"+1{AREA_CODES[k % len(AREA_CODES)]}555{line:04d}"
        if rng.random() < 0.03:
            phone = ""
        languages = _languages(demo, group)
        skills = _skills(demo, role, languages)
        note, needs = rng.choice(ACCOMMODATIONS) if rng.random() < 0.04 else ("", 0)
        emergency = ""
        if rng.random() < 0.6:
            contact_first, contact_last, _, _ = _name(demo)
            emergency = (
                f"{contact_first} {contact_last} ({rng.choice(RELATIONS)}), "
                f"+1 {rng.choice(AREA_CODES)}-555-01{rng.randint(0, 99):02d}"
            )
        if role == Role.STAFF:
            unit, department, title = STAFF_UNIT, "Guild staff", rng.choice(STAFF_TITLES)
        else:
            unit = rng.choices(studio_names, weights=studio_weights)[0]
            department, title = rng.choice(DEPARTMENTS), rng.choice(JOB_TITLES)
        number = f"W{numbers[i]}"
        created = updated = demo.setup
        if status == MemberStatus.INCOMPLETE:  # quick-added at a gate during the strike
            incomplete += 1
            number, unit, department, title = f"NEW-{incomplete:04d}", "", "", ""
            created = updated = demo.stamp(demo.between(demo.start, demo.today), rng.randint(7, 17))
        elif rng.random() < 0.1:
            updated = demo.stamp(
                demo.between(demo.start - timedelta(days=10), demo.today),
                rng.randint(8, 19),
                rng.randint(0, 59),
            )
        email = "" if status == MemberStatus.INCOMPLETE else _email(demo, first, last, number, seen_emails)
        pronouns = rng.choice(PRONOUNS) if rng.random() < 0.35 else ""
        notes = rng.choice(MEMBER_NOTES) if rng.random() < 0.03 else ""
        member_id = demo.uid()
        shown = f"{preferred or first} {last}".strip()
        demo.people.append(
            Person(member_id, shown, role, status, unit, department, skills, needs, bool(note))
        )
        rows.append(
            {
                "id": member_id,
                "member_number": number,
                "first_name": first,
                "last_name": last,
                "preferred_name": preferred,
                "pronouns": pronouns,
                "email": email,
                "phone": phone,
                "phone_digits": digits(phone),
                "unit": unit,
                "department": department,
                "job_title": title,
                "role": role,
                "status": status,
                "languages": languages,
                "skills": skills,
                "accommodation_notes": note,
                "needs_step_free": bool(needs & NEED_STEP_FREE),
                "needs_seating": bool(needs & NEED_SEATING),
                "needs_shade": bool(needs & NEED_SHADE),
                "needs_restrooms": bool(needs & NEED_RESTROOMS),
                "emergency_contact": emergency,
                "notes": notes,
                "search_key": search_key(first, last, preferred),
                "created_at": created,
                "updated_at": updated,
            }
        )
    return rows


# --------------------------------------------------------------------------- availability


def availability_rows(demo: Demo) -> tuple[list[Row], list[Row], list[Row]]:
    """Availability, weekly windows and dated exceptions of the volunteers."""
    rng = demo.rng
    avail: list[Row] = []
    windows: list[Row] = []
    exceptions: list[Row] = []
    for index, person in enumerate(demo.people):
        share = VOLUNTEER_SHARE.get(Role(person.role), 0.0)
        if person.status == MemberStatus.EXCUSED:
            share = 0.3  # signed up before being excused: kept on file, not scheduled
        elif person.status != MemberStatus.ACTIVE:
            share = 0.0
        if rng.random() >= share:
            continue
        person.volunteer = person.status == MemberStatus.ACTIVE
        _weight, weekdays, start, end = rng.choices(PATTERNS, weights=_PATTERN_WEIGHTS)[0]
        max_shifts = rng.choice((None, 2, 3, 3, 4, 5, 5, 6))
        max_hours = rng.choice((None, None, None, 12.0, 16.0, 20.0, 24.0))
        per_day = rng.choice((1, 1, 1, None, 2))
        hours_cap = int(max_hours // (SLOTS[0][1] - SLOTS[0][0])) if max_hours else 99
        person.week_cap, person.day_cap = min(max_shifts or 99, hours_cap), per_day or 2
        preferred = rng.sample(range(len(GATES)), rng.randint(1, 2)) if rng.random() < 0.4 else []
        excluded = {g for g, gate in enumerate(GATES) if person.needs & ~gate.offers}
        if rng.random() < 0.05:
            excluded.add(rng.randrange(len(GATES)))  # "too far from home"
        preferred = [g for g in preferred if g not in excluded]
        person.preferred_gates, person.excluded_gates = tuple(preferred), frozenset(excluded)
        notes = rng.choice(AVAILABILITY_NOTES) if rng.random() < 0.05 else ""
        avail.append(
            {
                "id": demo.uid(),
                "member_id": person.id,
                "max_shifts_per_week": max_shifts,
                "max_hours_per_week": max_hours,
                "max_shifts_per_day": per_day,
                "preferred_location_ids": [str(demo.location_ids[g]) for g in preferred],
                "excluded_location_ids": [str(demo.location_ids[g]) for g in sorted(excluded)],
                "notes": notes,
                "created_at": demo.setup,
                "updated_at": demo.setup,
            }
        )
        for weekday in weekdays:
            windows.append(
                {
                    "id": demo.uid(),
                    "member_id": person.id,
                    "weekday": weekday,
                    "start_minute": start,
                    "end_minute": end,
                }
            )
            for slot, (h0, h1) in enumerate(SLOTS):
                if person.volunteer and start <= h0 * 60 and h1 * 60 <= end:
                    demo.eligible[(weekday, slot)].append(index)
        if rng.random() < 0.06:
            off = sorted({rng.choice(demo.days) for _ in range(rng.randint(1, 2))})
            person.unavailable = frozenset(off)
            exceptions.extend(
                {
                    "id": demo.uid(),
                    "member_id": person.id,
                    "on_date": day,
                    "available": False,
                    "start_minute": None,
                    "end_minute": None,
                    "note": rng.choice(EXCEPTION_NOTES),
                }
                for day in off
            )
    return avail, windows, exceptions
