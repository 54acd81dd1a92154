"""The reporting calendar: a province's year at once, a commune's own period, locks with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import periods
from plans.models import PeriodLockAction, PeriodLockEvent, ReportingPeriod
from plans.selectors import open_period, period_for_code
from plans.services import period_create, period_lock, period_unlock, periods_create_year
from tests import builders
from units.models import Role


def _year(world, year=2027, kinds=("quarter",), **kwargs):
    return periods_create_year(
        actor=world.province_admin, province=world.commune.province, year=year, kinds=kinds, **kwargs
    )


def test_due_date_rule_is_the_given_day_of_the_month_after_the_period():
    assert periods.due_date_after(dt.date(2027, 3, 31), 15) == dt.date(2027, 4, 15)
    assert periods.due_date_after(dt.date(2027, 12, 31), 15) == dt.date(2028, 1, 15)
    assert periods.due_date_after(dt.date(2027, 1, 31), 31) == dt.date(2027, 2, 28)


def test_province_admin_makes_a_year_once_for_every_commune_of_the_province(world):
    neighbour = builders.commune("Nghĩa Hưng", world.commune.province.name)
    created = _year(world, kinds=["quarter", "year", "half_year", "month"])
    assert [p.code for p in created[:3]] == ["2027-M01", "2027-M02", "2027-M03"]
    assert len(created) == 12 + 4 + 2 + 1
    q1 = ReportingPeriod.objects.get(province=world.commune.province, kind="quarter", year=2027, number=1)
    assert q1.commune is None and q1.due_date == dt.date(2027, 4, 15)
    assert q1.internal_due_date == dt.date(2027, 4, 10)
    for commune in (world.commune, neighbour):
        assert ReportingPeriod.objects.for_commune(commune).filter(year=2027).count() == 19
    # Mai Phụ is in another province: none of these are its periods.
    assert not ReportingPeriod.objects.for_commune(world.other_commune).filter(year=2027).exists()
    assert _year(world, kinds=["quarter", "year", "half_year", "month"]) == []
    assert ReportingPeriod.objects.filter(year=2027).count() == 19


def test_a_second_run_adds_only_the_kinds_the_year_lacks_and_keeps_the_chosen_rule(world):
    _year(world, kinds=["quarter"], due_day=10, internal_days_before=7)
    added = _year(world, kinds=["quarter", "year"], due_day=20)
    assert [p.code for p in added] == ["2027"]
    q4 = ReportingPeriod.objects.get(kind="quarter", year=2027, number=4)
    assert (q4.due_date, q4.internal_due_date) == (dt.date(2028, 1, 10), dt.date(2028, 1, 3))
    assert added[0].due_date == dt.date(2028, 1, 20)


@pytest.mark.parametrize("who", ["reviewer", "province_viewer", "clerk", "outsider"])
def test_only_the_province_administrator_makes_a_provinces_year(world, who):
    with pytest.raises(PermissionDenied):
        periods_create_year(
            actor=getattr(world, who), province=world.commune.province, year=2027, kinds=["quarter"]
        )
    assert not ReportingPeriod.objects.filter(year=2027).exists()


def test_a_year_without_kinds_or_with_a_bad_due_day_is_refused(world):
    with pytest.raises(ValidationError, match="ít nhất một loại kỳ"):
        _year(world, kinds=[])
    with pytest.raises(ValidationError, match="từ 1 đến 31"):
        _year(world, due_day=0)
    assert not ReportingPeriod.objects.filter(year=2027).exists()


def test_reviewer_adds_a_commune_only_period_that_the_commune_reports_in(world):
    _year(world, kinds=["month"])
    own = period_create(actor=world.reviewer, commune=world.commune, kind="month", year=2027, number=2)
    assert own.commune == world.commune and own.due_date == dt.date(2027, 3, 15)
    assert period_for_code(world.commune, "2027-M02") == own
    neighbour = builders.commune("Nghĩa Hưng", world.commune.province.name)
    assert period_for_code(neighbour, "2027-M02").commune is None
    with pytest.raises(ValidationError, match="đã có kỳ báo cáo 2027-M02"):
        period_create(actor=world.reviewer, commune=world.commune, kind="month", year=2027, number=2)
    with pytest.raises(ValidationError, match="từ 1 đến 4"):
        period_create(actor=world.reviewer, commune=world.commune, kind="quarter", year=2027, number=5)


@pytest.mark.parametrize("who", ["outsider", "clerk", "leader", "province_viewer"])
def test_only_the_communes_reviewer_or_province_admin_adds_its_period(world, who):
    with pytest.raises(PermissionDenied):
        period_create(actor=getattr(world, who), commune=world.commune, kind="month", year=2027, number=2)
    assert (
        period_create(
            actor=world.province_admin, commune=world.commune, kind="month", year=2027, number=3
        ).commune
        == world.commune
    )


def test_lock_and_unlock_need_a_reason_and_are_recorded(world):
    period = period_lock(period=world.period, actor=world.reviewer, reason="  Đã chốt số liệu quý 4  ")
    assert period.is_locked and period.locked_by == world.reviewer
    assert period.lock_reason == "Đã chốt số liệu quý 4"
    with pytest.raises(ValidationError, match="đã khóa"):
        period_lock(period=world.period, actor=world.reviewer, reason="Lần nữa")
    period = period_unlock(period=world.period, actor=world.province_admin, reason="Xã xin bổ sung")
    assert not period.is_locked and period.locked_by is None and period.lock_reason == ""
    history = list(PeriodLockEvent.objects.filter(period=world.period).order_by("at", "pk"))
    assert [(e.action, e.actor, e.reason) for e in history] == [
        (PeriodLockAction.LOCK, world.reviewer, "Đã chốt số liệu quý 4"),
        (PeriodLockAction.UNLOCK, world.province_admin, "Xã xin bổ sung"),
    ]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_missing_or_too_long_reason_changes_nothing(world, reason):
    with pytest.raises(ValidationError):
        period_lock(period=world.period, actor=world.reviewer, reason=reason)
    world.period.refresh_from_db()
    assert not world.period.is_locked and not PeriodLockEvent.objects.exists()


def test_reviewer_cannot_lock_a_province_wide_period_nor_another_communes(world):
    (q1,) = _year(world, kinds=["year"])
    with pytest.raises(PermissionDenied):
        period_lock(period=q1, actor=world.reviewer, reason="Khóa")
    with pytest.raises(PermissionDenied):
        period_lock(period=world.period, actor=world.outsider, reason="Khóa")
    other = builders.province_administrator(world.other_commune.province, "quantri.hatinh")
    with pytest.raises(PermissionDenied):
        period_lock(period=world.period, actor=other, reason="Khóa")
    assert period_lock(period=q1, actor=world.province_admin, reason="Hết năm").is_locked
    assert not PeriodLockEvent.objects.exclude(period=q1).exists()


def test_open_period_is_the_latest_begun_not_a_period_months_ahead(world):
    _year(world, year=2026, kinds=["quarter"])
    assert open_period(world.commune, today=dt.date(2026, 5, 2)).code == "2026-Q2"
    # The commune's own 2026-Q4 (world.period) has begun by December.
    assert open_period(world.commune, today=dt.date(2026, 12, 7)) == world.period


# -- the screens ---------------------------------------------------------------------------------------


def test_province_admin_makes_a_year_from_the_screen_and_a_second_time_is_told_nothing_new(client, world):
    client.force_login(world.province_admin)
    url = reverse("periods:create_year")
    assert "ngày … của tháng sau" in client.get(url).content.decode()
    data = {
        "province": world.commune.province.pk,
        "year": "2027",
        "kinds": ["quarter", "year"],
        "due_day": "15",
        "internal_days_before": "5",
    }
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "Đã tạo 5 kỳ báo cáo năm 2027" in page and "2027-Q3" in page
    again = client.post(url, data, follow=True).content.decode()
    assert "không tạo thêm kỳ nào" in again
    assert ReportingPeriod.objects.filter(year=2027).count() == 5


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year", "năm sau", "Năm phải là một số"),
        ("due_day", "32", "Ngày hạn gửi phải từ 1 đến 31"),
        ("kinds", "tuần", "Loại kỳ không hợp lệ"),
        ("internal_days_before", "90", "Hạn nội bộ sớm nhất 60 ngày"),
    ],
)
def test_bad_year_input_is_explained_in_vietnamese_and_creates_nothing(client, world, field, value, message):
    client.force_login(world.province_admin)
    data = {
        "province": world.commune.province.pk,
        "year": "2027",
        "kinds": ["quarter"],
        "due_day": "15",
        "internal_days_before": "5",
        field: value,
    }
    response = client.post(reverse("periods:create_year"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2027).exists()


def test_province_admin_of_another_province_cannot_name_this_province(client, world):
    other = builders.province_administrator(world.other_commune.province, "quantri.hatinh")
    client.force_login(other)
    data = {"province": world.commune.province.pk, "year": "2027", "kinds": ["quarter"]}
    data |= {"due_day": "15", "internal_days_before": "5"}
    response = client.post(reverse("periods:create_year"), data)
    assert response.status_code == 400 and "Bạn không quản trị tỉnh này" in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2027).exists()
    # Nor see or lock this province's periods.
    assert client.get(reverse("periods:detail", args=[world.period.pk])).status_code == 404
    response = client.post(reverse("periods:lock", args=[world.period.pk]), {"reason": "Khóa"})
    assert response.status_code == 404
    world.period.refresh_from_db()
    assert not world.period.is_locked


def test_reviewer_adds_a_commune_period_from_the_screen(client, world):
    client.force_login(world.reviewer)
    assert client.get(reverse("periods:create_year")).status_code == 403
    data = {"commune": world.commune.pk, "kind": "month", "year": "2027", "number": "13"}
    data |= {"due_day": "15", "internal_days_before": "5"}
    response = client.post(reverse("periods:create"), data)
    assert response.status_code == 400 and "Số kỳ phải từ 1 đến 12" in response.content.decode()
    response = client.post(reverse("periods:create"), {**data, "kind": "quarter", "number": "5"})
    assert response.status_code == 400 and "Số kỳ phải từ 1 đến 4" in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2027).exists()
    response = client.post(reverse("periods:create"), {**data, "number": "2"}, follow=True)
    assert "Đã tạo kỳ báo cáo 2027-M02 riêng cho" in response.content.decode()
    assert ReportingPeriod.objects.get(year=2027).commune == world.commune


def test_outsider_cannot_add_a_period_for_this_commune(client, world):
    client.force_login(world.outsider)
    data = {"commune": world.commune.pk, "kind": "month", "year": "2027", "number": "2"}
    data |= {"due_day": "15", "internal_days_before": "5"}
    response = client.post(reverse("periods:create"), data)
    assert response.status_code == 400 and "Bạn không quản lý xã/phường này" in response.content.decode()
    assert not ReportingPeriod.objects.filter(year=2027).exists()


@pytest.mark.parametrize("who", ["clerk", "leader", "province_viewer", "colleague"])
def test_the_calendar_is_forbidden_to_people_who_manage_no_period(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("periods:list")).status_code == 403
    assert client.get(reverse("periods:detail", args=[world.period.pk])).status_code == 403
    assert client.post(reverse("periods:lock", args=[world.period.pk]), {"reason": "x"}).status_code == 403
    world.period.refresh_from_db()
    assert not world.period.is_locked


def test_lock_from_the_screen_shows_who_when_why_on_the_list_and_history(client, world):
    client.force_login(world.reviewer)
    url = reverse("periods:lock", args=[world.period.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Vui lòng ghi lý do" in response.content.decode()
    response = client.post(url, {"reason": "x" * 1001})
    assert response.status_code == 400 and "tối đa 1.000 ký tự" in response.content.decode()
    world.period.refresh_from_db()
    assert not world.period.is_locked
    client.post(url, {"reason": "Đã chốt <b>số liệu</b>"})
    listing = client.get(reverse("periods:list"), {"nam": "2026"}).content.decode()
    assert "Đã khóa" in listing and "reviewer" in listing
    assert "Đã chốt &lt;b&gt;số liệu&lt;/b&gt;" in listing
    client.post(reverse("periods:unlock", args=[world.period.pk]), {"reason": "Bổ sung số liệu"})
    detail = client.get(reverse("periods:detail", args=[world.period.pk])).content.decode()
    assert "Bổ sung số liệu" in detail and "Mở khóa" in detail and "Đã chốt" in detail


def test_reviewer_sees_the_province_wide_periods_but_cannot_lock_them(client, world):
    (year,) = _year(world, year=2026, kinds=["year"])
    client.force_login(world.reviewer)
    listing = client.get(reverse("periods:list"), {"nam": "2026"}).content.decode()
    assert "Toàn tỉnh" in listing and "2026-Q4" in listing
    response = client.post(reverse("periods:lock", args=[year.pk]), {"reason": "Khóa"})
    assert response.status_code == 403
    year.refresh_from_db()
    assert not year.is_locked


def test_the_period_list_takes_a_fixed_number_of_queries(client, world):
    client.force_login(world.province_admin)
    url = reverse("periods:list")

    def lock_some(kind):
        for period in ReportingPeriod.objects.filter(kind=kind, year=2026, number__lte=2):
            period_lock(period=period, actor=world.province_admin, reason="Chốt")

    _year(world, year=2026, kinds=["half_year"])
    lock_some("half_year")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"nam": "2026"}).status_code == 200
    _year(world, year=2026, kinds=["month", "quarter", "year"])
    lock_some("month")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"nam": "2026"}).content.decode()
    assert page.count("badge-muted") == 4
    assert len(many) == len(few), "A new query per period on the calendar must be justified."


def test_staff_of_the_reviewers_office_without_the_reviewer_role_has_no_calendar(client, world):
    staff = builders.member(world.reviewer_unit, Role.STAFF, "staff.vhxh")
    client.force_login(staff)
    assert client.get(reverse("periods:list")).status_code == 403


def test_the_manager_moves_the_due_date_and_the_internal_deadline(client, world):
    client.force_login(world.reviewer)
    url = reverse("periods:deadlines", args=[world.period.pk])
    response = client.post(url, {"due_date": "2027-01-15", "internal_days_before": "7"})
    assert response.status_code == 400 and "dd/mm/yyyy" in response.content.decode()
    response = client.post(url, {"due_date": "30/12/2026", "internal_days_before": "7"})
    assert response.status_code == 400 and "không được trước ngày cuối kỳ" in response.content.decode()
    world.period.refresh_from_db()
    assert (world.period.due_date, world.period.internal_days_before) == (dt.date(2026, 12, 31), 5)
    response = client.post(url, {"due_date": "15/01/2027", "internal_days_before": "7"}, follow=True)
    assert "Đã đặt hạn gửi 15/01/2027, hạn nội bộ 08/01/2027" in response.content.decode()
    client.force_login(world.outsider)
    assert client.post(url, {"due_date": "20/01/2027", "internal_days_before": "1"}).status_code == 404
    world.period.refresh_from_db()
    assert world.period.internal_due_date == dt.date(2027, 1, 8)
