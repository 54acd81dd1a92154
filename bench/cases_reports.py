"""Reports to the province: the commune's quarterly PDF and XLSX, and the same for a 200 + 200 plan.

Goals (issue 4): commune PDF ≤ 1.5 s, XLSX ≤ 0.3 s, 200 + 200 PDF ≤ 5 s. The commune is found generically:
Nghĩa Đàn's plan with a quarter period (demo data), else the first commune of the scale province with one,
else any plan with a quarter period. The big plan is built inside a transaction that is rolled back.
"""

import itertools
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from indicators.models import Indicator, IndicatorResult, Target
from indicators.targets import parse_target
from plans import periods
from plans.models import Plan, ReportingPeriod, Section, SectionKind
from plans.workflow import WorkflowStatus
from reports import pdf, selectors, xlsx
from tasks.models import Task, TaskProgress, TaskUpdate
from units.models import Commune

SCALE_PROVINCE = "QM"  # the scale data contract: province "Tỉnh Quy Mô", code QM
BIG = 200


def _quarter_of(plan: Plan) -> ReportingPeriod | None:
    """The latest finished (locked) quarter of the plan, else its latest quarter."""
    quarters = selectors.report_periods(plan).filter(kind=periods.QUARTER)
    return quarters.filter(locked_at__isnull=False).first() or quarters.first()


def _commune_plan() -> tuple[Plan, ReportingPeriod] | None:
    candidates = itertools.chain(
        Plan.objects.filter(commune__name="Nghĩa Đàn").order_by("-target_year"),
        Plan.objects.filter(commune__province__code=SCALE_PROVINCE).order_by("commune__code", "-target_year"),
        Plan.objects.order_by("pk"),
    )
    for plan in candidates:
        period = _quarter_of(plan)
        if period is not None:
            return plan, period
    return None


def _measure_pair(bench, label: str, plan: Plan, period: ReportingPeriod, pdf_repeat: int) -> None:
    report = selectors.report_or_preview(plan, period, timezone.localdate())
    content = selectors.report_content(report)
    pages = len(pdf.render_document(content).pages)
    extra = {
        "indicators": len(content.indicators),
        "tasks": len(content.tasks),
        "approved_indicators": sum(1 for row in content.indicators if row.approved),
        "pages": pages,
        "cpu_ref_ms": _cpu_reference(),
    }
    bench.measure(
        f"reports: {label} PDF",
        lambda: pdf.render_pdf(selectors.report_content(report)),
        repeat=pdf_repeat,
        warmup=1,
        memory=True,
        extra=extra,
    )
    bench.measure(
        f"reports: {label} XLSX",
        lambda: xlsx.render_xlsx(selectors.report_content(report)),
        repeat=10,
        warmup=1,
        memory=True,
        extra=extra,
    )


def _cpu_reference() -> float:
    """How fast this machine is right now: a fixed pure-Python loop, to compare runs across machines."""
    start = time.perf_counter()
    sum(range(10**6))
    return round((time.perf_counter() - start) * 1000, 1)


def _big_plan(commune: Commune, period: ReportingPeriod, author) -> Plan:
    """200 indicators and 200 tasks in 10 sections each, every one with an approved entry for the period."""
    plan = Plan.objects.create(
        commune=commune,
        title="Kế hoạch đo hiệu năng báo cáo (200 chỉ tiêu, 200 nhiệm vụ)",
        period_start=period.start.replace(month=1, day=1),
        period_end=period.end.replace(month=12, day=31),
        target_year=period.year,
    )
    sections = {
        kind: [
            Section.objects.create(
                plan=plan, kind=kind, number=str(n), title=f"Nhóm {n} về chuyển đổi số", order=n
            )
            for n in range(1, 11)
        ]
        for kind in (SectionKind.INDICATORS, SectionKind.TASKS)
    }
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            section=sections[SectionKind.INDICATORS][n % 10],
            number=str(n + 1),
            name=f"Tỷ lệ hồ sơ thủ tục hành chính được số hóa, kết nối, chia sẻ dữ liệu số {n + 1}",
            lead_text="Trung tâm Phục vụ hành chính công; Văn phòng HĐND và UBND",
            order=n + 1,
        )
        for n in range(BIG)
    )
    target = parse_target("≥80%")
    Target.objects.bulk_create(
        Target(
            indicator=i,
            year=period.year,
            raw_text=target.raw,
            kind=target.kind,
            comparator=target.comparator,
            value=target.value,
            unit_of_measure=target.unit,
        )
        for i in indicators
    )
    tasks = Task.objects.bulk_create(
        Task(
            plan=plan,
            section=sections[SectionKind.TASKS][n % 10],
            number=str(n + 1),
            description=f"Triển khai nền tảng số dùng chung, đào tạo kỹ năng số cho người dân {n + 1}",
            lead_text="Phòng Văn hóa - Xã hội",
            deadline_text="Quý 4/2026",
            order=n + 1,
        )
        for n in range(BIG)
    )
    now = timezone.now()
    IndicatorResult.objects.bulk_create(
        IndicatorResult(
            indicator=i,
            period=period,
            value=Decimal(70 + n % 30),
            verdict="achieved" if 70 + n % 30 >= 80 else "not_achieved",
            status=WorkflowStatus.APPROVED,
            author=author,
            reviewed_by=author,
            reviewed_at=now,
        )
        for n, i in enumerate(indicators)
    )
    TaskUpdate.objects.bulk_create(
        TaskUpdate(
            task=t,
            period=period,
            progress=TaskProgress.IN_PROGRESS,
            percent_complete=50,
            results="Đã triển khai một nửa khối lượng công việc theo kế hoạch.",
            status=WorkflowStatus.APPROVED,
            author=author,
            reviewed_by=author,
            reviewed_at=now,
        )
        for t in tasks
    )
    return plan


class _RolledBack(Exception):
    pass


def run(bench) -> None:
    # Skip building the big plan for filters meant for other topics.
    if not bench.wants_topic("reports: "):
        return
    found = _commune_plan()
    if found is None:
        raise SystemExit("cases_reports: no plan with a quarter period (load_demo_data or seed_scale first).")
    plan, period = found
    _measure_pair(bench, f"{plan.commune} {period.code}", plan, period, pdf_repeat=5)

    author = get_user_model().objects.order_by("pk").first()
    try:
        with transaction.atomic():
            big = _big_plan(plan.commune, period, author)
            _measure_pair(bench, f"{BIG}+{BIG} plan {period.code}", big, period, pdf_repeat=3)
            raise _RolledBack  # leave the database as it was
    except _RolledBack:
        pass
