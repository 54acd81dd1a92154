import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from indicators.models import IndicatorResult
from indicators.services import indicator_result_approve, indicator_result_reopen, indicator_result_return
from pagecache.cache import cached_body, version_of
from plans.models import Plan, ReportingPeriod
from plans.selectors import get_plan_for_user, open_period
from plans.workflow import WorkflowStatus
from tasks.models import TaskUpdate
from tasks.services import task_update_approve, task_update_reopen, task_update_return
from tracking import selectors
from tracking.forms import BrowserFilterForm, ReviewActionForm
from tracking.review import review_queue
from units.models import Commune, Membership, Role, Unit
from units.scope import scope_for
from units.selectors import member_communes


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Reviewers and leaders land on their commune's dashboard, a unit head on the unit's, staff on My work,
    province viewers on the province dashboard."""
    scope = scope_for(request.user)
    overseen = sorted(scope.reviewer_commune_ids | scope.leader_commune_ids)
    if overseen:
        return redirect("dashboards:commune", commune_id=overseen[0])
    if scope.is_unit_staff:
        headed = (
            Membership.objects.filter(user=request.user, role=Role.HEAD, unit__active=True)
            .order_by("unit_id")
            .values_list("unit_id", flat=True)
            .first()
        )
        if headed is not None:
            return redirect("dashboards:unit", unit_id=headed)
        return redirect("tracking:my_work")
    if scope.is_province_viewer:
        return redirect("dashboards:province")
    return redirect("tracking:plan_list")


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    communes = member_communes(request.user)
    if not communes:
        return redirect("tracking:plan_list")
    commune = communes[0]

    def build() -> dict:
        work = selectors.my_work(scope_for(request.user), commune, timezone.localdate())
        counts = {
            "not_started": work.count(selectors.NOT_STARTED),
            "drafts": work.count(WorkflowStatus.DRAFT),
            "returned": work.count(WorkflowStatus.RETURNED),
            "submitted": work.count(WorkflowStatus.SUBMITTED),
            "approved": work.count(WorkflowStatus.APPROVED),
        }
        return {"work": work, "commune": commune, **counts}

    # The alerts panel on this page speaks of every commune the user works in.
    body = cached_body(request, "tracking/my_work.html", version_of(communes), build)
    return render(request, "page.html", {"title": _("Việc của tôi"), "body": body})


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.for_user(request.user)
        .with_related()
        .annotate(
            indicator_count=Count("indicators", distinct=True), task_count=Count("tasks", distinct=True)
        )
        .order_by("commune__province__name", "commune__name", "-target_year")
    )
    return render(request, "tracking/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan browser: sections as printed, filtered by section, unit, status, overdue and a search."""
    plan = get_plan_for_user(request.user, plan_id)
    body = cached_body(
        request,
        "tracking/plan_detail.html",
        version_of([plan.commune]),
        lambda: _browser_context(request, plan),
    )
    return render(request, "page.html", {"title": Truncator(plan.title).chars(80), "body": body})


def _browser_context(request: HttpRequest, plan: Plan) -> dict:
    form = BrowserFilterForm(request.GET or None)
    sections = list(plan.sections.filter(parent__isnull=True).order_by("kind", "order"))
    form.fields["section"].choices = [("", "Tất cả")] + [
        (s.pk, f"{s.number} {s.title}"[:80]) for s in sections
    ]
    units = Unit.objects.for_commune(plan.commune).order_by("name")
    form.fields["unit"].choices = [("", "Tất cả")] + [(u.pk, u.name) for u in units]
    form.fields["status"].choices = [("", "Tất cả"), (selectors.NOT_STARTED, "Chưa nhập")] + list(
        WorkflowStatus.choices
    )
    periods = ReportingPeriod.objects.for_commune(plan.commune).order_by("-start", "kind")
    form.fields["ky"].choices = [("", "Kỳ đang mở")] + list(dict.fromkeys((p.code, p.code) for p in periods))
    filters = selectors.BrowserFilters(**form.cleaned_data) if form.is_valid() else selectors.BrowserFilters()
    period, indicator_sections, task_sections = selectors.plan_browser(
        plan, scope_for(request.user), filters, timezone.localdate()
    )
    return {
        "plan": plan,
        "form": form,
        "period": period,
        "indicator_sections": indicator_sections,
        "task_sections": task_sections,
        "filtering": selectors.is_filtering(filters),
    }


def _review_period(request: HttpRequest) -> tuple[Commune, ReportingPeriod | None]:
    scope = scope_for(request.user)
    commune_ids = sorted(scope.reviewer_commune_ids) or (
        sorted(scope.member_commune_ids) if scope.is_admin else []
    )
    if not commune_ids:
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội mới có hàng chờ thẩm định.")
    commune = Commune.objects.get(pk=commune_ids[0])
    period_id = request.GET.get("ky") or request.POST.get("ky")
    if period_id:
        if not _ID.fullmatch(str(period_id)):
            raise Http404
        period = get_object_or_404(ReportingPeriod.objects.for_commune(commune), pk=period_id)
    else:
        period = open_period(commune)
    return commune, period


_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and within a 64-bit key
_KEY = re.compile(r"(indicator|task):[0-9]{1,18}")


def _choice_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


@login_required
def review(request: HttpRequest) -> HttpResponse:
    commune, period = _review_period(request)

    def build() -> dict:
        groups = review_queue(period, commune) if period else {}
        periods = ReportingPeriod.objects.for_commune(commune).order_by("-start")
        return {"commune": commune, "period": period, "periods": periods, "groups": groups}

    body = cached_body(request, "tracking/review.html", version_of([commune]), build)
    return render(request, "page.html", {"title": _("Thẩm định"), "body": body, "csrf_form": "review-form"})


_ACTIONS = {
    ("indicator", "approve"): lambda e, u, c: indicator_result_approve(result=e, actor=u),
    ("indicator", "return"): lambda e, u, c: indicator_result_return(result=e, actor=u, comment=c),
    ("indicator", "reopen"): lambda e, u, c: indicator_result_reopen(result=e, actor=u, reason=c),
    ("task", "approve"): lambda e, u, c: task_update_approve(update=e, actor=u),
    ("task", "return"): lambda e, u, c: task_update_return(update=e, actor=u, comment=c),
    ("task", "reopen"): lambda e, u, c: task_update_reopen(update=e, actor=u, reason=c),
}


def _entries_in(commune: Commune, keys: list[str]):
    wanted = {"indicator": [], "task": []}
    for key in keys:
        kind, _sep, pk = key.partition(":")
        wanted[kind].append(int(pk))
    results = IndicatorResult.objects.filter(pk__in=wanted["indicator"], indicator__plan__commune=commune)
    updates = TaskUpdate.objects.filter(pk__in=wanted["task"], task__plan__commune=commune)
    related = ("period", "reviewed_by")
    return [("indicator", e) for e in results.select_related(*related)] + [
        ("task", e) for e in updates.select_related(*related)
    ]


@login_required
@require_POST
def review_action(request: HttpRequest) -> HttpResponse:
    """Approve many at once, or return / reopen with the required comment; all or nothing."""
    commune, period = _review_period(request)
    back = f"{reverse('tracking:review')}?ky={period.pk}" if period else reverse("tracking:review")
    keys = [k for k in request.POST.getlist("items") if _KEY.fullmatch(k)]
    allowed = [_choice_key(kind, e.pk) for kind, e in _entries_in(commune, keys)]
    form = ReviewActionForm(request.POST, choices=[(k, "") for k in allowed])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action, comment = form.cleaned_data["action"], form.cleaned_data.get("comment", "")
    try:
        with transaction.atomic():
            done = 0
            for kind, entry in _entries_in(commune, form.cleaned_data["items"]):
                _ACTIONS[kind, action](entry, request.user, comment)
                done += 1
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        verb = {"approve": "Đã duyệt", "return": "Đã trả lại", "reopen": "Đã mở lại"}[action]
        messages.success(request, f"{verb} {done} mục.")
    return redirect(back)
