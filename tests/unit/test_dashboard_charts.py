"""Chart geometry: bars in proportion, labels only where they fit, every series told apart by its pattern."""

import pytest

from dashboards.charts import PATTERNS, STYLES, Series, column_chart, stacked_rows

STATES = [Series("achieved", "Đạt"), Series("not_achieved", "Chưa đạt"), Series("no_data", "Chưa có số liệu")]


def test_stacked_row_fills_the_bar_in_proportion_and_skips_empty_states():
    counts = {"achieved": 3, "not_achieved": 1, "no_data": 0}
    chart = stacked_rows(STATES, [("Toàn kế hoạch", counts)], width=640, label_width=190)
    row = chart.rows[0]
    bar_width = 640 - 190 - 40
    assert [s.series.key for s in row.segments] == ["achieved", "not_achieved"]
    assert [s.width for s in row.segments] == [307.5, 102.5] and sum(
        s.width for s in row.segments
    ) == bar_width
    assert row.segments[0].x == 190 and row.segments[1].x == 497.5
    assert row.total == 4


def test_rows_of_different_sizes_compare_by_share():
    chart = stacked_rows(
        STATES, [("A", {"achieved": 1, "no_data": 1}), ("B", {"achieved": 10, "no_data": 10})]
    )
    assert [s.width for s in chart.rows[0].segments] == [s.width for s in chart.rows[1].segments]
    assert chart.rows[1].y > chart.rows[0].y and chart.height > chart.rows[1].y + chart.bar_height


def test_a_sliver_too_narrow_for_its_count_carries_it_in_the_tooltip_only():
    chart = stacked_rows(STATES, [("A", {"achieved": 1, "no_data": 99})])
    sliver, wide = chart.rows[0].segments
    assert not sliver.shows_text and wide.shows_text


def test_a_row_with_nothing_has_no_segments():
    assert stacked_rows(STATES, [("Trống", {})]).rows[0].segments == []


def test_columns_rise_in_proportion_to_a_rounded_axis():
    series = [Series("met", "Chỉ tiêu đạt"), Series("tasks_done", "Nhiệm vụ hoàn thành")]
    chart = column_chart(series, [("2026-Q3", [4, 7]), ("2026-Q4", [3, 1])], height=240)
    plot_height = 240 - 20 - 30
    tallest = max(chart.columns, key=lambda c: c.value)
    assert tallest.value == 7 and tallest.height == round(plot_height * 7 / 8, 1)  # the axis tops out at 8
    assert all(c.y + c.height == pytest.approx(chart.baseline) for c in chart.columns)
    assert [value for _y, value in chart.gridlines] == [2, 4, 6, 8]
    assert [label.text for label in chart.labels] == ["2026-Q3", "2026-Q4"]
    first_group = [c.x for c in chart.columns[:2]]
    assert first_group[0] < first_group[1] < chart.columns[2].x


def test_a_chart_of_zeros_draws_flat_columns_and_no_gridlines():
    chart = column_chart([Series("communes", "Số xã")], [("0-20%", [0]), ("20-40%", [0])])
    assert all(c.height == 0 for c in chart.columns) and chart.gridlines == []


def test_series_shown_together_differ_by_pattern_not_only_by_colour():
    assert {pattern for _colour, pattern in STYLES.values()} <= set(PATTERNS)
    for keys in (
        ["achieved", "exceeded", "not_achieved", "no_data"],
        ["done", "on_track", "behind", "overdue", "no_data"],
        ["met", "tasks_done"],
    ):
        patterns = [STYLES[key][1] for key in keys]
        assert len(set(patterns)) == len(keys), keys


@pytest.mark.parametrize(
    "share,text", [(None, "—"), (0.0, "0%"), (0.815, "81,5%"), (1 / 3, "33,3%"), (0.5, "50%"), (1.0, "100%")]
)
def test_shares_print_as_vietnamese_percentages(share, text):
    from dashboards.templatetags.dashboards import percent

    assert percent(share) == text


def test_counts_print_with_dot_grouping():
    from dashboards.templatetags.dashboards import count

    assert [count(n) for n in (0, 999, 1234, 1234567)] == ["0", "999", "1.234", "1.234.567"]


@pytest.mark.parametrize("peak,top", [(1, 4), (7, 8), (9, 12), (109, 120), (130, 160), (2500, 2400 + 800)])
def test_the_axis_tops_out_at_four_round_steps(peak, top):
    chart = column_chart([Series("communes", "Số xã")], [("0-20%", [peak])])
    values = [value for _y, value in chart.gridlines]
    assert values[-1] == top and values == [top // 4 * n for n in range(1, 5)]
