"""A rows × days grid whose cells list short items (a week's shifts by gate), painted with the Line API.

One widget paints every line itself (no widget per cell): a header line with the day
labels, then each row as tall as its fullest cell, each cell listing its items one per
line in the item's style (``short``, ``no-captain``, ``covered``, ``cancelled``). The
cursor is a cell and an item in it: ← → move between days (staying on the same line of
the cell when it has one), ↑ ↓ move through the cell's items and on into the row above
or below, Home/End jump to the first/last day, PgUp/PgDn by a screen of rows, Enter
selects. Keys are rows' and items' keys (database ids), so new data keeps the cursor.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: Item kinds that have a style (component class ``week-grid--{kind}``).
KINDS = ("short", "no-captain", "covered", "cancelled")


@dataclass(frozen=True)
class GridItem:
    """One line of a cell: ``key`` (a database id), its text (and a shorter one), its kind (:data:`KINDS`)."""

    key: str
    text: str
    kind: str = ""
    short: str = ""  # shown instead of ``text`` when the column is too narrow for it


@dataclass(frozen=True)
class GridRow:
    """One row of the grid: ``key``, the label of its first column, and one tuple of items per day."""

    key: str
    label: str
    cells: tuple[tuple[GridItem, ...], ...]

    @property
    def height(self) -> int:
        """Lines the row takes: its fullest cell's items (at least one)."""
        return max([1, *(len(cell) for cell in self.cells)])


@dataclass(frozen=True)
class Cursor:
    """Where the cursor is: row and column indexes, and the item's index within the cell."""

    row: int = 0
    column: int = 0
    item: int = 0


class WeekGrid(ScrollView, can_focus=True):
    """Rows × columns of item lists with a cell/item cursor; posts :class:`Moved` and :class:`Selected`."""

    DEFAULT_CSS = """
    WeekGrid {
        background: $surface;
        color: $foreground;
        & > .week-grid--header { text-style: bold; background: $panel; color: $foreground; }
        & > .week-grid--header-today { text-style: bold reverse; color: $accent; }
        & > .week-grid--label { text-style: bold; }
        & > .week-grid--odd { background: $surface-lighten-1 50%; }
        & > .week-grid--today { background: $accent 12%; }
        & > .week-grid--rule { color: $text-muted 40%; }
        & > .week-grid--cell-cursor { background: $block-cursor-blurred-background; }
        & > .week-grid--cursor { background: $block-cursor-blurred-background; text-style: bold; }
        &:focus > .week-grid--cell-cursor { background: $block-cursor-background 35%; }
        &:focus > .week-grid--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
        }
        & > .week-grid--empty { color: $text-muted 50%; }
        & > .week-grid--short { color: $text-error; text-style: bold; }
        & > .week-grid--no-captain { color: $text-warning; }
        & > .week-grid--covered { color: $text-success; }
        & > .week-grid--cancelled { color: $text-muted; text-style: strike; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "week-grid--header",
        "week-grid--header-today",
        "week-grid--label",
        "week-grid--odd",
        "week-grid--today",
        "week-grid--rule",
        "week-grid--cell-cursor",
        "week-grid--cursor",
        "week-grid--empty",
        *(f"week-grid--{kind}" for kind in KINDS),
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("left", "day(-1)", "Previous day", show=False),
        Binding("right", "day(1)", "Next day", show=False),
        Binding("home", "day_to(0)", "First day", show=False),
        Binding("end", "day_to(-1)", "Last day", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    @dataclass
    class Moved(Message):
        """The cursor moved: row ``row_key``, column ``column``, item ``item_key`` (None: an empty cell)."""

        grid: WeekGrid
        row_key: str | None
        column: int
        item_key: str | None

        @property
        def control(self) -> WeekGrid:
            """The grid (for ``@on(..., "#id")``)."""
            return self.grid

    @dataclass
    class Selected(Message):
        """Enter (or a click on the cursor's item) on row ``row_key``, column ``column``, ``item_key``."""

        grid: WeekGrid
        row_key: str
        column: int
        item_key: str | None

        @property
        def control(self) -> WeekGrid:
            """The grid (for ``@on(..., "#id")``)."""
            return self.grid

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: tuple[str, ...] = ()
        self.corner = ""
        self.rows: tuple[GridRow, ...] = ()
        self.highlight: int | None = None  # the column painted as "today"
        self.cursor = Cursor()
        self._starts: list[int] = []  # first content line of each row
        self._lines: list[tuple[int, int]] = []  # content line -> (row, line within the row)
        self._labels: list[list[str]] = []  # each row's label, wrapped to its lines
        self._layout_width = -1
        self._styles: dict[tuple[str, bool], Style] = {}  # component styles, until the CSS or focus changes

    # -- data ------------------------------------------------------------------------------

    def set_data(
        self,
        columns: Sequence[str],
        rows: Sequence[GridRow],
        *,
        corner: str = "",
        highlight: int | None = None,
    ) -> None:
        """Show ``rows`` under the column labels; the cursor stays on the same row, column and item."""
        old_row, old_item = self.cursor_row_key, self.cursor_item_key
        self.columns, self.rows, self.corner, self.highlight = tuple(columns), tuple(rows), corner, highlight
        self._starts, self._lines = [], []
        for index, grid_row in enumerate(self.rows):
            self._starts.append(len(self._lines))
            self._lines.extend((index, line) for line in range(grid_row.height))
        self._layout_width = -1
        keys = [row.key for row in self.rows]
        row = keys.index(old_row) if old_row in keys else self.cursor.row
        row = max(0, min(row, len(self.rows) - 1))
        column = max(0, min(self.cursor.column, len(self.columns) - 1))
        item = self.cursor.item
        if self.rows and column < len(self.rows[row].cells):
            items = [entry.key for entry in self.rows[row].cells[column]]
            item = items.index(old_item) if old_item in items else item
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._lines) + 1)
        self._move(Cursor(row, column, item), announce=True)

    def cell(self, row: int, column: int) -> tuple[GridItem, ...]:
        """The items of one cell (``()`` outside the grid)."""
        if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row].cells):
            return self.rows[row].cells[column]
        return ()

    @property
    def cursor_row_key(self) -> str | None:
        """The key of the cursor's row (``None`` when there are no rows)."""
        return self.rows[self.cursor.row].key if 0 <= self.cursor.row < len(self.rows) else None

    @property
    def cursor_item(self) -> GridItem | None:
        """The item under the cursor (``None``: an empty cell)."""
        items = self.cell(self.cursor.row, self.cursor.column)
        return items[self.cursor.item] if 0 <= self.cursor.item < len(items) else None

    @property
    def cursor_item_key(self) -> str | None:
        """The key of the item under the cursor."""
        item = self.cursor_item
        return item.key if item is not None else None

    def move_to(self, row_key: str, column: int, item_key: str | None = None) -> None:
        """Put the cursor on row ``row_key``, ``column``, and item ``item_key`` if it is there."""
        keys = [row.key for row in self.rows]
        if row_key not in keys:
            return
        row = keys.index(row_key)
        items = [entry.key for entry in self.cell(row, column)]
        self._move(Cursor(row, column, items.index(item_key) if item_key in items else 0))

    # -- cursor ----------------------------------------------------------------------------

    def _move(self, cursor: Cursor, *, announce: bool = False) -> None:
        """Move to ``cursor`` (clamped), scroll its line into view, repaint, tell the owner."""
        old = self.cursor
        if not self.rows:
            self.cursor = Cursor(0, max(0, min(cursor.column, len(self.columns) - 1)), 0)
        else:
            row = max(0, min(cursor.row, len(self.rows) - 1))
            column = max(0, min(cursor.column, len(self.columns) - 1))
            items = len(self.cell(row, column))
            self.cursor = Cursor(row, column, max(0, min(cursor.item, items - 1)))
            line = self._starts[row] + self.cursor.item
            top, visible = int(self.scroll_y), self._visible_lines
            first_line = self._starts[row]
            if line < top:
                top = line if line > first_line else first_line
            elif line >= top + visible:
                top = line - visible + 1
            self.scroll_to(y=max(0, top), animate=False, immediate=True)
        self.refresh()
        if announce or self.cursor != old:
            self.post_message(self.Moved(self, self.cursor_row_key, self.cursor.column, self.cursor_item_key))

    @property
    def _visible_lines(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # minus the header line

    def action_move(self, step: int) -> None:
        """The next (1) or previous (-1) item; past the cell's edge, into the row below or above."""
        if not self.rows:
            return
        row, column, item = self.cursor.row, self.cursor.column, self.cursor.item
        count = len(self.cell(row, column))
        if 0 <= item + step < count:
            self._move(Cursor(row, column, item + step))
        elif 0 <= row + step < len(self.rows):
            below = len(self.cell(row + step, column))
            self._move(Cursor(row + step, column, 0 if step > 0 else max(0, below - 1)))

    def action_day(self, step: int) -> None:
        """The next (1) or previous (-1) column, on the same line of the cell where it can."""
        self._move(Cursor(self.cursor.row, self.cursor.column + step, self.cursor.item))

    def action_day_to(self, column: int) -> None:
        """The first (0) or last (-1) column."""
        target = len(self.columns) - 1 if column < 0 else column
        self._move(Cursor(self.cursor.row, target, self.cursor.item))

    def action_page(self, step: int) -> None:
        """About a screen of rows down (1) or up (-1)."""
        if not self.rows:
            return
        line = self._starts[self.cursor.row] + step * self._visible_lines
        line = max(0, min(line, len(self._lines) - 1))
        self._move(Cursor(self._lines[line][0], self.cursor.column, 0))

    def action_select(self) -> None:
        """Post :class:`Selected` for the cursor's cell and item."""
        row_key = self.cursor_row_key
        if row_key is not None:
            self.post_message(self.Selected(self, row_key, self.cursor.column, self.cursor_item_key))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor there; a click on the cursor's item selects it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0 or not self.rows:
            return
        line = int(self.scroll_y) + offset.y - 1
        gate_width, day_width = self._widths()
        if line >= len(self._lines) or offset.x < gate_width:
            return
        row, item = self._lines[line]
        target = Cursor(row, min(len(self.columns) - 1, (offset.x - gate_width) // day_width), item)
        if target == self.cursor and self.cursor_item is not None:
            self.action_select()
        else:
            self._move(target)

    # -- painting --------------------------------------------------------------------------

    def on_resize(self, _event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._lines) + 1)

    def on_focus(self) -> None:
        self._styles.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._styles.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """The CSS (or the theme) changed: forget the component styles."""
        self._styles.clear()
        super().notify_style_update()

    def _widths(self) -> tuple[int, int]:
        """The label column's width and each day column's (a day column starts with a rule).

        The label column gets about a fifth of the width (10 to 26 cells) plus what the
        days leave over.
        """
        width = self.scrollable_content_region.width
        days = max(1, len(self.columns))
        day = max(4, (width - max(10, min(26, width // 5))) // days)
        return max(10, width - day * days), day

    def _wrapped_labels(self, width: int) -> list[list[str]]:
        """Each row's label wrapped over its lines (cut with … when it does not fit)."""
        if self._layout_width != width:
            labels = []
            for row in self.rows:
                lines = textwrap.wrap(row.label, max(1, width - 1), break_long_words=False) or [""]
                if len(lines) > row.height:
                    lines = lines[: row.height]
                    lines[-1] = _fit(lines[-1] + "…", width - 1)
                labels.append(lines)
            self._labels, self._layout_width = labels, width
        return self._labels

    def _base_style(self) -> Style:
        """The widget's own style (colours inherited from its parents), cached like the others."""
        style = self._styles.get(("", False))
        if style is None:
            style = self._styles["", False] = self.rich_style
        return style

    def _style(self, name: str, *, partial: bool = False) -> Style:
        """A component class's style (``partial``: only what it sets), cached."""
        style = self._styles.get((name, partial))
        if style is None:
            style = self.get_component_rich_style(f"week-grid--{name}", partial=partial, default=Style())
            self._styles[name, partial] = style
        return style

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header; line ``y`` shows content line ``scroll_y + y - 1``."""
        if y == 0:
            return self._header_line()
        return self._content_line(int(self.scroll_y) + y - 1)

    def _header_line(self) -> Strip:
        width = self.scrollable_content_region.width
        gate_width, day_width = self._widths()
        header = self._base_style() + self._style("header")
        today = header + self._style("header-today", partial=True)
        rule = header + self._style("rule", partial=True)
        segments = [Segment(_fit(" " + self.corner, gate_width), header)]
        for index, label in enumerate(self.columns):
            segments.append(Segment("│", rule))
            segments.append(
                Segment(_fit(label, day_width - 1, center=True), today if index == self.highlight else header)
            )
        return Strip(segments).adjust_cell_length(width, header)

    def _content_line(self, line: int) -> Strip:
        """Content line ``line`` (0 = the first row's first line), as wide as the widget."""
        width = self.scrollable_content_region.width
        base = self._base_style()
        if not 0 <= line < len(self._lines):
            return Strip.blank(width, base)
        gate_width, day_width = self._widths()
        row_index, sub = self._lines[line]
        row = self.rows[row_index]
        line_style = base + self._style("odd") if row_index % 2 else base
        labels = self._wrapped_labels(gate_width)[row_index]
        label = labels[sub] if sub < len(labels) else ""
        segments = [Segment(_fit(" " + label, gate_width), line_style + self._style("label", partial=True))]
        cursor, focused = self.cursor, self.has_focus
        rule = self._style("rule", partial=True)
        cursor_style = self._style("cursor", partial=not focused)
        for column in range(len(self.columns)):
            items = row.cells[column] if column < len(row.cells) else ()
            style = line_style
            if column == self.highlight:
                style += self._style("today")
            on_cell = row_index == cursor.row and column == cursor.column
            if on_cell:
                style += self._style("cell-cursor")
            segments.append(Segment("│", style if on_cell else style + rule))
            if sub < len(items):
                item = items[sub]
                item_style = style + self._style(item.kind, partial=True) if item.kind in KINDS else style
                if on_cell and sub == cursor.item:
                    item_style += cursor_style
                text = item.short if item.short and cell_len(item.text) > day_width - 1 else item.text
                segments.append(Segment(_fit(text, day_width - 1), item_style))
            elif not items and sub == 0:
                empty = style + self._style("empty", partial=True)
                if on_cell and focused:
                    empty += cursor_style
                segments.append(Segment(_fit("·", day_width - 1, center=True), empty))
            else:
                segments.append(Segment(" " * (day_width - 1), style))
        return Strip(segments).adjust_cell_length(width, line_style)

    def plain_lines(self) -> list[str]:
        """Every line of the grid as plain text, header first (for tests and screen readers)."""
        return [self._header_line().text, *(self._content_line(i).text for i in range(len(self._lines)))]

    def line_segments(self, line: int) -> list[Segment]:
        """The painted segments of content line ``line`` (for tests: which style a shift is in)."""
        return list(self._content_line(line))

    def item_line(self, row_key: str, column: int, item_key: str) -> int | None:
        """The content line showing item ``item_key`` of a cell (``None``: not in the grid)."""
        keys = [row.key for row in self.rows]
        if row_key not in keys:
            return None
        row = keys.index(row_key)
        items = [entry.key for entry in self.cell(row, column)]
        return self._starts[row] + items.index(item_key) if item_key in items else None


def _fit(text: str, width: int, *, center: bool = False) -> str:
    """``text`` cut with … or padded to exactly ``width`` terminal cells."""
    if width <= 0:
        return ""
    size = cell_len(text)
    if size > width:
        return set_cell_size(text, width - 1) + "…"
    if center:
        left = (width - size) // 2
        return " " * left + text + " " * (width - size - left)
    return text + " " * (width - size)
