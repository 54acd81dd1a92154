"""Sending the daily reminder emails."""

import datetime as dt
import logging
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction

from alerts.digest import compose
from alerts.models import ReminderLog
from alerts.selectors import reminder_recipients

logger = logging.getLogger(__name__)


@dataclass
class ReminderSummary:
    day: dt.date
    sent: list[str] = field(default_factory=list)  # usernames
    already_sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def reminders_send(*, today: dt.date, base_url: str) -> ReminderSummary:
    """Email each person with something to be told their digest for `today`, at most once a day.

    The log row is inserted before the email goes out, in one transaction per person: if a run already
    wrote today's row (a second run, or a concurrent one still sending) the unique constraint refuses the
    insert and nothing is sent; if sending fails, the row is rolled back so a later run can try again.
    """
    summary = ReminderSummary(day=today)
    logged = set(ReminderLog.objects.filter(day=today).values_list("user_id", flat=True))
    with get_connection() as connection:
        for recipient in reminder_recipients(today):
            user = recipient.user
            if user.pk in logged:
                summary.already_sent.append(user.username)
                continue
            digest = compose(user, recipient.alerts, base_url=base_url)
            message = EmailMessage(
                subject=digest.subject,
                body=digest.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                connection=connection,
            )
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(
                        user=user, day=today, email=user.email, subject=digest.subject[:255]
                    )
                    message.send()
            except IntegrityError:
                summary.already_sent.append(user.username)
            except (SMTPException, OSError):
                logger.exception("Không gửi được thư nhắc việc cho %s", user.username)
                summary.failed.append(user.username)
            else:
                summary.sent.append(user.username)
    return summary
