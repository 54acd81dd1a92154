"""The main journey in a real browser: the clerk reports on a task, the reviewer returns it, the clerk
corrects it, the reviewer approves it. Each screen is kept in artifacts/screenshots/ for the issue."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from plans.workflow import WorkflowStatus
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

RETURN_COMMENT = "Thiếu số hồ sơ đã số hóa trong kỳ, đề nghị bổ sung số liệu cụ thể."


def one_page_pdf() -> bytes:
    """A small but well-formed PDF (blank A4 page, correct cross-reference table) to upload as evidence."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    xref += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(body))
    return body + xref + trailer


def log_in(page: Page, live_server, username: str, screenshot=None) -> None:
    page.goto(live_server.url + reverse("login"))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    if screenshot:
        screenshot(page, "01-login")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def task_row(page: Page, journey):
    return page.locator("tr").filter(has_text=journey.task.description)


def submit_update(page: Page) -> None:
    """Press "Gửi duyệt" on the boosted form; htmx posts it, follows the redirect and swaps the page in."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Gửi duyệt").click()
    response = posted.value
    assert response.request.headers.get("hx-request") == "true", "the update form was not sent by htmx"
    if response.status != 302:
        errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', response.text(), re.S)
        pytest.fail(f"the update was refused ({response.status}): {errors}")
    expect(page.get_by_text("Đã gửi để thẩm định.")).to_be_visible()


def test_update_is_returned_corrected_and_approved(browser, live_server, journey, screenshot, tmp_path):
    evidence = tmp_path / "bien-ban-so-hoa.pdf"
    evidence.write_bytes(one_page_pdf())
    clerk_context, reviewer_context = browser.new_context(), browser.new_context()
    clerk, reviewer = clerk_context.new_page(), reviewer_context.new_page()
    for page in (clerk, reviewer):
        page.set_default_timeout(10_000)

    # The clerk logs in and lands on My work, where the task waits to be entered.
    log_in(clerk, live_server, journey.clerk.username, screenshot)
    expect(clerk).to_have_url(re.compile(reverse("tracking:my_work") + "$"))
    expect(clerk.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    expect(task_row(clerk, journey)).to_contain_text("Chưa nhập")
    screenshot(clerk, "02-my-work")

    # They fill in the update with an evidence file and submit it for review.
    task_row(clerk, journey).get_by_role("link", name="Nhập").click()
    expect(clerk.get_by_role("button", name="Gửi duyệt")).to_be_visible()
    clerk.select_option("#id_progress", "in_progress")
    clerk.fill("#id_percent_complete", "40")
    clerk.fill("#id_results", "Đã số hóa một phần sổ hộ tịch.")
    clerk.set_input_files("#id_evidence", str(evidence))
    screenshot(clerk, "03-update-form-filled")
    submit_update(clerk)
    expect(clerk.get_by_role("link", name=evidence.name)).to_be_visible()
    screenshot(clerk, "04-after-submit")

    # The reviewer finds it in the queue with its file, and returns it with a comment.
    # The reviewer lands on the commune dashboard and opens the review queue from the menu.
    log_in(reviewer, live_server, journey.reviewer.username)
    expect(reviewer).to_have_url(re.compile(r"/xa/\d+/bang-theo-doi/$"))
    reviewer.get_by_role("navigation").get_by_role("link", name="Thẩm định").click()
    expect(reviewer).to_have_url(re.compile(reverse("tracking:review") + "$"))
    row = task_row(reviewer, journey)
    expect(row).to_contain_text("Đã số hóa một phần sổ hộ tịch.")
    expect(row.get_by_role("link", name=evidence.name)).to_be_visible()
    screenshot(reviewer, "05-review-queue")
    row.get_by_role("checkbox").check()
    reviewer.fill("#id_comment", RETURN_COMMENT)
    reviewer.get_by_role("button", name="Trả lại các mục đã chọn").click()
    expect(reviewer.get_by_text("Đã trả lại 1 mục.")).to_be_visible()
    expect(reviewer.get_by_text("Không có mục nào chờ duyệt")).to_be_visible()
    screenshot(reviewer, "06-after-return")

    # My work shows the clerk the reviewer's comment beside the returned task.
    clerk.goto(live_server.url + reverse("tracking:my_work"))
    row = task_row(clerk, journey)
    expect(row).to_contain_text("Bị trả lại")
    expect(row.locator(".returned-comment")).to_contain_text(RETURN_COMMENT)
    screenshot(clerk, "07-my-work-returned-comment")

    # They correct the update and submit it again.
    row.get_by_role("link", name="Sửa").click()
    expect(clerk.locator(".returned-comment")).to_contain_text(RETURN_COMMENT)
    expect(clerk.get_by_role("link", name=evidence.name)).to_be_visible()
    clerk.fill("#id_percent_complete", "60")
    clerk.fill("#id_results", "Đã số hóa 1.250/2.000 hồ sơ hộ tịch (62,5%).")
    screenshot(clerk, "08-corrected-form")
    submit_update(clerk)
    screenshot(clerk, "09-after-resubmit")

    # The reviewer sees the corrected update and approves it.
    reviewer.goto(live_server.url + reverse("tracking:review"))
    row = task_row(reviewer, journey)
    expect(row).to_contain_text("Đã số hóa 1.250/2.000 hồ sơ hộ tịch")
    screenshot(reviewer, "10-review-queue-before-approve")
    row.get_by_role("checkbox").check()
    reviewer.get_by_role("button", name="Duyệt các mục đã chọn").click()
    expect(reviewer.get_by_text("Đã duyệt 1 mục.")).to_be_visible()
    screenshot(reviewer, "11-after-approve")

    # The approved update can no longer be edited, and the page says who approved it.
    clerk.goto(live_server.url + reverse("tracking:update_edit", args=[journey.task.pk, journey.period.pk]))
    expect(clerk.get_by_role("alert")).to_contain_text(
        f"Không thể sửa: Đã được duyệt bởi {journey.reviewer.get_full_name()} lúc"
    )
    expect(clerk.get_by_role("button", name="Gửi duyệt")).to_have_count(0)
    screenshot(clerk, "12-approved-update")

    update = journey.task.updates.get(period=journey.period)
    assert (update.status, update.percent_complete, update.reviewed_by) == (
        WorkflowStatus.APPROVED,
        60,
        journey.reviewer,
    )
    assert [e.original_name for e in update.evidence.all()] == [evidence.name]
    clerk_context.close()
    reviewer_context.close()


def test_my_work_fits_a_phone_screen(browser, live_server, journey, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, journey.clerk.username)
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    expect(task_row(page, journey)).to_be_visible()
    screenshot(page, "13-phone-my-work")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390 + 1, f"My work scrolls sideways on a phone: the page is {scroll_width}px wide"
    context.close()
