import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField
from units.models import Province
from units.scope import scope_for


def token_digest(token: str) -> str:
    """What is stored of a token. A token carries 256 random bits, so a plain SHA-256 cannot be reversed by
    guessing, and a lookup by digest costs one indexed query per request (a slow password hash would not)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiClientQuerySet(models.QuerySet):
    def for_user(self, user):
        scope = scope_for(user)
        return self if scope.is_admin else self.filter(province_id__in=scope.admin_province_ids)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """A system that reads a province's figures through the API (the province's reporting system), with its
    own token: each can be revoked alone, and each has its own request budget."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("tỉnh")
    )
    name = NFCCharField(_("tên hệ thống"), max_length=100)
    # The first characters of the token, shown in the list so an administrator can tell tokens apart.
    token_prefix = models.CharField(_("đầu mã"), max_length=12, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thu hồi"),
    )

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("khách API")
        verbose_name_plural = _("khách API")
        ordering = ["province", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
