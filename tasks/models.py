import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.fields import NFCCharField, NFCTextField
from common.text import fold, shorten
from plans.models import Plan, ReportingPeriod, ReviewedEntry, ReviewedEntryQuerySet, Section
from plans.workflow import AssignmentRole
from tasks.deadlines import DeadlineKind, is_countable_overdue
from units.models import Unit

DEADLINE_KIND_LABELS = {
    DeadlineKind.DATE: _("Ngày cụ thể"),
    DeadlineKind.MONTH: _("Tháng"),
    DeadlineKind.QUARTER: _("Quý"),
    DeadlineKind.HALF_YEAR: _("6 tháng"),
    DeadlineKind.YEAR: _("Năm"),
    DeadlineKind.RECURRING: _("Thường xuyên"),
    DeadlineKind.ON_REQUEST: _("Khi có yêu cầu"),
    DeadlineKind.EXTERNAL: _("Theo văn bản khác"),
    DeadlineKind.NONE: _("Không ghi thời hạn"),
    DeadlineKind.TEXT: _("Khác (như văn bản ghi)"),
}


class TaskQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(plan__commune=commune)

    def for_user(self, user):
        from units.scope import scope_for

        return self.filter(scope_for(user).commune_filter("plan__commune"))

    def search(self, words: str):
        return self.filter(search_text__contains=fold(words)) if words.strip() else self

    def overdue(self, today):
        """Tasks whose dated deadline (own or from a recorded request) has passed."""
        countable = [k for k in DeadlineKind if is_countable_overdue(k)]
        return self.filter(
            models.Q(deadline_kind__in=countable, due_date__lt=today) | models.Q(request_due_date__lt=today)
        )

    def due_by(self, day):
        """Tasks whose dated deadline falls on `day` or before: the late ones and those coming due."""
        countable = [k for k in DeadlineKind if is_countable_overdue(k)]
        return self.filter(
            models.Q(deadline_kind__in=countable, due_date__lte=day) | models.Q(request_due_date__lte=day)
        )

    def due_between(self, start, end):
        countable = [k for k in DeadlineKind if is_countable_overdue(k)]
        return self.filter(
            models.Q(deadline_kind__in=countable, due_date__range=(start, end))
            | models.Q(request_due_date__range=(start, end))
        )

    def led_by(self, units):
        return self.filter(assignments__role=AssignmentRole.LEAD, assignments__unit__in=units).distinct()

    def with_related(self):
        return self.select_related("section", "plan__commune")


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("kế hoạch"))
    section = models.ForeignKey(
        Section, on_delete=models.RESTRICT, related_name="tasks", verbose_name=_("nhóm")
    )
    number = NFCCharField(_("TT"), max_length=20, blank=True)
    description = NFCTextField(_("nhiệm vụ"))
    lead_text = NFCTextField(_("đơn vị chủ trì (như văn bản ghi)"), blank=True)
    coordinating_text = NFCTextField(_("cơ quan phối hợp (như văn bản ghi)"), blank=True)
    monitoring_text = NFCTextField(_("cơ quan theo dõi, tổng hợp (như văn bản ghi)"), blank=True)
    deadline_text = NFCCharField(_("thời hạn (như văn bản ghi)"), max_length=255, blank=True)
    deadline_kind = models.CharField(
        _("loại thời hạn"),
        max_length=12,
        choices=list(DEADLINE_KIND_LABELS.items()),
        default=DeadlineKind.NONE,
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    note = NFCTextField(_("ghi chú"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    requested_on = models.DateField(
        _("ngày có yêu cầu"),
        null=True,
        blank=True,
        help_text=_("Với nhiệm vụ «Khi có yêu cầu»: ngày nhận yêu cầu."),
    )
    request_due_date = models.DateField(_("hạn theo yêu cầu"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("chuyển tiếp từ"),
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="task_unique_order")]
        indexes = [
            models.Index(fields=["plan", "section"], name="task_plan_section"),
            models.Index(fields=["due_date"], name="task_due_date"),
        ]

    def __str__(self) -> str:
        # Cut at a word: the admin and the messages show this, and a name cut mid-word reads as a typo.
        short = shorten(self.description, 80)
        return f"{self.number}. {short}" if self.number else short

    @property
    def effective_due_date(self) -> dt.date | None:
        """The date the task can be late against: its own, or the one a recorded request set."""
        if is_countable_overdue(DeadlineKind(self.deadline_kind)):
            return self.due_date
        return self.request_due_date

    def is_overdue(self, today: dt.date) -> bool:
        """`Thường xuyên` is never late; `Khi có yêu cầu` only once a request with a date is recorded."""
        due = self.effective_due_date
        return due is not None and due < today

    @property
    def is_recurring(self) -> bool:
        return self.deadline_kind == DeadlineKind.RECURRING

    def folded_text(self) -> str:
        return fold(
            " ".join([self.description, self.lead_text, self.coordinating_text, self.monitoring_text])
        )


class TaskAssignment(models.Model):
    """One unit mention in a lead/coordinating/monitoring cell: the words as printed and the resolved unit."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=15, choices=AssignmentRole.choices)
    text = NFCCharField(_("như văn bản ghi"), max_length=255)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_assignments",
        verbose_name=_("đơn vị"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("đơn vị thực hiện nhiệm vụ")
        verbose_name_plural = _("đơn vị thực hiện nhiệm vụ")
        ordering = ["task", "role", "order"]
        indexes = [models.Index(fields=["unit", "role"], name="taskassign_unit_role")]

    def __str__(self) -> str:
        return self.text


class TaskProgress(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    BEHIND = "behind", _("Chậm tiến độ")


class TaskUpdate(ReviewedEntry):
    """The lead unit's consolidated progress on a task for a reporting period."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="updates", verbose_name=_("nhiệm vụ")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="task_updates", verbose_name=_("kỳ báo cáo")
    )
    progress = models.CharField(
        _("tiến độ"), max_length=12, choices=TaskProgress.choices, default=TaskProgress.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(_("% hoàn thành"), default=0)
    results = NFCTextField(_("kết quả đạt được"), blank=True)
    difficulties = NFCTextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = NFCTextField(_("kiến nghị, đề xuất"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ReviewedEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["task", "period"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="task_update_unique_per_period"),
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="task_update_percent_range"),
        ]
        indexes = [models.Index(fields=["period", "status"], name="task_update_period_status")]

    def __str__(self) -> str:
        return f"{self.task} – {self.period}"

    @property
    def commune(self):
        return self.task.plan.commune


class TaskContribution(models.Model):
    """A coordinating unit's share of a task for a period, which the lead unit reads when consolidating."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("nhiệm vụ")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="task_contributions",
        verbose_name=_("kỳ báo cáo"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("đơn vị")
    )
    text = NFCTextField(_("nội dung phối hợp"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("đóng góp của đơn vị phối hợp")
        verbose_name_plural = _("đóng góp của đơn vị phối hợp")
        ordering = ["task", "period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period", "unit"], name="contribution_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.task}"

    @property
    def commune(self):
        return self.task.plan.commune
