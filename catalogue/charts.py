"""The distribution of one entry across the province's communes, as plain geometry for a server-drawn SVG.

No database, no HTML: templates/catalogue/partials/distribution.html draws it. Bars of communes by band of
their figure, and a last bar of communes not reporting drawn with a dotted pattern, so the chart reads in
black-and-white print too.
"""

from dataclasses import dataclass
from decimal import Decimal

from catalogue.aggregate import Cell
from catalogue.models import Measure

WIDTH, HEIGHT = 460, 230
LEFT, TOP, BOTTOM = 36, 22, 34


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    no_data: bool = False

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Distribution:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    gridlines: list[tuple[float, int]]


def _bands(measure: str, cells: list[Cell]) -> list[tuple[str, int]]:
    reporting = [c for c in cells if c.reporting]
    if measure == Measure.YES_NO:
        met = sum(1 for c in reporting if c.met)
        return [("Đạt", met), ("Chưa đạt", len(reporting) - met)]
    values = [c.value for c in reporting if c.value is not None]
    if measure == Measure.PERCENT:
        edges = [Decimal(n) for n in (0, 20, 40, 60, 80)]
        top = Decimal(100)
        labels = ["0-20%", "20-40%", "40-60%", "60-80%", "80-100%"]
    else:
        top = max(values, default=Decimal(0))
        step = max(top / 5, Decimal(1))
        edges = [step * n for n in range(5)]
        labels = [f"{_short(edge)}-{_short(edge + step)}" for edge in edges]
    counts = [0] * len(edges)
    for value in values:
        index = max((i for i, edge in enumerate(edges) if value >= edge), default=0)
        counts[index] += 1
    return list(zip(labels, counts, strict=True))


def _short(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", ".")


def distribution(measure: str, cells: list[Cell]) -> Distribution:
    bands = [*_bands(measure, cells), ("Chưa báo cáo", sum(1 for c in cells if not c.reporting))]
    plot = HEIGHT - TOP - BOTTOM
    baseline = float(HEIGHT - BOTTOM)
    peak = max((n for _label, n in bands), default=0)
    scale = max(4, -(-peak // 4) * 4)  # four whole gridline steps
    slot = (WIDTH - LEFT - 8) / len(bands)
    bars = []
    for index, (label, count) in enumerate(bands):
        height = round(plot * count / scale, 1)
        bars.append(
            Bar(
                label=label,
                count=count,
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=height,
                no_data=index == len(bands) - 1,
            )
        )
    gridlines = [(round(baseline - plot * step / 4, 1), scale * step // 4) for step in range(1, 5)]
    return Distribution(WIDTH, HEIGHT, baseline, bars, gridlines)
