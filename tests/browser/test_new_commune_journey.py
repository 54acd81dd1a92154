"""Issue 13, "done when": one journey from a new commune to its first entry, through the app's own screens.

The province administrator creates the commune, pastes its units and imports its 30 people from Excel; the
reviewer sets a password from the invitation, imports and issues the plan; the province opens the year's
periods; a clerk who got a one-time password sets their own, enters a result and submits it; the checklist is
then complete. The test counts page loads and form submissions and times the whole journey (`-s` prints them);
screens go to artifacts/screenshots/ (70-… to 79-…).
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from plans.models import Plan, PlanStatus
from plans.workflow import WorkflowStatus
from tests import builders
from tests.browser.conftest import PASSWORD
from tests.browser.test_csp import REPORT_VIOLATIONS
from tests.data.seed_tables import indicator_table, seed_document, task_table, workbook_bytes
from units.models import Commune, Membership, Role, Unit

pytestmark = pytest.mark.browser

COMMUNE = "Nghĩa Hưng"
UNITS = [
    "Văn phòng HĐND-UBND",
    "Phòng Văn hóa - Xã hội",
    "Phòng Kinh tế",
    "Trung tâm Phục vụ hành chính công",
    "Công an xã",
    "Trường Tiểu học Nghĩa Hưng",
    "Thôn 1",
    "Phòng Văn hoá – Xã hội",  # the second line again, with another tone placement and an en dash
]
STAFF_UNITS = [
    "Phòng Kinh tế",
    "Trung tâm Phục vụ hành chính công",
    "Công an xã",
    "Trường Tiểu học Nghĩa Hưng",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
GIVEN = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Văn Đức", "Thị Giang", "Minh Hải", "Thu Hằng"]
REVIEWER_PASSWORD = "Hoa-dat-mat-khau-2026"
CLERK_PASSWORD = "Nam-dat-mat-khau-2026"
INDICATOR = "Trung tâm phục vụ hành chính công cấp đảm bảo cơ sở vật chất"


def people_rows() -> list[list[str]]:
    """30 people of the commune: a reviewer, a leader, 28 staff; the clerk and one village officer have no
    email (they get a one-time password), everyone else an invitation."""
    commune = f"xã {COMMUNE}"
    rows = [
        [
            "Trần Thị Hoa",
            "hoa.nghiahung",
            "hoa@nghiahung.gov.vn",
            commune,
            "Phòng Văn hóa - Xã hội",
            "Thẩm định",
        ],
        ["Nguyễn Văn Hùng", "hung.nghiahung", "hung@nghiahung.gov.vn", commune, UNITS[0], "Lãnh đạo UBND xã"],
        ["Lê Văn Nam", "nam.nghiahung", "", commune, "Trung tâm Phục vụ hành chính công", "Cán bộ"],
        ["Phạm Văn Tư", "tu.nghiahung", "", commune, "Thôn 1", "Cán bộ"],
    ]
    for n in range(26):
        rows.append(
            [
                f"{FAMILY[n % len(FAMILY)]} {GIVEN[n % len(GIVEN)]}",
                f"canbo{n + 1:02d}.nghiahung",
                f"canbo{n + 1:02d}@nghiahung.gov.vn",
                commune,
                STAFF_UNITS[n % len(STAFF_UNITS)],
                "Cán bộ",
            ]
        )
    header = ["STT", "Họ và tên", "Tên đăng nhập", "Email", "Xã/phường", "Đơn vị", "Vai trò"]
    return [header, *[[str(n), *row] for n, row in enumerate(rows, start=1)]]


def plan_workbook() -> bytes:
    """Nghĩa Đàn's first group of indicators (those its three offices lead) and its first two tasks."""
    document = seed_document("001_nghia-dan.json")
    indicators = indicator_table(document)
    tasks = task_table(document)
    first_group = [
        row for row in indicators[2:7] if row[3] != "Các cơ quan, tổ chức trong hệ thống chính trị"
    ]
    return workbook_bytes({"Chỉ tiêu": [indicators[0], indicators[1], *first_group], "Nhiệm vụ": tasks[:4]})


class Steps:
    """Counts what a person does: pages they load (typed address or link) and forms they submit."""

    def __init__(self) -> None:
        self.page_loads = self.submissions = 0

    def go(self, page: Page, url: str) -> None:
        self.page_loads += 1
        page.goto(url)

    def follow(self, locator) -> None:
        self.page_loads += 1
        locator.click()

    def submit(self, locator) -> None:
        self.submissions += 1
        locator.click()


def log_in(page: Page, steps: Steps, live_server, username: str, password: str = PASSWORD) -> None:
    steps.go(page, live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    steps.submit(page.get_by_role("button", name="Đăng nhập"))


def new_page(browser, violations: list[str]):
    """A fresh browser for one person, handing every Content-Security-Policy violation to `violations`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.expose_function("reportViolation", lambda text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def invitation_path(message) -> str:
    """The set-password link of an invitation, as a path (the email names SITE_URL, not the live server)."""
    (link,) = re.findall(r"https?://\S+/dang-nhap/dat-mat-khau/\S+", message.body)
    return urlsplit(link).path


def invitation_works(message) -> bool:
    """Whether the link opens the set-password form (a used or wrong link shows the same heading, no form)."""
    response = Client().get(invitation_path(message), follow=True)
    return response.status_code == 200 and response.context["validlink"] and "Lưu mật khẩu" in response.text


def test_new_commune_to_its_first_entry(
    browser, live_server, transactional_db, settings, tmp_path, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    province = builders.province("Nghệ An")
    admin = builders.province_administrator(province, "quantri.nghean")
    people_file = tmp_path / "nguoi-dung-nghia-hung.xlsx"
    people_file.write_bytes(workbook_bytes({"Người dùng": people_rows()}))
    plan_file = tmp_path / "ke-hoach-cds-nghia-hung.xlsx"
    plan_file.write_bytes(plan_workbook())
    steps, violations = Steps(), []
    started = time.monotonic()

    # 1. The province administrator creates the commune and pastes its units.
    context, page = new_page(browser, violations)
    log_in(page, steps, live_server, admin.username)
    expect(page).to_have_url(re.compile(reverse("administration:home") + "$"))
    steps.follow(page.get_by_role("link", name="Thêm xã/phường"))
    page.fill("#id_name", COMMUNE)
    page.fill("#id_code", "17014")
    steps.submit(page.get_by_role("button", name="Tạo xã/phường"))
    expect(page.get_by_role("heading", name="Bắt đầu: đã xong 0/6 mục")).to_be_visible()
    screenshot(page, "70-new-commune-checklist-empty")
    checklist_url = page.url
    steps.follow(page.get_by_role("link", name="Dán danh sách đơn vị"))
    page.fill("#id_names", "\n".join(UNITS))
    steps.submit(page.get_by_role("button", name="Xem trước"))
    expect(page.get_by_text("Trùng với dòng 2; không tạo thêm.")).to_be_visible()
    screenshot(page, "71-new-commune-units-preview")
    steps.submit(page.get_by_role("button", name="Tạo 7 đơn vị mới"))
    expect(page.get_by_text("Đã tạo 7 đơn vị.")).to_be_visible()
    steps.follow(page.get_by_role("link", name="Bắt đầu", exact=True))
    expect(page.get_by_role("heading", name="Bắt đầu: đã xong 1/6 mục")).to_be_visible()

    # 2. ... and imports its 30 people from Excel: upload, preview, confirm.
    steps.go(page, live_server.url + reverse("imports:people_upload"))
    page.set_input_files("#id_file", str(people_file))
    steps.submit(page.get_by_role("button", name="Tải lên và xem trước"))
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_be_visible()
    screenshot(page, "72-new-commune-people-preview")
    steps.submit(page.get_by_role("button", name="Xác nhận nhập"))
    expect(page.get_by_role("heading", name="Đã nhập người dùng")).to_be_visible()
    screenshot(page, "73-new-commune-people-done")
    secrets = page.locator("tr").filter(has=page.locator("code.secret"))
    expect(secrets).to_have_count(2)
    clerk_secret = secrets.filter(has_text="nam.nghiahung").locator("code.secret").inner_text()
    steps.go(page, checklist_url)
    expect(page.get_by_role("heading", name="Bắt đầu: đã xong 4/6 mục")).to_be_visible()
    context.close()

    commune = Commune.objects.get(name=COMMUNE, province=province)
    assert Unit.objects.filter(commune=commune).count() == 7
    assert Membership.objects.filter(unit__commune=commune).values("user").distinct().count() == 30

    # 3. Each of the 28 people with an email got exactly one invitation, and each link opens the form.
    by_address: dict[str, list] = {}
    for message in mail.outbox:
        (address,) = message.to
        by_address.setdefault(address, []).append(message)
    emailed = [row[3] for row in people_rows()[1:] if row[3]]
    assert len(emailed) == 28 and sorted(by_address) == sorted(emailed)
    assert all(len(messages) == 1 for messages in by_address.values())
    for address in emailed:
        assert invitation_works(by_address[address][0]), address

    # The reviewer opens their invitation in the browser and sets a password.
    context, page = new_page(browser, violations)
    steps.go(page, live_server.url + invitation_path(by_address["hoa@nghiahung.gov.vn"][0]))
    expect(page.get_by_role("heading", name="Đặt mật khẩu mới")).to_be_visible()
    page.fill("#id_new_password1", REVIEWER_PASSWORD)
    page.fill("#id_new_password2", REVIEWER_PASSWORD)
    screenshot(page, "74-new-commune-invitation-password")
    steps.submit(page.get_by_role("button", name="Lưu mật khẩu"))
    expect(page.get_by_role("heading", name="Đã đặt mật khẩu mới")).to_be_visible()
    context.close()
    assert not invitation_works(by_address["hoa@nghiahung.gov.vn"][0]), "an invitation link works only once"

    # The clerk, who has no email, logs in with the one-time password and must choose their own.
    context, page = new_page(browser, violations)
    log_in(page, steps, live_server, "nam.nghiahung", clerk_secret)
    expect(page).to_have_url(re.compile(reverse("imports:first_password") + "$"))
    page.fill("#id_new_password1", CLERK_PASSWORD)
    page.fill("#id_new_password2", CLERK_PASSWORD)
    steps.submit(page.get_by_role("button", name="Lưu mật khẩu"))
    expect(page.get_by_text("Đã lưu mật khẩu của bạn.")).to_be_visible()
    context.close()

    # 4. The reviewer imports the plan, maps the appendix's "Trung tâm PVHCC" to its unit, confirms, issues.
    context, page = new_page(browser, violations)
    log_in(page, steps, live_server, "hoa.nghiahung", REVIEWER_PASSWORD)
    steps.follow(page.get_by_role("navigation").get_by_role("link", name="Nhập Excel"))
    page.fill("#id_title", "Kế hoạch chuyển đổi số xã Nghĩa Hưng năm 2026")
    page.fill("#id_year", "2026")
    page.set_input_files("#id_file", str(plan_file))
    steps.submit(page.get_by_role("button", name="Tải lên và xem trước"))
    expect(page.get_by_text("Trung tâm PVHCC").first).to_be_visible()
    page.locator("select[name=unit]").first.select_option(label="Trung tâm Phục vụ hành chính công")
    steps.submit(page.get_by_role("button", name="Thêm cách viết").first)
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_be_visible()
    screenshot(page, "75-new-commune-plan-preview")
    steps.submit(page.get_by_role("button", name="Xác nhận nhập"))
    steps.submit(page.get_by_role("button", name="Ban hành kế hoạch"))
    expect(page.get_by_text(re.compile("Đã ban hành kế hoạch"))).to_be_visible()
    screenshot(page, "76-new-commune-plan-issued")
    context.close()
    plan = Plan.objects.get(commune=commune)
    assert plan.status == PlanStatus.ISSUED and plan.indicators.count() == 3 and plan.tasks.count() == 2

    # The province administrator makes the year's periods for every commune of the province.
    context, page = new_page(browser, violations)
    log_in(page, steps, live_server, admin.username)
    steps.go(page, live_server.url + reverse("periods:list"))
    steps.follow(page.get_by_role("link", name="Tạo các kỳ của một năm cho cả tỉnh"))
    page.fill("#id_year", "2026")
    steps.submit(page.get_by_role("button", name="Tạo các kỳ"))
    expect(page.get_by_text(re.compile("Đã tạo .* kỳ báo cáo năm 2026"))).to_be_visible()
    screenshot(page, "77-new-commune-periods")
    context.close()

    # 5. The clerk logs in with their own password, opens My work, enters the indicator and submits it.
    context, page = new_page(browser, violations)
    log_in(page, steps, live_server, "nam.nghiahung", CLERK_PASSWORD)
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    row = page.locator("tr").filter(has_text=INDICATOR)
    expect(row).to_contain_text("Chưa nhập")
    screenshot(page, "78-new-commune-my-work")
    steps.follow(row.get_by_role("link", name="Nhập"))
    page.fill("#id_value", "100")
    page.fill("#id_note", "Đã bố trí đủ máy tính, máy quét và đường truyền cho 6 quầy tiếp nhận.")
    with page.expect_response(lambda r: r.request.method == "POST" and "danh-gia" not in r.url):
        steps.submit(page.get_by_role("button", name="Gửi duyệt"))
    expect(page.get_by_text("Đã gửi để thẩm định.")).to_be_visible()
    context.close()

    # The administrator's checklist is complete.
    context, page = new_page(browser, violations)
    log_in(page, steps, live_server, admin.username)
    steps.go(page, checklist_url)
    expect(page.get_by_role("heading", name="Bắt đầu: đã xong 6/6 mục")).to_be_visible()
    screenshot(page, "79-new-commune-checklist-done")
    context.close()
    elapsed = time.monotonic() - started

    result = plan.indicators.get(name__startswith=INDICATOR).results.get()
    assert result.status == WorkflowStatus.SUBMITTED and result.author.username == "nam.nghiahung"
    assert Membership.objects.filter(unit__commune=commune, role=Role.REVIEWER).count() == 1
    assert violations == [], violations
    print(
        f"\nnew commune journey: {steps.page_loads} page loads, {steps.submissions} form submissions, "
        f"{steps.page_loads + steps.submissions} steps, {elapsed:.1f} s"
    )
