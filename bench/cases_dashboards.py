"""Dashboards on the scale data: commune dashboard, unit view, province dashboard and the roll-up Excel.

The commune dashboard is read as a ratio to the framework floor (goal: within 3x), so the floor is timed here
too, between the calls of every page, even when only these cases are asked for. The province cases run as
`so.quymo` over every commune of the province; the Excel case also records its peak memory (goal: 3 s,
300 MB).
"""

from django.urls import reverse

from units.models import Commune, Unit

PROVINCE_CODE = "QM"  # the scale data contract: province "Tỉnh Quy Mô", code QM
COMMUNE = "QM001"


def run(bench) -> None:
    if not bench.wants_topic("dashboards"):
        return
    commune = Commune.objects.filter(code=COMMUNE, province__code=PROVINCE_CODE).first()
    if commune is None:
        raise SystemExit("cases_dashboards: run `manage.py seed_scale` first (no commune QM001).")
    communes = Commune.objects.filter(province__code=PROVINCE_CODE).count()
    reviewer, head, viewer = (bench.client(u) for u in ("qm001.thamdinh", "qm001.vhxh", "so.quymo"))
    unit = Unit.objects.get(memberships__user__username="qm001.vhxh")

    bench.use_floor(reviewer)
    bench.get("dashboards: floor, trivial page behind login", reviewer, reverse("bench_floor"))
    bench.page(
        "dashboards: commune dashboard (qm001.thamdinh)",
        reviewer,
        reverse("dashboards:commune", args=[commune.pk]),
    )
    bench.page("dashboards: unit view (qm001.vhxh)", head, reverse("dashboards:unit", args=[unit.pk]))
    bench.page(
        f"dashboards: province dashboard, {communes} communes (so.quymo)",
        viewer,
        reverse("dashboards:province"),
        extra={"communes": communes},
    )
    bench.page(
        f"dashboards: province dashboard sorted by rate, one pillar, {communes} communes (so.quymo)",
        viewer,
        f"{reverse('dashboards:province')}?sort=ty-le&pillar=ha_tang",
        extra={"communes": communes},
    )
    bench.get(
        f"dashboards: roll-up Excel, {communes} communes (so.quymo)",
        viewer,
        reverse("dashboards:province_xlsx"),
        repeat=7,
        memory=True,
        extra={"communes": communes},
    )
