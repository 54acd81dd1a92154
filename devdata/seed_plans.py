"""Load the seed plans transcribed in fixtures/plans (format in fixtures/plans/FORMAT.md) for demos, tests."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from common.text import clean_text, unit_key
from indicators.services import indicator_create
from plans.models import BudgetLine, Plan, PlanKind, SectionKind
from plans.services import plan_build, plan_save, section_create
from tasks.services import task_create
from units.models import Commune, Province, Unit
from units.selectors import unit_lookup
from units.services import unit_add_alias, unit_create


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def commune_get_or_create(*, province_name: str, commune_name: str, kind: str) -> Commune:
    province, _created = Province.objects.get_or_create(name=clean_text(province_name))
    commune, _created = Commune.objects.get_or_create(
        province=province, name=clean_text(commune_name), kind=kind
    )
    return commune


def units_ensure(*, commune: Commune, units: list[dict[str, Any]]) -> dict[str, Unit]:
    """Create the units a document names (or add its spellings to existing ones) and return the lookup."""
    lookup = unit_lookup(commune)
    for data in units:
        existing = lookup.get(unit_key(data["name"]))
        if existing is None:
            unit = unit_create(
                commune=commune,
                name=data["name"],
                short_name=data.get("short_name", ""),
                kind=data.get("kind", "office"),
                aliases=data.get("aliases", []),
            )
        else:
            unit = existing
            for spelling in [data.get("short_name", ""), *data.get("aliases", [])]:
                if spelling and unit_key(spelling) not in lookup:
                    unit_add_alias(unit=unit, alias=spelling)
        for spelling in unit.spellings():
            key = unit_key(spelling)
            if lookup.setdefault(key, unit) != unit:
                raise ValidationError(
                    f"Cách viết «{spelling}» trùng giữa hai đơn vị «{lookup[key]}» và «{unit}»."
                )
    return lookup


@transaction.atomic
def plan_load_document(*, document: dict[str, Any], source: str) -> Plan:
    """Build a plan with its units, sections, indicators, tasks and budget from a transcribed document.

    The document format is described in fixtures/plans/FORMAT.md; targets, deadlines and unit mentions are
    kept as printed and parsed here, so every way a plan arrives goes through the same rules.
    """
    commune = commune_get_or_create(
        province_name=document["province"]["name"],
        commune_name=document["commune"]["name"],
        kind=document["commune"].get("kind", "xa"),
    )
    lookup = units_ensure(commune=commune, units=document.get("units", []))
    data = document["plan"]
    plan = plan_build(
        commune=commune,
        number=data.get("number", ""),
        issue_date=_date(data.get("issue_date")),
        place=data.get("place", ""),
        title=data["title"],
        kind=data.get("kind", PlanKind.ANNUAL),
        period_start=_date(data["period_start"]),
        period_end=_date(data["period_end"]),
        target_year=data["target_year"],
        legal_bases=data.get("legal_bases", []),
        general_objective=data.get("general_objective", ""),
        signer_authority=data.get("signer_authority", ""),
        signer_title=data.get("signer_title", ""),
        signer_name=data.get("signer_name", ""),
        recipients=data.get("recipients", []),
        source=source,
    )
    plan_save(plan=plan)

    section_order = 0
    indicator_order = 0
    for section_data in document.get("indicator_sections", []):
        section_order += 1
        section = section_create(
            plan=plan, kind=SectionKind.INDICATORS, order=section_order, data=section_data, lookup=lookup
        )
        groups = [(section, section_data.get("indicators", []))]
        for sub_data in section_data.get("subsections", []):
            section_order += 1
            sub = section_create(
                plan=plan,
                kind=SectionKind.INDICATORS,
                order=section_order,
                data=sub_data,
                lookup=lookup,
                parent=section,
            )
            groups.append((sub, sub_data.get("indicators", [])))
        for group, rows in groups:
            for row in rows:
                indicator_order += 1
                baseline = row.get("baseline") or {}
                indicator_create(
                    plan=plan,
                    section=group,
                    order=indicator_order,
                    number=row.get("number", ""),
                    name=row["name"],
                    target_year=plan.target_year,
                    target_text=row.get("target", ""),
                    lead_text=row.get("lead", ""),
                    coordinating_text=row.get("coordinating", ""),
                    note=row.get("note", ""),
                    baseline_year=baseline.get("year"),
                    baseline_text=baseline.get("text", ""),
                    lookup=lookup,
                )

    section_order = 0
    task_order = 0
    for section_data in document.get("task_sections", []):
        section_order += 1
        section = section_create(
            plan=plan, kind=SectionKind.TASKS, order=section_order, data=section_data, lookup=lookup
        )
        groups = [(section, section_data.get("tasks", []))]
        for sub_data in section_data.get("subsections", []):
            section_order += 1
            sub = section_create(
                plan=plan,
                kind=SectionKind.TASKS,
                order=section_order,
                data=sub_data,
                lookup=lookup,
                parent=section,
            )
            groups.append((sub, sub_data.get("tasks", [])))
        for group, rows in groups:
            for row in rows:
                task_order += 1
                task_create(
                    plan=plan,
                    section=group,
                    order=task_order,
                    number=row.get("number", ""),
                    description=row["description"],
                    lead_text=row.get("lead", ""),
                    coordinating_text=row.get("coordinating", ""),
                    monitoring_text=row.get("monitoring", ""),
                    deadline_text=row.get("deadline", ""),
                    note=row.get("note", ""),
                    lookup=lookup,
                )

    BudgetLine.objects.bulk_create(
        BudgetLine(
            plan=plan,
            year=line["year"],
            source=line.get("source", "other"),
            item=clean_text(line["item"]),
            planned_amount=line.get("planned"),
            spent_amount=line.get("spent"),
            order=order,
        )
        for order, line in enumerate(document.get("budget_lines", []), start=1)
    )
    return plan
