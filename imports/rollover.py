"""Create next year's plan from this one, as a draft for the reviewer to edit.

What carries over, and why:
- the plan's header (title and period moved to the new year; no number or issue date: it is not issued yet);
- every section and subsection, with its pillar;
- every indicator, with the new year's target when the plan already gives one (`Mục tiêu 2027`), otherwise
  this year's target as a starting point; this year's latest approved result becomes the baseline;
- tasks not done by their latest approved update (or never reported), linked to the original through
  `Task.carried_from`; recurring tasks (`Thường xuyên`) are always kept, linked the same way; done tasks stay
  behind. A dated deadline (`Quý 4/2026`, `Trước ngày 20/12/2026`) has its years moved by the same step as the
  plan, so a carried task is not born overdue; other deadlines are kept as printed.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import IndicatorResult
from indicators.services import indicator_create, target_set
from plans.models import Plan, PlanStatus, Section
from plans.services import plan_build, section_build
from plans.workflow import WorkflowStatus
from tasks.deadlines import DeadlineKind, is_countable_overdue
from tasks.models import TaskProgress, TaskUpdate
from tasks.services import task_create
from units.selectors import unit_lookup

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _shift_years(text: str, step: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + step), text)


def _shift_date(day: dt.date, step: int) -> dt.date:
    try:
        return day.replace(year=day.year + step)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + step, day=28)


def _format_number(value) -> str:
    text = f"{value.normalize():f}" if value is not None else ""
    return text.replace(".", ",")


def _actual_text(result: IndicatorResult, is_rate: bool) -> str:
    """How the approved result reads, in the form the parsers read back (`4227/5219`, `81,5%`, `Đạt`)."""
    if result.numerator is not None and result.denominator:
        return f"{result.numerator}/{result.denominator}"
    if result.value is not None:
        return _format_number(result.value) + ("%" if is_rate else "")
    if result.flag is not None:
        return "Đạt" if result.flag else "Chưa đạt"
    return ""


def _latest_approved(queryset, key: str) -> dict[int, object]:
    latest: dict[int, object] = {}
    for entry in (
        queryset.filter(status=WorkflowStatus.APPROVED)
        .select_related("period")
        .order_by("period__end", "period__start")
    ):
        latest[getattr(entry, key)] = entry
    return latest


@transaction.atomic
def plan_rollover(*, plan: Plan, year: int, user) -> Plan:
    """The draft plan for `year` built from `plan` (see the module notes for what carries over)."""
    step = year - plan.target_year
    if step <= 0:
        raise ValidationError(f"Năm của kế hoạch mới phải sau năm {plan.target_year}.")
    source = f"rollover:{plan.pk}"
    # Two rollovers of one plan at once: the second waits for the first here, then finds its draft below.
    Plan.objects.select_for_update().get(pk=plan.pk)
    if Plan.objects.filter(commune=plan.commune, source=source, target_year=year).exists():
        raise ValidationError(f"Đã có kế hoạch năm {year} tạo từ kế hoạch này.")
    new = plan_build(
        commune=plan.commune,
        place=plan.place,
        title=_shift_years(plan.title, step),
        kind=plan.kind,
        period_start=_shift_date(plan.period_start, step),
        period_end=_shift_date(plan.period_end, step),
        target_year=year,
        legal_bases=plan.legal_basis_list,
        general_objective=plan.general_objective,
        signer_authority=plan.signer_authority,
        signer_title=plan.signer_title,
        signer_name=plan.signer_name,
        recipients=plan.recipient_list,
        status=PlanStatus.DRAFT,
        source=source,
    )
    new.full_clean()
    new.save()
    lookup = unit_lookup(plan.commune)
    sections = _copy_sections(plan, new, lookup)
    _copy_indicators(plan, new, sections, lookup)
    _carry_tasks(plan, new, sections, lookup, step)
    return new


def _copy_sections(plan: Plan, new: Plan, lookup) -> dict[int, Section]:
    copies: dict[int, Section] = {}
    # Top-level sections first, so a subsection finds its parent's copy.
    for section in sorted(plan.sections.all(), key=lambda s: (s.parent_id is not None, s.kind, s.order)):
        copy = section_build(
            plan=new,
            kind=section.kind,
            order=section.order,
            number=section.number,
            title=section.title,
            lookup=lookup,
            parent=copies.get(section.parent_id),
        )
        copy.pillar = section.pillar  # carried over as it stands, corrected by hand or not
        copy.full_clean()
        copy.save()
        copies[section.pk] = copy
    return copies


def _copy_indicators(plan: Plan, new: Plan, sections: dict[int, Section], lookup) -> None:
    indicators = list(plan.indicators.prefetch_related("targets").order_by("order"))
    results = _latest_approved(IndicatorResult.objects.filter(indicator__plan=plan), "indicator_id")
    for order, indicator in enumerate(indicators, start=1):
        targets = {t.year: t for t in indicator.targets.all()}
        current = targets.get(new.target_year) or targets.get(plan.target_year)
        result = results.get(indicator.pk)
        actual = _actual_text(result, bool(current and current.is_rate)) if result else ""
        copy = indicator_create(
            plan=new,
            section=sections[indicator.section_id],
            order=order,
            number=indicator.number,
            name=indicator.name,
            target_year=new.target_year,
            target_text=current.raw_text if current else "",
            lead_text=indicator.lead_text,
            coordinating_text=indicator.coordinating_text,
            note=indicator.note,
            baseline_year=plan.target_year if actual else indicator.baseline_year,
            baseline_text=actual or indicator.baseline_text,
            lookup=lookup,
        )
        for target_year, target in targets.items():
            if target_year > new.target_year:
                target_set(indicator=copy, year=target_year, raw_text=target.raw_text)


def _carry_tasks(plan: Plan, new: Plan, sections: dict[int, Section], lookup, step: int) -> None:
    updates = _latest_approved(TaskUpdate.objects.filter(task__plan=plan), "task_id")
    order = 0
    for task in plan.tasks.order_by("order"):
        latest = updates.get(task.pk)
        done = latest is not None and latest.progress == TaskProgress.DONE
        if done and not task.is_recurring:
            continue
        order += 1
        dated = is_countable_overdue(DeadlineKind(task.deadline_kind))
        copy = task_create(
            plan=new,
            section=sections[task.section_id],
            order=order,
            number=task.number,
            description=task.description,
            lead_text=task.lead_text,
            coordinating_text=task.coordinating_text,
            monitoring_text=task.monitoring_text,
            deadline_text=_shift_years(task.deadline_text, step) if dated else task.deadline_text,
            note=task.note,
            lookup=lookup,
        )
        copy.carried_from = task
        copy.save(update_fields=["carried_from"])
