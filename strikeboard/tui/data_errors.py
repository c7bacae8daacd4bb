"""How the gateway turns the services' user errors into :class:`FieldProblem` (shown at a field)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from strikeboard.services.errors import NotFound, ValidationError
from strikeboard.tui.forms.base import FieldProblem


@contextmanager
def user_errors() -> Iterator[None]:
    """A ``ValidationError`` becomes a problem at its field; ``NotFound`` a problem of the form."""
    try:
        yield
    except ValidationError as error:
        raise FieldProblem(error.field, error.message) from None
    except NotFound as error:
        raise FieldProblem("", str(error)) from None


@contextmanager
def csv_problems() -> Iterator[None]:
    """A CSV file problem or an OS error (no such file, no permission): a :class:`FieldProblem` "path"."""
    from strikeboard.services.member_import import CsvProblem

    try:
        yield
    except CsvProblem as error:
        raise FieldProblem("path", str(error)) from None
    except OSError as error:
        reason = error.strerror or str(error)
        where = f": {error.filename}" if error.filename else ""
        raise FieldProblem("path", f"{reason}{where}.") from None
