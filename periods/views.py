"""The reporting calendar: the province makes a year at once, a commune adds its own period, and whoever
manages a period locks and unlocks it with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from periods.forms import DeadlinesForm, LockForm, PeriodForm, YearForm
from plans import services
from plans.models import ReportingPeriod
from plans.periods import KINDS
from plans.selectors import can_manage_period, manages_calendar, periods_seen_by_manager
from units.models import Commune, Province
from units.scope import Scope, scope_for

# The calendar lists months, then quarters, half-years and the year, each in order.
KIND_ORDER = Case(*[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KINDS)])


def _manager_scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not manages_calendar(scope):
        raise PermissionDenied("Lịch kỳ báo cáo dành cho quản trị viên của tỉnh và Phòng Văn hóa - Xã hội.")
    return scope


def _administered_provinces(scope: Scope):
    provinces = Province.objects.order_by("name")
    return provinces if scope.is_admin else provinces.filter(pk__in=scope.admin_province_ids)


def _managed_communes(scope: Scope):
    return Commune.objects.filter(scope.managed_commune_filter()).select_related("province").order_by("name")


def _year(request: HttpRequest, years: list[int]) -> int:
    wanted = request.GET.get("nam", "")
    if wanted:
        if not (wanted.isascii() and wanted.isdigit() and len(wanted) == 4):
            raise Http404("Năm không hợp lệ.")
        return int(wanted)
    today = timezone.localdate().year
    return today if today in years or not years else max(years)


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    scope = _manager_scope(request)
    seen = periods_seen_by_manager(scope)
    years = sorted(set(seen.values_list("year", flat=True)), reverse=True)
    year = _year(request, years)
    periods = list(
        seen.filter(year=year)
        .select_related("commune", "province", "locked_by")
        .order_by("province__name", F("commune__name").asc(nulls_first=True), KIND_ORDER, "number")
    )
    for period in periods:
        period.manageable = can_manage_period(scope, period)
    return render(
        request,
        "periods/period_list.html",
        {
            "periods": periods,
            "year": year,
            "years": years,
            "makes_years": bool(scope.is_admin or scope.admin_province_ids),
            "adds_periods": _managed_communes(scope).exists(),
        },
    )


@login_required
def year_create(request: HttpRequest) -> HttpResponse:
    scope = _manager_scope(request)
    provinces = _administered_provinces(scope)
    if not provinces.exists():
        raise PermissionDenied("Chỉ quản trị viên của tỉnh mới tạo lịch kỳ báo cáo cho cả tỉnh.")
    form = YearForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.periods_create_year(
                actor=request.user,
                province=data["province"],
                year=data["year"],
                kinds=data["kinds"],
                due_day=data["due_day"],
                internal_days_before=data["internal_days_before"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if created:
                messages.success(
                    request,
                    f"Đã tạo {len(created)} kỳ báo cáo năm {data['year']} cho mọi xã/phường của "
                    f"{data['province']}: {', '.join(p.code for p in created)}.",
                )
            else:
                messages.info(
                    request,
                    f"Năm {data['year']} đã có đủ các kỳ đã chọn cho {data['province']}: "
                    "không tạo thêm kỳ nào.",
                )
            return redirect(f"{_list_url()}?nam={data['year']}")
    status = 400 if form.errors else 200
    return render(request, "periods/year_form.html", {"form": form}, status=status)


@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    scope = _manager_scope(request)
    communes = _managed_communes(scope)
    if not communes.exists():
        raise PermissionDenied("Bạn không quản lý xã/phường nào.")
    form = PeriodForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.period_create(
                actor=request.user,
                commune=data["commune"],
                kind=data["kind"],
                year=data["year"],
                number=data["number"],
                due_day=data["due_day"],
                internal_days_before=data["internal_days_before"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Đã tạo kỳ báo cáo {period.code} riêng cho {period.commune}.")
            return redirect(f"{_list_url()}?nam={period.year}")
    status = 400 if form.errors else 200
    return render(request, "periods/period_form.html", {"form": form}, status=status)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _list_url() -> str:
    return reverse("periods:list")


def _period(request: HttpRequest, period_id: int) -> tuple[Scope, ReportingPeriod]:
    """A period the person sees in their calendar, or 404: another province's or commune's does not exist."""
    scope = _manager_scope(request)
    queryset = periods_seen_by_manager(scope).select_related("commune", "province", "locked_by")
    return scope, get_object_or_404(queryset, pk=period_id)


def _detail(
    request: HttpRequest, scope: Scope, period: ReportingPeriod, *, form=None, deadlines=None, status=200
):
    events = period.lock_events.select_related("actor").order_by("-at", "-pk")
    initial = {"due_date": period.due_date, "internal_days_before": period.internal_days_before}
    return render(
        request,
        "periods/period_detail.html",
        {
            "period": period,
            "events": events,
            "form": form or LockForm(),
            "deadlines": deadlines or DeadlinesForm(initial=initial),
            "manageable": can_manage_period(scope, period),
        },
        status=status,
    )


@login_required
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    scope, period = _period(request, period_id)
    return _detail(request, scope, period)


@login_required
@require_POST
def period_deadlines(request: HttpRequest, period_id: int) -> HttpResponse:
    scope, period = _period(request, period_id)
    if not can_manage_period(scope, period):
        raise PermissionDenied("Kỳ báo cáo toàn tỉnh do quản trị viên của tỉnh quản lý.")
    form = DeadlinesForm(request.POST)
    if form.is_valid():
        try:
            period = services.period_deadlines_set(period=period, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã đặt hạn gửi {period.due_date:%d/%m/%Y}, hạn nội bộ {period.internal_due_date:%d/%m/%Y}.",
            )
            return redirect("periods:detail", period_id=period.pk)
    period.refresh_from_db()
    return _detail(request, scope, period, deadlines=form, status=400)


def _lock_change(request: HttpRequest, period_id: int, change, done: str) -> HttpResponse:
    scope, period = _period(request, period_id)
    if not can_manage_period(scope, period):
        raise PermissionDenied("Kỳ báo cáo toàn tỉnh do quản trị viên của tỉnh khóa và mở khóa.")
    form = LockForm(request.POST)
    if form.is_valid():
        try:
            period = change(period=period, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{done} kỳ báo cáo {period.code}.")
            return redirect("periods:detail", period_id=period.pk)
    return _detail(request, scope, period, form=form, status=400)


@login_required
@require_POST
def period_lock(request: HttpRequest, period_id: int) -> HttpResponse:
    return _lock_change(request, period_id, services.period_lock, "Đã khóa")


@login_required
@require_POST
def period_unlock(request: HttpRequest, period_id: int) -> HttpResponse:
    return _lock_change(request, period_id, services.period_unlock, "Đã mở khóa")
