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
#: A "today" after every date the lifecycle tests record (dates after today are refused).
LATER = date(2026, 12, 31)
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
        g.record_meeting(s, gid, on=date(2026, 11, 12), notes="Met the supervisor", actor=ACTOR, today=LATER)
    # The answer now runs from the meeting: 10 working days after Thu 12 Nov = Thu 26 Nov.
    assert _detail(store, gid).next_deadline.due == date(2026, 11, 26)  # type: ignore[union-attr]
    with store.write() as s:
        g.record_answer(s, gid, on=date(2026, 11, 16), outcome="denied", notes="", actor=ACTOR, today=LATER)
    case = _detail(store, gid)
    assert case.next_deadline is not None
    assert (case.next_deadline.label, case.next_deadline.due, case.next_deadline.party) == (
        "Appeal to Step 2 (union)",
        date(2026, 11, 23),  # 5 working days after Mon 16 Nov
        "union",
    )
    with store.write() as s:
        g.advance(s, gid, on=date(2026, 11, 18), notes="Appealed in writing", actor=ACTOR, today=LATER)
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
            today=LATER,
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
        g.close(
            s,
            gid,
            status="settled",
            on=date(2026, 12, 11),
            outcome="back pay",
            notes="",
            actor=ACTOR,
            today=LATER,
        )
    case = _detail(store, gid, date(2026, 12, 11))
    assert case.status == "settled" and case.next_deadline is None and case.next_step is None
    assert [e.kind for e in case.events] == ["filed", "meeting", "answer", "advanced", "extension", "closed"]
    assert all(e.recorded_by == ACTOR for e in case.events)
    with store.read() as s:
        row = s.get(Grievance, gid)
        assert row is not None and row.next_deadline is None and row.next_deadline_label == ""
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.record_meeting(s, gid, on=date(2026, 12, 14), notes="", actor=ACTOR, today=LATER)
    assert err.value.field == "status"


def test_advance_to_arbitration_and_no_step_after_it(store, people) -> None:
    gid = _file(store, people, is_discipline=True)
    with store.write() as s:
        g.advance(s, gid, on=date(2026, 11, 10), notes="", actor=ACTOR, today=LATER)
    case = _detail(store, gid)
    assert case.step == "Arbitration" and case.status == "in_arbitration" and case.next_step is None
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.advance(s, gid, on=date(2026, 11, 11), notes="", actor=ACTOR, today=LATER)
    assert err.value.field == "step"


def test_granted_answer_leaves_no_deadline_and_appeal_to_arbitration_label(store, people) -> None:
    gid = _file(store, people, is_discipline=True)
    with store.write() as s:
        g.record_answer(s, gid, on=date(2026, 11, 10), outcome="partial", notes="", actor=ACTOR, today=LATER)
    assert _detail(store, gid).next_deadline.label == "Invoke arbitration (union)"  # type: ignore[union-attr]
    with store.write() as s:
        g.record_answer(s, gid, on=date(2026, 11, 10), outcome="granted", notes="", actor=ACTOR, today=LATER)
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
            today=LATER,
        )
    assert not _detail(store, gid).info_requests[0].overdue
    (request,) = _detail(store, gid, date(2026, 11, 17)).info_requests
    assert request.overdue and request.received_on is None
    with store.write() as s:
        g.mark_information_received(s, rid, on=date(2026, 11, 18), actor="Tia Turner", today=LATER)
    case = _detail(store, gid, date(2026, 11, 20))
    assert case.info_requests[0].received_on == date(2026, 11, 18) and not case.info_requests[0].overdue
    assert case.events[-1].recorded_by == "Tia Turner" and "received" in case.events[-1].notes
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.mark_information_received(s, rid, on=date(2026, 11, 19), actor=ACTOR, today=LATER)
    assert err.value.field == "on"
    with pytest.raises(NotFound), store.write() as s:
        g.mark_information_received(s, uuid.uuid4(), on=date(2026, 11, 19), actor=ACTOR, today=LATER)


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
        (
            lambda s, gid: g.record_meeting(s, gid, on=date(2026, 11, 6), notes="", actor=ACTOR, today=LATER),
            "on",
        ),
        (
            lambda s, gid: g.record_answer(
                s, gid, on=date(2026, 11, 12), outcome="maybe", notes="", actor=ACTOR, today=LATER
            ),
            "outcome",
        ),
        (
            lambda s, gid: g.record_answer(
                s, gid, on=date(2026, 11, 6), outcome="denied", notes="", actor=ACTOR, today=LATER
            ),
            "on",
        ),
        (lambda s, gid: g.advance(s, gid, on=date(2026, 11, 6), notes="", actor=ACTOR, today=LATER), "on"),
        (
            lambda s, gid: g.extend(
                s,
                gid,
                new_deadline=date(2026, 11, 20),
                agreed_by="HR",
                on=TODAY,
                notes="",
                actor=ACTOR,
                today=LATER,
            ),
            "new_deadline",
        ),
        (
            lambda s, gid: g.extend(
                s,
                gid,
                new_deadline=date(2026, 12, 20),
                agreed_by=" ",
                on=TODAY,
                notes="",
                actor=ACTOR,
                today=LATER,
            ),
            "agreed_by",
        ),
        (
            lambda s, gid: g.close(
                s, gid, status="open", on=TODAY, outcome="", notes="", actor=ACTOR, today=LATER
            ),
            "status",
        ),
        (
            lambda s, gid: g.close(
                s, gid, status="won", on=date(2026, 11, 1), outcome="", notes="", actor=ACTOR, today=LATER
            ),
            "on",
        ),
        (
            lambda s, gid: g.add_information_request(
                s,
                gid,
                requested_on=TODAY,
                due_on=date(2026, 11, 9),
                description="logs",
                actor=ACTOR,
                today=LATER,
            ),
            "due_on",
        ),
        (lambda s, gid: g.record_meeting(s, gid, on=TODAY, notes="", actor="", today=LATER), "actor"),
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
            s, b, on=date(2026, 11, 9), outcome="denied", notes="", actor=ACTOR, today=LATER
        )  # appeal due Mon 16 Nov
    c = _file(
        store, people, incident_date=date(2026, 10, 1), filed_date=date(2026, 10, 5)
    )  # due 19 Oct: overdue
    d = _file(store, people)
    with store.write() as s:
        g.close(s, d, status="withdrawn", on=TODAY, outcome="", notes="", actor=ACTOR, today=LATER)
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


def test_demo_stores_the_deadline_the_engine_computes_for_every_open_case(tmp_path) -> None:
    from strikeboard import demo
    from strikeboard.store.db import open_store

    path = tmp_path / "demo.db"
    demo.generate(path, members=300, seed=1, today=TODAY)
    store = open_store(str(path))
    try:
        with store.read() as s:
            every = g.list_grievances(
                s, TODAY, statuses=("open", "in_arbitration", "settled", "won", "lost", "withdrawn")
            )
            assert all(g.get_grievance(s, row.number, TODAY).number == row.number for row in every)
            rows = g.list_grievances(s, TODAY)
            with_meeting = 0
            for row in rows:
                case = g.get_grievance(s, row.id, TODAY)
                assert case.next_deadline is not None, row.number
                assert (case.next_deadline.due, case.next_deadline.label) == (
                    row.next_deadline,
                    row.next_deadline_label,
                ), row.number
                with_meeting += any(e.kind == "meeting" and e.step == case.step for e in case.events)
    finally:
        store.close()
    assert len(rows) > 50 and with_meeting > 10  # meetings restart the answer clock: covered
    overdue = sum(row.overdue for row in rows)
    this_week = sum(0 <= row.days_left <= 7 for row in rows)  # type: ignore[operator]
    assert overdue >= 5 and this_week >= 5 and len(rows) - overdue - this_week > len(rows) // 3


# --------------------------------------------------------------------------- dates, documents, edits

TOMORROW = date(2026, 11, 11)


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (lambda s, gid: g.record_meeting(s, gid, on=TOMORROW, notes="", actor=ACTOR, today=TODAY), "on"),
        (
            lambda s, gid: g.record_answer(
                s, gid, on=TOMORROW, outcome="denied", notes="", actor=ACTOR, today=TODAY
            ),
            "on",
        ),
        (lambda s, gid: g.advance(s, gid, on=TOMORROW, notes="", actor=ACTOR, today=TODAY), "on"),
        (
            lambda s, gid: g.extend(
                s,
                gid,
                new_deadline=date(2026, 12, 20),
                agreed_by="HR",
                on=TOMORROW,
                notes="",
                actor=ACTOR,
                today=TODAY,
            ),
            "on",
        ),
        (
            lambda s, gid: g.close(
                s, gid, status="won", on=TOMORROW, outcome="", notes="", actor=ACTOR, today=TODAY
            ),
            "on",
        ),
        (
            lambda s, gid: g.add_information_request(
                s,
                gid,
                requested_on=TOMORROW,
                due_on=date(2026, 11, 20),
                description="x",
                actor=ACTOR,
                today=TODAY,
            ),
            "requested_on",
        ),
    ],
)
def test_dates_after_today_are_refused_and_nothing_is_written(store, people, action, field) -> None:
    gid = _file(store, people)
    before = _counts(store)
    with pytest.raises(ValidationError) as err, store.write() as s:
        action(s, gid)
    assert err.value.field == field and "after today (2026-11-10)" in str(err.value)
    assert _counts(store) == before


def test_information_cannot_be_received_after_today(store, people) -> None:
    gid = _file(store, people)
    with store.write() as s:
        rid = g.add_information_request(
            s,
            gid,
            requested_on=TODAY,
            due_on=date(2026, 11, 20),
            description="Logs",
            actor=ACTOR,
            today=TODAY,
        )
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.mark_information_received(s, rid, on=TOMORROW, actor=ACTOR, today=TODAY)
    assert err.value.field == "on"
    with store.write() as s:  # today itself is fine
        g.mark_information_received(s, rid, on=TODAY, actor=ACTOR, today=TODAY)


def test_actions_record_the_document_referenced_and_notes_literally(store, people) -> None:
    gid = _file(store, people)
    notes = "Met Jo [HR].\nSecond line\n  indented"
    with store.write() as s:
        g.record_meeting(
            s, gid, on=TODAY, notes=notes, actor=ACTOR, today=TODAY, document=" ~/cases/minutes 10 Nov.pdf "
        )
        g.record_answer(
            s, gid, on=TODAY, outcome="denied", notes="", actor=ACTOR, today=TODAY, document="answer.pdf"
        )
        g.advance(s, gid, on=TODAY, notes="", actor=ACTOR, today=TODAY, document="appeal.docx")
        g.extend(
            s,
            gid,
            new_deadline=date(2026, 12, 31),
            agreed_by="HR",
            on=TODAY,
            notes="",
            actor=ACTOR,
            today=TODAY,
            document="email.eml",
        )
        g.close(
            s,
            gid,
            status="settled",
            on=TODAY,
            outcome="",
            notes="",
            actor=ACTOR,
            today=TODAY,
            document="MOU.pdf",
        )
    events = _detail(store, gid).events
    assert [(e.kind, e.document) for e in events] == [
        ("filed", ""),
        ("meeting", "~/cases/minutes 10 Nov.pdf"),
        ("answer", "answer.pdf"),
        ("advanced", "appeal.docx"),
        ("extension", "email.eml"),
        ("closed", "MOU.pdf"),
    ]
    assert events[1].notes == notes
    gid = _file(store, people)
    for bad in ("x" * 301, "two\nlines"):
        with pytest.raises(ValidationError) as err, store.write() as s:
            g.record_meeting(s, gid, on=TODAY, notes="", actor=ACTOR, today=TODAY, document=bad)
        assert err.value.field == "document"


def test_next_due_on_plain_values_is_the_rule_the_services_store(store, people) -> None:
    from strikeboard.services.settings import DEFAULT_STEPS

    gid = _file(store, people)  # Step 1 answer due Mon 23 Nov
    with store.write() as s:
        g.record_meeting(s, gid, on=date(2026, 11, 12), notes="", actor=ACTOR, today=LATER)
    case = _detail(store, gid)
    due = g.next_due(case.status, case.step, case.events, steps=DEFAULT_STEPS)
    assert due is not None and (due.due, due.label) == (date(2026, 11, 26), "Step 1 answer (employer)")
    assert case.next_deadline is not None and case.next_deadline.due == due.due
    assert case.events[-1].deadline == date(2026, 11, 26)  # the meeting shows the deadline it left
    assert g.next_due("settled", case.step, case.events, steps=DEFAULT_STEPS) is None


def _edit(store: Store, gid: uuid.UUID, today: date = TODAY, **changes: object) -> tuple[str, ...]:
    with store.write() as s:
        edit = replace(g.GrievanceEdit.of(g.get_grievance(s, gid, today)), **changes)  # type: ignore[arg-type]
        return g.update_grievance(s, gid, changes=edit, actor="Tia Turner", today=today)


def test_update_grievance_records_what_changed_before_and_after(store, people) -> None:
    gid = _file(store, people)
    changed = _edit(
        store,
        gid,
        summary="Denied overtime by seniority (corrected)",
        employer="Acme Studios West",
        articles="Art. 12.3, 14",
        learned_date=date(2026, 11, 3),
        steward_id=people["tia"],
        grievant_ids=(people["ana"], people["bo"]),
        is_discipline=True,
    )
    assert changed == (
        "Union learned: none → 2026-11-03",
        "Employer: “Acme Studios” → “Acme Studios West”",
        "Article(s): “Art. 12.3” → “Art. 12.3, 14”",
        "Summary: “Denied overtime by seniority” → “Denied overtime by seniority (corrected)”",
        "Discipline/discharge: no → yes",
        "Steward: Sam Steward → Tia Turner",
        "Grievants: added Bo Baker",
    )
    case = _detail(store, gid)
    assert case.summary.endswith("(corrected)") and case.employer == "Acme Studios West"
    assert case.steward_name == "Tia Turner" and case.learned_date == date(2026, 11, 3)
    assert [name for _, name in case.grievants] == ["Ana Alvarez", "Bo Baker"]
    assert case.step == "Step 1" and case.is_discipline  # the step does not move
    edited = case.events[-1]
    assert (edited.kind, edited.occurred_on, edited.recorded_by) == ("edited", TODAY, "Tia Turner")
    assert edited.notes == "\n".join(changed) and edited.deadline is None
    # the deadline is recomputed (and unchanged: none of these dates feeds it)
    with store.read() as s:
        row = s.get(Grievance, gid)
        assert row is not None and row.next_deadline == date(2026, 11, 23)
    assert case.next_deadline is not None and case.next_deadline.due == date(2026, 11, 23)
    # grievants removed; a class grievance needs none
    assert _edit(store, gid, grievant_ids=(), is_class=True) == (
        "Class grievance: no → yes",
        "Grievants: removed Ana Alvarez, Bo Baker",
    )
    assert _detail(store, gid).grievants == ()


def test_update_grievance_without_changes_writes_nothing(store, people) -> None:
    gid = _file(store, people)
    before = _counts(store)
    assert _edit(store, gid, summary="  Denied overtime by seniority ") == ()
    assert _counts(store) == before


def test_a_closed_case_can_be_corrected(store, people) -> None:
    gid = _file(store, people)
    with store.write() as s:
        g.close(s, gid, status="won", on=TODAY, outcome="", notes="", actor=ACTOR, today=TODAY)
    assert _edit(store, gid, remedy="Back pay") == ("Remedy sought: none → “Back pay”",)
    case = _detail(store, gid)
    assert case.status == "won" and case.next_deadline is None and case.remedy == "Back pay"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"summary": " "}, "summary"),
        ({"incident_date": TOMORROW}, "incident_date"),
        ({"incident_date": date(2026, 11, 10)}, "incident_date"),  # after the filing (9 Nov)
        ({"learned_date": date(2026, 11, 1)}, "learned_date"),  # before the incident
        ({"learned_date": date(2026, 11, 10)}, "learned_date"),  # after the filing
        ({"grievant_ids": ()}, "grievant_ids"),
        ({"grievant_ids": (uuid.uuid4(),)}, "grievant_ids"),
        ({"steward_id": uuid.uuid4()}, "steward_id"),
        ({"unit": "u" * 121}, "unit"),
    ],
)
def test_update_grievance_validation_writes_nothing(store, people, changes, field) -> None:
    gid = _file(store, people)
    before, case = _counts(store), _detail(store, gid)
    with pytest.raises(ValidationError) as err:
        _edit(store, gid, **changes)
    assert err.value.field == field and str(err.value)
    assert _counts(store) == before and _detail(store, gid) == case


def test_update_grievance_needs_an_actor_and_a_case(store, people) -> None:
    gid = _file(store, people)
    with store.write() as s:
        edit = g.GrievanceEdit.of(g.get_grievance(s, gid, TODAY))
    with pytest.raises(ValidationError) as err, store.write() as s:
        g.update_grievance(s, gid, changes=edit, actor=" ", today=TODAY)
    assert err.value.field == "actor"
    with pytest.raises(NotFound), store.write() as s:
        g.update_grievance(s, uuid.uuid4(), changes=edit, actor=ACTOR, today=TODAY)
