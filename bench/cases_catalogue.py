"""The province matrix of common indicators on the scale data: every commune × 30 entries, rendered afresh
(the page cache emptied before each call) and its Excel, as `so.quymo`. Goal: the page within the province
dashboard's budget and a query count that does not grow with communes or entries.

The scale data has no catalogue: the case adds 30 entries to the scale province once and links each plan's
first 30 indicators to them (confirmed), so every cell can hold an approved figure.
"""

from collections import Counter

from django.urls import reverse
from django.utils import timezone

from catalogue.models import Aggregation, CatalogueEntry, IndicatorLink, LinkState, Measure
from catalogue.services import catalogue_entry_save
from indicators.models import Indicator
from units.models import Province

PROVINCE_CODE = "QM"
ENTRIES = 30
# (measure, aggregation) in turn, so each rule of the aggregate row is timed.
RULES = [
    (Measure.PERCENT, Aggregation.RATE),
    (Measure.COUNT, Aggregation.SUM),
    (Measure.YES_NO, Aggregation.SHARE_ACHIEVING),
    (Measure.PERCENT, Aggregation.MEAN),
]


def _catalogue(province: Province) -> list[CatalogueEntry]:
    entries = list(CatalogueEntry.objects.filter(province=province, code__startswith="QM-").order_by("order"))
    if len(entries) == ENTRIES:
        return entries
    for number in range(len(entries) + 1, ENTRIES + 1):
        measure, aggregation = RULES[number % len(RULES)]
        entries.append(
            catalogue_entry_save(
                province=province,
                code=f"QM-{number:02d}",
                name=f"Chỉ tiêu chung quy mô {number}",
                pillar="khac",
                measure=measure,
                aggregation=aggregation,
                target_text="≥80%" if measure != Measure.YES_NO else "Đạt",
                order=number,
            )
        )
    # Bench data, like the scale generator's own bulk inserts: one link per indicator, confirmed.
    links, linked = [], Counter()
    indicators = Indicator.objects.filter(plan__commune__province=province, catalogue_link__isnull=True)
    for indicator_id, plan_id in indicators.order_by("plan_id", "order").values_list("pk", "plan_id"):
        rank = linked[plan_id]
        if rank < ENTRIES:
            linked[plan_id] += 1
            links.append(
                IndicatorLink(
                    indicator_id=indicator_id,
                    entry=entries[rank],
                    state=LinkState.CONFIRMED,
                    score=100,
                    confirmed_at=timezone.now(),
                )
            )
    IndicatorLink.objects.bulk_create(links, batch_size=1000)
    return entries


def run(bench) -> None:
    if not bench.wants_topic("catalogue"):
        return
    province = Province.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        raise SystemExit("cases_catalogue: run `manage.py seed_scale` first (no province QM).")
    entries = _catalogue(province)
    communes = province.communes.count()
    viewer = bench.client("so.quymo")
    columns = "&".join(f"chi={entry.pk}" for entry in entries)
    bench.use_floor(viewer)
    bench.page(
        f"catalogue: province matrix, {communes} communes × {len(entries)} entries (so.quymo)",
        viewer,
        f"{reverse('catalogue:matrix')}?tinh={province.pk}&{columns}",
        extra={"communes": communes, "entries": len(entries)},
    )
    bench.get(
        f"catalogue: matrix Excel, {communes} communes × {len(entries)} entries (so.quymo)",
        viewer,
        f"{reverse('catalogue:matrix_xlsx')}?tinh={province.pk}&{columns}",
        repeat=5,
        memory=True,
        extra={"communes": communes, "entries": len(entries)},
    )
