import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from common.text import clean_text, match_unit
from pagecache.cache import raise_versions
from plans import periods
from plans.models import (
    INTERNAL_DAYS_BEFORE,
    LOCK_REASON_LIMIT,
    PeriodLockAction,
    PeriodLockEvent,
    Plan,
    PlanKind,
    PlanStatus,
    ReportingPeriod,
    Section,
)
from plans.pillars import pillar_for_heading
from plans.selectors import can_manage_period
from plans.workflow import Pillar
from units.models import Commune, Province
from units.scope import scope_for


def plan_build(
    *,
    commune: Commune,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    target_year: int,
    kind: str = PlanKind.ANNUAL,
    number: str = "",
    issue_date: dt.date | None = None,
    place: str = "",
    legal_bases: Iterable[str] = (),
    general_objective: str = "",
    signer_authority: str = "",
    signer_title: str = "",
    signer_name: str = "",
    recipients: Iterable[str] = (),
    status: str = PlanStatus.ISSUED,
    source: str = "",
) -> Plan:
    """An unsaved plan with its texts cleaned; `legal_bases` and `recipients` are given a line each."""
    return Plan(
        commune=commune,
        number=clean_text(number),
        issue_date=issue_date,
        place=clean_text(place),
        title=clean_text(title),
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        target_year=target_year,
        legal_bases="\n".join(clean_text(line) for line in legal_bases),
        general_objective=clean_text(general_objective),
        signer_authority=clean_text(signer_authority),
        signer_title=clean_text(signer_title),
        signer_name=clean_text(signer_name),
        recipients="\n".join(clean_text(line) for line in recipients),
        status=status,
        source=source,
    )


_PLAN_TEXTS = [
    "number",
    "place",
    "title",
    "general_objective",
    "signer_authority",
    "signer_title",
    "signer_name",
]


@transaction.atomic
def plan_save(*, plan: Plan) -> Plan:
    """Store a plan header made or edited as a whole (seed loader, Excel import, roll-over, admin import)."""
    for name in _PLAN_TEXTS:
        setattr(plan, name, clean_text(getattr(plan, name)))
    plan.full_clean()
    plan.save()
    return plan


def section_build(
    *,
    plan: Plan,
    kind: str,
    order: int,
    number: str = "",
    title: str,
    lookup: Mapping[str, object],
    parent: Section | None = None,
) -> Section:
    """An unsaved section whose pillar is read from its title; `lookup` maps unit keys to units."""
    title = clean_text(title)
    # Sections of duties are headed by a unit's name (`Phòng Kinh tế, Hạ tầng và Đô thị`), not by a pillar.
    own_pillar = Pillar.OTHER if match_unit(title, lookup) is not None else pillar_for_heading(title)
    return Section(
        plan=plan,
        kind=kind,
        order=order,
        number=clean_text(number),
        title=title,
        # A subsection inherits its group's pillar unless its own title names one.
        pillar=parent.pillar if parent is not None and own_pillar == Pillar.OTHER else own_pillar,
        parent=parent,
    )


def section_create(
    *,
    plan: Plan,
    kind: str,
    order: int,
    data: dict,
    lookup: Mapping[str, object],
    parent: Section | None = None,
) -> Section:
    section = section_build(
        plan=plan,
        kind=kind,
        order=order,
        number=data.get("number", ""),
        title=data["title"],
        lookup=lookup,
        parent=parent,
    )
    section.full_clean()
    section.save()
    return section


# -- Plan status: dự thảo → đã ban hành → kết thúc ------------------------------------------------------


def _plan_status_change(*, plan: Plan, actor, was: str, becomes: str, refusal: str) -> Plan:
    if not scope_for(actor).can_review(plan.commune):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội của xã mới được ban hành hay kết thúc kế hoạch.")
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != was:
            raise ValidationError(refusal.format(status=plan.get_status_display().lower()))
        plan.status = becomes
        plan.full_clean()
        plan.save(update_fields=["status", "updated_at"])
        raise_versions(Commune.objects.filter(pk=plan.commune_id))
    return plan


def plan_issue(*, plan: Plan, actor) -> Plan:
    """A draft becomes the commune's plan in force: My work, the queue and the dashboards count it."""
    return _plan_status_change(
        plan=plan,
        actor=actor,
        was=PlanStatus.DRAFT,
        becomes=PlanStatus.ISSUED,
        refusal="Chỉ ban hành được kế hoạch dự thảo; kế hoạch này {status}.",
    )


def plan_close(*, plan: Plan, actor) -> Plan:
    """An issued plan ends: it stays readable with its entries but no longer counts in what is open."""
    return _plan_status_change(
        plan=plan,
        actor=actor,
        was=PlanStatus.ISSUED,
        becomes=PlanStatus.CLOSED,
        refusal="Chỉ kết thúc được kế hoạch đã ban hành; kế hoạch này {status}.",
    )


# -- The reporting calendar ------------------------------------------------------------------------------

DUE_DAY = 15  # «ngày 15 của tháng sau khi kỳ kết thúc»


def _ensure_manages(actor, period: ReportingPeriod) -> None:
    if not can_manage_period(scope_for(actor), period):
        if period.commune_id is None:
            raise PermissionDenied("Chỉ quản trị viên của tỉnh mới được quản lý kỳ báo cáo toàn tỉnh.")
        raise PermissionDenied("Bạn không quản lý kỳ báo cáo của xã/phường này.")


def _period_build(
    *,
    province: Province,
    commune: Commune | None,
    spec: periods.PeriodSpec,
    due_day: int,
    internal_days_before: int,
) -> ReportingPeriod:
    if not 1 <= due_day <= 31:
        raise ValidationError({"due_day": "Ngày hạn gửi phải từ 1 đến 31."})
    return ReportingPeriod(
        province=province,
        commune=commune,
        kind=spec.kind,
        year=spec.year,
        number=spec.number,
        start=spec.start,
        end=spec.end,
        due_date=periods.due_date_after(spec.end, due_day),
        internal_days_before=internal_days_before,
    )


def _touch(period: ReportingPeriod) -> None:
    """Pages that show the period are stale: a province-wide one shows in every commune of the province."""
    communes = Commune.objects.filter(province_id=period.province_id)
    raise_versions(communes if period.commune_id is None else communes.filter(pk=period.commune_id))


@transaction.atomic
def period_create(
    *,
    actor,
    commune: Commune,
    kind: str,
    year: int,
    number: int,
    due_day: int = DUE_DAY,
    internal_days_before: int = INTERNAL_DAYS_BEFORE,
) -> ReportingPeriod:
    """A period for one commune only (a month the province does not ask of everyone); where a
    province-wide period has the same code, the commune reports in its own."""
    if kind not in periods.KINDS:
        raise ValidationError({"kind": "Loại kỳ không hợp lệ."})
    if not 1 <= number <= periods.count_in_year(kind):
        raise ValidationError({"number": f"Số kỳ phải từ 1 đến {periods.count_in_year(kind)}."})
    spec = periods.PeriodSpec(kind, year, number)
    period = _period_build(
        province=commune.province,
        commune=commune,
        spec=spec,
        due_day=due_day,
        internal_days_before=internal_days_before,
    )
    _ensure_manages(actor, period)
    if ReportingPeriod.objects.filter(commune=commune, kind=kind, year=year, number=number).exists():
        raise ValidationError(f"{commune} đã có kỳ báo cáo {spec.code}: không tạo thêm.")
    period.full_clean()
    period.save()
    _touch(period)
    return period


@transaction.atomic
def periods_create_year(
    *,
    actor,
    province: Province,
    year: int,
    kinds: Iterable[str],
    due_day: int = DUE_DAY,
    internal_days_before: int = INTERNAL_DAYS_BEFORE,
) -> list[ReportingPeriod]:
    """The year's periods of these kinds for every commune of the province at once, as province-wide rows.

    One row per period serves every commune (ReportingPeriod.objects.for_commune reads it for each), a
    commune added later included; the province locks it once for all. Periods the year already has are
    left as they are, so a second run creates nothing and returns [].
    """
    if not scope_for(actor).administers_province(province.pk):
        raise PermissionDenied("Chỉ quản trị viên của tỉnh mới được tạo lịch kỳ báo cáo cho cả tỉnh.")
    kinds = [kind for kind in periods.KINDS if kind in set(kinds)]
    if not kinds:
        raise ValidationError({"kinds": "Hãy chọn ít nhất một loại kỳ."})
    existing = set(
        ReportingPeriod.objects.filter(province=province, year=year)
        .province_wide()
        .values_list("kind", "number")
    )
    created = []
    for spec in periods.year_specs(year, kinds):
        if (spec.kind, spec.number) in existing:
            continue
        period = _period_build(
            province=province,
            commune=None,
            spec=spec,
            due_day=due_day,
            internal_days_before=internal_days_before,
        )
        period.full_clean()
        created.append(period)
    ReportingPeriod.objects.bulk_create(created)
    if created:
        raise_versions(Commune.objects.filter(province=province))
    return created


def _lock_change(*, period: ReportingPeriod, actor, reason: str, action: str) -> ReportingPeriod:
    _ensure_manages(actor, period)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "Vui lòng ghi lý do."})
    if len(reason) > LOCK_REASON_LIMIT:
        raise ValidationError({"reason": f"Lý do dài quá {LOCK_REASON_LIMIT:,} ký tự.".replace(",", ".")})
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        locking = action == PeriodLockAction.LOCK
        if period.is_locked == locking:
            state = "đã khóa" if locking else "đang mở"
            raise ValidationError(f"Kỳ báo cáo {period.code} {state}: không có gì thay đổi.")
        now = timezone.now()
        period.locked_at, period.locked_by, period.lock_reason = (
            (now, actor, reason) if locking else (None, None, "")
        )
        period.full_clean()
        period.save(update_fields=["locked_at", "locked_by", "lock_reason"])
        event = PeriodLockEvent(period=period, action=action, reason=reason, actor=actor, at=now)
        event.full_clean()
        event.save()
        _touch(period)
    return period


def period_lock(*, period: ReportingPeriod, actor, reason: str) -> ReportingPeriod:
    """No entry of the period can be changed until it is unlocked; the reason shows on every entry form."""
    return _lock_change(period=period, actor=actor, reason=reason, action=PeriodLockAction.LOCK)


def period_unlock(*, period: ReportingPeriod, actor, reason: str) -> ReportingPeriod:
    return _lock_change(period=period, actor=actor, reason=reason, action=PeriodLockAction.UNLOCK)


@transaction.atomic
def period_deadlines_set(
    *, period: ReportingPeriod, actor, due_date: dt.date, internal_days_before: int
) -> ReportingPeriod:
    """Whoever manages the period moves its due date or the units' internal deadline (days before it)."""
    _ensure_manages(actor, period)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if due_date < period.end:
        raise ValidationError({"due_date": "Hạn gửi báo cáo không được trước ngày cuối kỳ."})
    period.due_date, period.internal_days_before = due_date, internal_days_before
    period.full_clean()
    period.save(update_fields=["due_date", "internal_days_before"])
    _touch(period)
    return period
