from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderLog(models.Model):
    """One row per person per day a digest went out.

    The row is written in the same transaction as the email is sent, and the unique (user, day) pair is what
    stops a second email: a second run, even a concurrent one, fails to insert and sends nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_logs",
        verbose_name=_("người nhận"),
    )
    day = models.DateField(_("ngày nhắc"))
    sent_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    email = models.EmailField(_("địa chỉ thư"))
    subject = models.CharField(_("tiêu đề"), max_length=255)

    class Meta:
        verbose_name = _("thư nhắc việc đã gửi")
        verbose_name_plural = _("thư nhắc việc đã gửi")
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user} – {self.day:%d/%m/%Y}"
