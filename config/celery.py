"""The Celery application: jobs (jobs/tasks.py) on Redis, configured from Django's CELERY_* settings.

Web servers queue jobs; `celery -A config worker` runs them and `celery -A config beat` queues the daily ones
(deploy/). With CELERY_TASK_ALWAYS_EAGER (DEBUG, tests) a job runs inside the call that queues it instead.
"""

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("cds_xa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _daily(at: str) -> crontab:
    hour, minute = at.split(":")
    return crontab(hour=int(hour), minute=int(minute))


@app.on_after_finalize.connect
def _schedule(sender: Celery, **kwargs) -> None:
    # Beat may run on every server: each daily job claims its day first (jobs.claims), so it runs once.
    sender.conf.beat_schedule = {
        "daily-reminders": {"task": "jobs.send_daily_reminders", "schedule": _daily(settings.REMINDERS_AT)},
        "orphan-file-purge": {
            "task": "jobs.purge_orphan_files",
            "schedule": _daily(settings.ORPHAN_PURGE_AT),
        },
    }
