"""``strikeboard locations``: list, add, edit and deactivate picket locations (gates).

A location is named by its exact name (any case, accents optional) or a unique
beginning of it. Locations are never deleted: ``deactivate`` keeps their history.
"""

import argparse
import sys
from typing import TYPE_CHECKING, Any

from strikeboard.cli.common import EXIT_OK, EXIT_USAGE, InputProblem, actor, opened

if TYPE_CHECKING:
    from strikeboard.cli.common import Subcommands

#: CLI flag → LocationForm field, for the yes/no attributes (each has a --no-FLAG form).
FEATURE_FLAGS: tuple[tuple[str, str, str], ...] = (
    ("shade", "has_shade", "there is shade"),
    ("seating", "has_seating", "there is seating"),
    ("restrooms", "has_restrooms", "there are restrooms"),
    ("step-free", "step_free", "step-free access (no stairs or kerbs)"),
    ("transit", "near_transit", "near public transit"),
)

#: Service field → the flag to name in messages.
FLAG_OF = {"name": "--name", "address": "--address", "notes": "--notes"}


def cmd_locations_list(args: argparse.Namespace) -> int:
    """Print the locations (a table, or JSON with ``--json``)."""
    import json

    from strikeboard.services.locations import list_locations

    with opened(args) as store, store.read() as session:
        rows = list_locations(session, include_inactive=args.all)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": str(r.id),
                        "name": r.name,
                        "address": r.address,
                        "notes": r.notes,
                        "has_shade": r.has_shade,
                        "has_seating": r.has_seating,
                        "has_restrooms": r.has_restrooms,
                        "step_free": r.step_free,
                        "near_transit": r.near_transit,
                        "active": r.active,
                    }
                    for r in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    from rich.cells import cell_len

    header = ("NAME", "ADDRESS", "FEATURES", "ACTIVE")
    table = [header] + [
        (r.name, r.address or "-", r.features or "-", "yes" if r.active else "no") for r in rows
    ]
    widths = [max(cell_len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = (cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    print(f"{len(rows)} location{'s' if len(rows) != 1 else ''}")
    return EXIT_OK


def _problem(exc: Exception, flags: dict[str, str] = FLAG_OF) -> InputProblem:
    """A service error as a CLI problem, naming the flag when the service named a field."""
    from strikeboard.services.errors import ValidationError

    if isinstance(exc, ValidationError) and exc.field in flags:
        return InputProblem(f"{flags[exc.field]}: {exc} Nothing was changed.")
    return InputProblem(f"{exc} Nothing was changed.")


def cmd_locations_add(args: argparse.Namespace) -> int:
    """Add a location."""
    from strikeboard.services.errors import ValidationError
    from strikeboard.services.locations import LocationForm, create_location

    flags = {field: bool(getattr(args, field)) for _, field, _ in FEATURE_FLAGS}
    form = LocationForm(name=args.name, address=args.address or "", notes=args.notes or "", **flags)
    try:
        with opened(args) as store, store.write() as session:
            create_location(session, form, by=actor())
    except ValidationError as exc:
        raise _problem(exc, {**FLAG_OF, "name": "NAME"}) from None
    print(f"added location {' '.join(args.name.split())}")
    return EXIT_OK


def cmd_locations_edit(args: argparse.Namespace) -> int:
    """Change some fields of a location (the others stay)."""
    from dataclasses import replace

    from strikeboard.services.errors import NotFound, ValidationError
    from strikeboard.services.locations import (
        LocationForm,
        find_location,
        set_location_active,
        update_location,
    )

    changes: dict[str, Any] = {
        key: value
        for key, value in (("name", args.new_name), ("address", args.address), ("notes", args.notes))
        if value is not None
    }
    changes.update(
        {field: getattr(args, field) for _, field, _ in FEATURE_FLAGS if getattr(args, field) is not None}
    )
    if not changes and args.activate is None:
        raise InputProblem("Nothing to change: give e.g. --address, --shade or --no-shade (see --help).")
    try:
        with opened(args) as store, store.write() as session:
            row = find_location(session, args.location)
            form = LocationForm(
                name=row.name,
                address=row.address,
                notes=row.notes,
                has_shade=row.has_shade,
                has_seating=row.has_seating,
                has_restrooms=row.has_restrooms,
                step_free=row.step_free,
                near_transit=row.near_transit,
            )
            update_location(session, row.id, replace(form, **changes), by=actor())
            if args.activate is not None:
                set_location_active(session, row.id, args.activate, by=actor())
    except (NotFound, ValidationError) as exc:
        raise _problem(exc) from None
    print(f"updated location {changes.get('name', row.name)}")
    return EXIT_OK


def cmd_locations_deactivate(args: argparse.Namespace) -> int:
    """Deactivate a location; say how many future shifts are still planned there."""
    from datetime import UTC, datetime

    from sqlalchemy import func, select
    from sqlmodel import col

    from strikeboard.services.errors import NotFound
    from strikeboard.services.locations import deactivate_location, find_location
    from strikeboard.store.models import Shift

    try:
        with opened(args) as store, store.write() as session:
            row = find_location(session, args.location)
            deactivate_location(session, row.id, by=actor())
            future = session.execute(
                select(func.count()).where(
                    col(Shift.location_id) == row.id,
                    col(Shift.cancelled).is_(False),
                    col(Shift.starts_at) > datetime.now(UTC),
                )
            ).scalar_one()
    except NotFound as exc:
        raise _problem(exc) from None
    print(f"deactivated location {row.name}: no new shifts can be planned there")
    if future:
        print(
            f"warning: {future} future shift{'s are' if future != 1 else ' is'} still planned at {row.name}; "
            f"see 'strikeboard shifts list --location {row.name!r}' and cancel them if needed.",
            file=sys.stderr,
        )
    return EXIT_OK


def _feature_flags(parser: argparse.ArgumentParser, *, default: bool | None) -> None:
    for flag, field, text in FEATURE_FLAGS:
        parser.add_argument(
            f"--{flag}", dest=field, action=argparse.BooleanOptionalAction, default=default, help=text
        )


def register(sub: "Subcommands") -> None:
    """The ``locations`` command group: list, add, edit, deactivate."""
    group = sub.add_parser("locations", help="picket locations (gates): list, add, edit, deactivate")

    def usage(_args: argparse.Namespace) -> int:
        group.print_help(sys.stderr)
        return EXIT_USAGE

    group.set_defaults(func=usage)
    commands = group.add_subparsers(title="location commands", metavar="COMMAND")

    listing = commands.add_parser("list", help="the locations, by name")
    listing.add_argument("--all", action="store_true", help="include inactive locations")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(func=cmd_locations_list)

    add = commands.add_parser("add", help="add a location")
    add.add_argument("name", metavar="NAME", help="the location's name, e.g. 'Gate 4 (Main)'")
    add.add_argument("--address", metavar="TEXT", help="street address")
    add.add_argument("--notes", metavar="TEXT", help="anything pickets should know")
    _feature_flags(add, default=False)
    add.set_defaults(func=cmd_locations_add)

    edit = commands.add_parser("edit", help="change a location (only the fields given)")
    edit.add_argument("location", metavar="LOCATION", help="the name, or a unique beginning of it")
    edit.add_argument("--name", dest="new_name", metavar="TEXT", help="a new name")
    edit.add_argument("--address", metavar="TEXT", help="street address")
    edit.add_argument("--notes", metavar="TEXT", help="anything pickets should know")
    _feature_flags(edit, default=None)
    edit.add_argument(
        "--activate",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="reactivate (--activate) or deactivate (--no-activate) the location",
    )
    edit.set_defaults(func=cmd_locations_edit)

    deactivate = commands.add_parser(
        "deactivate", help="stop planning shifts at a location (its history stays)"
    )
    deactivate.add_argument("location", metavar="LOCATION", help="the name, or a unique beginning of it")
    deactivate.set_defaults(func=cmd_locations_deactivate)
