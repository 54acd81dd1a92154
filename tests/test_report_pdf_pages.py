"""The document a leader signs, looked at: Định Tiến's report rendered from its seed plan and demo entries.

Page 1, a Phụ lục III page and the Kinh phí page are kept as PNGs in `artifacts/` (git-ignored) for a person
to open; the assertions read the same pages' text, so what the pictures show is also checked.
"""

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from plans.models import Plan, ReportingPeriod
from reports import pdf, selectors

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"
TODAY = dt.date(2025, 12, 20)


def _pages(data: bytes) -> list[str]:
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [page.replace("\u00a0", " ") for page in text.split("\f")]


def _keep_png(data: bytes, page: int, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / "dinh-tien-bao-cao.pdf"
    source.write_bytes(data)
    stem = ARTIFACTS / name
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", source, stem],  # noqa: S607
        check=True,
    )
    return stem.with_suffix(".png")


@pytest.fixture
def dinh_tien(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_seed_plans", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    plan = Plan.objects.get(commune__name="Định Tiến")
    period = ReportingPeriod.objects.for_commune(plan.commune).get(kind="quarter", year=2025, number=3)
    report = selectors.report_or_preview(plan, period, TODAY)
    content = selectors.report_content(report)
    data = pdf.render_pdf(content)
    return content, data, _pages(data)


def _page_of(pages: list[str], pattern: str) -> int:
    found = [number for number, text in enumerate(pages, start=1) if re.search(pattern, text)]
    assert found, f"no page says {pattern!r}"
    return found[0]


def test_dinh_tien_report_pages_are_kept_as_pictures(dinh_tien):
    _content, data, pages = dinh_tien
    kept = [
        _keep_png(data, 1, "dinh-tien-trang-1"),
        _keep_png(data, _page_of(pages, r"PHỤ LỤC III"), "dinh-tien-phu-luc-iii"),
        _keep_png(data, _page_of(pages, r"Tổng đã chi bằng chữ"), "dinh-tien-kinh-phi"),
    ]
    for path in kept:
        assert path.stat().st_size > 10_000, f"{path.name} is blank"


def test_the_kinh_phi_section_gives_the_total_in_figures_and_words(dinh_tien):
    content, _data, pages = dinh_tien
    [year] = content.budget_years
    assert (year.year, year.spent, year.planned) == (2024, 481_179_000, None)
    start = _page_of(pages, r"Kinh phí thực hiện") - 1
    page = " ".join(" ".join(pages[start : start + 2]).split())  # the table may run onto the next page
    assert "kinh phí đã chi 481.179.000 đồng" in page
    assert "Tổng cộng 481.179.000" in page and "Chi camera an ninh 350.000.000" in page
    assert "bốn trăm tám mươi mốt triệu một trăm bảy mươi chín nghìn đồng" in page.lower()
    assert "I Nguồn khác 481.179.000" in page  # the source's subtotal


def test_phu_luc_iii_prints_the_2024_baselines_as_the_plan_wrote_them(dinh_tien):
    content, _data, pages = dinh_tien
    baselines = {row.number: row.baseline for row in content.trend}
    assert baselines["6"] == "4227/5219 = 81% (năm 2024)" and baselines["2"] == ""
    appendix = " ".join(" ".join(pages[_page_of(pages, r"PHỤ LỤC III") - 1 :]).split())
    assert "4227/5219" in appendix and "2092/5219" in appendix and "71,7%" in appendix


def test_no_recipient_line_breaks_inside_its_parenthesis(dinh_tien):
    content, _data, pages = dinh_tien
    assert any("(b/c);" in line for line in content.recipients)
    lines = [line for page in pages for line in page.splitlines()]
    assert not [line for line in lines if re.search(r"\((b|để b)/?\s*$", line.strip())]
    assert sum("(b/c);" in line for line in lines) == sum("(b/c);" in line for line in content.recipients)
