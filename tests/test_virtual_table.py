"""The virtual table on its own: 10,000 rows from an in-memory source, paged on demand."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from strikeboard.tui.widgets.virtual_table import PAGE, Column, VirtualRow, VirtualTable

TOTAL = 10_000
COLUMNS = (
    Column("n", "No.", 6, justify="right"),
    Column("name", "Name", 12, grow=True),
    Column("state", "State", 8, row_style=False),
)


class Source:
    """``TOTAL`` rows keyed ``k0``…; counts the pages asked for."""

    def __init__(self, total: int = TOTAL, offset_keys: int = 0) -> None:
        self.total = total
        self.offset_keys = offset_keys  # shifts every key's index (a reload after inserts)
        self.calls: list[int] = []

    def key(self, index: int) -> str:
        return f"k{index - self.offset_keys}"

    def fetch(self, offset: int, limit: int) -> Sequence[VirtualRow]:
        self.calls.append(offset)
        return [
            VirtualRow(
                self.key(i),
                {"n": Text(str(i)), "name": Text(f"[b]row {i}[/b]"), "state": Text("ok")},
                "error" if i % 7 == 0 else "",
            )
            for i in range(offset, min(offset + limit, self.total))
        ]


class TableApp(App[None]):
    def __init__(self, source: Source) -> None:
        super().__init__()
        self.source = source
        self.selected: list[str] = []
        self.highlighted: list[str | None] = []
        self.failures: list[BaseException] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="table")

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.reset(self.source.total, self.source.fetch)
        table.focus()

    def on_virtual_table_fetch_failed(self, message: VirtualTable.FetchFailed) -> None:
        self.failures.append(message.error)

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.selected.append(message.key)

    def on_virtual_table_row_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self.highlighted.append(message.key)


async def settle(app: App[None], pilot: Pilot[None]) -> None:
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


def screen_text(app: App[None]) -> str:
    table = app.query_one(VirtualTable)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_end_shows_the_last_row_and_only_visible_pages_are_fetched() -> None:
    source = Source()
    app = TableApp(source)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        table = app.query_one(VirtualTable)
        assert source.calls == [0]  # one page covers the window and the screen below it
        assert "No." in screen_text(app).splitlines()[0] and "row 0" in screen_text(app)
        await pilot.press("end")
        await settle(app, pilot)
        assert table.cursor == TOTAL - 1 and table.cursor_key == f"k{TOTAL - 1}"
        lines = screen_text(app).splitlines()
        assert f"row {TOTAL - 1}" in lines[-1] or f"row {TOTAL - 1}" in lines[-2]
        assert set(source.calls) == {0, (TOTAL // PAGE - 1) * PAGE}  # nothing in between
        await pilot.press("pageup", "pageup", "pageup", "pageup", "pageup", "pageup")
        await settle(app, pilot)
        assert len(source.calls) == len(set(source.calls)) <= 4  # each page once, the window only
        await pilot.press("home")
        await settle(app, pilot)
        assert table.cursor == 0 and source.calls.count(0) == 1  # cached


async def test_keys_move_the_cursor_and_enter_selects_by_key() -> None:
    source = Source()
    app = TableApp(source)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        table = app.query_one(VirtualTable)
        await pilot.press("down", "down", "down", "up")
        assert table.cursor == 2 and app.highlighted[-1] == "k2"
        await pilot.press("pagedown")
        assert table.cursor == 2 + table.size.height - 1  # one screen of rows (minus the header)
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [f"k{table.cursor}"]
        # a click on another row moves the cursor there; a click on the cursor row selects it
        await pilot.click(VirtualTable, offset=(3, 2))
        await pilot.pause()
        row = int(table.scroll_y) + 1
        assert table.cursor == row
        await pilot.click(VirtualTable, offset=(3, 2))
        await pilot.pause()
        assert app.selected[-1] == f"k{row}"


async def test_cursor_keeps_its_key_after_a_reset() -> None:
    source = Source()
    app = TableApp(source)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        table = app.query_one(VirtualTable)
        await pilot.press("down", "down", "down")
        assert table.cursor_key == "k3"
        # three rows were inserted at the top: k3 is now row 6; the first page says so
        moved = Source(TOTAL + 3, offset_keys=3)
        table.reset(moved.total, moved.fetch, first=moved.fetch(0, PAGE))
        assert table.cursor == 6 and table.cursor_key == "k3"
        # the owner can also say where the key went (it knows from SQL)
        table.reset(moved.total, moved.fetch, cursor=5_000)
        await settle(app, pilot)
        assert table.cursor == 5_000 and table.cursor_key == moved.key(5_000)
        assert f"row {5_000}" in screen_text(app)
        # fewer rows than the cursor: it moves to the last
        table.reset(10, Source(10).fetch)
        await settle(app, pilot)
        assert table.cursor == 9


async def test_cells_are_literal_and_rows_carry_their_style() -> None:
    source = Source(20)
    app = TableApp(source)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        table = app.query_one(VirtualTable)
        assert "[b]row 1[/b]" in screen_text(app)  # markup in a cell is shown as typed
        error = table.get_component_rich_style("virtual-table--error")
        assert error.color is not None
        line = table.render_line(1 + 7)  # row 7: style "error"
        name_segments = [s for s in line if "row 7" in s.text]
        assert name_segments and all(s.style and s.style.color == error.color for s in name_segments)
        state = [s for s in line if s.text.strip() == "ok"]  # row_style=False: not coloured
        assert state and all(s.style is None or s.style.color != error.color for s in state)


async def test_empty_and_failing_sources() -> None:
    app = TableApp(Source(0))
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(app, pilot)
        table = app.query_one(VirtualTable)
        await pilot.press("down", "end", "enter")
        assert table.cursor == 0 and table.cursor_key is None and app.selected == []

        def broken(offset: int, limit: int) -> Sequence[VirtualRow]:
            raise RuntimeError("disk gone")

        table.reset(500, broken)
        await settle(app, pilot)
        assert [str(error) for error in app.failures] == ["disk gone"]  # the owner hears of it
        assert table.row_at(0) is None and "…" in screen_text(app)  # placeholders, no crash
        assert app.is_running
