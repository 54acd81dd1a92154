import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from common.text import shorten
from indicators.models import IndicatorResult
from indicators.services import indicator_result_approve, indicator_result_reopen, indicator_result_return
from pagecache.cache import cached_body, version_of
from plans.models import Plan, PlanStatus, ReportingPeriod
from plans.selectors import get_plan_for_user, open_period
from plans.services import plan_close, plan_issue
from plans.workflow import WorkflowStatus
from tasks.models import TaskUpdate
from tasks.services import task_update_approve, task_update_reopen, task_update_return
from tracking import selectors
from tracking.forms import COMMENT_LIMIT, BrowserFilterForm, ReviewActionForm
from tracking.review import review_queue
from units.models import Commune, Membership, Role, Unit
from units.scope import scope_for
from units.selectors import member_communes


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Reviewers and leaders land on their commune's dashboard, a unit head on the unit's, staff on My work,
    province viewers on the province dashboard, a province administrator on the province's communes."""
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
    if scope.admin_province_ids:
        return redirect("administration:home")
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
        return {"work": work, "commune": commune, "several_plans": len(work.plans) > 1, **counts}

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
    # The reviewer's issue / close form is in the cached body; its token is this request's (page.html).
    csrf_form = PLAN_STATUS_FORM if scope_for(request.user).can_review(plan.commune) else ""
    return render(
        request, "page.html", {"title": shorten(plan.title, 80), "body": body, "csrf_form": csrf_form}
    )


PLAN_STATUS_FORM = "plan-status-form"
_PLAN_ACTIONS = {
    "issue": (
        plan_issue,
        "Đã ban hành kế hoạch: từ nay Việc của tôi, thẩm định và bảng theo dõi tính kế hoạch này.",
    ),
    "close": (plan_close, "Đã kết thúc kế hoạch: kế hoạch không còn được tính trong các kỳ đang mở."),
}


@login_required
@require_POST
def plan_status(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The reviewer issues a draft plan or closes an issued one; anything else is explained, not done."""
    plan = get_plan_for_user(request.user, plan_id)
    action = _PLAN_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Thao tác không hợp lệ: chọn Ban hành hoặc Kết thúc kế hoạch.")
        return redirect("tracking:plan_detail", plan_id=plan.pk)
    change, done = action
    try:
        change(plan=plan, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("tracking:plan_detail", plan_id=plan.pk)


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
        "plan_status_form": PLAN_STATUS_FORM,
        "can_change_status": scope_for(request.user).can_review(plan.commune),
        "draft": plan.status == PlanStatus.DRAFT,
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
        period = open_period(commune, timezone.localdate())
    return commune, period


_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only, and within a 64-bit key
# An entry and the version the reviewer was shown: `task:123@4`.
_KEY = re.compile(r"(indicator|task):([0-9]{1,18})@([0-9]{1,10})")


def _review_context(request: HttpRequest, commune: Commune, period: ReportingPeriod | None) -> dict:
    groups = review_queue(period, commune, reviewer=request.user) if period else {}
    periods = ReportingPeriod.objects.for_commune(commune).order_by("-start")
    return {"commune": commune, "period": period, "periods": periods, "groups": groups}


def _review_page(request: HttpRequest, body) -> HttpResponse:
    return render(request, "page.html", {"title": _("Thẩm định"), "body": body, "csrf_form": "review-form"})


# Where a refused action leaves what the reviewer ticked and typed, for the page it redirects to.
_REFUSED = "review_refused"


@login_required
def review(request: HttpRequest) -> HttpResponse:
    commune, period = _review_period(request)
    refused = request.session.pop(_REFUSED, None)
    if refused:  # this request's own ticks and comment: rendered afresh, never cached
        context = {**_review_context(request, commune, period), **refused, "picked": set(refused["picked"])}
        return _review_page(request, render_to_string("tracking/review.html", context, request=request))
    build = lambda: _review_context(request, commune, period)  # noqa: E731 - run only on a cache miss
    body = cached_body(request, "tracking/review.html", version_of([commune]), build)
    return _review_page(request, body)


_ACTIONS = {
    ("indicator", "approve"): lambda e, u, c: indicator_result_approve(result=e, actor=u),
    ("indicator", "return"): lambda e, u, c: indicator_result_return(result=e, actor=u, comment=c),
    ("indicator", "reopen"): lambda e, u, c: indicator_result_reopen(result=e, actor=u, reason=c),
    ("task", "approve"): lambda e, u, c: task_update_approve(update=e, actor=u),
    ("task", "return"): lambda e, u, c: task_update_return(update=e, actor=u, comment=c),
    ("task", "reopen"): lambda e, u, c: task_update_reopen(update=e, actor=u, reason=c),
}
_NOT_DONE = {"approve": "chưa duyệt", "return": "chưa trả lại", "reopen": "chưa mở lại"}


def _parse_keys(keys: list[str]) -> dict[tuple[str, int], int]:
    """(kind, pk) → the version shown, for the keys that are well formed (strict ASCII, see `_KEY`)."""
    shown = {}
    for key in keys:
        match = _KEY.fullmatch(key)
        if match:
            shown[match[1], int(match[2])] = int(match[3])
    return shown


def _entries_in(commune: Commune, wanted: list[tuple[str, int]], *, lock: bool = False):
    pks = {kind: [pk for k, pk in wanted if k == kind] for kind in ("indicator", "task")}
    results = IndicatorResult.objects.filter(pk__in=pks["indicator"], indicator__plan__commune=commune)
    updates = TaskUpdate.objects.filter(pk__in=pks["task"], task__plan__commune=commune)
    if lock:  # the version compared is the version acted on
        results, updates = results.select_for_update(of=("self",)), updates.select_for_update(of=("self",))
    return [("indicator", e) for e in results.select_related("period", "reviewed_by", "indicator")] + [
        ("task", e) for e in updates.select_related("period", "reviewed_by", "task")
    ]


def _entry_text(kind: str, entry) -> str:
    """The entry's value in a few words, for a message."""
    if kind == "task":
        return f"{entry.get_progress_display()} · {entry.percent_complete}%"
    if entry.effective_value is not None:
        return number_format(entry.effective_value, use_l10n=True).rstrip("0").rstrip(",")
    if entry.flag is not None:
        return "Đạt" if entry.flag else "Chưa đạt"
    return entry.note[:80] or "chưa có số liệu"


@login_required
@require_POST
def review_action(request: HttpRequest) -> HttpResponse:
    """Approve many at once, or return / reopen with the required comment; all or nothing.

    Each ticked item carries the version the reviewer saw: an item changed since is left as it is and named.
    A refused action shows the queue again with the ticks and the comment as they were.
    """
    commune, period = _review_period(request)
    back = f"{reverse('tracking:review')}?ky={period.pk}" if period else reverse("tracking:review")
    posted = request.POST.getlist("items")
    shown = _parse_keys(posted)
    found = {(kind, e.pk) for kind, e in _entries_in(commune, list(shown))}
    allowed = [key for key in posted if (m := _KEY.fullmatch(key)) and (m[1], int(m[2])) in found]
    form = ReviewActionForm(request.POST, choices=[(k, "") for k in allowed])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _refused(request, back)
    action, comment = form.cleaned_data["action"], form.cleaned_data.get("comment", "")
    try:
        with transaction.atomic():
            done, changed = 0, []
            for kind, entry in _entries_in(commune, list(_parse_keys(form.cleaned_data["items"])), lock=True):
                if entry.version != shown[kind, entry.pk]:
                    changed.append((kind, entry))
                    continue
                _ACTIONS[kind, action](entry, request.user, comment)
                done += 1
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        return _refused(request, back)
    verb = {"approve": "Đã duyệt", "return": "Đã trả lại", "reopen": "Đã mở lại"}[action]
    if done or not changed:
        messages.success(request, f"{verb} {done} mục.")
    for kind, entry in changed:
        item = entry.indicator if kind == "indicator" else entry.task
        messages.warning(
            request,
            f"Mục {item.number} đã thay đổi sau khi bạn mở trang: {_NOT_DONE[action]}. "
            f"Giá trị mới: {_entry_text(kind, entry)}.",
        )
    return redirect(back)


def _refused(request: HttpRequest, back: str) -> HttpResponse:
    """Back to the queue, which shows the ticks and the comment as the reviewer left them."""
    request.session[_REFUSED] = {
        "picked": [key for key in request.POST.getlist("items") if _KEY.fullmatch(key)][:1_000],
        "comment": request.POST.get("comment", "")[:COMMENT_LIMIT],
    }
    return redirect(back)
