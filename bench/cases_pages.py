"""The pages people open most on the scale data: the framework floor, My work, plan browser, review queue.

Every case runs as a user of commune QM001 of the province seed_scale builds (see devdata/scale.py).
"""

from django.urls import reverse

from plans.models import Plan
from units.models import Commune

COMMUNE = "QM001"


def run(bench) -> None:
    if not (bench.wants_topic("floor:") or bench.wants_topic("pages:")):
        return
    if not Commune.objects.filter(code=COMMUNE, province__code="QM").exists():
        raise SystemExit("cases_pages: run `manage.py seed_scale` first (no commune QM001).")
    clerk = bench.client("qm001.canbo")
    reviewer = bench.client("qm001.thamdinh")
    plan = Plan.objects.get(commune__code=COMMUNE, commune__province__code="QM")
    browser = reverse("tracking:plan_detail", args=[plan.pk])

    bench.get("floor: trivial page behind login", clerk, reverse("bench_floor"))
    bench.use_floor(clerk)
    bench.page("pages: my work (qm001.canbo)", clerk, reverse("tracking:my_work"))
    bench.page("pages: plan browser (qm001.canbo)", clerk, browser)
    bench.page(
        "pages: plan browser filtered, search + status (qm001.canbo)",
        clerk,
        f"{browser}?q=so&status=submitted",
    )
    bench.page("pages: review queue (qm001.thamdinh)", reviewer, reverse("tracking:review"))
