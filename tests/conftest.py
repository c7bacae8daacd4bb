"""Shared fixtures: a database path in a temporary folder, and an open store on it."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from strikeboard.store.db import Store, open_store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database lives (not created yet)."""
    return tmp_path / "strike.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A fresh database at ``db_path``, closed (checkpointed) at teardown."""
    opened = open_store(str(db_path))
    try:
        yield opened
    finally:
        opened.close()
