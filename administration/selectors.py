"""What the administration pages read: the communes a person manages and what each still lacks."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse

from plans.models import Plan, PlanStatus, ReportingPeriod
from units.models import Commune, Membership, Province, Role, Unit
from units.scope import Scope, scope_for

NOT_AN_ADMINISTRATOR = (
    "Chỉ quản trị tỉnh và Phòng Văn hóa - Xã hội của xã mới quản lý xã, đơn vị và người dùng."
)


def administrator_scope(user) -> Scope:
    """The user's scope, or 403 for someone who administers nothing."""
    scope = scope_for(user)
    if not scope.is_administrator:
        raise PermissionDenied(NOT_AN_ADMINISTRATOR)
    return scope


def administered_provinces(user) -> QuerySet[Province]:
    """The provinces the user administers, or 403: a commune's reviewer manages only that commune."""
    scope = administrator_scope(user)
    provinces = (
        Province.objects.all() if scope.is_admin else Province.objects.filter(pk__in=scope.admin_province_ids)
    )
    if not scope.is_admin and not scope.admin_province_ids:
        raise PermissionDenied("Chỉ quản trị tỉnh mới quản lý danh sách xã của tỉnh.")
    return provinces


def managed_commune(user, commune_id: int, *, checklist: bool = False) -> Commune:
    """The commune if the user manages it: 403 for someone who administers nothing, else 404."""
    scope = administrator_scope(user)
    communes = Commune.objects.filter(scope.managed_commune_filter()).select_related("province")
    return get_object_or_404(with_checklist(communes) if checklist else communes, pk=commune_id)


def managed_unit(user, unit_id: int) -> Unit:
    scope = administrator_scope(user)
    units = Unit.objects.filter(scope.managed_commune_filter("commune")).select_related("commune__province")
    return get_object_or_404(units, pk=unit_id)


def managed_membership(user, membership_id: int) -> Membership:
    scope = administrator_scope(user)
    memberships = Membership.objects.filter(scope.managed_commune_filter("unit__commune"))
    return get_object_or_404(memberships.select_related("unit__commune", "user"), pk=membership_id)


def commune_people(commune: Commune) -> QuerySet:
    """Everyone with a unit in the commune, each with those memberships (units and roles) prefetched."""
    memberships = (
        Membership.objects.filter(unit__commune=commune).select_related("unit").order_by("unit__name")
    )
    return (
        get_user_model()
        .objects.filter(pk__in=Membership.objects.filter(unit__commune=commune).values("user_id"))
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="commune_memberships"))
        .order_by("first_name", "last_name", "username")
    )


def _count(queryset: QuerySet, commune_path: str, counted: str = "pk") -> Coalesce:
    """Rows of `queryset` per commune (at `commune_path`), as a subquery of the commune's row."""
    per_commune = (
        queryset.filter(**{commune_path: OuterRef("pk")})
        .order_by()
        .values(commune_path)
        .annotate(n=Count(counted, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(per_commune), 0)


def _people_in(*roles: str) -> Coalesce:
    serving = Membership.objects.filter(role__in=roles, unit__active=True, user__is_active=True)
    return _count(serving, "unit__commune", "user")


def with_checklist(communes: QuerySet[Commune]) -> QuerySet[Commune]:
    """Communes carrying what `checklist` reads, in the communes' own query whatever their size."""
    open_periods = ReportingPeriod.objects.open().filter(
        Q(commune=OuterRef("pk")) | Q(commune__isnull=True, province=OuterRef("province_id"))
    )
    return communes.annotate(
        unit_count=_count(Unit.objects.active(), "commune"),
        reviewer_count=_people_in(Role.REVIEWER),
        leader_count=_people_in(Role.LEADER),
        staff_count=_people_in(Role.STAFF, Role.HEAD),
        plan_count=_count(Plan.objects.all(), "commune"),
        issued_plan_count=_count(Plan.objects.filter(status=PlanStatus.ISSUED), "commune"),
        has_open_period=Exists(open_periods),
    )


@dataclass(frozen=True)
class Step:
    """One thing a commune needs to be in service, and where it is done."""

    label: str
    done: bool
    detail: str
    url: str
    link_text: str


def checklist(commune: Commune) -> list[Step]:
    """What the commune has and lacks, from a commune loaded through `with_checklist`."""
    people = (reverse("administration:people", args=[commune.pk]), "Quản lý người dùng")
    plans = commune.plan_count
    plan_list = (reverse("tracking:plan_list"), "Danh sách kế hoạch")
    # The commune's reviewer (Phòng VH-XH) imports its plans; the province administrator only points there.
    plan_step = (reverse("imports:upload"), "Nhập kế hoạch từ Excel (Phòng Văn hóa - Xã hội của xã)")
    return [
        Step(
            "Đơn vị của xã",
            commune.unit_count > 0,
            f"{commune.unit_count} đơn vị đang hoạt động" if commune.unit_count else "Chưa có đơn vị nào",
            reverse("administration:unit_paste", args=[commune.pk]),
            "Dán danh sách đơn vị",
        ),
        Step(
            "Phòng Văn hóa - Xã hội (thẩm định)",
            commune.reviewer_count > 0,
            _people_detail(commune.reviewer_count),
            *people,
        ),
        Step("Lãnh đạo UBND xã", commune.leader_count > 0, _people_detail(commune.leader_count), *people),
        Step(
            "Ít nhất một cán bộ đơn vị", commune.staff_count > 0, _people_detail(commune.staff_count), *people
        ),
        Step(
            "Kế hoạch đã nhập và ban hành",
            commune.issued_plan_count > 0,
            f"{plans} kế hoạch, {commune.issued_plan_count} đã ban hành" if plans else "Chưa có kế hoạch nào",
            *(plan_list if plans else plan_step),
        ),
        Step(
            "Kỳ báo cáo đang mở",
            commune.has_open_period,
            "Có kỳ đang mở" if commune.has_open_period else "Chưa có kỳ báo cáo nào đang mở",
            *plan_list,
        ),
    ]


def _people_detail(count: int) -> str:
    return f"{count} người" if count else "Chưa có ai"
