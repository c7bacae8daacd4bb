"""The auto-fill service and command on a real SQLite file (a copy of the demo database).

Scoped to two gates and three days so each run stays around a second.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from strikeboard.cli import main
from strikeboard.services.errors import ValidationError
from strikeboard.services.schedule import apply_preview, find_locations, load_problem, preview_schedule
from strikeboard.services.shifts import live_check_in
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import Assignment, AssignmentStatus, AuditEvent, CheckIn, Member, MemberStatus

SAMPLE = Path(__file__).resolve().parent.parent / "sample.db"
START, END = date(2026, 11, 30), date(2026, 12, 2)
GATES = ("Amazon – Culver Studios", "Warner Bros. – Gate 2")


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A private copy of the demo database."""
    path = tmp_path / "demo.db"
    shutil.copy(SAMPLE, path)
    return path


@pytest.fixture
def demo(demo_path: Path) -> Iterator[Store]:
    opened = open_store(str(demo_path))
    try:
        yield opened
    finally:
        opened.close()


def _gates(store: Store) -> list[uuid.UUID]:
    with store.read() as session:
        return find_locations(session, GATES)


def _rows(store: Store) -> set[tuple[uuid.UUID, uuid.UUID, str, str, bool, str]]:
    with store.read() as session:
        return {
            (r.shift_id, r.member_id, r.role, r.source, r.locked, r.status)
            for r in session.execute(
                select(
                    col(Assignment.shift_id),
                    col(Assignment.member_id),
                    col(Assignment.role),
                    col(Assignment.source),
                    col(Assignment.locked),
                    col(Assignment.status),
                )
            )
        }


def _events(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_a_preview_writes_nothing(demo: Store) -> None:
    gates = _gates(demo)
    before, events = _rows(demo), _events(demo)
    with demo.read() as session:
        preview = preview_schedule(session, START, END, gates)
    assert preview.changes, "the demo week has gaps to fill"
    assert preview.after.required_filled >= preview.before.required_filled
    assert preview.bound is not None and preview.after.required_filled <= preview.bound
    assert {name for name, _ in preview.by_location} == set(GATES)
    assert _rows(demo) == before and _events(demo) == events


def test_apply_writes_the_preview_and_keeps_manual_locked_and_signed_in(demo: Store) -> None:
    gates = _gates(demo)
    before = _rows(demo)
    kept = {row for row in before if row[3] == "manual" or row[4] or row[5] != AssignmentStatus.ASSIGNED}
    with demo.read() as session:
        signed = set(
            session.execute(select(col(CheckIn.shift_id), col(CheckIn.member_id)).where(live_check_in()))
        )
        preview = preview_schedule(session, START, END, gates)
    with demo.write() as session:
        apply_preview(session, preview)
    after = _rows(demo)
    assert kept <= after
    pairs = {(r[0], r[1]) for r in after}
    assert all((r[0], r[1]) in pairs for r in before if (r[0], r[1]) in signed)
    for change in preview.changes:
        assert ((change.shift.id, change.member_id) in pairs) == (change.kind == "add")
    new = after - before
    assert all(r[3] == "auto" and not r[4] for r in new)
    assert len({(r[0], r[1]) for r in new}) == preview.added
    # applying again finds nothing left to do: the schedule is a fixed point
    with demo.read() as session:
        again = preview_schedule(session, START, END, gates)
    assert again.changes == ()
    assert again.after == preview.after


def test_apply_is_all_or_nothing_when_the_data_changed(demo: Store) -> None:
    gates = _gates(demo)
    with demo.read() as session:
        preview = preview_schedule(session, START, END, gates)
    removed = [c for c in preview.changes if c.kind == "remove"]
    assert removed, "the demo data has auto assignments the scheduler moves"
    gone = removed[-1]
    with demo.write() as session:
        row = session.scalars(
            select(Assignment).where(
                col(Assignment.shift_id) == gone.shift.id, col(Assignment.member_id) == gone.member_id
            )
        ).one()
        row.locked = True
        session.add(row)
    before = _rows(demo)
    with pytest.raises(ValidationError, match="run the auto-fill preview again"), demo.write() as session:
        apply_preview(session, preview)
    assert _rows(demo) == before


def test_a_rerun_after_a_dropout_changes_little(demo: Store) -> None:
    gates = _gates(demo)
    with demo.read() as session:
        first = preview_schedule(session, START, END, gates)
    with demo.write() as session:
        apply_preview(session, first)
    dropout = next(c.member_id for c in first.changes if c.kind == "add")
    with demo.read() as session:
        theirs = session.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(
                col(Assignment.member_id) == dropout,
                col(Assignment.source) == "auto",
                col(Assignment.shift_id).in_({c.shift.id for c in first.changes}),
            )
        )
    with demo.write() as session:
        member = session.get(Member, dropout)
        assert member is not None
        member.status = MemberStatus.EXCUSED
        session.add(member)
    with demo.read() as session:
        second = preview_schedule(session, START, END, gates)
    assert second.removed == theirs and all(
        c.member_id == dropout for c in second.changes if c.kind == "remove"
    )
    assert second.added <= theirs  # each hole is filled by one person; nobody else moves
    assert second.after.required_filled >= first.after.required_filled - theirs
    assert second.solve_seconds < 5
    with demo.read() as session:
        quick = preview_schedule(session, START, END, gates, holes_only=True)
    assert quick.removed == theirs
    assert all(c.member_id == dropout for c in quick.changes if c.kind == "remove")
    assert quick.added <= theirs
    assert quick.after.required_filled >= first.after.required_filled - theirs


def test_the_command_prints_json_and_applies_unless_dry_run(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--db", str(demo_path), "schedule", "--from", "2026-11-30", "--to", "2026-12-01"]
    gate = ["--location", GATES[0]]
    assert main([*argv, *gate, "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applied"] is False and data["after"]["required_filled"] <= data["upper_bound"]
    assert main([*argv, *gate]) == 0
    out = capsys.readouterr().out
    assert "applied:" in out and "of at most" in out
    assert main([*argv, *gate, "--dry-run"]) == 0
    assert "changes: 0 added, 0 removed" in capsys.readouterr().out
    assert main([*argv, "--location", "Nowhere Gate"]) == 1
    assert "No active location is called 'Nowhere Gate'" in capsys.readouterr().err


def test_the_rest_setting_drives_the_service_and_the_command_overrides_it(
    demo: Store, demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from strikeboard.services.settings import apply_setting, load_settings, update_settings

    gates = _gates(demo)
    with demo.read() as session:
        default = preview_schedule(session, START, END, gates)
    assert default.rest_hours == 8
    with demo.write() as session:
        update_settings(session, apply_setting(load_settings(session), "scheduling.min_rest_hours", "20"))
    with demo.read() as session:
        strict = preview_schedule(session, START, END, gates)
        problem = load_problem(session, START, END, gates).problem
    assert strict.rest_hours == 20 and problem.rest_minutes == 20 * 60
    argv = ["--db", str(demo_path), "schedule", "--from", "2026-11-30", "--to", "2026-12-02", "--dry-run"]
    assert main([*argv, "--location", GATES[0], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rest_hours"] == 20
    assert main([*argv, "--location", GATES[0], "--json", "--rest-hours", "6"]) == 0
    assert json.loads(capsys.readouterr().out)["rest_hours"] == 6


def test_apply_records_one_audit_event_and_the_chain_holds(demo: Store) -> None:
    from strikeboard.services.audit import verify

    gates = _gates(demo)
    events = _events(demo)
    with demo.read() as session:
        preview = preview_schedule(session, START, END, gates)
    with demo.write() as session:
        apply_preview(session, preview)
    assert _events(demo) == events + 1
    with demo.read() as session:
        last = session.scalars(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).one()
        report = verify(session)
    assert (last.action, last.table_name) == ("bulk", "assignment")
    assert last.after is not None
    assert (last.after["inserted"], last.after["deleted"]) == (
        preview.added - last.after["updated"],
        preview.removed - last.after["updated"],
    )
    assert report.intact


# -- the Auto-fill modal, driven as a user would -------------------------------------------------

TUI_TODAY = date(2026, 11, 10)


@pytest.fixture(scope="module")
def small_strike(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from strikeboard import demo as demo_data

    path = tmp_path_factory.mktemp("autofill") / "demo.db"
    demo_data.generate(path, members=300, seed=2023, today=TUI_TODAY)
    return path


async def test_autofill_modal_previews_then_applies(small_strike: Path, tmp_path: Path) -> None:
    import time
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from textual.widgets import Input

    from strikeboard import demo as demo_data
    from strikeboard.store.models import Location
    from strikeboard.tui.app import StrikeboardApp
    from strikeboard.tui.forms.autofill import AutoFillScreen

    path = tmp_path / "strike.db"
    shutil.copyfile(small_strike, path)
    store = open_store(str(path))
    with store.read() as session:
        gates = [(row.id, row.name) for row in session.scalars(select(Location).order_by(col(Location.name)))]
    store.close()
    monday = TUI_TODAY - timedelta(days=TUI_TODAY.weekday())
    now = datetime.combine(TUI_TODAY, demo_data.DEMO_NOW, tzinfo=ZoneInfo(demo_data.TIME_ZONE))
    app = StrikeboardApp(str(path), now=lambda: now, operator="tester")
    app.animation_level = "none"

    async def wait_for(pilot: object, condition: object, what: str) -> None:
        deadline = time.monotonic() + 30
        while not condition():  # type: ignore[operator]
            assert time.monotonic() < deadline, what
            await pilot.pause(0.05)  # type: ignore[attr-defined]

    def on_disk() -> set[tuple[uuid.UUID, uuid.UUID, str, str, bool, str]]:
        opened = open_store(str(path))
        try:
            return _rows(opened)
        finally:
            opened.close()

    before = on_disk()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.gateway is not None, "the store never opened")
        assert app.gateway is not None
        await pilot.press("2")  # the Shifts tab, then A: auto-fill the week shown
        shifts_panel = app.panel("shifts")
        await wait_for(pilot, lambda: getattr(shifts_panel, "_last", None) is not None, "no week grid")
        await pilot.press("A")
        await wait_for(pilot, lambda: isinstance(app.screen, AutoFillScreen), "no auto-fill screen")
        form = app.screen
        assert isinstance(form, AutoFillScreen)
        await wait_for(
            pilot, lambda: form.query_one_optional("#form-save") is not None, "the form never drew"
        )
        form.query_one("#f-end", Input).value = (monday - timedelta(days=1)).isoformat()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "end" in form.field_errors(), "no error for an end before the start")
        form.query_one("#f-end", Input).value = (monday + timedelta(days=6)).isoformat()
        form.query_one("#f-gates").focus()
        await pilot.press("space")  # tick the first gate only
        await pilot.press("ctrl+s")  # preview: nothing written
        await wait_for(pilot, lambda: form.preview is not None, "no preview")
        shown = form.preview_shown()
        assert "Minimum slots filled:" in shown and "can be filled by any schedule" in shown
        assert (
            "Fairness:" in shown and "Per gate" in shown and gates[0][1] in shown and gates[1][1] not in shown
        )
        assert "Changes:" in shown
        assert form.preview is not None and form.preview.changes
        assert on_disk() == before
        await pilot.press("ctrl+s")  # apply
        await wait_for(pilot, lambda: not isinstance(app.screen, AutoFillScreen), "the form never closed")
        summary = f"Auto-fill applied: {form.preview.added:,} added, {form.preview.removed:,} removed"
        await wait_for(
            pilot, lambda: any(n.message == summary for n in app._notifications), "no summary shown"
        )
    preview = form.preview
    after = on_disk()
    added = {(r[0], r[1]) for r in after - before}
    assert len(added) == preview.added and all(r[3] == "auto" for r in after - before)
