from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from plans.models import Plan, SectionKind
from plans.selectors import plan_document


def get_plan_for_user(request: HttpRequest, plan_id: int) -> Plan:
    """A plan the user may read, or 404: another commune's plan does not exist for them."""
    return get_object_or_404(Plan.objects.for_user(request.user).with_related(), pk=plan_id)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return plan_list(request)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.for_user(request.user)
        .with_related()
        .annotate(
            indicator_count=Count("indicators", distinct=True),
            task_count=Count("tasks", distinct=True),
        )
        .order_by("commune__province__name", "commune__name", "-target_year")
    )
    return render(request, "plans/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request, plan_id)
    counts = plan.sections.aggregate(
        indicator_groups=Count("id", filter=Q(kind=SectionKind.INDICATORS, parent__isnull=True)),
        task_groups=Count("id", filter=Q(kind=SectionKind.TASKS, parent__isnull=True)),
    )
    return render(request, "plans/plan_detail.html", {"plan": plan, **counts, **plan_document(plan)})
