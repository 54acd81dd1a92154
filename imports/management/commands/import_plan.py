import argparse
import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from common.uploads import MAX_UPLOAD_BYTES
from imports.reader import BadFile, read_workbook
from imports.services import ImportRefused, ImportResult, plan_import, year_question_text
from pagecache.cache import raise_versions
from plans.models import Plan
from units.models import Commune


def _day(text: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"«{text}» không phải một ngày dd/mm/yyyy.")


class Command(BaseCommand):
    help = (
        "Nhập phụ lục chỉ tiêu, nhiệm vụ của một kế hoạch từ tệp .xlsx hoặc .docx; in số lượng và mọi lỗi, "
        "trả mã khác 0 khi còn lỗi."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx hoặc .docx")
        parser.add_argument("--commune", required=True, help="mã hoặc tên xã/phường")
        parser.add_argument("--plan", type=int, help="id kế hoạch cần cập nhật")
        parser.add_argument("--title", help="trích yếu kế hoạch mới")
        parser.add_argument("--year", type=int, help="năm của kế hoạch mới")
        parser.add_argument("--start", type=_day, help="ngày bắt đầu kỳ kế hoạch mới (dd/mm/yyyy)")
        parser.add_argument("--end", type=_day, help="ngày kết thúc kỳ kế hoạch mới (dd/mm/yyyy)")
        parser.add_argument(
            "--target-column-year",
            type=int,
            metavar="NĂM",
            help="đọc cột «Mục tiêu NĂM» làm mục tiêu năm của kế hoạch khi tệp không có cột năm đó "
            "(ví dụ nhập kế hoạch 2026 đã xuất làm kế hoạch 2027: --target-column-year 2026)",
        )
        parser.add_argument(
            "--split",
            action="append",
            default=[],
            metavar="TRANG!DÒNG",
            help="tách chỉ tiêu có nhiều con số ở dòng này thành mỗi con số một chỉ tiêu (lặp lại được)",
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")

    def handle(self, *args, **options):
        commune = self._commune(options["commune"])
        plan = None
        if options["plan"] is not None:
            plan = Plan.objects.filter(commune=commune, pk=options["plan"]).first()
            if plan is None:
                raise CommandError(f"Không có kế hoạch id {options['plan']} của {commune}.")
        elif not options["title"] or not options["year"]:
            raise CommandError('Cần --plan <id>, hoặc --title "..." và --year cho kế hoạch mới.')
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError("Tệp lớn hơn 10 MB.")
        try:
            workbook = read_workbook(path.read_bytes())
            result = plan_import(
                commune=commune,
                workbook=workbook,
                plan=plan,
                title=options["title"] or "",
                year=options["year"],
                dry_run=options["dry_run"],
                source=path.name,
                period_start=options["start"],
                period_end=options["end"],
                target_column_year=options["target_column_year"],
                splits=dict.fromkeys(options["split"], True),
            )
        except (BadFile, ValueError) as error:
            raise CommandError(str(error)) from error
        except ImportRefused as refused:
            self._report(refused.result)
            raise CommandError(f"{len(refused.result.problems)} lỗi; chưa nhập gì.") from refused
        if not options["dry_run"]:
            # Outside a request no middleware announces the change: open pages must not show the old plan.
            raise_versions(Commune.objects.filter(pk=commune.pk))
        self._report(result)
        if result.problems:
            raise CommandError(f"{len(result.problems)} lỗi; chưa nhập gì (xem trước).")
        if options["dry_run"]:
            self.stdout.write("Xem trước: chưa ghi gì.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập vào kế hoạch id {result.plan.pk}: {result.plan}."))

    def _commune(self, text: str) -> Commune:
        matches = list(
            Commune.objects.filter(Q(code__iexact=text) | Q(name__iexact=text)).select_related("province")
        )
        if not matches:
            raise CommandError(f"Không tìm thấy xã/phường «{text}».")
        if len(matches) > 1:
            names = "; ".join(f"{c} ({c.province}, mã {c.code or '—'})" for c in matches)
            raise CommandError(f"Có nhiều xã/phường tên «{text}»: {names}. Hãy dùng mã.")
        return matches[0]

    def _report(self, result: ImportResult) -> None:
        if result.period is not None:
            self.stdout.write(f"Kỳ kế hoạch: {result.period.label()}")
        if result.draft.year_question is not None:
            printed, _year = result.draft.year_question
            self.stdout.write(
                f"Hỏi – {year_question_text(result.draft.year_question)} "
                f"(đồng ý: thêm --target-column-year {printed})"
            )
        for item in result.draft.splittable():
            figures = "; ".join(f"«{figure}»" for figure in item.figures)
            self.stdout.write(
                f"Có thể tách – {item.split_key}: {figures} (tách: thêm --split '{item.split_key}')"
            )
        for line in result.summary_lines():
            self.stdout.write(line)
        for change in result.visible_changes:
            if change.action != "create":
                self.stdout.write(f"  {change.action}: {change.label}")
                for detail in change.details:
                    self.stdout.write(f"    {detail}")
        for warning in result.draft.warnings:
            self.stdout.write(f"Lưu ý – {warning}")
        for problem in result.problems:
            self.stderr.write(f"Lỗi – {problem}")
