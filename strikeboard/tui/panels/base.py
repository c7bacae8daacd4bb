"""What every tab's panel shares: the data context, worker-failure reporting, table filling."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from rich.style import Style
from rich.text import Text
from textual.containers import Vertical
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import DataTable, Static, TabPane
from textual.worker import Worker, WorkerState

from strikeboard.tui.messages import PanelReady, WorkFailed

if TYPE_CHECKING:
    from strikeboard.tui.data import Gateway


@dataclass(frozen=True)
class PanelContext:
    """What a panel needs to load data: the gateway and the clock."""

    gateway: Gateway
    clock: Callable[[], datetime]  # returns an aware instant

    @property
    def zone(self) -> ZoneInfo:
        """The strike's time zone."""
        return self.gateway.zone

    def now(self) -> datetime:
        """The current instant, in the strike's zone."""
        return self.clock().astimezone(self.zone)

    def today(self) -> date:
        """The strike's local calendar date."""
        return self.now().date()


#: Below this terminal width, panels cut long names harder (see :attr:`DataPanel.narrow`).
NARROW_WIDTH = 100

#: Free text longer than this is cut with "…" so one long value cannot widen a column.
MAX_CELL = 32

#: One table row: its key (a database id) and its cells by column key.
Row = tuple[str, Mapping[str, Text]]


def cell(value: object, style: Style | str = "", *, limit: int = MAX_CELL) -> Text:
    """A table cell shown literally: user text like ``[steward] Ann`` is never markup."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def add_columns(table: DataTable[Any], columns: Sequence[tuple[str, str]]) -> None:
    """Add ``(label, key)`` columns to ``table`` (keys make ``sort``/``update_cell`` work)."""
    for label, key in columns:
        table.add_column(label, key=key)


def refill(table: DataTable[Any], rows: Iterable[Row]) -> None:
    """Replace ``table``'s rows (keyed by database id), keeping the cursor on the same row.

    Cells are given by column key, so the column order is decided in one place (the
    panel's ``COLUMNS``). Column widths are measured here and set explicitly: DataTable
    otherwise measures on idle, only ever widens a column, and can keep lines it drew
    with the old widths.
    """
    columns = [(column.label, column.key.value or "") for column in table.ordered_columns]
    lines = [(key, [cells.get(column, Text("")) for _, column in columns]) for key, cells in rows]
    widths = [
        max([label.cell_len, *(line[index].cell_len for _, line in lines)])
        for index, (label, _) in enumerate(columns)
    ]
    cursor_key: str | None = None
    if table.row_count and table.is_valid_row_index(table.cursor_row):
        cursor_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
    scroll_x = table.scroll_x
    table.clear(columns=True)
    for (label, key), width in zip(columns, widths, strict=True):
        table.add_column(label, key=key, width=width)
    for key, line in lines:
        table.add_row(*line, key=key)
    if cursor_key is not None and cursor_key in table.rows:
        table.move_cursor(row=table.get_row_index(cursor_key), animate=False)
    table.scroll_x = scroll_x


class DataPanel(Vertical):
    """A tab's content. Loads through the gateway in thread workers once connected.

    Worker failures are turned into :class:`WorkFailed` messages that bubble to the app,
    which reports every failure in one place.
    """

    #: What this panel loads, for error messages ("Could not load {what}").
    what: ClassVar[str] = "data"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.context: PanelContext | None = None
        self._narrow: bool | None = None

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)
        self._narrow = self.narrow
        self.post_message(PanelReady(self))

    @property
    def narrow(self) -> bool:
        """True in a small terminal: long names are cut shorter so key columns stay in view."""
        return (self.size.width or self.app.size.width) < NARROW_WIDTH

    def on_resize(self) -> None:
        """Re-render when the terminal crosses between narrow and wide."""
        if self.narrow != self._narrow:
            self._narrow = self.narrow
            self.call_after_refresh(self.redraw)  # not mid-layout: DataTable measures on idle

    def connect(self, context: PanelContext) -> None:
        """Start showing data from ``context`` (called once the store is open)."""
        self.context = context
        self.reload()

    def reload(self) -> None:
        """Load (again) from the database in a worker; no-op until connected."""
        if self.context is not None:
            self.load(self.context)

    def load(self, context: PanelContext) -> None:
        """Start the worker that loads this panel's data (subclasses)."""
        raise NotImplementedError

    def redraw(self) -> None:
        """Re-render the last loaded data (e.g. after a theme change). Subclasses override."""

    def show_unavailable(self, reason: str) -> None:
        """Say why there is no data (the database could not be opened)."""
        self.status.update(reason)

    def focus_main(self) -> None:
        """Focus the panel's main widget (its table), at once.

        ``Widget.focus()`` is deferred, so a key typed right after a tab switch ("2" then
        "n") would still go to the previous tab's table; setting the focus now avoids that.
        """
        self.focus_now(self.query_one(DataTable))

    def focus_now(self, widget: Widget) -> None:
        """Give ``widget`` the focus immediately (see :meth:`focus_main`).

        ``TabPane.Focused`` is suppressed: it would arrive later and make the pane of
        this widget the active tab again, undoing a tab switch the user made meanwhile
        (keys "4" "3" typed quickly ended on tab 4). The widget is on the active tab.
        """
        with self.prevent(TabPane.Focused):
            self.screen.set_focus(widget)

    @property
    def status(self) -> Static:
        """The panel's one-line status."""
        return self.query_one(".status", Static)

    def theme_style(self, variable: str, *, bold: bool = False) -> Style:
        """A Rich style in the current theme's colour ``variable`` (e.g. ``text-error``)."""
        colour = self.app.theme_variables.get(variable, "")
        try:
            return Style.parse(colour) + Style(bold=bold)
        except Exception:  # a variable that is not a plain colour: fall back to the default
            return Style(bold=bold)

    def _on_theme_changed(self, _theme: Theme) -> None:
        self.redraw()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a failed load to the app (the one place failures are shown)."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            event.stop()
            self.post_message(WorkFailed(f"load {self.what}", event.worker.error))
