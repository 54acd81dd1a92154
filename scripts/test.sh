#!/usr/bin/env bash
# The whole suite: static checks, then every test on SQLite and again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings_test

echo "== ruff, floors (import-linter), migrations"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
$PY manage.py makemigrations --check --dry-run

echo "== SQLite"
DATABASE_URL="sqlite:///$(pwd)/var/test.sqlite3" $PY -m pytest "$@"

echo "== PostgreSQL"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_USER="${PG_USER:-postgres}"
db="cds_ci_$$"
# pytest-django creates test_$db and drops it when it is done; the base database is ours to drop.
psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $db" >/dev/null
trap 'psql -h "$PG_HOST" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT
DATABASE_URL="postgres://$PG_USER@$PG_HOST:5432/$db" $PY -m pytest "$@"

echo "== Cụm máy chủ / cluster (make cluster-test)"
bash scripts/cluster-test.sh
