"""The province administrator issues a token for the reporting system, which reads with it until revoked;
the docs page opens under the Content-Security-Policy without a violation."""

import pytest
import requests
from django.urls import reverse
from playwright.sync_api import expect

from tests import builders
from tests.browser.test_csp import REPORT_VIOLATIONS
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser


def test_a_token_is_issued_shown_once_used_and_revoked(browser, live_server, journey, screenshot):
    admin = builders.province_administrator(journey.task.plan.commune.province, "quantri.nghean")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    violations = []
    context.expose_function("reportViolation", lambda text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)

    log_in(page, live_server, admin.username)
    page.get_by_role("link", name="API", exact=True).click()
    expect(page.get_by_role("heading", name="Mã truy cập API cho hệ thống báo cáo của tỉnh")).to_be_visible()
    page.fill("#id_name", "Hệ thống thông tin báo cáo tỉnh Nghệ An")
    page.get_by_role("button", name="Cấp mã").click()
    expect(page.get_by_text("mã chỉ hiện một lần này")).to_be_visible()
    token = page.input_value("#issued-token")
    screenshot(page, "api-01-token-issued")

    communes = live_server.url + reverse("api:v1:communes")
    answer = requests.get(communes, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 200
    assert [row["name"] for row in answer.json()["results"]] == ["Nghĩa Đàn"]

    page.goto(live_server.url + reverse("api:client_list"))
    expect(page.locator("#issued-token")).to_have_count(0)  # shown once: never again
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_text("Đã thu hồi mã")).to_be_visible()
    screenshot(page, "api-02-token-revoked")
    assert requests.get(communes, headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code == 401

    page.get_by_role("link", name="Tài liệu API").click()
    expect(
        page.get_by_role("heading", name="GET /api/v1/results — Kết quả chỉ tiêu đã duyệt")
    ).to_be_visible()
    screenshot(page, "api-03-docs")
    context.close()
    assert violations == [], violations
