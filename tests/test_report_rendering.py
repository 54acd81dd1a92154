"""The leader's approval with the files made by the worker: checked at once, then "being made" (the page
says so and polls) until the job stores both files; a job that fails gives the report back, saying why."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from jobs import tasks
from reports import services
from reports.models import Report, ReportStatus
from reports.selectors import report_content
from tests.test_report_workflow import approval_form, submitted
from tests.test_reports import pdf_text
from units.models import Commune

TODAY = dt.date(2027, 1, 8)  # after world.period (2026-Q4) has ended


@pytest.fixture(autouse=True)
def after_the_quarter(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def post_approval(client, report, **changes):
    """The leader's approval; returns the response and the callbacks queued for after the commit (the job)."""
    with TestCase.captureOnCommitCallbacks() as queued:
        response = client.post(reverse("reports:approve", args=[report.pk]), approval_form(report, **changes))
    return response, queued


def test_approval_answers_at_once_and_the_page_polls_while_the_files_are_made(client, world):
    report = submitted(world)
    client.force_login(world.leader)

    response, queued = post_approval(client, report, number="12")

    assert response.status_code == 302 and len(queued) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.RENDERING and report.number == "12" and not report.pdf_file
    page = client.get(response["Location"]).content.decode()
    assert "máy chủ đang tạo tệp PDF và Excel" in page and "Đang tạo tệp" in page
    poll = reverse("reports:files_status", args=[report.pk])
    assert f'hx-get="{poll}"' in page and 'hx-trigger="every 2s"' in page
    assert 'id="approve"' not in page and 'id="return"' not in page
    still = client.get(poll)
    assert still.status_code == 200 and "HX-Refresh" not in still and 'hx-trigger="every 2s"' in still.text

    assert report_content(report).is_draft, "unsigned until its files are stored"

    version = Commune.objects.get(pk=world.commune.pk).data_version
    queued[0]()  # the worker runs the job, outside any request

    assert Commune.objects.get(pk=world.commune.pk).data_version > version, "cached pages must see it"
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.pdf_file and report.xlsx_file
    assert "DỰ THẢO" not in pdf_text(report.pdf_file.read()), "the stored files are the signed ones"
    done = client.get(poll)
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.text
    client.force_login(world.reviewer)
    assert "Đánh dấu đã gửi tỉnh" in client.get(reverse("reports:detail", args=[report.pk])).text


def test_a_refused_approval_is_told_at_once_and_queues_nothing(client, world):
    report = submitted(world)
    client.force_login(world.leader)

    response, queued = post_approval(client, report, report_date="30/12/2026")

    assert response.status_code == 400 and queued == []
    assert "không được trước ngày kết thúc kỳ 2026-Q4 (31/12/2026)" in response.text
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.render_error == ""


def test_nothing_edits_returns_approves_or_sends_a_report_while_its_files_are_made(client, world):
    report = services.report_approve(report=submitted(world), actor=world.leader)
    assert report.status == ReportStatus.RENDERING

    with pytest.raises(ValidationError):
        services.report_update(report=report, actor=world.reviewer, overall_assessment="sửa lúc đang tạo tệp")
    with pytest.raises(ValidationError):
        services.report_return_to_draft(report=report, actor=world.leader, comment="trả lúc đang tạo tệp")
    with pytest.raises(ValidationError):
        services.report_approve(report=report, actor=world.leader)
    with pytest.raises(ValidationError):
        services.report_send(report=report, actor=world.reviewer)
    client.force_login(world.leader)
    assert client.post(reverse("reports:return", args=[report.pk]), {"comment": "trả"}).status_code == 302
    _response, queued = post_approval(client, report)
    assert queued == []
    client.force_login(world.reviewer)
    assert client.get(reverse("reports:edit", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RENDERING and report.returned_at is None and not report.pdf_file


def test_a_job_that_fails_gives_the_report_back_and_the_leader_approves_again(client, world, monkeypatch):
    report = submitted(world)
    client.force_login(world.leader)
    real = services.pdf.render_pdf

    def renderer_broken(content):
        raise RuntimeError("weasyprint: out of memory")

    monkeypatch.setattr(services.pdf, "render_pdf", renderer_broken)
    _response, queued = post_approval(client, report)
    queued[0]()  # eagerly, as in `make run`: the job fails inside the queueing call, which tells the report

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.pdf_file and report.approved_at is None
    page = client.get(reverse("reports:detail", args=[report.pk])).text
    assert services.RENDER_FAILED in page and 'id="approve"' in page
    assert "out of memory" not in page, "the cause is for the log, not the page"

    monkeypatch.setattr(services.pdf, "render_pdf", real)
    _response, queued = post_approval(client, report)
    queued[0]()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.pdf_file and report.render_error == ""
    assert services.RENDER_FAILED not in client.get(reverse("reports:detail", args=[report.pk])).text


def test_a_broker_out_of_reach_gives_the_report_back_instead_of_leaving_it_waiting(world, monkeypatch):
    report = submitted(world)

    def unreachable(*args, **kwargs):
        raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_report_files, "delay", unreachable)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.report_approve(report=report, actor=world.leader)

    report = Report.objects.get(pk=report.pk)
    assert report.status == ReportStatus.SUBMITTED and report.render_error == services.RENDER_FAILED


def test_a_web_process_knows_the_job_it_queues_by_name():
    # Celery's autodiscovery waits for a worker to start; a web process finds the job because jobs' app
    # registers it (a fresh process, since the tests import jobs.tasks themselves).
    code = (
        "import django; django.setup(); from celery import current_app; "
        f"assert {services.RENDER_JOB!r} in current_app.tasks"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)  # noqa: S603


def test_a_job_past_its_soft_time_limit_gives_the_report_back(world, monkeypatch, settings):
    from billiard.exceptions import SoftTimeLimitExceeded

    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    report = services.report_approve(report=submitted(world), actor=world.leader)

    def too_long(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "report_files_store", too_long)
    with pytest.raises(SoftTimeLimitExceeded):
        tasks.render_report_files.apply((report.pk, world.leader.pk))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.render_error == services.RENDER_FAILED
