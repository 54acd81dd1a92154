from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plans import periods
from plans.models import Plan
from reports import pdf, selectors, xlsx
from reports.models import ReportStatus


class Command(BaseCommand):
    help = (
        "Xuất báo cáo của một kế hoạch cho một kỳ ra PDF hoặc Excel. Báo cáo đã gửi xuất đúng tệp đã gửi; "
        "kỳ chưa có báo cáo xuất bản dự thảo từ số liệu đã duyệt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True, help="mã (id) kế hoạch")
        parser.add_argument("--period", required=True, help="mã kỳ: 2025-Q4, 2026-H1, 2026-M03, 2026")
        parser.add_argument("--format", choices=["pdf", "xlsx"], required=True)
        parser.add_argument("-o", "--output", required=True, help="tệp ghi ra")

    def handle(self, *args, plan: int, period: str, format: str, output: str, **options):
        try:
            periods.parse_period_code(period)
        except ValueError as error:
            raise CommandError(str(error)) from error
        found = Plan.objects.with_related().filter(pk=plan).first()
        if found is None:
            raise CommandError(f"Không có kế hoạch mã {plan}.")
        reporting_period = selectors.find_period(found, period)
        if reporting_period is None:
            raise CommandError(f"{found.commune} chưa có kỳ báo cáo {period.strip().upper()}.")
        report = selectors.report_or_preview(found, reporting_period, timezone.localdate())
        stored = report.pdf_file if format == "pdf" else report.xlsx_file
        if report.status != ReportStatus.DRAFT and stored:
            with stored.open("rb") as handle:
                data = handle.read()
        else:
            content = selectors.report_content(report)
            data = pdf.render_pdf(content) if format == "pdf" else xlsx.render_xlsx(content)
        Path(output).write_bytes(data)
        state = report.get_status_display() if report.pk else "dự thảo chưa lưu"
        self.stdout.write(f"Đã ghi {output} ({len(data):,} byte; báo cáo {reporting_period.code}, {state}).")
