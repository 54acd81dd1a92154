import datetime as dt
import os
import subprocess
import sys
import unicodedata
from decimal import Decimal

import pytest
from django import forms
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.template import Context, Template
from django.utils import translation

from indicators.models import Indicator, IndicatorResult
from plans.models import Plan
from plans.periods import parse_period_code
from plans.workflow import WorkflowStatus
from tasks.models import TaskUpdate
from tests import builders
from units.models import Unit


def test_a_typed_date_means_day_then_month():
    with translation.override("vi"):
        assert forms.DateField().clean("05/03/2026") == dt.date(2026, 3, 5)


def test_numbers_print_with_dot_groups_and_dates_as_dd_mm_yyyy():
    with translation.override("vi"):
        rendered = Template("{{ n }} {{ d|date:'SHORT_DATE_FORMAT' }} {{ x }}").render(
            Context({"n": 1234567, "d": dt.date(2026, 3, 5), "x": Decimal("81.5")})
        )
    assert rendered == "1.234.567 05/03/2026 81,5"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    completed = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert completed.returncode != 0
    assert "SECRET_KEY must be set" in completed.stderr


def test_the_wsgi_server_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    completed = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", "import config.wsgi"], env=env, capture_output=True, text=True
    )
    assert completed.returncode != 0 and "SECRET_KEY must be set" in completed.stderr


def test_text_typed_decomposed_is_stored_composed(db):
    commune = builders.commune()
    decomposed = unicodedata.normalize("NFD", "Phòng Văn hóa - Xã hội")
    unit = builders.unit(commune, decomposed)
    unit.refresh_from_db()
    assert unit.name == unicodedata.normalize("NFC", decomposed)
    assert Unit.objects.filter(name=decomposed).count() == 1


def test_deleting_a_unit_that_leads_tasks_is_refused(world):
    with pytest.raises(ProtectedError):
        world.lead_unit.delete()
    assert world.task.assignments.get(role="lead").unit == world.lead_unit


def test_a_control_character_never_reaches_the_database(world):
    TaskUpdate.objects.create(
        task=world.task, period=world.period, results="Đã số hóa\x02 hồ sơ\nxong", author=world.clerk
    )
    assert TaskUpdate.objects.get().results == "Đã số hóa hồ sơ\nxong"


def test_a_plan_without_entries_deletes_whole_but_a_section_alone_keeps_its_items(world):
    with pytest.raises(RestrictedError):
        world.indicator.section.delete()
    world.plan.delete()
    assert not Plan.objects.filter(pk=world.plan.pk).exists()
    assert not Indicator.objects.filter(pk=world.indicator.pk).exists()


def test_a_plan_with_entries_cannot_be_deleted(world):
    IndicatorResult.objects.create(
        indicator=world.indicator, period=world.period, value=Decimal(50), author=world.clerk
    )
    with pytest.raises(ProtectedError):
        world.plan.delete()


def test_two_spellings_of_one_unit_cannot_become_two_units(db):
    commune = builders.commune()
    builders.unit(commune, "Phòng Văn hóa - Xã hội")
    with pytest.raises(Exception, match="đã tồn tại|already exists"):
        builders.unit(commune, "Phòng Văn hoá- Xã hội")


def _insert(model, **fields):
    with transaction.atomic():
        model.objects.create(**fields)


def test_database_refuses_a_numerator_above_its_denominator(world):
    with pytest.raises(IntegrityError):
        _insert(
            IndicatorResult, indicator=world.indicator, period=world.period, numerator=6000, denominator=5219
        )


def test_database_refuses_a_percent_above_100(world):
    with pytest.raises(IntegrityError):
        _insert(TaskUpdate, task=world.task, period=world.period, percent_complete=101)


def test_database_keeps_one_result_per_indicator_and_period(world):
    _insert(IndicatorResult, indicator=world.indicator, period=world.period, value=Decimal("81"))
    with pytest.raises(IntegrityError):
        _insert(IndicatorResult, indicator=world.indicator, period=world.period, value=Decimal("82"))
    assert IndicatorResult.objects.get().status == WorkflowStatus.DRAFT


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026-M03", dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        ("2025-Q4", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2026-H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        ("2024-M02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_period_codes_name_their_dates(code, start, end):
    spec = parse_period_code(code)
    assert (spec.start, spec.end, spec.code) == (start, end, code)


@pytest.mark.parametrize("code", ["2026-Q5", "2026-M13", "2026-H0", "Q1-2026", "", "2026-X1"])
def test_bad_period_codes_are_refused_in_vietnamese(code):
    with pytest.raises(ValueError, match="Mã kỳ báo cáo không hợp lệ"):
        parse_period_code(code)


def test_an_on_request_task_is_never_overdue(world):
    section = world.task.section
    on_request = builders.task(section, deadline="Khi có yêu cầu")
    dated = builders.task(section, deadline="Trước ngày 20/12/2025")
    today = dt.date(2026, 11, 22)
    assert not on_request.is_overdue(today)
    assert dated.is_overdue(today)
