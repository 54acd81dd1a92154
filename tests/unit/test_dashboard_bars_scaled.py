"""The dashboards' bars: each as long as its total against the largest row, every count written somewhere."""

from dashboards.charts import MIN_TEXT_WIDTH, OUTSIDE_TEXT_STEP, Series, stacked_rows

STATES = [Series("achieved", "Đạt"), Series("not_achieved", "Chưa đạt"), Series("no_data", "Chưa có số liệu")]


def test_a_scaled_bar_is_as_long_as_its_total():
    chart = stacked_rows(
        STATES,
        [("Toàn kế hoạch", {"achieved": 20, "no_data": 20}), ("Hạ tầng số", {"achieved": 5, "no_data": 5})],
        width=460,
        label_width=140,
        scaled=True,
    )
    whole, pillar = (sum(s.width for s in row.segments) for row in chart.rows)
    assert whole == 460 - 140 - 40 and pillar == whole / 4


def test_small_segments_carry_their_count_above_the_bar_without_overlapping():
    chart = stacked_rows(
        STATES, [("A", {"achieved": 1, "not_achieved": 1, "no_data": 98})], scaled=True, gap=10
    )
    first, second, wide = chart.rows[0].segments
    assert first.width < MIN_TEXT_WIDTH and first.outside_x is not None and second.outside_x is not None
    assert second.outside_x - first.outside_x >= OUTSIDE_TEXT_STEP
    assert wide.shows_text and wide.outside_x is None
    assert chart.rows[0].y >= 16  # room above the first bar for those counts
