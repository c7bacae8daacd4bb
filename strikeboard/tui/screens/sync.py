"""The sync view: this laptop's node id, the peers merged here and when, and merging by path.

Type a path, then Export (a bundle of this laptop's rows; tick "only changes since the last
export" for a small one), Import (another laptop's bundle) or Merge file (another laptop's
whole database file). The work runs in a thread; the result or the one-line reason it was
refused shows in the status line. Open it with ``SyncScreen(context)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Static

from strikeboard.tui.screens.tool import ToolScreen

if TYPE_CHECKING:
    from strikeboard.services.sync import Merged, SyncStatus
    from strikeboard.tui.panels.base import PanelContext


@dataclass
class SyncLoaded(Message):
    """The node id, peers and conflicts as read."""

    status: SyncStatus


@dataclass
class SyncDone(Message):
    """An export, import or merge finished: what to tell the user."""

    summary: str


def merged_summary(result: Merged) -> str:
    """One line about a merge."""
    text = f"Merged {result.source}: {result.rows} row{'' if result.rows == 1 else 's'} changed here."
    if result.members_merged:
        text += f" {result.members_merged} member(s) created on both laptops joined into one."
    if result.conflicts:
        text += f" {result.conflicts} grievance text conflict(s) wait for a person."
    return text


class SyncScreen(ToolScreen):
    """Node id and peers above; a path with Export, Import and Merge file below."""

    STATUS_ID = "sync-status"
    WORK_GROUPS = ("sync", "sync-load")
    WHAT = "merge"

    DEFAULT_CSS = """
    SyncScreen #sync-peers { height: 1fr; }
    SyncScreen #sync-actions { height: 3; }
    SyncScreen #sync-path { width: 1fr; }
    SyncScreen #sync-conflicts { height: auto; max-height: 8; padding: 0 1; }
    SyncScreen #sync-node, SyncScreen #sync-status { height: auto; padding: 0 1; }
    SyncScreen #sync-status { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="sync.back"),
        Binding("f5", "reload", "Reload", id="sync.reload"),
    ]

    def __init__(self, context: PanelContext) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        yield Static("Sync: merge laptops that worked offline", id="sync-title", markup=False)
        yield Static("Loading…", id="sync-node", markup=False)
        table: DataTable[Text] = DataTable(id="sync-peers", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="sync-conflicts", markup=False)
        with Horizontal(id="sync-actions"):
            yield Input(placeholder="path of a bundle, or of another laptop's .db file", id="sync-path")
            yield Button("Export", id="sync-export")
            yield Button("Import", id="sync-import")
            yield Button("Merge file", id="sync-merge")
        yield Checkbox("only changes since the last export", id="sync-since")
        yield Static("", id="sync-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sync-peers", DataTable)
        for key, label in (("peer", "Peer"), ("when", "Last merged"), ("source", "From"), ("rows", "Rows")):
            table.add_column(label, key=key)
        self.set_focus(self.query_one("#sync-path", Input))
        self.action_reload()

    def action_reload(self) -> None:
        """Read the node id, peers and conflicts again."""
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync-load")
    def _load(self) -> None:
        self.post_message(SyncLoaded(self.context.gateway.sync_status()))

    def on_sync_loaded(self, message: SyncLoaded) -> None:
        status = message.status
        node = status.node_id or "(made at this laptop's first change)"
        peers = "" if status.peers else " · no other laptop merged here yet"
        self.query_one("#sync-node", Static).update(f"This laptop: node {node}{peers}")
        table = self.query_one("#sync-peers", DataTable)
        table.clear()
        for peer in status.peers:
            when = peer.last_merged_at.astimezone(self.context.zone).strftime("%Y-%m-%d %H:%M")
            table.add_row(
                Text(peer.node_id[:12]), Text(when), Text(peer.source), Text(str(peer.rows)), key=peer.node_id
            )
        lines = [
            f"{c.grievance_number} {c.field}: the other version reads “{c.other_value}”"
            for c in status.conflicts
        ]
        header = (
            f"{len(lines)} grievance text conflict(s) for a person to settle:"
            if lines
            else "No text conflicts."
        )
        self.query_one("#sync-conflicts", Static).update("\n".join([header, *lines]))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        action = (event.button.id or "").removeprefix("sync-")
        path = self.query_one("#sync-path", Input).value
        since = self.query_one("#sync-since", Checkbox).value
        self._status({"export": "Writing the bundle…", "import": "Merging…", "merge": "Merging…"}[action])
        self._run(action, path, since)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync")
    def _run(self, action: str, path: str, since: bool) -> None:
        gateway = self.context.gateway
        if action == "export":
            done = gateway.sync_export(path, since_last=since)
            what = "everything" if done.since is None else "the changes since the last export"
            summary = f"Wrote {done.path}: {what}, {done.rows} rows ({done.bytes / 1e3:.0f} kB)."
        elif action == "import":
            summary = merged_summary(gateway.sync_import(path))
        else:
            summary = merged_summary(gateway.sync_merge(path))
        self.post_message(SyncDone(summary))

    def on_sync_done(self, message: SyncDone) -> None:
        self._status(message.summary)
        self.action_reload()

    def shown_text(self) -> str:
        """The node line, peers, conflicts and status as plain text (for tests)."""
        table = self.query_one("#sync-peers", DataTable)
        lines = [str(self.query_one("#sync-node", Static).render())]
        lines += [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        lines.append(str(self.query_one("#sync-conflicts", Static).render()))
        lines.append(str(self.query_one("#sync-status", Static).render()))
        return "\n".join(lines)
