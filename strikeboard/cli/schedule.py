"""``strikeboard schedule``: auto-fill the picket shifts of a date range, then apply (unless --dry-run).

Prints the summary an organizer needs to trust it: slots filled before and after, the
upper bound on what any schedule could fill, fairness, per-gate coverage, unfilled slots
with the reason, and the changes. ``--json`` prints the same as JSON for scripts. The
preview is made first; the changes are then written in one transaction (refused if the
assignments changed in between). Exit codes: 0 done (or a dry run), 1 bad input, 2 usage.
"""

import argparse
import json
import sys
from typing import TYPE_CHECKING

from strikeboard.cli.common import EXIT_OK, InputProblem, iso_date, opened

if TYPE_CHECKING:
    from strikeboard.cli.common import Subcommands
    from strikeboard.services.schedule import SchedulePreview

#: Unfilled slots and changes printed in full; the rest are counted (all are in --json).
SHOWN = 40


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def summary_lines(preview: "SchedulePreview") -> list[str]:
    """The human summary of a preview, as printed by the command."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(preview.time_zone)
    before, after, f = preview.before, preview.after, preview.fairness
    where = ", ".join(preview.gates) or "all locations"
    lines = [
        f"auto-fill {preview.start} to {preview.end}, {where}: {preview.shifts} shifts, "
        f"at least {preview.rest_hours:g} h rest between shifts",
        f"minimum slots filled: {before.required_filled} → {after.required_filled} of {after.required_total} "
        f"({_pct(after.required_filled, after.required_total)})",
        f"all slots (up to max): {before.filled} → {after.filled} of {after.total}",
    ]
    if preview.bound is not None:
        lines.append(
            f"quality: filled {after.required_filled:,} of at most {preview.bound:,} fillable minimum slots"
        )
    lines.append(f"captain slots: {preview.captain_filled} of {preview.captain_total}")
    lines.append(
        f"fairness among {f.volunteers} eligible volunteers: shifts max {f.max_shifts} min {f.min_shifts} "
        f"spread {f.spread_shifts}; hours max {f.max_hours:g} min {f.min_hours:g} spread {f.spread_hours:g}; "
        f"idle {f.idle}"
    )
    lines.append("per location (minimum slots):")
    for name, cov in preview.by_location:
        lines.append(f"  {name}: {cov.required_filled}/{cov.required_total}  (all {cov.filled}/{cov.total})")
    required = [u for u in preview.unfilled if u.required]
    lines.append(f"unfilled minimum slots: {len(required)}")
    for u in required[:SHOWN]:
        when = u.shift.starts_at.astimezone(zone).strftime("%a %d %b %H:%M")
        lines.append(f"  {when} {u.shift.location} {u.role}: {u.reason}")
    if len(required) > SHOWN:
        lines.append(f"  ... and {len(required) - SHOWN} more")
    lines.append(f"changes: {preview.added} added, {preview.removed} removed")
    for c in preview.changes[:SHOWN]:
        when = c.shift.starts_at.astimezone(zone).strftime("%a %d %b %H:%M")
        sign = "+" if c.kind == "add" else "-"
        lines.append(f"  {sign} {when} {c.shift.location}: {c.member} ({c.role})")
    if len(preview.changes) > SHOWN:
        lines.append(f"  ... and {len(preview.changes) - SHOWN} more")
    return lines


def cmd_schedule(args: argparse.Namespace) -> int:
    """Preview the auto-fill for the range and apply it unless --dry-run."""
    from strikeboard.services.errors import ValidationError
    from strikeboard.services.schedule import apply_preview, find_locations, preview_as_json, preview_schedule

    applied = False
    try:
        with opened(args) as store:
            with store.read() as session:
                gates = find_locations(session, args.location) if args.location else None
                preview = preview_schedule(
                    session,
                    args.start,
                    args.end,
                    gates,
                    rest_hours=args.rest_hours,
                    seed=args.seed,
                    holes_only=args.holes_only,
                )
            if not args.dry_run and preview.changes:
                with store.write() as session:
                    apply_preview(session, preview)
                applied = True
    except ValidationError as exc:
        raise InputProblem(str(exc)) from None
    if args.json:
        json.dump(preview_as_json(preview, applied=applied), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return EXIT_OK
    print("\n".join(summary_lines(preview)))
    if args.dry_run:
        print("dry run: nothing was changed.")
    elif applied:
        print(f"applied: {preview.added} added, {preview.removed} removed.")
    else:
        print("nothing to change.")
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """The ``schedule`` command."""
    cmd = sub.add_parser(
        "schedule",
        help="auto-fill picket shifts for a date range (preview, then apply)",
        description="Fill every shift that can be filled, spreading the load fairly. Manual, locked and "
        "signed-in assignments are kept; only active members are scheduled.",
    )
    cmd.add_argument("--from", dest="start", required=True, type=iso_date, metavar="YYYY-MM-DD")
    cmd.add_argument("--to", dest="end", required=True, type=iso_date, metavar="YYYY-MM-DD")
    cmd.add_argument(
        "--location", action="append", metavar="GATE", help="only this location (name or id); repeatable"
    )
    cmd.add_argument("--dry-run", action="store_true", help="show the preview only; change nothing")
    cmd.add_argument(
        "--holes-only",
        action="store_true",
        help="after a dropout: keep every assignment that still fits, only fill the empty slots (quicker)",
    )
    cmd.add_argument("--json", action="store_true", help="print JSON instead of the summary")
    cmd.add_argument(
        "--rest-hours",
        type=float,
        default=None,
        metavar="H",
        help="minimum rest between shifts (default: the scheduling.min_rest_hours setting, 8 unless changed)",
    )
    cmd.add_argument(
        "--seed", type=int, default=0, help="tie-breaking seed (same data and seed: same result)"
    )
    cmd.set_defaults(func=cmd_schedule)
