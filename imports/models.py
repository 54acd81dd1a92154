import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField, NFCTextField
from plans.models import Plan
from units.models import Commune, Province


def _stored_name(instance, filename: str) -> str:
    # The uploader's file name never reaches the disk: a random name under MEDIA_ROOT/imports/.
    return f"imports/{secrets.token_hex(16)}.xlsx"


def _stored_people_name(instance, filename: str) -> str:
    return f"imports/nguoi-dung-{secrets.token_hex(16)}.xlsx"


class ImportBatch(models.Model):
    """An uploaded workbook between its preview and its confirmation.

    The confirmation imports exactly the bytes that were previewed: the hash is checked before reading.
    """

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="import_batches", verbose_name=_("xã/phường")
    )
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_batches",
        verbose_name=_("kế hoạch cập nhật"),
    )
    title = NFCTextField(_("trích yếu kế hoạch mới"), blank=True)
    year = models.PositiveSmallIntegerField(_("năm kế hoạch mới"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người tải lên")
    )
    file = models.FileField(_("tệp"), upload_to=_stored_name)
    original_name = NFCCharField(_("tên tệp gốc"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    imported_at = models.DateTimeField(_("đã nhập lúc"), null=True, blank=True)
    result_plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kế hoạch đã nhập"),
    )

    class Meta:
        verbose_name = _("lượt nhập Excel")
        verbose_name_plural = _("lượt nhập Excel")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(plan__isnull=False) | (~models.Q(title="") & models.Q(year__isnull=False)),
                name="import_batch_plan_or_new_title",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"


class PeopleBatch(models.Model):
    """An uploaded list of people between its preview and its confirmation, as ImportBatch is for a plan.

    `commune` is set when the uploader manages that commune only (its reviewer): rows naming another commune
    are problems. Without it the list may name any commune of the province (its administrator).
    """

    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="people_batches", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people_batches",
        verbose_name=_("chỉ xã/phường"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người tải lên")
    )
    file = models.FileField(_("tệp"), upload_to=_stored_people_name)
    original_name = NFCCharField(_("tên tệp gốc"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    imported_at = models.DateTimeField(_("đã nhập lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập người dùng")
        verbose_name_plural = _("lượt nhập người dùng")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"
