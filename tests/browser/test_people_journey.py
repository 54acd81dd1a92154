"""A province administrator creates people from Excel; a new person's first login sets a password."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import builders
from tests.browser.conftest import PASSWORD
from tests.browser.test_csp import REPORT_VIOLATIONS
from tests.test_people_import import person, xlsx

pytestmark = pytest.mark.browser


def test_people_journey_from_the_upload_to_the_first_password(
    browser, live_server, journey, tmp_path, screenshot
):
    commune = journey.task.section.plan.commune
    builders.unit(commune, "Phòng Kinh tế")
    admin = builders.province_administrator(commune.province, "quantri.nghean")
    bad = tmp_path / "danh-sach-loi.xlsx"
    bad.write_bytes(
        xlsx(
            person(1, login="an.nghiadan", email=""),
            person(2, login="an.nghiadan", name="Nguyễn Văn Anh", email="", unit="Trung tâm PVHCC"),
            person(
                3, login="binh nghiadan", name="Trần Thị Bình", email="binh@@nghiadan", unit="Phòng Kinh tê"
            ),
            person(4, login="cuong", name="Lê Văn Cường", email="", commune="xã Nghĩa Hưng", role="Lãnh đạo"),
        )
    )
    good = tmp_path / "danh-sach.xlsx"
    good.write_bytes(
        xlsx(
            person(1, login="an.nghiadan", email=""),
            person(2, login="an.nghiadan", email="", unit="Trung tâm PVHCC", role="Trưởng phòng"),
            person(3, login="binh.nghiadan", name="Trần Thị Bình", email="binh@nghiadan.gov.vn"),
        )
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    violations = []
    context.expose_function("reportViolation", lambda text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url + reverse("imports:people_upload"))
    expect(page.get_by_role("heading", name="Nhập danh sách người dùng")).to_be_visible()
    screenshot(page, "people-01-upload")

    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_text("chưa thể nhập")).to_be_visible()
    screenshot(page, "people-02-preview-problems")

    page.goto(live_server.url + reverse("imports:people_upload"))
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    screenshot(page, "people-03-preview")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_role("heading", name="Đã nhập người dùng")).to_be_visible()
    screenshot(page, "people-04-done")
    secret = page.locator("code.secret").inner_text()
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "an.nghiadan")
    page.fill("#id_password", secret)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(reverse("imports:first_password") + "$"))
    expect(page.get_by_role("heading", name="Đặt mật khẩu của bạn")).to_be_visible()
    screenshot(page, "people-05-first-password")
    page.fill("#id_new_password1", "Mat-khau-rieng-2026")
    page.fill("#id_new_password2", "Mat-khau-rieng-2026")
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.get_by_text("Đã lưu mật khẩu của bạn.")).to_be_visible()
    context.close()
    assert violations == [], violations
