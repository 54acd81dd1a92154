"""Report pages: list per plan, draft, edit, preview, submit, approve, return, send, correct, download.

The reviewer (Phòng Văn hóa - Xã hội) drafts, edits, submits to the leader, sends and corrects; the leader
approves (correcting number, date or signer if need be) or returns it with a comment; both read every
version. The province viewer reads only sent versions. Unit staff see their own rows
elsewhere but not the whole-commune report (403); another commune's report does not exist for anyone (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.downloads import file_download
from common.excel import XLSX_CONTENT_TYPE
from common.text import fold
from plans.models import Plan
from plans.selectors import get_plan_for_user
from reports import pdf, selectors, services, xlsx
from reports.content import NARRATIVE_SECTIONS, paragraphs
from reports.forms import ApprovalForm, CorrectionForm, ReportCreateForm, ReportForm, ReturnForm
from reports.models import Report, ReportStatus
from units.scope import scope_for

PDF_TYPE = "application/pdf"


def _reports_plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_plan_for_user(request.user, plan_id)
    if not selectors.can_read_reports(scope_for(request.user), plan.commune):
        raise PermissionDenied("Báo cáo gửi tỉnh chỉ dành cho Phòng Văn hóa - Xã hội và lãnh đạo UBND xã.")
    return plan


def get_report_for_user(request: HttpRequest, report_id: int) -> Report:
    """A report the user may read, or 404 (another commune's, or a draft the province has not received)."""
    report = get_object_or_404(Report.objects.for_user(request.user).with_related(), pk=report_id)
    commune = report.plan.commune
    scope = scope_for(request.user)
    if not selectors.can_read_reports(scope, commune):
        raise PermissionDenied("Báo cáo gửi tỉnh chỉ dành cho Phòng Văn hóa - Xã hội và lãnh đạo UBND xã.")
    if not selectors.is_commune_insider(scope, commune) and report.status != ReportStatus.SENT:
        raise Http404("Báo cáo chưa gửi.")
    return report


def _bounce(request: HttpRequest, report: Report, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("reports:detail", report_id=report.pk)


@login_required
def report_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _reports_plan(request, plan_id)
    reports = selectors.plan_reports(scope_for(request.user), plan)
    can_compile = services.can_compile(request.user, plan)
    form = None
    if can_compile:
        taken = {r.period_id for r in reports}
        form = ReportCreateForm(periods=selectors.report_periods(plan).exclude(pk__in=taken))
    return render(request, "reports/report_list.html", {"plan": plan, "reports": reports, "form": form})


@login_required
def report_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _reports_plan(request, plan_id)
    if not services.can_compile(request.user, plan):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội của xã mới được lập báo cáo.")
    form = ReportCreateForm(request.POST or None, periods=selectors.report_periods(plan))
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        existing = selectors.latest_version(plan, period)
        if existing is not None:
            messages.warning(
                request, f"Đã có báo cáo kỳ {period.code}: mở báo cáo đó để sửa hoặc đính chính."
            )
            return redirect("reports:detail", report_id=existing.pk)
        try:
            report = services.report_create(plan=plan, period=period, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã lập dự thảo báo cáo kỳ {period.code} từ các số liệu đã duyệt.")
            return redirect("reports:edit", report_id=report.pk)
    return render(request, "reports/report_create.html", {"plan": plan, "form": form})


def _history(report: Report) -> list[dict]:
    """Each change of state, who made it and when, with the leader's comment on a return."""
    steps, previous = [], None
    for record in report.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.status != previous:
            returned = previous is not None and record.status == ReportStatus.DRAFT
            steps.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "label": _("Trả lại") if returned else ReportStatus(record.status).label,
                    "comment": record.return_comment if returned else "",
                }
            )
        previous = record.status
    return steps


def _render_detail(
    request: HttpRequest, report: Report, *, approval_form=None, return_form=None, status: int = 200
) -> HttpResponse:
    content = selectors.report_content(report)
    versions = list(
        selectors.visible_reports(scope_for(request.user), report.plan.commune)
        .filter(plan=report.plan, period=report.period)
        .order_by("version")
    )
    sections = [(title, paragraphs(content.narrative[name])) for name, title in NARRATIVE_SECTIONS]
    insider = selectors.is_commune_insider(scope_for(request.user), report.plan.commune)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "c": content,
            "sections": sections,
            "versions": versions,
            "is_latest": report.version == max(v.version for v in versions),
            "can_compile": services.can_compile(request.user, report.plan),
            "can_sign": services.can_sign(request.user, report.plan),
            "correction_form": CorrectionForm(),
            "approval_form": approval_form or ApprovalForm(instance=report),
            "return_form": return_form or ReturnForm(),
            "history": _history(report) if insider else [],
        },
        status=status,
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return _render_detail(request, get_report_for_user(request, report_id))


@login_required
def report_edit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id)
    if not services.can_compile(request.user, report.plan):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội của xã mới được sửa báo cáo.")
    if report.status != ReportStatus.DRAFT:
        messages.error(request, "Chỉ sửa được báo cáo đang là dự thảo.")
        return redirect("reports:detail", report_id=report.pk)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            services.report_update(report=Report.objects.get(pk=report.pk), actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu dự thảo báo cáo.")
            return redirect("reports:detail", report_id=report.pk)
    content = selectors.report_content(report)
    return render(request, "reports/report_edit.html", {"report": report, "form": form, "c": content})


def _filename(report: Report, extension: str) -> str:
    commune = "-".join(fold(report.plan.commune.name).split())
    return f"bao-cao-{commune}-{report.period.code}-v{report.version}.{extension}"


def _download(report: Report, extension: str) -> HttpResponse:
    """An approved or sent version serves the bytes stored at approval; a draft is rendered from live data."""
    stored = report.pdf_file if extension == "pdf" else report.xlsx_file
    content_type = PDF_TYPE if extension == "pdf" else XLSX_CONTENT_TYPE
    if report.status != ReportStatus.DRAFT and stored:
        return file_download(stored, filename=_filename(report, extension), content_type=content_type)
    content = selectors.report_content(report)
    data = pdf.render_pdf(content) if extension == "pdf" else xlsx.render_xlsx(content)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, extension)}"'
    return response


@login_required
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    return _download(get_report_for_user(request, report_id), "pdf")


@login_required
def report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    return _download(get_report_for_user(request, report_id), "xlsx")


def _transition(request: HttpRequest, report_id: int, service, done: str) -> HttpResponse:
    """Submit or send: the service checks the role and the state, the view only reports."""
    report = get_report_for_user(request, report_id)
    try:
        service(report=report, actor=request.user)
    except ValidationError as error:
        return _bounce(request, report, error)
    messages.success(request, done)
    return redirect("reports:detail", report_id=report.pk)


@login_required
@require_POST
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    return _transition(
        request,
        report_id,
        services.report_submit,
        _("Đã trình lãnh đạo duyệt báo cáo; lãnh đạo được nhắc trên trang Nhắc việc và trong thư hằng ngày."),
    )


@login_required
@require_POST
def report_approve(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id)
    if not services.can_sign(request.user, report.plan):
        raise PermissionDenied("Chỉ lãnh đạo UBND xã mới được duyệt báo cáo.")
    form = ApprovalForm(request.POST, instance=Report.objects.get(pk=report.pk))
    if form.is_valid():
        signing = {name: form.cleaned_data[name] for name in services.SIGNING_FIELDS}
        try:
            services.report_approve(report=report, actor=request.user, today=timezone.localdate(), **signing)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _bounce(request, report, error)
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Đã duyệt báo cáo; máy chủ đang tạo tệp PDF và Excel đúng như đã duyệt. "
                    "Khi xong, Phòng Văn hóa - Xã hội có thể gửi báo cáo lên tỉnh."
                ),
            )
            return redirect("reports:detail", report_id=report.pk)
    return _render_detail(request, report, approval_form=form, status=400)


@login_required
@require_GET
def report_files_status(request: HttpRequest, report_id: int) -> HttpResponse:
    """Polled by the report page (htmx) while the worker makes the files: the same notice until the report
    leaves "being made", then a full reload (HX-Refresh) shows it approved or back to the leader with the
    reason; the notice that replaces it says so for a browser that does not reload."""
    report = get_report_for_user(request, report_id)
    response = render(request, "reports/partials/rendering.html", {"report": report})
    if not report.is_rendering:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def report_return(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id)
    if not services.can_sign(request.user, report.plan):
        raise PermissionDenied("Chỉ lãnh đạo UBND xã mới được trả lại báo cáo.")
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return_to_draft(
                report=report, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            return _bounce(request, report, error)
        messages.success(request, _("Đã trả báo cáo cho Phòng Văn hóa - Xã hội kèm ý kiến để chỉnh sửa."))
        return redirect("reports:detail", report_id=report.pk)
    return _render_detail(request, report, return_form=form, status=400)


@login_required
@require_POST
def report_send(request: HttpRequest, report_id: int) -> HttpResponse:
    return _transition(
        request,
        report_id,
        services.report_send,
        _("Đã đánh dấu đã gửi; tệp gửi đi đúng là tệp PDF và Excel lãnh đạo đã duyệt."),
    )


@login_required
@require_POST
def report_correct(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_report_for_user(request, report_id)
    if not services.can_compile(request.user, report.plan):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội của xã mới được đính chính báo cáo.")
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _bounce(request, report, ValidationError(form.errors["reason"]))
    try:
        correction = services.report_correct(
            report=report, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _bounce(request, report, error)
    messages.success(request, f"Đã tạo phiên bản {correction.version} để đính chính.")
    return redirect("reports:edit", report_id=correction.pk)
