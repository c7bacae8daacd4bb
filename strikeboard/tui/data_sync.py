"""The sync view's door to the database (a mixin of :class:`~strikeboard.tui.data.Gateway`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from strikeboard.services import sync
from strikeboard.tui.forms.base import FieldProblem

if TYPE_CHECKING:
    from strikeboard.services.sync import Exported, Merged, SyncStatus
    from strikeboard.store.db import Store


def _path(text: str, what: str) -> Path:
    if not text.strip():
        raise FieldProblem("path", f"Type the path of {what} first.")
    return Path(text.strip()).expanduser()


class SyncData:
    """Offline merging: this laptop's node and peers, and export, import and merge by path."""

    store: Store

    def sync_status(self) -> SyncStatus:
        """Node id, peers with their last merge, open grievance text conflicts."""
        with self.store.read() as session:
            return sync.sync_status(session)

    def sync_export(self, path: str, *, since_last: bool = False) -> Exported:
        """Write a bundle to ``path`` (only what changed since this laptop's last export if asked)."""
        target = _path(path, "the bundle to write")
        try:
            with self.store.write() as session:
                return sync.export_bundle(
                    session, target, sync.resolve_since(session, "auto" if since_last else None)
                )
        except sync.SyncError as error:
            raise FieldProblem("path", str(error)) from None

    def sync_import(self, path: str) -> Merged:
        """Merge the bundle at ``path``; all or nothing."""
        source = _path(path, "the bundle to import")
        try:
            with self.store.write() as session:
                return sync.import_bundle(session, source)
        except sync.SyncError as error:
            raise FieldProblem("path", f"{error} Nothing was changed.") from None

    def sync_merge(self, path: str) -> Merged:
        """Merge every row of the database file at ``path`` (only read)."""
        source = _path(path, "the other laptop's database file")
        try:
            with self.store.write() as session:
                return sync.merge_database(session, source)
        except sync.SyncError as error:
            raise FieldProblem("path", f"{error} Nothing was changed.") from None
