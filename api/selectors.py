"""What a client token may read: one province's communes and, of their data, only what counts.

Every read starts from the client's province; an id from another province is simply not found (404 for an
object, an empty list for a filter). Draft plans and entries that are not approved never leave the app,
and of reports only the versions sent to the province.
"""

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from catalogue.models import CatalogueEntry, IndicatorLink
from catalogue.selectors import Matrix, province_entries, province_matrix
from indicators.models import Indicator, IndicatorResult
from plans.models import Plan, PlanStatus, ReportingPeriod
from plans.periods import PeriodSpec
from plans.workflow import WorkflowStatus
from reports.models import Report, ReportStatus
from tasks.models import Task, TaskUpdate
from units.models import Commune, Province, Unit


def communes(province_id: int) -> QuerySet[Commune]:
    return Commune.objects.filter(province_id=province_id)


def commune_or_404(province_id: int, commune_id: int) -> Commune:
    return get_object_or_404(communes(province_id), pk=commune_id)


def units(province_id: int, commune_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(commune=commune_or_404(province_id, commune_id))


_PUBLISHED = (PlanStatus.ISSUED, PlanStatus.CLOSED)


def _issued_plans(province_id: int, prefix: str = "") -> dict:
    """The filter for rows of the province's issued (or closed) plans; `prefix` is the path to the plan."""
    return {f"{prefix}commune__province_id": province_id, f"{prefix}status__in": _PUBLISHED}


def plans(province_id: int, *, commune_id: int | None = None, status: str | None = None) -> QuerySet[Plan]:
    rows = Plan.objects.filter(**_issued_plans(province_id)).prefetch_related("sections")
    if commune_id is not None:
        rows = rows.filter(commune_id=commune_id)
    if status is not None:
        rows = rows.filter(status=status)
    return rows


def plan_or_404(province_id: int, plan_id: int) -> Plan:
    return get_object_or_404(plans(province_id), pk=plan_id)


def _by_plan(rows: QuerySet, commune_id: int | None, plan_id: int | None) -> QuerySet:
    if commune_id is not None:
        rows = rows.filter(plan__commune_id=commune_id)
    if plan_id is not None:
        rows = rows.filter(plan_id=plan_id)
    return rows


def indicators(
    province_id: int, *, commune_id: int | None = None, plan_id: int | None = None
) -> QuerySet[Indicator]:
    rows = Indicator.objects.filter(**_issued_plans(province_id, "plan__"))
    return _by_plan(rows, commune_id, plan_id).select_related("plan").prefetch_related("targets")


def tasks(province_id: int, *, commune_id: int | None = None, plan_id: int | None = None) -> QuerySet[Task]:
    rows = Task.objects.filter(**_issued_plans(province_id, "plan__"))
    return _by_plan(rows, commune_id, plan_id).select_related("plan")


def periods(province_id: int, *, commune_id: int | None = None) -> QuerySet[ReportingPeriod]:
    """The province's periods; with a commune, those it reports on (its own and the province-wide ones)."""
    rows = ReportingPeriod.objects.filter(province_id=province_id)
    if commune_id is None:
        return rows
    commune = communes(province_id).filter(pk=commune_id).first()
    return rows.for_commune(commune) if commune else rows.none()


def _entries(
    model,
    item: str,
    province_id: int,
    *,
    period: PeriodSpec | None,
    commune_id: int | None,
    updated_since: dt.datetime | None,
) -> QuerySet:
    """Entries (results or task updates) of the province's issued plans, whatever their status."""
    rows = model.objects.filter(**_issued_plans(province_id, f"{item}__plan__"))
    if period is not None:
        rows = rows.filter(period__kind=period.kind, period__year=period.year, period__number=period.number)
    if commune_id is not None:
        rows = rows.filter(**{f"{item}__plan__commune_id": commune_id})
    if updated_since is not None:
        rows = rows.filter(updated_at__gte=updated_since)
    return rows


# What an entry row sends beside its own fields: a sync page reads hundreds of rows, and loading the whole
# indicator (or task) and plan behind each doubled the time of a page of 500.
_ENTRY_FIELDS = (
    "id",
    "period_id",
    "reviewed_at",
    "updated_at",
    "period__kind",
    "period__year",
    "period__number",
)
_RESULT_FIELDS = ("value", "numerator", "denominator", "flag", "verdict", "note")
_UPDATE_FIELDS = ("progress", "percent_complete", "results", "difficulties", "proposals")


def approved_results(province_id: int, **filters) -> QuerySet[IndicatorResult]:
    rows = _entries(IndicatorResult, "indicator", province_id, **filters).approved()
    related = ("indicator__plan__commune_id",)
    return rows.select_related("indicator__plan", "period").only(*_ENTRY_FIELDS, *_RESULT_FIELDS, *related)


def approved_task_updates(province_id: int, **filters) -> QuerySet[TaskUpdate]:
    rows = _entries(TaskUpdate, "task", province_id, **filters).approved()
    related = ("task__plan__commune_id",)
    return rows.select_related("task__plan", "period").only(*_ENTRY_FIELDS, *_UPDATE_FIELDS, *related)


def withdrawn_ids(model, item: str, province_id: int, **filters) -> list[int]:
    """Ids of entries changed since `updated_since` that no longer count (reopened by the reviewer, then
    edited): a client that synced them when they were approved must drop them. Only ids leave the app."""
    if filters.get("updated_since") is None:
        return []
    rows = _entries(model, item, province_id, **filters).exclude(status=WorkflowStatus.APPROVED)
    return list(rows.order_by("id").values_list("id", flat=True))


def sent_reports(
    province_id: int, *, commune_id: int | None = None, period: PeriodSpec | None = None
) -> QuerySet[Report]:
    rows = Report.objects.filter(plan__commune__province_id=province_id, status=ReportStatus.SENT)
    if commune_id is not None:
        rows = rows.filter(plan__commune_id=commune_id)
    if period is not None:
        rows = rows.filter(period__kind=period.kind, period__year=period.year, period__number=period.number)
    return rows.select_related("plan__commune", "period")


def sent_report_or_404(province_id: int, report_id: int) -> Report:
    return get_object_or_404(sent_reports(province_id), pk=report_id)


# -- The province catalogue and its matrix (catalogue.selectors holds the rules) ---------------------------


def catalogue_entries(province_id: int) -> QuerySet[CatalogueEntry]:
    return CatalogueEntry.objects.filter(province_id=province_id)


def catalogue_entry_or_404(province_id: int, entry_id: int) -> CatalogueEntry:
    return get_object_or_404(catalogue_entries(province_id), pk=entry_id)


def confirmed_links(province_id: int, entry_id: int, *, commune_id: int | None = None) -> QuerySet:
    """The entry's confirmed links to indicators of issued plans (a suggestion is nobody's word yet)."""
    entry = catalogue_entry_or_404(province_id, entry_id)
    rows = IndicatorLink.objects.confirmed().filter(
        entry=entry, **_issued_plans(province_id, "indicator__plan__")
    )
    if commune_id is not None:
        rows = rows.filter(indicator__plan__commune_id=commune_id)
    return rows.select_related("indicator__plan")


def matrix(province_id: int, code: str, entry_codes: list[str]) -> Matrix:
    """catalogue.selectors.province_matrix for the chosen entries (by code), else the whole catalogue.

    Raises LookupError naming the codes the province's catalogue does not have.
    """
    province = Province.objects.get(pk=province_id)
    entries = list(
        province_entries(province).filter(code__in=entry_codes) if entry_codes else province_entries(province)
    )
    missing = sorted(set(entry_codes) - {entry.code for entry in entries})
    if missing:
        raise LookupError(", ".join(missing))
    return province_matrix(province=province, code=code, entries=entries)
