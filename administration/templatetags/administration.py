from django import template

from units.scope import scope_for

register = template.Library()


@register.filter
def may_administer(user) -> bool:
    """Whether the menu offers Quản lý: province administrators, commune reviewers (Phòng VH-XH), admins."""
    return scope_for(user).is_administrator


@register.filter
def may_administer_province(user) -> bool:
    """Whether the commune pages lead back to the province's list of communes."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.admin_province_ids)
