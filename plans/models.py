import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField, NFCTextField
from plans import periods
from plans.workflow import Pillar, WorkflowStatus
from units.models import Commune, Province


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PlanKind(models.TextChoices):
    ANNUAL = "annual", _("Kế hoạch năm")
    ACTION = "action", _("Kế hoạch hành động")
    HALF_YEAR = "half_year", _("Kế hoạch 6 tháng")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    CLOSED = "closed", _("Đã kết thúc")


class PlanQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(commune=commune)

    def issued(self):
        """Plans in force: a draft is not yet the commune's plan and a closed one no longer is."""
        return self.filter(status=PlanStatus.ISSUED)

    def for_user(self, user):
        from units.scope import scope_for

        return self.filter(scope_for(user).commune_filter("commune"))

    def with_related(self):
        return self.select_related("commune__province")


class Plan(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="plans", verbose_name=_("xã/phường")
    )
    number = NFCCharField(_("số, ký hiệu"), max_length=50, blank=True, help_text=_("Ví dụ: 45/KH-UBND"))
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = NFCCharField(_("địa danh"), max_length=100, blank=True)
    title = NFCTextField(_("trích yếu"))
    kind = models.CharField(
        _("loại kế hoạch"), max_length=10, choices=PlanKind.choices, default=PlanKind.ANNUAL
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    target_year = models.PositiveSmallIntegerField(_("năm mục tiêu"))
    legal_bases = NFCTextField(_("căn cứ"), blank=True, help_text=_("Mỗi dòng một văn bản căn cứ."))
    general_objective = NFCTextField(_("mục tiêu chung"), blank=True)
    signer_authority = NFCCharField(
        _("thẩm quyền ký"), max_length=50, blank=True, help_text=_("TM. ỦY BAN NHÂN DÂN hoặc KT. CHỦ TỊCH")
    )
    signer_title = NFCCharField(_("chức vụ người ký"), max_length=50, blank=True)
    signer_name = NFCCharField(_("người ký"), max_length=100, blank=True)
    recipients = NFCTextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ISSUED
    )
    original = models.FileField(_("bản gốc (scan)"), upload_to="plans/originals/", blank=True)
    source = models.CharField(_("nguồn dữ liệu"), max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["commune", "-target_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="plan_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        number = f"KH {self.number}" if self.number else _("KH (chưa số)")
        return f"{number} – {self.commune} – {self.target_year}"

    @property
    def legal_basis_list(self) -> list[str]:
        return _lines(self.legal_bases)

    @property
    def recipient_list(self) -> list[str]:
        return _lines(self.recipients)


class SectionKind(models.TextChoices):
    INDICATORS = "indicators", _("Chỉ tiêu")
    TASKS = "tasks", _("Nhiệm vụ")


class SectionQuerySet(models.QuerySet):
    def indicators(self):
        return self.filter(kind=SectionKind.INDICATORS)

    def tasks(self):
        return self.filter(kind=SectionKind.TASKS)


class Section(models.Model):
    """A heading of an appendix (`I Hạ tầng số`) or a titled subsection under one (`Hạ tầng dữ liệu`)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("kế hoạch")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=SectionKind.choices)
    number = NFCCharField(_("số thứ tự in"), max_length=20, blank=True)
    title = NFCTextField(_("tên nhóm"))
    pillar = models.CharField(_("trụ cột"), max_length=20, choices=Pillar.choices, default=Pillar.OTHER)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subsections",
        verbose_name=_("thuộc nhóm"),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhóm (mục)")
        verbose_name_plural = _("nhóm (mục)")
        ordering = ["plan", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "order"], name="section_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class BudgetSource(models.TextChoices):
    STATE_BUDGET = "state_budget", _("Ngân sách nhà nước")
    PROGRAMMES = "programmes", _("Lồng ghép các chương trình")
    SOCIALISED = "socialised", _("Xã hội hóa")
    VOLUNTARY = "voluntary", _("Đóng góp tự nguyện")
    OTHER = "other", _("Nguồn khác")


class BudgetLine(models.Model):
    """A spending line in whole đồng (integers: `481.179.000 đồng`)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("kế hoạch")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    source = models.CharField(_("nguồn kinh phí"), max_length=20, choices=BudgetSource.choices)
    item = NFCTextField(_("nội dung"))
    planned_amount = models.PositiveBigIntegerField(_("dự toán (đồng)"), null=True, blank=True)
    spent_amount = models.PositiveBigIntegerField(_("đã chi (đồng)"), null=True, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = _("kinh phí")
        ordering = ["plan", "year", "order"]

    def __str__(self) -> str:
        return self.item[:80]


LOCK_REASON_LIMIT = 1_000
INTERNAL_DAYS_BEFORE = 5  # the default internal deadline: five days before the commune's due date
INTERNAL_DAYS_MAX = 60


class PeriodKind(models.TextChoices):
    MONTH = periods.MONTH, _("Tháng")
    QUARTER = periods.QUARTER, _("Quý")
    HALF_YEAR = periods.HALF_YEAR, _("6 tháng")
    YEAR = periods.YEAR, _("Năm")


class ReportingPeriodQuerySet(models.QuerySet):
    def for_commune(self, commune):
        """The commune's own periods and the province-wide ones."""
        return self.filter(Q(commune=commune) | Q(commune__isnull=True, province_id=commune.province_id))

    def open(self):
        return self.filter(locked_at__isnull=True)

    def province_wide(self):
        return self.filter(commune__isnull=True)


class ReportingPeriod(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="reporting_periods", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporting_periods",
        verbose_name=_("xã/phường"),
        help_text=_("Để trống nếu kỳ áp dụng cho toàn tỉnh."),
    )
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(
        _("số kỳ"), default=1, help_text=_("Tháng 1-12, quý 1-4, nửa năm 1-2.")
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    due_date = models.DateField(_("hạn gửi báo cáo"))
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người khóa"),
    )
    lock_reason = NFCTextField(
        _("lý do khóa"), blank=True, validators=[MaxLengthValidator(LOCK_REASON_LIMIT)]
    )
    internal_days_before = models.PositiveSmallIntegerField(
        _("hạn nội bộ: số ngày trước hạn gửi"),
        default=INTERNAL_DAYS_BEFORE,
        validators=[MaxValueValidator(INTERNAL_DAYS_MAX)],
        help_text=_("Các đơn vị gửi số liệu trước hạn gửi báo cáo của xã chừng ấy ngày."),
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "kind", "year", "number"],
                condition=Q(commune__isnull=False),
                name="period_unique_per_commune",
            ),
            models.UniqueConstraint(
                fields=["province", "kind", "year", "number"],
                condition=Q(commune__isnull=True),
                name="period_unique_per_province",
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_ordered"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=12), name="period_number_range"),
            models.CheckConstraint(
                condition=Q(internal_days_before__lte=INTERNAL_DAYS_MAX), name="period_internal_days_range"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return periods.period_code(self.kind, self.year, self.number)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_province_wide(self) -> bool:
        return self.commune_id is None

    @property
    def internal_due_date(self) -> dt.date:
        """The units' own deadline inside the commune: their entries are due this many days before the
        commune's report is (reminders read it here)."""
        return self.due_date - dt.timedelta(days=self.internal_days_before)


class PeriodLockAction(models.TextChoices):
    LOCK = "lock", _("Khóa")
    UNLOCK = "unlock", _("Mở khóa")


class PeriodLockEvent(models.Model):
    """One lock or unlock of a period: who, when and why (the period keeps only its current lock)."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="lock_events", verbose_name=_("kỳ báo cáo")
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=PeriodLockAction.choices)
    reason = NFCTextField(_("lý do"), validators=[MaxLengthValidator(LOCK_REASON_LIMIT)])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("lần khóa / mở khóa kỳ")
        verbose_name_plural = _("lịch sử khóa kỳ")
        ordering = ["period", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.period} ({self.at:%d/%m/%Y %H:%M})"


class ReviewedEntryQuerySet(models.QuerySet):
    def approved(self):
        """Only approved entries count in totals and reports."""
        return self.filter(status=WorkflowStatus.APPROVED)

    def in_period(self, period):
        return self.filter(period=period)


class ReviewedEntry(models.Model):
    """What a unit enters for a period and the Culture-Social office reviews: an indicator result or a task
    update. The rules over these fields (who edits, the transitions, stale saves) are in plans.entries."""

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=WorkflowStatus.choices, default=WorkflowStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thẩm định"),
    )
    reviewed_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)
    review_comment = NFCTextField(_("ý kiến thẩm định"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True
