"""One truth: for every commune and period, the report's PDF, every sheet of its workbook, the commune
dashboard, the unit view and the province roll-up count the same verdicts, and they are the stated rule's
(the approved result of the period; for a cumulative indicator, the latest approved one up to its end)."""

import datetime as dt
import io
import re
import subprocess
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from dashboards import selectors as dashboards
from dashboards.xlsx import rollup_workbook
from devdata import scale
from indicators.models import Indicator, IndicatorResult
from indicators.services import indicator_result_approve, indicator_result_save
from plans.models import ReportingPeriod
from plans.workflow import AssignmentRole, WorkflowStatus
from reports import content as report_content_module
from reports import pdf, selectors, xlsx
from reports.models import Report
from tasks.models import Task, TaskProgress, TaskUpdate
from tests import builders
from tracking.selectors import IndicatorState
from units.models import Commune, Unit

TODAY = dt.date(2026, 12, 20)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


MET, NOT_MET, NONE = "met", "not_achieved", "none"
WORDS = {"Đạt": MET, "Vượt": MET, "Chưa đạt": NOT_MET}
TASK_TALLY = re.compile(
    r"(\d+) hoàn thành; (\d+) đúng tiến độ; (\d+) chậm tiến độ; (\d+) quá hạn; "
    r"(\d+) chưa triển khai, chưa duyệt"
)
TASK_STATES = ("done", "on_track", "behind", "overdue", "no_data")
TASK_WORDS = dict(
    zip(
        ("Hoàn thành", "Đúng tiến độ", "Chậm tiến độ", "Quá hạn", "Chưa triển khai, chưa duyệt"),
        TASK_STATES,
        strict=True,
    )
)
TALLY = re.compile(r"Tổng hợp: Đạt (\d+)/(\d+) chỉ tiêu; chưa đạt (\d+); chưa có số liệu (\d+)")


def _counts(met: int, not_met: int, total: int) -> tuple[int, int, int]:
    return (met, not_met, total)


def _by_rule(indicators: list[Indicator], period: ReportingPeriod) -> tuple[int, int, int]:
    """The rule in plain Python, straight from the entries: what every output must agree with."""
    verdicts = Counter()
    for indicator in indicators:
        approved = IndicatorResult.objects.filter(indicator=indicator, status=WorkflowStatus.APPROVED)
        if indicator.is_cumulative:
            result = approved.filter(period__end__lte=period.end).order_by("-period__end", "-pk").first()
        else:
            result = approved.filter(period=period).first()
        verdict = result.verdict if result else ""
        verdicts[MET if verdict in ("achieved", "exceeded") else verdict or NONE] += 1
    return _counts(verdicts[MET], verdicts[NOT_MET], len(indicators))


def _task_state(task: Task, period: ReportingPeriod, as_of: dt.date) -> str:
    """The task rule in plain Python: done wins, then a passed deadline, then the approved progress."""
    update = TaskUpdate.objects.filter(task=task, period=period, status=WorkflowStatus.APPROVED).first()
    progress = update.progress if update else ""
    if progress == TaskProgress.DONE:
        return "done"
    if task.is_overdue(as_of):
        return "overdue"
    return {TaskProgress.BEHIND: "behind", TaskProgress.IN_PROGRESS: "on_track"}.get(progress, "no_data")


def _task_counts(states) -> tuple[int, ...]:
    found = Counter(states)
    return tuple(found[state] for state in TASK_STATES)


def _words(values) -> tuple[int, int, int]:
    found = Counter(WORDS.get(v, NONE) for v in values)
    return _counts(found[MET], found[NOT_MET], sum(found.values()))


def _pdf_flat(data: bytes) -> str:
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-", "-"],  # noqa: S607
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return " ".join(text.replace("\u00a0", " ").split())


def _pdf_counts(data: bytes) -> dict[str, tuple[int, int, int]]:
    text = _pdf_flat(data)
    summary = re.search(r"Đạt (\d+)/(\d+) chỉ tiêu", text)
    tallies = TALLY.findall(text)
    assert summary and len(tallies) == 2, "the PDF lost its summary line or an appendix's closing row"
    (met1, total1, not1, _n1), (met3, total3, not3, _n3) = tallies
    narrative = re.search(r"Về chỉ tiêu: đạt (\d+)/(\d+) chỉ tiêu", text)
    found = {
        "PDF tóm tắt": (int(summary[1]), None, int(summary[2])),
        "PDF Phụ lục I": _counts(int(met1), int(not1), int(total1)),
        "PDF Phụ lục III": _counts(int(met3), int(not3), int(total3)),
    }
    if narrative:
        found["PDF Đánh giá chung"] = (int(narrative[1]), None, int(narrative[2]))
    tasks = TASK_TALLY.findall(text)
    assert len(tasks) == 2, "the PDF lost its task counts on page 1 or in Phụ lục II"
    found["PDF nhiệm vụ, trang 1"] = tuple(map(int, tasks[0]))
    found["PDF nhiệm vụ, Phụ lục II"] = tuple(map(int, tasks[1]))
    return found


def _xlsx_counts(data: bytes) -> dict[str, tuple[int, int, int]]:
    wb = load_workbook(io.BytesIO(data))
    summary = {row[0]: row[1] for row in wb["Tổng hợp"].iter_rows(min_row=6, values_only=True)}
    met, total = map(int, re.match(r"Đạt (\d+)/(\d+)", summary["Chỉ tiêu đạt"]).groups())
    indicators = [
        row[4]
        for row in wb["Chỉ tiêu"].iter_rows(min_row=5, values_only=True)
        if row[1] and row[4] is not None
    ]
    trend = wb["Mục tiêu - Thực hiện"]
    trend_rows = [row[-1] for row in trend.iter_rows(min_row=5, values_only=True) if row[1]]
    task_rows = [row[9] for row in wb["Nhiệm vụ"].iter_rows(min_row=5, values_only=True) if row[9]]
    return {
        "XLSX Nhiệm vụ": _task_counts(TASK_WORDS[v] for v in task_rows),
        "XLSX Tổng hợp, nhiệm vụ": tuple(summary[f"Nhiệm vụ: {label.lower()}"] for label in TASK_WORDS),
        "XLSX Tổng hợp": (met, None, total),
        "XLSX Chỉ tiêu": _words(indicators),
        "XLSX Mục tiêu - Thực hiện": _words(trend_rows),
    }


def _agrees(counts: tuple, expected: tuple[int, int, int]) -> bool:
    """A summary line says met and total only (`None` in the middle): those two must agree."""
    if counts[1] is None:
        return (counts[0], counts[2]) == (expected[0], expected[2])
    return counts == expected


def _rollup_xlsx_counts(commune, period, as_of) -> dict[str, tuple]:
    """The province's workbook: the commune's row, its totals and the per-pillar column pairs."""
    rollup = dashboards.province_rollup(
        province=commune.province, code=period.code, today=as_of, by_pillar=True
    )
    sheet = load_workbook(io.BytesIO(rollup_workbook(rollup))).active
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == str(commune))
    pillars = [v for h, v in zip(header, row, strict=True) if h.endswith(": đạt, vượt") and h != header[7]]
    return {
        "XLSX tổng hợp tỉnh": (row[7], None, row[8]),
        "XLSX tổng hợp tỉnh, theo trụ cột": (sum(pillars), None, row[8]),
        "XLSX tổng hợp tỉnh, nhiệm vụ hoàn thành, chậm, quá hạn, tổng": tuple(row[10:14]),
    }


def _tally_counts(tally: dashboards.Tally) -> tuple[int, int, int]:
    return _counts(tally.met, tally.counts[IndicatorState.NOT_ACHIEVED], tally.total)


def _task_tally(tally: dashboards.Tally) -> tuple[int, ...]:
    return tuple(tally.counts[state] for state in TASK_STATES)


def disagreements(commune: Commune, period: ReportingPeriod, *, render_pdf: bool = True) -> list[str]:
    """Every output whose count differs from the rule's, as `name: found ≠ expected`."""
    plan = dashboards.dashboard_plan(commune, period)
    if plan is None:
        return []
    indicators = list(Indicator.objects.filter(plan=plan))
    expected = _by_rule(indicators, period)
    report = selectors.report_or_preview(plan, period, TODAY)
    as_of = report.report_date  # a report speaks of the deadlines passed on its date; so is the board read
    tasks = list(Task.objects.filter(plan=plan))
    expected_tasks = _task_counts(_task_state(t, period, as_of) for t in tasks)
    content = selectors.report_content(report)
    found = {**_xlsx_counts(xlsx.render_xlsx(content))}
    if render_pdf:
        found.update(_pdf_counts(pdf.render_pdf(content)))
    board = dashboards.commune_dashboard(
        commune=commune, plan=plan, period=period, today=as_of, reports=Report.objects.none()
    )
    found["Bảng điều khiển xã, nhiệm vụ"] = _task_tally(board.tasks)
    task_pillars = [_task_tally(p.tasks) for p in board.pillars]
    found["Bảng điều khiển xã, nhiệm vụ theo trụ cột"] = tuple(map(sum, zip(*task_pillars, strict=True)))
    found["Bảng điều khiển xã"] = _tally_counts(board.indicators)
    point = next(p for p in board.trend if p.code == period.code)
    found["Bảng điều khiển xã, xu hướng"] = (point.indicators_met, None, expected[2])
    pillars = [_tally_counts(p.indicators) for p in board.pillars]
    found["Bảng điều khiển xã, theo trụ cột"] = tuple(sum(c[i] for c in pillars) for i in range(3))
    rollup = dashboards.province_rollup(province=commune.province, code=period.code, today=as_of)
    row = next(r for r in rollup.rows if r.commune == commune)
    found["Tổng hợp tỉnh"] = _tally_counts(row.indicators)
    found["Tổng hợp tỉnh, nhiệm vụ"] = _task_tally(row.tasks)
    rollup_sheet = _rollup_xlsx_counts(commune, period, as_of)
    done, _on_track, behind, overdue, _no_data = expected_tasks
    expected_sheet = (done, behind, overdue, sum(expected_tasks))
    task_sheet = rollup_sheet.pop("XLSX tổng hợp tỉnh, nhiệm vụ hoàn thành, chậm, quá hạn, tổng")
    found.update(rollup_sheet)
    problems = [
        f"{commune} {period.code} {name}: {counts} ≠ {expected}"
        for name, counts in found.items()
        if not _agrees(counts, expected_tasks if "nhiệm vụ" in name.lower() else expected)
    ]
    if task_sheet != expected_sheet:
        problems.append(
            f"{commune} {period.code} XLSX tổng hợp tỉnh, nhiệm vụ: {task_sheet} ≠ {expected_sheet}"
        )
    for unit in Unit.objects.filter(
        indicator_assignments__role=AssignmentRole.LEAD, indicator_assignments__indicator__plan=plan
    ).distinct():
        led = [i for i in indicators if i.assignments.filter(unit=unit, role=AssignmentRole.LEAD).exists()]
        view = dashboards.commune_dashboard(
            commune=commune, plan=plan, period=period, today=as_of, reports=Report.objects.none(), unit=unit
        )
        if _tally_counts(view.indicators) != _by_rule(led, period):
            problems.append(f"{commune} {period.code} đơn vị {unit}: {_tally_counts(view.indicators)}")
    # Per unit, a task with two lead units counts under each: the unit view and the per-unit table agree
    # with the rule over the tasks the unit leads.
    per_unit = {row.unit.pk: _task_tally(row.tasks) for row in board.units}
    for unit in Unit.objects.filter(
        task_assignments__role=AssignmentRole.LEAD, task_assignments__task__plan=plan
    ).distinct():
        led = [t for t in tasks if t.assignments.filter(unit=unit, role=AssignmentRole.LEAD).exists()]
        rule = _task_counts(_task_state(t, period, as_of) for t in led)
        view = dashboards.commune_dashboard(
            commune=commune, plan=plan, period=period, today=as_of, reports=Report.objects.none(), unit=unit
        )
        if not (_task_tally(view.tasks) == per_unit.get(unit.pk) == rule):
            problems.append(
                f"{commune} {period.code} nhiệm vụ đơn vị {unit}: {per_unit.get(unit.pk)} ≠ {rule}"
            )
    return problems


def _every_commune_period():
    for commune in Commune.objects.order_by("name"):
        for period in ReportingPeriod.objects.for_commune(commune).order_by("start"):
            yield commune, period


def test_report_and_dashboards_count_the_same_verdicts_on_the_demo_data(db, media):
    call_command("load_seed_plans", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    problems = [p for commune, period in _every_commune_period() for p in disagreements(commune, period)]
    assert problems == []


def test_nghia_dan_fourth_quarter_says_the_same_count_in_every_table(db, media):
    call_command("load_seed_plans", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    commune = Commune.objects.get(name="Nghĩa Đàn")
    period = ReportingPeriod.objects.for_commune(commune).get(year=2026, kind="quarter", number=4)
    plan = dashboards.dashboard_plan(commune, period)
    content = selectors.report_content(selectors.report_or_preview(plan, period, TODAY))
    data = pdf.render_pdf(content)
    counts = _pdf_counts(data)
    assert (
        counts["PDF Phụ lục I"] == counts["PDF Phụ lục III"] == _by_rule(list(plan.indicators.all()), period)
    )
    assert " ".join(report_content_module.VERDICT_RULE.split()) in _pdf_flat(data)


def test_the_scale_generators_data_agrees_everywhere(db, media):
    scale.province_build(communes=3, months=2, seed=1, password="x")
    problems = []
    for commune in Commune.objects.filter(province__name=scale.PROVINCE_NAME).order_by("name"):
        for period in ReportingPeriod.objects.for_commune(commune).order_by("start"):
            has_data = IndicatorResult.objects.filter(
                period=period, indicator__plan__commune=commune
            ).exists()
            problems += disagreements(commune, period, render_pdf=has_data)
    assert problems == []


def test_the_check_fails_when_phu_luc_iii_carries_earlier_quarters_forward(db, media, monkeypatch):
    """The old rule of Phụ lục III (the latest approved figure of the year so far) must be caught."""
    call_command("load_seed_plans", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    carried = selectors._trend_row

    def trend_row_carrying_forward(indicator, columns):
        row = carried(indicator, columns)
        approved = [r for r in indicator.report_entries if r.status == WorkflowStatus.APPROVED]
        latest = next((r for r in reversed(approved) if r.period_id in {p.id for p in columns}), None)
        return report_content_module.TrendRow(
            **{**row.__dict__, "verdict": latest.verdict if latest else "", "has_data": latest is not None}
        )

    monkeypatch.setattr(selectors, "_trend_row", trend_row_carrying_forward)
    commune = Commune.objects.get(name="Nghĩa Đàn")
    period = ReportingPeriod.objects.for_commune(commune).get(year=2026, kind="quarter", number=4)
    assert any("Mục tiêu - Thực hiện" in p for p in disagreements(commune, period, render_pdf=False))


def test_the_check_fails_when_a_dashboard_ignores_the_cumulative_rule(world, media, monkeypatch):
    """A cumulative indicator keeps its last approved figure; a dashboard reading only the period's entry
    is caught."""
    q3 = builders.period(world.commune, "2026-Q3")
    world.indicator.is_cumulative = True
    world.indicator.save(update_fields=["is_cumulative"])
    result = indicator_result_save(
        indicator=world.indicator, period=q3, actor=world.clerk, value=Decimal(95), submit=True
    )
    indicator_result_approve(result=result, actor=world.reviewer)
    assert disagreements(world.commune, world.period) == []
    plan = dashboards.dashboard_plan(world.commune, world.period)
    content = selectors.report_content(selectors.report_or_preview(plan, world.period, TODAY))
    assert content.summary.line == "Đạt 1/1 chỉ tiêu" and content.indicators[0].actual == "95%"

    from tracking import selectors as tracking

    only_own = tracking.indicator_state
    monkeypatch.setattr(dashboards, "indicators_with_state", _own_entry_only(tracking, only_own))
    assert any("Bảng điều khiển xã" in p for p in disagreements(world.commune, world.period))


def _own_entry_only(tracking, indicator_state):
    def indicators_with_state(indicators, period_ids, *, as_of):
        return tracking.with_period_entry(indicators, "results", period_ids).annotate(
            state=indicator_state(None)
        )

    return indicators_with_state


def test_the_check_fails_when_the_report_forgets_overdue_tasks(db, media, monkeypatch):
    """The report's old task counts (approved progress only, overdue never said) must be caught."""
    call_command("load_seed_plans", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    task_row = selectors._task_row

    def by_progress_only(task, period):
        return report_content_module.TaskRow(**{**task_row(task, period).__dict__, "state": ""})

    monkeypatch.setattr(selectors, "_task_row", by_progress_only)
    commune = Commune.objects.get(name="Nghĩa Đàn")
    period = ReportingPeriod.objects.for_commune(commune).get(year=2026, kind="quarter", number=4)
    assert any("XLSX Nhiệm vụ" in p for p in disagreements(commune, period, render_pdf=False))


def test_the_per_unit_table_says_an_item_with_two_lead_units_counts_under_each(world, client):
    client.force_login(world.reviewer)
    page = client.get(reverse("dashboards:commune", args=[world.commune.pk])).content.decode()
    assert 'id="per-unit-note"' in page and "được tính ở mỗi đơn vị" in page
