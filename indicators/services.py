from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from common.text import clean_text
from indicators.models import Indicator, IndicatorAssignment, IndicatorResult, Target
from indicators.targets import TargetKind, parse_baseline, parse_target
from plans import entries
from plans.models import Plan, ReportingPeriod, Section
from plans.workflow import AssignmentRole
from units.models import Unit
from units.scope import item_unit_ids
from units.selectors import unit_lookup
from units.services import number_mentions, resolve_unit_cells

# What a target holds besides its key: the text as printed and its parsed form.
_TARGET_TEXT_FIELDS = ["raw_text", "kind", "comparator", "value", "min_value", "max_value"]
_TARGET_TEXT_FIELDS += ["unit_of_measure", "qualifier"]
# The checks that need no query: the indicator is stored and (indicator, year) is the key being written.
TARGET_CHECKS = {"exclude": ["indicator"], "validate_unique": False, "validate_constraints": False}


def target_build(*, indicator: Indicator, year: int, raw_text: str) -> Target:
    """An unsaved target as printed together with its parsed form (kind `text` when no form fits)."""
    parsed = parse_target(raw_text)
    return Target(
        indicator=indicator,
        year=year,
        raw_text=parsed.raw,
        kind=parsed.kind,
        comparator=parsed.comparator or "",
        value=parsed.value,
        min_value=parsed.min_value,
        max_value=parsed.max_value,
        unit_of_measure=parsed.unit,
        qualifier=parsed.qualifier,
    )


@transaction.atomic
def target_set(*, indicator: Indicator, year: int, raw_text: str) -> Target:
    """Store the indicator's target for the year, replacing the one it had."""
    built = target_build(indicator=indicator, year=year, raw_text=raw_text)
    built.full_clean(**TARGET_CHECKS)
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        year=year,
        defaults={name: getattr(built, name) for name in _TARGET_TEXT_FIELDS},
    )
    return target


def indicator_unit_cells(indicator: Indicator) -> list[tuple[str, str]]:
    """(role, cell) of the indicator's cells that name units."""
    return [
        (AssignmentRole.LEAD, indicator.lead_text),
        (AssignmentRole.COORDINATING, indicator.coordinating_text),
    ]


def indicator_assignments_build(
    *, indicator: Indicator, mentions: Iterable[tuple[str, str, Unit | None]]
) -> list[IndicatorAssignment]:
    """Unsaved assignment rows for (role, words as printed, unit or None) mentions in their cells' order."""
    return [
        IndicatorAssignment(indicator=indicator, role=role, text=text, unit=unit, order=order)
        for role, order, text, unit in number_mentions(mentions)
    ]


def indicator_assign_units(*, indicator: Indicator, lookup: Mapping[str, Unit]) -> None:
    indicator.assignments.all().delete()
    mentions = resolve_unit_cells(indicator_unit_cells(indicator), lookup)
    rows = indicator_assignments_build(indicator=indicator, mentions=mentions)
    IndicatorAssignment.objects.bulk_create(rows)


def indicator_derive(*, indicator: Indicator) -> Indicator:
    """Set what is read from the printed texts: the baseline's value and comparator as printed (`80,11%`,
    `trên 38,2%`), and the search text."""
    value, comparator = parse_baseline(indicator.baseline_text) if indicator.baseline_text else (None, None)
    indicator.baseline_value, indicator.baseline_comparator = value, comparator or ""
    indicator.search_text = indicator.folded_text()
    return indicator


@transaction.atomic
def indicator_refresh_parsed(*, indicator: Indicator) -> Indicator:
    """Re-derive targets, baseline and units after the printed texts were edited (admin, import)."""
    for target in indicator.targets.all():
        target_set(indicator=indicator, year=target.year, raw_text=target.raw_text)
    indicator_derive(indicator=indicator)
    indicator.save(update_fields=["baseline_value", "baseline_comparator", "search_text"])
    indicator_assign_units(indicator=indicator, lookup=unit_lookup(indicator.plan.commune))
    return indicator


def indicator_build(
    *,
    plan: Plan,
    section: Section,
    order: int,
    number: str,
    name: str,
    lead_text: str = "",
    coordinating_text: str = "",
    note: str = "",
    baseline_year: int | None = None,
    baseline_text: str = "",
) -> Indicator:
    """An unsaved indicator with its texts cleaned and what they give derived (see `indicator_derive`)."""
    indicator = Indicator(
        plan=plan,
        section=section,
        order=order,
        number=clean_text(number),
        name=clean_text(name),
        lead_text=clean_text(lead_text),
        coordinating_text=clean_text(coordinating_text),
        note=clean_text(note),
        baseline_year=baseline_year,
        baseline_text=clean_text(baseline_text),
    )
    return indicator_derive(indicator=indicator)


@transaction.atomic
def indicator_create(
    *,
    plan: Plan,
    section: Section,
    order: int,
    number: str,
    name: str,
    target_year: int,
    target_text: str,
    lead_text: str = "",
    coordinating_text: str = "",
    note: str = "",
    baseline_year: int | None = None,
    baseline_text: str = "",
    lookup: Mapping[str, Unit],
) -> Indicator:
    indicator = indicator_build(
        plan=plan,
        section=section,
        order=order,
        number=number,
        name=name,
        lead_text=lead_text,
        coordinating_text=coordinating_text,
        note=note,
        baseline_year=baseline_year,
        baseline_text=baseline_text,
    )
    indicator.full_clean()
    indicator.save()
    if clean_text(target_text):
        target_set(indicator=indicator, year=target_year, raw_text=target_text)
    indicator_assign_units(indicator=indicator, lookup=lookup)
    return indicator


def _locked_result(indicator: Indicator, period: ReportingPeriod) -> IndicatorResult:
    result = (
        IndicatorResult.objects.select_for_update(of=("self",))
        .select_related("period", "reviewed_by")
        .filter(indicator=indicator, period=period)
        .first()
    )
    return result or IndicatorResult(indicator=indicator, period=period)


def _check_values(target: Target | None, *, value, numerator, denominator, flag) -> None:
    errors: dict[str, str] = {}
    if numerator is not None or denominator is not None:
        if numerator is None or denominator is None:
            errors["denominator"] = "Cần nhập cả tử số và mẫu số."
        elif denominator <= 0:
            errors["denominator"] = "Mẫu số phải lớn hơn 0."
        elif numerator > denominator:
            errors["numerator"] = "Tử số không được lớn hơn mẫu số (tỷ lệ không vượt quá 100%)."
    if target is not None and target.is_boolean:
        if value is not None or numerator is not None:
            errors["flag"] = "Chỉ tiêu này đánh giá Đạt/Chưa đạt: vui lòng chọn Đạt hoặc Chưa đạt."
    elif flag is not None and target is not None and target.kind != TargetKind.TEXT:
        errors["flag"] = "Chỉ tiêu này cần số liệu, không chọn Đạt/Chưa đạt."
    if value is not None and target is not None and target.is_rate and not (0 <= value <= 100):
        errors["value"] = "Tỷ lệ phải nằm trong khoảng 0–100%."
    if value is not None and value < 0:
        errors["value"] = "Giá trị không được âm."
    if errors:
        raise ValidationError(errors)


def result_verdict(result: IndicatorResult, target: Target | None) -> str:
    if target is None:
        return ""
    verdict = target.evaluate(value=result.effective_value, flag=result.flag)
    return verdict.value if verdict else ""


@transaction.atomic
def indicator_result_save(
    *,
    indicator: Indicator,
    period: ReportingPeriod,
    actor,
    value: Decimal | None = None,
    numerator: int | None = None,
    denominator: int | None = None,
    flag: bool | None = None,
    note: str = "",
    submit: bool = False,
    expected_version: int | None | entries.Unchecked = entries.ANY_VERSION,
) -> IndicatorResult:
    """Save the lead unit's result for a period as a draft, or submit it for review.

    A form passes the version it was opened at (0 before the first save); a different stored one is an
    `entries.EditConflict`, and so is a first save of the period made meanwhile.
    """
    entries.lock_parent(indicator)
    result = _locked_result(indicator, period)
    entries.ensure_can_edit(
        entry=result, actor=actor, lead_unit_ids=item_unit_ids(indicator, AssignmentRole.LEAD)
    )
    entries.ensure_fresh(entry=result, expected_version=expected_version)
    target = indicator.targets.filter(year=period.year).first() or indicator.targets.order_by("-year").first()
    _check_values(target, value=value, numerator=numerator, denominator=denominator, flag=flag)
    result.value, result.numerator, result.denominator, result.flag = value, numerator, denominator, flag
    result.note = clean_text(note)
    result.verdict = result_verdict(result, target)
    if submit and result.effective_value is None and result.flag is None and not result.note:
        raise ValidationError("Chưa có số liệu: vui lòng nhập kết quả trước khi gửi.")
    entries.mark_saved(entry=result, actor=actor, submit=submit)
    result.full_clean()
    stored = IndicatorResult.objects.filter(indicator=indicator, period=period)
    entries.save_or_conflict(entry=result, refetch=stored.first)
    return result


@transaction.atomic
def indicator_result_approve(*, result: IndicatorResult, actor) -> IndicatorResult:
    return entries.review(entry=result, action=entries.approve, actor=actor)


@transaction.atomic
def indicator_result_return(*, result: IndicatorResult, actor, comment: str) -> IndicatorResult:
    return entries.review(entry=result, action=entries.send_back, actor=actor, comment=comment)


@transaction.atomic
def indicator_result_reopen(*, result: IndicatorResult, actor, reason: str) -> IndicatorResult:
    return entries.review(entry=result, action=entries.reopen, actor=actor, reason=reason)
