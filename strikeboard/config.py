"""Where the database is: ``--db`` flag, else ``STRIKEBOARD_DB``, else the user data folder."""

import os
from pathlib import Path

ENV_DB = "STRIKEBOARD_DB"
DEFAULT_FILENAME = "strikeboard.db"


def default_db_path() -> Path:
    """The platform's per-user data folder (created 0700), e.g. ``~/.local/share/strikeboard``."""
    from platformdirs import user_data_path

    folder = user_data_path("strikeboard", appauthor=False)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / DEFAULT_FILENAME


def resolve_db(flag: str | None) -> str:
    """The database location (a path or a SQLAlchemy URL) to use."""
    if flag:
        return flag
    env = os.environ.get(ENV_DB, "").strip()
    if env:
        return env
    return str(default_db_path())
