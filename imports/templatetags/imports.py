from django import template

from units.scope import scope_for

register = template.Library()


@register.filter
def can_import(user, plan) -> bool:
    """Whether the plan page offers import and roll-over: the commune's reviewer and admins."""
    return scope_for(user).can_review(plan.commune)


@register.filter
def may_import(user) -> bool:
    """Whether the menu offers the Excel import: reviewers (Phòng VH-XH) and admins."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.reviewer_commune_ids)
