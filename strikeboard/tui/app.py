"""The strikeboard app: a header with the strike's clock, four tabs, a footer, help and palette.

Start-up is built for speed: this module imports Textual and the panels only. The shell
paints first; then a thread worker imports the store and services (through
:mod:`strikeboard.tui.data`, the one lazy import), opens the database and hands a
:class:`~strikeboard.tui.panels.base.PanelContext` to each panel, which loads its own
data in thread workers. Failures arrive as :class:`~strikeboard.tui.messages.WorkFailed`
and are shown as notifications by :meth:`StrikeboardApp.on_work_failed`.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widgets import Footer, Input, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from strikeboard.store.probe import StoreError
from strikeboard.tui.forms.base import FormScreen
from strikeboard.tui.help import HelpScreen, HelpSections
from strikeboard.tui.keys import PanelKey
from strikeboard.tui.messages import GrievanceSaved, PanelReady, StoreOpened, WorkFailed
from strikeboard.tui.panels.base import DataPanel, PanelContext
from strikeboard.tui.panels.grievances import GrievancesPanel
from strikeboard.tui.panels.roster import ROSTER_KEYS, RosterPanel
from strikeboard.tui.panels.shifts import SHIFT_KEYS, ShiftsPanel
from strikeboard.tui.panels.signin import SIGNIN_KEYS, SignInPanel
from strikeboard.tui.screens.grievance_case import GrievanceCaseScreen
from strikeboard.tui.widgets.header import StrikeHeader

if TYPE_CHECKING:
    from textual.command import Provider

    from strikeboard.tui.data import Gateway

APP_NAME = "strikeboard"

#: The same failure reported again within this many seconds is not notified twice.
REPEAT_SECONDS = 5.0

#: ``(pane id, tab title, digit key, function key)`` in tab order.
TABS: tuple[tuple[str, str, str, str], ...] = (
    ("signin", "Sign-in", "1", "f2"),
    ("shifts", "Shifts", "2", "f3"),
    ("roster", "Roster", "3", "f4"),
    ("grievances", "Grievances", "4", "f5"),
)

#: Tab titles by pane id.
TAB_TITLES: tuple[tuple[str, str], ...] = tuple((pane, title) for pane, title, _digit, _fkey in TABS)

#: The tabs a captain-mode window shows.
CAPTAIN_TABS: frozenset[str] = frozenset({"signin"})

#: Each tab's own keys, by pane id (see :mod:`strikeboard.tui.keys`).
PANEL_KEYS: dict[str, tuple[PanelKey, ...]] = {
    "signin": SIGNIN_KEYS,
    "shifts": SHIFT_KEYS,
    "roster": ROSTER_KEYS,
}

#: Keys that are not bindings of this app but that users need to know (for the help screen).
NAVIGATION_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓  PgUp PgDn", "move through a table"),
    ("Home End", "first / last row"),
    ("← →", "scroll a wide table; on the tab bar, switch tabs"),
    ("Tab  Shift+Tab", "move between the tab bar, search box and table"),
    ("ctrl+p", "command palette: every tab and action by name"),
)


#: How keys are written in the help screen (the footer uses Textual's short forms).
KEY_NAMES = {"question_mark": "?", "slash": "/", "escape": "Esc"}


def key_name(key: str) -> str:
    """A key as the help screen shows it: ``F2``, ``ctrl+q``, ``?``, ``Esc``."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if key[:1] == "f" and key[1:].isdigit():
        return key.upper()
    return key


def default_operator() -> str:
    """The OS login name, recorded as who made a change when no operator is given."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment (e.g. a container without one)
        return "unknown"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _commands_provider() -> type[Provider]:
    """The palette provider, imported when the palette first opens (keeps start-up lean)."""
    from strikeboard.tui.commands import StrikeboardCommands

    return StrikeboardCommands


def describe_error(error: BaseException) -> str:
    """One short line for a failure: the user's sentence for a StoreError, else the cause."""
    if isinstance(error, StoreError):
        return str(error)
    cause = getattr(error, "orig", None) or error  # a SQLAlchemy error wraps the driver's
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return text if len(text) <= 200 else text[:199] + "…"


class StrikeboardApp(App[None]):
    """The TUI over one database (a file path or URL that already has the current schema).

    ``now`` returns the current aware instant; tests pass a fixed clock.
    """

    CSS_PATH = "app.tcss"
    TITLE = APP_NAME
    COMMANDS = App.COMMANDS | {_commands_provider}

    #: Every key is an app-level priority binding, so it acts at once and in order even
    #: when keys arrive faster than focus moves ("3", "/", "zoe"). Printable keys are
    #: skipped by Textual while a text box has focus, and :meth:`check_action` limits
    #: tab-specific keys to their tab (the footer shows only what works on the tab).
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                f"{digit},{fkey}",
                f"show_tab('{pane}')",
                f"Go to {title}",
                show=False,
                priority=True,
                id=f"tab.{pane}",
            )
            for pane, title, digit, fkey in TABS
        ),
        Binding("r", "refresh_data", "Refresh", priority=True, id="app.refresh"),
        Binding("f1,question_mark", "help", "Help", priority=True, id="app.help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("f6", "audit", "Audit trail", show=False, priority=True, id="app.audit"),
        Binding("f7", "sync", "Sync laptops", show=False, priority=True, id="app.sync"),
        Binding("slash", "search_roster", "Search", priority=True, id="roster.search"),
        *(
            Binding(
                k.keys,
                f"panel('{pane}', '{k.method}')",
                k.description,
                show=k.show,
                priority=True,
                id=f"{pane}.{k.method}",
            )
            for pane, keys in PANEL_KEYS.items()
            for k in keys
        ),
        Binding("n", "grievances('new_grievance')", "File grievance", priority=True, id="grievances.new"),
        Binding("o", "grievances('action_open_case')", "Open case", priority=True, id="grievances.open"),
        Binding("slash", "grievances('action_search')", "Search", priority=True, id="grievances.search"),
        Binding("f", "grievances('action_filters')", "Filters", priority=True, id="grievances.filters"),
        Binding("d", "grievances('action_due')", "Due this week", priority=True, id="grievances.due"),
    ]

    #: Actions that belong to the main screen: off while a modal (help, palette) is open.
    MAIN_SCREEN_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"show_tab", "refresh_data", "help", "search_roster", "grievances", "panel", "audit", "sync"}
    )

    #: Actions that only work on one tab: ``action -> pane id``.
    TAB_ONLY_ACTIONS: ClassVar[dict[str, str]] = {
        "search_roster": "roster",
        "grievances": "grievances",
    }

    def __init__(
        self,
        location: str,
        *,
        now: Callable[[], datetime] | None = None,
        operator: str | None = None,
        captain: bool = False,
    ) -> None:
        super().__init__()
        self.location = location
        #: Captain mode: the Sign-in tab only; the services refuse the rest (see services/access.py).
        self.captain = captain
        #: Who makes the changes (recorded with every grievance event): the OS login by default.
        self.operator: str = operator or default_operator()
        self.clock: Callable[[], datetime] = now or _utc_now
        self.gateway: Gateway | None = None
        self.panel_context: PanelContext | None = None  # set once the store is open
        self.store_error: str | None = None  # why the database could not be opened
        self._failures_shown: dict[str, float] = {}  # reason -> when it was last notified (monotonic)
        self.theme = "textual-dark"

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StrikeHeader(APP_NAME, clock=self.clock, id="header")
        with TabbedContent(initial="signin", id="tabs"):
            for index, (pane, title, digit, _fkey) in enumerate(self.tabs):
                with TabPane(f"{digit} {title}", id=pane):
                    panel = self._make_panel(pane)
                    # hidden tabs mount after the first paint (they announce themselves
                    # with PanelReady); only the first tab is part of the first frame
                    yield panel if index == 0 else Lazy(panel)
        yield Footer()

    @property
    def tabs(self) -> tuple[tuple[str, str, str, str], ...]:
        """The tabs this window shows: all of :data:`TABS`, or only Sign-in in captain mode."""
        return tuple(tab for tab in TABS if tab[0] in CAPTAIN_TABS) if self.captain else TABS

    def _refused_for_captain(self, what: str) -> bool:
        """In captain mode, say that ``what`` is not available and return True."""
        if self.captain:
            self.notify(f"{what} is not in captain mode: ask an organizer.", severity="warning", markup=False)
        return self.captain

    @staticmethod
    def _make_panel(pane: str) -> DataPanel:
        panel_types: dict[str, type[DataPanel]] = {
            "signin": SignInPanel,
            "shifts": ShiftsPanel,
            "roster": RosterPanel,
            "grievances": GrievancesPanel,
        }
        return panel_types[pane](id=f"{pane}-panel")

    @property
    def panels(self) -> list[DataPanel]:
        """The tab panels mounted so far, in tab order (hidden tabs mount just after first paint)."""
        return list(self.query(DataPanel))

    def panel(self, pane: str) -> DataPanel | None:
        """The panel of tab ``pane`` (``"signin"``, ``"shifts"``, ...), or ``None`` if not mounted yet."""
        return self.query_one_optional(f"#{pane}-panel", DataPanel)

    # -- start-up: paint first, then open the store in a thread ----------------------

    def on_mount(self) -> None:
        self.call_after_refresh(self._open_store)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store", name="open store")
    def _open_store(self) -> None:
        from strikeboard.tui.data import Gateway  # the one place the database layer is imported

        gateway = Gateway.open(self.location, captain=self.captain)
        gateway.store.actor = self.operator  # every change from this window is audited under it
        if get_current_worker().is_cancelled:  # the app is closing
            gateway.close()
            return
        self.post_message(StoreOpened(gateway))

    def on_store_opened(self, message: StoreOpened) -> None:
        if not self.is_running:
            message.gateway.close()
            return
        self.gateway = message.gateway
        header = self.query_one(StrikeHeader)
        mode = " (captain mode)" if self.captain else ""
        header.set_title(f"{message.gateway.strike_name} — {APP_NAME}{mode}")
        header.set_zone(message.gateway.zone)
        self.panel_context = PanelContext(message.gateway, self.clock)
        for panel in self.panels:
            panel.connect(self.panel_context)
        header.start_backups(message.gateway)  # after the panels' first loads have started

    def on_panel_ready(self, message: PanelReady) -> None:
        """A panel mounted (hidden tabs mount late): give it data if the store is open."""
        panel = message.panel
        if panel.context is None and self.panel_context is not None:
            panel.connect(self.panel_context)
        elif self.store_error is not None:
            panel.show_unavailable(f"No data: the database could not be opened. {self.store_error}")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own worker (opening the store) failed: report it like any other."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.post_message(WorkFailed("open the database", event.worker.error))

    def on_work_failed(self, message: WorkFailed) -> None:
        """Every failed worker ends here: a notification, never a traceback or a crash."""
        reason = describe_error(message.error)
        if isinstance(message.error, StoreError) or self.gateway is None:
            self.store_error = reason
            self.query_one(StrikeHeader).set_title(f"{APP_NAME} — no database open")
            for panel in self.panels:
                panel.show_unavailable(f"No data: the database could not be opened. {reason}")
            self.notify(reason, title="Cannot open the database", severity="error", timeout=30, markup=False)
            return
        now = time.monotonic()
        if now - self._failures_shown.get(reason, -REPEAT_SECONDS) < REPEAT_SECONDS:
            return  # every tab failed for the same reason (a broken file): say it once
        self._failures_shown[reason] = now
        self.notify(reason, title=f"Could not {message.what}", severity="error", timeout=10, markup=False)

    # -- tabs ------------------------------------------------------------------------

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id != self.active_tab:
            return  # a late message about a tab the user has already left
        panel = self.panel(event.pane.id)
        focused = self.focused
        # A click on a tab leaves the focus on the tab bar: move it into the tab. A key has
        # already done so, and the user may have moved on (to the search box): keep that.
        if panel is not None and (focused is None or panel not in focused.ancestors_with_self):
            panel.focus_main()
        self.refresh_bindings()

    def action_show_tab(self, pane: str) -> None:
        """Switch to the tab ``pane`` and focus its table (at once: see ``focus_main``)."""
        if pane not in CAPTAIN_TABS and self._refused_for_captain(dict(TAB_TITLES)[pane] + " tab"):
            return
        self.query_one(TabbedContent).active = pane
        panel = self.panel(pane)
        if panel is not None:
            panel.focus_main()
        self.refresh_bindings()

    @property
    def active_tab(self) -> str:
        """The id of the tab shown (``""`` before the tabs are mounted)."""
        tabs = self.query_one_optional(TabbedContent)
        return tabs.active if tabs is not None else ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enable (and show in the footer) only the keys that work here and now."""
        if action in self.MAIN_SCREEN_ACTIONS and len(self.screen_stack) > 1:
            return False  # let the modal screen have its keys (F1/? close the help)
        if action == "panel":
            pane, method = str(parameters[0]), str(parameters[1])
            key = next(k for k in PANEL_KEYS[pane] if k.method == method)
            if isinstance(self.focused, Input) and not key.while_typing:
                return False  # already typing: the key is a character here
            return self.active_tab == pane
        if action in ("search_roster", "grievances") and isinstance(self.focused, Input):
            return False  # already typing: "/" is a character here
        only_on = self.TAB_ONLY_ACTIONS.get(action)
        return only_on is None or self.active_tab == only_on

    # -- actions ---------------------------------------------------------------------

    def action_refresh_data(self) -> None:
        """Reload every tab from the database (the open one first)."""
        if self.gateway is None:
            reason = self.store_error or "the database is still opening…"
            self.notify(f"Nothing to refresh: {reason}", severity="warning", markup=False)
            return
        active = self.panel(self.active_tab)
        if active is not None:
            active.reload()
        for panel in self.panels:
            if panel is not active:
                panel.reload()

    def action_audit(self) -> None:
        """Show the audit trail: every change, who made it and when, newest first."""
        if self._refused_for_captain("The audit trail"):
            return
        if (context := self._context_or_say("No audit trail yet")) is not None:
            from strikeboard.tui.screens.audit import AuditScreen

            self.push_screen(AuditScreen(context))

    def action_sync(self) -> None:
        """Show the sync screen: this laptop's id, its peers, export / import / merge by path."""
        if self._refused_for_captain("Sync"):
            return
        if (context := self._context_or_say("Nothing to sync yet")) is not None:
            from strikeboard.tui.screens.sync import SyncScreen

            self.push_screen(SyncScreen(context), lambda _: self.action_refresh_data())

    def _context_or_say(self, what: str) -> PanelContext | None:
        """The data context, or ``None`` after saying why there is none yet."""
        if self.panel_context is None:
            reason = self.store_error or "the database is still opening…"
            self.notify(f"{what}: {reason}", severity="warning", markup=False)
        return self.panel_context

    def action_help(self) -> None:
        """Show every key."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def action_search_roster(self) -> None:
        """Open the Roster tab with the cursor in its search box."""
        self.action_show_tab("roster")
        panel = self.panel("roster")
        if isinstance(panel, RosterPanel):
            panel.action_search()

    def action_panel(self, pane: str, method: str) -> None:
        """Run a tab's action (``roster``'s ``add_member``, ``shifts``' ``next_week``...) on its panel."""
        self.action_show_tab(pane)
        panel = self.panel(pane)
        if panel is not None:
            getattr(panel, method)()

    def action_grievances(self, method: str) -> None:
        """Run a Grievances-tab action (``new_grievance``, ``action_search``...) on its panel."""
        self.action_show_tab("grievances")
        panel = self.panel("grievances")
        if isinstance(panel, GrievancesPanel):
            getattr(panel, method)()

    def on_grievance_saved(self, message: GrievanceSaved) -> None:
        """A grievance was filed or changed: say so, naming the case, and refresh the tab."""
        self.notify(message.summary, title="Saved", markup=False)
        panel = self.panel("grievances")
        if panel is not None:
            panel.reload()

    def on_unmount(self) -> None:
        """Close the store on every way out (ctrl+q, the palette, an error)."""
        gateway, self.gateway = self.gateway, None
        if gateway is not None:
            gateway.close()

    # -- help and palette --------------------------------------------------------------

    def help_sections(self) -> HelpSections:
        """Every key of the app, from the bindings themselves (so the list cannot go stale)."""

        def rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
            result = []
            for binding in bindings:
                if not isinstance(binding, Binding):
                    continue
                keys = "  ".join(key_name(key.strip()) for key in binding.key.split(","))
                result.append((keys, binding.description))
            return result

        def group(prefix: str) -> list[BindingType]:
            return [b for b in self.BINDINGS if isinstance(b, Binding) and (b.id or "").startswith(prefix)]

        everywhere = ("Everywhere", rows(group("tab.") + group("app.")))
        signin_tab = ("Sign-in tab", rows(group("signin.") + list(SignInPanel.BINDINGS)))
        forms = ("Forms", [*rows(FormScreen.BINDINGS), ("Tab  Shift+Tab", "next / previous field")])
        if self.captain:  # the other tabs are not there
            return [everywhere, signin_tab, forms, ("Tables and tabs", list(NAVIGATION_KEYS))]
        return [
            everywhere,
            signin_tab,
            ("Shifts tab", rows(group("shifts.") + list(ShiftsPanel.BINDINGS))),
            (
                "Roster tab",
                [
                    ("Enter", "Open the member under the cursor"),
                    *rows(group("roster.") + list(RosterPanel.BINDINGS)),
                ],
            ),
            (
                "Grievances tab",
                [("Enter", "Open the case under the cursor"), *rows(group("grievances."))],
            ),
            ("Grievance case view", rows(GrievanceCaseScreen.BINDINGS)),
            forms,
            ("Tables and tabs", list(NAVIGATION_KEYS)),
        ]

    def palette_commands(self) -> list[SystemCommand]:
        """The app's commands for the palette (see :mod:`strikeboard.tui.commands`)."""
        commands = [
            SystemCommand(f"Go to {title}", f"Show the {title} tab (key {digit})", self._go(pane))
            for pane, title, digit, _fkey in TABS
        ]
        commands += [
            SystemCommand("Refresh", "Reload every tab from the database (r)", self.action_refresh_data),
            *(
                SystemCommand(k.title, k.help, self._panel_action(pane, k.method))
                for pane, keys in PANEL_KEYS.items()
                for k in keys
            ),
            SystemCommand(
                "Search the roster", "Find a member by name, number or phone (/)", self.action_search_roster
            ),
            SystemCommand(
                "File a grievance",
                "Grievances: a new case (n)",
                lambda: self.action_grievances("new_grievance"),
            ),
            SystemCommand(
                "Search grievances",
                "Grievances: by number, grievant or article (/)",
                lambda: self.action_grievances("action_search"),
            ),
            SystemCommand(
                "Filter grievances",
                "Grievances: by status, steward, employer, step (f)",
                lambda: self.action_grievances("action_filters"),
            ),
            SystemCommand(
                "Grievances due this week",
                "Grievances: the due list (d)",
                lambda: self.action_grievances("action_due"),
            ),
            SystemCommand(
                "Open grievance case",
                "Grievances: the case under the cursor (o)",
                lambda: self.action_grievances("action_open_case"),
            ),
            SystemCommand("Audit trail", "Every change: who, when, before → after (F6)", self.action_audit),
            SystemCommand(
                "Sync laptops",
                "Export or import a bundle, or merge another laptop's file (F7)",
                self.action_sync,
            ),
            SystemCommand("Help", "Every key of the app (F1 or ?)", self.action_help),
            SystemCommand("Quit", "Close the database and leave (ctrl+q)", self.action_quit),
        ]
        if self.captain:  # only what a captain can do (the rest would only say "not in captain mode")
            allowed = {f"Go to {title}" for pane, title in TAB_TITLES if pane in CAPTAIN_TABS}
            allowed |= {k.title for pane in CAPTAIN_TABS for k in PANEL_KEYS.get(pane, ())}
            allowed |= {"Refresh", "Help", "Quit"}
            commands = [command for command in commands if command.title in allowed]
        return commands

    def _panel_action(self, pane: str, method: str) -> Callable[[], None]:
        return lambda: self.action_panel(pane, method)

    def _go(self, pane: str) -> Callable[[], None]:
        return lambda: self.action_show_tab(pane)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, screenshot, ...) minus the ones we offer ourselves."""
        for command in super().get_system_commands(screen):
            if command.title not in {"Quit", "Keys"}:
                yield command
