"""Who may see and do what: every view asks here instead of deciding for itself."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Q

from units.models import Commune, Role


@dataclass(frozen=True)
class Scope:
    is_admin: bool
    province_ids: frozenset[int]
    member_commune_ids: frozenset[int]
    unit_ids: frozenset[int]
    editor_unit_ids: frozenset[int]
    reviewer_commune_ids: frozenset[int]
    leader_commune_ids: frozenset[int]
    # Provinces the user administers (ProvinceAdministrator): communes, units, people, periods; no entries.
    admin_province_ids: frozenset[int] = frozenset()

    def commune_filter(self, prefix: str = "") -> Q:
        """Rows whose commune the user may read; `prefix` is the path to the commune (`plan__commune`)."""
        if self.is_admin:
            return Q()
        commune = f"{prefix}__" if prefix else ""
        return Q(**{f"{commune}id__in": self.member_commune_ids}) | Q(
            **{f"{commune}province_id__in": self.province_ids}
        )

    def can_read_commune(self, commune: Commune) -> bool:
        return (
            self.is_admin or commune.id in self.member_commune_ids or commune.province_id in self.province_ids
        )

    def reads_whole_commune(self, commune: Commune) -> bool:
        """Reviewers, leaders, province viewers and admins read every entry; unit staff only their units'."""
        return (
            self.is_admin
            or commune.id in self.reviewer_commune_ids
            or commune.id in self.leader_commune_ids
            or commune.province_id in self.province_ids
        )

    def can_review(self, commune: Commune) -> bool:
        return self.is_admin or commune.id in self.reviewer_commune_ids

    def can_manage_commune(self, commune: Commune) -> bool:
        """Whether the user may manage the commune's units and people: its province's administrator or its
        own reviewer (Phòng VH-XH)."""
        return (
            self.is_admin
            or commune.province_id in self.admin_province_ids
            or commune.id in self.reviewer_commune_ids
        )

    def administers_province(self, province_id: int) -> bool:
        return self.is_admin or province_id in self.admin_province_ids

    def managed_commune_filter(self, prefix: str = "") -> Q:
        """Rows whose commune the user manages; `prefix` is the path to the commune (`unit__commune`)."""
        if self.is_admin:
            return Q()
        commune = f"{prefix}__" if prefix else ""
        return Q(**{f"{commune}id__in": self.reviewer_commune_ids}) | Q(
            **{f"{commune}province_id__in": self.admin_province_ids}
        )

    @property
    def is_administrator(self) -> bool:
        """Whether the administration pages (/quan-ly/) open for the user at all."""
        return self.is_admin or bool(self.admin_province_ids or self.reviewer_commune_ids)

    @property
    def is_unit_staff(self) -> bool:
        return bool(self.editor_unit_ids)

    @property
    def is_province_viewer(self) -> bool:
        return bool(self.province_ids)


_EMPTY = frozenset()
ANONYMOUS = Scope(False, _EMPTY, _EMPTY, _EMPTY, _EMPTY, _EMPTY, _EMPTY)


_PROVINCE_ROW = "province"  # marks the ProvinceViewer rows in scope_for's one query
_ADMIN_ROW = "padmin"  # marks the ProvinceAdministrator rows
# The user's memberships in active units, then the provinces they view and those they administer
# (Membership, Unit, ProvinceViewer, ProvinceAdministrator).
_SCOPE_SQL = (
    "SELECT m.unit_id, u.commune_id, m.role FROM units_membership m JOIN units_unit u ON u.id = m.unit_id"
    " WHERE m.user_id = %s AND u.active"
    " UNION ALL SELECT NULL, v.province_id, %s FROM units_provinceviewer v WHERE v.user_id = %s"
    " UNION ALL SELECT NULL, a.province_id, %s FROM units_provinceadministrator a WHERE a.user_id = %s"
)


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The user's scope, computed once per request (every page's menu needs it).

    One query in SQL: built through the ORM (a union of two querysets) it cost 2.4 ms a request, five times
    what the database spends on it; the parameters are bound, never formatted in.
    """
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_cds_scope", None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(_SCOPE_SQL, [user.pk, _PROVINCE_ROW, user.pk, _ADMIN_ROW, user.pk])
        rows = cursor.fetchall()
    units = [(unit, commune, role) for unit, commune, role in rows if role not in (_PROVINCE_ROW, _ADMIN_ROW)]
    scope = Scope(
        is_admin=user.is_superuser,
        province_ids=frozenset(province for _unit, province, kind in rows if kind == _PROVINCE_ROW),
        member_commune_ids=frozenset(commune for _unit, commune, _role in units),
        unit_ids=frozenset(unit for unit, _commune, _role in units),
        editor_unit_ids=frozenset(unit for unit, _commune, role in units if role in (Role.STAFF, Role.HEAD)),
        reviewer_commune_ids=frozenset(c for _unit, c, role in units if role == Role.REVIEWER),
        leader_commune_ids=frozenset(c for _unit, c, role in units if role == Role.LEADER),
        admin_province_ids=frozenset(province for _unit, province, kind in rows if kind == _ADMIN_ROW),
    )
    user._cds_scope = scope
    return scope


def item_unit_ids(item, role: str | None = None) -> set[int]:
    """Units named on an indicator or a task (optionally in one role), from its prefetched assignments."""
    return {a.unit_id for a in item.assignments.all() if a.unit_id and (role is None or a.role == role)}


def can_read_item(scope: Scope, item) -> bool:
    """Whole-commune readers see every row; unit staff see rows their unit leads, coordinates or monitors."""
    commune = item.plan.commune
    if not scope.can_read_commune(commune):
        return False
    return scope.reads_whole_commune(commune) or bool(scope.unit_ids & item_unit_ids(item))


def can_edit_item(scope: Scope, item) -> bool:
    return bool(scope.editor_unit_ids & item_unit_ids(item, "lead")) or scope.is_admin
