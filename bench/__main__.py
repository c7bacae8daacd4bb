"""``python -m bench``: run every ``bench/bench_*.py`` module's ``run()`` and print one table."""

import importlib
import pkgutil
import sys
import time
import traceback

import bench


def discover() -> list[str]:
    """The benchmark modules, by name (``bench_launch``, ``bench_demo``, ...), sorted."""
    modules = pkgutil.iter_modules(bench.__path__)
    return sorted(info.name for info in modules if info.name.startswith("bench_"))


def main(argv: list[str]) -> int:
    """Run the benchmarks named in ``argv`` (default: all); print the table; 1 if one failed."""
    names = argv or discover()
    rows: list[tuple[str, str, str]] = []
    failed = False
    for name in names:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            results = module.run()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            traceback.print_exc(file=sys.stderr)
            rows.append((name, "error", f"{type(exc).__name__}: {exc}"))
            failed = True
            continue
        rows += [(name, metric, value) for metric, value in results]
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    print(bench.format_table(rows, ("module", "metric", "value")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
