"""``strikeboard sync``: merge laptops that worked offline (bundles, whole files, status)."""

import argparse
import sys
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from strikeboard.cli.common import EXIT_OK, EXIT_USAGE, InputProblem, opened

if TYPE_CHECKING:
    from strikeboard.cli.common import Subcommands
    from strikeboard.services.sync import Merged


def _merged_lines(result: "Merged") -> list[str]:
    lines = [f"merged {result.source}: {result.rows} rows changed here"]
    if result.members_merged:
        lines.append(f"{result.members_merged} member(s) created on both laptops were joined into one")
    if result.conflicts:
        lines.append(
            f"{result.conflicts} grievance text conflict(s) wait for a person: see `strikeboard sync status`"
        )
    return lines


def cmd_export(args: argparse.Namespace) -> int:
    """Write what this laptop holds (or what changed since a clock value) to a bundle file."""
    from strikeboard.services.sync import SyncError, export_bundle, resolve_since

    out = Path(args.output)
    try:
        with opened(args) as store, store.write() as session:
            result = export_bundle(session, out, resolve_since(session, args.since))
    except SyncError as exc:
        raise InputProblem(str(exc)) from None
    what = "everything" if result.since is None else f"changes since {result.since}"
    print(f"wrote {result.path}: {what}, {result.rows} rows, {result.bytes / 1e3:.0f} kB")
    print(f"next time, `--since auto` (or `--since {result.clock}`) sends only what changed after this")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Merge a bundle from another laptop; all or nothing."""
    from strikeboard.services.sync import SyncError, import_bundle

    try:
        with opened(args) as store, store.write() as session:
            result = import_bundle(session, Path(args.bundle))
    except SyncError as exc:
        raise InputProblem(f"{exc} Nothing was changed.") from None
    print("\n".join(_merged_lines(result)))
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    """Merge every row of another laptop's database file (the other file is only read)."""
    from strikeboard.services.sync import SyncError, merge_database

    try:
        with opened(args) as store, store.write() as session:
            result = merge_database(session, Path(args.other))
    except SyncError as exc:
        raise InputProblem(f"{exc} Nothing was changed.") from None
    print("\n".join(_merged_lines(result)))
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """This laptop's node id, the peers merged here and when, and open grievance text conflicts."""
    from strikeboard.services.sync import sync_status

    with opened(args) as store, store.read() as session:
        status = sync_status(session)
    print(f"node id: {status.node_id or '(none yet: made at the first change)'}")
    print(
        f"clock: {status.clock}" + (f"  (last export at {status.last_export})" if status.last_export else "")
    )
    if not status.peers:
        print("no other laptop merged here yet")
    for peer in status.peers:
        when = peer.last_merged_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        print(f"peer {peer.node_id}: last merged {when} from {peer.source} ({peer.rows} rows)")
    for conflict in status.conflicts:
        other = conflict.other_value.replace("\n", " ")
        print(f"conflict {conflict.grievance_number} {conflict.field}: the other version reads “{other}”")
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """The ``sync`` command group: export, import, merge, status."""
    group = sub.add_parser("sync", help="merge laptops that worked offline (bundles or whole files)")

    def usage(_args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return EXIT_USAGE

    group.set_defaults(func=usage)
    commands = group.add_subparsers(title="sync commands", metavar="COMMAND")

    exp = commands.add_parser(
        "export",
        help="write this laptop's rows to a bundle file",
        description="Writes every row with its version, or with --since only the rows stored here after "
        "that clock value (auto: after this laptop's previous export).",
    )
    exp.add_argument("-o", "--output", required=True, metavar="BUNDLE", help="the bundle file to write")
    exp.add_argument("--since", metavar="LAST|auto", help="only what changed after this clock value")
    exp.set_defaults(func=cmd_export)

    imp = commands.add_parser("import", help="merge a bundle from another laptop (all or nothing)")
    imp.add_argument("bundle", metavar="BUNDLE", help="the bundle file")
    imp.set_defaults(func=cmd_import)

    merge = commands.add_parser("merge", help="merge another laptop's whole database file")
    merge.add_argument("other", metavar="OTHER.db", help="the other database file (only read)")
    merge.set_defaults(func=cmd_merge)

    status = commands.add_parser("status", help="node id, peers and when each was last merged")
    status.set_defaults(func=cmd_status)
