from django.core.management.base import BaseCommand

from devdata.demo import demo_data_load
from pagecache.cache import raise_versions
from units.models import Commune


class Command(BaseCommand):
    help = "Tạo người dùng mẫu (mỗi vai trò một người cho mỗi xã) và hai kỳ báo cáo có số liệu mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo12345", help="Mật khẩu cho mọi tài khoản mẫu.")

    def handle(self, *args, **options):
        logins = demo_data_load(password=options["password"])
        raise_versions(Commune.objects.all())  # no request announces these entries to cached pages
        self.stdout.write(self.style.SUCCESS(f"Tài khoản mẫu (mật khẩu: {options['password']}):"))
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.role:<36} {login.where}")
