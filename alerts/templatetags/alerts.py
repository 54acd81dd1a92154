from django import template
from django.utils import timezone

from alerts.selectors import alerts_for

register = template.Library()


@register.inclusion_tag("alerts/partials/panel.html", takes_context=True)
def alerts_panel(context):
    """The signed-in user's reminders, the same as today's email, for the top of a page."""
    return {"alerts": alerts_for(context["request"].user, timezone.localdate()), "compact": True}
