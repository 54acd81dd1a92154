"""Run every benchmark case and print one JSON object: `python -m bench.run [--only NAME]`.

Runs against the database DATABASE_URL names (PostgreSQL with the scale data for the figures we quote), with
config.settings_bench unless DJANGO_SETTINGS_MODULE says otherwise. A case module that fails is reported as
`{"error": ...}` under its module name and the other modules still run.

`--baseline FILE` reads the JSON of an earlier run (on one commune, say) and adds its query counts to each
case as `queries_baseline`, with `queries_same` telling whether the count held.
"""

import argparse
import importlib
import json
import os
import pkgutil
import sys
import traceback
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("--repeat", type=int, help="timed repetitions per case (default: each case's own)")
    parser.add_argument("--baseline", type=Path, help="JSON of an earlier run to compare query counts with")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_bench")
    import django

    django.setup()
    from bench.harness import Bench

    bench = Bench(only=args.only, repeat=args.repeat)
    package = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(package)]) if m.name.startswith("cases_")):
        try:
            importlib.import_module(f"bench.{module}").run(bench)
        except (Exception, SystemExit) as error:  # one broken module must not hide the others' figures
            bench.results[module] = {"error": f"{type(error).__name__}: {error}"}
            traceback.print_exc(file=sys.stderr)
    _floor_ratios(bench.results)
    if args.baseline:
        _compare_queries(bench.results, json.loads(args.baseline.read_text(encoding="utf-8")))
    print(json.dumps(bench.results, ensure_ascii=False, indent=2))
    return 1 if any("error" in result for result in bench.results.values()) else 0


FLOOR = "floor: trivial page behind login"  # measured by bench/cases_pages.py


def _floor_ratios(results: dict) -> None:
    """Each median as a multiple of the framework floor (`x_floor`, `cold_x_floor`): the floor timed between
    the case's own calls where there is one (Bench.use_floor), else the floor case of the same run."""
    floor = results.get(FLOOR, {}).get("median_ms")
    for name, result in results.items():
        if name == FLOOR:
            continue
        for prefix in ("", "cold_"):
            own_floor = result.get(f"{prefix}floor_ms", floor)
            if own_floor and f"{prefix}median_ms" in result:
                result[f"{prefix}x_floor"] = round(result[f"{prefix}median_ms"] / own_floor, 1)


def _compare_queries(results: dict, baseline: dict) -> None:
    for name, result in results.items():
        for prefix in ("", "cold_"):
            before = baseline.get(name, {}).get(f"{prefix}queries")
            if before is not None and f"{prefix}queries" in result:
                result[f"{prefix}queries_baseline"] = before
                result[f"{prefix}queries_same"] = before == result[f"{prefix}queries"]


if __name__ == "__main__":
    raise SystemExit(main())
