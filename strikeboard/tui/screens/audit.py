"""The audit view: who changed what and when, newest first, with the values before and after.

Filters by table, record (id or its first characters), person and local day; Enter in a
filter box applies them. ``v`` checks the hash chain (like ``strikeboard audit verify``).
Every value is user text and shown literally. Open it with ``AuditScreen(context)``, or
``AuditScreen(context, table="member", record=str(member_id))`` for one record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Static

from strikeboard.tui.screens.tool import ToolScreen

if TYPE_CHECKING:
    from strikeboard.services.audit import AuditRow
    from strikeboard.store.audit import ChainReport
    from strikeboard.tui.panels.base import PanelContext

#: Events listed at most (the filters narrow further).
SHOWN = 500
#: The change column is cut to this many characters (the detail below shows it all).
CHANGE_WIDTH = 80


@dataclass
class AuditLoaded(Message):
    """The events matching the filters, newest first."""

    rows: list[AuditRow]


@dataclass
class AuditChecked(Message):
    """The result of walking the hash chain."""

    report: ChainReport


def _values(values: dict[str, object] | None) -> str:
    if not values:
        return "—"
    return "\n".join(f"    {key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items())


def detail_text(row: AuditRow, when: str) -> Text:
    """Everything about one event: who, when, what, and the values before and after."""
    text = Text(f"#{row.seq}  {when}  {row.actor or '(nobody named)'}  ", style="bold")
    text.append(f"{row.action} {row.table_name} {row.record_id}".rstrip(), style="")
    text.append("\n  before:\n", style="bold")
    text.append(_values(row.before))
    text.append("\n  after:\n", style="bold")
    text.append(_values(row.after))
    return text


class AuditScreen(ToolScreen):
    """The audit trail, newest first; filters above, the chosen event's before/after below."""

    STATUS_ID = "audit-status"
    WORK_GROUPS = ("audit", "audit-verify")
    WHAT = "read the audit trail"

    DEFAULT_CSS = """
    AuditScreen #audit-filters { height: 3; }
    AuditScreen #audit-filters Input { width: 1fr; }
    AuditScreen #audit-events { height: 1fr; }
    AuditScreen #audit-detail { height: auto; max-height: 12; padding: 0 1; }
    AuditScreen #audit-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="audit.back"),
        Binding("v", "verify", "Verify chain", id="audit.verify"),
        Binding("f5", "reload", "Reload", id="audit.reload"),
    ]

    def __init__(self, context: PanelContext, *, table: str = "", record: str = "", actor: str = "") -> None:
        super().__init__()
        self.context = context
        self.initial = {"table": table, "record": record, "actor": actor}
        self.rows: list[AuditRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Audit trail: every change, newest first", id="audit-title", markup=False)
        with Horizontal(id="audit-filters"):
            yield Input(self.initial["table"], placeholder="table (member, grievance…)", id="audit-table")
            yield Input(self.initial["record"], placeholder="record id", id="audit-record")
            yield Input(self.initial["actor"], placeholder="person", id="audit-actor")
            yield Input(placeholder="day YYYY-MM-DD", id="audit-day")
        table: DataTable[Text] = DataTable(id="audit-events", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="audit-detail", markup=False)
        yield Static("Loading…", id="audit-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#audit-events", DataTable)
        for key, label in (
            ("seq", "#"),
            ("when", "When"),
            ("who", "Who"),
            ("what", "What"),
            ("record", "Record"),
            ("change", "Change"),
        ):
            table.add_column(label, key=key)
        self.set_focus(table)
        self.action_reload()

    def _text(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _when(self, row: AuditRow) -> str:
        return row.at.astimezone(self.context.zone).strftime("%Y-%m-%d %H:%M:%S")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        """Read the events again with the filters as typed."""
        day_text = self._text("#audit-day")
        day: date | None = None
        if day_text:
            try:
                day = date.fromisoformat(day_text)
            except ValueError:
                self._status(f"Day: {day_text!r} is not a date; type it as YYYY-MM-DD, e.g. 2026-11-25.")
                return
        self._status("Loading…")
        self._load(self._text("#audit-table"), self._text("#audit-record"), self._text("#audit-actor"), day)

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit")
    def _load(self, table: str, record: str, actor: str, day: date | None) -> None:
        rows = self.context.gateway.audit_events(
            table=table, record=record, actor=actor, day=day, limit=SHOWN
        )
        self.post_message(AuditLoaded(rows))

    def on_audit_loaded(self, message: AuditLoaded) -> None:
        self.rows = message.rows
        table = self.query_one("#audit-events", DataTable)
        table.clear()
        for index, row in enumerate(message.rows):
            change = row.summary()
            if len(change) > CHANGE_WIDTH:
                change = change[: CHANGE_WIDTH - 1] + "…"
            table.add_row(
                Text(str(row.seq)),
                Text(self._when(row)),
                Text(row.actor or "—"),
                Text(f"{row.action} {row.table_name}"),
                Text(row.record_id[:8]),
                Text(change),
                key=str(index),
            )
        more = " (the newest; narrow the filters to see older ones)" if len(message.rows) >= SHOWN else ""
        count = len(message.rows)
        self._status(f"{count} event{'' if count == 1 else 's'}{more} · v checks the chain")
        self._show(0)

    def _show(self, index: int) -> None:
        detail = self.query_one("#audit-detail", Static)
        if 0 <= index < len(self.rows):
            row = self.rows[index]
            detail.update(detail_text(row, self._when(row)))
        else:
            detail.update("No events match these filters.")

    @on(DataTable.RowHighlighted, "#audit-events")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(int(event.row_key.value or 0))

    def action_verify(self) -> None:
        """Walk the hash chain in a thread."""
        self._status("Checking the chain…")
        self._verify()

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit-verify")
    def _verify(self) -> None:
        self.post_message(AuditChecked(self.context.gateway.audit_verify()))

    def on_audit_checked(self, message: AuditChecked) -> None:
        report = message.report
        if report.intact:
            self._status(f"{report.events} events, chain intact.")
        else:
            self._status(f"Chain broken at event {report.broken_seq}: {report.reason}.")

    def shown_text(self) -> str:
        """The status line, the table and the detail as plain text (for tests)."""
        table = self.query_one("#audit-events", DataTable)
        lines = [str(self.query_one("#audit-status", Static).render())]
        lines += [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        lines.append(str(self.query_one("#audit-detail", Static).render()))
        return "\n".join(lines)
