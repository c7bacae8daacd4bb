"""Captain mode: the services themselves refuse everything but sign-in and names.

Every guarded service is called directly with a captain-mode session and must raise
:class:`AccessDenied` with nothing written; the sign-in services keep working. The list
of guarded functions is explicit here and checked against the source, so a guard cannot
be dropped (or added) silently.
"""

import ast
import importlib
import inspect
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

import strikeboard.services
from strikeboard.cli import main
from strikeboard.services.errors import AccessDenied
from strikeboard.services.incidents import list_incidents, log_incident
from strikeboard.services.settings import load_settings
from strikeboard.services.shift_exports import signin_sheet
from strikeboard.services.shift_people import gate_shifts, shift_people
from strikeboard.services.shifts import today_board
from strikeboard.services.signin import find_for_sign_in, load_index, quick_add, sign_in, sign_out
from strikeboard.services.stats import database_counts
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import AuditEvent, CheckIn, Location, Member, Shift

ZONE = ZoneInfo("America/Los_Angeles")
START = datetime(2026, 11, 25, 10, 0, tzinfo=ZONE)

#: Every service refused in captain mode, by module: personal data beyond names, or running the strike.
GUARDED: dict[str, tuple[str, ...]] = {
    "roster": (
        "search_members",
        "count_members",
        "member_page",
        "first_page",
        "member_position",
        "member_detail",
        "member_form",
        "create_member",
        "update_member",
        "deactivate_member",
    ),
    "grievances": (
        "open_grievances",
        "file_grievance",
        "update_grievance",
        "record_meeting",
        "record_answer",
        "advance",
        "extend",
        "close",
        "add_information_request",
        "mark_information_received",
        "get_grievance",
        "list_grievances",
        "due_this_week",
        "steward_choices",
        "grievance_counts",
        "grievance_page",
        "grievance_position",
        "employer_choices",
    ),
    "grievance_export": ("export_grievances",),
    "member_export": ("export_members",),
    "member_import": ("preview_import", "apply_import"),
    "hours": ("add_credit", "void_credit", "list_credits", "eligibility"),
    "audit": ("list_events", "verify"),
    "sync": ("build_bundle", "export_bundle", "import_bundle", "merge_database", "sync_status"),
    "schedule": ("load_problem", "preview_schedule", "apply_preview"),
    "settings": ("save_settings", "update_settings"),
    "shift_plan": ("create_shift", "create_series", "update_shift", "cancel_shift"),
    "locations": ("create_location", "update_location", "set_location_active", "deactivate_location"),
    "assignments": ("assign", "unassign"),
    "shift_exports": ("write_hours_report", "shifts_ical"),
}

CASES = [(module, name) for module, names in GUARDED.items() for name in names]


def _guarded_in_source() -> set[tuple[str, str]]:
    """The (module, function) pairs whose body calls ``require_full_access``, read from the source."""
    found = set()
    for path in Path(strikeboard.services.__file__).parent.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(call, ast.Call) and getattr(call.func, "id", "") == "require_full_access"
                for call in ast.walk(node)
            ):
                found.add((path.stem, node.name))
    return found


def _setup(store: Store) -> dict[str, uuid.UUID]:
    with store.write() as session:
        gate = Location(name="Gate A")
        session.add(gate)
        session.flush()
        shift = Shift(location_id=gate.id, starts_at=START, ends_at=START + timedelta(hours=4))
        ann = Member(member_number="1", first_name="Ann", last_name="Lee", phone="+14155550101")
        ann.phone_digits = "14155550101"
        session.add_all([shift, ann])
        session.flush()
        return {"gate": gate.id, "shift": shift.id, "ann": ann.id}


def _written(store: Store) -> tuple[dict[str, int], int]:
    """What a refused call must leave unchanged: every table's count and the audit trail's length."""
    with store.read() as session:
        events = int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
        return database_counts(session), events


def _dummy_args(function: Any, tmp_path: Path) -> tuple[list[Any], dict[str, Any]]:
    """Arguments of the right shape for ``function`` after the session (the guard runs before any is used)."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.default is not inspect.Parameter.empty:
            continue
        value: Any = tmp_path / "out" / "out.csv" if parameter.name in ("path", "out", "other_path") else None
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = value
        elif parameter.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            args.append(value)
    return args, kwargs


def test_the_list_of_guarded_services_matches_the_source() -> None:
    assert _guarded_in_source() == set(CASES)


@pytest.mark.parametrize(("module", "name"), CASES, ids=[f"{m}.{n}" for m, n in CASES])
def test_every_guarded_service_refuses_a_captain_and_writes_nothing(
    store: Store, tmp_path: Path, module: str, name: str
) -> None:
    _setup(store)
    before = _written(store)
    function = getattr(importlib.import_module(f"strikeboard.services.{module}"), name)
    args, kwargs = _dummy_args(function, tmp_path)
    store.captain = True
    refused = r"^Captain mode: .+ is not available; an organizer can"
    with pytest.raises(AccessDenied, match=refused), store.write() as session:
        function(session, *args, **kwargs)
    with pytest.raises(AccessDenied), store.read() as session:
        function(session, *args, **kwargs)
    store.captain = False
    assert _written(store) == before
    assert not (tmp_path / "out").exists()  # no export file either


def test_the_same_services_work_for_an_organizer(store: Store) -> None:
    from strikeboard.services.audit import verify
    from strikeboard.services.roster import search_members

    _setup(store)
    with store.read() as session:
        assert [row.name for row in search_members(session, "").rows] == ["Ann Lee"]
        verify(session)


def test_a_captain_signs_people_in_and_out_and_sees_names_only(store: Store, tmp_path: Path) -> None:
    ids = _setup(store)
    store.captain = True
    at = START.astimezone(UTC) + timedelta(minutes=5)
    with store.read() as session:
        settings = load_settings(session)
        index = load_index(session)
        matches = find_for_sign_in(index, "ann")
        assert [c.name for c in matches.candidates] == ["Ann Lee"]
        board = today_board(session, START.date(), ZONE, at)
        assert [row.id for row in board] == [ids["shift"]]
        assert [g.shift_id for g in gate_shifts(session, ids["gate"], START.date(), ZONE, at)] == [
            ids["shift"]
        ]
    with store.write() as session:
        sign_in(session, shift_id=ids["shift"], member_id=ids["ann"], at=at, by="captain", zone=ZONE)
    with store.write() as session:
        new = quick_add(session, first_name="Zed", last_name="New", phone="415 555 0199", by="captain")
        sign_in(session, shift_id=ids["shift"], member_id=new, at=at, by="captain", zone=ZONE)
        log_incident(
            session,
            location_id=ids["gate"],
            occurred_at=at,
            category="other",
            description="Truck at the gate",
            reported_by="captain",
            now=at,
        )
    with store.write() as session:
        sign_out(
            session, shift_id=ids["shift"], member_id=ids["ann"], at=at + timedelta(hours=3), by="captain"
        )
    with store.read() as session:
        people = shift_people(session, ids["shift"], at + timedelta(hours=3), settings.zone)
        assert {p.name for p in people.people} >= {"Ann Lee", "Zed New"}
        sheet = signin_sheet(session, location_id=ids["gate"], day=START.date(), zone=ZONE)
        assert "555" not in repr(sheet)  # the gate's sheet has names and times, never phones
        assert len(list_incidents(session, zone=ZONE)) == 1
        assert int(session.scalar(select(func.count()).select_from(CheckIn)) or 0) == 3


def test_open_store_in_captain_mode_marks_every_session(db_path: Path) -> None:
    store = open_store(str(db_path), captain=True)
    try:
        with store.read() as session:
            assert session.info["captain"] is True
        with store.write() as session:
            assert session.info["captain"] is True
    finally:
        store.close()


def test_the_cli_refuses_a_captain_with_one_sentence(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "members.csv"
    code = main(["--db", str(demo_db), "--captain", "members", "export", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("strikeboard: Captain mode: exporting members is not available")
    assert err.count("\n") == 1
    assert not out.exists()
    assert main(["--db", str(demo_db), "--captain", "grievances", "list"]) == 2
    copy = tmp_path / "copy.db"
    assert main(["--db", str(demo_db), "--captain", "copy", "--to", str(copy)]) == 2
    assert "Captain mode: copying the database is not available" in capsys.readouterr().err
    assert not copy.exists()
    incidents = tmp_path / "incidents.csv"
    assert main(["--db", str(demo_db), "--captain", "incidents", "export", "-o", str(incidents)]) == 2
    assert "Captain mode: exporting incidents is not available" in capsys.readouterr().err
    assert not incidents.exists()
    assert main(["--db", str(demo_db), "--captain", "incidents", "list"]) == 0  # the log itself is allowed
    assert main(["--db", str(demo_db), "members", "export", "-o", str(out)]) == 0
    assert out.exists()


async def test_the_tui_in_captain_mode_has_the_sign_in_desk_only(demo_db: Path) -> None:
    from test_tui_signin import NOW, SIZE, Clock, busy_shift, checkin_count, live, open_gate, settle
    from textual.widgets import Static, TabPane

    from strikeboard.tui.app import StrikeboardApp

    people = busy_shift(demo_db)
    target = next(p for p in people.people if p.state == "expected")
    store = open_store(str(demo_db))
    with store.read() as session:
        member = session.get(Member, target.member_id)
        assert member is not None and member.phone_digits
        phone = member.phone_digits[-7:]
    store.close()
    app = StrikeboardApp(str(demo_db), now=Clock(NOW), operator="gate-captain", captain=True)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert [pane.id for pane in app.query(TabPane)] == ["signin"]
        assert app.panel("roster") is None and app.panel("grievances") is None
        for key in ("2", "3", "4", "f3", "f6", "f7"):
            shown = len(app._notifications)
            await pilot.press(key)
            await settle(app, pilot)
            assert app.active_tab == "signin" and len(app.screen_stack) == 1
            said = [str(n.message) for n in app._notifications][shown:]
            assert len(said) == 1 and "not in captain mode" in said[0], (key, said)
        await open_gate(app, pilot, people.shift_id)
        before = checkin_count(demo_db)
        await pilot.press(*target.name)
        await pilot.pause()
        matches = str(app.query_one("#signin-matches", Static).render())
        assert target.name in matches and phone not in matches  # names, never phone numbers
        await pilot.press(*("backspace" for _ in target.name))
        await pilot.press(*phone)  # found by phone digits, shown by name and number only
        await pilot.pause()
        matches = str(app.query_one("#signin-matches", Static).render())
        assert target.name in matches and phone not in matches and phone[-4:] not in matches
        await pilot.press(*("backspace" for _ in phone))
        await pilot.press(*target.member_number.lstrip("W"), "enter")  # a barcode scan
        await settle(app, pilot)
        assert checkin_count(demo_db) == before + 1
        rows = live(demo_db, people.shift_id, target.member_id)
        assert [r.recorded_by for r in rows] == ["gate-captain"]
        assert not [n for n in app._notifications if n.severity == "error"]
