"""Reads of plans and reporting periods that other apps share, scoped to who is asking."""

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from plans.models import Plan, ReportingPeriod
from plans.periods import parse_period_code
from units.models import Commune


def get_plan_for_user(user, plan_id: int) -> Plan:
    """A plan the user may read, or 404: another commune's plan does not exist for them."""
    return get_object_or_404(Plan.objects.for_user(user).with_related(), pk=plan_id)


def open_period(commune: Commune) -> ReportingPeriod | None:
    """The period the commune is reporting on now: the latest one not yet locked."""
    return ReportingPeriod.objects.for_commune(commune).open().order_by("-start", "kind").first()


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
    return Plan.objects.filter(period_start__lte=period.end, period_end__gte=period.start)
