from django import template

from reports.selectors import can_read_reports
from units.scope import scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def reads_reports(context, plan) -> bool:
    """Whether the page's user may open the plan's reports to the province (no query: the scope is cached)."""
    return can_read_reports(scope_for(context["request"].user), plan.commune)
