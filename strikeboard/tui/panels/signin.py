"""The Sign-in tab: a captain at a gate signs people in and out, keyboard only.

Two views. First *today's board* (every shift, by gate: who is on the line, whether a
captain is): Enter on a row picks that gate, remembered for the session (ctrl+g picks
another). Then the gate's *desk*: the shift the clock says (ctrl+← / ctrl+→ for another),
the headcount in large digits, the captain, and everyone expected plus the walk-ins.

The cursor lives in the type-ahead box. Matches (name, member number, phone digits) show
as you type; Enter signs in the one exact match (a whole member number, as a barcode
reader types it, or the only match) or the one chosen with ↑/↓; no match opens the
quick-add form. Each write runs in a thread worker through the gateway and is shown as
done only after it has committed (the list is read again after the commit). A sign-in is
shown the moment its transaction commits, from what the write returned, in one frame (box
cleared, row "✓ in", headcount, message); the list read again follows a few ms later.
Errors from the services are one line under the box; nothing is half-written.
"""

from __future__ import annotations

import gc
import time
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.timer import Timer
from textual.widgets import DataTable, Digits, Input, Static

from strikeboard.tui.format import count, headcount, names, short_day, time_range
from strikeboard.tui.keys import PanelKey
from strikeboard.tui.messages import SignInLoaded
from strikeboard.tui.panels.base import DataPanel, PanelContext, Row, add_columns, cell, refill
from strikeboard.tui.widgets.virtual_table import PAGE, Column, VirtualRow, VirtualTable

if TYPE_CHECKING:
    from strikeboard.services.shift_people import Person
    from strikeboard.services.shifts import BoardShift
    from strikeboard.services.signin import Candidate, Matches, SignedIn
    from strikeboard.tui.data_signin import Desk, Done


def _key(keys: str, method: str, word: str, title: str, help: str, *, show: bool = True) -> PanelKey:
    """A Sign-in key: a ctrl/function key, so it works while the cursor is in the box."""
    return PanelKey(keys, method, word, title, f"Sign-in: {help} ({keys})", show=show, while_typing=True)


#: The Sign-in-tab keys; the app binds them (see :mod:`strikeboard.tui.keys`).
SIGNIN_KEYS: tuple[PanelKey, ...] = (
    _key("ctrl+n", "quick_add", "Quick-add", "Quick-add and sign in", "add someone not on the roster"),
    _key("ctrl+o", "sign_out", "Sign out", "Sign out", "sign out the highlighted person"),
    _key("ctrl+z", "undo_sign_in", "Undo", "Undo sign-in", "void the highlighted person's sign-in"),
    _key("ctrl+e", "close_shift", "Close shift", "Close shift", "sign out everyone still in at its end"),
    _key("ctrl+t", "mark_no_shows", "No-shows", "Mark no-shows", "mark who never came, once it has ended"),
    _key("ctrl+g", "change_gate", "Gate", "Pick another gate", "back to today's board"),
    _key(
        "ctrl+left", "previous_shift", "Prev shift", "Previous shift", "the gate's earlier shift", show=False
    ),
    _key("ctrl+right", "next_shift", "Next shift", "Next shift", "the gate's later shift", show=False),
)

#: Reload this often (seconds): people sign in at other laptops.
AUTO_REFRESH_SECONDS = 5

#: A write not committed within this many seconds says "Signing in…" (a busy disk, another writer).
PENDING_SECONDS = 0.25

#: Matches found at most (↑↓ go through them), and how many lines show at once.
MATCH_LIMIT = 8
MATCH_LINES = 4

#: Why a mistaken sign-in was voided (kept on the void row).
UNDO_REASON = "mistaken sign-in (undone at the gate)"

BOARD_COLUMNS = (
    ("Gate", "gate"),
    ("Time", "time"),
    ("State", "state"),
    ("In now/need", "in_now"),
    ("Captain", "captain"),
    ("Assigned", "assigned"),
    ("Came", "came"),
)

#: The desk's list: a VirtualTable paints one line per row (a DataTable renders every cell
#: through Rich: re-painting a 20-row list after each sign-in cost ~30 ms).
PEOPLE_COLUMNS = (
    Column("state", "", 10),
    Column("name", "Name", 22, grow=True),
    Column("number", "No.", 10),
    Column("role", "Role", 9),
    Column("in", "In", 5),
    Column("out", "Out", 5),
    Column("hours", "Hours", 5, justify="right"),
    Column("flag", "Note", 24, grow=True),
)

STATE_WORDS = {
    "in": "✓ in",
    "out": "out",
    "expected": "· expected",
    "no_show": "✗ no-show",
    "cancelled": "cancelled",
}


class SignInBox(Input):
    """The type-ahead box. Its size is fixed by CSS, so the text's width changing with each key
    needs no layout pass (Input's virtual size asks for one: a whole-screen reflow, ~5 ms a key)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


@dataclass
class DeskLoaded(Message):
    """A gate's desk, read in a worker."""

    desk: Desk


@dataclass
class SignInCommitted(Message):
    """A sign-in's transaction committed (posted before the list is read again): show it now."""

    shift_id: uuid.UUID
    match: Candidate
    signed: SignedIn
    committed_at: float  # ``time.monotonic()`` just after the commit
    typed: str  # what was in the box at Enter
    text: str
    level: str  # "ok" or "warn"


@dataclass
class SignInWritten(Message):
    """A write committed: ``done`` holds the list read after the commit; ``text`` says what happened
    (``None``: already said, by :class:`SignInCommitted`)."""

    done: Done
    text: str | None
    level: str  # "ok" or "warn"
    member_id: uuid.UUID | None = None  # where the cursor goes


@dataclass
class SignInRefused(Message):
    """A write was refused (a service's sentence) or failed; nothing was written."""

    text: str
    member_id: uuid.UUID | None = None  # a sign-in's member (no longer being signed in)
    typed: str = ""  # what was in the box at Enter


class SignInPanel(DataPanel):
    """Today's board, then one gate's sign-in desk."""

    what = "the sign-in desk"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous match", show=False),
        Binding("down", "move(1)", "Next match", show=False),
        Binding("escape", "clear", "Clear the box", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._last: SignInLoaded | None = None
        self.desk: Desk | None = None  # the gate chosen (None: the board is shown)
        self._location_id: uuid.UUID | None = None
        self._shift_id: uuid.UUID | None = None
        self._shift_pinned = False  # the captain chose a shift: the clock no longer moves it
        self._matches: Matches | None = None
        self._chosen: int | None = None  # the highlighted match (None: nothing chosen yet)
        self._pending: Timer | None = None  # says "Signing in…" if a write is slow
        self._drawn: dict[str, object] = {}  # what each one-line Static of the desk shows
        self._signing: set[uuid.UUID] = set()  # sign-ins written but not yet committed
        self._held = ""  # what was typed for the last sign-in, still in the box until it commits
        self._shown_commit = 0.0  # ``time.monotonic()`` of the last commit shown ahead of its re-read
        self._styles: dict[tuple[str, str, bool], Style] = {}  # theme styles, by (theme, variable, bold)
        self._rows: tuple[str, dict[Person, VirtualRow]] = ("", {})  # rows built, for one theme

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("Opening the database…", classes="status", markup=False)
        yield DataTable(id="signin-table", cursor_type="row", zebra_stripes=True)
        with Vertical(id="signin-desk"):
            with Horizontal(id="signin-top"):
                yield Digits("0", id="signin-count")
                with Vertical(id="signin-summary"):
                    yield Static("", id="signin-shift", markup=False)
                    yield Static("", id="signin-need", markup=False)
                    yield Static("", id="signin-captain", markup=False)
            yield SignInBox(
                placeholder="Type a name, member number or phone — Enter signs in",
                id="signin-box",
                disabled=True,
            )
            yield Static(self._hint(), id="signin-matches")
            yield Static("", id="signin-message", markup=False)
            yield VirtualTable(PEOPLE_COLUMNS, id="signin-people")

    def on_mount(self) -> None:
        super().on_mount()
        add_columns(self.query_one("#signin-table", DataTable), BOARD_COLUMNS)
        self.query_one("#signin-desk").display = False
        self.set_interval(AUTO_REFRESH_SECONDS, self.reload)
        # Matches are drawn as the box's value changes (not on Input.Changed, a message hop
        # later): the key's echo and its matches then reach the screen in the same frame.
        self.watch(self.box, "value", self._typed, init=False)

    @property
    def box(self) -> Input:
        """The type-ahead box."""
        return self.query_one("#signin-box", Input)

    @property
    def people_table(self) -> VirtualTable:
        """The desk's list of people."""
        return self.query_one("#signin-people", VirtualTable)

    def focus_main(self) -> None:
        """The board's table, or (at a gate) the type-ahead box."""
        if self.desk is not None:
            self.focus_now(self.box)
        else:
            self.focus_now(self.query_one("#signin-table", DataTable))

    # -- loading ---------------------------------------------------------------------

    def load(self, context: PanelContext) -> None:
        if self._location_id is None:
            self._load_board(context)
        else:
            self._load_desk(context, self._location_id, None, self._shift_id if self._shift_pinned else None)
        self._load_index(context)

    @work(thread=True, exclusive=True, exit_on_error=False, group="signin")
    def _load_board(self, context: PanelContext) -> None:
        now = context.now()
        self.post_message(SignInLoaded(now, context.gateway.sign_in_board(now)))

    @work(thread=True, exclusive=True, exit_on_error=False, group="signin")
    def _load_desk(
        self,
        context: PanelContext,
        location_id: uuid.UUID | None,
        board_shift: uuid.UUID | None,
        shift_id: uuid.UUID | None,
    ) -> None:
        desk = context.gateway.signin_desk(
            context.now(), location_id=location_id, board_shift=board_shift, shift_id=shift_id
        )
        self.post_message(DeskLoaded(desk))

    @work(thread=True, exclusive=True, exit_on_error=False, group="signin-index")
    def _load_index(self, context: PanelContext) -> None:
        if context.gateway.signin_index_reloaded():
            gc.freeze()  # see on_desk_loaded

    def on_sign_in_loaded(self, message: SignInLoaded) -> None:
        self._last = message
        self.redraw()

    def on_desk_loaded(self, message: DeskLoaded) -> None:
        if self._location_id is not None and message.desk.location_id != self._location_id:
            return  # a late load for a gate the captain has left
        if self.desk is not None and message.desk.read_from < self._shown_commit:
            return  # read before a sign-in shown since: it would hide it (its own re-read follows)
        first = self.desk is None
        self.desk = message.desk
        self._location_id = message.desk.location_id
        self._shift_id = message.desk.people.shift_id if message.desk.people else None
        self.query_one("#signin-table").display = False
        self.query_one("#signin-desk").display = True
        self.box.disabled = False
        self.redraw()
        if first:
            self.focus_now(self.box)
            self.app.refresh_bindings()
            # What the app has loaded by now (the type-ahead index of every member, the tabs'
            # data) lives as long as it does: frozen, the cyclic GC no longer walks it. Unfrozen,
            # a full collection took up to 170 ms at WGA scale and, landing on a sign-in, was
            # the p99 of Enter → shown.
            gc.freeze()

    @on(DataTable.RowSelected, "#signin-table")
    def _gate_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a board row: sign people in at that row's gate."""
        if self.context is None or event.row_key.value is None:
            return
        self._shift_pinned = False
        self._shift_id = None
        self._load_desk(self.context, None, uuid.UUID(event.row_key.value), None)

    # -- drawing ---------------------------------------------------------------------

    def redraw(self) -> None:
        if self.context is None:
            return
        if self.desk is not None:
            self._draw_desk(self.desk)
        elif self._last is not None:
            self._draw_board(self._last.now, self._last.shifts)

    def _draw_board(self, now: datetime, shifts: list[BoardShift]) -> None:
        assert self.context is not None
        refill(self.query_one("#signin-table", DataTable), self._board_rows(shifts, now))
        running = [s for s in shifts if s.running(now)]
        gates = len({s.location for s in shifts})
        parts = [f"Today {short_day(now.date())}"]
        if shifts:
            parts.append(f"{count(len(shifts), 'shift')} at {count(gates, 'gate')}")
            parts.append(f"{len(running)} running")
            parts.append(f"{sum(s.signed_in_now for s in running)} on the line")
            parts.append("Enter: sign in at this gate")
        else:
            parts.append("no shifts scheduled today")
        parts.append(f"updated {now.astimezone(self.context.zone):%H:%M}")
        self._show(".status", " · ".join(parts))

    def _draw_desk(self, desk: Desk, cursor_key: str | None = None) -> None:
        assert self.context is not None
        zone = self.context.zone
        now = desk.now.astimezone(zone)
        people = desk.people
        count_widget = self.query_one("#signin-count", Digits)
        if people is None:
            count_widget.set_class(False, "-short", "-ok", "-over")
            self._show_count("0")
            self._show("#signin-shift", f"{desk.location}: no shifts today")
            self._show("#signin-need", "Nobody to sign in here today: ctrl+g for another gate")
            self._show("#signin-captain", "")
            self._fill_people([])
            self._show(".status", f"{desk.location} · no shifts today · updated {now:%H:%M}")
            return
        position = next((i for i, s in enumerate(desk.shifts) if s.shift_id == people.shift_id), 0)
        when = time_range(people.starts_at, people.ends_at, zone)
        if people.cancelled:
            state = "CANCELLED"
        elif people.starts_at <= desk.now < people.ends_at:
            state = "running now"
        elif desk.now >= people.ends_at:
            state = "ended"
        else:
            state = f"starts at {people.starts_at.astimezone(zone):%H:%M}"
        self._show_count(str(people.in_now))
        under, over = people.in_now < people.min_headcount, people.in_now > people.max_headcount
        count_widget.set_class(under, "-short")
        count_widget.set_class(over, "-over")
        count_widget.set_class(not (under or over), "-ok")
        self._show("#signin-shift", Text.assemble((desk.location, "bold"), f"  {when}  ({state})"))
        need = headcount(people.min_headcount, people.max_headcount)
        short = people.min_headcount - people.in_now
        self._show(
            "#signin-need",
            f"in now · need {need}"
            + (f" · {short} short" if short > 0 and not people.cancelled else "")
            + f" · {people.expected} expected · {people.came} came",
        )
        if people.captains_in:
            self._show(
                "#signin-captain", Text("Captain here: ✓ " + names(people.captains_in, 2), style="bold")
            )
        elif people.captain_needed:
            self._show(
                "#signin-captain",
                Text("No captain signed in", style=self._themed("text-error", bold=True)),
            )
        else:
            self._show("#signin-captain", "No captain needed")
        self._fill_people(self._people_rows(people.people), cursor_key)
        self._show(
            ".status",
            f"{desk.location} · shift {position + 1} of {len(desk.shifts)} today"
            f" (ctrl+← → to change) · updated {now:%H:%M}",
        )

    def _show(self, selector: str, content: str | Text) -> None:
        """Update a fixed-size Static only when its text or style changes, with no layout pass."""
        text = content if isinstance(content, Text) else Text(content)
        key = (text.plain, text.style, tuple(text.spans))
        if self._drawn.get(selector) != key:
            self._drawn[selector] = key
            self.query_one(selector, Static).update(content, layout=False)  # fixed-size lines

    def _show_count(self, value: str) -> None:
        count_widget = self.query_one("#signin-count", Digits)
        if count_widget.value != value:
            count_widget.update(value)

    def _fill_people(self, rows: list[VirtualRow], cursor_key: str | None = None) -> None:
        """Show ``rows`` (the cursor stays on its person, or goes to ``cursor_key``)."""
        table = self.people_table
        cursor = (
            next((i for i, row in enumerate(rows) if row.key == cursor_key), None) if cursor_key else None
        )
        table.reset(
            len(rows), lambda offset, limit: rows[offset : offset + limit], first=rows[:PAGE], cursor=cursor
        )

    def _themed(self, variable: str, *, bold: bool = False) -> Style:
        """:meth:`theme_style`, kept per theme (a keystroke or a sign-in asks for the same few)."""
        key = (self.app.theme, variable, bold)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = self.theme_style(variable, bold=bold)
        return style

    def _people_rows(self, people: tuple[Person, ...]) -> list[VirtualRow]:
        """The list's rows; a person unchanged since the last draw keeps their row (same object)."""
        theme, built = self._rows
        if theme != self.app.theme:
            built = {}
        rows = [built.get(person) or self._person_row(person) for person in people]
        self._rows = (self.app.theme, dict(zip(people, rows, strict=True)))
        return rows

    def _person_row(self, person: Person) -> VirtualRow:
        assert self.context is not None
        zone = self.context.zone
        good = self._themed("text-success", bold=True)
        bad = self._themed("text-error")
        warn = self._themed("text-warning")
        muted = Style(dim=True)
        style: Any = {"in": good, "no_show": bad, "cancelled": muted, "out": muted}.get(person.state, "")
        role = "walk-in" if person.walk_in else person.role
        cells = {
            "state": cell(STATE_WORDS.get(person.state, person.state), style),
            "name": cell(person.name, "bold" if person.state == "in" else ""),
            "number": cell(person.member_number),
            "role": cell(role, warn if person.walk_in else ""),
            "in": cell(f"{person.in_at.astimezone(zone):%H:%M}" if person.in_at else ""),
            "out": cell(f"{person.out_at.astimezone(zone):%H:%M}" if person.out_at else ""),
            "hours": cell(f"{person.hours:.2f}" if person.hours is not None else ""),
            "flag": cell(person.flag, warn if person.flag else "", limit=40),
        }
        return VirtualRow(str(person.member_id), cells)

    def _board_rows(self, shifts: list[BoardShift], now: datetime) -> list[Row]:
        assert self.context is not None
        zone = self.context.zone
        muted = Style(dim=True)
        good = self._themed("text-success", bold=True)
        bad = self._themed("text-error", bold=True)
        warn = self._themed("text-warning")
        rows: list[Row] = []
        previous_gate = None
        gate_width = 22 if self.narrow else 40
        for shift in shifts:
            running, ended = shift.running(now), shift.ended(now)
            row_style: Any = muted if (ended or shift.cancelled) else ""
            if shift.cancelled:
                state = cell("cancelled", bad)
            elif running:
                state = cell("▶ now", good)
            elif ended:
                state = cell("done", muted)
            else:
                state = cell("later")
            need = headcount(shift.min_headcount, shift.max_headcount)
            in_now = cell(f"{shift.signed_in_now if running else '–'} / {need}", row_style)
            if running and shift.signed_in_now < shift.min_headcount:
                in_now = cell(f"{shift.signed_in_now} / {need}", bad)
            elif running and shift.signed_in_now > shift.max_headcount:
                in_now = cell(f"{shift.signed_in_now} / {need}", warn)
            elif running:
                in_now = cell(f"{shift.signed_in_now} / {need}", good)
            cells = {
                "gate": cell(
                    shift.location if shift.location != previous_gate else "", row_style, limit=gate_width
                ),
                "time": cell(time_range(shift.starts_at, shift.ends_at, zone), row_style),
                "state": state,
                "in_now": in_now,
                "captain": self._captain(shift, now, row_style, good, bad, warn),
                "assigned": cell(shift.assigned, row_style),
                "came": cell(shift.signed_in_total if (running or ended) else "–", row_style),
            }
            rows.append((str(shift.id), cells))
            previous_gate = shift.location
        return rows

    @staticmethod
    def _captain(
        shift: BoardShift, now: datetime, row_style: Any, good: Style, bad: Style, warn: Style
    ) -> Text:
        """Who captains the shift, and whether they are there."""
        if shift.captains_present:
            return cell("✓ " + names(shift.captains_present, 1), good if shift.running(now) else row_style)
        if shift.cancelled or shift.ended(now):
            return cell("–", row_style)
        if shift.running(now):
            if shift.captains_assigned:
                return cell(f"✗ not in ({names(shift.captains_assigned, 1)})", bad)
            return cell(
                "✗ none" if shift.captain_needed else "not needed", bad if shift.captain_needed else ""
            )
        if shift.captains_assigned:
            return cell(names(shift.captains_assigned, 1))
        return cell("none assigned", warn) if shift.captain_needed else cell("not needed", Style(dim=True))

    # -- the message line ------------------------------------------------------------

    def say(self, text: str | Text, level: str = "ok") -> None:
        """Show one line under the box; ``level``: ok (done), warn (prominent, not blocking), error, info."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        line = self.query_one("#signin-message", Static)
        for name in ("ok", "warn", "error", "info"):
            line.set_class(name == level, f"-{name}")
        line.update(text, layout=False)  # a fixed-size line: no layout pass (it costs a frame)

    def _say_later(self, text: str) -> None:
        """Say ``text`` unless the write commits within :data:`PENDING_SECONDS` (no flicker otherwise)."""
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(PENDING_SECONDS, lambda: self.say(text, "info"))

    @property
    def message(self) -> str:
        """The message line's text (for tests)."""
        return str(self.query_one("#signin-message", Static).render())

    # -- type-ahead ------------------------------------------------------------------

    def _expected_ids(self) -> set[uuid.UUID]:
        people = self.desk.people if self.desk else None
        return {p.member_id for p in people.people if p.assigned} if people else set()

    def _typed(self, value: str) -> None:
        """The box's value changed (a key, or set by code): show its matches. The first key typed
        while a sign-in is being written drops its text (the next scan starts in an empty box)."""
        held = self._held
        if held and value != held:
            self._held = ""
            if value.startswith(held):
                self.box.value = value[len(held) :]
                return
        self.show_matches(value)

    def show_matches(self, text: str) -> None:
        """Match ``text`` (in memory) and list the matches under the box."""
        if self.context is None or not text.strip():
            self._matches, self._chosen = None, None
        else:
            matches = self.context.gateway.signin_matches(text, self._expected_ids(), MATCH_LIMIT)
            self._matches = matches
            self._chosen = 0 if matches.exact is not None else None
        self._draw_matches()

    def _draw_matches(self) -> None:
        """The match lines (a window of :data:`MATCH_LINES` around the chosen one) and a last line
        saying what else there is. A fixed-size Static: no layout pass per keystroke."""
        matches = self._matches
        if matches is None:
            self._show("#signin-matches", self._hint())
            return
        candidates = matches.candidates
        chosen = self._chosen
        first = 0 if chosen is None else max(0, min(chosen - MATCH_LINES + 1, len(candidates) - MATCH_LINES))
        text = Text()
        people = {p.member_id: p for p in self.desk.people.people} if self.desk and self.desk.people else {}
        for index in range(first, min(first + MATCH_LINES, len(candidates))):
            match = candidates[index]
            line = Text("▶ " if index == chosen else "  ").append_text(
                self._match_text(match, people.get(match.member_id))
            )
            if index == chosen:
                line.stylize("reverse")
            text.append_text(line).append("\n")
        if not candidates:
            text.append("No one matches: Enter or ctrl+n to quick-add them", style="italic")
        elif chosen is None:
            text.append(
                f"{count(matches.total, 'match', 'matches')}: ↓ to choose, Enter signs in", style="dim"
            )
        elif matches.total > len(candidates) or len(candidates) > MATCH_LINES:
            text.append(f"{chosen + 1} of {matches.total}: ↑↓ to choose, type more to narrow", style="dim")
        else:
            text.append("Enter signs in", style="dim")
        self._show("#signin-matches", text)

    @staticmethod
    def _hint() -> Text:
        """What the match lines say while the box is empty (they keep their place: nothing jumps)."""
        return Text("Matches show here as you type · ↑↓ choose · Enter signs in · Esc clears", style="dim")

    def _match_text(self, match: Candidate, person: Person | None) -> Text:
        """One match line: name, number, and whether they are expected, already in, or a walk-in."""
        text = Text.assemble((match.name, "bold"), "  ", (match.member_number, "dim"))
        if person is not None and person.state == "in":
            text.append("  already signed in", style=self._themed("text-warning"))
        elif person is not None and person.assigned:
            text.append("  expected", style=self._themed("text-success"))
        else:
            text.append("  walk-in", style="italic")
        if match.status in ("inactive", "incomplete"):
            text.append(f"  ({match.status})", style=self._themed("text-warning"))
        return text

    def action_move(self, step: int) -> None:
        """↑/↓: choose among the matches, or (no matches) move through the list of people."""
        matches = self._matches
        if matches is not None and matches.candidates:
            last = len(matches.candidates) - 1
            chosen = (-1 if step > 0 else last + 1) if self._chosen is None else self._chosen
            self._chosen = max(0, min(last, chosen + step))
            self._draw_matches()
        elif self.desk is not None:
            table = self.people_table
            table.move_cursor(table.cursor + step)

    def action_clear(self) -> None:
        """Esc: empty the box (when empty, leave it for the list: digits switch tabs again)."""
        if self.box.value:
            self.box.value = ""
        elif self.desk is not None and self.box.has_focus:
            self.focus_now(self.people_table)

    @on(Input.Submitted, "#signin-box")
    def _enter(self, event: Input.Submitted) -> None:
        """Enter: sign in the exact or chosen match; no match offers quick-add."""
        text = event.value.strip()
        if not text or self.desk is None or self.context is None:
            return
        matches = self._matches if self._matches and self._matches.query == event.value else None
        if matches is None:
            self.show_matches(event.value)
            matches = self._matches
        assert matches is not None
        if not matches.candidates:
            if text.replace(" ", "").isdigit() and len(text) < 7:
                self.say(
                    f"No member has the number or phone “{text}”: check it, or ctrl+n to quick-add.", "error"
                )
                return
            self.quick_add()
            return
        if self._chosen is None:
            self.say(
                f"{count(matches.total, 'person', 'people')} match “{text}”: ↑↓ to choose, then Enter "
                "(or type more).",
                "info",
            )
            return
        self.sign_in(matches.candidates[self._chosen])

    def sign_in(self, match: Candidate) -> None:
        """Sign ``match`` in to the shift shown (in a worker; shown once committed).

        The box keeps what was typed until the commit, then empties with the row shown (one
        frame, not two); anything typed meanwhile (the next scan) stays in it.
        """
        if self.desk is None or self.desk.people is None or self.context is None:
            self.say("There is no shift at this gate today: ctrl+g for another gate.", "error")
            return
        if match.member_id in self._signing:
            return  # Enter again before the commit: the first Enter is being written
        self._signing.add(match.member_id)
        self._held = self.box.value
        self._say_later(f"Signing in {match.name}…")
        self._write_sign_in(self.context, self.desk.people.shift_id, match, self.box.value)

    @work(thread=True, exit_on_error=False, group="signin-write")
    def _write_sign_in(
        self, context: PanelContext, shift_id: uuid.UUID, match: Candidate, typed: str
    ) -> None:
        from strikeboard.tui.forms.base import FieldProblem

        try:
            signed = context.gateway.commit_sign_in(
                shift_id, match.member_id, context.now(), by=self.app_operator
            )
        except FieldProblem as problem:
            self.post_message(SignInRefused(f"✗ Not done: {problem.message}", match.member_id, typed))
        except Exception as error:  # the database failed: one line, nothing half-written
            from strikeboard.tui.app import describe_error

            message = f"✗ Not saved: {describe_error(error)}"
            self.post_message(SignInRefused(message, match.member_id, typed))
        else:
            committed_at = time.monotonic()
            text, level = self._signed_text(signed)
            self.post_message(SignInCommitted(shift_id, match, signed, committed_at, typed, text, level))

    @work(thread=True, exclusive=True, exit_on_error=False, group="signin-reread")
    def _reread(self, context: PanelContext, shift_id: uuid.UUID, member_id: uuid.UUID) -> None:
        """The list read again after a sign-in shown from what its write returned."""
        done = context.gateway.signin_people(shift_id, context.now())
        self.post_message(SignInWritten(done, None, "ok", member_id))

    def on_sign_in_committed(self, message: SignInCommitted) -> None:
        """Show a committed sign-in at once (the box emptied, the row "✓ in", the count), in one
        frame; then read the list again (flags, other laptops' sign-ins)."""
        self._signing.discard(message.match.member_id)
        self._take_typed(message.typed)
        desk, signed = self.desk, message.signed
        if self.context is not None:
            self.call_after_refresh(self._reread, self.context, message.shift_id, signed.member_id)
        if desk is not None and desk.people is not None and desk.people.shift_id == message.shift_id:
            people = desk.people.with_signed_in(
                signed.member_id,
                name=signed.name,
                member_number=message.match.member_number,
                sort_key=message.match.sort_name,
                at=signed.at,
                walk_in=signed.walk_in,
                now=signed.at,
            )
            self._shown_commit = message.committed_at
            self.desk = replace(desk, people=people)
            self._draw_desk(self.desk, str(signed.member_id))
        self.say(message.text, message.level)

    def _take_typed(self, typed: str) -> None:
        """Empty the box of what was typed for a finished sign-in, if it still holds just that."""
        if typed and self._held == typed:
            self._held = ""
            if self.box.value == typed:
                self.box.value = ""

    def _signed_text(self, signed: SignedIn) -> tuple[str, str]:
        assert self.context is not None
        at = signed.at.astimezone(self.context.zone)
        text = f"✓ {signed.name} signed in at {at:%H:%M}" + (
            " — walk-in (not assigned to this shift)" if signed.walk_in else ""
        )
        if signed.warning:
            return f"{text}.  ⚠ {signed.warning}", "warn"
        return text + ".", "ok"

    @property
    def app_operator(self) -> str:
        """Who the writes are recorded as (the app's operator)."""
        return str(getattr(self.app, "operator", "") or "unknown")

    def _run(self, write: Any, member_id: uuid.UUID | None) -> None:
        """Run ``write`` (in this worker thread) and post what happened; never raises."""
        from strikeboard.tui.forms.base import FieldProblem

        try:
            done, text, level = write()
        except FieldProblem as problem:
            self.post_message(SignInRefused(f"✗ Not done: {problem.message}"))
        except Exception as error:  # the database failed: one line, nothing half-written
            from strikeboard.tui.app import describe_error

            self.post_message(SignInRefused(f"✗ Not saved: {describe_error(error)}"))
        else:
            self.post_message(SignInWritten(done, text, level, member_id))

    def on_sign_in_written(self, message: SignInWritten) -> None:
        desk = self.desk
        if (
            desk is not None
            and desk.people is not None
            and message.done.people.shift_id == desk.people.shift_id
            and message.done.read_from >= self._shown_commit  # else a later sign-in shown would vanish
        ):
            self.desk = replace(desk, people=message.done.people, now=message.done.at)
            self._draw_desk(self.desk, str(message.member_id) if message.member_id else None)
        if message.text is not None:
            self.say(message.text, message.level)

    def on_sign_in_refused(self, message: SignInRefused) -> None:
        if message.member_id is not None:
            self._signing.discard(message.member_id)
        self._take_typed(message.typed)
        self.say(message.text, "error")

    # -- the person under the cursor -------------------------------------------------

    def highlighted(self) -> Person | None:
        """The person under the list's cursor."""
        key = self.people_table.cursor_key
        if self.desk is None or self.desk.people is None or key is None:
            return None
        return next((p for p in self.desk.people.people if str(p.member_id) == key), None)

    def _at_gate(self) -> bool:
        if self.desk is None or self.desk.people is None or self.context is None:
            self.say("Pick a gate first: Enter on a row of today's board.", "error")
            return False
        return True

    def sign_out(self) -> None:
        """Sign out the highlighted person now; the hours credited are shown."""
        if not self._at_gate():
            return
        person = self.highlighted()
        if person is None or person.state != "in":
            self.say("Highlight someone signed in (↑↓ with the box empty) to sign them out.", "error")
            return
        assert self.desk is not None and self.desk.people is not None and self.context is not None
        self._write_sign_out(self.context, self.desk.people.shift_id, person)

    @work(thread=True, exit_on_error=False, group="signin-write")
    def _write_sign_out(self, context: PanelContext, shift_id: uuid.UUID, person: Person) -> None:
        def write() -> tuple[Done, str, str]:
            now = context.now()
            done = context.gateway.sign_out_member(shift_id, person.member_id, now, by=self.app_operator)
            local = now.astimezone(context.zone)
            return done, f"{person.name} signed out at {local:%H:%M}: {done.hours:.2f} h credited.", "ok"

        self._run(write, person.member_id)

    def undo_sign_in(self) -> None:
        """Void the highlighted person's sign-in (after a yes): the void row keeps who and when."""
        if not self._at_gate():
            return
        person = self.highlighted()
        if person is None or person.in_at is None:
            self.say("Highlight someone who signed in to undo their sign-in.", "error")
            return
        assert self.context is not None and self.desk is not None and self.desk.people is not None
        from strikeboard.tui.forms.member import ConfirmScreen

        at = person.in_at.astimezone(self.context.zone)
        shift_id = self.desk.people.shift_id
        question = (
            f"Undo {person.name}'s sign-in at {at:%H:%M}? The sign-in stays on record as voided, "
            f"by {self.app_operator}, now."
        )

        def answered(yes: bool | None) -> None:
            if yes and self.context is not None:
                self._write_undo(self.context, shift_id, person)

        self.app.push_screen(ConfirmScreen("Undo sign-in", question, yes="Undo it"), answered)

    @work(thread=True, exit_on_error=False, group="signin-write")
    def _write_undo(self, context: PanelContext, shift_id: uuid.UUID, person: Person) -> None:
        def write() -> tuple[Done, str, str]:
            now = context.now()
            done = context.gateway.undo_sign_in(
                shift_id, person.member_id, now, by=self.app_operator, reason=UNDO_REASON
            )
            local = now.astimezone(context.zone)
            return (
                done,
                f"↶ {person.name}'s sign-in undone (voided by {self.app_operator} at {local:%H:%M}).",
                "ok",
            )

        self._run(write, person.member_id)

    def close_shift(self) -> None:
        """Sign out everyone still in at the shift's end (credited to the end, flagged), after a yes."""
        if not self._at_gate():
            return
        assert self.context is not None and self.desk is not None and self.desk.people is not None
        people = self.desk.people
        still = [p.name for p in people.people if p.state == "in" or (p.in_at and p.out_at is None)]
        end = people.ends_at.astimezone(self.context.zone)
        if not still:
            self.say("Nobody is still signed in to this shift: nothing to close.", "info")
            return
        from strikeboard.tui.forms.member import ConfirmScreen

        question = (
            f"Sign out {count(len(still), 'person', 'people')} still in ({names(tuple(still), 3)}) at "
            f"{end:%H:%M}, the shift's end? Each is credited to the end and flagged “no sign-out”."
        )

        def answered(yes: bool | None) -> None:
            if yes and self.context is not None:
                self._write_close(self.context, people.shift_id)

        self.app.push_screen(ConfirmScreen("Close shift", question, yes="Close it"), answered)

    @work(thread=True, exit_on_error=False, group="signin-write")
    def _write_close(self, context: PanelContext, shift_id: uuid.UUID) -> None:
        def write() -> tuple[Done, str, str]:
            done = context.gateway.close_signin_shift(shift_id, context.now(), by=self.app_operator)
            closed = done.closed
            hours = sum(c.hours for c in closed)
            return (
                done,
                f"Shift closed: {count(len(closed), 'person', 'people')} signed out at its end "
                f"({hours:.2f} h credited), flagged “no sign-out”.",
                "ok",
            )

        self._run(write, None)

    def mark_no_shows(self) -> None:
        """Mark the assigned people who never came as no-shows (after a yes)."""
        if not self._at_gate():
            return
        assert self.desk is not None and self.desk.people is not None
        people = self.desk.people
        missing = [p.name for p in people.people if p.state == "expected"]
        if not missing:
            self.say("Everyone assigned came (or is already marked): no no-shows to mark.", "info")
            return
        from strikeboard.tui.forms.member import ConfirmScreen

        question = (
            f"Mark {count(len(missing), 'person', 'people')} who never signed in as no-shows "
            f"({names(tuple(missing), 3)})?"
        )

        def answered(yes: bool | None) -> None:
            if yes and self.context is not None:
                self._write_no_shows(self.context, people.shift_id)

        self.app.push_screen(ConfirmScreen("Mark no-shows", question, yes="Mark them"), answered)

    @work(thread=True, exit_on_error=False, group="signin-write")
    def _write_no_shows(self, context: PanelContext, shift_id: uuid.UUID) -> None:
        def write() -> tuple[Done, str, str]:
            done = context.gateway.mark_signin_no_shows(shift_id, context.now(), by=self.app_operator)
            return done, f"{count(len(done.names), 'no-show')} marked: {names(done.names, 3)}.", "ok"

        self._run(write, None)

    # -- quick-add -------------------------------------------------------------------

    def quick_add(self) -> None:
        """Open the quick-add form (name and phone), prefilled from the box; it signs them in."""
        if not self._at_gate():
            return
        assert self.context is not None and self.desk is not None and self.desk.people is not None
        from strikeboard.tui.forms.quick_add import QuickAddForm

        form = QuickAddForm(
            self.context.gateway,
            self.app_operator,
            self.context.today(),
            shift_id=self.desk.people.shift_id,
            clock=self.context.now,
            typed=self.box.value,
        )

        def closed(summary: str | None) -> None:
            if summary is None or form.done is None:
                self.focus_now(self.box)
                return
            self.box.value = ""
            signed = form.done.signed
            self.post_message(SignInWritten(form.done, summary, "warn", signed.member_id if signed else None))
            self.focus_now(self.box)

        self.app.push_screen(form, closed)

    # -- gate and shift --------------------------------------------------------------

    def change_gate(self) -> None:
        """Back to today's board to pick another gate."""
        self.desk = None
        self._drawn.clear()
        self._location_id = None
        self._shift_id = None
        self._shift_pinned = False
        self.box.value = ""
        self.box.disabled = True
        self.query_one("#signin-desk").display = False
        self.query_one("#signin-table").display = True
        self.focus_now(self.query_one("#signin-table", DataTable))
        self.reload()

    def previous_shift(self) -> None:
        """The gate's earlier shift today."""
        self._step_shift(-1)

    def next_shift(self) -> None:
        """The gate's later shift today."""
        self._step_shift(1)

    def _step_shift(self, step: int) -> None:
        if not self._at_gate():
            return
        assert self.desk is not None and self.desk.people is not None and self.context is not None
        ids = [s.shift_id for s in self.desk.shifts]
        at = ids.index(self.desk.people.shift_id) if self.desk.people.shift_id in ids else 0
        target = at + step
        if not 0 <= target < len(ids):
            self.say("No " + ("earlier" if step < 0 else "later") + " shift at this gate today.", "info")
            return
        self._shift_pinned = True
        self._shift_id = ids[target]
        self._load_desk(self.context, self.desk.location_id, None, ids[target])
