"""A table that shows any number of rows by painting only the visible ones (Textual's Line API).

Textual's ``DataTable`` measures every cell when rows are added (≈2 s for 5,000 rows), so
big lists use this instead. Columns are declared up front with their widths (nothing is
measured); the rows come from a data source ``fetch(offset, limit)``, asked for one page
(:data:`PAGE` rows) at a time and only for the pages in or next to the visible window.

Where the fetching runs: the owner's worker loads the row count and the first page in a
thread and hands both to :meth:`VirtualTable.reset`; every further page is fetched in a
thread worker of this widget, so the UI thread never waits on the database. Until a page
arrives its rows paint as dim "…" placeholders. Measured (bench_grievances_tab, 5,000
cases): a page of 100 grievances takes 4–7 ms on SQLite; the pages one screen above and
below the window are fetched ahead, so arrows and PgUp/PgDn rarely meet a placeholder,
and after a jump (End, a drag of the scrollbar) the rows paint ≈45 ms after the key.
Fetching synchronously in the UI thread would avoid the placeholders but block the
screen on every page (and on a busy disk); the worker keeps the database off it.
Pages are cached until the next :meth:`~VirtualTable.reset`.

Rows have a key (a database id): after a reset the cursor stays on the same record when
the owner says where it went (``cursor=``) or when it is in the new first page.

Row-level updates: a reset whose rows all fit in ``first`` (as the previous ones did)
repaints only the lines whose row is a different object, and moving the cursor repaints
its two lines; painted lines are also kept while their row is the same object at the same
place. So an owner that resets with mostly the same row objects (the Sign-in desk after
one sign-in) gets only the changed lines rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: Rows asked of the data source at a time.
PAGE = 100

#: Row style names a row may carry; each is the component class ``virtual-table--{name}``.
ROW_STYLES = ("error", "warning", "success", "muted")

#: Painted lines kept at most (see :meth:`VirtualTable.render_line`); beyond, the cache starts again.
LINE_CACHE = 1000


@dataclass(frozen=True)
class Column:
    """A declared column: ``width`` in cells (the minimum when ``grow`` shares out spare width)."""

    key: str
    label: str
    width: int
    justify: Literal["left", "center", "right"] = "left"
    grow: bool = False
    row_style: bool = True  # painted in the row's style (e.g. overdue red); False keeps it plain


class VirtualRow(NamedTuple):
    """One row: its ``key`` (a database id), cells by column key, and a style name (``ROW_STYLES``)."""

    key: str
    cells: Mapping[str, Text]
    style: str = ""


Fetch = Callable[[int, int], Sequence[VirtualRow]]


class VirtualTable(ScrollView, can_focus=True):
    """A header line and ``total`` rows paged from ``fetch``, with a row cursor."""

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        & > .virtual-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .virtual-table--odd { background: $surface-lighten-1 50%; }
        & > .virtual-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .virtual-table--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
        }
        & > .virtual-table--placeholder { color: $text-muted; }
        & > .virtual-table--error { color: $text-error; text-style: bold; }
        & > .virtual-table--warning { color: $text-warning; text-style: bold; }
        & > .virtual-table--success { color: $text-success; }
        & > .virtual-table--muted { color: $text-muted; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--odd",
        "virtual-table--cursor",
        "virtual-table--placeholder",
        *(f"virtual-table--{name}" for name in ROW_STYLES),
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move_to(0)", "First row", show=False),
        Binding("end", "move_to(-1)", "Last row", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    @dataclass
    class RowHighlighted(Message):
        """The cursor moved to row ``index`` (``key`` is ``None`` while its page is loading)."""

        table: VirtualTable
        index: int
        key: str | None

        @property
        def control(self) -> VirtualTable:
            """The table (for ``@on(..., "#id")``)."""
            return self.table

    @dataclass
    class RowSelected(Message):
        """Enter (or a click on the cursor row) chose the row ``key``."""

        table: VirtualTable
        index: int
        key: str

        @property
        def control(self) -> VirtualTable:
            """The table (for ``@on(..., "#id")``)."""
            return self.table

    @dataclass
    class FetchFailed(Message):
        """The data source raised ``error`` while fetching a page (it is not retried until a reset)."""

        table: VirtualTable
        error: Exception

        @property
        def control(self) -> VirtualTable:
            """The table (for ``@on(..., "#id")``)."""
            return self.table

    @dataclass
    class HeaderClicked(Message):
        """The header of column ``key`` was clicked (the owner may sort by it)."""

        table: VirtualTable
        key: str

        @property
        def control(self) -> VirtualTable:
            """The table (for ``@on(..., "#id")``)."""
            return self.table

    @dataclass
    class _PageLoaded(Message):
        generation: int
        page: int
        rows: Sequence[VirtualRow] | None  # None: the fetch failed (see FetchFailed)

    def __init__(
        self, columns: Sequence[Column], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = tuple(columns)
        self.total = 0
        self.cursor = 0
        self._fetch: Fetch | None = None
        self._pages: dict[int, Sequence[VirtualRow]] = {}
        self._pending: set[int] = set()
        self._generation = 0
        self._widths: tuple[int, list[int]] = (-1, [])
        #: Painted lines by row key: the row painted, what else the line depended on, the strip.
        self._lines: dict[str, tuple[VirtualRow, tuple[object, ...], Strip]] = {}
        #: The column the rows are sorted by (shown with an arrow in the header), if any.
        self.sort_key: str | None = None
        self.sort_descending = False

    # -- data ------------------------------------------------------------------------------

    def reset(
        self, total: int, fetch: Fetch, *, first: Sequence[VirtualRow] = (), cursor: int | None = None
    ) -> None:
        """Show ``total`` rows from ``fetch``; ``first`` is page 0 if already loaded.

        ``cursor`` is where the cursor goes; by default it stays on the same key if that is
        in ``first``, else on the same index.
        """
        old_key = self.cursor_key
        old_rows, old_total, old_top = self._pages.get(0, ()), self.total, int(self.scroll_y)
        self._generation += 1
        self._fetch, self.total, self._pending = fetch, max(0, total), set()
        self._pages = {0: list(first)} if first else {}
        if cursor is None and old_key is not None:
            cursor = next((i for i, row in enumerate(first) if row.key == old_key), None)
        self.virtual_size = Size(self._content_width(), self.total + 1)
        self.move_cursor(self.cursor if cursor is None else cursor, center=cursor is not None)
        self._request_window()
        whole = self.total <= len(first) and 0 < old_total <= len(old_rows)
        if whole and int(self.scroll_y) == old_top:  # all rows known, before and after: the changed ones
            self._refresh_rows(
                i
                for i in range(max(self.total, old_total))
                if i >= min(self.total, old_total) or first[i] is not old_rows[i]
            )
        else:
            self.refresh()

    def row_at(self, index: int) -> VirtualRow | None:
        """Row ``index`` if its page is loaded (``None`` while it loads or out of range)."""
        rows = self._pages.get(index // PAGE)
        offset = index % PAGE
        return rows[offset] if rows is not None and 0 <= index < self.total and offset < len(rows) else None

    @property
    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (``None``: no rows, or its page is loading)."""
        row = self.row_at(self.cursor)
        return row.key if row is not None else None

    def _request_window(self) -> None:
        """Fetch the pages of the visible rows and of one screen above and below."""
        if self._fetch is None or not self.total:
            return
        top, height = int(self.scroll_y), max(1, self.scrollable_content_region.height)
        first, last = max(0, top - height), min(self.total - 1, top + 2 * height)
        for page in range(first // PAGE, last // PAGE + 1):
            if page not in self._pages and page not in self._pending:
                self._pending.add(page)
                self._fetch_page(self._fetch, self._generation, page)

    @work(thread=True, exit_on_error=False, group="virtual-table-pages")
    def _fetch_page(self, fetch: Fetch, generation: int, page: int) -> None:
        try:
            rows = list(fetch(page * PAGE, PAGE))
        except Exception as error:  # shown by the owner; the rows stay placeholders
            self.post_message(self._PageLoaded(generation, page, None))
            self.post_message(self.FetchFailed(self, error))
            return
        self.post_message(self._PageLoaded(generation, page, rows))

    def _on_virtual_table__page_loaded(self, message: _PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # a page of the data before the last reset
        self._pending.discard(message.page)
        self._pages[message.page] = message.rows or []
        self.refresh()
        if message.page == self.cursor // PAGE:
            self.post_message(self.RowHighlighted(self, self.cursor, self.cursor_key))

    def show_sort(self, key: str | None, *, descending: bool = False) -> None:
        """Mark column ``key`` in the header as the sort (▲ ascending, ▼ descending); None: no mark."""
        self.sort_key, self.sort_descending = key, descending
        self.refresh()

    def column_at(self, x: int) -> str | None:
        """The key of the column at content offset ``x`` (scrolled sideways as shown), if any."""
        x += int(self.scroll_x)
        for column, width in zip(self.columns, self._column_widths(), strict=True):
            if x < width + 2:
                return column.key
            x -= width + 2
        return None

    # -- cursor ----------------------------------------------------------------------------

    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # minus the header line

    def move_cursor(self, index: int, *, center: bool = False) -> None:
        """Put the cursor on row ``index`` (clamped) and scroll it into view."""
        old = self.cursor
        self.cursor = max(0, min(index, self.total - 1))
        top, rows = int(self.scroll_y), self._visible_rows
        if center and not top <= self.cursor < top + rows:
            top = self.cursor - rows // 2
        elif self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + rows:
            top = self.cursor - rows + 1
        scrolled = max(0, top) != int(self.scroll_y)
        self.scroll_to(y=max(0, top), animate=False, immediate=True)
        if scrolled:
            self.refresh()
        else:
            self._refresh_rows((old, self.cursor))
        if self.total and self.cursor != old:
            self.post_message(self.RowHighlighted(self, self.cursor, self.cursor_key))

    def _refresh_rows(self, indexes: Iterable[int]) -> None:
        """Repaint the lines of rows ``indexes`` that are in view (row ``i`` is virtual line ``i + 1``)."""
        top = int(self.scroll_y)
        for index in set(indexes):
            if top <= index < top + self._visible_rows:
                self.refresh_line(index + 1)

    def action_move(self, step: int) -> None:
        """One row up (-1) or down (1)."""
        self.move_cursor(self.cursor + step)

    def action_page(self, step: int) -> None:
        """One screen up (-1) or down (1)."""
        self.move_cursor(self.cursor + step * self._visible_rows)

    def action_move_to(self, index: int) -> None:
        """The first row (0) or the last (-1)."""
        self.move_cursor(self.total - 1 if index < 0 else index)

    def action_select(self) -> None:
        """Post :class:`RowSelected` for the row under the cursor (once its page is loaded)."""
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, self.cursor, key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:  # the header: the owner may sort by the column
            key = self.column_at(offset.x)
            if key is not None:
                self.post_message(self.HeaderClicked(self, key))
            return
        index = int(self.scroll_y) + offset.y - 1
        if index < self.total:
            if index == self.cursor:
                self.action_select()
            self.move_cursor(index)

    # -- painting --------------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._request_window()

    def on_resize(self, _event: events.Resize) -> None:
        self.virtual_size = Size(self._content_width(), self.total + 1)
        self._request_window()

    def _content_width(self) -> int:
        return sum(self._column_widths()) + 2 * len(self.columns)

    def _column_widths(self) -> list[int]:
        """Each column's width: as declared, plus a share of any spare width for ``grow`` ones."""
        width = self.scrollable_content_region.width
        if self._widths[0] != width:
            widths = [column.width for column in self.columns]
            spare = width - sum(widths) - 2 * len(widths)
            growing = [i for i, column in enumerate(self.columns) if column.grow]
            for n, i in enumerate(growing):
                widths[i] += max(0, spare) // len(growing) + (n < max(0, spare) % len(growing))
            self._widths = (width, widths)
        return self._widths[1]

    def _style(self, name: str, *, partial: bool = False) -> Style:
        """A component class's style; ``partial``: only what it sets (keeps the line's background)."""
        return self.get_component_rich_style(f"virtual-table--{name}", partial=partial, default=Style())

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header (it scrolls sideways only); line ``y`` shows row ``scroll_y + y - 1``."""
        scroll_x, scroll_y = self.scroll_offset
        width = max(self.scrollable_content_region.width, self._content_width())
        base = self.rich_style
        if y == 0:
            line = self._line(
                [self._header_label(c) for c in self.columns], base + self._style("header"), Style()
            )
        elif (index := scroll_y + y - 1) >= self.total:
            return Strip.blank(self.scrollable_content_region.width, base)
        else:
            row = self.row_at(index)
            line_style = base + self._style("odd") if index % 2 else base
            if index == self.cursor:
                line_style += self._style("cursor")
            if row is None:
                cells = [Text("…", style=self._style("placeholder"))] * len(self.columns)
                line = self._line(cells, line_style, Style())
            else:
                row_style = self._style(row.style, partial=True) if row.style in ROW_STYLES else Style()
                depends = (line_style, row_style, width, scroll_x, self.scrollable_content_region.width)
                kept = self._lines.get(row.key)
                if kept is not None and kept[0] is row and kept[1] == depends:
                    return kept[2]
                cells = [row.cells.get(column.key, Text()) for column in self.columns]
                strip = self._strip(self._line(cells, line_style, row_style), width, base)
                if len(self._lines) >= LINE_CACHE:
                    self._lines.clear()
                self._lines[row.key] = (row, depends, strip)
                return strip
        return self._strip(line, width, base)

    def _strip(self, line: Text, width: int, base: Style) -> Strip:
        """``line`` padded to ``width``, rendered, and cut to the visible columns."""
        scroll_x = int(self.scroll_offset.x)
        line.align("left", width)
        strip = Strip(line.render(self.app.console), width)
        return strip.crop_extend(scroll_x, scroll_x + self.scrollable_content_region.width, base)

    def _header_label(self, column: Column) -> Text:
        """A column's label, with ▲/▼ on the sort column (see :meth:`show_sort`)."""
        if column.key != self.sort_key:
            return Text(column.label)
        return Text(f"{column.label} {'▼' if self.sort_descending else '▲'}")

    def _line(self, cells: Sequence[Text], line_style: Style, row_style: Style) -> Text:
        """The cells cut or padded to their columns' widths, one space either side."""
        line = Text(no_wrap=True, style=line_style)
        for column, width, cell in zip(self.columns, self._column_widths(), cells, strict=True):
            text = cell.copy()
            text.no_wrap = True
            text.truncate(width, overflow="ellipsis")
            text.align(column.justify, width)
            if column.row_style and row_style:  # under the cell's own styles
                styled = Text(style=row_style, no_wrap=True)
                styled.append_text(text)
                text = styled
            line.append(" ")
            line.append_text(text)
            line.append(" ")
        return line

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
