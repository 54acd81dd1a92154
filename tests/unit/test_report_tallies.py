"""The closing rows of the report's tables, counted from their own rows, without a database."""

from dataclasses import replace

from reports import content
from tests.unit.test_report_content import _content, indicator, task
from tracking.selectors import TaskState


def _overdue(number):
    return replace(task(number, progress="behind"), state=content.TASK_OVERDUE)


def test_task_states_are_the_dashboards_states_with_their_words():
    assert list(content.TASK_STATE_LABELS) == list(TaskState.values)
    assert list(content.TASK_STATE_LABELS.values()) == [str(label) for label in TaskState.labels]


def test_an_overdue_task_is_counted_overdue_and_said_so_in_the_narrative():
    tasks = [
        task("1"),
        task("2", progress="in_progress"),
        _overdue("3"),
        task("4", state=None),
    ]
    c = _content([], tasks)
    assert c.summary.task_tally == (
        "1 hoàn thành; 1 đúng tiến độ; 0 chậm tiến độ; 1 quá hạn; 1 chưa triển khai, chưa duyệt"
    )
    text = content.prefill_narrative(
        indicators=[],
        tasks=tasks,
        period_label="quý I năm 2026",
        commune_name="xã Nghĩa Đàn",
        done="done",
        behind="behind",
        in_progress="in_progress",
        not_started="not_started",
    )
    assert "1 quá hạn" in text["overall_assessment"]
    assert "Nhiệm vụ 3. Nhiệm vụ 3: quá hạn (thời hạn Quý 4/2026)." in text["shortcomings"]
    assert "chậm tiến độ (đạt" not in text["shortcomings"]


def test_an_earlier_result_of_a_cumulative_indicator_counts_though_the_period_has_none():
    carried = replace(indicator("1", verdict="achieved"), entry_state=None, counted=True)
    c = _content([carried, indicator("2", verdict="not_achieved")], [])
    assert c.summary.line == "Đạt 1/2 chỉ tiêu"
    assert c.summary.tally == "Đạt 1/2 chỉ tiêu; chưa đạt 1; chưa có số liệu 0"
    assert carried.verdict_label == "Đạt" and c.verdict_rule == content.VERDICT_RULE
