"""The report's path in a real browser: the leader reads a submitted report and returns it with a comment;
the reviewer finds the comment on the report and in Nhắc việc.

Then the leader approves: the page says the files are being made and polls until the worker has stored them.

Screens go to artifacts/screenshots/ (30: the leader's approval step, 31: the reviewer after the return,
32: the files being made, 33: approved once they are stored)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from config.celery import app as celery_app
from jobs import tasks
from reports import services
from reports.models import ReportStatus
from tests import builders
from tests.browser.test_journey import log_in
from units.models import Role, Unit

pytestmark = pytest.mark.browser


def test_leader_returns_a_submitted_report_and_the_reviewer_reads_why(
    browser, live_server, journey, screenshot, monkeypatch
):
    # A day after the quarter, so the report can carry a valid date.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2027, 1, 8))
    plan = journey.task.plan
    leader = builders.member(
        Unit.objects.get(name="Trung tâm Phục vụ hành chính công"), Role.LEADER, "leader"
    )
    report = services.report_create(plan=plan, period=journey.period, actor=journey.reviewer)
    report = services.report_update(
        report=report, actor=journey.reviewer, number="5", signer_name="Nguyễn Văn An"
    )
    services.report_submit(report=report, actor=journey.reviewer)
    url = live_server.url + reverse("reports:detail", args=[report.pk])

    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, leader.username)
    page.goto(url)
    expect(page.get_by_role("heading", name="Duyệt báo cáo")).to_be_visible()
    expect(page.locator("#id_number")).to_have_value("5")
    screenshot(page, "30-report-submitted-leader")
    page.fill("#id_comment", "Bổ sung kết quả chỉ tiêu 1 trước khi ký.")
    page.get_by_role("button", name="Trả lại kèm ý kiến").click()
    expect(page.get_by_text("Đã trả báo cáo cho Phòng Văn hóa - Xã hội")).to_be_visible()
    context.close()

    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, journey.reviewer.username)
    page.goto(live_server.url + reverse("alerts:list"))
    expect(page.get_by_text("Bổ sung kết quả chỉ tiêu 1 trước khi ký.")).to_be_visible()
    page.goto(url)
    expect(page.get_by_role("button", name="Trình lãnh đạo")).to_be_visible()
    expect(page.locator(".returned-comment").first).to_contain_text("Bổ sung kết quả chỉ tiêu 1")
    screenshot(page, "31-report-returned-reviewer")
    context.close()


def test_leader_approves_and_the_page_waits_for_the_workers_files(
    browser, live_server, journey, screenshot, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2027, 1, 8))
    # A worker of its own: the approval queues the job (on the in-process broker) instead of running it.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    leader = builders.member(
        Unit.objects.get(name="Trung tâm Phục vụ hành chính công"), Role.LEADER, "leader"
    )
    report = services.report_create(plan=journey.task.plan, period=journey.period, actor=journey.reviewer)
    report = services.report_update(
        report=report, actor=journey.reviewer, number="5", signer_name="Nguyễn Văn An"
    )
    services.report_submit(report=report, actor=journey.reviewer)

    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, leader.username)
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator("#rendering")).to_contain_text("Đang tạo tệp PDF và Excel đã duyệt")
    expect(page.get_by_role("button", name="Trả lại kèm ý kiến")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == ReportStatus.RENDERING
    screenshot(page, "32-report-files-being-made")

    tasks.render_report_files.apply((report.pk, leader.pk))  # the worker

    expect(page.locator("h1 .badge")).to_have_text("Đã duyệt")  # the poll saw it and reloaded the page
    expect(page.locator("#rendering")).to_have_count(0)
    expect(page.get_by_role("link", name="Tải PDF")).to_be_visible()
    screenshot(page, "33-report-approved-files-stored")
    context.close()


def test_a_report_whose_files_failed_shows_the_reason_and_the_approval_again(
    browser, live_server, journey, screenshot, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2027, 1, 8))
    leader = builders.member(
        Unit.objects.get(name="Trung tâm Phục vụ hành chính công"), Role.LEADER, "leader"
    )
    report = services.report_create(plan=journey.task.plan, period=journey.period, actor=journey.reviewer)
    report = services.report_update(
        report=report, actor=journey.reviewer, number="5", signer_name="Nguyễn Văn An"
    )
    services.report_submit(report=report, actor=journey.reviewer)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)  # queued, not run
    services.report_approve(report=report, actor=leader)
    services.report_files_failed(report_id=report.pk, error=services.RENDER_FAILED)  # after the retries

    context = browser.new_context()
    page = context.new_page()
    log_in(page, live_server, leader.username)
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    expect(page.locator(".render-error")).to_contain_text("chưa tạo được tệp PDF và Excel")
    expect(page.get_by_role("heading", name="Duyệt báo cáo")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("Chờ duyệt")
    screenshot(page, "34-report-files-failed-leader")
    context.close()
