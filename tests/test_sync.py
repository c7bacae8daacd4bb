"""Offline merge: random work on several laptops, merged in any order, ends identical and complete.

Replicas are copies of one seeded SQLite file (each copy makes its own node id). Work goes
through the real services; merges go through bundle files and whole database files.
"""

import gzip
import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlmodel import col

from strikeboard.services import grievances, hours, roster, signin, sync
from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.store import hlc
from strikeboard.store.db import Store, open_store
from strikeboard.store.models import (
    CheckIn,
    Grievance,
    HoursCredit,
    Location,
    Member,
    Shift,
    SyncConflict,
    SyncNode,
)
from strikeboard.store.versions import SYNCED_TABLES, table

TODAY = date(2026, 11, 20)
START = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
ZONE = ZoneInfo("UTC")
#: Members a replica may create: the same number and email on two laptops is the same person.
NEW_MEMBERS = (("N1", "nia@example.org"), ("N2", "ode@example.org"))


@dataclass
class Base:
    """The seeded file every replica starts from, and the ids in it."""

    path: Path
    shift_id: uuid.UUID
    members: list[uuid.UUID]
    grievance_id: uuid.UUID


def _seed(path: Path) -> Base:
    store = open_store(str(path))
    try:
        with store.write() as session:
            gate = Location(name="Gate 1")
            session.add(gate)
            session.flush()
            shift = Shift(location_id=gate.id, starts_at=START, ends_at=START + timedelta(hours=4))
            session.add(shift)
            session.flush()
            members = [
                roster.create_member(
                    session,
                    roster.MemberForm(f"W{i}", f"First{i}", "Last", email=f"w{i}@example.org"),
                    actor="t",
                )
                for i in range(3)
            ]
            gid = grievances.file_grievance(
                session,
                grievances.GrievanceInput(
                    incident_date=date(2026, 11, 2), summary="Unpaid overtime", is_class=True
                ),
                actor="t",
                today=TODAY,
            )
            shift_id = shift.id
    finally:
        store.close()
    return Base(path, shift_id, members, gid)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    return _seed(tmp_path_factory.mktemp("sync") / "base.db")


def _replicas(base: Base, folder: Path, count: int) -> list[Store]:
    folder.mkdir(parents=True, exist_ok=True)
    stores = []
    for index in range(count):
        path = folder / f"laptop{index}.db"
        shutil.copyfile(base.path, path)
        stores.append(open_store(str(path)))
    return stores


@pytest.fixture
def pair(base: Base, tmp_path: Path) -> Iterator[list[Store]]:
    stores = _replicas(base, tmp_path, 2)
    yield stores
    for store in stores:
        store.close()


# --------------------------------------------------------------------------- operations


@dataclass
class World:
    """The replicas and what was done on them (to check nothing was lost)."""

    base: Base
    stores: list[Store]
    folder: Path
    check_ins: set[uuid.UUID] = field(default_factory=set)
    credits: set[uuid.UUID] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    bundles: int = 0


def _member_ids(session: Any) -> list[uuid.UUID]:
    return list(session.scalars(select(col(Member.id)).order_by(col(Member.member_number))))


def _do(world: World, op: tuple[Any, ...]) -> None:
    kind, where, pick, words = op
    store = world.stores[where % len(world.stores)]
    try:
        if kind == "merge":
            _merge(world, pick % len(world.stores), where % len(world.stores), words)
            return
        with store.write() as session:
            members = _member_ids(session)
            member = members[pick % len(members)]
            if kind == "sign_in":
                at = START + timedelta(minutes=pick % 200)
                done = signin.sign_in(
                    session, shift_id=world.base.shift_id, member_id=member, at=at, by="cap", zone=ZONE
                )
                world.check_ins.add(done.check_in_id)
            elif kind == "undo":
                signin.undo(session, shift_id=world.base.shift_id, member_id=member, by="cap", reason=words)
                world.check_ins.update(session.scalars(select(col(CheckIn.id))))
            elif kind == "edit_member":
                form = roster.member_form(session, member)
                roster.update_member(session, member, replace(form, notes=words), actor="t")
            elif kind == "new_member":
                number, email = NEW_MEMBERS[pick % len(NEW_MEMBERS)]
                roster.create_member(
                    session, roster.MemberForm(number, words or "New", email=email), actor="t"
                )
                world.numbers.add(number)
            elif kind == "credit":
                world.credits.add(
                    hours.add_credit(
                        session,
                        member_id=member,
                        on_date=TODAY,
                        hours=1 + pick % 4,
                        kind="alternative_duty",
                        approved_by="org",
                    )
                )
            elif kind == "grievance_text":
                detail = grievances.get_grievance(session, world.base.grievance_id, TODAY)
                edit = grievances.GrievanceEdit.of(detail)
                edit = replace(edit, summary=f"Summary {words}") if pick % 2 else replace(edit, remedy=words)
                grievances.update_grievance(
                    session, world.base.grievance_id, changes=edit, actor="t", today=TODAY
                )
    except (ValidationError, NotFound):
        pass  # the service refused (already signed in, number taken...): nothing was written


def _merge(world: World, source: int, target: int, how: str) -> None:
    """Move ``source``'s changes to ``target``: a full bundle, an ``auto`` delta, or the whole file."""
    if source == target:
        return
    src, dst = world.stores[source], world.stores[target]
    if how.startswith("f"):
        with dst.write() as session:
            sync.merge_database(session, Path(src.location))
        return
    world.bundles += 1
    bundle = world.folder / f"b{world.bundles}.sbsync"
    with src.write() as session:
        since = sync.resolve_since(session, "auto") if how.startswith("a") else None
        sync.export_bundle(session, bundle, since)
    try:
        with dst.write() as session:
            sync.import_bundle(session, bundle)
    except sync.SyncError as error:  # a delta whose parents the target has not seen yet
        assert "does not have" in str(error)


def _exchange(world: World) -> list[Path]:
    """Every laptop exports everything, then merges every other laptop's bundle (each in its own order)."""
    paths = []
    for index, store in enumerate(world.stores):
        path = world.folder / f"full{index}.sbsync"
        with store.write() as session:
            sync.export_bundle(session, path)
        paths.append(path)
    for index, store in enumerate(world.stores):
        for other in range(1, len(paths)):
            with store.write() as session:
                sync.import_bundle(session, paths[(index + other) % len(paths)])
    return paths


def state(store: Store) -> dict[str, Any]:
    """Every synced row, the aliases and the open conflicts, comparable between databases."""
    found: dict[str, Any] = {}
    with store.read() as session:
        for name in SYNCED_TABLES:
            rows = session.execute(select(table(name))).all()
            found[name] = sorted(repr(tuple(row)) for row in rows)
        found["conflicts"] = sorted(
            (str(c.grievance_id), c.field, c.other_value)
            for c in session.exec(select(SyncConflict)).scalars()
        )
        found["aliases"] = sorted(
            session.execute(text("SELECT table_name, old_id, new_id FROM sync_alias")).all()
        )
    return found


OPS = st.tuples(
    st.sampled_from(
        ["sign_in", "sign_in", "undo", "edit_member", "new_member", "credit", "grievance_text", "merge"]
    ),
    st.integers(0, 3),
    st.integers(0, 50),
    st.sampled_from(["full", "auto", "file", "a", "b", ""]),
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(replicas=st.integers(2, 4), ops=st.lists(OPS, min_size=4, max_size=14))
# Found by Hypothesis: three laptops add the same member (aliases must all point at the kept id).
@example(
    replicas=3, ops=[("new_member", 1, 0, "full"), ("new_member", 0, 0, "full"), ("new_member", 2, 0, "full")]
)
# Found by Hypothesis: a conflict settled by a local edit after a merge must clear everywhere.
@example(
    replicas=2,
    ops=[
        ("grievance_text", 1, 1, "full"),
        ("grievance_text", 0, 0, "full"),
        ("merge", 0, 1, "full"),
        ("grievance_text", 0, 1, "full"),
    ],
)
def test_random_work_merged_in_any_order_ends_identical_and_complete(
    base: Base, tmp_path: Path, replicas: int, ops: list[tuple[Any, ...]]
) -> None:
    folder = tmp_path / uuid.uuid4().hex[:8]
    world = World(base, _replicas(base, folder, replicas), folder)
    try:
        for op in ops:
            _do(world, op)
        paths = _exchange(world)
        states = [state(store) for store in world.stores]
        for other in states[1:]:
            assert other == states[0]
        with world.stores[0].read() as session:
            check_ins = set(session.scalars(select(col(CheckIn.id))))
            credits = set(session.scalars(select(col(HoursCredit.id))))
            numbers = list(session.scalars(select(col(Member.member_number))))
            members = set(session.scalars(select(col(Member.id))))
            referenced = set(session.scalars(select(col(CheckIn.member_id))))
        assert world.check_ins <= check_ins  # every sign-in and void made anywhere is here
        assert world.credits <= credits
        assert sorted(numbers) == sorted({*numbers}) and world.numbers <= set(numbers)  # no duplicates
        assert referenced <= members
        # Merging the same bundles again, in another order, changes nothing.
        for path in reversed(paths):
            _import(world.stores[0], path)
        assert state(world.stores[0]) == states[0]
    finally:
        for store in world.stores:
            store.close()


# --------------------------------------------------------------------------- specific rules


def _sign_in(store: Store, shift_id: uuid.UUID, member_id: uuid.UUID, minute: int) -> uuid.UUID:
    with store.write() as session:
        at = START + timedelta(minutes=minute)
        return signin.sign_in(
            session, shift_id=shift_id, member_id=member_id, at=at, by="cap", zone=ZONE
        ).check_in_id


def _bundle(store: Store, path: Path, since: int | None = None) -> sync.Exported:
    with store.write() as session:
        return sync.export_bundle(session, path, since)


def _import(store: Store, path: Path) -> sync.Merged:
    with store.write() as session:
        return sync.import_bundle(session, path)


def test_the_same_member_created_on_two_laptops_becomes_one_with_all_sign_ins(
    base: Base, pair: list[Store], tmp_path: Path
) -> None:
    a, b = pair
    ids = []
    for store, name in ((a, "Nia"), (b, "Nia K.")):
        with store.write() as session:
            ids.append(
                roster.create_member(
                    session, roster.MemberForm("N1", name, email="nia@example.org"), actor="t"
                )
            )
    ins = [_sign_in(a, base.shift_id, ids[0], 5), _sign_in(b, base.shift_id, ids[1], 6)]
    _bundle(a, tmp_path / "a.sbsync")
    _bundle(b, tmp_path / "b.sbsync")
    assert _import(b, tmp_path / "a.sbsync").members_merged == 1
    assert _import(a, tmp_path / "b.sbsync").members_merged == 1
    kept = min(ids, key=lambda u: u.hex)
    for store in pair:
        with store.read() as session:
            nia = session.exec(select(Member).where(col(Member.member_number) == "N1")).scalars().all()
            assert [m.id for m in nia] == [kept]
            rows = session.exec(select(CheckIn).where(col(CheckIn.id).in_(ins))).scalars().all()
            assert {r.member_id for r in rows} == {kept} and len(rows) == 2
    assert state(a) == state(b)


def test_parallel_grievance_text_edits_keep_both_and_flag_the_case(
    base: Base, pair: list[Store], tmp_path: Path
) -> None:
    a, b = pair
    for store, words in ((a, "Summary A"), (b, "Summary B")):
        with store.write() as session:
            detail = grievances.get_grievance(session, base.grievance_id, TODAY)
            edit = replace(grievances.GrievanceEdit.of(detail), summary=words)
            grievances.update_grievance(session, base.grievance_id, changes=edit, actor="t", today=TODAY)
    _bundle(a, tmp_path / "a.sbsync")
    _bundle(b, tmp_path / "b.sbsync")
    _import(a, tmp_path / "b.sbsync")
    _import(b, tmp_path / "a.sbsync")
    for store in pair:
        with store.read() as session:
            shown = session.exec(select(Grievance.summary)).scalars().one()
            conflicts = session.exec(select(SyncConflict)).scalars().all()
            status = sync.sync_status(session)
        assert shown == "Summary B"  # b edited last
        assert [(c.field, c.other_value) for c in conflicts] == [("summary", "Summary A")]
        assert [c.other_value for c in status.conflicts] == ["Summary A"]


def test_two_cases_filed_with_the_same_number_are_both_kept(
    base: Base, pair: list[Store], tmp_path: Path
) -> None:
    ids = []
    for store, words in zip(pair, ("Unpaid breaks", "Unsafe set"), strict=True):
        with store.write() as session:
            case = grievances.GrievanceInput(incident_date=date(2026, 11, 5), summary=words, is_class=True)
            ids.append(grievances.file_grievance(session, case, actor="t", today=TODAY))
    a, b = pair
    _bundle(a, tmp_path / "a.sbsync")
    _bundle(b, tmp_path / "b.sbsync")
    _import(a, tmp_path / "b.sbsync")
    _import(b, tmp_path / "a.sbsync")
    assert state(a) == state(b)
    with a.read() as session:
        numbers = {g.id: g.number for g in session.exec(select(Grievance)).scalars() if g.id in ids}
    low, high = sorted(ids, key=lambda u: u.hex)
    assert numbers[low] == "G-2026-0002" and numbers[high] == f"G-2026-0002-{high.hex[:4]}"


def test_an_edit_after_a_merge_is_not_a_conflict(base: Base, pair: list[Store], tmp_path: Path) -> None:
    a, b = pair
    for store, words in ((a, "First"), (b, "Second")):
        with store.write() as session:
            detail = grievances.get_grievance(session, base.grievance_id, TODAY)
            edit = replace(grievances.GrievanceEdit.of(detail), remedy=words)
            grievances.update_grievance(session, base.grievance_id, changes=edit, actor="t", today=TODAY)
        _bundle(store, tmp_path / "x.sbsync")
        _import(b if store is a else a, tmp_path / "x.sbsync")
    for store in pair:
        with store.read() as session:
            assert session.exec(select(Grievance.remedy)).scalars().one() == "Second"
            assert session.exec(select(SyncConflict)).scalars().all() == []


def test_since_exports_only_what_changed_and_auto_remembers(
    base: Base, pair: list[Store], tmp_path: Path
) -> None:
    a, b = pair
    first = _bundle(a, tmp_path / "full.sbsync")
    _import(b, tmp_path / "full.sbsync")
    new = _sign_in(a, base.shift_id, base.members[0], 10)
    with a.write() as session:
        since = sync.resolve_since(session, "auto")
    assert since == first.clock
    delta = _bundle(a, tmp_path / "delta.sbsync", since)
    assert delta.rows < first.rows
    _import(b, tmp_path / "delta.sbsync")
    with b.read() as session:
        assert session.get(CheckIn, new) is not None
        status = sync.sync_status(session)
    assert [p.node_id for p in status.peers] == [sync.read_bundle(tmp_path / "delta.sbsync").node]
    assert status.peers[0].source.endswith("delta.sbsync")


def test_merging_a_whole_file(base: Base, pair: list[Store]) -> None:
    a, b = pair
    new = _sign_in(a, base.shift_id, base.members[1], 3)
    files = [Path(a.location), Path(a.location + "-wal")]
    before = [(f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists()]
    with b.write() as session:
        merged = sync.merge_database(session, Path(a.location))
    assert [(f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists()] == before  # only read
    assert merged.rows >= 1
    with b.read() as session:
        assert session.get(CheckIn, new) is not None
    with b.write() as session, pytest.raises(sync.SyncError, match="is this database"):
        sync.merge_database(session, Path(b.location))


def test_a_removed_grievant_is_a_tombstone_that_travels(
    base: Base, pair: list[Store], tmp_path: Path
) -> None:
    a, b = pair
    with a.write() as session:
        gid = grievances.file_grievance(
            session,
            grievances.GrievanceInput(
                incident_date=date(2026, 11, 3),
                summary="Harassment",
                grievant_ids=(base.members[0], base.members[1]),
            ),
            actor="t",
            today=TODAY,
        )
    _bundle(a, tmp_path / "1.sbsync")
    _import(b, tmp_path / "1.sbsync")
    with a.write() as session:
        detail = grievances.get_grievance(session, gid, TODAY)
        edit = replace(grievances.GrievanceEdit.of(detail), grievant_ids=(base.members[0],))
        grievances.update_grievance(session, gid, changes=edit, actor="t", today=TODAY)
    _bundle(a, tmp_path / "2.sbsync")
    _import(b, tmp_path / "2.sbsync")
    _import(b, tmp_path / "1.sbsync")  # the older bundle again: the grievant stays removed
    assert state(a) == state(b)
    with b.read() as session:
        links = session.execute(text("SELECT member_id FROM grievance_grievant")).all()
    assert len(links) == 1


# --------------------------------------------------------------------------- refused bundles


def _counts(store: Store) -> dict[str, Any]:
    return state(store)


def test_truncated_tampered_and_newer_bundles_are_refused_and_change_nothing(
    base: Base, pair: list[Store], tmp_path: Path
) -> None:
    a, b = pair
    _sign_in(a, base.shift_id, base.members[2], 7)
    good = tmp_path / "good.sbsync"
    _bundle(a, good)
    data = good.read_bytes()
    before = _counts(b)

    truncated = tmp_path / "truncated.sbsync"
    truncated.write_bytes(data[: len(data) - 40])
    tampered = tmp_path / "tampered.sbsync"
    head, _, payload = data.partition(b"\n")[2].partition(b"\n")
    body = json.loads(gzip.decompress(payload))
    body["tables"]["check_in"]["rows"][0][3][1] = "changed"
    tampered.write_bytes(sync.MAGIC + head + b"\n" + gzip.compress(json.dumps(body).encode()))
    header = json.loads(head)
    newer = tmp_path / "newer.sbsync"
    newer.write_bytes(sync.MAGIC + json.dumps({**header, "schema": "0099_future"}).encode() + b"\n" + payload)
    newer_format = tmp_path / "format.sbsync"
    newer_format.write_bytes(sync.MAGIC + json.dumps({**header, "format": 99}).encode() + b"\n" + payload)
    stranger = tmp_path / "notes.txt"
    stranger.write_text("hello")

    cases = [
        (truncated, "truncated or was changed"),
        (tampered, "truncated or was changed"),
        (newer, "newer strikeboard .schema 0099_future"),
        (newer_format, "newer strikeboard .bundle format 99"),
        (stranger, "not a strikeboard sync bundle"),
        (tmp_path / "missing.sbsync", "does not exist"),
    ]
    for path, message in cases:
        with pytest.raises(sync.SyncError, match=message) as caught:
            _import(b, path)
        assert str(caught.value).count(".") >= 1 and "\n" not in str(caught.value)
    assert _counts(b) == before
    _import(b, good)
    assert _counts(b) != before


def test_a_delta_without_its_parents_is_refused_whole(base: Base, pair: list[Store], tmp_path: Path) -> None:
    a, b = pair
    _bundle(a, tmp_path / "first.sbsync")
    with a.write() as session:
        member = roster.create_member(session, roster.MemberForm("N9", "Zed"), actor="t")
        sync.export_bundle(session, tmp_path / "skipped.sbsync", sync.resolve_since(session, "auto"))
    _sign_in(a, base.shift_id, member, 1)
    with a.write() as session:
        hours.add_credit(
            session, member_id=member, on_date=TODAY, hours=2, kind="alternative_duty", approved_by="o"
        )
        sync.export_bundle(session, tmp_path / "delta.sbsync", sync.resolve_since(session, "auto"))
    before = _counts(b)
    with pytest.raises(sync.SyncError, match="does not have"):
        _import(b, tmp_path / "delta.sbsync")
    assert _counts(b) == before
    _import(b, tmp_path / "skipped.sbsync")
    _import(b, tmp_path / "delta.sbsync")
    with b.read() as session:
        assert session.get(Member, member) is not None


# --------------------------------------------------------------------------- the clock


def test_the_clock_never_goes_backwards(pair: list[Store], monkeypatch: pytest.MonkeyPatch) -> None:
    a, _ = pair
    now = [1_800_000_000_000]
    monkeypatch.setattr(hlc, "wall_ms", lambda: now[0])
    values = []
    for wall in (now[0], now[0] - 3_600_000, now[0] - 86_400_000, now[0] + 5):
        now[0] = wall
        with a.write() as session:
            values.append(hlc.tick(session.connection())[1])
    assert values == sorted(values) and len(set(values)) == len(values)
    # A value received from a peer moves the clock past it.
    with a.write() as session:
        seen = values[-1] + (10_000 << hlc.LOGICAL_BITS)
        assert hlc.tick(session.connection(), seen=seen)[1] > seen
    # The clock is kept in the file: reopening does not go back.
    path = a.location
    a.close()
    reopened = open_store(path)
    try:
        with reopened.write() as session:
            assert hlc.tick(session.connection())[1] > seen
    finally:
        reopened.close()


def test_after_a_restore_a_peer_bundle_moves_the_clock_past_what_was_issued(
    base: Base, pair: list[Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    path = Path(a.location)
    a.close()
    saved = tmp_path / "backup.db"
    shutil.copyfile(path, saved)  # a backup taken before the day's work
    a = open_store(str(path))
    try:
        _sign_in(a, base.shift_id, base.members[0], 2)
        issued = _bundle(a, tmp_path / "a.sbsync").clock
        _import(b, tmp_path / "a.sbsync")
        _bundle(b, tmp_path / "b.sbsync")
    finally:
        a.close()
    shutil.copyfile(saved, path)  # restored; and the wall clock is now a day behind
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    monkeypatch.setattr(hlc, "wall_ms", lambda: (issued >> hlc.LOGICAL_BITS) - 86_400_000)
    restored = open_store(str(path))
    try:
        _import(restored, tmp_path / "b.sbsync")
        with restored.write() as session:
            assert hlc.tick(session.connection())[1] > issued
    finally:
        restored.close()


def test_advance_is_monotonic_whatever_the_wall_clock() -> None:
    last = 0
    for wall in (100, 50, 50, 200, 10, 10_000):
        value = hlc.advance(last, wall)
        assert value > last
        last = value


def test_a_copied_file_gets_its_own_node_id(base: Base, pair: list[Store]) -> None:
    a = pair[0]
    nodes = []
    for store in pair:
        with store.write() as session:
            nodes.append(hlc.tick(session.connection())[0])
    assert nodes[0] != nodes[1]
    with a.read() as session:
        assert session.exec(select(SyncNode.node_id)).scalars().one() == nodes[0]
    conn = sqlite3.connect(base.path)
    try:  # the seed wrote through the services: it has a node id of its own, different from both
        seeded = conn.execute("SELECT node_id FROM sync_node").fetchone()[0]
    finally:
        conn.close()
    assert seeded not in nodes


# --------------------------------------------------------------------------- the TUI


async def test_the_tui_sync_view_imports_exports_and_shows_peers(
    base: Base, pair: list[Store], tmp_path: Path
) -> None:
    import time

    from textual.widgets import Input

    from strikeboard.tui.app import StrikeboardApp
    from strikeboard.tui.screens.sync import SyncScreen

    a, b = pair
    new = _sign_in(b, base.shift_id, base.members[0], 12)
    _bundle(b, tmp_path / "from_b.sbsync")
    (tmp_path / "broken.sbsync").write_bytes((tmp_path / "from_b.sbsync").read_bytes()[:-10])
    app = StrikeboardApp(a.location, operator="tester")
    app.animation_level = "none"
    failures: list[object] = []

    def hook(message: object) -> None:
        if type(message).__name__ == "WorkFailed":
            failures.append(getattr(message, "error", None))

    async with app.run_test(size=(120, 35), notifications=False, message_hook=hook) as pilot:
        deadline = time.monotonic() + 10
        while app.panel_context is None:
            assert time.monotonic() < deadline, "the store never opened"
            await pilot.pause(0.01)
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SyncScreen)
        assert "no other laptop merged here yet" in screen.shown_text()

        async def run(button: str, path: Path) -> str:
            """Type the path, press the button, wait for the result line."""
            from textual.widgets import Static

            status = screen.query_one("#sync-status", Static)
            status.update("")
            screen.query_one("#sync-path", Input).value = str(path)
            pressed = screen.query_one(f"#sync-{button}")
            pressed.focus()
            await pilot.pause()
            while pressed.has_class("-active"):  # a button ignores presses while it shows the last one
                await pilot.pause(0.05)
            assert app.focused is pressed
            await pilot.press("enter")
            deadline = time.monotonic() + 20
            while str(status.render()) in ("", "Merging…", "Writing the bundle…"):
                assert time.monotonic() < deadline, (
                    f"{button} never finished: {failures!r} {screen.shown_text()}"
                )
                await pilot.pause(0.02)
            await app.workers.wait_for_complete()
            await pilot.pause()
            return screen.shown_text()

        shown = await run("import", tmp_path / "broken.sbsync")
        assert "truncated or was changed" in shown and "Nothing was changed." in shown
        with a.read() as session:
            assert session.get(CheckIn, new) is None
        shown = await run("import", tmp_path / "from_b.sbsync")
        assert "Merged" in shown and "from_b.sbsync" in shown
        node_b = sync.read_bundle(tmp_path / "from_b.sbsync").node
        assert node_b[:12] in shown  # the peer is listed with its last merge
        with a.read() as session:
            assert session.get(CheckIn, new) is not None
        shown = await run("export", tmp_path / "from_a.sbsync")
        assert "Wrote" in shown and (tmp_path / "from_a.sbsync").is_file()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SyncScreen)


# --------------------------------------------------------------------------- either backend


def test_a_server_database_merges_with_laptops_both_ways(base: Base, store: Store, tmp_path: Path) -> None:
    """The ``store`` fixture is SQLite, and PostgreSQL too when STRIKEBOARD_TEST_PG is set."""
    (laptop,) = _replicas(base, tmp_path / "laptop", 1)
    try:
        _bundle(laptop, tmp_path / "laptop.sbsync")
        _import(store, tmp_path / "laptop.sbsync")
        with store.write() as session:
            created = roster.create_member(
                session, roster.MemberForm("S1", "Sam", email="sam@example.org"), actor="t"
            )
            detail = grievances.get_grievance(session, base.grievance_id, TODAY)
            edit = replace(grievances.GrievanceEdit.of(detail), remedy="Back pay")
            grievances.update_grievance(session, base.grievance_id, changes=edit, actor="t", today=TODAY)
        new = _sign_in(store, base.shift_id, created, 9)
        with laptop.write() as session:  # the same person added on the laptop meanwhile
            roster.create_member(
                session, roster.MemberForm("S1", "Samuel", email="sam@example.org"), actor="t"
            )
        _bundle(store, tmp_path / "server.sbsync")
        _import(laptop, tmp_path / "server.sbsync")
        _bundle(laptop, tmp_path / "laptop2.sbsync")
        _import(store, tmp_path / "laptop2.sbsync")
        for db in (store, laptop):
            with db.read() as session:
                assert session.get(CheckIn, new) is not None
                assert (
                    len(session.exec(select(Member).where(col(Member.member_number) == "S1")).scalars().all())
                    == 1
                )
                assert session.exec(select(Grievance.remedy)).scalars().one() == "Back pay"
        assert state(store) == state(laptop)
    finally:
        laptop.close()


# --------------------------------------------------------------------------- the command line


def test_cli_export_import_merge_and_status(
    base: Base, pair: list[Store], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from strikeboard.cli import main

    a, b = pair
    new = _sign_in(a, base.shift_id, base.members[2], 4)
    bundle = tmp_path / "a.sbsync"
    assert main(["--db", a.location, "sync", "export", "-o", str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "--since auto" in out
    assert (
        main(["--db", a.location, "sync", "export", "-o", str(tmp_path / "none.sbsync"), "--since", "auto"])
        == 0
    )
    assert "changes since" in capsys.readouterr().out
    (tmp_path / "junk.sbsync").write_text("junk")
    assert main(["--db", b.location, "sync", "import", str(tmp_path / "junk.sbsync")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a strikeboard sync bundle" in err and "Nothing was changed" in err
    assert main(["--db", b.location, "sync", "import", str(bundle)]) == 0
    assert "rows changed here" in capsys.readouterr().out
    assert main(["--db", b.location, "sync", "merge", a.location]) == 0
    assert main(["--db", b.location, "sync", "status"]) == 0
    out = capsys.readouterr().out
    assert "node id:" in out and f"peer {sync.read_bundle(bundle).node}" in out
    with b.read() as session:
        assert session.get(CheckIn, new) is not None
