"""Dependencies point one way: cli → tui → services → store, and scheduling is pure.

Each check imports modules in a fresh interpreter and looks at ``sys.modules``, so an
import anywhere down the chain (not just in the module named) is caught.
"""

import json
import subprocess
import sys
import textwrap

import pytest

DISCOVER = """
import importlib, json, pkgutil, sys
importlib.import_module({package!r})
names = [{package!r}] + sorted(
    info.name
    for info in pkgutil.walk_packages(sys.modules[{package!r}].__path__, {package!r} + ".")
)
for name in names:
    importlib.import_module(name)
heavy = ("textual", "sqlalchemy", "sqlmodel", "alembic", "rich", "strikeboard.tui")
loaded = sorted({{top for top in heavy if top in sys.modules}})
print(json.dumps({{"modules": names, "loaded": loaded}}))
"""


def _import_everything_in(package: str) -> tuple[list[str], set[str]]:
    """Import ``package`` and all its submodules in a fresh interpreter.

    Returns the modules imported and which heavy libraries ended up loaded.
    """
    code = textwrap.dedent(DISCOVER.format(package=package))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["modules"], set(result["loaded"])


def _loaded_after(statement: str) -> set[str]:
    code = (
        f"{statement}\nimport sys, json\n"
        "heavy = ('textual', 'sqlalchemy', 'sqlmodel', 'alembic', 'rich', 'strikeboard.tui')\n"
        "print(json.dumps([h for h in heavy if h in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_services_never_load_textual() -> None:
    modules, loaded = _import_everything_in("strikeboard.services")
    assert {"strikeboard.services.settings", "strikeboard.services.stats"} <= set(modules)
    assert "textual" not in loaded
    assert "strikeboard.tui" not in loaded


def test_scheduling_is_pure() -> None:
    """No UI, no database: plain dataclasses in and out."""
    modules, loaded = _import_everything_in("strikeboard.scheduling")
    assert modules[0] == "strikeboard.scheduling"
    assert loaded == set()


def test_the_store_never_loads_textual() -> None:
    modules, loaded = _import_everything_in("strikeboard.store")
    assert {"strikeboard.store.db", "strikeboard.store.models", "strikeboard.store.probe"} <= set(modules)
    assert "sqlalchemy" in loaded  # the check is live: this package does load its own dependencies
    assert "textual" not in loaded and "rich" not in loaded
    assert "strikeboard.tui" not in loaded


@pytest.mark.parametrize(
    "module",
    ["strikeboard.cli", "strikeboard.config", "strikeboard.store.probe", "strikeboard.textnorm"],
)
def test_the_command_line_front_door_stays_light(module: str) -> None:
    """`--help`, `--version` and the probe of a bad --db answer before any heavy import."""
    assert _loaded_after(f"import {module}") == set()


def test_help_imports_nothing_heavy() -> None:
    statement = (
        "import contextlib, io\n"
        "from strikeboard.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])"
    )
    assert _loaded_after(statement) == set()
