"""The audit trail: every change recorded with who and before/after, hash-chained, tamper-evident."""

import json
import sqlite3
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.cli import main
from strikeboard.services import grievances as g
from strikeboard.services.audit import AuditFilter, list_events, record_export, verify
from strikeboard.services.roster import MemberForm, create_member, update_member
from strikeboard.services.signin import sign_in
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import AuditEvent, Location, Member, Role, Shift


def _events(store: Store, **kw: object) -> list:
    with store.read() as session:
        return list(reversed(list_events(session, AuditFilter(**kw))))  # type: ignore[arg-type]


def _intact(store: Store) -> int:
    with store.read() as session:
        report = verify(session)
    assert report.intact, report
    return report.events


def _member(store: Store, first: str, role: str = Role.MEMBER) -> uuid.UUID:
    with store.write(actor="setup") as session:
        member = Member(member_number=f"M-{first}", first_name=first, role=role)
        session.add(member)
    return member.id


def test_a_sign_in_is_recorded_with_its_actor_and_whole_row(store: Store) -> None:
    member = _member(store, "Ana")
    with store.write(actor="setup") as session:
        gate = Location(name="Gate 1")
        session.add(gate)
        session.flush()
        now = datetime.now(UTC)
        shift = Shift(
            location_id=gate.id, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3)
        )
        session.add(shift)
    with store.write(actor="Cap Carla") as session:
        signed = sign_in(
            session, shift_id=shift.id, member_id=member, at=now, by="Cap Carla", zone=ZoneInfo("UTC")
        )
    [event] = _events(store, table="check_in")
    assert (event.actor, event.action, event.before) == ("Cap Carla", "create", None)
    assert event.after is not None
    assert event.after["member_id"] == str(member) and event.after["shift_id"] == str(shift.id)
    assert event.after["in_at"] == now.isoformat()
    assert event.record_id == str(signed.check_in_id)
    assert _intact(store) == 4  # member, location, shift, check-in


def test_a_member_edit_records_only_the_changed_fields(store: Store) -> None:
    with store.write(actor="Org Olga") as session:
        member_id = create_member(session, MemberForm(member_number="7", first_name="Bo"), actor="Org Olga")
    with store.write(actor="Org Olga") as session:
        form = MemberForm(member_number="7", first_name="Bob", phone="+1 213 555 0101")
        update_member(session, member_id, form, actor="Org Olga")
    created, edited = _events(store, record=str(member_id))
    assert created.action == "create" and created.after is not None and created.after["first_name"] == "Bo"
    assert edited.actor == "Org Olga" and edited.action == "update"
    assert edited.before is not None and edited.after is not None
    assert edited.before["first_name"] == "Bo" and edited.after["first_name"] == "Bob"
    assert edited.after["phone"] == "+12135550101" and edited.before["phone"] == ""
    assert "member_number" not in edited.after  # unchanged columns are left out
    # the record can be found by its first characters too
    assert len(_events(store, record=str(member_id)[:8].upper())) == 2


def test_a_grievance_change_is_recorded(store: Store) -> None:
    ana, sam = _member(store, "Ana"), _member(store, "Sam", Role.STEWARD)
    data = g.GrievanceInput(
        incident_date=date(2026, 11, 2),
        filed_date=date(2026, 11, 9),
        summary="Denied overtime",
        employer="Acme",
        steward_id=sam,
        grievant_ids=(ana,),
    )
    with store.write(actor="Sam Steward") as session:
        gid = g.file_grievance(session, data, actor="Sam Steward", today=date(2026, 11, 10))
    with store.write(actor="Sam Steward") as session:
        g.advance(
            session,
            gid,
            on=date(2026, 11, 18),
            notes="Appealed",
            actor="Sam Steward",
            today=date(2026, 11, 20),
        )
    case = _events(store, table="grievance", record=str(gid))
    assert case[0].action == "create" and {e.action for e in case[1:]} == {"update"}
    [step] = [e for e in case if e.before and "step" in e.before]
    assert step.actor == "Sam Steward" and step.after is not None
    assert (step.before["step"], step.after["step"]) == ("Step 1", "Step 2")  # type: ignore[index]
    # the grievant link and the history entries are audited too
    assert [e.action for e in _events(store, table="grievance_grievant", record=str(gid))] == ["create"]
    assert len(_events(store, table="grievance_event")) == 2
    assert _intact(store) >= 6


def test_a_rolled_back_change_leaves_no_event(store: Store) -> None:
    _member(store, "Ana")
    with pytest.raises(RuntimeError), store.write(actor="x") as session:
        session.add(Member(member_number="2", first_name="Ghost"))
        session.flush()
        raise RuntimeError("changed my mind")
    assert [e.after["first_name"] for e in _events(store, table="member")] == ["Ana"]  # type: ignore[index]
    assert _intact(store) == 1


def test_exports_are_logged_and_list_filters_by_actor_and_day(store: Store) -> None:
    _member(store, "Ana")
    with store.write() as session:
        record_export(session, actor="Org Olga", what="member", path="/tmp/m.csv", rows=1)
    [export] = _events(store, actor="olga")
    assert (export.action, export.table_name, export.after) == (
        "export",
        "member",
        {"path": "/tmp/m.csv", "rows": 1},
    )
    today = datetime.now(UTC).date()
    assert len(_events(store, day=today)) == 2
    assert _events(store, day=today - timedelta(days=2)) == []
    assert _intact(store) == 2


def _tamper(db: Path, sql: str) -> None:
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(sql)
    conn.close()


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("UPDATE audit_event SET after = json_set(after, '$.first_name', 'Eve') WHERE seq = 2", "changed"),
        ("UPDATE audit_event SET actor = 'someone else' WHERE seq = 2", "changed"),
        ("DELETE FROM audit_event WHERE seq = 2", "missing"),
    ],
)
def test_tampering_makes_verify_fail_at_that_event(
    db_path: Path, capsys: pytest.CaptureFixture[str], sql: str, reason: str
) -> None:
    store = open_store(str(db_path))
    for name in ("Ana", "Bo", "Cy"):
        _member(store, name)
    store.close()
    assert main(["--db", str(db_path), "audit", "verify"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "3 events, chain intact"
    _tamper(db_path, sql)
    assert main(["--db", str(db_path), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "broken at event 2" in err and reason in err


def test_replacing_an_event_with_a_recomputed_hash_breaks_the_next_link(db_path: Path) -> None:
    from strikeboard.store.audit import event_hash

    store = open_store(str(db_path))
    for name in ("Ana", "Bo", "Cy"):
        _member(store, name)
    with store.read() as session:
        event = session.scalars(select(AuditEvent).where(col(AuditEvent.seq) == 2)).one()
    after = {**(event.after or {}), "first_name": "Eve"}
    forged = event_hash(
        seq=2,
        at=event.at,
        actor=event.actor,
        action=event.action,
        table_name=event.table_name,
        record_id=event.record_id,
        before=None,
        after=after,
        prev_hash=event.prev_hash,
    )
    store.close()
    _tamper(db_path, f"UPDATE audit_event SET after = '{json.dumps(after)}', hash = '{forged}' WHERE seq = 2")
    with open_store(str(db_path)).read() as session:
        report = verify(session)
    assert report.broken_seq == 3 and "does not link" in report.reason


_WRITER = """
import sys
from strikeboard.store.db import open_store
from strikeboard.store.models import Member
store = open_store(sys.argv[1])
name = sys.argv[2]
for i in range(int(sys.argv[3])):
    with store.write(actor=name) as session:
        member = Member(member_number=f"{name}-{i}", first_name=name)
        session.add(member)
        session.flush()
        member.last_name = f"edited {i}"
store.close()
"""


def test_two_processes_writing_at_once_keep_one_unbroken_chain(db_path: Path) -> None:
    open_store(str(db_path)).close()
    count = 40
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(db_path), name, str(count)])
        for name in ("left", "right")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    store = open_store(str(db_path))
    try:
        # each transaction: one create and one update (the second flush) per member
        assert _intact(store) == 2 * 2 * count
        with store.read() as session:
            by_actor = dict(
                session.execute(select(AuditEvent.actor, func.count()).group_by(AuditEvent.actor)).all()
            )
        assert by_actor == {"left": 2 * count, "right": 2 * count}
    finally:
        store.close()


def test_the_trail_survives_a_reopen_and_continues_the_chain(db_path: Path) -> None:
    store = open_store(str(db_path))
    _member(store, "Ana")
    store.close()
    store = open_store(str(db_path))
    try:
        assert _intact(store) == 1
        _member(store, "Bo")
        events = _events(store)
        assert [e.seq for e in events] == [1, 2]
        assert _intact(store) == 2
    finally:
        store.close()


def test_the_default_actor_is_the_store_actor(store: Store) -> None:
    store.actor = "Operator Oz"
    with store.write() as session:
        session.add(Member(member_number="1", first_name="A"))
    [event] = _events(store)
    assert event.actor == "Operator Oz"


def test_audit_list_cli_prints_lines_and_json(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(str(db_path))
    member = _member(store, "Ana")
    store.close()
    assert main(["--db", str(db_path), "audit", "list", "--table", "member"]) == 0
    out = capsys.readouterr().out
    assert "setup" in out and "create member" in out and "first_name: Ana" in out
    assert main(["--db", str(db_path), "audit", "list", "--record", str(member), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["actor"] == "setup" and row["after"]["first_name"] == "Ana"
    assert main(["--db", str(db_path), "audit", "list", "--actor", "nobody"]) == 0
    assert "no audit events match" in capsys.readouterr().err


async def test_the_tui_audit_view_lists_filters_and_verifies(db_path: Path) -> None:
    import time

    from textual.widgets import Input

    from strikeboard.tui.app import StrikeboardApp
    from strikeboard.tui.screens.audit import AuditScreen

    store = open_store(str(db_path))
    ana = _member(store, "Ana")
    _member(store, "Bo")
    with store.write(actor="Org Olga") as session:
        member = session.get(Member, ana)
        assert member is not None
        member.pronouns = "she/her"
    store.close()
    app = StrikeboardApp(str(db_path), operator="tester")
    app.animation_level = "none"
    async with app.run_test(size=(120, 35), notifications=False) as pilot:
        deadline = time.monotonic() + 10
        while app.panel_context is None:
            assert time.monotonic() < deadline, "the store never opened"
            await pilot.pause(0.01)
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        shown = screen.shown_text()
        assert "3 events" in shown
        first = shown.splitlines()[1]  # newest first: the edit
        assert first.startswith("3 |") and "Org Olga" in first and "pronouns:  → she/her" in first
        assert '"she/her"' in shown  # the detail shows the after values
        screen.query_one("#audit-actor", Input).value = "olga"
        screen.query_one("#audit-actor", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "1 event ·" in screen.shown_text()
        screen.query_one("#audit-day", Input).value = "25/11/2026"
        screen.query_one("#audit-day", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "is not a date" in screen.shown_text()
        screen.query_one("#audit-events").focus()
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "3 events, chain intact." in screen.shown_text()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AuditScreen)
