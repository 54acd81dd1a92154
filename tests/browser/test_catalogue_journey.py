"""The catalogue in a real browser: the reviewer asks for suggestions and confirms one, the province reads the
matrix; no Content-Security-Policy violation on the way."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from catalogue.models import IndicatorLink, LinkState
from catalogue.services import catalogue_entry_save
from plans.models import SectionKind
from tests import builders
from tests.browser.test_csp import REPORT_VIOLATIONS
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def test_reviewer_confirms_a_suggestion_and_the_province_reads_the_matrix(browser, live_server, journey):
    plan = journey.task.section.plan
    section = builders.section(plan, SectionKind.INDICATORS)
    indicator = builders.indicator(section, name="Tỷ lệ người dân trên 15 tuổi có tài khoản ngân hàng")
    province = plan.commune.province
    catalogue_entry_save(
        province=province,
        code="CS-08",
        name="Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản giao dịch tại ngân hàng",
        pillar="kinh_te",
        measure="percent",
        aggregation="rate",
        target_text=">80%",
    )
    viewer = builders.province_viewer(province, "so.nghean")
    context = browser.new_context()
    violations = []
    context.expose_function("reportViolation", lambda text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)

    log_in(page, live_server, journey.reviewer.username)
    page.get_by_role("link", name="Chỉ tiêu chung").first.click()
    expect(page.get_by_role("heading", name="Liên kết chỉ tiêu của xã với chỉ tiêu chung")).to_be_visible()
    page.get_by_role("button", name="Tìm gợi ý").click()
    row = page.locator(f"#chi-tieu-{indicator.pk}")
    expect(row).to_contain_text("CS-08")
    row.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Đã xác nhận liên kết với CS-08.")).to_be_visible()
    assert IndicatorLink.objects.get(indicator=indicator).state == LinkState.CONFIRMED

    page.context.clear_cookies()
    log_in(page, live_server, viewer.username)
    page.goto(live_server.url + reverse("catalogue:matrix"))
    expect(page.get_by_role("heading", name="Bảng chỉ tiêu chung: tỉnh Nghệ An")).to_be_visible()
    expect(page.locator("#matrix")).to_contain_text("xã Nghĩa Đàn")
    context.close()
    assert violations == [], violations
