"""The demo strike: deterministic generation, sensible content, re-dating, the CLI; and due_date."""

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from strikeboard import cli, demo
from strikeboard.services.deadlines import due_date
from strikeboard.services.settings import load_settings
from strikeboard.services.stats import database_counts
from strikeboard.store.db import open_store
from strikeboard.store.probe import StoreError
from strikeboard.textnorm import digits, search_key

TODAY = date(2026, 11, 25)  # a Wednesday; Thanksgiving is the next day
ZONE = ZoneInfo(demo.TIME_ZONE)
MEMBERS = 300


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return list(conn.iterdump())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo, generated once for the read-only tests of this module."""
    path = tmp_path_factory.mktemp("demo") / "sample.db"
    demo.generate(path, members=MEMBERS, seed=7, today=TODAY)
    return path


@pytest.fixture
def db(sample: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the module's sample."""
    conn = sqlite3.connect(f"{sample.resolve().as_uri()}?mode=ro", uri=True)
    yield conn
    conn.close()


def _now() -> str:
    """The demo's now as stored (UTC, SQLite's text form)."""
    moment = datetime.combine(TODAY, demo.DEMO_NOW, tzinfo=ZONE).astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------- determinism


def test_same_seed_same_today_gives_the_same_dump(sample: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    demo.generate(again, members=MEMBERS, seed=7, today=TODAY)
    assert _dump(again) == _dump(sample)


def test_another_seed_gives_another_strike(sample: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    demo.generate(other, members=MEMBERS, seed=8, today=TODAY)
    assert _dump(other) != _dump(sample)


def test_files_are_private_and_no_temporary_files_remain(sample: Path) -> None:
    assert sample.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in sample.parent.iterdir() if p.name.endswith(".tmp")] == []


# --------------------------------------------------------------------------- content


def test_counts_are_sensible(db: sqlite3.Connection) -> None:
    def count(sql: str) -> int:
        return int(db.execute(sql).fetchone()[0])

    assert count("SELECT count(*) FROM member") == MEMBERS
    assert count("SELECT count(*) FROM location") == len(demo.GATES) == 12
    assert count("SELECT count(*) FROM shift") == 12 * len(demo.SLOTS) * demo.STRIKE_DAYS
    roles = dict(db.execute("SELECT role, count(*) FROM member GROUP BY role").fetchall())
    assert roles["captain"] == round(MEMBERS * 0.06)
    assert roles["steward"] >= 1 and roles["organizer"] >= 1 and roles["staff"] >= 1
    assert roles["member"] > MEMBERS * 0.8
    volunteers = count("SELECT count(*) FROM availability")
    assert 0.25 * MEMBERS < volunteers < 0.6 * MEMBERS
    assert count("SELECT count(*) FROM availability_window") >= volunteers
    assert count("SELECT count(*) FROM assignment") > 500
    assert count("SELECT count(*) FROM check_in WHERE kind = 'sign_in' AND walk_in") > 0
    assert count("SELECT count(*) FROM check_in WHERE kind IN ('correction', 'void')") > 0
    assert count("SELECT count(*) FROM check_in WHERE kind != 'sign_in' AND void_of IS NULL") == 0
    assert count("SELECT count(*) FROM hours_credit") > 0
    categories = {row[0] for row in db.execute("SELECT category FROM incident")}
    assert categories == set(demo.INCIDENT_TEXT)
    assert count("SELECT count(*) FROM grievance") == demo.GRIEVANCES
    assert count("SELECT count(*) FROM shift WHERE cancelled") == 2


def test_members_have_consistent_contact_details(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT member_number, first_name, last_name, preferred_name, email, phone, phone_digits, search_key "
        "FROM member"
    ).fetchall()
    numbers = [row[0] for row in rows]
    emails = [row[4] for row in rows if row[4]]
    assert len(set(numbers)) == len(numbers)
    assert len(set(emails)) == len(emails) and all(e == e.lower() and "@" in e for e in emails)
    for _number, first, last, preferred, _email, phone, phone_digits, key in rows:
        assert key == search_key(first, last, preferred)
        assert phone_digits == digits(phone)
        assert phone == "" or re.fullmatch(r"\+1\d{3}555\d{4}", phone)


def test_names_that_break_careless_code_are_there(db: sqlite3.Connection) -> None:
    names = {(row[0], row[1]) for row in db.execute("SELECT first_name, last_name FROM member")}
    assert ("[steward] Ann", "Lee") in names
    assert ("Zoë", "O'Brien-Nguyễn") in names
    assert any(ord(ch) > 0x2E80 for first, last in names for ch in first + last)  # CJK and friends
    assert any("'" in last for _first, last in names)
    decomposed = db.execute("SELECT search_key FROM member WHERE first_name = ?", ("Zoe\u0308",)).fetchone()
    assert decomposed == ("zoe d'angelo",)


def test_today_is_mid_strike(db: sqlite3.Connection) -> None:
    now = _now()
    first, last = db.execute("SELECT min(starts_at), max(starts_at) FROM shift").fetchone()
    assert _utc(first).astimezone(ZONE).date() == TODAY - timedelta(days=demo.DAYS_BEFORE_TODAY)
    last_day = TODAY + timedelta(days=demo.STRIKE_DAYS - 1 - demo.DAYS_BEFORE_TODAY)
    assert _utc(last).astimezone(ZONE).date() == last_day
    running = db.execute("SELECT id FROM shift WHERE starts_at <= ? AND ends_at > ?", (now, now)).fetchall()
    assert len(running) == 12
    signed_in_now = db.execute(
        "SELECT count(*) FROM check_in c JOIN shift s ON s.id = c.shift_id "
        "WHERE s.starts_at <= ? AND s.ends_at > ? AND c.out_at IS NULL",
        (now, now),
    ).fetchone()[0]
    assert signed_in_now > 0
    past_signins = db.execute(
        "SELECT count(*) FROM check_in c JOIN shift s ON s.id = c.shift_id "
        "WHERE s.ends_at <= ? AND c.out_at IS NOT NULL",
        (now,),
    ).fetchone()[0]
    assert past_signins > 100
    no_shows = db.execute(
        "SELECT count(*) FROM assignment a JOIN shift s ON s.id = a.shift_id WHERE a.status = 'no_show'"
        " AND s.ends_at <= ?",
        (now,),
    ).fetchone()[0]
    assert no_shows > 0
    assert db.execute("SELECT count(*) FROM assignment WHERE status = 'no_show'").fetchone()[0] == no_shows
    future_checkins = db.execute(
        "SELECT count(*) FROM check_in c JOIN shift s ON s.id = c.shift_id WHERE s.starts_at > ?", (now,)
    ).fetchone()[0]
    assert future_checkins == 0
    for table, column in (
        ("check_in", "in_at"),
        ("check_in", "created_at"),
        ("incident", "occurred_at"),
        ("assignment", "created_at"),
        ("grievance", "updated_at"),
    ):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE {column} > ?", (now,)).fetchone()[0] == 0


def test_assignments_fit_availability(db: sqlite3.Connection) -> None:
    """Every assignment is in one of the person's weekly windows; nobody is booked twice at once."""
    windows: dict[str, list[tuple[int, int, int]]] = {}
    for member, weekday, start, end in db.execute(
        "SELECT member_id, weekday, start_minute, end_minute FROM availability_window"
    ):
        windows.setdefault(member, []).append((weekday, start, end))
    seen: set[tuple[str, str]] = set()
    for member, starts, ends in db.execute(
        "SELECT a.member_id, s.starts_at, s.ends_at FROM assignment a JOIN shift s ON s.id = a.shift_id"
    ):
        local_start, local_end = _utc(starts).astimezone(ZONE), _utc(ends).astimezone(ZONE)
        minute = local_start.hour * 60 + local_start.minute
        length = int((local_end - local_start).total_seconds() // 60)
        assert any(
            w == local_start.weekday() and s <= minute and minute + length <= e for w, s, e in windows[member]
        )
        assert (member, starts) not in seen
        seen.add((member, starts))


def test_grievances_face_overdue_and_upcoming_deadlines(db: sqlite3.Connection) -> None:
    today, week = TODAY.isoformat(), (TODAY + timedelta(days=7)).isoformat()
    open_cases = "status IN ('open', 'in_arbitration')"

    def count(where: str, *args: str) -> int:
        return int(db.execute(f"SELECT count(*) FROM grievance WHERE {where}", args).fetchone()[0])

    assert count(f"{open_cases} AND next_deadline < ?", today) >= 3
    assert count(f"{open_cases} AND next_deadline BETWEEN ? AND ?", today, week) >= 3
    assert count(f"{open_cases} AND next_deadline > ?", week) >= 3
    assert count(f"{open_cases} AND (next_deadline IS NULL OR next_deadline_label = '')") == 0
    assert count(f"NOT {open_cases} AND next_deadline IS NOT NULL") == 0
    statuses = {row[0] for row in db.execute("SELECT DISTINCT status FROM grievance")}
    assert statuses == {"open", "in_arbitration", "settled", "withdrawn", "won", "lost"}
    for number, incident in db.execute("SELECT number, incident_date FROM grievance"):
        assert re.fullmatch(rf"G-{incident[:4]}-\d{{4}}", number)
    assert count("is_class AND id IN (SELECT grievance_id FROM grievance_grievant)") == 0
    assert count("NOT is_class AND id NOT IN (SELECT grievance_id FROM grievance_grievant)") == 0
    assert (
        count(
            "id NOT IN (SELECT grievance_id FROM grievance_event WHERE kind = 'closed') "
            "AND status IN ('settled', 'withdrawn', 'won', 'lost')"
        )
        == 0
    )
    assert (
        db.execute("SELECT count(*) FROM grievance_event WHERE occurred_on > ?", (today,)).fetchone()[0] == 0
    )
    overdue_requests = db.execute(
        "SELECT count(*) FROM information_request WHERE received_on IS NULL AND due_on < ?", (today,)
    ).fetchone()[0]
    assert overdue_requests > 0


def test_the_app_reads_the_demo(sample: Path, tmp_path: Path) -> None:
    """Through the store: settings, counts, and the demo's today are where the app looks."""
    copy = tmp_path / "copy.db"
    demo.copy_redated(sample, copy, TODAY)
    store = open_store(str(copy))
    try:
        with store.read() as session:
            settings = load_settings(session)
            counts = database_counts(session)
    finally:
        store.close()
    assert settings.strike_name == demo.STRIKE_NAME and settings.time_zone == demo.TIME_ZONE
    assert date(2026, 11, 26) in settings.holidays  # Thanksgiving
    assert counts["members"] == MEMBERS and counts["check-ins"] > 0


def test_a_single_member_strike_can_be_generated(tmp_path: Path) -> None:
    out = tmp_path / "one.db"
    demo.generate(out, members=1, seed=1, today=TODAY)
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT count(*) FROM member").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM grievance").fetchone() == (1,)


def test_generate_replaces_a_file_and_a_failure_leaves_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "demo.db"
    out.write_bytes(b"not a database")
    Path(f"{out}-wal").write_bytes(b"stale log")
    with pytest.raises(OverflowError):
        demo.generate(out, members=20, seed=1, today=date(9999, 12, 25))
    assert out.read_bytes() == b"not a database"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db", "demo.db-wal"]
    demo.generate(out, members=20, seed=1, today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]
    with sqlite3.connect(out) as conn:
        assert conn.execute("SELECT count(*) FROM member").fetchone() == (20,)


# --------------------------------------------------------------------------- re-dating


def test_dated_columns_come_from_the_models() -> None:
    found = {table: (instants, dates) for table, instants, dates in demo.dated_columns()}
    assert found["shift"] == (["starts_at", "ends_at", "created_at", "updated_at"], [])
    assert found["grievance"][1] == ["incident_date", "learned_date", "filed_date", "next_deadline"]
    assert "availability_window" not in found


def test_redate_to_the_same_day_copies_exactly(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "same.db"
    demo.copy_redated(sample, out, TODAY)
    assert _dump(out) == _dump(sample)


def test_redate_keeps_local_times_across_a_dst_change(tmp_path: Path) -> None:
    """Generated in October (PDT), re-dated into late November (PST): 36 days later, same wall clock."""
    source, out = tmp_path / "october.db", tmp_path / "moved.db"
    demo.generate(source, members=150, seed=3, today=date(2026, 10, 20))
    before = _sha(source)
    demo.copy_redated(source, out, date(2026, 11, 25))
    assert _sha(source) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moved.db", "october.db"]
    assert out.stat().st_mode & 0o777 == 0o600
    shift = timedelta(days=36)
    a, b = sqlite3.connect(source), sqlite3.connect(out)
    try:
        for table, column in (
            ("shift", "starts_at"),
            ("shift", "ends_at"),
            ("check_in", "in_at"),
            ("check_in", "out_at"),
            ("member", "created_at"),
            ("incident", "occurred_at"),
        ):
            old = dict(a.execute(f"SELECT id, {column} FROM {table}").fetchall())
            new = dict(b.execute(f"SELECT id, {column} FROM {table}").fetchall())
            assert old.keys() == new.keys()
            for key, value in old.items():
                if value is None:
                    assert new[key] is None
                    continue
                was, now = _utc(value).astimezone(ZONE), _utc(new[key]).astimezone(ZONE)
                assert now.replace(tzinfo=None) - was.replace(tzinfo=None) == shift, (table, column, value)
                assert len(new[key]) == len(value)
        first_old = _utc(a.execute("SELECT min(starts_at) FROM shift").fetchone()[0])
        first_new = _utc(b.execute("SELECT min(starts_at) FROM shift").fetchone()[0])
        assert first_new - first_old == shift + timedelta(hours=1)  # 06:00 PDT → 06:00 PST
        for table, column in (
            ("grievance", "next_deadline"),
            ("information_request", "due_on"),
            ("hours_credit", "on_date"),
            ("grievance_event", "occurred_on"),
        ):
            old = dict(a.execute(f"SELECT id, {column} FROM {table}").fetchall())
            new = dict(b.execute(f"SELECT id, {column} FROM {table}").fetchall())
            for key, value in old.items():
                assert (value is None and new[key] is None) or (
                    date.fromisoformat(new[key]) - date.fromisoformat(value) == shift
                )
        windows_old = a.execute("SELECT weekday FROM availability_window ORDER BY rowid").fetchall()
        windows_new = b.execute("SELECT weekday FROM availability_window ORDER BY rowid").fetchall()
        assert [(w + 36) % 7 for (w,) in windows_old] == [w for (w,) in windows_new]
        assert b.execute("SELECT value FROM setting WHERE key = ?", (demo.DEMO_TODAY_KEY,)).fetchone() == (
            '"2026-11-25"',
        )
        assert b.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert b.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("days", [-400, -36, -7, -1, 1, 6, 7, 36, 133, 400])
def test_the_sql_move_matches_zoneinfo(days: int) -> None:
    """Every 20 minutes around both 2026 DST changes (and the moved times in gaps/overlaps)."""
    times = []
    for anchor in (
        datetime(2026, 3, 8, 10),
        datetime(2026, 11, 1, 9),
        datetime(2026, 3, 8, 10) - timedelta(days=days),
        datetime(2026, 11, 1, 9) - timedelta(days=days),
    ):
        times += [anchor + timedelta(minutes=20 * k, microseconds=k) for k in range(-100, 100)]
    lo, hi = min(times), max(times)
    steps = demo._move_steps(ZONE, days, lo, hi)
    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE TABLE t (at TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [(t.strftime("%Y-%m-%d %H:%M:%S.%f"),) for t in times])
        moved = [row[0] for row in conn.execute(f"SELECT {demo._instant_sql('at', steps)} FROM t")]
    expected = [demo._moved(ZONE, days, t).strftime("%Y-%m-%d %H:%M:%S.%f") for t in times]
    assert moved == expected


def test_redate_refuses_to_overwrite_its_source_or_copy_nothing(sample: Path, tmp_path: Path) -> None:
    before = _sha(sample)
    with pytest.raises(StoreError, match="another file"):
        demo.copy_redated(sample, sample, TODAY + timedelta(days=3))
    assert _sha(sample) == before
    with pytest.raises(StoreError, match="does not exist"):
        demo.copy_redated(tmp_path / "missing.db", tmp_path / "out.db", TODAY)
    assert list(tmp_path.iterdir()) == []


def test_redate_refuses_a_database_that_is_not_a_demo(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    open_store(str(plain)).close()
    with pytest.raises(StoreError, match="not a demo database"):
        demo.copy_redated(plain, tmp_path / "out.db", TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.db"]


# --------------------------------------------------------------------------- the command line


def test_cli_generates_and_redates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, moved = tmp_path / "cli.db", tmp_path / "moved.db"
    args = ["demo", "--out", str(out), "--members", "200", "--seed", "3", "--today", "2026-11-25"]
    assert cli.main(args) == 0
    assert cli.main(["demo", "--from", str(out), "--out", str(moved), "--today", "2026-12-20"]) == 0
    assert cli.main(["--db", str(moved), "info"]) == 0
    assert "members: 200" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--out", "x.db", "--members", "0"],
        ["demo", "--out", "x.db", "--today", "2026-13-01"],
    ],
)
def test_cli_rejects_bad_arguments(argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as raised:
        cli.main(argv)
    assert raised.value.code == 2
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- holidays and deadlines


def test_us_holidays_are_observed_on_weekdays() -> None:
    days = demo.us_holidays(2026)
    assert date(2026, 11, 26) in days and date(2026, 11, 27) in days  # Thanksgiving and the day after
    assert date(2026, 7, 3) in days  # July 4 is a Saturday
    assert date(2026, 1, 19) in days  # Martin Luther King Jr. Day, third Monday
    assert date(2026, 5, 25) in days  # Memorial Day, last Monday
    assert all(day.weekday() < 5 for day in days) and len(days) == 11


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 → Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # from a Saturday → Monday
        (date(2026, 11, 23), 5, date(2026, 11, 30)),  # a full week from Monday
        (date(2026, 11, 23), 10, date(2026, 12, 7)),
        (date(2026, 12, 31), 1, date(2027, 1, 1)),  # Thursday → Friday (no holidays given)
        (date(2028, 2, 28), 1, date(2028, 2, 29)),  # leap day is a Tuesday
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
    ],
)
def test_due_date_in_working_days(start: date, days: int, expected: date) -> None:
    assert due_date(start, days, working_days=True) == expected


def test_due_date_skips_holidays() -> None:
    thanksgiving = [date(2026, 11, 26), date(2026, 11, 27)]
    assert due_date(date(2026, 11, 25), 1, working_days=True, holidays=thanksgiving) == date(2026, 11, 30)
    assert due_date(date(2026, 11, 20), 5, working_days=True, holidays=thanksgiving) == date(2026, 12, 1)
    new_year = {date(2027, 1, 1)}
    assert due_date(date(2026, 12, 31), 1, working_days=True, holidays=new_year) == date(2027, 1, 4)
    weekend_holiday = (date(2026, 11, 28),)  # a Saturday: changes nothing
    assert due_date(date(2026, 11, 27), 1, working_days=True, holidays=weekend_holiday) == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 1, 30), 2, date(2026, 2, 1)),  # across a month end
        (date(2026, 12, 20), 15, date(2027, 1, 4)),  # across a year end
        (date(2028, 2, 15), 14, date(2028, 2, 29)),  # onto a leap day
        (date(2027, 2, 15), 14, date(2027, 3, 1)),  # no leap day
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
    ],
)
def test_due_date_in_calendar_days(start: date, days: int, expected: date) -> None:
    assert due_date(start, days, working_days=False, holidays=[expected]) == expected


def test_due_date_refuses_negative_days() -> None:
    with pytest.raises(ValueError, match="negative"):
        due_date(TODAY, -1, working_days=True)


@pytest.mark.parametrize(("clock", "hours"), [(8, -4), (10, 0), (13, 0), (15, 4), (21, 8), (1, -12)])
def test_the_slot_shift_puts_the_demo_running_slot_at_the_real_time(clock: int, hours: int) -> None:
    from strikeboard.demo.redate import slot_hours

    assert slot_hours(datetime(2026, 11, 25, clock, 22, tzinfo=ZONE), ZONE) == hours


def test_a_live_copy_has_people_on_the_line_at_the_real_time_of_day(sample: Path, tmp_path: Path) -> None:
    from strikeboard.services.shifts import today_board

    now = datetime.combine(TODAY + timedelta(days=3), datetime.min.time(), ZONE).replace(hour=19, minute=40)
    out = tmp_path / "live.db"
    demo.copy_redated(sample, out, now.date(), now=now)
    store = open_store(str(out))
    with store.read() as session:
        board = today_board(session, now.date(), ZONE, now)
    store.close()
    running = [row for row in board if row.running(now)]
    assert running and all(row.starts_at.astimezone(ZONE).hour == 18 for row in running)
    assert sum(row.signed_in_now for row in running) > 0


def _available_pairs(path: Path, first: date, last: date) -> dict[tuple[str, str], bool]:
    """Each (shift, member) assignment on an open shift: inside the member's availability (as the
    scheduler sees it)?"""
    from strikeboard.services.schedule import load_problem

    store = open_store(str(path))
    try:
        with store.read() as session:
            problem = load_problem(session, first, last).problem
    finally:
        store.close()
    windows = {v.key: v.windows for v in problem.volunteers}
    shifts = {s.key: s for s in problem.shifts if s.open}
    return {
        (p.shift, p.volunteer): any(
            a <= shifts[p.shift].start and shifts[p.shift].end <= b for a, b in windows.get(p.volunteer, ())
        )
        for p in (*problem.fixed, *problem.current)
        if p.shift in shifts
    }


@pytest.mark.parametrize("clock", [(23, 40), (0, 40), (15, 10)])
def test_a_live_copy_moves_availability_with_the_shifts(
    sample: Path, tmp_path: Path, clock: tuple[int, int]
) -> None:
    """Windows and exceptions move by the same slots as the shifts: the scheduler finds the
    same people available for the same shifts as on a copy that did not move by hours."""
    from strikeboard.demo.redate import slot_hours

    day = TODAY + timedelta(days=2)
    now = datetime.combine(day, datetime.min.time(), ZONE).replace(hour=clock[0], minute=clock[1])
    assert slot_hours(now, ZONE) != 0
    still, moved = tmp_path / "still.db", tmp_path / "moved.db"
    demo.copy_redated(sample, still, day)
    demo.copy_redated(sample, moved, day, now=now)
    first, last = day - timedelta(days=4), day + timedelta(days=6)
    before, after = _available_pairs(still, first, last), _available_pairs(moved, first, last)
    both = before.keys() & after.keys()
    assert len(both) > 100
    assert sum(before[pair] for pair in both) > 100
    assert {pair for pair in both if before[pair]} == {pair for pair in both if after[pair]}
    with sqlite3.connect(moved) as conn:
        outside = "SELECT count(*) FROM availability_window WHERE start_minute < 0 OR start_minute >= 1440"
        assert conn.execute(outside).fetchone() == (0,)
