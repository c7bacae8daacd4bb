"""Grievances: cases at every step and status, their grievants, histories and information requests."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from strikeboard.demo.names import NAME_GROUPS
from strikeboard.demo.pools import CASES, INFORMATION_REQUESTS, MEETINGS, STUDIOS
from strikeboard.demo.shape import GRIEVANCES
from strikeboard.demo.state import Demo, Row
from strikeboard.services.deadlines import due_date, step_deadline
from strikeboard.services.grievances import _Due, next_due
from strikeboard.services.settings import DEFAULT_STEPS
from strikeboard.store.models import GrievanceEventKind, GrievanceStatus, Role


@dataclass(frozen=True, slots=True)
class _Event:
    day: date
    kind: str
    step: str
    deadline: date | None = None
    outcome: str = ""
    agreed_by: str = ""
    notes: str = ""

    @property
    def occurred_on(self) -> date:
        """The day (as the deadline engine reads events)."""
        return self.day


@dataclass
class _Case:
    """A grievance being built: its row, grievants and history."""

    row: Row
    grievants: list[int]
    events: list[_Event]
    steward: int | None


class _Grievances:
    """Grievances at every step and status, with histories that fit the contract's limits.

    Open cases are built backwards from the deadline they face, so that a chosen share is
    overdue, due within a week, or due later; every earlier date is then drawn before it,
    each union step within its limit (employers are sometimes late).
    """

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.rng = demo.rng
        self.today = demo.today
        self.steps = DEFAULT_STEPS
        self.last = len(self.steps) - 1  # arbitration

    def due(self, start: date, days: int, step: int) -> date:
        """The deadline ``days`` after ``start`` under the rule of ``step``."""
        return step_deadline(
            start, days, working_days=self.steps[step].working_days, holidays=self.demo.holiday_set
        )

    def base_for(self, target: date, days: int, step: int) -> date:
        """The latest working day, not after today, from which ``days`` days run out on ``target``.

        ``target`` must be a working day no later than ``due(today, days)``.
        """
        day = target - timedelta(days=days + 2 * (days // 5) + 14)
        while self.due(day, days, step) > target:  # (only with a very long holiday list)
            day -= timedelta(days=7)
        while self.due(day + timedelta(days=1), days, step) <= target:
            day += timedelta(days=1)
        while (day > self.today or not self.demo.working(day)) and self.due(
            day - timedelta(days=1), days, step
        ) == target:
            day -= timedelta(days=1)
        return day

    def entry_kind(self, step: int, first: int) -> str:
        """How a case enters ``step``: raised informally, filed in writing, or advanced."""
        if step == 0:
            return GrievanceEventKind.NOTE.value
        return (GrievanceEventKind.FILED if step == max(first, 1) else GrievanceEventKind.ADVANCED).value

    def history(self, first: int, step: int, last: date, answered: bool, final: str = "") -> list[_Event]:
        """Events of steps ``first``..``step``, the latest one on ``last``.

        ``answered``: the employer answered at ``step`` on ``last`` (with outcome ``final``,
        default "denied"); otherwise ``last`` is the day the case entered ``step``.
        """
        rng, day, events = self.rng, last, []
        for j in range(step, first - 1, -1):
            name = self.steps[j].name
            if answered or j < step:
                outcome = (
                    final
                    if j == step and final
                    else rng.choice(("denied", "denied", "denied", "no answer in time"))
                )
                appeal_by = self.due(day, self.steps[j + 1].union_days, j + 1) if j < self.last else None
                kind = (
                    GrievanceEventKind.NOTE if outcome == "no answer in time" else GrievanceEventKind.ANSWER
                )
                events.append(_Event(day, kind.value, name, None if final else appeal_by, outcome))
                if j > 0 and rng.random() < 0.8:
                    day = self.demo.workday(day - timedelta(days=rng.randint(1, 5)))
                    events.append(
                        _Event(day, GrievanceEventKind.MEETING.value, name, notes=rng.choice(MEETINGS))
                    )
                day = self.demo.workday(day - timedelta(days=rng.randint(2, self.steps[j].employer_days + 2)))
            answer_by = self.due(day, self.steps[j].employer_days, j)
            events.append(_Event(day, self.entry_kind(j, first), name, answer_by))
            if j > first:  # appealed within the union's limit after the previous answer
                day = self.demo.workday(
                    day - timedelta(days=rng.randint(1, max(1, self.steps[j].union_days)))
                )
        return events

    def pending(self, first: int, in_arbitration: bool) -> list[_Event]:
        """An open case built backwards from the next deadline it is meant to face.

        The deadline runs from the latest event that sets it: the entry into the current
        step, or a meeting there (which restarts the employer's answer clock), or the
        employer's answer (the union's appeal clock), possibly extended. The stored
        deadline and label are then computed from the events by the services' engine
        (:func:`~strikeboard.services.grievances.next_due`), see :meth:`build`.
        """
        rng, today = self.rng, self.today
        if in_arbitration:
            step, answered = self.last, False
        else:
            step = rng.choices(range(first, self.last), weights=(6, 10, 8, 5)[first : self.last])[0]
            answered = rng.random() < 0.45
        rule = step + 1 if answered else step
        days = self.steps[step + 1].union_days if answered else self.steps[step].employer_days
        extension = rng.choice((5, 10)) if rng.random() < 0.15 else 0
        total = days + extension
        latest = self.due(today, total, rule)
        bucket = rng.choices(("overdue", "soon", "later"), weights=(18, 25, 57))[0]
        if bucket == "later" and latest < today + timedelta(days=8):
            bucket = "soon"
        lo, hi = {
            "overdue": (today - timedelta(days=20), today - timedelta(days=1)),
            "soon": (today, min(latest, today + timedelta(days=7))),
            "later": (today + timedelta(days=8), latest),
        }[bucket]
        targets = [lo + timedelta(days=k) for k in range((hi - lo).days + 1)]
        target = rng.choice([day for day in targets if self.demo.working(day)] or [latest])
        base = self.base_for(target, total, rule)
        name = self.steps[step].name
        if not answered and not extension and step < self.last and rng.random() < 0.5:
            # A meeting on ``base`` restarted the answer clock: the step began a few days before.
            entered = self.demo.workday(base - timedelta(days=rng.randint(2, 8)))
            events = self.history(first, step, entered, answered=False)
            events.append(_Event(base, GrievanceEventKind.MEETING.value, name, notes=rng.choice(MEETINGS)))
            return events
        events = self.history(first, step, base, answered)
        if extension:
            deadline = self.due(base, total, rule)
            agreed = self.demo.workday(self.demo.between(base, min(self.due(base, days, rule), today)), base)
            who = f"{rng.choice(NAME_GROUPS[0].first)} {rng.choice(NAME_GROUPS[0].last)}, Labor Relations"
            notes = f"Extended by mutual written agreement (+{extension} working days)."
            events.append(
                _Event(agreed, GrievanceEventKind.EXTENSION.value, name, deadline, agreed_by=who, notes=notes)
            )
        return events

    def closed(self, first: int, status: GrievanceStatus) -> list[_Event]:
        """A closed case built backwards from the day it closed."""
        rng = self.rng
        award = status in (GrievanceStatus.WON, GrievanceStatus.LOST)
        if award:
            step = self.last
        elif status == GrievanceStatus.SETTLED:
            step = rng.randint(max(first, 1), self.last)
        else:
            step = rng.randint(first, self.last - 1)
        closed_on = self.demo.workday(
            self.demo.between(self.today - timedelta(days=330), self.today - timedelta(days=1))
        )
        answered = award or rng.random() < 0.5
        final = ("award: sustained" if status == GrievanceStatus.WON else "award: denied") if award else ""
        last = self.demo.workday(closed_on - timedelta(days=rng.randint(0, 10)))
        events = self.history(first, step, last, answered, final)
        events.append(
            _Event(closed_on, GrievanceEventKind.CLOSED.value, self.steps[step].name, outcome=status.value)
        )
        return events

    def next_due(self, status: str, events: Sequence[_Event]) -> _Due | None:
        """The deadline a case faces after ``events``, by the services' engine (the one rule)."""
        return next_due(status, events[-1].step, events, steps=self.steps, holidays=self.demo.holiday_set)

    def meeting_deadlines(self, events: list[_Event]) -> list[_Event]:
        """``events`` with each meeting showing the answer deadline it leaves (as the services record)."""
        result = []
        for k, event in enumerate(events):
            if event.kind == GrievanceEventKind.MEETING and event.deadline is None:
                due = self.next_due(GrievanceStatus.OPEN.value, events[: k + 1])
                if due is not None:
                    event = replace(event, deadline=due.due)
            result.append(event)
        return result

    def build(self) -> list[_Case]:
        """The cases, unnumbered, in generation order."""
        demo, rng = self.demo, self.rng
        people = demo.people
        stewards = [i for i, p in enumerate(people) if p.role == Role.STEWARD]
        bargaining = [i for i, p in enumerate(people) if p.role != Role.STAFF] or list(range(len(people)))
        by_unit: dict[str, list[int]] = {}
        for i in bargaining:
            by_unit.setdefault(people[i].unit, []).append(i)
        statuses = (
            GrievanceStatus.OPEN,
            GrievanceStatus.IN_ARBITRATION,
            GrievanceStatus.SETTLED,
            GrievanceStatus.WITHDRAWN,
            GrievanceStatus.WON,
            GrievanceStatus.LOST,
        )
        cases = []
        for _ in range(min(GRIEVANCES, max(1, demo.n // 2))):
            case = rng.choice(CASES)
            status = rng.choices(statuses, weights=(55, 8, 15, 8, 8, 6))[0]
            first = 3 if case.discharge else (0 if rng.random() < 0.35 else 1)
            if status in (GrievanceStatus.OPEN, GrievanceStatus.IN_ARBITRATION):
                events = self.pending(first, status == GrievanceStatus.IN_ARBITRATION)
            else:
                events = self.closed(first, status)
            events.sort(key=lambda event: event.day)  # stable: same-day events keep their order
            events = self.meeting_deadlines(events)
            due = self.next_due(status.value, events)
            deadline, label = (due.due, due.label) if due else (None, "")
            incident = events[0].day - timedelta(days=rng.randint(1, max(1, self.steps[first].union_days)))
            is_class = (case.class_case and rng.random() < 0.7) or rng.random() < 0.05
            grievants: list[int] = []
            if not is_class:
                lead = rng.choice(bargaining)
                grievants = [lead]
                if rng.random() < 0.15:  # a group grievance: colleagues at the same employer
                    mates = by_unit[people[lead].unit]
                    grievants += [
                        m for m in rng.sample(mates, min(len(mates), rng.randint(1, 3))) if m != lead
                    ]
            lead_person = people[grievants[0]] if grievants else None
            employer = lead_person.unit if lead_person and lead_person.unit else rng.choice(STUDIOS)[0]
            steward = rng.choice(stewards) if stewards else None
            row = {
                "id": demo.uid(),
                "number": "",
                "is_class": is_class,
                "employer": employer,
                "unit": (lead_person.department or "Writers") if lead_person else "All writers",
                "articles": case.articles,
                "incident_date": incident,
                "learned_date": incident + timedelta(days=rng.randint(0, 3)) if rng.random() < 0.3 else None,
                "filed_date": next((e.day for e in events if e.kind == GrievanceEventKind.FILED), None),
                "summary": case.summary,
                "remedy": case.remedy,
                "steward_id": people[steward].id if steward is not None else None,
                "is_discipline": case.discipline,
                "step": events[-1].step,
                "status": status.value,
                "next_deadline": deadline,
                "next_deadline_label": label,
                "created_at": demo.stamp(events[0].day, 16),
                "updated_at": demo.stamp(events[-1].day, 17),
            }
            cases.append(_Case(row, grievants, events, steward))
        return cases

    def requests(self, case: _Case) -> list[Row]:
        """Information requests of one case: received, pending, or overdue."""
        demo, rng, today = self.demo, self.rng, self.today
        open_case = case.row["status"] in (GrievanceStatus.OPEN, GrievanceStatus.IN_ARBITRATION)
        end = today if open_case else case.events[-1].day
        rows = []
        for _ in range(rng.randint(1, 2)):
            asked = demo.workday(demo.between(case.events[0].day, end), case.events[0].day)
            due = due_date(asked, 10, working_days=True, holidays=demo.holiday_set)
            received = None
            if not open_case or rng.random() < (0.5 if due < today else 0.3):
                received = min(end, asked + timedelta(days=rng.randint(2, 20)))
            rows.append(
                {
                    "id": demo.uid(),
                    "grievance_id": case.row["id"],
                    "requested_on": asked,
                    "due_on": due,
                    "received_on": received,
                    "description": rng.choice(INFORMATION_REQUESTS),
                    "created_at": demo.stamp(asked, 15),
                    "updated_at": demo.stamp(received or asked, 15),
                }
            )
        return rows

    def rows(self) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
        """Grievance, grievant, event and information-request rows, numbered ``G-YYYY-NNNN`` by incident."""
        demo = self.demo
        cases = self.build()
        order = sorted(range(len(cases)), key=lambda k: (cases[k].row["incident_date"], k))
        per_year: dict[int, int] = {}
        grievances, grievants, events, requests = [], [], [], []
        for k in order:
            case = cases[k]
            year = case.row["incident_date"].year
            per_year[year] = per_year.get(year, 0) + 1
            case.row["number"] = f"G-{year}-{per_year[year]:04d}"
            grievances.append(case.row)
            grievants += [
                {"grievance_id": case.row["id"], "member_id": demo.people[i].id} for i in case.grievants
            ]
            recorder = demo.people[case.steward].name if case.steward is not None else "Grievance office"
            for index, event in enumerate(case.events):
                document = ""
                if event.kind in (GrievanceEventKind.FILED, GrievanceEventKind.ADVANCED):
                    document = f"{case.row['number']} {event.step}.pdf"
                events.append(
                    {
                        "id": demo.uid(),
                        "grievance_id": case.row["id"],
                        "kind": event.kind,
                        "step": event.step,
                        "occurred_on": event.day,
                        "deadline": event.deadline,
                        "outcome": event.outcome,
                        "agreed_by": event.agreed_by,
                        "document": document,
                        "notes": event.notes,
                        "recorded_by": recorder,
                        # one second apart, so that same-day events keep their order when read
                        "created_at": demo.stamp(event.day, 17) - timedelta(seconds=len(case.events) - index),
                    }
                )
            if self.rng.random() < 0.4:
                requests += self.requests(case)
        return grievances, grievants, events, requests


def grievance_rows(demo: Demo) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    """Grievance, grievant, event and information-request rows (see :meth:`_Grievances.rows`)."""
    return _Grievances(demo).rows()
