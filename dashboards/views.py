from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.excel import XLSX_CONTENT_TYPE
from dashboards import charts, selectors, xlsx
from pagecache.cache import cached_body, province_version, version_of, with_versions
from plans.selectors import province_codes
from plans.workflow import Pillar, WorkflowStatus
from reports.selectors import visible_reports
from tracking.selectors import NOT_STARTED, IndicatorState, TaskState
from units.models import Commune, Province, Unit
from units.scope import Scope, scope_for

INDICATOR_SERIES = [charts.Series(s.value, s.label) for s in IndicatorState]
TASK_SERIES = [charts.Series(s.value, s.label) for s in TaskState]
TREND_SERIES = [
    charts.Series("met", _("Chỉ tiêu đạt, vượt")),
    charts.Series("tasks_done", _("Nhiệm vụ hoàn thành")),
]
SUBMISSION_LABELS = {
    WorkflowStatus.SUBMITTED: _("Đã gửi, chờ duyệt"),
    WorkflowStatus.APPROVED: _("Đã duyệt"),
    WorkflowStatus.RETURNED: _("Bị trả lại"),
    WorkflowStatus.DRAFT: _("Nháp"),
    NOT_STARTED: _("Chưa nhập"),
}


def _commune_context(request: HttpRequest, scope: Scope, commune: Commune, unit: Unit | None) -> dict:
    code = request.GET.get("ky", "")
    period = selectors.dashboard_period(commune, code, timezone.localdate())
    if code and period is None:
        raise Http404("Không có kỳ báo cáo này.")
    plans = selectors.dashboard_plans(commune, period)
    wanted = request.GET.get("ke-hoach", "")
    if wanted and not (wanted.isascii() and wanted.isdigit() and len(wanted) <= 18):
        raise Http404("Không có kế hoạch này.")
    plan = selectors.dashboard_plan(commune, period, int(wanted) if wanted else None, plans)
    if wanted and plan is None:
        raise Http404("Kế hoạch này không có trong các kế hoạch đã ban hành của kỳ.")
    dash = selectors.commune_dashboard(
        commune=commune,
        plan=plan,
        period=period,
        today=timezone.localdate(),
        reports=visible_reports(scope, commune),
        unit=unit,
    )
    rows = [(_("Toàn kế hoạch"), dash.indicators.counts)] + [
        (p.label, p.indicators.counts) for p in dash.pillars if p.indicators.total
    ]
    task_rows = [(_("Toàn kế hoạch"), dash.tasks.counts)] + [
        (p.label, p.tasks.counts) for p in dash.pillars if p.tasks.total
    ]
    # The filters every link to the plan browser carries, so its list is the one counted here.
    link_base = {"ky": period.code if period else ""}
    if unit is not None:
        link_base.update(unit=unit.pk, lead_only=1)
    return {
        "dash": dash,
        "plans": plans,
        "browser_url": reverse("tracking:plan_detail", args=[plan.pk]) if plan else "",
        "codes": selectors.commune_periods(commune),
        "link_base": link_base,
        "indicator_chart": charts.stacked_rows(INDICATOR_SERIES, rows, scaled=True),
        "task_chart": charts.stacked_rows(TASK_SERIES, task_rows, scaled=True),
        "trend_chart": charts.column_chart(
            TREND_SERIES, [(p.code, [p.indicators_met, p.tasks_done]) for p in dash.trend]
        ),
        "upcoming_days": selectors.UPCOMING_DAYS,
        "indicator_states": IndicatorState.choices,
        "task_states": TaskState.choices,
        "submission_states": [(state, SUBMISSION_LABELS[state]) for state in selectors.SUBMISSION_STATES],
        "whole": scope.reads_whole_commune(commune),
    }


@login_required
def my_dashboard(request: HttpRequest) -> HttpResponse:
    """The nav's «Bảng theo dõi»: the province's, the commune's, or one's own unit's, by who asks."""
    scope = scope_for(request.user)
    if scope.is_province_viewer:
        return redirect("dashboards:province")
    overseen = sorted(scope.reviewer_commune_ids | scope.leader_commune_ids)
    if overseen:
        return redirect("dashboards:commune", commune_id=overseen[0])
    if scope.unit_ids:
        return redirect("dashboards:unit", unit_id=min(scope.unit_ids))
    if scope.is_admin:
        return redirect("dashboards:province")
    return redirect("tracking:plan_list")


@login_required
def commune_dashboard(request: HttpRequest, commune_id: int) -> HttpResponse:
    """Reviewers, leaders and province viewers see the whole commune at a glance; unit staff have My work."""
    scope = scope_for(request.user)
    commune = get_object_or_404(Commune.objects.filter(scope.commune_filter()), pk=commune_id)
    if not scope.reads_whole_commune(commune):
        raise PermissionDenied("Bảng theo dõi của xã dành cho thẩm định, lãnh đạo xã và Sở KH&CN.")
    body = cached_body(
        request,
        "dashboards/commune.html",
        version_of([commune]),
        lambda: _commune_context(request, scope, commune, None),
    )
    return render(request, "page.html", {"title": f"{_('Bảng theo dõi')} – {commune}", "body": body})


@login_required
def unit_dashboard(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit's rows: for its own people and for those who read the whole commune."""
    scope = scope_for(request.user)
    unit = get_object_or_404(
        Unit.objects.filter(scope.commune_filter("commune")).select_related("commune__province"), pk=unit_id
    )
    if unit.pk not in scope.unit_ids and not scope.reads_whole_commune(unit.commune):
        raise PermissionDenied("Chỉ thành viên đơn vị, thẩm định và lãnh đạo xã xem được bảng này.")
    body = cached_body(
        request,
        "dashboards/commune.html",
        version_of([unit.commune]),
        lambda: _commune_context(request, scope, unit.commune, unit),
    )
    return render(request, "page.html", {"title": f"{_('Bảng theo dõi')} – {unit}", "body": body})


def _province_for(request: HttpRequest, scope: Scope) -> Province:
    if not (scope.is_admin or scope.is_province_viewer):
        raise PermissionDenied("Bảng theo dõi toàn tỉnh dành cho Sở KH&CN.")
    provinces = with_versions(Province.objects.order_by("name"))
    if not scope.is_admin:
        provinces = provinces.filter(pk__in=scope.province_ids)
    wanted = request.GET.get("tinh", "")
    if wanted:
        if not wanted.isascii() or not wanted.isdigit() or len(wanted) > 18:
            raise Http404
        return get_object_or_404(provinces, pk=wanted)
    province = provinces.first()
    if province is None:
        raise Http404
    return province


def _rollup(
    request: HttpRequest, province: Province, *, by_pillar: bool = False
) -> tuple[selectors.Rollup, list[str]]:
    codes = province_codes(province)
    code = request.GET.get("ky") or (codes[0] if codes else "")
    pillar = request.GET.get("pillar", "")
    if pillar and pillar not in Pillar.values:
        raise Http404
    if not code:
        return selectors.Rollup(province, "", pillar, [], []), codes
    if code not in codes:
        raise Http404("Không có kỳ báo cáo này.")
    rollup = selectors.province_rollup(
        province=province, code=code, today=timezone.localdate(), pillar=pillar, by_pillar=by_pillar
    )
    return rollup, codes


@login_required
def province_dashboard(request: HttpRequest) -> HttpResponse:
    province = _province_for(request, scope_for(request.user))
    body = cached_body(
        request,
        "dashboards/province.html",
        province_version(province),
        lambda: _province_context(request, province),
    )
    return render(
        request, "page.html", {"title": f"{_('Bảng theo dõi toàn tỉnh')} – {province}", "body": body}
    )


def _province_context(request: HttpRequest, province: Province) -> dict:
    rollup, codes = _rollup(request, province)
    sort = request.GET.get("sort", "ten")
    sending = request.GET.get("gui", "")
    if sending and sending not in selectors.SENDING_FILTERS:
        raise Http404
    bands = selectors.rate_bands(rollup.rows)
    return {
        "rollup": rollup,
        "rows": selectors.sorted_rows(selectors.filtered_rows(rollup.rows, sending), sort),
        "sort": sort,
        "sending": sending,
        "sending_choices": [
            (selectors.SENT, _("Đã gửi")),
            (selectors.NOT_SENT, _("Chưa gửi")),
            (selectors.NO_PERIOD, _("Không có kỳ này")),
        ],
        "codes": codes,
        "pillars": Pillar.choices,
        "band_chart": charts.column_chart(
            [charts.Series("communes", _("Số xã/phường"))], [(label, [n]) for label, n in bands]
        ),
        "without_indicators": sum(1 for row in rollup.rows if row.rate is None),
    }


@login_required
def province_xlsx(request: HttpRequest) -> HttpResponse:
    province = _province_for(request, scope_for(request.user))
    rollup, _codes = _rollup(request, province, by_pillar=True)
    if not rollup.code:
        raise Http404("Tỉnh chưa có kỳ báo cáo nào.")
    response = HttpResponse(xlsx.rollup_workbook(rollup), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{xlsx.filename(rollup)}"'
    return response
