"""A plan exported to Excel imports back unchanged: into the same plan as a dry run with zero changes, and
as a new plan equal to its source field by field. Over the four seed plans (prose tasks, chapters numbered
`1` twice, duties per unit, subsections `8.1`) and the plans the scale generator makes.
"""

import pytest
from django.core.management import call_command

from imports.exporter import plan_workbook
from imports.reader import read_workbook
from imports.services import plan_import
from plans.models import Plan
from tests.test_seed_scale import build as build_scale

SEED_COMMUNES = ["Mai Phụ", "Nghĩa Đàn", "Định Tiến", "Tây Hiếu"]


@pytest.fixture
def seeded(db):
    call_command("load_seed_plans", verbosity=0)


def _section_path(section) -> tuple:
    parent = section.parent
    own = (section.kind, section.number, section.title)
    return (*_section_path(parent), own) if parent else (own,)


def snapshot(plan: Plan) -> dict:
    """Everything an import writes, without keys: sections with their parents, items with their fields,
    targets parsed, deadlines parsed, unit mentions with the unit they resolve to."""
    sections = [_section_path(s) for s in plan.sections.select_related("parent").order_by("kind", "order")]
    indicators = [
        (
            _section_path(i.section),
            i.number,
            i.name,
            i.lead_text,
            i.coordinating_text,
            i.note,
            i.baseline_year,
            i.baseline_text,
            i.baseline_value,
            i.baseline_comparator,
            [
                (
                    t.year,
                    t.raw_text,
                    t.kind,
                    t.comparator,
                    t.value,
                    t.min_value,
                    t.max_value,
                    t.unit_of_measure,
                    t.qualifier,
                )
                for t in i.targets.order_by("year")
            ],
            [(a.role, a.text, a.unit_id) for a in i.assignments.order_by("role", "order")],
        )
        for i in plan.indicators.select_related("section__parent").order_by("order")
    ]
    tasks = [
        (
            _section_path(t.section),
            t.number,
            t.description,
            t.lead_text,
            t.coordinating_text,
            t.monitoring_text,
            t.deadline_text,
            t.deadline_kind,
            t.due_date,
            t.note,
            [(a.role, a.text, a.unit_id) for a in t.assignments.order_by("role", "order")],
        )
        for t in plan.tasks.select_related("section__parent").order_by("order")
    ]
    return {"sections": sections, "indicators": indicators, "tasks": tasks}


def _changes(plan: Plan) -> dict:
    result = plan_import(
        commune=plan.commune, workbook=read_workbook(plan_workbook(plan)), plan=plan, dry_run=True
    )
    return {
        "changed": [(c.kind, c.action, c.label, c.details) for c in result.changes if c.action != "keep"],
        "problems": [str(p) for p in result.problems],
        "kept": sum(1 for c in result.changes if c.action == "keep"),
    }


def _copy(plan: Plan) -> Plan:
    result = plan_import(
        commune=plan.commune,
        workbook=read_workbook(plan_workbook(plan)),
        title=f"{plan.title} (bản nhập lại)",
        year=plan.target_year,
        dry_run=False,
    )
    return result.plan


def _seed_plan(commune: str) -> Plan:
    return Plan.objects.get(commune__name=commune)


@pytest.mark.parametrize("commune", SEED_COMMUNES)
def test_exported_seed_plan_imports_into_itself_with_no_change(seeded, commune):
    plan = _seed_plan(commune)
    outcome = _changes(plan)
    assert outcome["changed"] == []
    assert outcome["problems"] == []
    items = plan.sections.count() + plan.indicators.count() + plan.tasks.count()
    assert outcome["kept"] == items


@pytest.mark.parametrize("commune", SEED_COMMUNES)
def test_exported_seed_plan_imports_as_a_new_plan_equal_to_its_source(seeded, commune):
    plan = _seed_plan(commune)
    copy = _copy(plan)
    assert copy.pk != plan.pk
    assert snapshot(copy) == snapshot(plan)
    assert (copy.period_start, copy.period_end) == (plan.period_start, plan.period_end)


def test_seed_plans_with_chapters_numbered_alike_keep_them_apart(seeded):
    # Định Tiến numbers its three task chapters 1-9, 1-6 and 1-5: each `1` is its own group.
    copy = _copy(_seed_plan("Định Tiến"))
    numbered_one = copy.sections.filter(kind="tasks", parent__isnull=True, number="1")
    assert numbered_one.count() == 3
    assert copy.sections.filter(parent__number="7").count() == 3


def test_prose_tasks_with_no_number_nor_unit_stay_tasks(seeded):
    source = _seed_plan("Tây Hiếu")
    copy = _copy(source)
    bare = {"number": "", "lead_text": "", "deadline_text": ""}
    assert copy.tasks.filter(**bare).count() == source.tasks.filter(**bare).count() > 30


def test_scale_generator_plans_round_trip(db):
    build_scale()
    plans = list(Plan.objects.filter(commune__province__code="QM"))
    assert plans
    for plan in plans:
        outcome = _changes(plan)
        assert outcome["changed"] == [], plan
        assert outcome["problems"] == [], plan
        assert snapshot(_copy(plan)) == snapshot(plan), plan


def _headers(plan: Plan, sheet: str) -> list[str]:
    table = next(t for t in read_workbook(plan_workbook(plan)).tables if t.sheet == sheet)
    return [c.header for c in table.columns]


def test_row_kind_column_only_where_numbers_cannot_tell_groups_from_items(seeded):
    plain = _headers(_seed_plan("Nghĩa Đàn"), "Nhiệm vụ")
    prose = _headers(_seed_plan("Định Tiến"), "Nhiệm vụ")
    assert "Loại dòng" not in plain
    assert prose[-1] == "Loại dòng"
