from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from indicators.models import VERDICT_LABELS
from plans.workflow import WorkflowStatus
from tracking.selectors import NOT_STARTED

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
def vn_number(value):
    """81.50 → `81,5`, 1234567 → `1.234.567`: no trailing zeros, Vietnamese separators."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    return number_format(number, use_l10n=True, force_grouping=True)
