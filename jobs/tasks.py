"""The jobs the worker runs: each calls the service that does the work, and retries what may pass.

A job that fails for a reason a retry cannot fix (a signer without the right) fails at once; the report
files job then also puts the report back to the leader with the reason on the report page.
"""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from alerts.services import reminders_send
from jobs import claims
from reports import files, services

logger = logging.getLogger("cds.jobs")

# Passing failures: the database or the file store briefly out of reach. Each retry waits about twice as long
# as the one before (with jitter, so servers do not retry in step), at most 10 minutes, 5 times.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": 15, "retry_backoff_max": 600, "max_retries": 5}
# A daily job's claim outlives its day's run but not the next day's.
DAY_CLAIM_SECONDS = 20 * 3600
ORPHAN_AGE = dt.timedelta(hours=24)


@shared_task(name="jobs.render_report_files", bind=True, max_retries=5)
def render_report_files(self, report_id: int, actor_id: int) -> dict:
    """Make the files of a report the leader approved (reports.services.report_approve queues this): the
    report becomes approved in the same transaction that stores both files. A passing failure is retried
    with backoff; a failure that stays, or one no retry can fix (the leader lost the right), puts the report
    back to the leader with the reason on its page."""
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        approved = services.report_files_store(report_id=report_id, actor=actor)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=_backoff(self.request.retries)) from error
        services.report_files_failed(report_id=report_id, error=services.RENDER_FAILED)
        raise
    except (PermissionDenied, ValidationError) as error:
        services.report_files_failed(report_id=report_id, error=" ".join(_messages(error)))
        raise
    except Exception:
        services.report_files_failed(report_id=report_id, error=services.RENDER_FAILED)
        raise
    if approved is None:
        logger.info("report not waiting for its files", extra={"report": report_id})
        return {"report": report_id, "approved": False}
    result = {"report": report_id, "pdf": approved.pdf_file.name, "xlsx": approved.xlsx_file.name}
    logger.info("report files stored", extra=result)
    return {**result, "approved": True}


def _messages(error: PermissionDenied | ValidationError) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


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
