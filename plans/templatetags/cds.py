from django import template
from django.utils.html import format_html

from indicators.models import VERDICT_LABELS
from plans.selectors import NOT_STARTED
from plans.workflow import WorkflowStatus

register = template.Library()

_STATE = {
    NOT_STARTED: ("Chưa nhập", "badge-muted"),
    WorkflowStatus.DRAFT: ("Nháp", "badge-info"),
    WorkflowStatus.SUBMITTED: ("Đã gửi, chờ duyệt", "badge-warn"),
    WorkflowStatus.RETURNED: ("Bị trả lại", "badge-bad"),
    WorkflowStatus.APPROVED: ("Đã duyệt", "badge-ok"),
}
_VERDICT_CLASS = {"achieved": "badge-ok", "exceeded": "badge-ok", "not_achieved": "badge-bad"}


@register.simple_tag
def state_badge(state: str | None):
    label, css = _STATE.get(state or NOT_STARTED, _STATE[NOT_STARTED])
    return format_html('<span class="badge {}">{}</span>', css, label)


@register.simple_tag
def verdict_badge(verdict: str | None):
    if not verdict:
        return format_html('<span class="badge badge-muted">{}</span>', "Chưa đánh giá")
    return format_html('<span class="badge {}">{}</span>', _VERDICT_CLASS[verdict], VERDICT_LABELS[verdict])


@register.filter
def entry_of(item):
    entries = getattr(item, "period_entries", None)
    return entries[0] if entries else None
