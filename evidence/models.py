import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField
from indicators.models import IndicatorResult
from tasks.models import TaskContribution, TaskUpdate


def _stored_name(instance, filename: str) -> str:
    # The stored name is ours, never the user's: no path tricks, no clashes.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"evidence/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """A file proving a result or an update; readable only by those who may read what it belongs to."""

    result = models.ForeignKey(
        IndicatorResult, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    update = models.ForeignKey(
        TaskUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    contribution = models.ForeignKey(
        TaskContribution, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(_("tệp"), upload_to=_stored_name)
    original_name = NFCCharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(result__isnull=False, update__isnull=True, contribution__isnull=True)
                    | Q(result__isnull=True, update__isnull=False, contribution__isnull=True)
                    | Q(result__isnull=True, update__isnull=True, contribution__isnull=False)
                ),
                name="evidence_belongs_to_one_entry",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def owner(self):
        return self.result or self.update or self.contribution
