"""Tokens, approved entries and a sent report for the API tests (tests/test_api*.py)."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from api.services import api_client_create
from indicators.services import indicator_result_approve, indicator_result_save
from reports.models import Report, ReportStatus
from tasks.services import task_update_approve, task_update_save
from tests import builders

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
XLSX = b"PK\x03\x04 frozen workbook bytes"


def issue_token(province, admin, name: str = "Hệ thống báo cáo tỉnh") -> str:
    return api_client_create(province=province, name=name, actor=admin)[1]


def other_province_token(world) -> str:
    """A token of Hà Tĩnh (world.other_commune's province), issued by its own administrator."""
    province = world.other_commune.province
    return issue_token(province, builders.province_administrator(province, "quantri.hatinh"))


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def approve_result(world, indicator=None, period=None, value: int = 85):
    result = indicator_result_save(
        indicator=indicator or world.indicator,
        period=period or world.period,
        actor=world.clerk,
        value=Decimal(value),
        submit=True,
    )
    return indicator_result_approve(result=result, actor=world.reviewer)


def approve_update(world, task=None, period=None):
    update = task_update_save(
        task=task or world.task,
        period=period or world.period,
        actor=world.clerk,
        progress="in_progress",
        percent_complete=40,
        results="Đã số hóa 40% hồ sơ",
        submit=True,
    )
    return task_update_approve(update=update, actor=world.reviewer)


def sent_report(plan, period, status: str = ReportStatus.SENT, version: int = 1) -> Report:
    """A report as the send step leaves it: frozen PDF and Excel stored (the render itself is tested in
    tests/test_report_workflow.py)."""
    report = Report.objects.create(
        plan=plan,
        period=period,
        version=version,
        number=f"{version}/BC-UBND",
        status=status,
        sent_at=timezone.now() if status == ReportStatus.SENT else None,
        report_date=timezone.localdate(),
        subject="Báo cáo quý IV",
    )
    report.pdf_file.save("bao-cao.pdf", ContentFile(PDF), save=False)
    report.xlsx_file.save("bao-cao.xlsx", ContentFile(XLSX), save=True)
    return report
