"""Demo people and two reporting periods of plausible progress, so every screen has something to show.

Everything goes through the same services as the browser, so the demo data obeys the same rules and
carries the same history.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from common.text import fold, unit_key
from indicators.models import Indicator
from indicators.services import indicator_result_approve, indicator_result_return, indicator_result_save
from indicators.targets import Comparator, TargetKind
from plans.models import Plan, ReportingPeriod
from plans.periods import QUARTER, PeriodSpec
from plans.workflow import AssignmentRole
from tasks.models import Task, TaskProgress
from tasks.services import task_update_approve, task_update_return, task_update_save
from units.models import Commune, Membership, ProvinceAdministrator, ProvinceViewer, Role, Unit, UnitKind

REVIEWER_UNIT_KEYS = {unit_key("Phòng Văn hóa - Xã hội"), unit_key("Công chức Văn hóa - Xã hội")}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    where: str


def _slug(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _user(username: str, full_name: str, password: str):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if created:
        # Vietnamese names read family name first; keep the whole name in one field so it prints as written.
        user.first_name = full_name
        # A reserved domain (RFC 2606): reminders reach the console backend in a demo, never a real inbox.
        user.email = f"{username}@example.org"
        user.set_password(password)
        user.save()
    return user


def _reviewer_unit(commune: Commune) -> Unit:
    units = list(Unit.objects.for_commune(commune))
    return next((u for u in units if u.match_key in REVIEWER_UNIT_KEYS), None) or next(
        u for u in units if "vanhoa" in u.match_key.replace(" ", "")
    )


def _is_committee(unit: Unit) -> bool:
    return unit.match_key.startswith(("ủybannhândân", "ubnd"))


def _leader_unit(commune: Commune, fallback: Unit) -> Unit:
    """Leaders sit in the People's Committee itself, or its office where the plan names no committee unit."""
    units = list(Unit.objects.for_commune(commune).filter(kind=UnitKind.OFFICE))
    return (
        next((u for u in units if _is_committee(u)), None)
        or next((u for u in units if u.match_key.startswith("vănphònghđnd")), None)
        or fallback
    )


def _busiest_unit(commune: Commune, exclude: Unit) -> Unit:
    """The own office (not the committee itself) that leads most rows: the natural demo clerk."""
    return (
        Unit.objects.for_commune(commune)
        .filter(kind=UnitKind.OFFICE)
        .exclude(pk=exclude.pk)
        .exclude(Q(match_key__startswith="ủybannhândân") | Q(match_key__startswith="ubnd"))
        .annotate(
            led=Count("task_assignments", filter=Q(task_assignments__role=AssignmentRole.LEAD))
            + Count("indicator_assignments", filter=Q(indicator_assignments__role=AssignmentRole.LEAD))
        )
        .order_by("-led", "name")
        .first()
    )


def _period(commune: Commune, spec: PeriodSpec, locked: bool) -> ReportingPeriod:
    # The province asks for the report by the 15th of the period's last month.
    period, _created = ReportingPeriod.objects.get_or_create(
        province=commune.province,
        commune=commune,
        kind=spec.kind,
        year=spec.year,
        number=spec.number,
        defaults={
            "start": spec.start,
            "end": spec.end,
            "due_date": dt.date(spec.end.year, spec.end.month, 15),
            "locked_at": timezone.now() if locked else None,
        },
    )
    return period


def _plausible_value(target, rng: random.Random) -> tuple[Decimal | None, bool | None]:
    if target is None or target.kind == TargetKind.TEXT:
        return None, None
    if target.kind == TargetKind.BOOLEAN:
        return None, rng.random() < 0.8
    if target.kind == TargetKind.RANGE:
        low, high = float(target.min_value), float(target.max_value)
        return Decimal(str(round(rng.uniform(low - 10, high), 1))), None
    goal = float(target.value)
    if target.comparator in (Comparator.LT, Comparator.LTE):
        return Decimal(str(round(goal * rng.uniform(0.6, 1.2), 1))), None
    value = goal * rng.uniform(0.8, 1.05)
    if target.kind == TargetKind.PERCENT:
        value = min(value, 100.0)
    return Decimal(str(round(value, 1 if target.kind == TargetKind.PERCENT else 0))), None


def _progress(rng: random.Random, period: ReportingPeriod) -> tuple[str, int]:
    done_share = 0.3 if period.number < 4 else 0.5
    roll = rng.random()
    if roll < done_share:
        return TaskProgress.DONE, 100
    if roll < done_share + 0.45:
        return TaskProgress.IN_PROGRESS, rng.choice([30, 50, 60, 70, 80])
    if roll < done_share + 0.55:
        return TaskProgress.BEHIND, rng.choice([10, 20, 30])
    return TaskProgress.NOT_STARTED, 0


def _fill_period(
    plan: Plan, period: ReportingPeriod, clerk, reviewer, rng: random.Random, finished: bool
) -> None:
    """Enter the clerk's unit's rows; a finished period is fully approved, the open one is mid-way."""
    units = [m.unit for m in clerk.memberships.all()]
    # Rows led jointly by two units are entered once, by whichever demo clerk comes first.
    indicators = (
        Indicator.objects.filter(plan=plan)
        .led_by(units)
        .exclude(results__period=period)
        .prefetch_related("targets")
        .order_by("order")
    )
    tasks = Task.objects.filter(plan=plan).led_by(units).exclude(updates__period=period).order_by("order")
    for index, indicator in enumerate(indicators):
        if not finished and index % 4 == 3:
            continue  # nothing entered yet: the open period is not complete
        target = next((t for t in indicator.targets.all() if t.year == period.year), None)
        value, flag = _plausible_value(target, rng)
        result = indicator_result_save(
            indicator=indicator,
            period=period,
            actor=clerk,
            value=value,
            flag=flag,
            note="" if value is not None or flag is not None else "Đánh giá theo báo cáo của đơn vị.",
            submit=finished or index % 4 != 2,
        )
        if finished or index % 4 == 0:
            indicator_result_approve(result=result, actor=reviewer)
        elif index % 4 == 1 and index < 6:
            indicator_result_return(
                result=result, actor=reviewer, comment="Đề nghị bổ sung tài liệu kiểm chứng."
            )
    for index, task in enumerate(tasks):
        if not finished and index % 5 == 4:
            continue
        progress, percent = _progress(rng, period)
        update = task_update_save(
            task=task,
            period=period,
            actor=clerk,
            progress=progress,
            percent_complete=percent,
            results=""
            if progress == TaskProgress.NOT_STARTED
            else f"Đã triển khai {percent}% khối lượng công việc.",
            difficulties="Thiếu kinh phí và thiết bị." if progress == TaskProgress.BEHIND else "",
            submit=finished or index % 5 != 3,
        )
        if finished or index % 5 == 0:
            task_update_approve(update=update, actor=reviewer)
        elif index % 5 == 1:
            task_update_return(update=update, actor=reviewer, comment="Đề nghị nêu rõ số liệu kết quả.")


@transaction.atomic
def demo_data_load(*, password: str) -> list[DemoLogin]:
    """One user per role for each commune with a plan, one province viewer per province, two periods."""
    logins: list[DemoLogin] = []
    admin = _user("quantri", "Quản trị hệ thống", password)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    logins.append(DemoLogin("quantri", "Quản trị hệ thống", "toàn hệ thống"))

    provinces_done = set()
    for plan in Plan.objects.select_related("commune__province").order_by("commune__name"):
        commune = plan.commune
        if commune.province_id not in provinces_done:
            provinces_done.add(commune.province_id)
            username = f"so.{_slug(commune.province.name)}"
            viewer = _user(username, f"Cán bộ Sở KH&CN {commune.province.name}", password)
            ProvinceViewer.objects.get_or_create(user=viewer, province=commune.province)
            logins.append(DemoLogin(username, "Sở KH&CN (xem cả tỉnh)", str(commune.province)))
            # The officer who runs the province in the app: its communes, units, people and calendar.
            username = f"quantri.{_slug(commune.province.name)}"
            officer = _user(username, f"Quản trị tỉnh {commune.province.name}", password)
            ProvinceAdministrator.objects.get_or_create(user=officer, province=commune.province)
            logins.append(DemoLogin(username, "Quản trị tỉnh", str(commune.province)))
        slug = _slug(commune.name)
        reviewer_unit = _reviewer_unit(commune)
        clerk_unit = _busiest_unit(commune, exclude=reviewer_unit)
        leader_unit = _leader_unit(commune, fallback=clerk_unit)
        people = [
            (f"{slug}.canbo", f"Cán bộ {clerk_unit.short_name or clerk_unit.name}", clerk_unit, Role.STAFF),
            (
                f"{slug}.vhxh",
                f"Cán bộ {reviewer_unit.short_name or reviewer_unit.name}",
                reviewer_unit,
                Role.STAFF,
            ),
            (f"{slug}.thamdinh", "Thẩm định Phòng Văn hóa - Xã hội", reviewer_unit, Role.REVIEWER),
            (f"{slug}.lanhdao", f"Lãnh đạo UBND {commune}", leader_unit, Role.LEADER),
        ]
        users = {}
        for username, full_name, unit, role in people:
            user = _user(username, full_name, password)
            Membership.objects.get_or_create(user=user, unit=unit, defaults={"role": role})
            users[role, unit.pk] = user
            logins.append(DemoLogin(username, Role(role).label, f"{commune} – {unit}"))

        if ReportingPeriod.objects.filter(commune=commune).exists():
            continue
        rng = random.Random(slug)  # noqa: S311 - demo figures, not secrets
        last_quarter = (plan.period_end.month - 1) // 3 + 1
        finished = PeriodSpec(QUARTER, plan.period_end.year, last_quarter).previous()
        open_spec = PeriodSpec(QUARTER, plan.period_end.year, last_quarter)
        reviewer = users[Role.REVIEWER, reviewer_unit.pk]
        for period, is_finished in (
            (_period(commune, finished, locked=False), True),
            (_period(commune, open_spec, locked=False), False),
        ):
            for clerk in (users[Role.STAFF, clerk_unit.pk], users[Role.STAFF, reviewer_unit.pk]):
                _fill_period(plan, period, clerk, reviewer, rng, finished=is_finished)
        ReportingPeriod.objects.filter(pk=_period(commune, finished, locked=False).pk).update(
            locked_at=timezone.now()
        )
    return logins
