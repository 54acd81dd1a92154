"""The jobs the worker runs: each calls the service that does the work, and retries what may pass.

A job that fails for a reason a retry cannot fix (a report no longer a draft, a signer without the right)
fails at once, and its error stays in the result backend for the page that queued it.
"""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from alerts.services import reminders_send
from jobs import claims
from reports import files, services
from reports.models import Report

logger = logging.getLogger("cds.jobs")

# Passing failures: the database or the file store briefly out of reach. Each retry waits about twice as long
# as the one before (with jitter, so servers do not retry in step), at most 10 minutes, 5 times.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": 15, "retry_backoff_max": 600, "max_retries": 5}
# A daily job's claim outlives its day's run but not the next day's.
DAY_CLAIM_SECONDS = 20 * 3600
ORPHAN_AGE = dt.timedelta(hours=24)


@shared_task(name="jobs.render_report_files", **RETRY)
def render_report_files(report_id: int, actor_id: int) -> dict:
    """Approve a draft for `actor`: reports.services.report_approve renders and stores its PDF and XLSX,
    and the report becomes approved in the same transaction, only once both files are stored."""
    report = Report.objects.get(pk=report_id)
    actor = get_user_model().objects.get(pk=actor_id)
    approved = services.report_approve(report=report, actor=actor)
    logger.info(
        "report files stored",
        extra={"report": report_id, "pdf": approved.pdf_file.name, "xlsx": approved.xlsx_file.name},
    )
    return {"report": report_id, "pdf": approved.pdf_file.name, "xlsx": approved.xlsx_file.name}


@shared_task(name="jobs.send_daily_reminders", bind=True, max_retries=5)
def send_daily_reminders(self, day: str | None = None) -> dict:
    """The day's reminder emails (alerts.services.reminders_send), once whatever the number of beats."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    name = f"reminders:{today.isoformat()}"
    if not claims.claim(name, seconds=DAY_CLAIM_SECONDS):
        logger.info("reminders already claimed", extra={"day": today.isoformat()})
        return {"day": today.isoformat(), "claimed": False}
    try:
        summary = reminders_send(today=today, base_url=settings.SITE_URL)
    except TRANSIENT as error:
        claims.release(name)
        raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
    except BaseException:
        claims.release(name)
        raise
    result = {
        "day": today.isoformat(),
        "claimed": True,
        "sent": len(summary.sent),
        "already_sent": len(summary.already_sent),
        "failed": len(summary.failed),
    }
    logger.info("reminders sent", extra=result)
    if summary.failed:
        # The failed people have no log row for the day, so the retry sends to them and only to them.
        claims.release(name)
        raise self.retry(countdown=_backoff(self.request.retries))
    return result


@shared_task(name="jobs.purge_orphan_files", **RETRY)
def purge_orphan_files() -> dict:
    """Delete stored files no row names any more (reports.files.orphan_files_purge), once a day."""
    name = f"orphan-purge:{timezone.localdate().isoformat()}"
    if not claims.claim(name, seconds=DAY_CLAIM_SECONDS):
        return {"claimed": False}
    try:
        removed = files.orphan_files_purge(older_than=ORPHAN_AGE)
    except BaseException:
        claims.release(name)
        raise
    logger.info("orphan files purged", extra={"count": len(removed)})
    return {"claimed": True, "removed": removed}


def _backoff(retries: int) -> int:
    return min(600, 15 * 2**retries)
