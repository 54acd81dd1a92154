"""The reporting calendar and several plans in a real browser: the province makes its year, the reviewer
locks a period with a reason the clerk then reads on the entry form, My work shows the internal deadline and
the dashboard picks among the issued plans. Screens go to artifacts/screenshots/."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plans.models import Plan, PlanStatus
from tests import builders
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def test_province_year_then_a_locked_period_seen_on_the_entry_form(browser, live_server, journey, screenshot):
    admin = builders.province_administrator(journey.period.province, "quantri.nghean")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, admin.username)
    page.goto(live_server.url + reverse("periods:create_year"))
    page.fill("#id_year", "2027")
    page.get_by_role("checkbox", name="Tháng", exact=True).check()
    page.get_by_role("button", name="Tạo các kỳ").click()
    expect(page.get_by_text(re.compile("Đã tạo 16 kỳ báo cáo năm 2027"))).to_be_visible()
    screenshot(page, "60-calendar-year-created")
    page.goto(live_server.url + reverse("periods:create_year"))
    page.fill("#id_year", "2027")
    page.get_by_role("button", name="Tạo các kỳ").click()
    expect(page.get_by_text(re.compile("không tạo thêm kỳ nào"))).to_be_visible()
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, journey.reviewer.username)
    page.goto(live_server.url + reverse("periods:detail", args=[journey.period.pk]))
    page.get_by_role("button", name="Khóa kỳ").click()
    expect(page.get_by_text("Vui lòng ghi lý do.")).to_be_visible()
    page.fill("#id_reason", "Đã chốt số liệu quý IV để gửi Sở KH&CN")
    screenshot(page, "61-calendar-lock-form")
    page.get_by_role("button", name="Khóa kỳ").click()
    expect(page.get_by_text(re.compile("Đã khóa kỳ báo cáo 2026-Q4"))).to_be_visible()
    page.goto(live_server.url + reverse("periods:list") + "?nam=2026")
    expect(page.locator("#periods")).to_contain_text("Đã chốt số liệu quý IV")
    screenshot(page, "62-calendar-list-locked")
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, journey.clerk.username)
    page.goto(live_server.url + reverse("tracking:update_edit", args=[journey.task.pk, journey.period.pk]))
    expect(page.get_by_role("alert")).to_contain_text("Lý do: Đã chốt số liệu quý IV")
    expect(page.get_by_role("alert")).to_contain_text("Trần Thị Hoa")
    screenshot(page, "63-entry-form-locked-period")
    context.close()


def test_my_work_internal_deadline_and_the_dashboards_plan_picker(browser, live_server, journey, screenshot):
    second = builders.plan(journey.period.commune, title="Kế hoạch hành động thực hiện KH 02-KH/BCĐTW")
    builders.task(
        builders.section(second, title="Hạ tầng số"),
        description="Phủ sóng 4G đến mọi thôn",
        lead="Trung tâm PVHCC",
        deadline="Quý 4/2026",
    )
    draft = builders.plan(journey.period.commune, title="Dự thảo kế hoạch 6 tháng")
    Plan.objects.filter(pk=draft.pk).update(status=PlanStatus.DRAFT)
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, journey.clerk.username)
    page.goto(live_server.url + reverse("tracking:my_work"))
    expect(page.locator(".internal-due")).to_contain_text("Hạn nội bộ")
    expect(page.locator("#my-work")).to_contain_text("Phủ sóng 4G đến mọi thôn")
    screenshot(page, "64-my-work-internal-deadline")
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, journey.reviewer.username)
    picker = page.locator("#id_ke_hoach")
    expect(picker.locator("option")).to_have_count(2)
    picker.select_option(str(second.pk))
    page.get_by_role("button", name="Xem").click()
    expect(page.locator(".dash-head")).to_contain_text("Kế hoạch hành động thực hiện KH 02-KH/BCĐTW")
    expect(page.locator("body")).not_to_contain_text("Dự thảo kế hoạch 6 tháng")
    screenshot(page, "65-dashboard-plan-picker")
    page.goto(live_server.url + reverse("tracking:plan_detail", args=[draft.pk]))
    page.get_by_role("button", name="Ban hành kế hoạch").click()
    expect(page.get_by_text(re.compile("Đã ban hành kế hoạch"))).to_be_visible()
    expect(page.get_by_role("button", name="Kết thúc kế hoạch")).to_be_visible()
    screenshot(page, "66-plan-page-issued")
    context.close()
