"""Any Unicode a user can paste reaches every output and each one still opens.

Random text over every code point (surrogates and noncharacters included, and the characters that once made
a frozen report's workbook unopenable drawn often) goes through the text fields that reach the outputs: an
indicator's name and note, a task's description, a task update's results, an indicator result's note, a
report's narrative, a commune's name. Then the report XLSX, the plan export and the province roll-up are
written and opened again, every XML part parsed strictly; the report PDF is rendered for fewer examples
because it costs up to a second each.
"""

import datetime as dt
import io
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dashboards.selectors import province_rollup
from dashboards.xlsx import rollup_workbook
from imports.exporter import plan_workbook
from indicators.models import IndicatorResult
from plans.workflow import WorkflowStatus
from reports import pdf, selectors, services, xlsx
from reports.content import NARRATIVE_SECTIONS
from reports.models import Report
from tasks.models import TaskProgress, TaskUpdate

HOSTILE = [
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
    "\x00",
    "\x02",
    "\x0b",
    "\x1f",
    "\x7f",
    "\x85",
    "\ufdd0",
    "\U0001fffe",
    "\U0010ffff",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\r",
    "=",
    "<",
    "&",
    "ư",
    "\u0301",
    "👩",
]
ANY_CHARACTER = st.characters(exclude_categories=())  # every code point, surrogates included
hostile_text = st.text(st.one_of(ANY_CHARACTER, st.sampled_from(HOSTILE)), max_size=120)
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def report(world, settings, tmp_path) -> Report:
    settings.MEDIA_ROOT = tmp_path
    return services.report_create(plan=world.plan, period=world.period, actor=world.reviewer)


def _store_everywhere(world, report: Report, text: str) -> Report:
    """Write `text` through every field that reaches an output, as a row stored by any door would hold it."""
    indicator, task = world.indicator, world.task
    indicator.name, indicator.note = text or "Chỉ tiêu", text
    indicator.save()
    task.description, task.note = text or "Nhiệm vụ", text
    task.save()
    approved = {"status": WorkflowStatus.APPROVED, "author": world.clerk}
    TaskUpdate.objects.update_or_create(
        task=task,
        period=world.period,
        defaults={
            **approved,
            "progress": TaskProgress.IN_PROGRESS,
            "percent_complete": 50,
            "results": text,
            "difficulties": text,
            "proposals": text,
        },
    )
    IndicatorResult.objects.update_or_create(
        indicator=indicator, period=world.period, defaults={**approved, "value": 85, "note": text}
    )
    commune = world.commune
    commune.name = text[:100] or "Nghĩa Đàn"
    commune.save()
    narrative = {name: text for name, _title in NARRATIVE_SECTIONS}
    services.report_update(report=report, actor=world.reviewer, **narrative)
    return Report.objects.with_related().get(pk=report.pk)


def _opens(workbook: bytes) -> None:
    """Every XML part is well-formed (what Excel needs), and openpyxl reads every cell back."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))  # noqa: S314 - our own output, parsed to check it
    book = load_workbook(io.BytesIO(workbook))
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass


@EXAMPLES
@given(text=hostile_text)
def test_any_text_leaves_the_report_workbook_the_plan_export_and_the_roll_up_openable(world, report, text):
    report = _store_everywhere(world, report, text)
    for field in ("overall_assessment", "shortcomings"):
        assert "\ufffe" not in getattr(report, field) and "\ud800" not in getattr(report, field)
    _opens(xlsx.render_xlsx(selectors.report_content(report)))
    world.plan.refresh_from_db()
    _opens(plan_workbook(world.plan))
    rollup = province_rollup(
        province=world.commune.province, code=world.period.code, today=dt.date(2026, 11, 22), by_pillar=True
    )
    _opens(rollup_workbook(rollup))


@settings(
    max_examples=5,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile_text)
def test_any_text_leaves_the_report_pdf_readable(world, report, text):
    report = _store_everywhere(world, report, text)
    data = pdf.render_pdf(selectors.report_content(report))
    assert data.startswith(b"%PDF-")
    subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S607
