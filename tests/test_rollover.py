"""Rolling a plan over to next year: sections, targets, unfinished and recurring tasks carried as a draft."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from imports.rollover import plan_rollover
from indicators.services import indicator_result_approve, indicator_result_save, target_set
from plans.models import PlanStatus, SectionKind
from tasks.services import task_update_approve, task_update_save
from tests import builders


@pytest.fixture
def plan_with_progress(world):
    """world.plan with: a done task, an unfinished one, a recurring done one, and approved results."""
    sub = builders.section(world.plan, SectionKind.TASKS, title="Hạ tầng dữ liệu", number="")
    sub.parent = world.task.section
    sub.save()
    done = builders.task(
        world.task.section, description="Đã xong", lead="Trung tâm PVHCC", deadline="Quý 1/2026"
    )
    recurring = builders.task(
        sub, description="Tuyên truyền", lead="Trung tâm PVHCC", deadline="Thường xuyên"
    )
    for task, progress, percent in (
        (done, "done", 100),
        (recurring, "done", 100),
        (world.task, "in_progress", 50),
    ):
        update = task_update_save(
            task=task,
            period=world.period,
            actor=world.clerk,
            progress=progress,
            percent_complete=percent,
            results="Kết quả",
            submit=True,
        )
        task_update_approve(update=update, actor=world.reviewer)
    target_set(indicator=world.indicator, year=2027, raw_text="≥90%")
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal("81.5"), submit=True
    )
    indicator_result_approve(result=result, actor=world.reviewer)
    return world.plan


def test_rollover_makes_a_draft_for_next_year_with_sections_targets_and_unfinished_tasks(
    world, plan_with_progress
):
    new = plan_rollover(plan=plan_with_progress, year=2027, user=world.reviewer)
    assert (new.target_year, new.status, new.number) == (2027, PlanStatus.DRAFT, "")
    assert (new.period_start.isoformat(), new.period_end.isoformat()) == ("2027-01-01", "2027-12-31")
    old_sections = [
        (s.kind, s.number, s.title, s.pillar, s.parent_id is not None) for s in world.plan.sections.all()
    ]
    assert [
        (s.kind, s.number, s.title, s.pillar, s.parent_id is not None) for s in new.sections.all()
    ] == old_sections
    indicator = new.indicators.get()
    target = indicator.targets.get()
    assert (target.year, target.raw_text) == (2027, "≥90%"), "next year's target where the plan gives one"
    assert (indicator.baseline_year, indicator.baseline_text) == (2026, "81,5%")
    tasks = {t.description: t for t in new.tasks.select_related("carried_from", "section")}
    assert set(tasks) == {world.task.description, "Tuyên truyền"}, "done tasks stay behind"
    carried = tasks[world.task.description]
    assert carried.carried_from == world.task
    assert (carried.deadline_text, carried.due_date.isoformat()) == ("Quý 4/2027", "2027-12-31")
    assert (
        tasks["Tuyên truyền"].deadline_kind == "recurring"
        and tasks["Tuyên truyền"].section.title == "Hạ tầng dữ liệu"
    )
    assert carried.assignments.get().unit == world.lead_unit


def test_without_next_years_target_this_years_is_copied(world):
    new = plan_rollover(plan=world.plan, year=2027, user=world.reviewer)
    assert new.indicators.get().targets.get().raw_text == "≥80%"
    assert new.tasks.get().carried_from == world.task, "never reported is not done"


def test_rollover_twice_to_the_same_year_or_backwards_is_refused(world):
    plan_rollover(plan=world.plan, year=2027, user=world.reviewer)
    with pytest.raises(ValidationError):
        plan_rollover(plan=world.plan, year=2027, user=world.reviewer)
    with pytest.raises(ValidationError):
        plan_rollover(plan=world.plan, year=2026, user=world.reviewer)


def test_reviewer_rolls_over_from_the_plan_page(client, world):
    client.force_login(world.reviewer)
    url = reverse("imports:rollover", args=[world.plan.pk])
    assert "2027" in client.get(url).content.decode()
    response = client.post(url, {"year": "2027"})
    new = world.plan.commune.plans.get(target_year=2027)
    assert response["Location"] == reverse("tracking:plan_detail", args=[new.pk])


def test_clerk_cannot_roll_over(client, world):
    client.force_login(world.clerk)
    response = client.post(reverse("imports:rollover", args=[world.plan.pk]), {"year": "2027"})
    assert response.status_code == 403
    assert not world.plan.commune.plans.filter(target_year=2027).exists()
