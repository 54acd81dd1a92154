"""The province's catalogue of common indicators and the link from each commune indicator to one entry.

Commune plans copy their measures from the same higher plans (KH 02-KH/BCĐTW, the province's yearly plan),
worded a little differently; the catalogue names each measure once, says how communes add up, and the links
let the province compare communes on it. The links live here, not on Indicator, so the commune's own data
model does not change when a province reorganises its catalogue.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.fields import NFCCharField, NFCTextField
from common.text import fold
from indicators.models import COMPARATOR_LABELS, TARGET_KIND_LABELS, Indicator
from indicators.targets import Comparator, ParsedTarget, TargetKind
from plans.workflow import Pillar
from units.models import Province


class Measure(models.TextChoices):
    PERCENT = "percent", _("Tỷ lệ (tử số/mẫu số)")
    COUNT = "count", _("Số lượng")
    YES_NO = "yes_no", _("Đạt/Chưa đạt")


class Aggregation(models.TextChoices):
    RATE = "rate", _("Tỷ lệ từ tổng tử số và tổng mẫu số")
    SUM = "sum", _("Tổng cộng")
    SHARE_ACHIEVING = "share", _("Tỷ lệ xã đạt")
    MEAN = "mean", _("Trung bình cộng")


# A rate needs numerators and denominators; a yes/no answer can only be counted as achieved or not.
ALLOWED_AGGREGATIONS = {
    Measure.PERCENT: {Aggregation.RATE, Aggregation.MEAN, Aggregation.SHARE_ACHIEVING},
    Measure.COUNT: {Aggregation.SUM, Aggregation.MEAN, Aggregation.SHARE_ACHIEVING},
    Measure.YES_NO: {Aggregation.SHARE_ACHIEVING},
}


class CatalogueEntryQuerySet(models.QuerySet):
    def for_province(self, province):
        return self.filter(province=province)


class CatalogueEntry(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="catalogue_entries", verbose_name=_("tỉnh")
    )
    code = models.CharField(_("mã"), max_length=20)
    name = NFCTextField(_("tên chỉ tiêu"))
    pillar = models.CharField(_("trụ cột"), max_length=20, choices=Pillar.choices, default=Pillar.OTHER)
    measure = models.CharField(_("đo bằng"), max_length=10, choices=Measure.choices)
    aggregation = models.CharField(_("cách tổng hợp các xã"), max_length=10, choices=Aggregation.choices)
    source = NFCCharField(
        _("nguồn (văn bản, mục)"), max_length=255, blank=True, help_text=_("Ví dụ: KH 02-KH/BCĐTW, mục II.1")
    )
    target_text = NFCCharField(_("mục tiêu của tỉnh (như văn bản ghi)"), max_length=255, blank=True)
    # The province's target parsed by indicators.targets.parse_target, as Target stores it.
    target_kind = models.CharField(
        _("dạng mục tiêu"), max_length=10, choices=list(TARGET_KIND_LABELS.items()), blank=True
    )
    target_comparator = models.CharField(
        _("so sánh"), max_length=3, choices=list(COMPARATOR_LABELS.items()), blank=True
    )
    target_value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_min = models.DecimalField(_("từ"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_max = models.DecimalField(_("đến"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_unit = NFCCharField(_("đơn vị tính"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    # The folded name (common.text.fold) the link suggestions compare with.
    folded_name = models.TextField(editable=False, default="")

    history = HistoricalRecords()
    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu chung")
        verbose_name_plural = _("chỉ tiêu chung")
        ordering = ["province", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="catalogue_entry_unique_code"),
            models.CheckConstraint(
                # Sorted: a set's order changes between runs, and so would the migration.
                condition=Q(
                    measure=Measure.PERCENT, aggregation__in=sorted(ALLOWED_AGGREGATIONS[Measure.PERCENT])
                )
                | Q(measure=Measure.COUNT, aggregation__in=sorted(ALLOWED_AGGREGATIONS[Measure.COUNT]))
                | Q(measure=Measure.YES_NO, aggregation__in=sorted(ALLOWED_AGGREGATIONS[Measure.YES_NO])),
                name="catalogue_entry_aggregation_fits_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def parsed_target(self) -> ParsedTarget | None:
        if not self.target_text:
            return None
        return ParsedTarget(
            kind=TargetKind(self.target_kind),
            comparator=Comparator(self.target_comparator) if self.target_comparator else None,
            value=self.target_value,
            min_value=self.target_min,
            max_value=self.target_max,
            unit=self.target_unit,
            qualifier="",
            raw=self.target_text,
        )

    def refresh_folded_name(self) -> None:
        self.folded_name = fold(self.name)


class LinkState(models.TextChoices):
    SUGGESTED = "suggested", _("Gợi ý, chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    REFUSED = "refused", _("Đã từ chối")


class IndicatorLinkQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(state=LinkState.CONFIRMED)


class IndicatorLink(models.Model):
    """A commune indicator's place in its province's catalogue.

    Only a confirmed link counts in the province matrix. A refused suggestion is kept, so the next run of
    the suggestions does not offer the same entry again.
    """

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="catalogue_link", verbose_name=_("chỉ tiêu của xã")
    )
    entry = models.ForeignKey(
        CatalogueEntry, on_delete=models.CASCADE, related_name="links", verbose_name=_("chỉ tiêu chung")
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=LinkState.choices)
    score = models.PositiveSmallIntegerField(_("độ giống (0-100)"), default=0)
    # How far the suggested entry scored ahead of the next best: a close second means the choice is unclear.
    margin = models.PositiveSmallIntegerField(_("hơn mục kế tiếp"), default=0)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    history = HistoricalRecords()
    objects = IndicatorLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("liên kết chỉ tiêu chung")
        verbose_name_plural = _("liên kết chỉ tiêu chung")
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="indicator_link_score_max_100"),
        ]
        indexes = [models.Index(fields=["entry", "state"], name="indicator_link_entry_state")]

    def __str__(self) -> str:
        return f"{self.indicator} → {self.entry.code}"


class CatalogueImport(models.Model):
    """An uploaded catalogue workbook between its preview and its confirmation (the bytes are imported
    exactly as previewed: the confirmation names their hash)."""

    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="catalogue_imports", verbose_name=_("tỉnh")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người tải lên")
    )
    data = models.BinaryField(_("nội dung tệp"))
    original_name = NFCCharField(_("tên tệp gốc"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    imported_at = models.DateTimeField(_("đã nhập lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập danh mục")
        verbose_name_plural = _("lượt nhập danh mục")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.province})"
