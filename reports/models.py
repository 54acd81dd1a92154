from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from reports import periods
from units.models import Commune, Province


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
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return periods.period_code(self.kind, self.year, self.number)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None
