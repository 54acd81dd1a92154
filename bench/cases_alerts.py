"""Reminders on the scale data: one person's alerts, the alerts page, and the whole province's daily digests.

The day measured is two days before the open period's due date, so every rule has something to say
(due soon, overdue, returned, missing entries, the review queue and the units that sent nothing).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from alerts.digest import compose
from alerts.selectors import alerts_for, reminder_recipients
from plans.selectors import open_period
from units.models import Commune

PROVINCE_CODE = "QM"  # the scale data contract: province "Tỉnh Quy Mô", code QM


def run(bench) -> None:
    if not bench.wants_topic("alerts"):
        return
    commune = Commune.objects.filter(province__code=PROVINCE_CODE).order_by("code").first()
    if commune is None:
        raise SystemExit("cases_alerts: run `manage.py seed_scale` first (no province «Quy Mô»).")
    period = open_period(commune)
    day = period.due_date - dt.timedelta(days=2)
    users = get_user_model().objects
    clerk, reviewer = users.get(username="qm001.canbo"), users.get(username="qm001.thamdinh")

    def one_person() -> None:
        for person in (clerk, reviewer):
            person.__dict__.pop("_cds_scope", None)  # measure the scope's queries too, as a request would
            alerts_for(person, day)

    bench.measure("alerts: alerts_for clerk + reviewer (qm001)", one_person)
    bench.use_floor(bench.client("qm001.canbo"))
    bench.page(
        "alerts: /nhac-viec/ as qm001.thamdinh", bench.client("qm001.thamdinh"), reverse("alerts:list")
    )
    bench.page(
        "alerts: /viec-cua-toi/ with panel as qm001.canbo",
        bench.client("qm001.canbo"),
        reverse("tracking:my_work"),
    )

    communes = Commune.objects.filter(province__code=PROVINCE_CODE).count()
    # The scale users have no email address; give them one inside a transaction that is rolled back.
    with transaction.atomic():
        users.filter(username__startswith="qm").exclude(username__startswith="so.").update(
            email="x@example.vn"
        )
        recipients = reminder_recipients(day)

        def dry_run() -> None:
            for recipient in reminder_recipients(day):
                compose(recipient.user, recipient.alerts, base_url="https://cds.example.vn")

        bench.measure(
            # One name at every size, so `--baseline` compares the query count at 1 commune and at 130.
            "alerts: send_reminders --dry-run for the province",
            dry_run,
            repeat=3,
            warmup=1,
            memory=True,
            extra={"recipients": len(recipients), "communes": communes},
        )
        transaction.set_rollback(True)
