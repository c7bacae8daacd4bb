"""Grievance writes and reads on a real SQLite file: filing, answers, appeals, extensions,
closing, information requests, validation (nothing written on failure), lists."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from strikeboard.services import grievances as g
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.services.settings import StrikeSettings, save_settings
from strikeboard.store.db import Store
from strikeboard.store.models import (
    Grievance,
    GrievanceEvent,
    GrievanceGrievant,
    InformationRequest,
    Member,
    Role,
)

#: Tuesday 10 November 2026.
TODAY = date(2026, 11, 10)
ACTOR = "Sam Steward"


def _member(store: Store, first: str, last: str, role: str = Role.MEMBER) -> uuid.UUID:
    with store.write() as s:
        member = Member(member_number=f"M-{first}-{last}", first_name=first, last_name=last, role=role)
        s.add(member)
    return member.id


@pytest.fixture
def people(store: Store) -> dict[str, uuid.UUID]:
    return {
        "ana": _member(store, "Ana", "Alvarez"),
        "bo": _member(store, "Bo", "Baker"),
        "sam": _member(store, "Sam", "Steward", Role.STEWARD),
        "tia": _member(store, "Tia", "Turner", Role.STEWARD),
    }


def _input(people: dict[str, uuid.UUID], **kw: object) -> g.GrievanceInput:
    base = g.GrievanceInput(
        incident_date=date(2026, 11, 2),
        filed_date=date(2026, 11, 9),
        summary="Denied overtime by seniority",
        employer="Acme Studios",
        unit="Writers",
        articles="Art. 12.3",
        steward_id=people["sam"],
        grievant_ids=(people["ana"],),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def _file(store: Store, people: dict[str, uuid.UUID], today: date = TODAY, **kw: object) -> uuid.UUID:
    with store.write() as s:
        return g.file_grievance(s, _input(people, **kw), actor=ACTOR, today=today)


def _detail(store: Store, key: str | uuid.UUID, today: date = TODAY) -> g.GrievanceDetail:
    with store.read() as s:
        return g.get_grievance(s, key, today)


def _counts(store: Store) -> tuple[int, ...]:
    with store.read() as s:
        return tuple(
            s.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Grievance, GrievanceEvent, GrievanceGrievant, InformationRequest)
        )


def test_filing_assigns_a_number_records_the_event_and_the_answer_deadline(store, people) -> None:
    gid = _file(store, people)
    case = _detail(store, gid)
    assert case.number == "G-2026-0001"
    assert case.step == "Step 1" and case.status == "open"
    assert case.grievants == ((people["ana"], "Ana Alvarez"),)
    assert case.steward_name == "Sam Steward"
    # 10 working days after Monday 9 November: Monday 23 November.
    assert case.next_deadline == g.Deadline("Step 1 answer (employer)", date(2026, 11, 23), "employer", 13, 9)
    (event,) = case.events
    assert (event.kind, event.step, event.occurred_on, event.deadline) == (
        "filed",
        "Step 1",
        date(2026, 11, 9),
        date(2026, 11, 23),
    )
    assert event.recorded_by == ACTOR and event.created_at is not None
    assert case.next_step == "Step 2" and not case.employer_late
    with store.read() as s:
        row = s.get(Grievance, gid)
        assert row is not None
        assert (row.next_deadline, row.next_deadline_label) == (
            date(2026, 11, 23),
            "Step 1 answer (employer)",
        )


def test_numbers_count_per_filing_year_and_lookup_ignores_case(store, people) -> None:
    assert _detail(store, _file(store, people)).number == "G-2026-0001"
    assert _detail(store, _file(store, people)).number == "G-2026-0002"
    early = _file(store, people, incident_date=date(2025, 12, 20), filed_date=date(2025, 12, 29))
    assert _detail(store, early).number == "G-2025-0001"
    assert _detail(store, "g-2026-0002").number == "G-2026-0002"
    assert _detail(store, str(early)).id == early
    with pytest.raises(NotFound, match="G-2026-0099"):
        _detail(store, "G-2026-0099")


def test_discipline_starts_at_step_3_and_filed_defaults_to_today(store, people) -> None:
    case = _detail(store, _file(store, people, is_discipline=True, filed_date=None))
    assert case.step == "Step 3" and case.filed_date == TODAY
    assert case.next_deadline is not None and case.next_deadline.label == "Step 3 answer (employer)"


def test_answer_then_advance_then_extend_then_employer_late_then_close(store, people) -> None:
    gid = _file(store, people)
    with store.write() as s:
        g.record_meeting(s, gid, on=date(2026, 11, 12), notes="Met the supervisor", actor=ACTOR)
    # The answer now runs from the meeting: 10 working days after Thu 12 Nov = Thu 26 Nov.
    assert _detail(store, gid).next_deadline.due == date(2026, 11, 26)  # type: ignore[union-attr]
    with store.write() as s:
        g.record_answer(s, gid, on=date(2026, 11, 16), outcome="denied", notes="", actor=ACTOR)
    case = _detail(store, gid)
    assert case.next_deadline is not None
    assert (case.next_deadline.label, case.next_deadline.due, case.next_deadline.party) == (
        "Appeal to Step 2 (union)",
        date(2026, 11, 23),  # 5 working days after Mon 16 Nov
        "union",
    )
    with store.write() as s:
        g.advance(s, gid, on=date(2026, 11, 18), notes="Appealed in writing", actor=ACTOR)
    case = _detail(store, gid)
    assert case.step == "Step 2" and case.next_step == "Step 3"
    assert case.next_deadline is not None and case.next_deadline.due == date(2026, 12, 2)
    with store.write() as s:
        g.extend(
            s,
            gid,
            new_deadline=date(2026, 12, 9),
            agreed_by="Jo Lee, Labor Relations",
            on=date(2026, 11, 30),
            notes="Email of 30 Nov",
            actor=ACTOR,
        )
    case = _detail(store, gid)
    assert case.next_deadline is not None
    assert (case.next_deadline.label, case.next_deadline.due) == (
        "Step 2 answer (employer), extended",
        date(2026, 12, 9),
    )
    assert case.events[-1].agreed_by == "Jo Lee, Labor Relations" and case.events[-1].kind == "extension"
    assert not _detail(store, gid, date(2026, 12, 9)).employer_late
    late = _detail(store, gid, date(2026, 12, 10))
    assert late.employer_late and late.next_deadline is not None and late.next_deadline.days_left == -1
    with store.write() as s:
        g.close(s, gid, status="settled", on=date(2026, 12, 11), outcome="back pay", notes="", actor=ACTOR)
    case = _detail(store, gid, date(2026, 12, 11))
    assert case.status == "settled" and case.next_deadline is None and case.next_step is None
    assert [e.kind for e in case.events] == ["filed", "meeting", "answer", "advanced", "extension", "closed"]
    assert all(e.recorded_by == ACTOR for e in case.events)
    with store.read() as s:
        row = s.get(Grievance, gid)
        assert row is not None and row.next_deadline is None and row.next_deadline_label == ""
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.record_meeting(s, gid, on=date(2026, 12, 14), notes="", actor=ACTOR)
    assert err.value.field == "status"


def test_advance_to_arbitration_and_no_step_after_it(store, people) -> None:
    gid = _file(store, people, is_discipline=True)
    with store.write() as s:
        g.advance(s, gid, on=date(2026, 11, 10), notes="", actor=ACTOR)
    case = _detail(store, gid)
    assert case.step == "Arbitration" and case.status == "in_arbitration" and case.next_step is None
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.advance(s, gid, on=date(2026, 11, 11), notes="", actor=ACTOR)
    assert err.value.field == "step"


def test_granted_answer_leaves_no_deadline_and_appeal_to_arbitration_label(store, people) -> None:
    gid = _file(store, people, is_discipline=True)
    with store.write() as s:
        g.record_answer(s, gid, on=date(2026, 11, 10), outcome="partial", notes="", actor=ACTOR)
    assert _detail(store, gid).next_deadline.label == "Invoke arbitration (union)"  # type: ignore[union-attr]
    with store.write() as s:
        g.record_answer(s, gid, on=date(2026, 11, 10), outcome="granted", notes="", actor=ACTOR)
    assert _detail(store, gid).next_deadline is None


def test_calendar_day_steps_move_off_weekends_and_holidays(store, people) -> None:
    steps = tuple(replace(step, working_days=False) for step in StrikeSettings().grievance_steps)
    with store.write() as s:
        save_settings(s, StrikeSettings(grievance_steps=steps, holidays=(date(2026, 11, 26),)))
    # Filed Mon 9 Nov + 10 calendar days = Thu 19 Nov (a working day).
    assert _detail(store, _file(store, people)).next_deadline.due == date(2026, 11, 19)  # type: ignore[union-attr]
    # Filed Thu 12 Nov + 10 = Sun 22 Nov → Mon 23 Nov.
    gid = _file(
        store, people, date(2026, 11, 30), filed_date=date(2026, 11, 12), incident_date=date(2026, 11, 12)
    )
    with store.write() as s:
        assert s.get(Grievance, gid).next_deadline == date(2026, 11, 23)  # type: ignore[union-attr]
    # Filed Mon 16 Nov + 10 = Thu 26 Nov, Thanksgiving → Fri 27 Nov.
    gid = _file(
        store, people, date(2026, 11, 30), filed_date=date(2026, 11, 16), incident_date=date(2026, 11, 12)
    )
    assert _detail(store, gid, date(2026, 11, 16)).next_deadline.due == date(2026, 11, 27)  # type: ignore[union-attr]


def test_information_requests_overdue_and_received(store, people) -> None:
    gid = _file(store, people)
    with store.write() as s:
        rid = g.add_information_request(
            s,
            gid,
            requested_on=date(2026, 11, 9),
            due_on=date(2026, 11, 16),
            description="Overtime logs",
            actor=ACTOR,
        )
    assert not _detail(store, gid).info_requests[0].overdue
    (request,) = _detail(store, gid, date(2026, 11, 17)).info_requests
    assert request.overdue and request.received_on is None
    with store.write() as s:
        g.mark_information_received(s, rid, on=date(2026, 11, 18), actor="Tia Turner")
    case = _detail(store, gid, date(2026, 11, 20))
    assert case.info_requests[0].received_on == date(2026, 11, 18) and not case.info_requests[0].overdue
    assert case.events[-1].recorded_by == "Tia Turner" and "received" in case.events[-1].notes
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.mark_information_received(s, rid, on=date(2026, 11, 19), actor=ACTOR)
    assert err.value.field == "on"
    with pytest.raises(NotFound), store.write() as s:
        g.mark_information_received(s, uuid.uuid4(), on=date(2026, 11, 19), actor=ACTOR)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": "  "}, "summary"),
        ({"incident_date": date(2026, 11, 11)}, "incident_date"),
        ({"learned_date": date(2026, 11, 1)}, "learned_date"),
        ({"filed_date": date(2026, 11, 1)}, "filed_date"),
        ({"learned_date": date(2026, 11, 10), "filed_date": date(2026, 11, 9)}, "filed_date"),
        ({"filed_date": date(2026, 11, 11)}, "filed_date"),
        ({"grievant_ids": ()}, "grievant_ids"),
        ({"grievant_ids": (uuid.uuid4(),)}, "grievant_ids"),
        ({"steward_id": uuid.uuid4()}, "steward_id"),
        ({"articles": "x" * 201}, "articles"),
    ],
)
def test_filing_validation_writes_nothing(store, people, changes, field) -> None:
    before = _counts(store)
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.file_grievance(s, _input(people, **changes), actor=ACTOR, today=TODAY)
    assert err.value.field == field and str(err.value)
    assert _counts(store) == before


def test_class_grievance_needs_no_grievant(store, people) -> None:
    case = _detail(store, _file(store, people, grievant_ids=(), is_class=True))
    assert case.is_class and case.grievants == ()


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (lambda s, gid: g.record_meeting(s, gid, on=date(2026, 11, 6), notes="", actor=ACTOR), "on"),
        (
            lambda s, gid: g.record_answer(
                s, gid, on=date(2026, 11, 12), outcome="maybe", notes="", actor=ACTOR
            ),
            "outcome",
        ),
        (
            lambda s, gid: g.record_answer(
                s, gid, on=date(2026, 11, 6), outcome="denied", notes="", actor=ACTOR
            ),
            "on",
        ),
        (lambda s, gid: g.advance(s, gid, on=date(2026, 11, 6), notes="", actor=ACTOR), "on"),
        (
            lambda s, gid: g.extend(
                s, gid, new_deadline=date(2026, 11, 20), agreed_by="HR", on=TODAY, notes="", actor=ACTOR
            ),
            "new_deadline",
        ),
        (
            lambda s, gid: g.extend(
                s, gid, new_deadline=date(2026, 12, 20), agreed_by=" ", on=TODAY, notes="", actor=ACTOR
            ),
            "agreed_by",
        ),
        (
            lambda s, gid: g.close(s, gid, status="open", on=TODAY, outcome="", notes="", actor=ACTOR),
            "status",
        ),
        (
            lambda s, gid: g.close(
                s, gid, status="won", on=date(2026, 11, 1), outcome="", notes="", actor=ACTOR
            ),
            "on",
        ),
        (
            lambda s, gid: g.add_information_request(
                s, gid, requested_on=TODAY, due_on=date(2026, 11, 9), description="logs", actor=ACTOR
            ),
            "due_on",
        ),
        (lambda s, gid: g.record_meeting(s, gid, on=TODAY, notes="", actor=""), "actor"),
    ],
)
def test_action_validation_writes_nothing(store, people, action, field) -> None:
    gid = _file(store, people)
    before = _counts(store)
    with pytest.raises(ValidationError) as err, store.write() as s:
        action(s, gid)
    assert err.value.field == field
    assert _counts(store) == before
    with store.read() as s:
        assert s.get(Grievance, gid).next_deadline == date(2026, 11, 23)  # type: ignore[union-attr]


def test_lists_filter_and_due_this_week(store, people) -> None:
    a = _file(store, people)  # Step 1 answer due Mon 23 Nov
    b = _file(
        store,
        people,
        steward_id=people["tia"],
        grievant_ids=(people["bo"],),
        employer="Beta",
        articles="Art. 7",
    )
    with store.write() as s:  # b: answered Mon 2 Nov... appeal due within this week
        g.record_answer(
            s, b, on=date(2026, 11, 9), outcome="denied", notes="", actor=ACTOR
        )  # appeal due Mon 16 Nov
    c = _file(
        store, people, incident_date=date(2026, 10, 1), filed_date=date(2026, 10, 5)
    )  # due 19 Oct: overdue
    d = _file(store, people)
    with store.write() as s:
        g.close(s, d, status="withdrawn", on=TODAY, outcome="", notes="", actor=ACTOR)
    with store.read() as s:
        assert [r.id for r in g.list_grievances(s, TODAY)] == [c, b, a]
        assert [r.id for r in g.list_grievances(s, TODAY, statuses=("withdrawn",))] == [d]
        assert [r.id for r in g.list_grievances(s, TODAY, overdue=True)] == [c]
        assert [r.id for r in g.list_grievances(s, TODAY, due_within=4)] == [c, b]  # by Mon 16 Nov
        assert [r.id for r in g.list_grievances(s, TODAY, due_within=3)] == [c]
        assert [r.id for r in g.list_grievances(s, TODAY, steward="tia")] == [b]
        assert [r.id for r in g.list_grievances(s, TODAY, employer="beta")] == [b]
        assert [r.id for r in g.list_grievances(s, TODAY, search="bak")] == [b]
        assert [r.id for r in g.list_grievances(s, TODAY, search="art. 7")] == [b]
        assert [r.id for r in g.list_grievances(s, TODAY, search="0003")] == [c]
        assert [r.id for r in g.list_grievances(s, TODAY, step="step 1")] == [c, b, a]
        assert [r.id for r in g.due_this_week(s, TODAY)] == [c]  # Friday 13 Nov
        assert [r.id for r in g.due_this_week(s, date(2026, 11, 14))] == [c, b]  # Saturday: next Friday
        assert [r.id for r in g.open_grievances(s, TODAY)] == [c, b, a]
        assert g.steward_choices(s) == [(people["sam"], "Sam Steward"), (people["tia"], "Tia Turner")]


def test_demo_database_reads(tmp_path) -> None:
    from strikeboard import demo
    from strikeboard.store.db import open_store

    path = tmp_path / "demo.db"
    demo.generate(path, members=300, seed=1, today=TODAY)
    store = open_store(str(path))
    try:
        with store.read() as s:
            rows = g.list_grievances(
                s, TODAY, statuses=("open", "in_arbitration", "settled", "won", "lost", "withdrawn")
            )
            assert rows
            compared = 0
            for row in rows:
                case = g.get_grievance(s, row.number, TODAY)
                assert case.number == row.number
                # The demo's stored deadline is what the engine computes from its history
                # (except after a meeting: the demo does not restart the answer clock there).
                if case.status in g.OPEN_STATUSES and not any(e.kind == "meeting" for e in case.events):
                    compared += 1
                    assert case.next_deadline is not None
                    assert (case.next_deadline.due, case.next_deadline.label) == (
                        row.next_deadline,
                        row.next_deadline_label,
                    ), row.number
            assert compared > 10
    finally:
        store.close()
