"""Several plans at once: a plan is a draft until the reviewer issues it, then closed; only issued plans
in effect count on My work, in the review queue and on the dashboards, where a picker chooses among them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.selectors import province_rollup
from imports.reader import read_workbook
from imports.services import plan_import
from indicators.models import IndicatorResult
from indicators.services import indicator_result_save
from plans.models import Plan, PlanStatus, SectionKind
from plans.services import period_lock, plan_close, plan_issue
from tasks.models import TaskUpdate
from tasks.services import task_update_save
from tests import builders
from tests.data.seed_tables import workbook_bytes

TODAY = dt.date(2026, 12, 20)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _plan_with_rows(world, title: str, status: str = PlanStatus.ISSUED) -> Plan:
    """Another plan of Nghĩa Đàn for 2026 with an indicator and a task the clerk's unit leads, each with a
    submitted entry for world.period."""
    plan = builders.plan(world.commune, title=title)
    if status != PlanStatus.ISSUED:
        Plan.objects.filter(pk=plan.pk).update(status=status)
        plan.refresh_from_db()
    indicator = builders.indicator(
        builders.section(plan), name=f"Chỉ tiêu của {title}", lead="Trung tâm PVHCC"
    )
    task = builders.task(
        builders.section(plan, SectionKind.TASKS), description=f"Nhiệm vụ của {title}", lead="Trung tâm PVHCC"
    )
    indicator_result_save(
        indicator=indicator, period=world.period, actor=world.clerk, value=Decimal(90), submit=True
    )
    task_update_save(
        task=task,
        period=world.period,
        actor=world.clerk,
        progress="in_progress",
        percent_complete=30,
        results="Đang triển khai",
        submit=True,
    )
    return plan


# -- services ---------------------------------------------------------------------------------------------


def test_reviewer_issues_a_draft_and_closes_an_issued_plan(world):
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.DRAFT)
    assert plan_issue(plan=world.plan, actor=world.reviewer).status == PlanStatus.ISSUED
    with pytest.raises(ValidationError, match="Chỉ ban hành được kế hoạch dự thảo; kế hoạch này đã ban hành"):
        plan_issue(plan=world.plan, actor=world.reviewer)
    assert plan_close(plan=world.plan, actor=world.reviewer).status == PlanStatus.CLOSED
    with pytest.raises(ValidationError, match="Chỉ kết thúc được kế hoạch đã ban hành"):
        plan_close(plan=world.plan, actor=world.reviewer)
    world.plan.refresh_from_db()
    assert world.plan.status == PlanStatus.CLOSED


@pytest.mark.parametrize("who", ["clerk", "leader", "outsider", "province_viewer", "province_admin"])
def test_only_the_communes_reviewer_changes_a_plans_status(world, who):
    with pytest.raises(PermissionDenied):
        plan_close(plan=world.plan, actor=getattr(world, who))
    world.plan.refresh_from_db()
    assert world.plan.status == PlanStatus.ISSUED


def test_a_newly_imported_plan_is_a_draft_and_not_the_dashboards_plan(client, world):
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"]
    sheet = [header, ["I", "Hạ tầng số"], ["1", "Lắp wifi", "Trung tâm PVHCC", "2026"]]
    result = plan_import(
        commune=world.commune,
        workbook=read_workbook(workbook_bytes({"Nhiệm vụ": sheet})),
        title="Kế hoạch vừa nhập từ Excel",
        year=2026,
        dry_run=False,
    )
    assert result.plan.status == PlanStatus.DRAFT
    client.force_login(world.reviewer)
    page = client.get(reverse("dashboards:commune", args=[world.commune.pk])).content.decode()
    assert world.plan.title in page and "Kế hoạch vừa nhập từ Excel" not in page


# -- the plan page ----------------------------------------------------------------------------------------


def test_reviewer_issues_a_draft_from_the_plan_page(client, world):
    Plan.objects.filter(pk=world.plan.pk).update(status=PlanStatus.DRAFT)
    client.force_login(world.reviewer)
    page = client.get(reverse("tracking:plan_detail", args=[world.plan.pk])).content.decode()
    assert "Dự thảo" in page and "Ban hành kế hoạch" in page and 'form="plan-status-form"' in page
    url = reverse("tracking:plan_status", args=[world.plan.pk])
    response = client.post(url, {"action": "issue"}, follow=True)
    assert "Đã ban hành kế hoạch" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.status == PlanStatus.ISSUED
    assert (
        "Kết thúc kế hoạch"
        in client.get(reverse("tracking:plan_detail", args=[world.plan.pk])).content.decode()
    )
    response = client.post(url, {"action": "xoa"}, follow=True)
    assert "Thao tác không hợp lệ" in response.content.decode()
    response = client.post(url, {"action": "close"}, follow=True)
    assert "Đã kết thúc kế hoạch" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.status == PlanStatus.CLOSED


def test_clerk_sees_no_status_buttons_and_cannot_post_them(client, world):
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:plan_detail", args=[world.plan.pk])).content.decode()
    assert "Đã ban hành" in page and "Kết thúc kế hoạch" not in page
    assert (
        client.post(reverse("tracking:plan_status", args=[world.plan.pk]), {"action": "close"}).status_code
        == 403
    )
    client.force_login(world.outsider)
    assert (
        client.post(reverse("tracking:plan_status", args=[world.plan.pk]), {"action": "close"}).status_code
        == 404
    )
    world.plan.refresh_from_db()
    assert world.plan.status == PlanStatus.ISSUED


# -- what counts ------------------------------------------------------------------------------------------


def test_a_draft_plan_is_absent_and_a_second_issued_plan_present_on_my_work_queue_and_dashboard(
    client, world
):
    second = _plan_with_rows(world, "Kế hoạch hành động 02")
    draft = _plan_with_rows(world, "Kế hoạch dự thảo", PlanStatus.DRAFT)
    closed = _plan_with_rows(world, "Kế hoạch đã kết thúc", PlanStatus.CLOSED)
    client.force_login(world.clerk)
    my_work = client.get(reverse("tracking:my_work")).content.decode()
    assert "Chỉ tiêu của Kế hoạch hành động 02" in my_work and "Nhiệm vụ của Kế hoạch hành động 02" in my_work
    assert "Kế hoạch dự thảo" not in my_work and "Kế hoạch đã kết thúc" not in my_work
    client.force_login(world.reviewer)
    queue = client.get(reverse("tracking:review")).content.decode()
    assert "Chỉ tiêu của Kế hoạch hành động 02" in queue and "Nhiệm vụ của Kế hoạch hành động 02" in queue
    assert "Kế hoạch dự thảo" not in queue and "Kế hoạch đã kết thúc" not in queue
    url = reverse("dashboards:commune", args=[world.commune.pk])
    dashboard = client.get(url).content.decode()
    assert 'name="ke-hoach"' in dashboard
    assert second.title in dashboard and world.plan.title in dashboard
    assert draft.title not in dashboard and closed.title not in dashboard
    picked = client.get(url, {"ke-hoach": world.plan.pk}).content.decode()
    assert f'value="{world.plan.pk}" selected' in picked
    assert f'href="{reverse("tracking:plan_detail", args=[world.plan.pk])}"' in picked
    for refused in (draft.pk, closed.pk, world.other_plan.pk, "abc", "²"):
        assert client.get(url, {"ke-hoach": refused}).status_code == 404


def test_the_province_counts_only_issued_plans(client, world):
    _plan_with_rows(world, "Kế hoạch dự thảo", PlanStatus.DRAFT)
    (row,) = province_rollup(province=world.commune.province, code="2026-Q4", today=TODAY).rows
    assert row.indicators.total == 1 and row.tasks.total == 1


@pytest.mark.parametrize(
    ("who", "url_name"),
    [("clerk", "tracking:my_work"), ("reviewer", "tracking:review"), ("reviewer", "dashboards:commune")],
)
def test_pages_run_the_same_queries_with_more_plans(client, world, who, url_name):
    args = [world.commune.pk] if url_name == "dashboards:commune" else []
    client.force_login(getattr(world, who))
    _plan_with_rows(world, "Kế hoạch 1")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name, args=args)).status_code == 200
    for n in range(2, 6):
        _plan_with_rows(world, f"Kế hoạch {n}")
        _plan_with_rows(world, f"Dự thảo {n}", PlanStatus.DRAFT)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse(url_name, args=args)).content.decode()
    assert "Kế hoạch 5" in page
    assert len(many) == len(few), f"{url_name}: a new query per plan must be justified"


# -- the period's lock on the entry forms and the internal deadline --------------------------------------


@pytest.mark.parametrize("url_name", ["tracking:result_edit", "tracking:update_edit"])
def test_entry_forms_of_a_locked_period_say_who_locked_it_when_and_why_and_refuse_entries(
    client, world, url_name
):
    period_lock(period=world.period, actor=world.reviewer, reason="Đã chốt số liệu gửi tỉnh")
    item = world.indicator if url_name == "tracking:result_edit" else world.task
    url = reverse(url_name, args=[item.pk, world.period.pk])
    client.force_login(world.clerk)
    page = client.get(url).content.decode()
    assert "Kỳ báo cáo 2026-Q4 đã khóa lúc" in page and "bởi reviewer" in page
    assert "Lý do: Đã chốt số liệu gửi tỉnh" in page and 'name="action"' not in page
    data = {"value": "90", "progress": "done", "percent_complete": "100", "action": "submit", "version": "0"}
    response = client.post(url, data)
    assert "Đã chốt số liệu gửi tỉnh" in response.content.decode()
    assert not IndicatorResult.objects.exists() and not TaskUpdate.objects.exists()


def test_my_work_shows_the_internal_deadline_of_the_open_period(client, world):
    world.period.due_date = dt.date(2027, 1, 15)
    world.period.internal_days_before = 7
    world.period.save()
    assert world.period.internal_due_date == dt.date(2027, 1, 8)
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert "Hạn nội bộ: <strong>08/01/2027</strong>" in page and "còn 19 ngày" in page
