"""``strikeboard members``: import a membership list from CSV, export the roster to CSV.

``import`` prints a preview (counts, the column mapping, every rejected row with its
line) and applies it in one transaction. If any row is rejected nothing is imported
unless ``--skip-rejected`` is given; the rejected rows are written to
``FILE.rejected.csv`` for fixing. Exit codes: 0 imported (or a clean dry run), 1 the
file or some rows have problems, 2 usage.
"""

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from strikeboard.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    InputProblem,
    actor,
    log_export,
    opened,
)

if TYPE_CHECKING:
    from datetime import date

    from sqlmodel import Session

    from strikeboard.cli.common import Subcommands
    from strikeboard.services.member_import import ImportPreview

#: Rejected rows printed in full; the rest are in the .rejected.csv file.
SHOWN_REJECTS = 50


def _overrides(pairs: list[str] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs or ():
        header, sep, field = pair.partition("=")
        if not sep or not header.strip():
            raise CliError(
                f"--map {pair!r}: write HEADER=field, e.g. --map 'Cell Phone=phone' (or HEADER=ignore)."
            )
        result[header.strip()] = field.strip()
    return result


def _report(preview: "ImportPreview") -> list[str]:
    lines = [
        f"{preview.path}: {preview.encoding}, {preview.delimiter_name}-separated",
        "columns:",
    ]
    for m in preview.mapping:
        lines.append(f"  {m.header!r:32} → {m.field or '(not imported)'}")
    if preview.unmapped:
        unmapped = ", ".join(repr(h) for h in preview.unmapped)
        lines.append(f"not imported: {unmapped} (map one with --map 'HEADER=field')")
    lines.append(
        f"new: {preview.new}  updated: {preview.updated}  unchanged: {preview.unchanged}  "
        f"rejected: {len(preview.rejected)}"
    )
    for row in preview.rejected[:SHOWN_REJECTS]:
        lines.append(f"  line {row.line}: {row.reason}")
    if len(preview.rejected) > SHOWN_REJECTS:
        lines.append(f"  ... and {len(preview.rejected) - SHOWN_REJECTS} more")
    if preview.rejected_file is not None:
        lines.append(
            f"rejected rows written to {preview.rejected_file} (fix them there and import that file)"
        )
    return lines


def cmd_members_import(args: argparse.Namespace) -> int:
    """Preview a CSV import and apply it (unless --dry-run)."""
    from strikeboard.services.errors import ValidationError
    from strikeboard.services.member_import import CsvProblem, apply_import, preview_import

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"{path} is not a file.")
    overrides = _overrides(args.map)
    try:
        with opened(args) as store:
            if args.dry_run:
                with store.read() as session:
                    preview = preview_import(
                        session, path, encoding=args.encoding, overrides=overrides, write_rejected=True
                    )
            else:
                with store.write() as session:
                    preview = apply_import(
                        session,
                        path,
                        encoding=args.encoding,
                        overrides=overrides,
                        actor=actor(),
                        skip_rejected=args.skip_rejected,
                    )
    except CsvProblem as exc:
        raise InputProblem(f"{path}: {exc} Nothing was imported.") from None
    except ValidationError as exc:
        raise InputProblem(str(exc)) from None
    print("\n".join(_report(preview)))
    if args.dry_run:
        print("dry run: nothing was imported.")
        if preview.rejected:
            print("(an import would stop at the rejected rows unless --skip-rejected is given)")
        return EXIT_INPUT if preview.rejected else EXIT_OK
    if not preview.applied:
        print(
            f"nothing was imported: {len(preview.rejected)} row(s) rejected. Fix them, or import the "
            "valid rows only with --skip-rejected.",
            file=sys.stderr,
        )
        return EXIT_INPUT
    skipped = f", skipped {len(preview.rejected)} rejected row(s)" if preview.rejected else ""
    print(f"imported: {preview.new} new, {preview.updated} updated{skipped}.")
    return EXIT_OK


#: Strike-pay standings as ``--filter eligibility=`` takes them (``-`` or ``_`` alike).
_STANDINGS = {"eligible": "eligible", "short": "short", "not_eligible": "not_eligible"}


def _filters(pairs: list[str] | None) -> dict[str, tuple[str, ...]]:
    keys = {"role": "roles", "unit": "units", "status": "statuses", "eligibility": "eligibility"}
    found: dict[str, list[str]] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        key = key.strip().casefold()
        if not sep or key not in keys or not value.strip():
            raise CliError(
                f"--filter {pair!r}: write role=VALUE, unit=VALUE, status=VALUE or eligibility=VALUE."
            )
        value = value.strip()
        if key == "eligibility":
            standing = _STANDINGS.get(value.casefold().replace("-", "_").replace(" ", "_"))
            if standing is None:
                raise CliError(f"--filter {pair!r}: eligibility is eligible, short or not_eligible.")
            value = standing
        found.setdefault(keys[key], []).append(value)
    return {name: tuple(values) for name, values in found.items()}


def _pay_week(week: str | None, session: "Session") -> "date":
    """The day whose pay week ``eligibility=`` judges: ``--week`` or today in the strike's zone."""
    from datetime import date, datetime

    from strikeboard.services.settings import load_settings

    if not week:
        return datetime.now(load_settings(session).zone).date()
    try:
        return date.fromisoformat(week)
    except ValueError:
        raise CliError(f"--week {week!r}: give a date as YYYY-MM-DD (any day of the pay week).") from None


def cmd_members_export(args: argparse.Namespace) -> int:
    """Write the members (filtered, searched) to a CSV file."""
    from strikeboard.services.errors import ValidationError
    from strikeboard.services.member_export import PERSONAL_DATA_NOTICE, export_columns, export_members
    from strikeboard.services.roster import RosterFilter

    out = Path(args.output)
    if out.is_dir():
        raise CliError(f"-o {out} is a directory: give a file name, e.g. {out / 'members.csv'}.")
    if not out.parent.is_dir():
        raise CliError(f"-o: the folder {out.parent} does not exist.")
    columns = [c for c in (args.columns or "").split(",") if c.strip()] or None
    try:
        export_columns(columns)
    except ValidationError as exc:
        raise CliError(f"--columns: {exc}") from None
    chosen = _filters(args.filter)
    exists = f"{out} already exists: choose another name, or add --force to replace it."
    if out.exists() and not args.force:
        raise InputProblem(exists)
    with opened(args) as store, store.read() as session:
        flt = RosterFilter(
            query=args.search or "",
            roles=chosen.get("roles", ()),
            units=chosen.get("units", ()),
            statuses=chosen.get("statuses", ()),
            eligibility=chosen.get("eligibility", ()),
            pay_week=_pay_week(args.week, session) if "eligibility" in chosen else None,
        )
        try:
            count = export_members(session, out, flt, columns=columns, excel=args.excel, overwrite=args.force)
        except FileExistsError:
            raise InputProblem(exists) from None
        except ValidationError as exc:
            raise InputProblem(str(exc)) from None
        log_export(store, what="member", path=out, rows=count)
    print(f"wrote {count} members to {out}")
    print(PERSONAL_DATA_NOTICE, file=sys.stderr)
    return EXIT_OK


def register(sub: "Subcommands") -> None:
    """The ``members`` command group: import, export."""
    group = sub.add_parser("members", help="import and export the membership list (CSV)")

    def usage(_args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return EXIT_USAGE

    group.set_defaults(func=usage)
    commands = group.add_subparsers(title="member commands", metavar="COMMAND")

    imp = commands.add_parser(
        "import",
        help="import members from a CSV file (preview, then all or nothing)",
        description="Match rows to members by member number, else email, else phone; a matched row "
        "updates only the cells it fills. If any row is rejected, nothing is imported unless "
        "--skip-rejected is given; rejected rows go to FILE.rejected.csv.",
    )
    imp.add_argument("file", metavar="FILE", help="the CSV file (UTF-8, UTF-16; , ; tab or | separated)")
    imp.add_argument("--dry-run", action="store_true", help="show the preview only; change nothing")
    imp.add_argument(
        "--map",
        action="append",
        metavar="HEADER=field",
        help="map a column to a member field (or HEADER=ignore); repeatable",
    )
    imp.add_argument("--encoding", metavar="ENC", help="the file's encoding, e.g. cp1252 or latin-1")
    imp.add_argument(
        "--skip-rejected", action="store_true", help="import the valid rows even if some are rejected"
    )
    imp.set_defaults(func=cmd_members_import)

    exp = commands.add_parser("export", help="write members to a CSV file (personal data: keep it private)")
    exp.add_argument("-o", "--output", required=True, metavar="FILE", help="CSV file to write")
    exp.add_argument(
        "--filter",
        action="append",
        metavar="KEY=VALUE",
        help="role=..., unit=..., status=... or eligibility=eligible|short|not_eligible (strike pay "
        "in the week of --week); repeatable (same key: any of the values)",
    )
    exp.add_argument(
        "--week", metavar="YYYY-MM-DD", help="a day of the pay week for eligibility= (default: this week)"
    )
    exp.add_argument("--search", metavar="TEXT", help="as the roster's search: name, number, phone, email")
    exp.add_argument("--columns", metavar="a,b,c", help="columns to write (default: all)")
    exp.add_argument("--excel", action="store_true", help="add a byte-order mark so Excel reads UTF-8")
    exp.add_argument("--force", action="store_true", help="replace FILE if it exists")
    exp.set_defaults(func=cmd_members_export)
