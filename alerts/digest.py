"""The reminder email: subject and plain-text body in Vietnamese, with links into the app."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alerts.selectors import Alerts


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str


def subject_for(alerts: Alerts) -> str:
    """`[CĐS Nghĩa Đàn] 3 việc sắp đến hạn, 1 việc quá hạn, 1 mục bị trả lại`."""
    return f"[CĐS {', '.join(alerts.communes)}] {alerts.summary()}"


def compose(user, alerts: Alerts, *, base_url: str) -> Digest:
    """The email for one person; `base_url` (SITE_URL) turns the app's paths into links a mail can carry."""
    base = base_url.rstrip("/")
    # The command may run with no language active: the dates and words must still be Vietnamese.
    with translation.override("vi"):
        body = render_to_string(
            "alerts/email/digest.txt",
            {
                "name": user.get_full_name() or user.username,
                "alerts": alerts,
                "base": base,
                "alerts_url": base + reverse("alerts:list"),
            },
        )
    return Digest(subject=subject_for(alerts), body=body)
