"""Small builders for plan → section → indicator/task trees and the people who use them."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model

from indicators.models import Indicator
from indicators.services import indicator_create
from plans.models import Plan, ReportingPeriod, Section, SectionKind
from plans.periods import parse_period_code
from tasks.models import Task
from tasks.services import task_create
from units.models import Commune, Membership, Province, ProvinceAdministrator, ProvinceViewer, Role, Unit
from units.selectors import unit_lookup
from units.services import unit_create

_seq = itertools.count(1)


def province(name: str = "Nghệ An") -> Province:
    return Province.objects.get_or_create(name=name)[0]


def commune(name: str = "Nghĩa Đàn", province_name: str = "Nghệ An") -> Commune:
    return Commune.objects.get_or_create(province=province(province_name), name=name)[0]


def unit(commune_: Commune, name: str, **kwargs) -> Unit:
    return unit_create(commune=commune_, name=name, **kwargs)


def user(username: str | None = None, **kwargs):
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password="pw-for-tests-1", **kwargs)


def member(unit_: Unit, role: str = Role.STAFF, username: str | None = None):
    person = user(username)
    Membership.objects.create(user=person, unit=unit_, role=role)
    return person


def province_viewer(province_: Province, username: str | None = None):
    person = user(username)
    ProvinceViewer.objects.create(user=person, province=province_)
    return person


def province_administrator(province_: Province, username: str | None = None):
    person = user(username)
    ProvinceAdministrator.objects.create(user=person, province=province_)
    return person


def plan(commune_: Commune, year: int = 2026, title: str = "Kế hoạch chuyển đổi số") -> Plan:
    return Plan.objects.create(
        commune=commune_,
        title=f"{title} {next(_seq)}",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        target_year=year,
    )


def section(
    plan_: Plan, kind: str = SectionKind.INDICATORS, title: str = "Hạ tầng số", number: str = "I"
) -> Section:
    order = plan_.sections.filter(kind=kind).count() + 1
    return Section.objects.create(plan=plan_, kind=kind, title=title, number=number, order=order)


def indicator(
    section_: Section,
    name: str = "Tỷ lệ hồ sơ trực tuyến",
    target: str = "≥80%",
    lead: str = "",
    number: str = "",
) -> Indicator:
    plan_ = section_.plan
    order = plan_.indicators.count() + 1
    return indicator_create(
        plan=plan_,
        section=section_,
        order=order,
        number=number or str(order),
        name=name,
        target_year=plan_.target_year,
        target_text=target,
        lead_text=lead,
        lookup=unit_lookup(plan_.commune),
    )


def task(
    section_: Section,
    description: str = "Số hóa hồ sơ",
    lead: str = "",
    deadline: str = "Quý 4/2026",
    **kwargs,
) -> Task:
    plan_ = section_.plan
    order = plan_.tasks.count() + 1
    return task_create(
        plan=plan_,
        section=section_,
        order=order,
        number=str(order),
        description=description,
        lead_text=lead,
        deadline_text=deadline,
        lookup=unit_lookup(plan_.commune),
        **kwargs,
    )


def period(commune_: Commune, code: str = "2026-Q4", **kwargs) -> ReportingPeriod:
    spec = parse_period_code(code)
    return ReportingPeriod.objects.create(
        province=commune_.province,
        commune=commune_,
        kind=spec.kind,
        year=spec.year,
        number=spec.number,
        start=spec.start,
        end=spec.end,
        due_date=kwargs.pop("due_date", spec.end),
        **kwargs,
    )
