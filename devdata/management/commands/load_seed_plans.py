import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devdata.seed_catalogue import catalogue_seed
from devdata.seed_plans import plan_load_document
from pagecache.cache import raise_versions
from plans.models import Plan
from units.models import Commune

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "plans"


class Command(BaseCommand):
    help = "Nạp các kế hoạch mẫu (fixtures/plans/*.json); kế hoạch đã nạp thì bỏ qua."

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", help="Tệp JSON cụ thể (mặc định: tất cả trong fixtures/plans/)"
        )

    def handle(self, *args, **options):
        paths = [Path(p) for p in options["files"]] or sorted(SEED_DIR.glob("*.json"))
        if not paths:
            raise CommandError(f"Không tìm thấy tệp kế hoạch mẫu nào trong {SEED_DIR}.")
        for path in paths:
            if not path.exists():
                raise CommandError(f"Không tìm thấy tệp {path}.")
            if Plan.objects.filter(source=path.name).exists():
                self.stdout.write(f"Bỏ qua {path.name}: đã nạp.")
                continue
            plan = plan_load_document(document=json.loads(path.read_text(encoding="utf-8")), source=path.name)
            raise_versions(Commune.objects.filter(pk=plan.commune_id))  # no request announces it to pages
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nạp {path.name}: {plan.commune} – {plan.indicators.count()} chỉ tiêu, "
                    f"{plan.tasks.count()} nhiệm vụ."
                )
            )
        # The provinces' catalogues of common indicators and the seed plans' links to them, for make run.
        confirmed = catalogue_seed()
        self.stdout.write(f"Danh mục chỉ tiêu chung: đã xác nhận {confirmed} liên kết rõ ràng.")
