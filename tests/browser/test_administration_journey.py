"""Bringing a commune into service from the app's own screens: the province administrator creates it, pastes
its units and watches the checklist change. Screens go to artifacts/screenshots/ (30-…)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import builders
from tests.browser.test_journey import log_in
from units.models import Commune, ProvinceAdministrator, Unit, UnitKind

pytestmark = pytest.mark.browser

UNITS = [
    "Văn phòng HĐND và UBND",
    "Phòng Văn hóa - Xã hội",
    "Phòng Kinh tế",
    "Trung tâm Phục vụ hành chính công",
    "Công an xã",
    "Trường Tiểu học Nghĩa Thọ",
    "Thôn 1",
    "Phòng Văn hoá – Xã hội",  # the second line again, with another tone placement and an en dash
]


@pytest.fixture
def province_admin(journey):
    person = builders.user("quantri.nghean", first_name="Lê Minh Tuấn")
    ProvinceAdministrator.objects.create(user=person, province=journey.task.plan.commune.province)
    return person


def test_province_administrator_creates_a_commune_pastes_its_units_and_sees_the_checklist(
    browser, live_server, journey, province_admin, screenshot
):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, province_admin.username)
    expect(page).to_have_url(re.compile(reverse("administration:home") + "$"))
    expect(page.get_by_role("link", name="Quản lý")).to_be_visible()
    screenshot(page, "30-admin-communes")

    page.get_by_role("link", name="Thêm xã/phường").click()
    page.fill("#id_name", "Nghĩa Đàn")  # already in the province: refused with a message
    page.get_by_role("button", name="Tạo xã/phường").click()
    expect(page.get_by_text("Xã Nghĩa Đàn đã có trong tỉnh Nghệ An.")).to_be_visible()
    screenshot(page, "31-admin-commune-refused")
    page.fill("#id_name", "Nghĩa Thọ")
    page.fill("#id_code", "17013")
    page.get_by_role("button", name="Tạo xã/phường").click()
    expect(page.get_by_role("heading", name="Bắt đầu: đã xong 0/6 mục")).to_be_visible()
    screenshot(page, "32-admin-checklist-empty")

    page.get_by_role("link", name="Dán danh sách đơn vị").click()
    page.fill("#id_names", "\n".join(UNITS))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_text("Trùng với dòng 2; không tạo thêm.")).to_be_visible()
    page.get_by_label("Loại của Thôn 1").select_option(UnitKind.VILLAGE)
    screenshot(page, "33-admin-units-preview")
    page.get_by_role("button", name="Tạo 7 đơn vị mới").click()
    expect(page.get_by_text("Đã tạo 7 đơn vị.")).to_be_visible()
    screenshot(page, "34-admin-units")

    page.get_by_role("link", name="Bắt đầu", exact=True).click()
    expect(page.get_by_role("heading", name="Bắt đầu: đã xong 1/6 mục")).to_be_visible()
    expect(page.get_by_text("7 đơn vị đang hoạt động")).to_be_visible()
    screenshot(page, "35-admin-checklist-units")
    commune = Commune.objects.get(name="Nghĩa Thọ")
    assert Unit.objects.filter(commune=commune).count() == 7
    assert Unit.objects.get(commune=commune, name="Công an xã").kind == UnitKind.POLICE_MILITARY
    assert Unit.objects.get(commune=commune, name="Thôn 1").kind == UnitKind.VILLAGE

    # Renaming a unit to another spelling of an existing one is refused on the form.
    economy = Unit.objects.get(commune=commune, name="Phòng Kinh tế")
    page.goto(live_server.url + reverse("administration:unit_edit", args=[economy.pk]))
    page.fill("#id_name", "Phòng Văn hoá – Xã hội")
    page.get_by_role("button", name="Lưu").click()
    expect(
        page.get_by_text(re.compile("Đơn vị «Phòng Văn hóa - Xã hội» đã tồn tại trong xã"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Sửa đơn vị: Phòng Kinh tế")).to_be_visible()
    screenshot(page, "38-admin-unit-edit-refused")

    # The people of a commune in service, and one person's page.
    existing = journey.task.plan.commune
    page.goto(live_server.url + reverse("administration:people", args=[existing.pk]))
    expect(page.get_by_role("link", name="Trần Thị Hoa")).to_be_visible()
    screenshot(page, "36-admin-people")
    page.get_by_role("link", name="Trần Thị Hoa").click()
    expect(page.get_by_role("button", name=re.compile("Khóa tài khoản"))).to_be_visible()
    screenshot(page, "37-admin-person")
    context.close()


def test_administration_pages_fit_a_phone_screen(browser, live_server, journey, province_admin, screenshot):
    commune = journey.task.plan.commune
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, province_admin.username)
    expect(page).to_have_url(re.compile(reverse("administration:home") + "$"))
    screens = {
        "39-phone-admin-communes": reverse("administration:home"),
        "40-phone-admin-checklist": reverse("administration:commune", args=[commune.pk]),
        "41-phone-admin-units": reverse("administration:unit_list", args=[commune.pk]),
        "42-phone-admin-people": reverse("administration:people", args=[commune.pk]),
    }
    for step, url in screens.items():
        page.goto(live_server.url + url)
        screenshot(page, step)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{url} scrolls sideways on a phone: the page is {width}px wide"
    page.goto(live_server.url + reverse("administration:unit_paste", args=[commune.pk]))
    page.fill("#id_names", "\n".join(UNITS))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.get_by_role("button", name=re.compile("Tạo .* đơn vị mới"))).to_be_visible()
    screenshot(page, "43-phone-admin-units-preview")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the paste preview scrolls sideways on a phone: the page is {width}px wide"
    context.close()
