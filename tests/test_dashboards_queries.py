"""The dashboards run the same number of queries whatever the size of the data.

The commune dashboard is measured with the world's one indicator and one task, then with twenty more of each
in new sections and units; the province dashboard and its Excel with one commune, then with fifty. Run with
`-s` to see the counts.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.services import indicator_result_approve, indicator_result_save
from plans.models import SectionKind
from reports.models import Report, ReportStatus
from tasks.services import task_update_approve, task_update_save
from tests import builders
from units.models import Role

MORE_ROWS = 20
MORE_COMMUNES = 49


def measure(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm the caches that fill once per process (content types, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def explain(name: str, few: tuple[int, list[str]], many: tuple[int, list[str]], sizes: str) -> str:
    return "\n".join(
        [
            f"{name} ran {few[0]} then {many[0]} queries ({sizes}): a query per row or per commune must be "
            "justified (aggregate it in dashboards/selectors.py instead).",
            *few[1],
            "--",
            *many[1],
        ]
    )


def report_on(indicator, task, period, clerk, reviewer, n: int) -> None:
    result = indicator_result_save(
        indicator=indicator, period=period, actor=clerk, value=Decimal(70 + n % 30), submit=True
    )
    update = task_update_save(
        task=task,
        period=period,
        actor=clerk,
        progress="in_progress",
        percent_complete=50,
        results="Đang làm",
        submit=True,
    )
    if n % 2:
        indicator_result_approve(result=result, actor=reviewer)
        task_update_approve(update=update, actor=reviewer)


@pytest.mark.parametrize("who,url_name", [("reviewer", "dashboards:commune"), ("clerk", "dashboards:unit")])
def test_commune_dashboard_runs_the_same_queries_for_twenty_more_rows(client, world, who, url_name):
    builders.period(world.commune, "2026-Q3")
    report_on(world.indicator, world.task, world.period, world.clerk, world.reviewer, 1)
    client.force_login(getattr(world, who))
    url = reverse(
        url_name, args=[world.commune.pk if url_name == "dashboards:commune" else world.lead_unit.pk]
    )
    few = measure(client, url)
    units = [world.lead_unit] + [builders.unit(world.commune, f"Thôn {n}") for n in range(1, 4)]
    for unit in units[1:]:
        builders.member(unit, Role.STAFF, f"can-bo-{unit.pk}")
    indicators = builders.section(world.plan, SectionKind.INDICATORS, title="Kinh tế số", number="II")
    tasks = builders.section(world.plan, SectionKind.TASKS, title="Chuyển đổi số trong y tế", number="II")
    for n in range(MORE_ROWS):
        lead = f"Trung tâm PVHCC, Thôn {n % 3 + 1}"
        indicator = builders.indicator(indicators, name=f"Chỉ tiêu thêm {n}", lead=lead)
        task = builders.task(tasks, description=f"Nhiệm vụ thêm {n}", lead=lead, deadline="Tháng 12/2026")
        report_on(indicator, task, world.period, world.clerk, world.reviewer, n)
    many = measure(client, url)
    print(f"\n{url_name}: {few[0]} queries with 1 row, {many[0]} with {MORE_ROWS + 1}")
    assert many[0] == few[0], explain(url_name, few, many, f"1 vs {MORE_ROWS + 1} rows")


def add_commune(world, n: int) -> None:
    commune = builders.commune(f"Xã {n:03d}", world.commune.province.name)
    unit = builders.unit(commune, "Phòng Văn hóa - Xã hội")
    clerk = builders.member(unit, Role.STAFF, f"xa{n}.canbo")
    reviewer = builders.member(unit, Role.REVIEWER, f"xa{n}.thamdinh")
    plan = builders.plan(commune)
    indicator = builders.indicator(builders.section(plan), lead="Phòng Văn hóa - Xã hội")
    task = builders.task(builders.section(plan, SectionKind.TASKS), lead="Phòng Văn hóa - Xã hội")
    period = builders.period(commune, "2026-Q4")
    report_on(indicator, task, period, clerk, reviewer, n)
    if n % 3 == 0:
        sent = Report.objects.create(
            plan=plan,
            period=period,
            status=ReportStatus.SENT,
            sent_at=timezone.now(),
            report_date=timezone.localdate(),
            subject="Báo cáo quý IV",
        )
    if n % 6 == 0:  # a correction: every version is listed on the row, still in the same queries
        Report.objects.create(
            plan=plan,
            period=period,
            version=2,
            corrects=sent,
            correction_reason="Sửa số liệu",
            status=ReportStatus.SENT,
            sent_at=timezone.now(),
            report_date=timezone.localdate(),
            subject="Báo cáo quý IV",
        )


@pytest.mark.parametrize("url_name", ["dashboards:province", "dashboards:province_xlsx"])
def test_province_dashboard_runs_the_same_queries_for_fifty_communes(client, world, url_name):
    client.force_login(world.province_viewer)
    url = f"{reverse(url_name)}?ky=2026-Q4"
    few = measure(client, url)
    for n in range(1, MORE_COMMUNES + 1):
        add_commune(world, n)
    many = measure(client, url)
    print(f"\n{url_name}: {few[0]} queries with 1 commune, {many[0]} with {MORE_COMMUNES + 1}")
    assert many[0] == few[0], explain(url_name, few, many, f"1 vs {MORE_COMMUNES + 1} communes")
    if url_name == "dashboards:province":
        assert client.get(url).content.decode().count("/bang-theo-doi/?ky=2026-Q4") == MORE_COMMUNES + 1
