from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from common.text import shorten
from evidence.services import removal_refusal
from indicators.models import VERDICT_LABELS
from plans.selectors import manages_calendar
from plans.workflow import WorkflowStatus
from tracking.selectors import NOT_STARTED
from units.scope import scope_for

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


def _unit_of(target) -> str:
    if target is None or target == "":
        return ""
    if isinstance(target, str):
        return target
    return "%" if target.is_rate else target.unit_of_measure


@register.filter
def with_unit(value, target=None):
    """A result as a person writes it, its unit from the target: `81,5%`, `1.234.567 hồ sơ`, `95`.

    `target` is the Target the value is judged against (percent kinds and a `%` unit give `%`), or the unit
    itself as text; with neither the number stands alone.
    """
    number = vn_number(value)
    unit = _unit_of(target)
    if not number or not unit:
        return number
    return f"{number}%" if unit == "%" else f"{number} {unit}"


@register.filter
def removable_by(evidence, user) -> bool:
    """Whether the evidence list offers `user` to remove this file (the service decides again on POST)."""
    return not removal_refusal(evidence=evidence, actor=user)


@register.filter
def shortened(text, limit: int = 80):
    """A long name cut at a word with `…`, the whole of it in a tooltip: `{{ plan.title|shortened:80 }}`."""
    if text is None:
        return ""
    full = str(text)
    short = shorten(full, int(limit))
    if short == " ".join(full.split()):
        return short
    return format_html('<span title="{}">{}</span>', full, short)


@register.filter(name="shorten")
def shorten_filter(text, limit: int = 80) -> str:
    """`shortened` without markup, for SVG text and attributes (the full text goes in their own <title>)."""
    return shorten("" if text is None else str(text), int(limit))


@dataclass(frozen=True)
class Menu:
    """Which entries of the main menu lead somewhere for this person (each as its view admits)."""

    my_work: bool
    dashboard: bool
    review: bool
    calendar: bool


@register.simple_tag
def menu_for(user) -> Menu:
    """The menu from the scope, computed once per request: the menu costs no query of its own."""
    scope = scope_for(user)
    return Menu(
        my_work=bool(scope.member_commune_ids),
        dashboard=bool(
            scope.is_admin
            or scope.is_province_viewer
            or scope.unit_ids
            or scope.reviewer_commune_ids
            or scope.leader_commune_ids
        ),
        review=bool(scope.reviewer_commune_ids or (scope.is_admin and scope.member_commune_ids)),
        calendar=manages_calendar(scope),
    )
