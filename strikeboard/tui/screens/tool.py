"""What the full-screen tools (audit trail, sync) share: a status line, Esc back, and their
workers' failures — a refused input in the status line, anything else reported by the app."""

from __future__ import annotations

from typing import ClassVar

from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from strikeboard.tui.messages import WorkFailed


class ToolScreen(Screen[None]):
    """A tool screen: set the status line's id, the worker groups and what failed ("merge")."""

    STATUS_ID: ClassVar[str] = ""
    WORK_GROUPS: ClassVar[tuple[str, ...]] = ()
    WHAT: ClassVar[str] = ""

    def _status(self, message: str) -> None:
        self.query_one(f"#{self.STATUS_ID}", Static).update(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A refused filter, path or bundle shows in the status line; other failures go to the app."""
        from strikeboard.tui.forms.base import FieldProblem

        if event.worker.group in self.WORK_GROUPS and event.state is WorkerState.ERROR:
            event.stop()
            error = event.worker.error or Exception()
            if isinstance(error, FieldProblem):
                self._status(error.message)
            else:
                self._status("")
                self.app.post_message(WorkFailed(self.WHAT, error))

    def action_back(self) -> None:
        """Close the view."""
        self.dismiss(None)
