"""Writes for reports: draft, edit, approve, return, send (which freezes the files) and correct.

Who does what (one choice, kept here so views, commands and tests share it): Phòng Văn hóa - Xã hội (the
reviewer, the standing agency that compiles the report) drafts, edits, sends and corrects; the commune leader
who signs approves it or returns it to draft. Approving stores the exact PDF and XLSX the leader approved
(number and date included); sending marks those same bytes as sent, so what reaches the province is what was
signed, whatever the live data do in between. Returning to draft discards them. A sent version never changes
again, and a correction is a new version with its reason.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from plans.models import Plan, ReportingPeriod
from reports import files, pdf, selectors, xlsx
from reports.models import Report, ReportStatus
from units.scope import scope_for

EDITABLE_FIELDS = (
    "number",
    "report_date",
    "place",
    "subject",
    "overall_assessment",
    "results_by_area",
    "shortcomings",
    "difficulties",
    "proposals",
    "next_tasks",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)


def can_compile(user, plan: Plan) -> bool:
    return scope_for(user).can_review(plan.commune)


def can_sign(user, plan: Plan) -> bool:
    scope = scope_for(user)
    return scope.is_admin or plan.commune_id in scope.leader_commune_ids


def _ensure_compiler(actor, plan: Plan) -> None:
    if not can_compile(actor, plan):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội của xã mới được lập và gửi báo cáo.")


def _ensure_signer(actor, plan: Plan) -> None:
    if not can_sign(actor, plan):
        raise PermissionDenied("Chỉ lãnh đạo UBND xã mới được duyệt báo cáo.")


def _lock_plan(plan: Plan) -> None:
    # Two clerks creating version 2 at once: the second waits and then sees the first one's row.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()


@transaction.atomic
def report_create(*, plan: Plan, period: ReportingPeriod, actor, today: dt.date | None = None) -> Report:
    """A draft for the period with the narrative prefilled from the approved entries."""
    _ensure_compiler(actor, plan)
    if not selectors.report_periods(plan).filter(pk=period.pk).exists():
        raise ValidationError({"period": "Kỳ báo cáo không thuộc kế hoạch này."})
    _lock_plan(plan)
    if Report.objects.filter(plan=plan, period=period).exists():
        raise ValidationError(
            {"period": f"Đã có báo cáo kỳ {period.code}; mở báo cáo đó hoặc lập bản đính chính."}
        )
    values = selectors.draft_values(plan, period, today or timezone.localdate())
    report = Report(plan=plan, period=period, version=1, created_by=actor, **values)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_update(*, report: Report, actor, **fields) -> Report:
    _ensure_compiler(actor, report.plan)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Chỉ sửa được báo cáo đang là dự thảo.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Không sửa được trường: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_approve(*, report: Report, actor) -> Report:
    """Approve and store the exact PDF and XLSX approved: sending later sends these bytes."""
    _ensure_signer(actor, report.plan)
    report = (
        Report.objects.select_for_update()
        .select_related("plan__commune__province", "period")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Chỉ duyệt được báo cáo đang là dự thảo.")
    # The number and date are printed on the document the leader signs, so they must be there now.
    if not report.number.strip() or report.report_date is None:
        raise ValidationError({"number": "Cần ghi số, ký hiệu và ngày báo cáo trước khi trình duyệt."})
    report.status = ReportStatus.APPROVED
    report.approved_by, report.approved_at = actor, timezone.now()
    content = selectors.report_content(report)
    stem = f"bao-cao-{report.period.code}-v{report.version}"
    written = []
    # The files are written before the row names them: if anything after fails (the second render, the
    # row, the worker's timeout), the rolled-back transaction names neither, so they go too. A killed
    # worker runs no except; the daily `purge_orphan_files` removes what it leaves.
    try:
        report.pdf_file.save(f"{stem}.pdf", ContentFile(pdf.render_pdf(content)), save=False)
        written.append(report.pdf_file)
        report.xlsx_file.save(f"{stem}.xlsx", ContentFile(xlsx.render_xlsx(content)), save=False)
        written.append(report.xlsx_file)
        report.full_clean()
        report.save()
    except BaseException:
        files.discard(written)
        raise
    return report


@transaction.atomic
def report_return_to_draft(*, report: Report, actor) -> Report:
    """Back to draft: the files frozen at approval no longer stand for anything and are discarded."""
    _ensure_signer(actor, report.plan)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise ValidationError("Chỉ trả lại được báo cáo đã duyệt mà chưa gửi.")
    report.status = ReportStatus.DRAFT
    report.approved_by, report.approved_at = None, None
    stale = [(field.storage, field.name) for field in (report.pdf_file, report.xlsx_file) if field]
    report.pdf_file, report.xlsx_file = "", ""
    report.full_clean()
    report.save()
    # Deleted only once the row no longer names them: a rollback keeps the approved files intact.
    for storage, name in stale:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return report


@transaction.atomic
def report_send(*, report: Report, actor) -> Report:
    """Mark as sent: the files stored at approval are the files sent, and later downloads serve them."""
    _ensure_compiler(actor, report.plan)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.APPROVED:
        raise ValidationError("Chỉ gửi được báo cáo đã được lãnh đạo duyệt.")
    if not (report.pdf_file and report.xlsx_file):
        raise ValidationError(
            "Báo cáo đã duyệt chưa có tệp lưu; đề nghị lãnh đạo trả về dự thảo và duyệt lại."
        )
    report.status = ReportStatus.SENT
    report.sent_by, report.sent_at = actor, timezone.now()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_correct(*, report: Report, actor, reason: str, today: dt.date | None = None) -> Report:
    """A new draft version correcting a sent report; the sent one stays as it was, and downloadable."""
    _ensure_compiler(actor, report.plan)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Vui lòng ghi lý do đính chính."})
    _lock_plan(report.plan)
    versions = Report.objects.filter(plan=report.plan, period=report.period)
    latest = versions.aggregate(latest=Max("version"))["latest"]
    if report.status != ReportStatus.SENT or report.version != latest:
        raise ValidationError("Chỉ đính chính được phiên bản mới nhất đã gửi.")
    correction = Report(
        plan=report.plan,
        period=report.period,
        version=latest + 1,
        corrects=report,
        correction_reason=reason,
        created_by=actor,
        **{name: getattr(report, name) for name in EDITABLE_FIELDS},
    )
    # A correction is a new document: its own number and date.
    correction.number = ""
    correction.report_date = today or timezone.localdate()
    correction.full_clean()
    correction.save()
    return correction
