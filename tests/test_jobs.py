"""The jobs (jobs/tasks.py), run eagerly as in tests and `make run`: each does its service's work, a daily job
runs once however many beats queue it, and a failed run gives its claim back for the retry."""

import datetime as dt
import os
import time

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.utils import timezone

from indicators.services import indicator_result_return, indicator_result_save
from jobs import tasks
from reports import services as report_services
from reports.models import Report, ReportStatus

DAY = "2026-12-26"  # five days before world.period's due date: the clerk has reminders
SIGNED_ON = dt.date(2027, 1, 8)  # a report speaks of a finished period: after world.period (2026-Q4) ends


@pytest.fixture
def after_the_quarter(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: SIGNED_ON)


def submitted_report(world):
    report = report_services.report_create(plan=world.plan, period=world.period, actor=world.reviewer)
    report_services.report_update(
        report=report,
        actor=world.reviewer,
        number="5/BC-UBND",
        report_date=SIGNED_ON,
        signer_name="Nguyễn Văn An",
    )
    return report_services.report_submit(report=report, actor=world.reviewer)


@pytest.fixture(autouse=True)
def _no_claims():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mailed(world, settings):
    settings.SITE_URL = "https://cds.nghiadan.example"
    for person in (world.clerk, world.colleague, world.reviewer):
        person.email = f"{person.username}@nghiadan.example"
        person.save(update_fields=["email"])
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=70, submit=True
    )
    indicator_result_return(result=result, actor=world.reviewer, comment="Số liệu chưa khớp")
    return world


def test_two_concurrent_runs_of_the_daily_reminders_send_once(mailed, monkeypatch):
    real = tasks.reminders_send
    second_runs = []

    def a_second_beat_fires_while_the_first_sends(**kwargs):
        second_runs.append(tasks.send_daily_reminders.apply((DAY,)).result)
        return real(**kwargs)

    monkeypatch.setattr(tasks, "reminders_send", a_second_beat_fires_while_the_first_sends)
    first = tasks.send_daily_reminders.delay(DAY).get()

    assert second_runs == [{"day": DAY, "claimed": False}]
    assert first["claimed"] is True and first["sent"] >= 1
    assert len(mail.outbox) == first["sent"]
    assert len({tuple(message.to) for message in mail.outbox}) == len(mail.outbox), "one email per person"
    assert tasks.send_daily_reminders.delay(DAY).get() == {"day": DAY, "claimed": False}
    assert len(mail.outbox) == first["sent"]


def test_a_run_that_fails_gives_the_day_back_and_its_retry_sends(mailed, monkeypatch):
    real = tasks.reminders_send
    calls = []

    def database_gone_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(tasks, "reminders_send", database_gone_once)
    # Eagerly, the retry the worker would run later is handed back to the caller.
    with pytest.raises(Retry):
        tasks.send_daily_reminders.delay(DAY).get()
    assert mail.outbox == []

    retried = tasks.send_daily_reminders.delay(DAY).get()

    assert retried["claimed"] is True and retried["sent"] == len(mail.outbox) >= 1


def approved_waiting_for_files(world):
    """The leader approved (checked at once); the job queued on commit has not run yet."""
    report = report_services.report_approve(report=submitted_report(world), actor=world.leader)
    assert report.status == ReportStatus.RENDERING and not report.pdf_file
    return report


def test_render_report_files_approves_with_both_files_stored(world, after_the_quarter):
    report = approved_waiting_for_files(world)

    result = tasks.render_report_files.delay(report.pk, world.leader.pk).get()

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == world.leader
    assert result == {
        "report": report.pk,
        "pdf": report.pdf_file.name,
        "xlsx": report.xlsx_file.name,
        "approved": True,
    }
    with report.pdf_file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # Delivered a second time (acks_late after a lost acknowledgement): nothing is made again.
    assert tasks.render_report_files.delay(report.pk, world.leader.pk).get() == {
        "report": report.pk,
        "approved": False,
    }
    assert Report.objects.get(pk=report.pk).pdf_file.name == result["pdf"]


def test_render_report_files_refuses_a_signer_without_the_right_and_stores_nothing(world, after_the_quarter):
    from django.core.exceptions import PermissionDenied

    report = approved_waiting_for_files(world)

    with pytest.raises(PermissionDenied):
        tasks.render_report_files.delay(report.pk, world.clerk.pk).get()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.pdf_file
    assert report.render_error == "Chỉ lãnh đạo UBND xã mới được duyệt báo cáo."


def test_render_report_files_retries_a_passing_failure_with_backoff_then_gives_the_report_back(
    world, after_the_quarter, monkeypatch
):
    report = approved_waiting_for_files(world)

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(report_services, "report_files_store", database_gone)
    waits = []
    for retries in range(tasks.render_report_files.max_retries):
        with pytest.raises(Retry) as retry:
            tasks.render_report_files.apply((report.pk, world.leader.pk), retries=retries)
        waits.append(retry.value.when)
        assert Report.objects.get(pk=report.pk).status == ReportStatus.RENDERING, "the worker retries later"
    assert waits == [15, 30, 60, 120, 240]

    with pytest.raises(OperationalError):
        tasks.render_report_files.apply((report.pk, world.leader.pk), retries=5)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.pdf_file and report.approved_by is None
    assert report.render_error == report_services.RENDER_FAILED


def test_orphan_purge_removes_old_unnamed_files_once_a_day(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = default_storage.save("reports/2026/bo-lai.pdf", ContentFile(b"%PDF-1.7 left by a killed worker"))
    young = default_storage.save("reports/2026/dang-ghi.pdf", ContentFile(b"%PDF-1.7 being written"))
    two_days_ago = time.time() - 2 * 86_400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))

    assert tasks.purge_orphan_files.delay().get() == {"claimed": True, "removed": [old]}
    assert not default_storage.exists(old) and default_storage.exists(young)
    assert tasks.purge_orphan_files.delay().get() == {"claimed": False}
