"""Reports to the province: drafting from approved entries, the PDF and Excel files, sending, corrections."""

import datetime as dt
import io
import re
import subprocess
import sys
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import IndicatorResult
from indicators.services import indicator_result_approve, indicator_result_save
from plans.models import BudgetLine, BudgetSource, Plan, ReportingPeriod
from plans.workflow import WorkflowStatus
from reports import pdf, selectors, services, xlsx
from reports.models import Report, ReportStatus
from tasks.models import TaskUpdate as TaskUpdateModel
from tasks.services import task_update_approve, task_update_save
from tests import builders

ARTIFACTS = Path(django_settings.BASE_DIR) / "artifacts" / "reports"
# A report speaks of a finished period and is dated no later than today: the tests' "today" is after
# world.period (2026-Q4) has ended, whatever the machine's clock says.
TODAY = dt.date(2027, 1, 8)


@pytest.fixture(autouse=True)
def after_the_quarter(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def pdf_text(data: bytes, *pages: int) -> str:
    args = ["pdftotext"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()  # noqa: S603


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def row_printed(text: str, number: str, name: str) -> bool:
    """The table row `number name` is in the text: pdftotext may slip a short cell of the same row (the
    target, `100%`) between the lines of a long name, so the name's words need only come in order."""
    words = flat(name).split()
    head = f"{number} {' '.join(words[:3])}"
    start = text.find(head)
    while start >= 0:
        window = text[start : start + len(" ".join(words)) + 200]
        position = 0
        for word in words:
            position = window.find(word, position)
            if position < 0:
                break
            position += len(word)
        else:
            return True
        start = text.find(head, start + 1)
    return False


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def approve_result(world, indicator, period, value=None, flag=None, note=""):
    result = indicator_result_save(
        indicator=indicator, period=period, actor=world.clerk, value=value, flag=flag, note=note, submit=True
    )
    return indicator_result_approve(result=result, actor=world.reviewer)


def approve_update(world, task, period, **fields):
    update = task_update_save(task=task, period=period, actor=world.clerk, submit=True, **fields)
    return task_update_approve(update=update, actor=world.reviewer)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def draft(world, **fields) -> Report:
    report = services.report_create(plan=world.plan, period=world.period, actor=world.reviewer)
    if fields:
        report = services.report_update(report=report, actor=world.reviewer, **fields)
    return report


def submitted(world, number="5/BC-UBND") -> Report:
    """A complete draft (number, date, signer) the reviewer has handed to the leader."""
    report = draft(world, number=number, signer_name="Nguyễn Văn An")
    return services.report_submit(report=report, actor=world.reviewer)


def approve(report: Report, actor, **signing) -> Report:
    """The leader's approval with its files made: the job queued when the approval commits runs here, eagerly
    as in `make run` (a test's own transaction never commits, so it is run at the end of this block)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.report_approve(report=report, actor=actor, **signing)
    return Report.objects.get(pk=report.pk)


def sent(world, number="5/BC-UBND") -> Report:
    report = approve(submitted(world, number=number), world.leader)
    return services.report_send(report=report, actor=world.reviewer)


def approval_form(report: Report, **changes) -> dict[str, str]:
    """The approval step's form as the leader sees it, prefilled from the report, with their changes."""
    form = {
        "number": report.number,
        "report_date": f"{report.report_date:%d/%m/%Y}",
        "signer_authority": report.signer_authority,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
    }
    return {**form, **changes}


# -- the seed plan of Nghĩa Đàn with the demo progress ----------------------------------------------------


@pytest.fixture
def nghia_dan(seeded, media):
    call_command("load_demo_data", verbosity=0)
    plan = Plan.objects.select_related("commune").get(commune__name="Nghĩa Đàn")
    period = ReportingPeriod.objects.get(commune=plan.commune, kind="quarter", locked_at__isnull=False)
    reviewer = get_user_model().objects.get(username="nghiadan.thamdinh")
    report = services.report_create(plan=plan, period=period, actor=reviewer)
    return services.report_update(report=report, actor=reviewer, number="5/BC-UBND")


def test_nghia_dan_report_pdf_reads_as_an_administrative_document(nghia_dan):
    report = nghia_dan
    data = pdf.render_pdf(selectors.report_content(report))
    text = pdf_text(data)
    flat_text = flat(text)

    for line in [
        "ỦY BAN NHÂN DÂN",
        "XÃ NGHĨA ĐÀN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/BC-UBND",
        "BÁO CÁO",
        "quý III năm 2026",
        "Nơi nhận:",
        "- Lưu: VT, VHXH.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Đình An",
    ]:
        assert line in flat_text, line
    day = report.report_date
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    assert f"Nghĩa Đàn, ngày {day.day:02d} tháng {month} năm {day.year}" in flat_text

    approved = IndicatorResult.objects.filter(
        indicator__plan=report.plan, period=report.period, status=WorkflowStatus.APPROVED
    )
    met = approved.filter(verdict__in=["achieved", "exceeded"]).count()
    assert 0 < approved.count() < 35, "the demo leaves some indicators without approved figures"
    assert f"Đạt {met}/35 chỉ tiêu" in flat_text

    for indicator in report.plan.indicators.order_by("order"):
        assert row_printed(flat_text, indicator.number, indicator.name), indicator.number

    # Diacritics come out whole: composed characters, and the words a Vietnamese reader checks first.
    assert unicodedata.is_normalized("NFC", text)
    for word in ["chuyển đổi số", "Phụ lục", "Chưa có số liệu", "Đạt", "Nhiệm vụ trọng tâm kỳ tới"]:
        assert word.lower() in flat_text.lower(), word

    # Page numbers sit in the top margin from page 2 on, none on page 1.
    assert pdf_text(data, 1).lstrip().startswith("ỦY BAN NHÂN DÂN")
    assert pdf_text(data, 2).split()[0] == "2"

    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout.decode()  # noqa: S603, S607
    if not fonts:  # older poppler reads no stdin for pdffonts
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "nghia-dan.pdf").write_bytes(data)
        fonts = subprocess.run(  # noqa: S603
            ["pdffonts", str(ARTIFACTS / "nghia-dan.pdf")],  # noqa: S607
            capture_output=True,
            check=True,
        ).stdout.decode()
    assert "Liberation-Serif" in fonts

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "nghia-dan.pdf").write_bytes(data)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "80", "-png", "-singlefile"]  # noqa: S607
        + [str(ARTIFACTS / "nghia-dan.pdf"), str(ARTIFACTS / "nghia-dan-page1")],
        check=True,
    )
    assert (ARTIFACTS / "nghia-dan-page1.png").stat().st_size > 10_000


def test_nghia_dan_workbook_has_its_sheets_values_and_formats(nghia_dan):
    content = selectors.report_content(nghia_dan)
    wb = load_workbook(io.BytesIO(xlsx.render_xlsx(content)))
    assert wb.sheetnames == ["Tổng hợp", "Chỉ tiêu", "Nhiệm vụ", "Kinh phí", "Mục tiêu - Thực hiện"]

    indicators = wb["Chỉ tiêu"]
    names = [row[1] for row in indicators.iter_rows(min_row=5, values_only=True) if row[1]]
    assert names == [i.name for i in nghia_dan.plan.indicators.order_by("order")]
    assert indicators.freeze_panes == "A5"
    assert indicators["A4"].font.bold and indicators["A4"].value == "TT"
    assert "A1:G1" in {str(r) for r in indicators.merged_cells.ranges}
    assert indicators.page_setup.orientation == "landscape" and indicators.page_setup.paperSize == 9
    rates = [
        row[3]
        for row in indicators.iter_rows(min_row=5)
        if row[3].number_format == "0.0%" and row[3].value is not None
    ]
    assert rates and all(0 <= cell.value <= 1 for cell in rates)

    summary = wb["Tổng hợp"]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=6, values_only=True)}
    assert values["Chỉ tiêu đạt"] == content.summary.line
    share = next(row[1] for row in summary.iter_rows(min_row=6) if row[0].value == "Tỷ lệ chỉ tiêu đạt")
    assert share.number_format == "0.0%" and share.value == pytest.approx(float(content.summary.met_share))
    report_date = next(row[1] for row in summary.iter_rows(min_row=6) if row[0].value == "Ngày báo cáo")
    assert report_date.number_format == "dd/mm/yyyy" and report_date.value.date() == nghia_dan.report_date

    trend = wb["Mục tiêu - Thực hiện"]
    header = [cell.value for cell in trend[4]]
    assert header[:4] == ["TT", "Chỉ tiêu", "Cơ sở", "Mục tiêu"] and header[-1] == "Đánh giá"
    assert "Quý III/2026" in header
    verdicts = {row[-1] for row in trend.iter_rows(min_row=5, values_only=True)}
    assert verdicts <= {"Đạt", "Chưa đạt", "Vượt", "Chưa có số liệu", "Chưa đánh giá"}
    assert "Chưa có số liệu" in verdicts


# -- drafting ---------------------------------------------------------------------------------------------


def test_draft_counts_only_approved_entries_and_lists_what_is_missing(world, media):
    second = builders.indicator(
        world.indicator.section, name="Tỷ lệ người dân có chữ ký số", target="≥50%", lead="Trung tâm PVHCC"
    )
    approve_result(world, world.indicator, world.period, value=Decimal(85))
    indicator_result_save(
        indicator=second, period=world.period, actor=world.clerk, value=Decimal(99), submit=True
    )
    content = selectors.report_content(draft(world))
    assert content.summary.line == "Đạt 1/2 chỉ tiêu"
    assert [str(m) for m in content.missing] == [
        "Chỉ tiêu 2: Tỷ lệ người dân có chữ ký số (đã gửi, chưa duyệt)",
        "Nhiệm vụ 1: Số hóa hồ sơ (chưa nhập)",
    ]
    row = content.indicators[0]
    assert (row.actual, row.verdict_label) == ("85%", "Đạt")


def test_submitted_but_unapproved_figure_is_not_printed(world, media):
    indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(12), submit=True
    )
    content = selectors.report_content(draft(world))
    assert content.indicators[0].actual == "" and content.indicators[0].verdict_label == "Chưa có số liệu"
    assert "đã gửi, chưa duyệt" in str(content.missing[0])


def test_draft_narrative_is_prefilled_from_the_units_entries(world, media):
    approve_update(
        world,
        world.task,
        world.period,
        progress="done",
        percent_complete=100,
        results="Đã số hóa 100% hồ sơ",
        difficulties="Thiếu máy quét",
        proposals="Đề nghị tỉnh hỗ trợ máy quét",
    )
    report = draft(world)
    assert "Đã số hóa 100% hồ sơ" in report.results_by_area
    assert report.difficulties == "- Thiếu máy quét (nhiệm vụ 1)"
    assert "Đề nghị tỉnh hỗ trợ máy quét" in report.proposals
    assert report.signer_authority == "TM. ỦY BAN NHÂN DÂN" and report.recipients.endswith("Lưu: VT, VHXH.")


def test_a_second_draft_for_the_same_period_is_refused(world, media):
    draft(world)
    with pytest.raises(Exception, match="Đã có báo cáo"):
        services.report_create(plan=world.plan, period=world.period, actor=world.reviewer)
    assert Report.objects.count() == 1


def test_budget_spent_appears_when_there_is_any(world, media):
    BudgetLine.objects.create(
        plan=world.plan,
        year=2026,
        source=BudgetSource.STATE_BUDGET,
        item="Mua máy quét",
        spent_amount=481179000,
    )
    content = selectors.report_content(draft(world))
    assert content.has_budget and content.budget_spent_total_text == "481.179.000 đồng"
    assert "481.179.000 đồng" in flat(pdf_text(pdf.render_pdf(content)))
    budget = load_workbook(io.BytesIO(xlsx.render_xlsx(content)))["Kinh phí"]
    assert budget["E5"].value == 481179000 and budget["E5"].number_format == "#,##0"


# -- target against actual --------------------------------------------------------------------------------


def test_target_against_actual_shows_each_period_and_the_verdict(world, media):
    q3 = builders.period(world.commune, "2026-Q3")
    exceeded = builders.indicator(
        world.indicator.section, name="Số hồ sơ trực tuyến", target="400 hồ sơ", lead="Trung tâm PVHCC"
    )
    untouched = builders.indicator(world.indicator.section, name="Chỉ tiêu chưa nhập", target="Đạt")
    approve_result(world, world.indicator, q3, value=Decimal(60))
    approve_result(world, world.indicator, world.period, value=Decimal(75))
    approve_result(world, exceeded, world.period, value=Decimal(450))
    content = selectors.report_content(draft(world))
    assert content.trend_periods == ["Quý III/2026", "Quý IV/2026"]
    rows = {row.name: row for row in content.trend}
    assert rows[world.indicator.name].values == ["60%", "75%"]
    assert rows[world.indicator.name].verdict_label == "Chưa đạt"
    assert rows[exceeded.name].verdict_label == "Vượt"
    assert rows[untouched.name].verdict_label == "Chưa có số liệu"
    sheet = load_workbook(io.BytesIO(xlsx.render_xlsx(content)))["Mục tiêu - Thực hiện"]
    assert [c.value for c in sheet[5]][4:] == ["60%", "75%", "Chưa đạt"]


def test_a_report_on_a_province_wide_period_shows_its_own_figures_beside_the_target(world, media):
    province_q4 = ReportingPeriod.objects.create(
        province=world.commune.province,
        kind=world.period.kind,
        year=world.period.year,
        number=world.period.number,
        start=world.period.start,
        end=world.period.end,
        due_date=world.period.due_date,
    )
    approve_result(world, world.indicator, province_q4, value=Decimal(85))
    report = services.report_create(plan=world.plan, period=province_q4, actor=world.reviewer)
    content = selectors.report_content(report)
    assert content.trend_periods == ["Quý IV/2026"]
    row = content.trend[0]
    assert row.values == ["85%"] and row.verdict_label == "Vượt"


# -- Excel safety -----------------------------------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_written_as_text(world, media):
    approve_update(
        world, world.task, world.period, progress="done", percent_complete=100, results='=HYPERLINK("x")'
    )
    report = draft(world, difficulties="+1+1", proposals="@SUM(A1)", signer_name="-Nguyễn Văn A")
    data = xlsx.render_xlsx(selectors.report_content(report))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets), "a formula cell was written"
    wb = load_workbook(io.BytesIO(data))
    cells = [cell for ws in wb for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)]
    risky = [cell for cell in cells if cell.value.startswith(("=", "+", "-", "@"))]
    assert {'=HYPERLINK("x")', "+1+1", "@SUM(A1)"} <= {cell.value for cell in risky}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)


def test_control_characters_pasted_into_a_result_do_not_break_the_workbook(client, world, media):
    approve_update(
        world, world.task, world.period, progress="done", percent_complete=100, results="Đã\x02 xong"
    )
    TaskUpdateModel.objects.filter(task=world.task, period=world.period).update(results="Đã\x02 xong")
    report = draft(world, number="5/BC-UBND")
    client.force_login(world.reviewer)
    response = client.get(reverse("reports:xlsx", args=[report.pk]))
    assert response.status_code == 200
    cells = [
        c
        for ws in load_workbook(io.BytesIO(body(response)))
        for row in ws.iter_rows(values_only=True)
        for c in row
    ]
    assert "Đã xong" in cells
    report = services.report_update(report=report, actor=world.reviewer, signer_name="Nguyễn Văn An")
    services.report_submit(report=report, actor=world.reviewer)
    approve(report, world.leader)
    assert services.report_send(report=report, actor=world.reviewer).status == ReportStatus.SENT


# -- PDF safety -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://example.com/static/reports/report.css",
        "data:text/css,body{}",
        f"{pdf.STATIC_ORIGIN}/static/../config/settings.py",
        f"{pdf.STATIC_ORIGIN}/static/%2e%2e/config/settings.py",
        f"{pdf.STATIC_ORIGIN}/media/evidence/x.pdf",
        f"{pdf.STATIC_ORIGIN}/static/reports/nothing-here.css",
    ],
)
def test_pdf_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(ValueError, match="chỉ được dùng tệp tĩnh"):
        pdf.StaticOnlyFetcher().fetch(url)


def test_pdf_fetcher_serves_the_report_stylesheet():
    response = pdf.StaticOnlyFetcher().fetch(f"{pdf.STATIC_ORIGIN}/static/reports/report.css")
    assert b"@page" in response.read() and response.content_type == "text/css"


def test_user_markup_prints_as_text_and_fetches_nothing(world, media, monkeypatch):
    fetched = []
    original = pdf.StaticOnlyFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", recording)
    markup = '<img src="file:///etc/passwd"><b>đậm</b><link rel=stylesheet href="http://example.com/x.css">'
    report = draft(world, overall_assessment=markup)
    text = flat(pdf_text(pdf.render_pdf(selectors.report_content(report))))
    assert '<img src="file:///etc/passwd"><b>đậm</b>' in text
    assert fetched == [f"{pdf.STATIC_ORIGIN}/static/reports/report.css"]


# -- sent means frozen, corrections are versions ------------------------------------------------------------


def test_sent_report_downloads_the_stored_bytes_even_after_the_data_changes(client, world, media):
    approve_result(world, world.indicator, world.period, value=Decimal(85))
    report = sent(world)
    stored_pdf, stored_xlsx = report.pdf_file.read(), report.xlsx_file.read()
    assert "85%" in pdf_text(stored_pdf)

    result = IndicatorResult.objects.get(indicator=world.indicator, period=world.period)
    IndicatorResult.objects.filter(pk=result.pk).update(value=Decimal(20), verdict="not_achieved")
    client.force_login(world.province_viewer)
    pdf_response = client.get(reverse("reports:pdf", args=[report.pk]))
    xlsx_response = client.get(reverse("reports:xlsx", args=[report.pk]))
    assert body(pdf_response) == stored_pdf and body(xlsx_response) == stored_xlsx
    assert pdf_response["Content-Type"] == "application/pdf"
    assert "bao-cao-nghia-dan-2026-Q4-v1.pdf" in pdf_response["Content-Disposition"]


def test_data_changed_between_approval_and_sending_does_not_change_the_sent_files(client, world, media):
    approve_result(world, world.indicator, world.period, value=Decimal(85))
    report = submitted(world)
    client.force_login(world.leader)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files job queued on commit runs
        client.post(reverse("reports:approve", args=[report.pk]), approval_form(report))
    approved_pdf = body(client.get(reverse("reports:pdf", args=[report.pk])))
    approved_xlsx = body(client.get(reverse("reports:xlsx", args=[report.pk])))
    assert "85%" in pdf_text(approved_pdf)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "tệp đã chốt khi lãnh đạo duyệt" in page

    IndicatorResult.objects.filter(indicator=world.indicator, period=world.period).update(
        value=Decimal(20), verdict="not_achieved"
    )
    approve_update(world, world.task, world.period, progress="done", percent_complete=100, results="Xong")
    client.force_login(world.reviewer)
    client.post(reverse("reports:send", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT
    assert report.pdf_file.read() == approved_pdf and report.xlsx_file.read() == approved_xlsx
    client.force_login(world.province_viewer)
    assert body(client.get(reverse("reports:pdf", args=[report.pk]))) == approved_pdf
    assert body(client.get(reverse("reports:xlsx", args=[report.pk]))) == approved_xlsx
    assert "20%" not in pdf_text(approved_pdf)


def test_returning_to_draft_discards_the_approved_files(world, media, django_capture_on_commit_callbacks):
    report = approve(submitted(world), world.leader)
    frozen = [media / report.pdf_file.name, media / report.xlsx_file.name]
    assert all(path.exists() for path in frozen)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return_to_draft(report=report, actor=world.leader, comment="Sửa số liệu quý IV")
    report.refresh_from_db()
    assert not report.pdf_file and not report.xlsx_file
    assert not any(path.exists() for path in frozen)


def test_sent_report_cannot_be_edited_and_a_correction_is_version_two(client, world, media):
    approve_result(world, world.indicator, world.period, value=Decimal(85))
    first = sent(world)
    with pytest.raises(Exception, match="dự thảo"):
        services.report_update(report=first, actor=world.reviewer, overall_assessment="sửa lén")

    client.force_login(world.reviewer)
    response = client.post(reverse("reports:correct", args=[first.pk]), {"reason": "Sửa số liệu chỉ tiêu 1"})
    second = Report.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == reverse("reports:edit", args=[second.pk])
    assert (second.status, second.corrects, second.correction_reason) == (
        "draft",
        first,
        "Sửa số liệu chỉ tiêu 1",
    )
    assert second.number == "" and second.overall_assessment == first.overall_assessment

    services.report_update(report=second, actor=world.reviewer, number="6/BC-UBND")
    services.report_submit(report=second, actor=world.reviewer)
    approve(second, world.leader)
    second = services.report_send(report=second, actor=world.reviewer)
    first.refresh_from_db()
    assert first.status == ReportStatus.SENT and first.pdf_file.name != second.pdf_file.name
    v2_text = flat(pdf_text(second.pdf_file.read()))
    assert "phiên bản 2" in v2_text and "Lý do đính chính: Sửa số liệu chỉ tiêu 1" in v2_text
    assert body(client.get(reverse("reports:pdf", args=[first.pk]))) == first.pdf_file.read()
    # Only the latest sent version can be corrected.
    assert client.post(reverse("reports:correct", args=[first.pk]), {"reason": "x"}).status_code == 302
    assert Report.objects.count() == 2


def test_correction_needs_a_reason(client, world, media):
    report = sent(world)
    client.force_login(world.reviewer)
    response = client.post(reverse("reports:correct", args=[report.pk]), {"reason": "  "}, follow=True)
    assert "Vui lòng ghi lý do đính chính." in response.content.decode()
    assert Report.objects.count() == 1


def test_sending_needs_the_leaders_approval(client, world, media):
    report = draft(world, number="5/BC-UBND")
    client.force_login(world.reviewer)
    page = client.post(reverse("reports:send", args=[report.pk]), follow=True).content.decode()
    assert "Chỉ gửi được báo cáo đã được lãnh đạo duyệt." in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.pdf_file


def test_approval_needs_submission_and_then_sending_needs_no_second_approval(client, world, media):
    report = draft(world, number="5/BC-UBND", signer_name="Nguyễn Văn An")
    client.force_login(world.leader)
    page = client.post(reverse("reports:approve", args=[report.pk]), approval_form(report), follow=True)
    assert "Chỉ duyệt được báo cáo đã được trình lãnh đạo." in page.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.pdf_file

    services.report_submit(report=report, actor=world.reviewer)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files job queued on commit runs
        client.post(reverse("reports:approve", args=[report.pk]), approval_form(report))
    client.force_login(world.reviewer)
    client.post(reverse("reports:send", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT and "Số: 05/BC-UBND" in flat(pdf_text(report.pdf_file.read()))


def test_an_approved_report_without_stored_files_is_not_sent(world, media):
    report = draft(world, number="5/BC-UBND")
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    with pytest.raises(Exception, match="chưa có tệp lưu"):
        services.report_send(report=report, actor=world.reviewer)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_leader_returns_an_approved_report_to_draft(client, world, media):
    report = submitted(world)
    client.force_login(world.leader)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files job queued on commit runs
        client.post(reverse("reports:approve", args=[report.pk]), approval_form(report))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == world.leader
    client.post(reverse("reports:return", args=[report.pk]), {"comment": "Ghi lại ngày báo cáo"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.approved_by is None
    assert report.return_comment == "Ghi lại ngày báo cáo" and not report.pdf_file


# -- pages ------------------------------------------------------------------------------------------------


def test_reviewer_creates_a_draft_from_the_list_page(client, world, media):
    client.force_login(world.reviewer)
    page = client.get(reverse("reports:list", args=[world.plan.pk])).content.decode()
    assert "Lập dự thảo" in page and "2026-Q4" in page
    response = client.post(reverse("reports:create", args=[world.plan.pk]), {"period": world.period.pk})
    report = Report.objects.get()
    assert response["Location"] == reverse("reports:edit", args=[report.pk])
    assert report.created_by == world.reviewer and report.status == ReportStatus.DRAFT


def test_create_refuses_a_period_of_another_commune(client, world, media):
    theirs = builders.period(world.other_commune, "2026-Q4")
    client.force_login(world.reviewer)
    response = client.post(reverse("reports:create", args=[world.plan.pk]), {"period": theirs.pk})
    assert response.status_code == 200 and "Kỳ báo cáo không thuộc kế hoạch này." in response.content.decode()
    assert not Report.objects.exists()


def test_edit_with_a_bad_date_and_a_mismatched_signer_explains_and_changes_nothing(client, world, media):
    report = draft(world)
    client.force_login(world.reviewer)
    form = {
        "report_date": "31/02/2026",
        "subject": "Báo cáo",
        "signer_authority": "KT. CHỦ TỊCH",
        "signer_title": "CHỦ TỊCH",
        "place": "Nghĩa Đàn",
    }
    page = client.post(reverse("reports:edit", args=[report.pk]), form).content.decode()
    assert "Ngày phải có dạng dd/mm/yyyy" in page
    assert "chức vụ người ký là «PHÓ CHỦ TỊCH»" in page
    before = report.subject
    report.refresh_from_db()
    assert report.subject == before


def test_edit_saves_the_reviewers_text(client, world, media):
    report = draft(world)
    client.force_login(world.reviewer)
    form = {
        "number": "7",
        "report_date": "05/01/2027",
        "place": "Nghĩa Đàn",
        "subject": "Kết quả quý IV",
        "overall_assessment": "Nhìn chung đạt yêu cầu.",
        "signer_authority": "KT. CHỦ TỊCH",
        "signer_title": "Phó Chủ tịch",
        "signer_name": "Trần Thị B",
        "recipients": "Sở KH&CN tỉnh Nghệ An",
    }
    response = client.post(reverse("reports:edit", args=[report.pk]), form)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.signer_title == "PHÓ CHỦ TỊCH" and report.report_date.isoformat() == "2027-01-05"
    text = flat(pdf_text(pdf.render_pdf(selectors.report_content(report))))
    assert "Số: 07/BC-UBND" in text and "Nghĩa Đàn, ngày 05 tháng 01 năm 2027" in text
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text and "Nhìn chung đạt yêu cầu." in text


def test_province_viewer_sees_sent_versions_only(client, world, media):
    report = sent(world)
    services.report_correct(report=report, actor=world.reviewer, reason="Bổ sung số liệu")
    client.force_login(world.province_viewer)
    page = client.get(reverse("reports:list", args=[world.plan.pk])).content.decode()
    assert reverse("reports:detail", args=[report.pk]) in page
    correction = Report.objects.get(version=2)
    assert reverse("reports:detail", args=[correction.pk]) not in page
    assert client.get(reverse("reports:detail", args=[correction.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


def test_preview_warns_about_missing_items(client, world, media):
    report = submitted(world)
    client.force_login(world.leader)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Còn 2 mục chưa có số liệu được duyệt" in page
    assert "Tỷ lệ hồ sơ trực tuyến (chưa nhập)" in page
    assert "Duyệt báo cáo" in page and "Sửa dự thảo" not in page


def test_plan_page_links_to_reports_for_the_reviewer_only(client, world):
    url = reverse("tracking:plan_detail", args=[world.plan.pk])
    link = reverse("reports:list", args=[world.plan.pk])
    client.force_login(world.reviewer)
    assert link in client.get(url).content.decode()
    client.force_login(world.clerk)
    assert link not in client.get(url).content.decode()


def _grow(world, n: int) -> None:
    indicators = world.indicator.section
    tasks = world.task.section
    for i in range(n):
        indicator = builders.indicator(indicators, name=f"Chỉ tiêu thêm {i}", lead="Trung tâm PVHCC")
        approve_result(world, indicator, world.period, value=Decimal(50 + i))
        task = builders.task(tasks, description=f"Nhiệm vụ thêm {i}", lead="Trung tâm PVHCC")
        approve_update(
            world, task, world.period, progress="in_progress", percent_complete=50, results="Đang làm"
        )


@pytest.mark.parametrize("url_name", ["reports:detail", "reports:list", "reports:xlsx"])
def test_report_pages_run_the_same_queries_for_one_row_as_for_twenty_one(client, world, media, url_name):
    report = draft(world)
    client.force_login(world.reviewer)
    url = reverse(url_name, args=[world.plan.pk if url_name == "reports:list" else report.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _grow(world, 20)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before), (
        f"{url_name}: {len(before)} queries with one row, {len(after)} with 21; a new query per row must be "
        "justified:\n" + "\n".join(q["sql"] for q in after.captured_queries)
    )


# -- command line -----------------------------------------------------------------------------------------


def test_render_report_command_writes_pdf_and_xlsx(world, media, tmp_path):
    approve_result(world, world.indicator, world.period, value=Decimal(85))
    out = tmp_path / "q4.pdf"
    call_command("render_report", plan=world.plan.pk, period="2026-q4", format="pdf", output=str(out))
    assert "Đạt 1/1 chỉ tiêu" in flat(pdf_text(out.read_bytes()))
    assert not Report.objects.exists(), "rendering a period without a report saves nothing"
    out = tmp_path / "q4.xlsx"
    call_command("render_report", plan=world.plan.pk, period="2026-Q4", format="xlsx", output=str(out))
    assert load_workbook(out).sheetnames[0] == "Tổng hợp"


def test_render_report_command_gives_the_sent_files_bytes(world, media, tmp_path):
    report = sent(world)
    out = tmp_path / "sent.pdf"
    call_command("render_report", plan=world.plan.pk, period="2026-Q4", format="pdf", output=str(out))
    assert out.read_bytes() == report.pdf_file.read()


@pytest.mark.parametrize(
    ("plan", "period", "message"),
    [
        (999999, "2026-Q4", "Không có kế hoạch mã 999999."),
        (None, "2026-Q9", "Mã kỳ báo cáo không hợp lệ"),
        (None, "quy 4", "Mã kỳ báo cáo không hợp lệ"),
        (None, "2026-M03", "chưa có kỳ báo cáo 2026-M03"),
    ],
)
def test_render_report_command_refuses_unknown_plan_or_period(world, tmp_path, plan, period, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command(
            "render_report",
            plan=plan or world.plan.pk,
            period=period,
            format="pdf",
            output=str(tmp_path / "x.pdf"),
        )
    assert not (tmp_path / "x.pdf").exists()


def test_render_report_command_exits_non_zero_from_the_shell(tmp_path):
    manage = Path(django_settings.BASE_DIR) / "manage.py"
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(manage),
            "render_report",
            "--plan",
            "1",
            "--period",
            "2026-Q9",
            "--format",
            "pdf",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Mã kỳ báo cáo không hợp lệ" in result.stderr


def test_sent_report_page_offers_a_correction_on_the_latest_version_only(client, world, media):
    first = sent(world)
    client.force_login(world.reviewer)
    url = reverse("reports:detail", args=[first.pk])
    assert "Lập bản đính chính" in client.get(url).content.decode()
    services.report_correct(report=first, actor=world.reviewer, reason="Bổ sung số liệu")
    page = client.get(url).content.decode()
    assert "Lập bản đính chính" not in page and "2 (Dự thảo)" in page


def test_a_code_names_the_communes_own_period_before_the_province_wide_one(world):
    ReportingPeriod.objects.create(
        province=world.commune.province,
        kind=world.period.kind,
        year=world.period.year,
        number=world.period.number,
        start=world.period.start,
        end=world.period.end,
        due_date=world.period.due_date,
    )
    assert selectors.find_period(world.plan, "2026-q4") == world.period
