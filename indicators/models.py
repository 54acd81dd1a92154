from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.fields import NFCCharField, NFCTextField
from common.text import fold, shorten
from indicators.targets import Comparator, ParsedTarget, TargetKind, Verdict, evaluate
from plans.models import Plan, ReportingPeriod, ReviewedEntry, ReviewedEntryQuerySet, Section
from plans.workflow import AssignmentRole
from units.models import Unit

TARGET_KIND_LABELS = {
    TargetKind.PERCENT: _("Tỷ lệ (%)"),
    TargetKind.NUMBER: _("Số lượng"),
    TargetKind.RANGE: _("Khoảng"),
    TargetKind.BOOLEAN: _("Đạt/Không đạt"),
    TargetKind.TEXT: _("Mô tả (người đánh giá)"),
}
COMPARATOR_LABELS = {
    Comparator.EQ: "=",
    Comparator.GTE: "≥",
    Comparator.GT: ">",
    Comparator.LTE: "≤",
    Comparator.LT: "<",
}
VERDICT_LABELS = {
    Verdict.ACHIEVED: _("Đạt"),
    Verdict.EXCEEDED: _("Vượt"),
    Verdict.NOT_ACHIEVED: _("Chưa đạt"),
}


class IndicatorQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(plan__commune=commune)

    def for_user(self, user):
        from units.scope import scope_for

        return self.filter(scope_for(user).commune_filter("plan__commune"))

    def search(self, words: str):
        return self.filter(search_text__contains=fold(words)) if words.strip() else self

    def led_by(self, units):
        return self.filter(assignments__role=AssignmentRole.LEAD, assignments__unit__in=units).distinct()

    def with_related(self):
        return self.select_related("section", "plan__commune").prefetch_related("targets")


class Indicator(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("kế hoạch")
    )
    section = models.ForeignKey(
        Section, on_delete=models.RESTRICT, related_name="indicators", verbose_name=_("nhóm")
    )
    number = NFCCharField(_("TT"), max_length=20, blank=True)
    name = NFCTextField(_("chỉ tiêu"))
    lead_text = NFCTextField(_("đơn vị chủ trì (như văn bản ghi)"), blank=True)
    coordinating_text = NFCTextField(_("cơ quan phối hợp (như văn bản ghi)"), blank=True)
    note = NFCTextField(_("ghi chú"), blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_cumulative = models.BooleanField(
        _("cộng dồn"), default=False, help_text=_("Giá trị chỉ tăng theo thời gian (để cảnh báo khi giảm).")
    )
    baseline_year = models.PositiveSmallIntegerField(_("năm cơ sở"), null=True, blank=True)
    baseline_text = NFCCharField(_("giá trị cơ sở (như văn bản ghi)"), max_length=200, blank=True)
    baseline_value = models.DecimalField(
        _("giá trị cơ sở"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # `trên 38,2%`: the comparison the document prints before last year's figure (blank when none).
    baseline_comparator = models.CharField(
        _("so sánh giá trị cơ sở"), max_length=3, choices=list(COMPARATOR_LABELS.items()), blank=True
    )
    # Folded copy (no diacritics, lower case): `chuyen doi so` finds `chuyển đổi số` on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, default="")

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="indicator_unique_order")]
        indexes = [models.Index(fields=["plan", "section"], name="indicator_plan_section")]

    def __str__(self) -> str:
        # Cut at a word: the admin and the messages show this, and a name cut mid-word reads as a typo.
        short = shorten(self.name, 80)
        return f"{self.number}. {short}" if self.number else short

    def folded_text(self) -> str:
        return fold(" ".join([self.name, self.lead_text, self.coordinating_text, self.note]))


class IndicatorAssignment(models.Model):
    """One unit mention in a lead/coordinating cell: the words as printed and the unit they resolve to."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=15, choices=AssignmentRole.choices)
    text = NFCCharField(_("như văn bản ghi"), max_length=255)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_assignments",
        verbose_name=_("đơn vị"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("đơn vị thực hiện chỉ tiêu")
        verbose_name_plural = _("đơn vị thực hiện chỉ tiêu")
        ordering = ["indicator", "role", "order"]
        indexes = [models.Index(fields=["unit", "role"], name="indassign_unit_role")]

    def __str__(self) -> str:
        return self.text


class Target(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("chỉ tiêu")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    raw_text = NFCCharField(_("mục tiêu (như văn bản ghi)"), max_length=255)
    kind = models.CharField(_("dạng"), max_length=10, choices=list(TARGET_KIND_LABELS.items()))
    comparator = models.CharField(
        _("so sánh"), max_length=3, choices=list(COMPARATOR_LABELS.items()), blank=True
    )
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2, null=True, blank=True)
    min_value = models.DecimalField(_("từ"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("đến"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit_of_measure = NFCCharField(_("đơn vị tính"), max_length=100, blank=True)
    qualifier = NFCCharField(_("điều kiện kèm theo"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=F("min_value")),
                name="target_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.raw_text}"

    def parsed(self) -> ParsedTarget:
        return ParsedTarget(
            kind=TargetKind(self.kind),
            comparator=Comparator(self.comparator) if self.comparator else None,
            value=self.value,
            min_value=self.min_value,
            max_value=self.max_value,
            unit=self.unit_of_measure,
            qualifier=self.qualifier,
            raw=self.raw_text,
        )

    def evaluate(self, value: Decimal | None = None, flag: bool | None = None) -> Verdict | None:
        return evaluate(self.parsed(), value=value, flag=flag)

    @property
    def is_boolean(self) -> bool:
        return self.kind == TargetKind.BOOLEAN

    @property
    def is_rate(self) -> bool:
        return self.kind == TargetKind.PERCENT or (
            self.kind == TargetKind.RANGE and self.unit_of_measure == "%"
        )


class IndicatorResult(ReviewedEntry):
    """What a unit reports for an indicator in a reporting period."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="results", verbose_name=_("chỉ tiêu")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="indicator_results",
        verbose_name=_("kỳ báo cáo"),
    )
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.PositiveBigIntegerField(_("tử số"), null=True, blank=True)
    denominator = models.PositiveBigIntegerField(_("mẫu số"), null=True, blank=True)
    flag = models.BooleanField(_("Đạt/Chưa đạt"), null=True, blank=True)
    verdict = models.CharField(_("đánh giá"), max_length=15, choices=list(VERDICT_LABELS.items()), blank=True)
    verdict_override_reason = NFCTextField(_("lý do điều chỉnh đánh giá"), blank=True)
    note = NFCTextField(_("ghi chú"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ReviewedEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả chỉ tiêu")
        verbose_name_plural = _("kết quả chỉ tiêu")
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="result_unique_per_period"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="result_denominator_positive",
            ),
            # A rate cannot exceed 100%: the part cannot be larger than the whole.
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=F("denominator")),
                name="result_numerator_within_denominator",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="result_period_status")]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.period}"

    @property
    def commune(self):
        return self.indicator.plan.commune

    @property
    def percent(self) -> Decimal | None:
        """The rate a numerator/denominator pair stands for (4227/5219 → 81,0)."""
        if self.numerator is None or not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.1"))

    @property
    def period_target(self) -> Target | None:
        """The target this result is judged against: its period's year, else the latest (prefetched)."""
        targets = list(self.indicator.targets.all())
        return next((t for t in targets if t.year == self.period.year), None) or (
            max(targets, key=lambda t: t.year) if targets else None
        )

    @property
    def effective_value(self) -> Decimal | None:
        return self.percent if self.percent is not None else self.value
