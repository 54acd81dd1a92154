"""The four real plans, counted so the fixtures cannot drift from the documents."""

import json
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum

from indicators.models import IndicatorAssignment, Target
from plans.models import Plan, Section, SectionKind
from plans.workflow import Pillar
from tasks.models import TaskAssignment

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"

# plan file → (indicators, top-level indicator groups, tasks, top-level task groups, task subsections)
EXPECTED = {
    "001_nghia-dan.json": (35, 6, 30, 9, 5),
    "002_dinh-tien.json": (11, 1, 61, 20, 3),
    "000_mai-phu.json": (17, 1, 105, 23, 5),
    "004_tay-hieu.json": (22, 4, 80, 25, 0),
}


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.json")), ids=lambda p: p.name)
def test_seed_files_are_stored_in_nfc(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    assert all(unicodedata.is_normalized("NFC", s) for s in _strings(document))


@pytest.mark.parametrize("source", EXPECTED)
def test_each_seed_plan_has_the_rows_its_document_prints(seeded, source):
    indicators, indicator_groups, tasks, task_groups, task_subsections = EXPECTED[source]
    plan = seeded[source]
    sections = Section.objects.filter(plan=plan)
    assert plan.indicators.count() == indicators
    assert sections.filter(kind=SectionKind.INDICATORS, parent__isnull=True).count() == indicator_groups
    assert plan.tasks.count() == tasks
    assert sections.filter(kind=SectionKind.TASKS, parent__isnull=True).count() == task_groups
    assert sections.filter(kind=SectionKind.TASKS, parent__isnull=False).count() == task_subsections


def test_nghia_dan_keeps_the_two_rows_numbered_21_and_every_target(seeded):
    plan = seeded["001_nghia-dan.json"]
    assert plan.indicators.filter(number="21").count() == 2
    assert list(plan.indicators.order_by("order").values_list("number", flat=True))[:3] == ["1", "2", "3"]
    assert Target.objects.filter(indicator__plan=plan, year=2026).count() == 35
    ranged = Target.objects.get(indicator__plan=plan, raw_text="50-80%")
    assert (ranged.kind, ranged.min_value, ranged.max_value) == ("range", 50, 80)
    qualified = Target.objects.get(indicator__plan=plan, indicator__number="27")
    assert qualified.kind == "percent" and qualified.qualifier == "đối với các thủ tục đủ điều kiện"
    assert set(Target.objects.filter(indicator__plan=plan).values_list("kind", flat=True)) == {
        "percent",
        "range",
        "boolean",
    }
    infra = Section.objects.get(plan=plan, kind=SectionKind.INDICATORS, number="I")
    assert infra.pillar == Pillar.INFRASTRUCTURE


def test_nghia_dan_tasks_carry_units_and_parsed_deadlines(seeded):
    plan = seeded["001_nghia-dan.json"]
    first = plan.tasks.get(number="1")
    assert first.deadline_kind == "quarter" and first.due_date.isoformat() == "2026-03-31"
    assert plan.tasks.filter(deadline_text="Thường xuyên", deadline_kind="recurring").exists()
    assert plan.tasks.get(deadline_text="Theo Đề án 06").deadline_kind == "external"
    assert plan.tasks.filter(number__in=["9", "10", "11", "12", "14"]).count() == 0  # gaps kept as printed


def test_dinh_tien_has_its_2024_baselines_and_budget(seeded):
    plan = seeded["002_dinh-tien.json"]
    assert plan.indicators.exclude(baseline_text="").count() == 8
    smartphones = plan.indicators.get(baseline_text="4227/5219 = 81%")
    assert smartphones.baseline_year == 2024 and smartphones.baseline_value == 81
    assert plan.budget_lines.count() == 8
    assert plan.budget_lines.aggregate(total=Sum("spent_amount"))["total"] == 481_179_000


def test_every_unit_mention_in_the_seeds_resolves_to_a_unit(seeded):
    assert not IndicatorAssignment.objects.filter(unit__isnull=True).exists()
    assert not TaskAssignment.objects.filter(unit__isnull=True).exists()


def test_unit_spellings_of_one_office_resolve_to_one_unit(seeded):
    plan = seeded["001_nghia-dan.json"]
    spellings = (
        TaskAssignment.objects.filter(task__plan=plan, unit__name="Phòng Văn hóa - Xã hội")
        .values_list("text", flat=True)
        .distinct()
    )
    assert {"Phòng Văn hoá - Xã hội"} <= set(spellings)
    role_suffix = IndicatorAssignment.objects.get(indicator__plan=plan, text="Phòng VH-XH tuyên truyền")
    assert role_suffix.unit.name == "Phòng Văn hóa - Xã hội"


def test_loading_the_seeds_twice_changes_nothing(seeded):
    counts = (Plan.objects.count(), Section.objects.count())
    call_command("load_seed_plans", verbosity=0)
    assert (Plan.objects.count(), Section.objects.count()) == counts
