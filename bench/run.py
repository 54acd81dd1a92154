"""Run every benchmark case and print one JSON object: `python -m bench.run [--only NAME]`.

Runs against the database DATABASE_URL names (PostgreSQL with the scale data for the figures we quote).
"""

import argparse
import importlib
import json
import os
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.harness import Bench

    bench = Bench(only=args.only)
    package = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(package)]) if m.name.startswith("cases_")):
        importlib.import_module(f"bench.{module}").run(bench)
    print(json.dumps(bench.results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
