"""The Roster tab: every member, paged from SQL, searched, filtered and sorted as the user types.

The list is a :class:`~strikeboard.tui.widgets.virtual_table.VirtualTable`: the panel's
worker reads the count and the first page in one short read, and the table fetches further
pages (through the gateway, in its own thread workers) as they scroll into view, so every
member is reachable however many there are and nothing measures 100k rows. Search (name
accent- and case-insensitive, member number, phone digits, email), the role/unit/status and
strike-pay filters (several values each, ticked in the filter form of
:mod:`strikeboard.tui.forms.roster_filters`) and the sort are all applied in SQL by
:func:`strikeboard.services.roster.member_page`. The "Pay wk" column shows each member's
strike-pay standing this week: eligible, short 2.5 h, or — (not eligible).

Keys (app-level, see :data:`ROSTER_KEYS`): ``/`` search, ``f`` filters, ``s`` next sort
column, ``S`` reverse, Enter opens the member, ``a`` add, ``e`` edit, ``x`` deactivate, ``i``
import a CSV, ``X`` / ctrl+e export. Writes run in thread workers; afterwards the list is
read again with the cursor kept on the same member (``member_position``).
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from strikeboard.tui.format import count, short_day
from strikeboard.tui.forms.roster_filters import RosterChoice
from strikeboard.tui.keys import PanelKey
from strikeboard.tui.messages import MemberSaved, RosterLoaded, WorkFailed
from strikeboard.tui.panels.base import DataPanel, PanelContext, cell
from strikeboard.tui.widgets.virtual_table import PAGE, Column, VirtualRow, VirtualTable

if TYPE_CHECKING:
    from strikeboard.services.roster import RosterFilter, RosterRow
    from strikeboard.tui.data import Gateway

#: Wait this long after the last keystroke before searching (seconds): a burst of typing
#: runs one query. A keystroke after a pause searches at once (see ``_query_changed``).
DEBOUNCE_SECONDS = 0.08

#: A search this short matches nearly everyone (the slowest query: ~0.3 s at 100k members), so
#: its first keystroke always waits for the debounce: the next key usually follows.
SHORT_SEARCH = 1

#: The list's columns, in order; the keys are the service's sort names.
COLUMNS = (
    Column("name", "Name", 18, grow=True),
    Column("member_number", "No.", 7),
    Column("unit", "Unit", 8),
    Column("role", "Role", 9),
    Column("status", "Status", 8),
    Column("phone", "Phone", 15),
    Column("email", "Email", 5, grow=True),
    Column("hours_week", "Hrs/wk", 6, justify="right"),
    Column("pay", "Pay wk", 12),
    Column("last_picket", "Last picket", 10),
)

#: The columns the list can be sorted by (the strike-pay standing is a filter, not a sort).
SORTABLE = tuple(column.key for column in COLUMNS if column.key != "pay")

#: Column key → how the status line names the sort.
SORT_NAMES = {
    "name": "name",
    "member_number": "member number",
    "unit": "unit",
    "role": "role",
    "status": "status",
    "phone": "phone",
    "email": "email",
    "hours_week": "hours this week",
    "last_picket": "last picket",
}

#: Role and status choices for the filters and the member form: the store's ``Role`` and
#: ``MemberStatus``, not imported so that start-up stays lean.
ROLES = ("member", "captain", "steward", "organizer", "staff")
STATUSES = ("active", "excused", "inactive", "incomplete")


#: Every Roster-tab key ("/" search is the app's ``roster.search``); the app binds them.
ROSTER_KEYS: tuple[PanelKey, ...] = (
    PanelKey(
        "f", "action_filters", "Filter", "Filter the roster", "Roster: by role, unit, status, strike pay (f)"
    ),
    PanelKey("s", "cycle_sort", "Sort", "Sort the roster", "Roster: by the next column (s)"),
    PanelKey("a", "add_member", "Add", "Add a member", "Roster: a new member (a)"),
    PanelKey("e", "edit_member", "Edit", "Edit member", "Roster: the member under the cursor (e)"),
    PanelKey(
        "x",
        "deactivate_member",
        "Deactivate",
        "Deactivate member",
        "Roster: mark inactive, never deleted (x)",
    ),
    PanelKey("o", "open_member", "Open", "Open member", "Roster: the member's details (Enter or o)", False),
    PanelKey(
        "S", "reverse_sort", "Reverse", "Reverse the roster's sort", "Roster: descending/ascending (S)", False
    ),
    PanelKey("i", "import_members", "Import", "Import members from CSV", "Roster: preview, then apply (i)"),
    PanelKey(
        "X,ctrl+e", "export_members", "Export", "Export members to CSV", "Roster: the current filter (X)"
    ),
)


def pay_text(standing: str, short_by: float) -> str:
    """A strike-pay standing as the "Pay wk" column shows it: ``eligible``, ``short 2.5 h`` or ``—``.

    The hours missing are rounded up to a tenth (2.75 → 2.8): never less than the member needs.
    """
    if standing == "eligible":
        return "eligible"
    if standing == "short":
        return f"short {math.ceil(round(short_by * 10, 6)) / 10:g} h"
    return "—"


def roster_row(row: RosterRow) -> VirtualRow:
    """One member as a table row (every value shown literally)."""
    hours = f"{row.hours_week:.1f}" if row.hours_week else ""
    pay_style = {"eligible": "green", "short": "yellow"}.get(row.pay, "dim")
    return VirtualRow(
        str(row.id),
        {
            "name": cell(row.name, limit=60),
            "member_number": cell(row.member_number),
            "unit": cell(row.unit),
            "role": cell(row.role),
            "status": cell(row.status, "dim" if row.status == "inactive" else ""),
            "phone": cell(row.phone),
            "email": cell(row.email, limit=60),
            "hours_week": cell(hours),
            "pay": cell(pay_text(row.pay, row.short_by), pay_style),
            "last_picket": cell(f"{short_day(row.last_picket)}" if row.last_picket else "—"),
        },
        "muted" if row.status == "inactive" else "",
    )


def monday_of(day: date) -> date:
    """The Monday of ``day``'s week (hours "this week" count from it)."""
    return day - timedelta(days=day.weekday())


class RosterPanel(DataPanel):
    """Every member in a virtual table, with search, filters, sort and the member actions."""

    what = "the roster"

    DEFAULT_CSS = """
    RosterPanel #roster-chosen {
        width: auto;
        max-width: 50%;
        height: 1;
        margin-left: 1;
        color: $text-muted;
    }
    """

    #: ("/" and the keys of :data:`ROSTER_KEYS` are app keys: see ``StrikeboardApp.BINDINGS``.)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_search", "Back to the list", show=False, id="roster.leave_search"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.query_text = ""
        self.choice = RosterChoice()  # roles, units, statuses and strike-pay standings shown
        self.sort = "name"
        self.descending = False
        self._debounce: Timer | None = None
        self._last_key = 0.0  # when the search text last changed (monotonic seconds)
        self._last: RosterLoaded | None = None
        self._keep: uuid.UUID | None = None  # the member the next load puts the cursor on

    def compose(self) -> ComposeResult:
        with Horizontal(id="roster-filters"):
            yield Input(
                placeholder="/ search: name, number, phone or email",
                id="roster-search",
                compact=True,
            )
            yield Static("f filter: every member", id="roster-chosen", markup=False)
        yield Static("Opening the database…", classes="status", markup=False)
        yield VirtualTable(COLUMNS, id="roster-table")

    def on_mount(self) -> None:
        super().on_mount()
        self.table.show_sort(self.sort, descending=self.descending)

    @property
    def table(self) -> VirtualTable:
        """The list of members."""
        return self.query_one("#roster-table", VirtualTable)

    def focus_main(self) -> None:
        """Focus the list of members."""
        self.focus_now(self.table)

    # -- loading -----------------------------------------------------------------------

    @property
    def filters(self) -> tuple[str, RosterChoice, str, bool]:
        """``(search, filters, sort, descending)``: what the list shows."""
        return (self.query_text.strip(), self.choice, self.sort, self.descending)

    def roster_filter(self, gateway: Gateway, today: date) -> RosterFilter:
        """The current search, filters and sort as the gateway takes them (strike pay: ``today``'s week)."""
        choice = self.choice
        return gateway.roster_filter(
            self.query_text.strip(),
            roles=choice.roles,
            units=choice.units,
            statuses=choice.statuses,
            eligibility=choice.pay,
            pay_week=today,
            sort=self.sort,
            descending=self.descending,
        )

    def load(self, context: PanelContext) -> None:
        keep = self._keep
        if keep is None and self._last is not None and self._last.filters == self.filters:
            key = self.table.cursor_key  # a plain refresh: stay on the same member
            keep = uuid.UUID(key) if key else None
        self._keep = None
        today = context.today()
        self._load(context, self.filters, self.roster_filter(context.gateway, today), monday_of(today), keep)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster")
    def _load(
        self,
        context: PanelContext,
        filters: tuple[object, ...],
        flt: RosterFilter,
        week_start: date,
        keep: uuid.UUID | None,
    ) -> None:
        worker = get_current_worker()  # a newer load cancels this one: its query then stops early
        total, everyone, rows, position, resolved = context.gateway.roster_first_page(
            flt, PAGE, week_start=week_start, cursor=keep, cancelled=lambda: worker.is_cancelled
        )
        self.post_message(
            RosterLoaded(
                filters=filters,
                flt=resolved,  # the strike-pay set worked out once, reused for every further page
                week_start=week_start,
                total=total,
                everyone=everyone,
                rows=[roster_row(row) for row in rows],
                position=position if keep is not None else 0,
            )
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-units")
    def _load_units(self, context: PanelContext) -> None:
        units = context.gateway.unit_choices()
        self.app.call_from_thread(self._open_filters, context, units)

    def on_roster_loaded(self, message: RosterLoaded) -> None:
        """The count and first page arrived: show them; further pages load as they scroll in."""
        if message.filters != self.filters or self.context is None:
            return  # typed on since: a newer load is on its way
        self._last = message
        fetch = self._fetcher(self.context.gateway, message.flt, message.week_start)
        self.table.reset(message.total, fetch, first=message.rows, cursor=message.position)
        self.table.show_sort(self.sort, descending=self.descending)
        self._draw_status()

    @staticmethod
    def _fetcher(
        gateway: Gateway, flt: RosterFilter, week_start: date
    ) -> Callable[[int, int], list[VirtualRow]]:
        """The table's data source for one load: a page of rows, read in the table's worker."""

        def fetch(offset: int, limit: int) -> list[VirtualRow]:
            return [roster_row(row) for row in gateway.member_page(flt, offset, limit, week_start=week_start)]

        return fetch

    @on(VirtualTable.FetchFailed, "#roster-table")
    def _page_failed(self, event: VirtualTable.FetchFailed) -> None:
        event.stop()
        self.post_message(WorkFailed(f"load {self.what}", event.error))

    # -- drawing -----------------------------------------------------------------------

    def redraw(self) -> None:
        self.table.refresh()
        self._draw_status()

    def describe(self) -> str:
        """The status line: how many members are shown, of how many, filtered how, sorted how."""
        last = self._last
        if last is None:
            return ""
        query, choice, sort, descending = last.filters
        narrowing = choice.describe() if isinstance(choice, RosterChoice) else []
        if query:
            narrowing.insert(0, f"matching “{query}”")
        if not narrowing:
            shown = count(last.total, "member")
        elif last.total == 0:
            shown = f"No member {' · '.join(narrowing)} ({last.everyone:,} in all)"
        else:
            shown = f"{count(last.total, 'member')} {' · '.join(narrowing)} (of {last.everyone:,})"
        arrow = "▼" if descending else "▲"
        order = f"sorted by {SORT_NAMES.get(str(sort), str(sort))} {arrow}"
        keys = (
            " · s sort · f filter" if self.narrow else " · s/S sort · f filter · a add · i import · X export"
        )
        return f"{shown} · {order}{keys}"

    def _draw_status(self) -> None:
        self.status.update(self.describe())
        parts = self.choice.describe()
        self.query_one("#roster-chosen", Static).update(f"f filter: {' · '.join(parts) or 'every member'}")

    # -- search, filters, sort ----------------------------------------------------------

    def action_search(self) -> None:
        """Focus the search box."""
        self.focus_now(self.query_one("#roster-search", Input))

    def action_filters(self) -> None:
        """Open the filter form (tick roles, units, statuses and strike-pay standings) once the
        units are read: they are read here, not after every search (a scan of every member)."""
        if self.context is not None:
            self._load_units(self.context)

    def _open_filters(self, context: PanelContext, units: list[str]) -> None:
        from strikeboard.tui.forms.roster_filters import RosterFilterForm

        if len(self.app.screen_stack) > 1:
            return  # something else opened meanwhile
        form = RosterFilterForm(
            context.gateway,
            self.actor,
            context.today(),
            self.choice,
            roles=ROLES,
            statuses=STATUSES,
            units=units,
        )

        def chosen(summary: str | None) -> None:
            if summary is not None:
                self.set_choice(form.chosen)

        self.app.push_screen(form, chosen)

    def set_choice(self, choice: RosterChoice) -> None:
        """Show the members matching ``choice`` (from the top, like a new search)."""
        self.choice = choice
        if self._last is None or self._last.filters != self.filters:
            self.reload()
        self._draw_status()

    def action_leave_search(self) -> None:
        """Leave the search box (or a filter) for the list."""
        self.focus_main()

    @on(Input.Changed, "#roster-search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        now = time.monotonic()
        paused = now - self._last_key >= DEBOUNCE_SECONDS
        self._last_key = now
        if paused and len(event.value.strip()) != SHORT_SEARCH:
            self.reload()  # a key after a pause: no burst to wait for (the debounce would add 80 ms)
        else:
            self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.reload)

    @on(Input.Submitted, "#roster-search")
    def _query_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        if self._last is None or self._last.filters != self.filters:
            self.reload()
        self.focus_main()

    def sort_by(self, key: str, *, descending: bool | None = None) -> None:
        """Sort by column ``key``; the same column again flips the direction."""
        if key not in SORTABLE:
            return
        if descending is None:
            descending = not self.descending if key == self.sort else False
        self.sort, self.descending = key, descending
        self.table.show_sort(key, descending=descending)
        self.reload()  # from the top, like a new search

    def cycle_sort(self) -> None:
        """Sort by the next column (ascending)."""
        keys = SORTABLE
        following = keys[(keys.index(self.sort) + 1) % len(keys)] if self.sort in keys else keys[0]
        self.sort_by(following, descending=False)

    def reverse_sort(self) -> None:
        """Reverse the sort."""
        self.sort_by(self.sort, descending=not self.descending)

    @on(VirtualTable.HeaderClicked, "#roster-table")
    def _header_clicked(self, event: VirtualTable.HeaderClicked) -> None:
        event.stop()
        self.sort_by(event.key)

    # -- members -----------------------------------------------------------------------

    @property
    def cursor_member(self) -> uuid.UUID | None:
        """The member under the cursor (``None``: no rows, or its page is still loading)."""
        key = self.table.cursor_key
        return uuid.UUID(key) if key else None

    @on(VirtualTable.RowSelected, "#roster-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        self.show_member(uuid.UUID(event.key))

    def open_member(self) -> None:
        """Open the member under the cursor."""
        if (member := self.cursor_member) is not None:
            self.show_member(member)

    def show_member(self, member_id: uuid.UUID) -> None:
        """Push the member detail view of ``member_id``."""
        if self.context is None:
            return
        from strikeboard.tui.screens.member import MemberScreen

        self.app.push_screen(MemberScreen(self.context, member_id))

    def add_member(self) -> None:
        """Open the "add a member" form."""
        if self.context is None:
            return
        from strikeboard.tui.forms.member import MemberFormScreen

        self._push_form(MemberFormScreen(self.context.gateway, self.actor, self.context.today()))

    def edit_member(self, member_id: uuid.UUID | None = None) -> None:
        """Open the edit form of ``member_id`` (default: the member under the cursor)."""
        member_id = member_id or self.cursor_member
        if self.context is not None and member_id is not None:
            self._open_edit(self.context, member_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-form")
    def _open_edit(self, context: PanelContext, member_id: uuid.UUID) -> None:
        values = context.gateway.member_form(member_id)
        self.app.call_from_thread(self._show_edit, context, member_id, values)

    def _show_edit(self, context: PanelContext, member_id: uuid.UUID, values: Any) -> None:
        from strikeboard.tui.forms.member import MemberFormScreen

        if len(self.app.screen_stack) > 1 and getattr(self.app.screen, "member_id", None) != member_id:
            return  # something else opened meanwhile
        self._push_form(
            MemberFormScreen(
                context.gateway, self.actor, context.today(), member_id=member_id, initial=values
            )
        )

    def _push_form(self, form: Any) -> None:
        def saved(summary: str | None) -> None:
            if summary:
                self.member_saved(MemberSaved(summary, getattr(form, "saved_id", None)))

        self.app.push_screen(form, saved)

    def deactivate_member(self, member_id: uuid.UUID | None = None, name: str = "") -> None:
        """Ask, then mark ``member_id`` (default: under the cursor) inactive; never deletes."""
        member_id = member_id or self.cursor_member
        if self.context is None or member_id is None:
            return
        if not name:
            row = self.table.row_at(self.table.cursor)
            name = row.cells["name"].plain if row is not None and row.key == str(member_id) else "this member"
        from strikeboard.tui.forms.member import ConfirmScreen

        gateway = self.context.gateway

        def answered(yes: bool | None) -> None:
            if yes:
                self._deactivate(gateway, member_id, name)

        self.app.push_screen(
            ConfirmScreen(
                f"Deactivate {name}?",
                "They are marked inactive and left off new shifts. Their history stays; nothing is deleted.",
                yes="Deactivate",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-write")
    def _deactivate(self, gateway: Gateway, member_id: uuid.UUID, name: str) -> None:
        gateway.deactivate_member(member_id, actor=self.actor)
        self.app.call_from_thread(self.member_saved, MemberSaved(f"{name}: deactivated", member_id))

    def member_saved(self, message: MemberSaved) -> None:
        """A member was added, edited or deactivated: say so and reload, the cursor on them."""
        self.app.notify(message.summary, title="Saved", markup=False)
        if message.member_id is not None:
            self._keep = message.member_id
        self.reload()
        from strikeboard.tui.screens.member import MemberScreen

        screen = self.app.screen
        if isinstance(screen, MemberScreen):
            screen.reload()  # the member view under the form

    def import_members(self) -> None:
        """Open the import wizard (path → preview → apply)."""
        if self.context is None:
            return
        from strikeboard.tui.forms.member_import import ImportWizard

        def done(summary: str | None) -> None:
            if summary:
                self.member_saved(MemberSaved(summary, None))

        self.app.push_screen(ImportWizard(self.context.gateway, self.actor, self.context.today()), done)

    def export_members(self) -> None:
        """Open the export dialog for the current search and filters."""
        if self.context is None:
            return
        from strikeboard.tui.forms.member_export import ExportDialog

        total = self._last.total if self._last is not None else None

        def done(summary: str | None) -> None:
            if summary:
                self.app.notify(summary, title="Exported", markup=False, timeout=10)

        self.app.push_screen(
            ExportDialog(
                self.context.gateway,
                self.actor,
                self.context.today(),
                self.roster_filter(self.context.gateway, self.context.today()),
                total,
                self.describe_filter(),
            ),
            done,
        )

    def describe_filter(self) -> str:
        """The search and filters in words ("everyone", "matching “zoe” · role steward")."""
        query = self.query_text.strip()
        parts = ([f"matching “{query}”"] if query else []) + self.choice.describe()
        return " · ".join(parts) or "every member"

    @property
    def actor(self) -> str:
        """Who is making changes (the app's operator)."""
        return str(getattr(self.app, "operator", "") or "unknown")

    def on_worker_state_changed(self, event: Any) -> None:
        """Report a failed load or write (one sentence, never a traceback)."""
        from textual.worker import WorkerState

        if event.state is WorkerState.ERROR and event.worker.error is not None:
            event.stop()
            event.prevent_default()  # reported here, not again by DataPanel's handler
            what = {
                "roster-write": "deactivate the member",
                "roster-form": "open the member form",
                "roster-units": "open the filters",
            }.get(event.worker.group, f"load {self.what}")
            self.post_message(WorkFailed(what, event.worker.error))
