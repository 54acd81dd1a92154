from django import template

from units.scope import scope_for

register = template.Library()


@register.filter
def may_manage_api(user) -> bool:
    """Whether the menu offers the API tokens page: province administrators (and system admins)."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.admin_province_ids)
