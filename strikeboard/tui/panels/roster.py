"""The Roster tab: the first page of members, searched in SQL as the user types.

Textual's DataTable measures every cell on load (about 1 s for 10k rows), so this tab
never loads the whole membership: it shows at most one page and says how many match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from strikeboard.tui.format import count
from strikeboard.tui.messages import RosterLoaded
from strikeboard.tui.panels.base import DataPanel, PanelContext, Row, add_columns, cell, refill

if TYPE_CHECKING:
    from strikeboard.services.roster import MemberPage

#: Wait this long after the last keystroke before searching (seconds).
DEBOUNCE_SECONDS = 0.15

#: Rows loaded into the table at most.
PAGE_SIZE = 200

COLUMNS = (
    ("Name", "name"),
    ("No.", "number"),
    ("Phone", "phone"),
    ("Role", "role"),
    ("Status", "status"),
    ("Unit", "unit"),
    ("Email", "email"),
)


def describe_page(page: MemberPage) -> str:
    """The honest status line for a page: what is shown out of how many."""
    query = page.query.strip()
    if not query:
        if page.truncated:
            return (
                f"Showing {len(page.rows):,} of {count(page.total, 'member')}"
                " — press / to search by name, number or phone"
            )
        return f"{count(page.total, 'member')} — press / to search by name, number or phone"
    if page.matching == 0:
        return f"No member matches “{query}” ({count(page.total, 'member')} in all)"
    if page.truncated:
        return f"Showing {len(page.rows):,} of {page.matching:,} matching “{query}” — type more to narrow"
    return f"{count(page.matching, 'member')} matching “{query}” (of {page.total:,})"


class RosterPanel(DataPanel):
    """Members (read-only), first page only, with a search box filtered in SQL."""

    what = "the roster"

    #: ("/" to search is an app key: see ``StrikeboardApp.BINDINGS``.)
    BINDINGS = [
        Binding("escape", "leave_search", "Back to the list", show=False, id="roster.leave_search"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.query_text = ""
        self._debounce: Timer | None = None
        self._last: MemberPage | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Search: name, member number or phone  (press / to come here)",
            id="roster-search",
            compact=True,
        )
        yield Static("Opening the database…", classes="status", markup=False)
        yield DataTable(id="roster-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        add_columns(self.query_one(DataTable), COLUMNS)

    def load(self, context: PanelContext) -> None:
        self._load(context, self.query_text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster")
    def _load(self, context: PanelContext, query: str) -> None:
        self.post_message(RosterLoaded(context.gateway.roster(query, PAGE_SIZE)))

    def action_search(self) -> None:
        """Focus the search box."""
        self.focus_now(self.query_one(Input))

    def action_leave_search(self) -> None:
        """Leave the search box for the list."""
        self.focus_main()

    @on(Input.Changed, "#roster-search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.reload)

    @on(Input.Submitted, "#roster-search")
    def _query_submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.reload()
        self.focus_main()

    def on_roster_loaded(self, message: RosterLoaded) -> None:
        if message.page.query != self.query_text:
            return  # typed on since: a newer search is on its way
        self._last = message.page
        self.redraw()

    def redraw(self) -> None:
        if self._last is None:
            return
        page = self._last
        rows: list[Row] = [
            (
                str(member.id),
                {
                    "name": cell(member.roster_name),
                    "number": cell(member.member_number),
                    "phone": cell(member.phone),
                    "role": cell(member.role),
                    "status": cell(member.status),
                    "unit": cell(member.unit),
                    "email": cell(member.email, limit=40),
                },
            )
            for member in page.rows
        ]
        refill(self.query_one(DataTable), rows)
        self.status.update(describe_page(page))
