"""The project's layout holds: the period's move between apps loses nothing, dev tools stay out of production,
and the floors import only downward."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps as current_apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from plans.periods import period_code

BASE_DIR = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

BEFORE_THE_MOVE = [
    ("plans", "0001_initial"),
    ("reports", "0002_report"),
    ("indicators", "0002_section_restrict_so_a_plan_deletes_whole"),
    ("tasks", "0002_section_restrict_so_a_plan_deletes_whole"),
]
PERIOD_LINKS = ["indicators.IndicatorResult", "tasks.TaskUpdate", "tasks.TaskContribution", "reports.Report"]
DEV_COMMANDS = ["seed_scale", "load_demo_data", "load_seed_plans"]
PRODUCTION_COMMANDS = ["import_plan", "render_report", "send_reminders"]


def row_counts() -> dict[str, int]:
    # django_migrations changes by design when migrating; every other table must keep its rows.
    tables = set(connection.introspection.table_names()) - {"django_migrations"}
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def period_codes(apps) -> dict[str, list]:
    # Historical models have no ReportingPeriod.code, so the code is rebuilt from its parts.
    return {
        label: sorted(
            (row.pk, period_code(row.period.kind, row.period.year, row.period.number))
            for row in apps.get_model(label).objects.select_related("period")
        )
        for label in PERIOD_LINKS
    }


def period_content_type_apps() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_label FROM django_content_type WHERE model = 'reportingperiod'")
        return [app_label for (app_label,) in cursor.fetchall()]


def migrate_to(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the graph must see what was just applied or unapplied
    return executor


@pytest.mark.django_db(transaction=True)
def test_moving_reporting_period_keeps_every_row_both_ways():
    call_command("load_seed_plans", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    counts = row_counts()
    codes = period_codes(current_apps)
    # The demo data writes no contributions or reports; results and updates carry the check.
    assert codes["indicators.IndicatorResult"] and codes["tasks.TaskUpdate"]
    try:
        executor = migrate_to(BEFORE_THE_MOVE)
        back_counts = row_counts()
        assert "plans_reportingperiod" not in back_counts
        assert back_counts.pop("reports_reportingperiod") == counts["plans_reportingperiod"]
        # Tables of later migrations (plans.PeriodLockEvent) go on the way back; the demo puts no row in them.
        later = set(counts) - set(back_counts) - {"plans_reportingperiod"}
        assert {t: counts[t] for t in later} == dict.fromkeys(later, 0)
        assert back_counts == {t: n for t, n in counts.items() if t not in later | {"plans_reportingperiod"}}
        assert period_content_type_apps() == ["reports"]
        assert period_codes(executor.loader.project_state(BEFORE_THE_MOVE).apps) == codes
    finally:
        # Later tests need the whole schema, whatever failed above.
        migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert row_counts() == counts
    assert period_content_type_apps() == ["plans"]
    assert period_codes(current_apps) == codes


def manage_py_help(tmp_path: Path, debug: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": debug,
        "SECRET_KEY": "some-test-key",
        "ALLOWED_HOSTS": "example.org",
        # With DEBUG off the settings refuse SQLite; `help` never connects, so the database need not exist.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'throwaway.sqlite3'}"
        if debug == "1"
        else "postgres://cds@127.0.0.1:5432/unused",
    }
    command = [sys.executable, "manage.py", "help"]
    result = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return result.stdout


def test_production_settings_offer_no_development_commands(tmp_path):
    commands = manage_py_help(tmp_path, debug="0").split()
    for name in DEV_COMMANDS:
        assert name not in commands
    for name in PRODUCTION_COMMANDS:
        assert name in commands


def test_debug_settings_offer_the_development_commands(tmp_path):
    commands = manage_py_help(tmp_path, debug="1").split()
    for name in DEV_COMMANDS + PRODUCTION_COMMANDS:
        assert name in commands


def lint_imports(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    # --no-cache: the check must not leave a cache folder in the tree it reads.
    return subprocess.run(  # noqa: S603
        [LINT_IMPORTS, "--no-cache", "--no-logo"], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_floors_import_only_downward():
    result = lint_imports(BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr


def test_upward_import_breaks_the_floors_contract(tmp_path):
    ignore = shutil.ignore_patterns(".venv", "var", "__pycache__", "node_modules", "tests")
    for package in BASE_DIR.iterdir():
        if package.is_dir() and package.name != "tests" and (package / "__init__.py").exists():
            shutil.copytree(package, tmp_path / package.name, ignore=ignore)
    shutil.copy(BASE_DIR / "pyproject.toml", tmp_path)
    with (tmp_path / "common" / "text.py").open("a", encoding="utf-8") as text_module:
        text_module.write("from tracking import views  # upward\n")

    result = lint_imports(tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert result.returncode != 0
    assert "common.text -> tracking.views" in result.stdout
