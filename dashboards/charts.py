"""Chart geometry for server-drawn SVG: plain numbers in, rectangles and labels out; no database, no HTML.

The templates in templates/dashboards/partials/ turn these shapes into SVG. Every series has a colour and a
pattern (solid, stripes, cross-hatch, dots, lines), so a chart still reads in black-and-white print and for
people who do not tell the colours apart; counts are written on the bars where they fit.
"""

from dataclasses import dataclass

# series key -> (colour, pattern). The pattern names are drawn by templates/dashboards/partials/svg_defs.html.
STYLES: dict[str, tuple[str, str]] = {
    "achieved": ("#1a7f37", "solid"),
    "exceeded": ("#0b6e4f", "stripes"),
    "not_achieved": ("#c62828", "crosshatch"),
    "no_data": ("#8c959f", "dots"),
    "done": ("#1a7f37", "solid"),
    "on_track": ("#0b5cad", "stripes"),
    "behind": ("#9a6700", "lines"),
    "overdue": ("#c62828", "crosshatch"),
    "met": ("#1a7f37", "solid"),
    "tasks_done": ("#0b5cad", "stripes"),
    "communes": ("#0b5cad", "solid"),
}
PATTERNS = ("solid", "stripes", "crosshatch", "dots", "lines")
MIN_TEXT_WIDTH = 22  # narrower segments carry their count above the bar, in the tooltip and the legend
OUTSIDE_TEXT_STEP = 16  # the least distance between two counts written above a bar, so they never overlap


@dataclass(frozen=True)
class Series:
    key: str
    label: str

    @property
    def colour(self) -> str:
        return STYLES[self.key][0]

    @property
    def pattern(self) -> str:
        return STYLES[self.key][1]


@dataclass(frozen=True)
class Segment:
    series: Series
    value: int
    x: float
    width: float
    outside_x: float | None = None  # where a sliver's count is written above the bar (None: inside)

    @property
    def shows_text(self) -> bool:
        return self.width >= MIN_TEXT_WIDTH

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class StackedRow:
    label: str
    total: int
    y: float
    segments: list[Segment]


@dataclass(frozen=True)
class StackedChart:
    """One 100% bar per row (overall, then each pillar), so rows of different sizes compare by share."""

    width: int
    height: int
    bar_x: int
    bar_height: int
    series: list[Series]
    rows: list[StackedRow]


def stacked_rows(
    series: list[Series],
    rows: list[tuple[str, dict[str, int]]],
    *,
    width: int = 420,
    label_width: int = 140,
    bar_height: int = 24,
    gap: int = 10,
    scaled: bool = False,
) -> StackedChart:
    """One bar per row. `scaled` draws each bar as long as its total against the largest row's (a pillar of
    three indicators is a short bar beside the plan's thirty-five), and leaves room above every bar for the
    counts of segments too narrow to hold them."""
    bar_width = width - label_width - 40  # room on the right for the row's total
    if scaled:
        gap = max(gap, 16)
    peak = max((sum(counts.get(s.key, 0) for s in series) for _label, counts in rows), default=0)
    placed = []
    for index, (label, counts) in enumerate(rows):
        total = sum(counts.get(s.key, 0) for s in series)
        length = bar_width * total / peak if scaled and peak else bar_width
        x, segments, next_outside = float(label_width), [], float(label_width)
        for item in series:
            value = counts.get(item.key, 0)
            if not value:
                continue
            span = round(length * value / total, 1)
            outside = None
            if scaled and span < MIN_TEXT_WIDTH:
                outside = round(max(x + span / 2, next_outside), 1)
                next_outside = outside + OUTSIDE_TEXT_STEP
            segments.append(Segment(item, value, round(x, 1), span, outside))
            x += span
        placed.append(StackedRow(label, total, gap + index * (bar_height + gap), segments))
    height = gap + len(rows) * (bar_height + gap)
    return StackedChart(width, height, label_width, bar_height, series, placed)


@dataclass(frozen=True)
class Column:
    series: Series
    value: int
    x: float
    y: float
    width: float
    height: float
    label: str  # the category, for the tooltip

    @property
    def text_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class AxisLabel:
    x: float
    text: str


@dataclass(frozen=True)
class ColumnChart:
    width: int
    height: int
    baseline: float
    series: list[Series]
    columns: list[Column]
    labels: list[AxisLabel]
    gridlines: list[tuple[float, int]]  # (y, value)


def column_chart(
    series: list[Series],
    categories: list[tuple[str, list[int]]],
    *,
    width: int = 420,
    height: int = 220,
    left: int = 40,
) -> ColumnChart:
    """Grouped columns: one group per category (a period, a rate band), one column per series."""
    top, bottom = 20, 30  # room for the value above the tallest column and for the category below
    plot_height = height - top - bottom
    baseline = float(height - bottom)
    peak = max((v for _label, values in categories for v in values), default=0)
    scale_max = _nice_ceiling(peak)
    group_width = (width - left - 10) / max(len(categories), 1)
    column_width = min(48.0, group_width * 0.8 / max(len(series), 1))
    columns, labels = [], []
    for index, (label, values) in enumerate(categories):
        group_x = left + index * group_width
        first_x = group_x + (group_width - column_width * len(series)) / 2
        for position, (item, value) in enumerate(zip(series, values, strict=True)):
            bar_height = round(plot_height * value / scale_max, 1) if scale_max else 0.0
            columns.append(
                Column(
                    series=item,
                    value=value,
                    x=round(first_x + position * column_width, 1),
                    y=round(baseline - bar_height, 1),
                    width=round(column_width - 2, 1),
                    height=bar_height,
                    label=label,
                )
            )
        labels.append(AxisLabel(round(group_x + group_width / 2, 1), label))
    steps = 4
    gridlines = [
        (round(baseline - plot_height * step / steps, 1), scale_max * step // steps)
        for step in range(1, steps + 1)
    ]
    return ColumnChart(width, height, baseline, series, columns, labels, gridlines if scale_max else [])


def _nice_ceiling(value: int) -> int:
    """The axis top: four equal whole steps of a round size (1, 2, 3, 4, 5, 6 or 8 times a power of ten)."""
    if value <= 0:
        return 0
    scale = 1
    while True:
        for step in (1, 2, 3, 4, 5, 6, 8):
            if step * scale * 4 >= value:
                return step * scale * 4
        scale *= 10
