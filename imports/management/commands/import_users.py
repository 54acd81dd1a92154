from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from common.uploads import MAX_UPLOAD_BYTES
from imports.people import PeopleRefused, PeopleResult, people_import, people_invite
from imports.people_reader import read_people
from imports.reader import BadFile
from units.models import Province


class Command(BaseCommand):
    help = (
        "Tạo người dùng của một tỉnh từ danh sách Excel (.xlsx): in bản xem trước và mọi lỗi, trả mã 1 "
        "khi còn lỗi (không ghi gì); gửi thư mời cho người có email, in mật khẩu dùng một lần của người "
        "không có email."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx")
        parser.add_argument("--province", required=True, help="mã hoặc tên tỉnh")
        parser.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")

    def handle(self, *args, **options):
        province = self._province(options["province"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError("Tệp lớn hơn 10 MB.")
        try:
            sheet = read_people(path.read_bytes())
            result = people_import(province=province, sheet=sheet, dry_run=options["dry_run"])
        except BadFile as error:
            raise CommandError(str(error)) from error
        except PeopleRefused as refused:
            self._print(refused.result)
            raise CommandError(
                f"Chưa nhập gì: tệp còn {len(refused.result.problems)} lỗi.", returncode=1
            ) from None
        self._print(result)
        if result.problems:
            raise CommandError(f"Tệp còn {len(result.problems)} lỗi; sửa rồi chạy lại.", returncode=1)
        if options["dry_run"]:
            self.stdout.write("Chạy thử: chưa ghi gì.")
            return
        people_invite(created=result.created)
        self._print_created(result)

    def _province(self, text: str) -> Province:
        found = list(
            Province.objects.filter(Q(code=text) | Q(name__iexact=text.removeprefix("tỉnh ").strip()))
        )
        if len(found) != 1:
            raise CommandError(f"Không tìm thấy tỉnh «{text}» (ghi mã hoặc tên tỉnh).")
        return found[0]

    def _print(self, result: PeopleResult) -> None:
        for line in result.summary_lines():
            self.stdout.write(line)
        for person in result.new_people:
            units = "; ".join(f"{m.unit} ({m.role.label})" for m in person.memberships)
            contact = person.email or "mật khẩu dùng một lần"
            self.stdout.write(f"  + {person.login} – {person.name} – {contact}: {units}")
        for person in result.joining_people:
            units = "; ".join(f"{m.unit} ({m.role.label})" for m in person.memberships)
            self.stdout.write(f"  ~ {person.login} – {person.name}: thêm {units}")
        for problem in result.problems:
            self.stderr.write(f"Lỗi: {problem}")

    def _print_created(self, result: PeopleResult) -> None:
        invited = sum(1 for c in result.created if c.invited)
        failed = [c.user.username for c in result.created if c.invitation_failed]
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo {len(result.created)} người dùng; đã gửi {invited} thư mời.")
        )
        if failed:
            self.stderr.write(
                "Chưa gửi được thư mời cho: " + ", ".join(failed) + " (họ có thể dùng «Quên mật khẩu»)."
            )
        secrets = [c for c in result.created if c.one_time_password]
        if secrets:
            self.stdout.write(
                "Mật khẩu dùng một lần (chỉ in lần này; trao tận tay, người dùng phải đổi khi đăng nhập "
                "lần đầu):"
            )
            for person in secrets:
                self.stdout.write(f"  {person.user.username}\t{person.one_time_password}")
