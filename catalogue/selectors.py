"""What the catalogue pages read, as plain data (the read-only API serves the same functions).

The matrix is read in a fixed number of queries whatever the number of communes and entries; each cell's
figure is the approved result tracking.selectors' rule counts for the period (`indicator_state`,
`counted_result`), and only confirmed links count.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from catalogue.aggregate import NO_DATA, Aggregate, Cell, aggregate
from catalogue.models import CatalogueEntry, IndicatorLink, LinkState
from catalogue.services import WEAK_SCORE
from indicators.models import Indicator, IndicatorResult
from plans.models import Plan, ReportingPeriod
from plans.periods import parse_period_code
from tracking.selectors import counted_result, indicators_with_state
from units.models import Commune, Province

DEFAULT_COLUMNS = 8


def province_entries(province: Province) -> QuerySet[CatalogueEntry]:
    return CatalogueEntry.objects.for_province(province).order_by("order", "code")


def entries_with_link_counts(province: Province) -> list[CatalogueEntry]:
    """The catalogue, each entry with its confirmed and suggested links counted (`confirmed`, `suggested`)."""
    return list(
        province_entries(province).annotate(
            confirmed=Count("links", filter=Q(links__state=LinkState.CONFIRMED)),
            suggested=Count("links", filter=Q(links__state=LinkState.SUGGESTED)),
        )
    )


def matrix_entries(
    province: Province, *, pillar: str = "", ids: list[int] | None = None, limit: int = DEFAULT_COLUMNS
) -> list[CatalogueEntry]:
    """The columns: the chosen entries, else a pillar's, else the first `limit` of the catalogue."""
    entries = province_entries(province)
    if ids:
        return list(entries.filter(pk__in=ids))
    if pillar:
        return list(entries.filter(pillar=pillar))
    return list(entries[:limit])


@dataclass
class MatrixRow:
    commune: Commune
    period: ReportingPeriod | None  # None: the commune has no period of this code
    cells: list[Cell]


@dataclass
class Matrix:
    province: Province
    code: str
    entries: list[CatalogueEntry]
    rows: list[MatrixRow]
    aggregates: list[Aggregate]


def _chosen_periods(province: Province, spec, communes: list[Commune]) -> dict[int, ReportingPeriod]:
    """Each commune's period of the code: its own, else the province-wide one."""
    chosen: dict[int, ReportingPeriod] = {}
    province_wide = None
    for period in ReportingPeriod.objects.filter(
        province=province, kind=spec.kind, year=spec.year, number=spec.number
    ):
        if period.commune_id is None:
            province_wide = period
        else:
            chosen[period.commune_id] = period
    for commune in communes:
        if commune.pk not in chosen and province_wide is not None:
            chosen[commune.pk] = province_wide
    return chosen


def province_matrix(*, province: Province, code: str, entries: list[CatalogueEntry]) -> Matrix:
    """Rows = communes, columns = entries, for the period `code`; an aggregate per entry by its rule.

    A commune's figure comes from its indicator linked (confirmed) to the entry in an issued plan in force
    during the period (a draft is not yet the commune's plan, as on the dashboards); with two such
    indicators, the one with an approved figure, then the newest plan's, counts.
    """
    spec = parse_period_code(code)
    communes = list(Commune.objects.filter(province=province).order_by("name"))
    chosen = _chosen_periods(province, spec, communes)
    entry_ids = [entry.pk for entry in entries]
    found: dict[tuple[int, int], dict] = {}
    if entry_ids and chosen:
        linked = Indicator.objects.filter(
            plan__in=Plan.objects.issued().filter(
                commune_id__in=list(chosen), period_start__lte=spec.end, period_end__gte=spec.start
            ),
            catalogue_link__state=LinkState.CONFIRMED,
            catalogue_link__entry_id__in=entry_ids,
        )
        period_ids = sorted({period.pk for period in chosen.values()})
        rows = (
            indicators_with_state(linked, period_ids, as_of=spec.end)
            .annotate(counted=counted_result(spec.end))
            .values("pk", "plan_id", "plan__commune_id", "catalogue_link__entry_id", "state", "counted")
            .order_by()
        )
        for row in rows:
            key = (row["plan__commune_id"], row["catalogue_link__entry_id"])
            rank = (row["state"] != NO_DATA, row["plan_id"], row["pk"])
            if key not in found or rank > found[key]["rank"]:
                found[key] = {**row, "rank": rank}
    counted_ids = [row["counted"] for row in found.values() if row["counted"]]
    results = {
        r["pk"]: r
        for r in IndicatorResult.objects.filter(pk__in=counted_ids).values(
            "pk", "value", "numerator", "denominator", "flag"
        )
    }
    matrix_rows = []
    for commune in communes:
        cells = []
        for entry in entries:
            row = found.get((commune.pk, entry.pk))
            cells.append(_cell(entry.pk, row, results.get(row["counted"]) if row else None))
        matrix_rows.append(MatrixRow(commune, chosen.get(commune.pk), cells))
    aggregates = [
        aggregate(entry.aggregation, [row.cells[index] for row in matrix_rows], entry.parsed_target())
        for index, entry in enumerate(entries)
    ]
    return Matrix(province, spec.code, entries, matrix_rows, aggregates)


def _cell(entry_id: int, row: dict | None, result: dict | None) -> Cell:
    if row is None:
        return Cell(entry_id)
    if result is None:
        return Cell(entry_id, row["pk"], row["state"])
    numerator, denominator = result["numerator"], result["denominator"]
    value = result["value"]
    if numerator is not None and denominator:
        value = IndicatorResult(numerator=numerator, denominator=denominator).percent
    return Cell(entry_id, row["pk"], row["state"], value, numerator, denominator, result["flag"])


_STATE_RANK = {"exceeded": 0, "achieved": 1, "not_achieved": 2}


def sorted_rows(matrix: Matrix, sort: str) -> list[MatrixRow]:
    """Rows by commune name (`xa`) or by an entry's column (`c<entry id>`): highest figure first, communes
    without data last; a leading `-` reverses."""
    key = sort.lstrip("-")
    reverse = sort.startswith("-")
    index = next((i for i, e in enumerate(matrix.entries) if f"c{e.pk}" == key), None)
    if index is None:
        return sorted(matrix.rows, key=lambda row: row.commune.name, reverse=reverse)

    def by_cell(row: MatrixRow):
        cell = row.cells[index]
        figure = -(cell.value if cell.value is not None else -1)
        return (not cell.reporting, figure, _STATE_RANK.get(cell.state, 3), row.commune.name)

    ordered = sorted(matrix.rows, key=by_cell)
    if not reverse:
        return ordered
    reporting = [row for row in ordered if row.cells[index].reporting]
    return reporting[::-1] + [row for row in ordered if not row.cells[index].reporting]


# -- Links page ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    indicator: Indicator
    link: IndicatorLink | None

    @property
    def weak(self) -> bool:
        return self.link is not None and self.link.score < WEAK_SCORE


def links_to_review(communes: QuerySet[Commune], *, commune: Commune | None = None) -> list[LinkRow]:
    """The indicators of these communes waiting on a person: without an entry (never suggested, or refused)
    and with a suggestion not yet confirmed, weakest first."""
    indicators = Indicator.objects.filter(plan__commune__in=communes)
    if commune is not None:
        indicators = indicators.filter(plan__commune=commune)
    pending = indicators.filter(
        Q(catalogue_link__isnull=True) | ~Q(catalogue_link__state=LinkState.CONFIRMED)
    ).select_related("plan__commune", "catalogue_link__entry", "section")
    rows = [
        LinkRow(i, getattr(i, "catalogue_link", None))
        for i in pending.order_by("plan__commune__name", "plan_id", "order")
    ]
    return sorted(
        rows,
        key=lambda r: (r.link is None or r.link.state != LinkState.SUGGESTED, r.link.score if r.link else 0),
    )


def recent_confirmed(
    communes: QuerySet[Commune], *, commune: Commune | None = None, limit: int = 50
) -> list[IndicatorLink]:
    links = IndicatorLink.objects.confirmed().filter(indicator__plan__commune__in=communes)
    if commune is not None:
        links = links.filter(indicator__plan__commune=commune)
    return list(
        links.select_related("indicator__plan__commune", "entry", "confirmed_by").order_by("-confirmed_at")[
            :limit
        ]
    )
