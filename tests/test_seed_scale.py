"""seed_scale builds a province shaped like the seed plans, the same way every time for the same seed.

Two communes and three months: enough for a completed quarter (2026-Q1, open with its last month).
"""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api.models import ApiClient
from api.services import api_client_create
from catalogue.models import CatalogueEntry, IndicatorLink
from catalogue.services import catalogue_entry_save
from devdata import scale
from indicators.models import Indicator, IndicatorResult
from indicators.targets import TargetKind
from plans.models import Plan, ReportingPeriod
from plans.services import period_lock
from plans.workflow import WorkflowStatus
from tasks.deadlines import DeadlineKind
from tasks.models import Task, TaskUpdate
from tests import builders
from units.models import Commune, Membership, Province, ProvinceViewer, Role

COMMUNES, MONTHS = 2, 3


def build(seed: int = 1, replace: bool = False) -> str:
    out = StringIO()
    args = ["--communes", str(COMMUNES), "--periods", str(MONTHS), "--seed", str(seed)]
    call_command("seed_scale", *args, *(["--replace"] if replace else []), stdout=out)
    return out.getvalue()


def snapshot() -> list:
    """Everything the builder chose, without the database keys and row timestamps."""
    return [
        list(
            Indicator.objects.order_by("plan__commune__code", "order").values_list(
                "plan__commune__code", "order", "name", "lead_text", "section__title", "targets__raw_text"
            )
        ),
        list(
            Task.objects.order_by("plan__commune__code", "order").values_list(
                "plan__commune__code", "order", "description", "lead_text", "deadline_text", "due_date"
            )
        ),
        list(
            IndicatorResult.objects.order_by(
                "indicator__plan__commune__code", "indicator__order", "period__start", "period__kind"
            ).values_list(
                "indicator__plan__commune__code",
                "indicator__order",
                "period__kind",
                "period__number",
                "value",
                "numerator",
                "denominator",
                "flag",
                "verdict",
                "status",
                "author__username",
                "submitted_at",
                "reviewed_at",
            )
        ),
        list(
            TaskUpdate.objects.order_by(
                "task__plan__commune__code", "task__order", "period__start", "period__kind"
            ).values_list(
                "task__plan__commune__code",
                "task__order",
                "period__kind",
                "period__number",
                "progress",
                "percent_complete",
                "status",
                "review_comment",
            )
        ),
    ]


@pytest.fixture
def province(db):
    build()
    return Province.objects.get(code=scale.PROVINCE_CODE)


def test_builds_the_contracted_province_communes_plans_and_periods(province):
    assert str(province) == "tỉnh Quy Mô"
    communes = list(Commune.objects.filter(province=province).order_by("code"))
    assert [(c.code, str(c)) for c in communes] == [("QM001", "xã Quy Mô 001"), ("QM002", "xã Quy Mô 002")]
    for plan in Plan.objects.filter(commune__province=province):
        assert 30 <= plan.indicators.count() <= 60
        assert 30 <= plan.tasks.count() <= 60
        assert plan.sections.filter(parent__isnull=False).exists() or plan.sections.count() > 2
    periods = {p.code: p for p in ReportingPeriod.objects.filter(province=province, commune__isnull=True)}
    assert sorted(periods) == ["2026-M01", "2026-M02", "2026-M03", "2026-Q1"]
    assert [code for code, p in sorted(periods.items()) if not p.is_locked] == ["2026-M03", "2026-Q1"]


def test_every_item_has_at_most_one_entry_per_period_and_every_period_has_entries(province):
    items = Indicator.objects.filter(plan__commune__province=province).count()
    tasks = Task.objects.filter(plan__commune__province=province).count()
    for period in ReportingPeriod.objects.filter(province=province):
        results = IndicatorResult.objects.filter(period=period).count()
        updates = TaskUpdate.objects.filter(period=period).count()
        assert 0.5 * items < results <= items, period.code
        assert 0.5 * tasks < updates <= tasks, period.code


def test_plans_carry_every_target_form_and_every_deadline_kind(province):
    target_kinds = set(
        Indicator.objects.filter(plan__commune__province=province).values_list("targets__kind", flat=True)
    )
    assert set(TargetKind) <= target_kinds
    deadline_kinds = set(
        Task.objects.filter(plan__commune__province=province).values_list("deadline_kind", flat=True)
    )
    assert deadline_kinds == set(DeadlineKind)


def test_open_period_has_missing_draft_submitted_returned_and_approved_entries(province):
    open_month = ReportingPeriod.objects.get(province=province, kind="month", number=MONTHS)
    statuses = set(IndicatorResult.objects.filter(period=open_month).values_list("status", flat=True))
    statuses |= set(TaskUpdate.objects.filter(period=open_month).values_list("status", flat=True))
    assert statuses == set(WorkflowStatus)
    missing = Task.objects.filter(plan__commune__province=province).exclude(updates__period=open_month)
    assert missing.exists()
    returned = TaskUpdate.objects.filter(period=open_month, status=WorkflowStatus.RETURNED)
    assert all(u.review_comment and u.reviewed_by_id for u in returned)
    locked = IndicatorResult.objects.filter(period__locked_at__isnull=False)
    assert locked.filter(status=WorkflowStatus.APPROVED).count() > 0.8 * locked.count()


def test_some_tasks_are_overdue_and_not_done(province):
    open_month = ReportingPeriod.objects.get(province=province, kind="month", number=MONTHS)
    today = open_month.end
    late = [
        task
        for task in Task.objects.filter(plan__commune__province=province).prefetch_related("updates")
        if task.is_overdue(today)
        and not any(u.period_id == open_month.pk and u.progress == "done" for u in task.updates.all())
    ]
    assert late


def test_entries_obey_the_models_rules_and_verdicts_follow_the_targets(province):
    results = IndicatorResult.objects.select_related("indicator", "period").prefetch_related(
        "indicator__targets"
    )
    for result in results:
        target = next(iter(result.indicator.targets.all()), None)
        verdict = target.evaluate(value=result.effective_value, flag=result.flag) if target else None
        assert result.verdict == (verdict.value if verdict else "")
        assert (result.submitted_at is None) == (result.status == WorkflowStatus.DRAFT)
        assert (result.reviewed_by_id is not None) == (
            result.status in (WorkflowStatus.APPROVED, WorkflowStatus.RETURNED)
        )
    for model in (IndicatorResult, TaskUpdate, Indicator, Task):
        for row in model.objects.all()[:40]:
            row.full_clean()
    done = TaskUpdate.objects.filter(progress="done")
    assert done.exists() and not done.exclude(percent_complete=100).exists()


def test_same_seed_gives_the_same_data_and_another_seed_other_data(province):
    first = snapshot()
    build(seed=1, replace=True)
    assert snapshot() == first
    build(seed=2, replace=True)
    assert snapshot() != first


def test_refuses_to_build_the_province_twice_without_replace(province):
    with pytest.raises(CommandError, match="--replace"):
        build()
    assert Province.objects.filter(code=scale.PROVINCE_CODE).count() == 1


def test_replace_leaves_no_orphans(province):
    build(replace=True)
    assert Commune.objects.filter(province__code=scale.PROVINCE_CODE).count() == COMMUNES
    people = get_user_model().objects.filter(username__startswith="qm")
    assert people.filter(username="qm001.canbo").count() == 1
    assert not people.filter(memberships__isnull=True).exists()
    assert not IndicatorResult.objects.filter(author__isnull=True).exists()
    assert ReportingPeriod.objects.filter(province__code=scale.PROVINCE_CODE).count() == MONTHS + 1


def test_replace_removes_what_the_province_screens_and_benchmarks_attached(province):
    # As the catalogue and API benchmark cases leave them: an entry linked to an indicator, an API client,
    # a province administrator and a period locked with a reason.
    scale_province = Province.objects.get(code=scale.PROVINCE_CODE)
    officer = builders.province_administrator(scale_province, "quantri.quymo")
    entry = catalogue_entry_save(
        province=scale_province,
        code="QM-01",
        name="Tỷ lệ hồ sơ giải quyết trực tuyến",
        pillar="chinh_quyen",
        measure="percent",
        aggregation="rate",
        source="KH 02",
        target_text="80%",
    )
    IndicatorLink.objects.create(
        indicator=Indicator.objects.filter(plan__commune__province=scale_province)[0], entry=entry
    )
    api_client_create(province=scale_province, name="Bench", actor=officer)
    period = ReportingPeriod.objects.filter(province=scale_province).first()
    period_lock(period=period, actor=officer, reason="Chốt số liệu")

    build(replace=True)

    assert Commune.objects.filter(province__code=scale.PROVINCE_CODE).count() == COMMUNES
    assert not CatalogueEntry.objects.exists() and not ApiClient.objects.exists()


def test_users_per_role_log_in_and_see_their_commune_only(client, province):
    roles = dict(
        Membership.objects.filter(user__username__startswith="qm001.").values_list("user__username", "role")
    )
    assert {name: role for name, role in roles.items() if ".dv" not in name} == {
        "qm001.canbo": Role.STAFF,
        "qm001.vhxh": Role.HEAD,
        "qm001.thamdinh": Role.REVIEWER,
        "qm001.lanhdao": Role.LEADER,
    }
    assert ProvinceViewer.objects.filter(user__username=scale.VIEWER_USERNAME, province=province).exists()
    own, other = (Plan.objects.get(commune__code=code) for code in ("QM001", "QM002"))

    assert client.login(username="qm001.canbo", password="demo12345")
    response = client.get(reverse("tracking:my_work"))
    assert response.status_code == 200
    work = response.context["work"]
    assert work.period.code == "2026-M03" and len(work.items) >= 3
    assert {item.item.plan_id for item in work.items} == {own.pk}
    assert client.get(reverse("tracking:plan_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("tracking:plan_detail", args=[other.pk])).status_code == 404

    assert client.login(username="qm001.thamdinh", password="demo12345")
    response = client.get(reverse("tracking:review"))
    assert response.status_code == 200 and response.context["groups"]

    assert client.login(username=scale.VIEWER_USERNAME, password="demo12345")
    assert client.get(reverse("tracking:plan_detail", args=[other.pk])).status_code == 200


def test_a_commune_is_the_same_whatever_the_number_of_communes_built(db):
    scale.province_build(communes=1, months=1, seed=5, password="x")
    alone = snapshot()
    scale.province_delete()
    scale.province_build(communes=2, months=1, seed=5, password="x")
    both = snapshot()
    assert [[row for row in table if row[0] == "QM001"] for table in both] == alone


def test_entries_are_submitted_in_the_last_days_of_their_period(province):
    for result in IndicatorResult.objects.exclude(submitted_at=None).select_related("period")[:200]:
        submitted = timezone.localtime(result.submitted_at).date()
        assert result.period.end - dt.timedelta(days=9) <= submitted <= result.period.end
