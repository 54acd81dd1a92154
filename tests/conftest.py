from dataclasses import dataclass

import pytest
from django.core.management import call_command

from plans.models import Plan, SectionKind
from tests import builders
from units.models import Role


@dataclass
class World:
    """The shared cast around one plan with one indicator and one task.

    A clerk of the lead unit, a colleague of another unit, the reviewer, the leader, an outsider from another
    commune, a province viewer and a province administrator (both of the commune's province).
    """

    commune: object
    other_commune: object
    lead_unit: object
    other_unit: object
    reviewer_unit: object
    clerk: object
    colleague: object
    reviewer: object
    leader: object
    outsider: object
    province_viewer: object
    province_admin: object
    plan: object
    other_plan: object
    indicator: object
    task: object
    period: object


@pytest.fixture
def world(db) -> World:
    commune = builders.commune("Nghĩa Đàn", "Nghệ An")
    other = builders.commune("Mai Phụ", "Hà Tĩnh")
    lead = builders.unit(commune, "Trung tâm Phục vụ hành chính công", short_name="Trung tâm PVHCC")
    colleague_unit = builders.unit(commune, "Phòng Kinh tế")
    reviewer_unit = builders.unit(commune, "Phòng Văn hóa - Xã hội", short_name="Phòng VH-XH")
    other_unit = builders.unit(other, "Phòng Văn hóa - Xã hội")
    plan = builders.plan(commune)
    other_plan = builders.plan(other)
    indicators = builders.section(plan, SectionKind.INDICATORS)
    tasks = builders.section(plan, SectionKind.TASKS, title="Công tác lãnh đạo, chỉ đạo")
    builders.section(other_plan, SectionKind.INDICATORS, title="Bí mật Mai Phụ")
    return World(
        commune=commune,
        other_commune=other,
        lead_unit=lead,
        other_unit=colleague_unit,
        reviewer_unit=reviewer_unit,
        clerk=builders.member(lead, Role.STAFF, "clerk"),
        colleague=builders.member(colleague_unit, Role.STAFF, "colleague"),
        reviewer=builders.member(reviewer_unit, Role.REVIEWER, "reviewer"),
        leader=builders.member(lead, Role.LEADER, "leader"),
        outsider=builders.member(other_unit, Role.REVIEWER, "outsider"),
        province_viewer=builders.province_viewer(commune.province, "so.nghean"),
        province_admin=builders.province_administrator(commune.province, "quantri.nghean"),
        plan=plan,
        other_plan=other_plan,
        indicator=builders.indicator(indicators, target="≥80%", lead="Trung tâm PVHCC"),
        task=builders.task(tasks, lead="Trung tâm PVHCC", deadline="Quý 4/2026"),
        period=builders.period(commune, "2026-Q4"),
    )


@pytest.fixture
def seeded(db):
    """The four real plans of shared/seeds, loaded as the run command loads them."""
    call_command("load_seed_plans", verbosity=0)
    return {plan.source: plan for plan in Plan.objects.select_related("commune")}
