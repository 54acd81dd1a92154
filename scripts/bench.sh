#!/usr/bin/env bash
# `make bench`: a fresh PostgreSQL database with the scale data (timed), every benchmark case, then the load
# test; prints one JSON object on stdout (progress on stderr) and drops the database whatever happens.
# BENCH_COMMUNES / BENCH_MONTHS / BENCH_LOAD_SECONDS change the size; the figures we quote use the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_USER="${PG_USER:-postgres}"
COMMUNES="${BENCH_COMMUNES:-130}"
MONTHS="${BENCH_MONTHS:-12}"
LOAD_SECONDS="${BENCH_LOAD_SECONDS:-30}"
db="cds_bench_$$"
out="var/bench"
mkdir -p "$out"

export DJANGO_SETTINGS_MODULE=config.settings_bench
export DEBUG=0
export SECRET_KEY="bench-only-$$-$RANDOM$RANDOM"  # throwaway: its sessions die with the database
export DATABASE_URL="postgres://$PG_USER@$PG_HOST:5432/$db"

psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $db" >/dev/null
trap 'psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

echo "== migrate, collectstatic ($db)" >&2
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0

echo "== the four seed plans (some cases import against them), then query counts with one commune" >&2
$PY manage.py load_seed_plans >&2
$PY manage.py seed_scale --communes 1 --periods "$MONTHS" --seed 1 >&2
$PY -m bench.run --repeat 3 >"$out/one-commune.json" || true

echo "== seed_scale --communes $COMMUNES --periods $MONTHS (replacing the one commune)" >&2
start=$EPOCHREALTIME
$PY manage.py seed_scale --communes "$COMMUNES" --periods "$MONTHS" --seed 1 --replace >&2
end=$EPOCHREALTIME
# Fresh planner statistics, as a database that grew month by month would have (autovacuum lags bulk loads).
psql -h "$PG_HOST" -U "$PG_USER" -d "$db" -qc "VACUUM ANALYZE" >/dev/null

status=0
echo "== benchmark cases" >&2
$PY -m bench.run --baseline "$out/one-commune.json" >"$out/cases.json" || status=1
echo "== load test (gunicorn, wrk, ${LOAD_SECONDS}s per URL)" >&2
$PY -m bench.loadtest --duration "$LOAD_SECONDS" >"$out/load.json" || status=1
echo "== nginx over two servers, Redis page cache, approvals with the worker (${LOAD_SECONDS}s per URL)" >&2
$PY -m bench.loadcluster --duration "$LOAD_SECONDS" >"$out/cluster.json" || status=1

$PY - "$out" "$COMMUNES" "$MONTHS" "$start" "$end" <<'PYTHON' | tee "$out/bench.json"
import json, os, sys
from pathlib import Path

out, communes, months = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
seconds = float(sys.argv[5]) - float(sys.argv[4])


def read(name):
    try:
        return json.loads((out / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return {"error": f"{name}: {error}"}


seed = {"communes": communes, "periods": months, "seconds": round(seconds, 1)}
# Other work on the machine shows in every figure; the load average says how quiet the run was.
machine = {"cpus": os.cpu_count(), "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()]}
report = {
    "machine": machine,
    "seed_scale": seed,
    "cases": read("cases.json"),
    "load": read("load.json"),
    "cluster": read("cluster.json"),
}
print(json.dumps(report, ensure_ascii=False, indent=2))
PYTHON
exit $status
