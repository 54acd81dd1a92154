"""Reads for reports: who sees which report, and the rows a report prints, in a fixed number of queries."""

import datetime as dt

from django.db.models import F, Prefetch, Q, QuerySet

from indicators.models import Indicator, IndicatorResult, Target
from indicators.targets import format_number, format_target
from plans import periods
from plans.models import BudgetSource, Plan, ReportingPeriod, Section
from plans.workflow import WorkflowStatus
from reports import content
from reports.content import BudgetRow, IndicatorRow, ReportContent, TaskRow, TrendRow
from reports.models import Report, ReportStatus
from tasks.models import Task, TaskProgress, TaskUpdate
from tracking.selectors import IndicatorState, counted_result, indicators_with_state, tasks_with_state
from units.models import Commune
from units.scope import Scope

DEFAULT_RECIPIENTS = (
    "Sở Khoa học và Công nghệ tỉnh {province} (b/c)",
    "Thường trực Đảng ủy, Thường trực HĐND {kind} (b/c)",
    "Chủ tịch, các Phó Chủ tịch UBND {kind}",
    "Các phòng, ban, đơn vị thuộc UBND {kind}",
)


# -- who sees what --------------------------------------------------------------------------------------


def is_commune_insider(scope: Scope, commune: Commune) -> bool:
    """The reviewer compiles the report and the leader signs it: they see every version, drafts included."""
    return (
        scope.is_admin or commune.id in scope.reviewer_commune_ids or commune.id in scope.leader_commune_ids
    )


def can_read_reports(scope: Scope, commune: Commune) -> bool:
    """A report holds the whole commune's figures: readers of the whole commune only."""
    return scope.can_read_commune(commune) and scope.reads_whole_commune(commune)


def visible_reports(scope: Scope, commune: Commune) -> QuerySet[Report]:
    """Insiders see every version; the province sees what was sent to it, never a draft."""
    reports = Report.objects.filter(plan__commune=commune)
    return reports if is_commune_insider(scope, commune) else reports.filter(status=ReportStatus.SENT)


def plan_reports(scope: Scope, plan: Plan) -> list[Report]:
    return list(
        visible_reports(scope, plan.commune)
        .filter(plan=plan)
        .select_related("period", "sent_by", "approved_by")
        .order_by("-period__start", "period__kind", "-version")
    )


def report_periods(plan: Plan) -> QuerySet[ReportingPeriod]:
    """The commune's periods (its own and the province-wide ones) that fall within the plan."""
    return (
        ReportingPeriod.objects.for_commune(plan.commune)
        .filter(start__lte=plan.period_end, end__gte=plan.period_start)
        .order_by("-start", "kind")
    )


def find_period(plan: Plan, code: str) -> ReportingPeriod | None:
    """The plan's period for a code (`2025-Q4`); raises ValueError for a malformed code."""
    spec = periods.parse_period_code(code)
    return (
        ReportingPeriod.objects.for_commune(plan.commune)
        .filter(kind=spec.kind, year=spec.year, number=spec.number)
        .order_by(F("commune_id").asc(nulls_last=True))  # the commune's own before a province-wide one
        .first()
    )


def latest_version(plan: Plan, period: ReportingPeriod) -> Report | None:
    return Report.objects.filter(plan=plan, period=period).order_by("-version").first()


# -- rows -----------------------------------------------------------------------------------------------


def _section_label(section: Section) -> str:
    top = section.parent or section
    return f"{top.number}. {top.title}" if top.number else top.title


def _target_for(indicator: Indicator, year: int) -> Target | None:
    targets = list(indicator.targets.all())
    return next((t for t in targets if t.year == year), None) or (
        max(targets, key=lambda t: t.year) if targets else None
    )


def _figure(result: IndicatorResult, target: Target | None) -> str:
    """The approved actual as a person would write it: `81,5%`, `4.227/5.219 (81%)`, `Đạt`, `450 hồ sơ`."""
    if result.numerator is not None and result.denominator:
        return (
            f"{format_number(result.numerator)}/{format_number(result.denominator)} "
            f"({format_number(result.percent)}%)"
        )
    if result.flag is not None:
        return content.ACHIEVED_LABEL if result.flag else content.NOT_ACHIEVED_LABEL
    if result.value is not None:
        figure = format_number(result.value)
        if target is not None and target.is_rate:
            return f"{figure}%"
        unit = target.unit_of_measure if target is not None else ""
        return f"{figure} {unit}".strip()
    return " ".join(result.note.split())


def _baseline(indicator: Indicator, target: Target | None) -> str:
    """The baseline as the plan printed it (`4227/5219 = 81%`), else its value with the target's unit
    (`81,5%`, `350 hồ sơ`), and its year: `4227/5219 = 81% (năm 2024)`."""
    text = indicator.baseline_text
    if not text and indicator.baseline_value is not None:
        figure = format_number(indicator.baseline_value)
        if target is not None and target.is_rate:
            text = f"{figure}%"
        else:
            text = f"{figure} {target.unit_of_measure if target is not None else ''}".strip()
    return f"{text} (năm {indicator.baseline_year})" if text and indicator.baseline_year else text


def _indicators(plan: Plan, period: ReportingPeriod, columns: list[ReportingPeriod]) -> QuerySet[Indicator]:
    """The plan's indicators with their `state` for the period (tracking's rule, the dashboards' too), the
    id of the result that rule counts, and the results the report prints: the columns' and a cumulative
    indicator's earlier approved ones."""
    printed = Q(period__in=columns) | Q(
        indicator__is_cumulative=True, status=WorkflowStatus.APPROVED, period__end__lte=period.end
    )
    return (
        indicators_with_state(Indicator.objects.filter(plan=plan), [period.pk], as_of=period.end)
        .annotate(counted_result_id=counted_result(period.end))
        .select_related("section__parent")
        .prefetch_related(
            "targets",
            Prefetch(
                "results",
                IndicatorResult.objects.filter(printed).order_by("period__start"),
                to_attr="report_entries",
            ),
        )
        .order_by("order")
    )


def _verdict(indicator: Indicator) -> str:
    judged = (IndicatorState.ACHIEVED, IndicatorState.EXCEEDED, IndicatorState.NOT_ACHIEVED)
    return indicator.state if indicator.state in judged else ""


def _counted(indicator: Indicator) -> IndicatorResult | None:
    return next((r for r in indicator.report_entries if r.pk == indicator.counted_result_id), None)


def _indicator_row(indicator: Indicator, period: ReportingPeriod) -> IndicatorRow:
    target = _target_for(indicator, period.year)
    entry = next((r for r in indicator.report_entries if r.period_id == period.id), None)
    counted = _counted(indicator)
    return IndicatorRow(
        section=_section_label(indicator.section),
        number=indicator.number,
        name=indicator.name,
        target=format_target(target.parsed()) if target else "",
        lead=indicator.lead_text,
        baseline=_baseline(indicator, target),
        note=indicator.note,
        entry_state=entry.status if entry else None,
        actual=_figure(counted, target) if counted else "",
        value=counted.effective_value if counted else None,
        is_rate=bool(target and target.is_rate) or (counted is not None and counted.percent is not None),
        verdict=_verdict(indicator),
        counted=counted is not None,
    )


def _task_row(task: Task, period: ReportingPeriod) -> TaskRow:
    entry = task.report_entries[0] if task.report_entries else None
    if entry is None or entry.status != WorkflowStatus.APPROVED:
        return TaskRow(
            section=_section_label(task.section),
            number=task.number,
            description=task.description,
            lead=task.lead_text,
            deadline=task.deadline_text,
            entry_state=entry.status if entry else None,
            state=task.state,
            note=task.note,
        )
    return TaskRow(
        section=_section_label(task.section),
        number=task.number,
        description=task.description,
        lead=task.lead_text,
        deadline=task.deadline_text,
        entry_state=entry.status,
        progress=entry.progress,
        progress_label=str(TaskProgress(entry.progress).label),
        percent=entry.percent_complete,
        results=entry.results,
        difficulties=entry.difficulties,
        proposals=entry.proposals,
        state=task.state,
        note=task.note,
    )


def trend_periods(plan: Plan, period: ReportingPeriod) -> list[ReportingPeriod]:
    """The periods of the year so far shown beside the target: months or quarters like the report's own;
    a half-year or annual report shows the quarters and itself."""
    kinds = (
        {period.kind} if period.kind in (periods.MONTH, periods.QUARTER) else {periods.QUARTER, period.kind}
    )
    found = (
        ReportingPeriod.objects.for_commune(plan.commune)
        .filter(year=period.year, kind__in=kinds, end__lte=period.end)
        .order_by("start", "-end")
    )
    # A commune period and a province-wide one with the same code: the commune's own wins, except for the
    # report's own period, whichever it is, since that is where this report's entries are.
    by_code: dict[str, ReportingPeriod] = {}
    for candidate in found:
        if candidate.code not in by_code or candidate.commune_id:
            by_code[candidate.code] = candidate
    by_code[period.code] = period
    return list(by_code.values())


def _trend_row(indicator: Indicator, columns: list[ReportingPeriod]) -> TrendRow:
    """Each column's approved figure; the verdict is the report period's, by the same rule as Phụ lục I."""
    target = _target_for(indicator, columns[-1].year)
    approved = {r.period_id: r for r in indicator.report_entries if r.status == WorkflowStatus.APPROVED}
    values = [_figure(approved[p.id], target) if p.id in approved else "" for p in columns]
    return TrendRow(
        number=indicator.number,
        name=indicator.name,
        baseline=_baseline(indicator, target),
        target=format_target(target.parsed()) if target else "",
        values=values,
        verdict=_verdict(indicator),
        has_data=_counted(indicator) is not None,
    )


def report_rows(
    plan: Plan, period: ReportingPeriod, as_of: dt.date
) -> tuple[list[IndicatorRow], list[TaskRow], list[BudgetRow], list[ReportingPeriod], list[TrendRow]]:
    """The appendix rows, the budget and the target-against-actual table (six queries whatever the size).

    A task's state is the dashboards' (done, on track, behind, overdue, not reported) as of `as_of`, the
    report's date: the document speaks of the deadlines passed on the day it is signed."""
    columns = trend_periods(plan, period)
    indicators = list(_indicators(plan, period, columns))
    tasks = (
        tasks_with_state(Task.objects.filter(plan=plan), [period.pk], as_of)
        .select_related("section__parent")
        .prefetch_related(
            Prefetch("updates", TaskUpdate.objects.filter(period=period), to_attr="report_entries")
        )
        .order_by("order")
    )
    # Up to the report's year: a plan that opens with the previous year's assessment carries that year's
    # spending (Định Tiến's 2025 plan, 2024's 481.179.000 đồng); the report prints each year apart.
    budget = [
        BudgetRow(
            source=str(BudgetSource(line.source).label),
            item=line.item,
            planned=line.planned_amount,
            spent=line.spent_amount,
            year=line.year,
        )
        for line in plan.budget_lines.filter(year__lte=period.year).order_by("year", "order")
    ]
    return (
        [_indicator_row(i, period) for i in indicators],
        [_task_row(t, period) for t in tasks],
        budget,
        columns,
        [_trend_row(i, columns) for i in indicators],
    )


# -- the whole report -----------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _intro(plan: Plan, label: str) -> str:
    commune = plan.commune
    reference = f"Kế hoạch số {plan.number}" if plan.number else "Kế hoạch"
    if plan.issue_date:
        reference += f" ngày {plan.issue_date:%d/%m/%Y}"
    reference += f" của Ủy ban nhân dân {commune} về {_lower_first(plan.title.rstrip('.'))}"
    return f"Thực hiện {reference}, Ủy ban nhân dân {commune} báo cáo kết quả thực hiện {label} như sau:"


def _correction_note(report: Report) -> str:
    if report.version <= 1:
        return ""
    previous = report.corrects
    reference = f" số {content.document_number(previous.number)}" if previous and previous.number else ""
    return (
        f"Báo cáo này (phiên bản {report.version}) thay thế báo cáo{reference} đã gửi trước đó. "
        f"Lý do đính chính: {report.correction_reason}"
    )


def label_of(period: ReportingPeriod) -> str:
    return content.period_label(period.kind, period.year, period.number)


def report_content(report: Report) -> ReportContent:
    """Everything the report prints: its own fields (frozen text) and the approved entries of its period."""
    plan, period = report.plan, report.period
    commune = plan.commune
    indicators, tasks, budget, columns, trend = report_rows(plan, period, report.report_date)
    return ReportContent(
        issuing_body=commune.committee_name,
        commune_name=str(commune),
        province_name=commune.province.name,
        number=content.document_number(report.number),
        date_line=content.date_line(report.place or commune.name, report.report_date),
        report_date=report.report_date,
        subject=report.subject,
        intro=_intro(plan, label_of(period)),
        period_code=period.code,
        period_label=label_of(period),
        year=period.year,
        version=report.version,
        correction_note=_correction_note(report),
        narrative={name: getattr(report, name) for name, _title in content.NARRATIVE_SECTIONS},
        signer_authority=report.signer_authority,
        signer_title=report.signer_title,
        signer_name=report.signer_name,
        recipients=content.recipient_lines(report.recipient_list),
        indicators=indicators,
        tasks=tasks,
        budget=budget,
        trend_periods=[content.period_short_label(p.kind, p.year, p.number) for p in columns],
        trend=trend,
        # Unsigned until its files are stored at approval: the leader's preview of a submitted report, or a
        # report whose files are still being made, carries the draft mark too.
        is_draft=report.status not in (ReportStatus.APPROVED, ReportStatus.SENT),
    )


def draft_values(plan: Plan, period: ReportingPeriod, today: dt.date) -> dict[str, object]:
    """The fields of a new report: the plan's signer, the usual recipients, narrative from the entries."""
    commune = plan.commune
    indicators, tasks, *_rest = report_rows(plan, period, today)
    label = label_of(period)
    narrative = content.prefill_narrative(
        indicators=indicators,
        tasks=tasks,
        period_label=label,
        commune_name=str(commune),
        done=TaskProgress.DONE,
        behind=TaskProgress.BEHIND,
        in_progress=TaskProgress.IN_PROGRESS,
        not_started=TaskProgress.NOT_STARTED,
    )
    recipients = [
        line.format(province=commune.province.name, kind=commune.kind_label) for line in DEFAULT_RECIPIENTS
    ]
    return {
        "report_date": today,
        "place": plan.place or commune.name,
        "subject": f"Kết quả thực hiện công tác chuyển đổi số {label}",
        "signer_authority": plan.signer_authority or "TM. ỦY BAN NHÂN DÂN",
        "signer_title": plan.signer_title or "CHỦ TỊCH",
        "signer_name": plan.signer_name,
        "recipients": "\n".join([*recipients, content.LAST_RECIPIENT]),
        **narrative,
    }


def report_or_preview(plan: Plan, period: ReportingPeriod, today: dt.date) -> Report:
    """The latest version for the period, or an unsaved draft of what a new report would say."""
    return latest_version(plan, period) or Report(
        plan=plan, period=period, version=1, status=ReportStatus.DRAFT, **draft_values(plan, period, today)
    )
