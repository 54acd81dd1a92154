import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reports.files import PREFIXES, orphan_files_purge


class Command(BaseCommand):
    help = (
        "Xóa các tệp báo cáo và tài liệu kiểm chứng không còn dòng dữ liệu nào trỏ tới (do tiến trình bị "
        "dừng giữa chừng để lại). Chạy hằng ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=24,
            help="chỉ xóa tệp ghi cách đây hơn ngần này giờ (mặc định 24; tối thiểu 1)",
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không xóa")

    def handle(self, *args, older_than_hours: int, dry_run: bool, **options):
        if older_than_hours < 1:
            raise CommandError("Cần ít nhất 1 giờ, để không xóa tệp đang được ghi.")
        names = orphan_files_purge(older_than=dt.timedelta(hours=older_than_hours), dry_run=dry_run)
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        for name in names:
            self.stdout.write(f"{verb} {name}")
        where = ", ".join(PREFIXES)
        if dry_run:
            self.stdout.write(f"Chạy thử: {len(names)} tệp không còn dùng trong {where}; chưa xóa tệp nào.")
        else:
            self.stdout.write(f"Đã xóa {len(names)} tệp không còn dùng trong {where}.")
