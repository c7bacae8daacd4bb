"""Who may do what: captain mode keeps a gate laptop to sign-in and names.

A :class:`~strikeboard.store.db.Store` opened for a captain marks every session it makes
(``session.info["captain"]``); each service that reads personal data beyond names, or
that manages the strike, calls :func:`require_full_access` first, so the refusal holds
whatever the caller (TUI, CLI or a script) shows or hides.
"""

from sqlmodel import Session

from strikeboard.services.errors import AccessDenied


def is_captain(session: Session) -> bool:
    """Whether ``session`` was opened in captain mode."""
    return bool(session.info.get("captain", False))


def require_full_access(session: Session, what: str) -> None:
    """Raise :class:`AccessDenied` if ``session`` is in captain mode; ``what`` names the refused thing."""
    if is_captain(session):
        raise AccessDenied(
            f"Captain mode: {what} is not available; an organizer can do this from a full strikeboard."
        )
