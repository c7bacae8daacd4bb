"""The tables of a strike, as SQLModel classes.

Rules that hold for every table:

- Rows that can be created on more than one laptop have UUID primary keys; human
  numbers (member number, ``G-2026-0042``) are separate unique columns.
- Instants are :class:`~strikeboard.store.types.UTCDateTime` (stored UTC, read back
  aware). Calendar dates (an incident date, a holiday) are plain ``date``.
- Editable rows carry ``created_at``/``updated_at``. Check-ins, hour credits, grievance
  events and audit events are append-only: a correction is a new row.
- Enumerations are stored as short strings; the allowed values live in the ``StrEnum``
  classes below and are checked by the services, so adding a value needs no migration.

(No ``from __future__ import annotations`` here: SQLModel needs real annotations.)
"""

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from strikeboard.store.types import UTCDateTime


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def _when(**kw: Any) -> Any:
    """A UTC instant column."""
    return Field(sa_type=UTCDateTime, **kw)


def _json(default: Any) -> Any:
    """A JSON column (lists and small objects)."""
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


class Role(StrEnum):
    """What a person does in the strike."""

    MEMBER = "member"
    CAPTAIN = "captain"
    STEWARD = "steward"
    ORGANIZER = "organizer"
    STAFF = "staff"


class MemberStatus(StrEnum):
    """Whether a member can be scheduled."""

    ACTIVE = "active"
    EXCUSED = "excused"
    INACTIVE = "inactive"
    INCOMPLETE = "incomplete"  # quick-added at a gate, to be completed by an organizer


class AssignmentStatus(StrEnum):
    """The state of a person's assignment to a shift."""

    ASSIGNED = "assigned"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class AssignmentSource(StrEnum):
    """Who made an assignment."""

    MANUAL = "manual"
    AUTO = "auto"


class CheckInKind(StrEnum):
    """An append-only check-in row: a sign-in, a correction/sign-out, or a void."""

    SIGN_IN = "sign_in"
    CORRECTION = "correction"  # supersedes ``void_of`` with new in/out times
    VOID = "void"  # cancels ``void_of``


class CreditKind(StrEnum):
    """Hours credited without picketing."""

    ALTERNATIVE_DUTY = "alternative_duty"
    EXCUSED_ABSENCE = "excused_absence"


class IncidentCategory(StrEnum):
    """What happened at a gate."""

    VEHICLE = "vehicle"
    POLICE = "police"
    THREAT = "threat"
    EMPLOYER_FILMING = "employer_filming"
    INJURY = "injury"
    OTHER = "other"


class GrievanceStatus(StrEnum):
    """Where a grievance stands."""

    OPEN = "open"
    IN_ARBITRATION = "in_arbitration"
    SETTLED = "settled"
    WITHDRAWN = "withdrawn"
    WON = "won"
    LOST = "lost"


class GrievanceEventKind(StrEnum):
    """One entry in a grievance's history."""

    FILED = "filed"
    ADVANCED = "advanced"
    MEETING = "meeting"
    ANSWER = "answer"
    EXTENSION = "extension"
    NOTE = "note"
    CLOSED = "closed"
    EDITED = "edited"  # the case's own fields were corrected (the notes say what changed)


#: Every text a roster search looks in, as one SQL expression (indexed as ``ix_member_search_text``).
MEMBER_SEARCH_TEXT = "member_number || ' ' || search_key || ' ' || phone_digits || ' ' || email"


class Member(SQLModel, table=True):
    """A member of the bargaining unit (or staff), with contact and strike details."""

    __tablename__ = "member"
    __table_args__ = (
        Index("ix_member_search_key", "search_key"),
        Index("ix_member_email", "email"),
        Index("ix_member_phone_digits", "phone_digits"),
        Index("ix_member_role_status", "role", "status"),
        # The roster search scans this narrow index instead of the table (services/roster.py).
        Index("ix_member_search_text", text(f"({MEMBER_SEARCH_TEXT})")),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    member_number: str = Field(unique=True, max_length=32)
    first_name: str = Field(max_length=100)
    last_name: str = Field(default="", max_length=100)
    preferred_name: str = Field(default="", max_length=100)
    pronouns: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32)  # E.164 when it could be parsed
    phone_digits: str = Field(default="", max_length=32)
    unit: str = Field(default="", max_length=120)  # employer / bargaining unit
    department: str = Field(default="", max_length=120)
    job_title: str = Field(default="", max_length=120)
    role: str = Field(default=Role.MEMBER, max_length=20)
    status: str = Field(default=MemberStatus.ACTIVE, max_length=20)
    languages: list[str] = _json(list)
    skills: list[str] = _json(list)  # e.g. first_aid, interpreter
    accommodation_notes: str = ""
    needs_step_free: bool = False
    needs_seating: bool = False
    needs_shade: bool = False
    needs_restrooms: bool = False
    emergency_contact: str = Field(default="", max_length=200)
    notes: str = ""
    search_key: str = Field(default="", max_length=400)
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class Location(SQLModel, table=True):
    """A picket location (a studio gate), with what it offers people who need it."""

    __tablename__ = "location"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    address: str = Field(default="", max_length=300)
    notes: str = ""
    has_shade: bool = False
    has_seating: bool = False
    has_restrooms: bool = False
    step_free: bool = False
    near_transit: bool = False
    active: bool = True
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class Shift(SQLModel, table=True):
    """A picket shift at one location; occurrences of a series share ``series_id``."""

    __tablename__ = "shift"
    __table_args__ = (
        Index("ix_shift_starts_at", "starts_at"),
        Index("ix_shift_location_starts_at", "location_id", "starts_at"),
        Index("ix_shift_series_id", "series_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    location_id: uuid.UUID = Field(foreign_key="location.id")
    starts_at: datetime = _when()
    ends_at: datetime = _when()
    min_headcount: int = 1
    max_headcount: int = 1
    captain_needed: bool = True
    roles_needed: list[str] = _json(list)
    series_id: uuid.UUID | None = None
    cancelled: bool = False
    notes: str = ""
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class Availability(SQLModel, table=True):
    """A volunteer's limits and preferences; windows and exceptions hang off it."""

    __tablename__ = "availability"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    member_id: uuid.UUID = Field(foreign_key="member.id", unique=True)
    max_shifts_per_week: int | None = None
    max_hours_per_week: float | None = None
    max_shifts_per_day: int | None = None
    preferred_location_ids: list[str] = _json(list)
    excluded_location_ids: list[str] = _json(list)
    notes: str = ""
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class AvailabilityWindow(SQLModel, table=True):
    """A weekly window when a volunteer can picket, in the strike's local time."""

    __tablename__ = "availability_window"
    __table_args__ = (Index("ix_availability_window_member", "member_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    member_id: uuid.UUID = Field(foreign_key="member.id")
    weekday: int  # 0 = Monday
    start_minute: int  # minutes after local midnight
    end_minute: int  # may exceed 1440 for a window that runs past midnight


class AvailabilityException(SQLModel, table=True):
    """A dated exception: unavailable that day, or available only in a window."""

    __tablename__ = "availability_exception"
    __table_args__ = (Index("ix_availability_exception_member", "member_id", "on_date"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    member_id: uuid.UUID = Field(foreign_key="member.id")
    on_date: date
    available: bool = False
    start_minute: int | None = None
    end_minute: int | None = None
    note: str = ""


class Assignment(SQLModel, table=True):
    """A person planned on a shift."""

    __tablename__ = "assignment"
    __table_args__ = (
        UniqueConstraint("shift_id", "member_id", name="uq_assignment_shift_member"),
        Index("ix_assignment_member", "member_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    shift_id: uuid.UUID = Field(foreign_key="shift.id")
    member_id: uuid.UUID = Field(foreign_key="member.id")
    role: str = Field(default="picketer", max_length=40)  # picketer, captain, first_aid, ...
    source: str = Field(default=AssignmentSource.MANUAL, max_length=10)
    locked: bool = False
    status: str = Field(default=AssignmentStatus.ASSIGNED, max_length=20)
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class CheckIn(SQLModel, table=True):
    """An append-only sign-in record; the live state is the rows nobody voided."""

    __tablename__ = "check_in"
    __table_args__ = (
        Index("ix_check_in_shift", "shift_id"),
        Index("ix_check_in_member_in", "member_id", "in_at"),
        Index("ix_check_in_void_of", "void_of"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(default=CheckInKind.SIGN_IN, max_length=12)
    shift_id: uuid.UUID = Field(foreign_key="shift.id")
    member_id: uuid.UUID = Field(foreign_key="member.id")
    in_at: datetime = _when()
    out_at: datetime | None = _when(default=None)
    walk_in: bool = False
    void_of: uuid.UUID | None = Field(default=None, foreign_key="check_in.id")
    recorded_by: str = Field(default="", max_length=120)
    note: str = ""
    created_at: datetime = _when(default_factory=utcnow)


class HoursCredit(SQLModel, table=True):
    """Hours credited for alternative duty or an excused absence, with the approver."""

    __tablename__ = "hours_credit"
    __table_args__ = (
        Index("ix_hours_credit_member_date", "member_id", "on_date"),
        Index("ix_hours_credit_void_of", "void_of"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    member_id: uuid.UUID = Field(foreign_key="member.id")
    on_date: date
    hours: float
    kind: str = Field(default=CreditKind.ALTERNATIVE_DUTY, max_length=20)
    description: str = ""
    approved_by: str = Field(default="", max_length=120)
    void_of: uuid.UUID | None = Field(default=None, foreign_key="hours_credit.id")
    created_at: datetime = _when(default_factory=utcnow)


class Incident(SQLModel, table=True):
    """Something that happened at a gate, logged with time and place."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_occurred_at", "occurred_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    location_id: uuid.UUID = Field(foreign_key="location.id")
    shift_id: uuid.UUID | None = Field(default=None, foreign_key="shift.id")
    occurred_at: datetime = _when()
    category: str = Field(default=IncidentCategory.OTHER, max_length=20)
    description: str = ""
    reported_by: str = Field(default="", max_length=120)
    reporter_member_id: uuid.UUID | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class Grievance(SQLModel, table=True):
    """A grievance case; ``next_deadline`` is kept current by the grievance service."""

    __tablename__ = "grievance"
    __table_args__ = (
        Index("ix_grievance_status_deadline", "status", "next_deadline"),
        Index("ix_grievance_steward", "steward_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    number: str = Field(unique=True, max_length=20)  # G-2026-0042
    is_class: bool = False  # a class or union grievance
    employer: str = Field(default="", max_length=120)
    unit: str = Field(default="", max_length=120)
    articles: str = Field(default="", max_length=200)
    incident_date: date
    learned_date: date | None = None
    filed_date: date | None = None
    summary: str = ""
    remedy: str = ""
    steward_id: uuid.UUID | None = Field(default=None, foreign_key="member.id")
    is_discipline: bool = False
    step: str = Field(default="Step 1", max_length=40)
    status: str = Field(default=GrievanceStatus.OPEN, max_length=20)
    next_deadline: date | None = None
    next_deadline_label: str = Field(default="", max_length=120)
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class GrievanceGrievant(SQLModel, table=True):
    """A member named as grievant on a grievance."""

    __tablename__ = "grievance_grievant"

    grievance_id: uuid.UUID = Field(foreign_key="grievance.id", primary_key=True)
    member_id: uuid.UUID = Field(foreign_key="member.id", primary_key=True)


class GrievanceEvent(SQLModel, table=True):
    """One append-only entry of a grievance's history (filed, answer, extension, ...)."""

    __tablename__ = "grievance_event"
    __table_args__ = (Index("ix_grievance_event_grievance", "grievance_id", "occurred_on"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    grievance_id: uuid.UUID = Field(foreign_key="grievance.id")
    kind: str = Field(max_length=20)
    step: str = Field(default="", max_length=40)
    occurred_on: date
    deadline: date | None = None  # the deadline this event sets or moves
    outcome: str = Field(default="", max_length=40)
    agreed_by: str = Field(default="", max_length=120)  # for extensions
    document: str = Field(default="", max_length=300)
    notes: str = ""
    recorded_by: str = Field(default="", max_length=120)
    created_at: datetime = _when(default_factory=utcnow)


class InformationRequest(SQLModel, table=True):
    """A request to the employer for information relevant to a grievance."""

    __tablename__ = "information_request"
    __table_args__ = (Index("ix_information_request_grievance", "grievance_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    grievance_id: uuid.UUID = Field(foreign_key="grievance.id")
    requested_on: date
    due_on: date
    received_on: date | None = None
    description: str = ""
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class Setting(SQLModel, table=True):
    """One setting of the strike (name, time zone, strike-pay rule, contract limits...)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=60)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = _when(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """An append-only, hash-chained record of a change: who, when, what, before/after."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_record", "table_name", "record_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    seq: int = Field(unique=True)
    at: datetime = _when(default_factory=utcnow)
    actor: str = Field(default="", max_length=120)
    action: str = Field(max_length=20)  # create, update, delete, export, ...
    table_name: str = Field(max_length=40)
    record_id: str = Field(default="", max_length=64)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


# --------------------------------------------------------------------------- offline merge (issue 8)


class SyncNode(SQLModel, table=True):
    """This database's identity for offline merging and its hybrid logical clock (one row)."""

    __tablename__ = "sync_node"

    id: int = Field(default=1, primary_key=True)
    node_id: str = Field(max_length=32)  # random hex, made once (again when the file was copied)
    home: str = Field(default="", max_length=500)  # where the node id was made: host and file
    clock: int = Field(default=0, sa_type=BigInteger)  # the newest HLC issued or seen
    last_export: int = Field(default=0, sa_type=BigInteger)  # the clock at the previous export
    created_at: datetime = _when(default_factory=utcnow)


class SyncVersion(SQLModel, table=True):
    """The hybrid-logical-clock version of one row of a synced table (or its tombstone)."""

    __tablename__ = "sync_version"
    __table_args__ = (Index("ix_sync_version_changed", "changed"),)

    table_name: str = Field(primary_key=True, max_length=40)
    row_id: str = Field(primary_key=True, max_length=80)
    hlc: int = Field(sa_type=BigInteger)  # 0: a row written in bulk, older than any edit
    node: str = Field(default="", max_length=32)  # the node that wrote this version
    deleted: bool = False  # a tombstone
    stamp: datetime | None = _when(default=None)  # the row's updated_at when this version was recorded
    changed: int = Field(sa_type=BigInteger)  # the local clock when this database stored it


class SyncAlias(SQLModel, table=True):
    """A row merged into another (the same member created on two laptops): old id → kept id."""

    __tablename__ = "sync_alias"

    table_name: str = Field(primary_key=True, max_length=40)
    old_id: str = Field(primary_key=True, max_length=80)
    new_id: str = Field(max_length=80)


class SyncPeer(SQLModel, table=True):
    """Another database whose changes were merged here, and when."""

    __tablename__ = "sync_peer"

    node_id: str = Field(primary_key=True, max_length=32)
    last_merged_at: datetime = _when()
    last_hlc: int = Field(default=0, sa_type=BigInteger)  # the peer's clock in its newest bundle
    source: str = Field(default="", max_length=500)  # the bundle or file last merged
    rows: int = 0  # rows changed here by that merge


class SyncGrievanceText(SQLModel, table=True):
    """One version of a grievance's text, with the version it replaced (to find parallel edits)."""

    __tablename__ = "sync_grievance_text"

    grievance_id: uuid.UUID = Field(primary_key=True)
    hlc: int = Field(primary_key=True, sa_type=BigInteger)
    node: str = Field(primary_key=True, max_length=32)
    prev_hlc: int = Field(default=0, sa_type=BigInteger)
    prev_node: str = Field(default="", max_length=32)
    summary: str = ""
    remedy: str = ""


class SyncConflict(SQLModel, table=True):
    """A grievance text edited on two laptops at once: the version not shown, for a person to settle."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_grievance", "grievance_id"),)

    id: uuid.UUID = Field(primary_key=True)  # derived from the grievance, field and version
    grievance_id: uuid.UUID
    field: str = Field(max_length=20)  # summary or remedy
    other_value: str = ""  # the parallel edit that is not the case's current text
    other_hlc: int = Field(default=0, sa_type=BigInteger)
    other_node: str = Field(default="", max_length=32)
    detected_at: datetime = _when(default_factory=utcnow)
