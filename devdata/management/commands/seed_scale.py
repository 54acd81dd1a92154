import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devdata import scale


class Command(BaseCommand):
    help = (
        "Tạo tỉnh «Quy Mô» với N xã, mỗi xã một kế hoạch 2026 theo mẫu các kế hoạch thật "
        "và số liệu hằng tháng (dữ liệu để đo hiệu năng)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, default=130, help="Số xã (mặc định 130).")
        parser.add_argument(
            "--periods", type=int, default=12, help="Số tháng có số liệu, 1-12 (mặc định 12)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu."
        )
        parser.add_argument("--password", default="demo12345", help="Mật khẩu chung của mọi tài khoản.")
        parser.add_argument("--replace", action="store_true", help="Xóa tỉnh Quy Mô đã có rồi tạo lại.")

    def handle(self, *args, **options):
        if not 1 <= options["periods"] <= 12:
            raise CommandError("--periods phải từ 1 đến 12.")
        if options["communes"] < 1:
            raise CommandError("--communes phải lớn hơn 0.")
        if scale.province_exists() and not options["replace"]:
            raise CommandError(f"Tỉnh {scale.PROVINCE_NAME} đã có dữ liệu; dùng --replace để xóa và tạo lại.")
        started = time.perf_counter()
        with transaction.atomic():  # replacing is all or nothing: a failed build keeps the old province
            if scale.province_exists():
                scale.province_delete()
            summary = scale.province_build(
                communes=options["communes"],
                months=options["periods"],
                seed=options["seed"],
                password=options["password"],
            )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo tỉnh {scale.PROVINCE_NAME}: {summary.communes} xã, {summary.units} đơn vị, "
                f"{summary.indicators} chỉ tiêu, {summary.tasks} nhiệm vụ, {summary.periods} kỳ báo cáo, "
                f"{summary.results} kết quả chỉ tiêu, {summary.updates} cập nhật nhiệm vụ, "
                f"{summary.users} tài khoản (mật khẩu: {options['password']}) trong {seconds:.1f} giây."
            )
        )
