# The two commands the README names: `make run` and `make test`.
PY := .venv/bin/python
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: install run test lint bench cluster-test

install: .venv/.installed

.venv/.installed: pyproject.toml scripts/system-deps.sh
	bash scripts/system-deps.sh
	python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -e '.[dev]'
	touch $@

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_seed_plans
	DEBUG=1 $(PY) manage.py load_demo_data
	@echo "Mở http://127.0.0.1:8000/ — Open http://127.0.0.1:8000/"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: install
	bash scripts/test.sh

# Scale data on a fresh PostgreSQL database, every benchmark case, the load test: one JSON object.
bench: install
	bash scripts/bench.sh

# PostgreSQL, Redis, an S3 store, two gunicorn, a Celery worker and nginx on this machine; a journey through
# them; everything stopped again (scripts/cluster-test.sh).
cluster-test: install
	bash scripts/cluster-test.sh

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
