"""The reviewer's morning in a real browser: the dashboard first, then one number followed to its rows.

Screens go to artifacts/screenshots/ (a desktop view and a 390px phone view)."""

import re

import pytest
from playwright.sync_api import expect

from tests import builders
from tests.browser.test_journey import log_in

pytestmark = pytest.mark.browser

DASHBOARD_URL = re.compile(r"/xa/\d+/bang-theo-doi/$")


@pytest.fixture
def late_task(journey):
    # A deadline long gone, so the task is overdue whatever day the suite runs.
    return builders.task(
        journey.task.section,
        description="Rà soát hạ tầng mạng nội bộ của xã",
        lead="Trung tâm PVHCC",
        deadline="Quý 1/2020",
    )


def test_reviewer_lands_on_the_dashboard_and_follows_a_count_to_its_list(
    browser, live_server, journey, late_task, screenshot
):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, journey.reviewer.username)
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.get_by_role("heading", name="Nhiệm vụ", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Nhiệm vụ theo tiến độ"))).to_be_visible()
    screenshot(page, "20-dashboard-reviewer")

    overdue = page.locator(".tile-overdue a.count")
    expect(overdue).to_have_text("1")
    overdue.click()
    expect(page).to_have_url(re.compile(r"task_state=overdue"))
    rows = page.locator("tr.item-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(late_task.description)
    expect(rows.first).to_contain_text("Quá hạn")
    screenshot(page, "21-dashboard-overdue-list")
    context.close()


def test_dashboard_fits_a_phone_screen(browser, live_server, journey, late_task, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, journey.reviewer.username)
    expect(page).to_have_url(DASHBOARD_URL)
    expect(page.locator(".tile-overdue a.count")).to_be_visible()
    screenshot(page, "22-phone-dashboard")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390 + 1, (
        f"The dashboard scrolls sideways on a phone: the page is {scroll_width}px wide"
    )
    context.close()
