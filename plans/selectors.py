"""Reads of plans and reporting periods that other apps share, scoped to who is asking."""

import datetime as dt

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from plans.models import Plan, ReportingPeriod
from plans.periods import parse_period_code, period_code
from units.models import Commune, Province
from units.scope import Scope


def get_plan_for_user(user, plan_id: int) -> Plan:
    """A plan the user may read, or 404: another commune's plan does not exist for them."""
    return get_object_or_404(Plan.objects.for_user(user).with_related(), pk=plan_id)


def open_period(commune: Commune, today: dt.date | None = None) -> ReportingPeriod | None:
    """The period the commune is reporting on now: the latest one not yet locked.

    A calendar is made a year ahead, so the latest period of all may be months away: given `today`, periods
    yet to begin come only when none has begun. (Without it, the latest of all, as before calendars.)
    """
    periods = ReportingPeriod.objects.for_commune(commune).open()
    if today is None:
        return periods.order_by("-start", "kind").first()
    not_begun = Case(When(start__gt=today, then=Value(1)), default=Value(0))
    return periods.order_by(not_begun, "-start", "kind").first()


def period_for_code(commune: Commune, code: str) -> ReportingPeriod | None:
    """The commune's period with this code (`2026-Q4`): its own if it has one, else the province-wide one."""
    try:
        spec = parse_period_code(code)
    except ValueError:
        return None
    candidates = ReportingPeriod.objects.for_commune(commune).filter(
        kind=spec.kind, year=spec.year, number=spec.number
    )
    return candidates.order_by(F("commune_id").asc(nulls_last=True)).first()


def plans_covering(period: ReportingPeriod) -> QuerySet[Plan]:
    """The issued plans in effect during the period: what My work, the queue and the dashboards count."""
    return Plan.objects.issued().filter(period_start__lte=period.end, period_end__gte=period.start)


def can_manage_period(scope: Scope, period: ReportingPeriod) -> bool:
    """A province-wide period is its province administrator's; a commune's own period is also its
    reviewer's (Phòng VH-XH), who cannot lock the whole province."""
    if period.commune_id is None:
        return scope.administers_province(period.province_id)
    return scope.is_admin or (
        period.province_id in scope.admin_province_ids or period.commune_id in scope.reviewer_commune_ids
    )


def periods_seen_by_manager(scope: Scope) -> QuerySet[ReportingPeriod]:
    """The periods a calendar manager lists: every period of the provinces they administer, and for a
    reviewer their commune's own periods beside the province-wide ones it reports in (those read-only)."""
    if scope.is_admin:
        return ReportingPeriod.objects.all()
    reviewed_provinces = Commune.objects.filter(pk__in=scope.reviewer_commune_ids).values("province_id")
    return ReportingPeriod.objects.filter(
        Q(province_id__in=scope.admin_province_ids)
        | Q(commune_id__in=scope.reviewer_commune_ids)
        | Q(commune__isnull=True, province_id__in=reviewed_provinces)
    )


def manages_calendar(scope: Scope) -> bool:
    """Whether the calendar (/ky-bao-cao/) opens: province administrators and commune reviewers."""
    return bool(scope.is_admin or scope.admin_province_ids or scope.reviewer_commune_ids)


def province_codes(province: Province) -> list[str]:
    """Every period code used in the province, newest first (the first is the default)."""
    rows = (
        ReportingPeriod.objects.filter(province=province)
        .values_list("kind", "year", "number", "start")
        .distinct()
    )
    ordered = sorted(rows, key=lambda row: (row[3], row[0]), reverse=True)
    return list(dict.fromkeys(period_code(kind, year, number) for kind, year, number, _start in ordered))
