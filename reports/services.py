"""Writes for reports: draft, edit, submit, approve, return, send (which freezes the files) and correct.

Who does what (one choice, kept here so views, commands and tests share it): Phòng Văn hóa - Xã hội (the
reviewer, the standing agency that compiles the report) drafts, edits, submits to the leader, sends and
corrects; the commune leader who signs approves it (correcting the number, date or signer on the way if need
be) or returns it to the reviewer with a comment. The path is draft → submitted → (files being made) →
approved → sent, and a return goes back to draft from submitted or approved. Submitting needs everything the
signed page prints (number, a valid date, the signer), so the leader's approval never stops on a missing
field. Approving is checked at once and the worker then stores the exact PDF and XLSX the leader approved;
sending marks those same bytes as sent, so what reaches the province is what was signed, whatever the live
data do in between. A return discards them. A sent version never changes again, and a correction is a new
version with its reason.
"""

import datetime as dt
import logging

from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pagecache.cache import raise_versions
from plans.models import Plan, ReportingPeriod
from reports import files, pdf, selectors, xlsx
from reports.content import document_number
from reports.models import Report, ReportStatus
from units.models import Commune
from units.scope import scope_for

logger = logging.getLogger("cds.reports")

RENDER_JOB = "jobs.render_report_files"
# What the leader reads when the files could not be made: the cause is in the worker's log, not on the page.
RENDER_FAILED = (
    "Máy chủ chưa tạo được tệp PDF và Excel của báo cáo sau nhiều lần thử nên báo cáo chưa được duyệt. "
    "Lãnh đạo vui lòng duyệt lại; nếu vẫn lỗi, xin báo quản trị hệ thống."
)

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

# What the signed page prints in its header and signature block: required to submit, and what the leader
# may still correct when approving.
SIGNING_FIELDS = ("number", "report_date", "signer_authority", "signer_title", "signer_name")
SIGNING_LABELS = {
    "number": "số, ký hiệu",
    "report_date": "ngày báo cáo",
    "signer_authority": "thẩm quyền ký",
    "signer_title": "chức vụ người ký",
    "signer_name": "họ tên người ký",
}


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


def _lock_commune(plan: Plan) -> None:
    # Numbers are the commune's register across its plans: two reports numbered at once wait for each other,
    # so the second sees the first one's number.
    Commune.objects.select_for_update().filter(pk=plan.commune_id).first()


def date_error(day: dt.date | None, period: ReportingPeriod, today: dt.date) -> str:
    """Why a report date is not acceptable, or "": a report speaks of a finished period, up to today."""
    if day is None:
        return "Vui lòng ghi ngày báo cáo."
    if day < period.end:
        return (
            f"Ngày báo cáo không được trước ngày kết thúc kỳ {period.code} ({period.end:%d/%m/%Y}): "
            "báo cáo nói về một kỳ đã kết thúc."
        )
    if day > today:
        return f"Ngày báo cáo không được sau hôm nay ({today:%d/%m/%Y})."
    return ""


def _number_key(number: str) -> str:
    # `5`, `05`, `5/BC-UBND` and `05/bc-ubnd` are one entry in the register.
    return "".join(document_number(number).split()).casefold()


def number_error(report: Report, number: str, day: dt.date | None) -> str:
    """Why the number cannot be used, or "": a number is given once per commune and calendar year."""
    if not number.strip() or day is None:
        return ""
    key = _number_key(number)
    others = (
        Report.objects.filter(plan__commune_id=report.plan.commune_id, report_date__year=day.year)
        .exclude(number="")
        .exclude(pk=report.pk)
        .select_related("period")
    )
    clash = next((other for other in others if _number_key(other.number) == key), None)
    if clash is None:
        return ""
    return (
        f"Số {document_number(number)} đã dùng cho báo cáo kỳ {clash.period.code} "
        f"(phiên bản {clash.version}) năm {day.year}; mỗi số chỉ dùng một lần trong năm."
    )


def _check_signing(report: Report, today: dt.date) -> None:
    """Everything the signed page prints is there and valid; every problem is told at once, by field."""
    errors: dict[str, str] = {}
    for name in SIGNING_FIELDS:
        value = getattr(report, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = f"Cần ghi {SIGNING_LABELS[name]} trước khi trình lãnh đạo duyệt."
    if "report_date" not in errors and (problem := date_error(report.report_date, report.period, today)):
        errors["report_date"] = problem
    if "number" not in errors and (problem := number_error(report, report.number, report.report_date)):
        errors["number"] = problem
    if errors:
        raise ValidationError(errors)


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
def report_update(*, report: Report, actor, today: dt.date | None = None, **fields) -> Report:
    """Save the draft. A date typed here is checked at once; the date the draft was made with (which may
    fall before the period's end when the draft is started early) is checked when it is submitted."""
    _ensure_compiler(actor, report.plan)
    _lock_commune(report.plan)
    report = Report.objects.select_for_update().select_related("period", "plan").get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Chỉ sửa được báo cáo đang là dự thảo.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Không sửa được trường: {sorted(unknown)}")
    errors: dict[str, str] = {}
    new_date = fields.get("report_date", report.report_date)
    if new_date != report.report_date and (
        problem := date_error(new_date, report.period, today or timezone.localdate())
    ):
        errors["report_date"] = problem
    if problem := number_error(report, fields.get("number", report.number), new_date):
        errors["number"] = problem
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_submit(*, report: Report, actor, today: dt.date | None = None) -> Report:
    """The reviewer hands a complete draft to the leader: number, date and signer must be there."""
    _ensure_compiler(actor, report.plan)
    _lock_commune(report.plan)
    report = Report.objects.select_for_update().select_related("period", "plan").get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Chỉ trình được báo cáo đang là dự thảo.")
    _check_signing(report, today or timezone.localdate())
    report.status = ReportStatus.SUBMITTED
    report.submitted_by, report.submitted_at = actor, timezone.now()
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_approve(*, report: Report, actor, today: dt.date | None = None, **signing) -> Report:
    """The leader approves: everything is checked here, at once, and the worker makes the files.

    `signing` holds what the leader corrected on the way (number, date, signer); they are checked as at
    submission, since they are printed on the page being signed. The report is then "being made"
    (RENDERING), which no edit, return or approval accepts, and `jobs.render_report_files` is queued once
    this transaction commits; `report_files_store` makes it approved once both files are stored."""
    _ensure_signer(actor, report.plan)
    unknown = set(signing) - set(SIGNING_FIELDS)
    if unknown:
        raise ValueError(f"Không sửa được trường khi duyệt: {sorted(unknown)}")
    _lock_commune(report.plan)
    report = (
        Report.objects.select_for_update()
        .select_related("plan__commune__province", "period")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("Chỉ duyệt được báo cáo đã được trình lãnh đạo.")
    for name, value in signing.items():
        setattr(report, name, value)
    _check_signing(report, today or timezone.localdate())
    report.status = ReportStatus.RENDERING
    report.approved_by, report.approved_at = actor, timezone.now()
    report.render_error = ""
    report.full_clean()
    report.save()
    report_id, actor_id = report.pk, actor.pk
    transaction.on_commit(lambda: _queue_files(report_id, actor_id))
    return report


def _queue_files(report_id: int, actor_id: int) -> None:
    # By name: the job lives on a floor above (jobs/ calls these services). Eager (tests, `make run`) it runs
    # here and its failure has already put the report back; a broker out of reach is told the same way,
    # rather than leaving the report "being made" with no job to make it.
    try:
        current_app.tasks[RENDER_JOB].delay(report_id, actor_id)
    except Exception:
        logger.exception("report files job failed or not queued", extra={"report": report_id})
        report_files_failed(report_id=report_id, error=RENDER_FAILED)


@transaction.atomic
def report_files_store(*, report_id: int, actor) -> Report | None:
    """The job's work: render and store the PDF and XLSX the leader approved, and mark the report approved
    in the same transaction, only once both files are stored. None if the report is not waiting for its
    files (a job delivered twice finds it approved already)."""
    report = (
        Report.objects.select_for_update()
        .select_related("plan__commune__province", "period")
        .filter(pk=report_id, status=ReportStatus.RENDERING)
        .first()
    )
    if report is None:
        return None
    # The right is read again: it may have been withdrawn while the job waited in the queue.
    _ensure_signer(actor, report.plan)
    report.status = ReportStatus.APPROVED  # before the content: the stored files carry no draft mark
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
        # Written outside a request: the pages showing the report's state are told here.
        raise_versions(Commune.objects.filter(pk=report.plan.commune_id))
    except BaseException:
        files.discard(written)
        raise
    return report


@transaction.atomic
def report_files_failed(*, report_id: int, error: str) -> Report | None:
    """The files could not be made (after the job's retries): the report waits for the leader again, with
    the reason on its page, and the leader may approve it again. None if it was not being made."""
    report = (
        Report.objects.select_for_update()
        .select_related("plan")
        .filter(pk=report_id, status=ReportStatus.RENDERING)
        .first()
    )
    if report is None:
        return None
    report.status = ReportStatus.SUBMITTED
    report.approved_by, report.approved_at = None, None
    report.render_error = error
    report.full_clean()
    report.save()
    raise_versions(Commune.objects.filter(pk=report.plan.commune_id))
    return report


@transaction.atomic
def report_return_to_draft(*, report: Report, actor, comment: str) -> Report:
    """The leader sends a submitted (or approved, not yet sent) report back to the reviewer, saying why.

    The comment stays on the report (and every earlier one in its history) until the next return; the
    files frozen at approval no longer stand for anything and are discarded."""
    _ensure_signer(actor, report.plan)
    comment = " ".join(comment.split())
    if not comment:
        raise ValidationError({"comment": "Vui lòng ghi ý kiến khi trả lại báo cáo."})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ValidationError("Chỉ trả lại được báo cáo đang chờ duyệt hoặc đã duyệt mà chưa gửi.")
    report.status = ReportStatus.DRAFT
    report.returned_by, report.returned_at, report.return_comment = actor, timezone.now(), comment
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
