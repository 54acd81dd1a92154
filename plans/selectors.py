from django.db.models import Prefetch

from indicators.models import Indicator, IndicatorAssignment
from plans.models import Plan, Section, SectionKind
from tasks.models import Task, TaskAssignment


def plan_document(plan: Plan) -> dict[str, list[Section]]:
    """The plan's sections in printed order, each with its rows prefetched, as the appendices print them."""
    indicators = Indicator.objects.order_by("order").prefetch_related(
        "targets", Prefetch("assignments", IndicatorAssignment.objects.select_related("unit"))
    )
    tasks = Task.objects.order_by("order").prefetch_related(
        Prefetch("assignments", TaskAssignment.objects.select_related("unit"))
    )
    sections = list(
        plan.sections.order_by("kind", "order").prefetch_related(
            Prefetch("indicators", indicators), Prefetch("tasks", tasks)
        )
    )
    return {
        "indicator_sections": [s for s in sections if s.kind == SectionKind.INDICATORS],
        "task_sections": [s for s in sections if s.kind == SectionKind.TASKS],
    }
