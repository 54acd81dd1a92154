"""The busiest pages run the same number of queries for one row as for twenty-one.

Each page is measured with the world's one indicator and one task, then again after twenty more of each, all
led by the clerk's unit, all with an entry submitted (with a PDF) for the open period and a draft in the
previous period. Run with `-s` to see the counts.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.services import evidence_attach
from indicators.services import indicator_result_save
from plans.models import SectionKind
from tasks.services import task_update_save
from tests import builders

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MORE = 20


@dataclass(frozen=True)
class Page:
    url_name: str
    who: str
    takes_plan: bool = False


PAGES = {
    "my work": Page("tracking:my_work", "clerk"),
    "plan browser": Page("tracking:plan_detail", "clerk", takes_plan=True),
    "review queue": Page("tracking:review", "reviewer"),
}


def report(world, previous, indicator, task, n: int) -> None:
    """The clerk's draft for the previous period, then the submitted entry, with a PDF, for the open one."""
    clerk = world.clerk
    indicator_result_save(indicator=indicator, period=previous, actor=clerk, value=Decimal(40 + n))
    task_update_save(task=task, period=previous, actor=clerk, progress="in_progress", percent_complete=20)
    result = indicator_result_save(
        indicator=indicator, period=world.period, actor=clerk, value=Decimal(60 + n), submit=True
    )
    update = task_update_save(
        task=task,
        period=world.period,
        actor=clerk,
        progress="in_progress",
        percent_complete=50,
        results=f"Kết quả nhiệm vụ {n}",
        submit=True,
    )
    for entry in (result, update):
        upload = SimpleUploadedFile(f"bao-cao-{n}.pdf", PDF, content_type="application/pdf")
        evidence_attach(owner=entry, upload=upload, actor=clerk)


@pytest.fixture
def previous(world, settings, tmp_path):
    """Last quarter, holding the clerk's drafts; the world's own row is reported on before measuring."""
    settings.MEDIA_ROOT = tmp_path
    period = builders.period(world.commune, "2026-Q3")
    report(world, period, world.indicator, world.task, 0)
    return period


def add_rows(world, previous) -> None:
    indicator_section = builders.section(world.plan, SectionKind.INDICATORS, title="Kinh tế số", number="II")
    task_section = builders.section(world.plan, SectionKind.TASKS, title="Phát triển xã hội số", number="II")
    old_indicators, old_tasks = world.indicator.section, world.task.section
    for n in range(1, MORE + 1):
        indicator = builders.indicator(
            indicator_section if n % 2 else old_indicators, name=f"Chỉ tiêu thêm {n}", lead="Trung tâm PVHCC"
        )
        task = builders.task(
            task_section if n % 2 else old_tasks, description=f"Nhiệm vụ thêm {n}", lead="Trung tâm PVHCC"
        )
        report(world, previous, indicator, task, n)


def measure(client, url: str) -> tuple[int, list[str], str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries], response.content.decode()


@pytest.mark.parametrize("page", list(PAGES), ids=list(PAGES))
def test_page_runs_the_same_queries_for_twenty_more_rows(client, world, previous, page):
    spec = PAGES[page]
    client.force_login(getattr(world, spec.who))
    url = reverse(spec.url_name, args=[world.plan.pk] if spec.takes_plan else [])
    client.get(url)  # warm the caches that fill once per process (content types, templates)
    few, few_sql, few_body = measure(client, url)
    add_rows(world, previous)
    many, many_sql, many_body = measure(client, url)
    print(f"\n{page} ({spec.url_name} as {spec.who}): {few} queries with 1 row, {many} with {MORE + 1} rows")

    assert world.indicator.name in few_body and f"Chỉ tiêu thêm {MORE}" not in few_body
    assert f"Chỉ tiêu thêm {MORE}" in many_body and f"Nhiệm vụ thêm {MORE}" in many_body
    assert many == few, "\n".join(
        [
            f"{page} ran {few} queries with 1 row but {many} with {MORE + 1}: a new query per row must be "
            "justified (prefetch it in the selector, or explain here why the page needs it).",
            f"-- {few} queries with 1 row:",
            *few_sql,
            f"-- {many} queries with {MORE + 1} rows:",
            *many_sql,
        ]
    )
