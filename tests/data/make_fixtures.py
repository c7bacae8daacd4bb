"""Build ``tests/data/schema_0001.db``: a small database as release 0.1 (schema ``0001_initial``) wrote it.

FROZEN: ``schema_0001.db`` is committed and must never be regenerated once a later
revision exists. It stands for a file that a strike already has on its laptop; the
upgrade test (tests/test_migrations.py) opens a copy with the current code and checks
that every row survived. If it were rebuilt with newer code it would stop being an old
file and the test would prove nothing. For a later schema, write ``schema_0002.db`` etc.
with a new script beside this one.

The schema is made by running the Alembic migrations up to exactly ``0001_initial``
(never "head"), and the rows are written as plain SQL in the storage format the
0001 code used (UUIDs as 32 hex digits, instants as naive UTC text, JSON as text,
booleans 0/1), so the script keeps describing the old format even after the models move on.

Run from the repository root: ``.venv/bin/python tests/data/make_fixtures.py``
(it refuses to overwrite an existing file).
"""

import sqlite3
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

import strikeboard.store.db

HERE = Path(__file__).resolve().parent
OUT = HERE / "schema_0001.db"
REVISION = "0001_initial"

LOCATION = "11111111111111111111111111111111"
MEMBERS = ("a1000000000000000000000000000001", "a1000000000000000000000000000002")
SHIFT = "5a000000000000000000000000000001"
ASSIGNMENT = "5b000000000000000000000000000001"
CHECK_IN = "c1000000000000000000000000000001"
GRIEVANCE = "6a000000000000000000000000000001"
EVENT = "6e000000000000000000000000000001"
T0 = "2026-11-20 16:00:00.000000"  # 08:00 in Los Angeles


def build(out: Path) -> None:
    """Create ``out`` at revision 0001_initial and fill it with a handful of rows."""
    engine = create_engine(f"sqlite:///{out}")
    cfg = Config()
    migrations = Path(strikeboard.store.db.__file__).with_name("migrations")
    cfg.set_main_option("script_location", str(migrations))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, REVISION)
    engine.dispose()

    db = sqlite3.connect(out)
    with db:
        db.execute(
            "INSERT INTO location (id, name, address, notes, has_shade, has_seating, has_restrooms,"
            " step_free, near_transit, active, created_at, updated_at)"
            " VALUES (?, 'Gate 4 – Pico', '10201 W Pico Blvd', '', 1, 0, 1, 1, 0, 1, ?, ?)",
            (LOCATION, T0, T0),
        )
        people = [
            (
                MEMBERS[0],
                "W0001",
                "Zoë",
                "O'Brien",
                "zoe o'brien",
                "captain",
                '["en", "fr"]',
                '["first_aid"]',
            ),
            (MEMBERS[1], "W0002", "Ana", "Núñez", "ana nunez", "steward", '["es"]', "[]"),
        ]
        for uid, number, first, last, key, role, languages, skills in people:
            db.execute(
                "INSERT INTO member (id, member_number, first_name, last_name, preferred_name, pronouns,"
                " email, phone, phone_digits, unit, department, job_title, role, status, languages,"
                " skills, accommodation_notes, needs_step_free, needs_seating, needs_shade,"
                " needs_restrooms, emergency_contact, notes, search_key, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, '', '', '', '+13105550100', '13105550100', 'WGA West', '', '',"
                " ?, 'active', ?, ?, '', 0, 0, 0, 0, '', '', ?, ?, ?)",
                (uid, number, first, last, role, languages, skills, key, T0, T0),
            )
        db.execute(
            "INSERT INTO shift (id, location_id, starts_at, ends_at, min_headcount, max_headcount,"
            " captain_needed, roles_needed, series_id, cancelled, notes, created_at, updated_at)"
            " VALUES (?, ?, ?, '2026-11-20 20:00:00.000000', 4, 12, 1, '[\"first_aid\"]', NULL, 0, '', ?, ?)",
            (SHIFT, LOCATION, T0, T0, T0),
        )
        db.execute(
            "INSERT INTO assignment (id, shift_id, member_id, role, source, locked, status, created_at,"
            " updated_at) VALUES (?, ?, ?, 'captain', 'manual', 1, 'assigned', ?, ?)",
            (ASSIGNMENT, SHIFT, MEMBERS[0], T0, T0),
        )
        db.execute(
            "INSERT INTO check_in (id, kind, shift_id, member_id, in_at, out_at, walk_in, void_of,"
            " recorded_by, note, created_at) VALUES (?, 'sign_in', ?, ?, '2026-11-20 16:05:00.000000',"
            " NULL, 0, NULL, 'Zoë', '', '2026-11-20 16:05:01.000000')",
            (CHECK_IN, SHIFT, MEMBERS[0]),
        )
        db.execute(
            "INSERT INTO grievance (id, number, is_class, employer, unit, articles, incident_date,"
            " learned_date, filed_date, summary, remedy, steward_id, is_discipline, step, status,"
            " next_deadline, next_deadline_label, created_at, updated_at) VALUES (?, 'G-2026-0001', 0,"
            " 'Studio A', 'WGA West', 'Art. 12', '2026-11-02', NULL, '2026-11-09', 'Pickets blocked',"
            " 'Make whole', ?, 0, 'Step 1', 'open', '2026-11-23', 'Employer answer due', ?, ?)",
            (GRIEVANCE, MEMBERS[1], T0, T0),
        )
        db.execute(
            "INSERT INTO grievance_grievant (grievance_id, member_id) VALUES (?, ?)", (GRIEVANCE, MEMBERS[0])
        )
        db.execute(
            "INSERT INTO grievance_event (id, grievance_id, kind, step, occurred_on, deadline, outcome,"
            " agreed_by, document, notes, recorded_by, created_at) VALUES (?, ?, 'filed', 'Step 1',"
            " '2026-11-09', '2026-11-23', '', '', '', '', 'Ana', ?)",
            (EVENT, GRIEVANCE, T0),
        )
        db.execute(
            "INSERT INTO setting (key, value, updated_at) VALUES ('strike_name', '\"WGA 2023\"', ?)", (T0,)
        )
    db.execute("VACUUM")  # one compact file, rollback-journal mode, no -wal beside it
    db.close()


def main() -> int:
    """Write the fixture unless it is already there."""
    if OUT.exists():
        print(f"{OUT} exists and is frozen: not rebuilding it (see this script's docstring).")
        return 1
    build(OUT)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
