import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.fields import NFCCharField, NFCTextField
from plans.models import ReportingPeriod
from reports.content import document_number


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ duyệt")
    # The leader approved; the worker is making the PDF and XLSX (jobs.render_report_files). Nothing edits,
    # returns or approves the report meanwhile; it becomes approved once both files are stored.
    RENDERING = "rendering", _("Đang tạo tệp")
    APPROVED = "approved", _("Đã duyệt")
    SENT = "sent", _("Đã gửi")


def _frozen_name(instance, filename: str) -> str:
    # Our own name, one per version: the stored bytes of a sent report are never overwritten.
    extension = filename.rsplit(".", 1)[-1].lower()
    stem = f"{instance.period_id}-v{instance.version}-{uuid.uuid4().hex[:8]}"
    return f"reports/{instance.plan_id}/{stem}.{extension}"


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        from units.scope import scope_for

        return self.filter(scope_for(user).commune_filter("plan__commune"))

    def sent(self):
        return self.filter(status=ReportStatus.SENT)

    def awaiting_approval(self):
        """Submitted by the reviewer, waiting for the leader."""
        return self.filter(status=ReportStatus.SUBMITTED)

    def returned(self):
        """Sent back by the leader and not yet submitted again: waiting for the reviewer."""
        return self.filter(status=ReportStatus.DRAFT, returned_at__isnull=False)

    def with_related(self):
        return self.select_related("plan__commune__province", "period")


class Report(models.Model):
    """The commune's periodic report to the province for a plan and period; a correction is a new version."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="reports", verbose_name=_("kế hoạch")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("kỳ báo cáo")
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("đính chính cho"),
    )
    correction_reason = NFCTextField(_("lý do đính chính"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = NFCCharField(_("số, ký hiệu"), max_length=50, blank=True, help_text=_("Ví dụ: 12/BC-UBND"))
    report_date = models.DateField(_("ngày báo cáo"))
    place = NFCCharField(_("địa danh"), max_length=100, blank=True)
    subject = NFCTextField(_("trích yếu"))
    overall_assessment = NFCTextField(_("đánh giá chung"), blank=True)
    results_by_area = NFCTextField(_("kết quả theo lĩnh vực"), blank=True)
    shortcomings = NFCTextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    difficulties = NFCTextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = NFCTextField(_("kiến nghị, đề xuất với tỉnh"), blank=True)
    next_tasks = NFCTextField(_("nhiệm vụ kỳ tới"), blank=True)
    signer_authority = NFCCharField(
        _("thẩm quyền ký"), max_length=50, blank=True, help_text=_("TM. ỦY BAN NHÂN DÂN hoặc KT. CHỦ TỊCH")
    )
    signer_title = NFCCharField(_("chức vụ người ký"), max_length=50, blank=True)
    signer_name = NFCCharField(_("người ký"), max_length=100, blank=True)
    recipients = NFCTextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lập"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trình"),
    )
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trả lại"),
    )
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    # The leader's latest reason for sending the draft back; earlier ones stay in the history.
    return_comment = NFCTextField(_("ý kiến khi trả lại"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # Why the worker could not make the files at the last approval (the report is back to submitted).
    render_error = NFCTextField(_("lỗi khi tạo tệp"), blank=True)
    pdf_file = models.FileField(_("tệp PDF đã gửi"), upload_to=_frozen_name, blank=True)
    xlsx_file = models.FileField(_("tệp Excel đã gửi"), upload_to=_frozen_name, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["plan", "-period__start", "version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period", "version"], name="report_unique_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            # A sent report is frozen: it must carry its sending time.
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="report_sent_has_time"
            ),
            # A return is explained: the reviewer is told why.
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | ~Q(return_comment=""),
                name="report_return_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"BC {self.period.code} v{self.version} – {self.plan}"

    @property
    def is_rendering(self) -> bool:
        return self.status == ReportStatus.RENDERING

    @property
    def is_sent(self) -> bool:
        return self.status == ReportStatus.SENT

    @property
    def official_number(self) -> str:
        """`05/BC-UBND` as printed on the document (number padded to two digits, the symbol after it);
        empty while the report has no number yet."""
        return document_number(self.number) if self.number.strip() else ""

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
