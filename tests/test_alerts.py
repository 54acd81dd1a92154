"""Deadline reminders: who is told what, by email once a day and on their pages.

The world's period is 2026-Q4 (due 31/12/2026); world.task (due Quý 4/2026 = 31/12/2026) and
world.indicator are led by the clerk's unit (Trung tâm PVHCC); the colleague works in Phòng Kinh tế.
"""

import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import ReminderLog
from alerts.selectors import alerts_for, reminder_recipients
from alerts.services import reminders_send
from indicators.services import indicator_result_return, indicator_result_save
from plans.models import ReportingPeriod
from plans.periods import parse_period_code
from tasks.services import task_contribution_save, task_update_save
from tests import builders
from units.models import Role

DAY = dt.date(2026, 12, 26)  # five days before the period's due date and world.task's deadline
SITE = "https://cds.nghiadan.example"


@pytest.fixture
def mailed(world, settings):
    """The world with email addresses for the clerk, the colleague and the reviewer; links point at SITE."""
    settings.SITE_URL = SITE
    for person in (world.clerk, world.colleague, world.reviewer):
        person.email = f"{person.username}@nghiadan.example"
        person.save(update_fields=["email"])
    return world


def task(world, description: str, lead: str, deadline: str, **kwargs):
    return builders.task(world.task.section, description=description, lead=lead, deadline=deadline, **kwargs)


def returned_result(world, comment: str = "Số liệu chưa khớp với báo cáo tháng"):
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(70), submit=True
    )
    return indicator_result_return(result=result, actor=world.reviewer, comment=comment)


def titles(items) -> list[str]:
    return [item.text for item in items]


def outbox_for(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


# -- the right people get the right items --------------------------------------------------------------------


def test_clerk_is_told_of_their_units_due_overdue_and_returned_items_and_the_colleague_is_not(mailed):
    world = mailed
    task(world, "Rà soát hồ sơ tồn đọng", "Trung tâm PVHCC", "Tháng 10/2026")
    task(world, "Lắp camera chợ", "Phòng Kinh tế", "Trước ngày 30/12/2026")
    task(world, "Họp giao ban tháng", "Trung tâm PVHCC", "Thường xuyên")
    task(world, "Mua máy chủ năm sau", "Trung tâm PVHCC", "Quý 2/2027")
    returned_result(world)

    clerk = alerts_for(world.clerk, DAY)
    assert titles(clerk.due_soon) == [world.task.description]
    assert [(i.text, i.due_date) for i in clerk.overdue] == [
        ("Rà soát hồ sơ tồn đọng", dt.date(2026, 10, 31))
    ]
    assert titles(clerk.returned) == [world.indicator.name]
    assert clerk.returned[0].comment == "Số liệu chưa khớp với báo cáo tháng"
    assert clerk.returned[0].url == reverse(
        "tracking:result_edit", args=[world.indicator.pk, world.period.pk]
    )
    assert clerk.overdue[0].url.startswith("/nhiem-vu/")
    # The period is due in five days and none of the unit's five items is handed in (the indicator came back).
    assert [(d.period, d.missing) for d in clerk.deadlines] == [("2026-Q4", 5)]

    colleague = alerts_for(world.colleague, DAY)
    assert titles(colleague.due_soon) == ["Lắp camera chợ"]
    assert not colleague.overdue and not colleague.returned and not colleague.reviews


def test_clerks_email_lists_the_items_with_links_into_the_app_in_vietnamese(mailed):
    world = mailed
    late = task(world, "Rà soát hồ sơ tồn đọng", "Trung tâm PVHCC", "Tháng 10/2026")
    returned_result(world)

    call_command("send_reminders", date="26/12/2026", stdout=_Sink())

    [message] = outbox_for(world.clerk)
    assert message.subject == (
        "[CĐS Nghĩa Đàn] 1 việc sắp đến hạn, 1 việc quá hạn, 1 mục bị trả lại, 3 mục chưa gửi duyệt"
    )
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    body = message.body
    assert "Kính gửi clerk" in body and "nhắc việc ngày 26/12/2026" in body
    assert "NHIỆM VỤ QUÁ HẠN (1)" in body and "Hạn: 31/10/2026" in body
    assert f"{SITE}/nhiem-vu/{late.pk}/ky/{world.period.pk}/" in body
    assert f"{SITE}/chi-tieu/{world.indicator.pk}/ky/{world.period.pk}/" in body
    assert "Ý kiến thẩm định: Số liệu chưa khớp với báo cáo tháng" in body
    assert f"{SITE}{reverse('alerts:list')}" in body
    assert "&quot;" not in body and "&amp;" not in body  # plain text, not HTML-escaped


def test_colleague_of_another_unit_is_not_sent_the_clerks_items(mailed):
    world = mailed
    task(world, "Lắp camera chợ", "Phòng Kinh tế", "Trước ngày 30/12/2026")
    returned_result(world)

    call_command("send_reminders", date="26/12/2026", stdout=_Sink())

    [message] = outbox_for(world.colleague)
    assert "Lắp camera chợ" in message.body
    assert world.task.description not in message.body and world.indicator.name not in message.body
    assert "Lắp camera chợ" not in outbox_for(world.clerk)[0].body


def test_coordinating_unit_is_asked_for_its_contribution_until_it_writes_it(mailed):
    world = mailed
    shared = task(
        world,
        "Tuyên truyền dịch vụ công",
        "Trung tâm PVHCC",
        "Trước ngày 29/12/2026",
        coordinating_text="Phòng Kinh tế",
    )
    colleague = alerts_for(world.colleague, DAY)
    assert titles(colleague.to_contribute) == ["Tuyên truyền dịch vụ công"]
    assert colleague.to_contribute[0].url == reverse(
        "tracking:contribution_edit", args=[shared.pk, world.period.pk]
    )
    assert "Tuyên truyền dịch vụ công" in titles(alerts_for(world.clerk, DAY).due_soon)

    task_contribution_save(
        task=shared, period=world.period, unit=world.other_unit, actor=world.colleague, text="Đã in tờ rơi"
    )
    assert alerts_for(world.colleague, DAY).is_empty


def test_task_reported_finished_is_no_longer_due_or_overdue(world):
    late = task(world, "Rà soát hồ sơ tồn đọng", "Trung tâm PVHCC", "Tháng 10/2026")
    task_update_save(
        task=late,
        period=world.period,
        actor=world.clerk,
        progress="done",
        percent_complete=100,
        results="Xong",
    )
    assert titles(alerts_for(world.clerk, DAY).overdue) == ["Rà soát hồ sơ tồn đọng"]  # a draft is not enough

    task_update_save(
        task=late,
        period=world.period,
        actor=world.clerk,
        progress="done",
        percent_complete=100,
        results="Đã rà soát 1.200 hồ sơ",
        submit=True,
    )
    assert alerts_for(world.clerk, DAY).overdue == []


def test_units_are_reminded_of_their_internal_deadline_not_the_communes(world):
    # 2026-Q4 is due to the province on 31/12/2026; the units' own deadline is five days earlier.
    assert world.period.internal_due_date == dt.date(2026, 12, 26)
    assert alerts_for(world.clerk, dt.date(2026, 12, 18)).deadlines == []
    [deadline] = alerts_for(world.clerk, dt.date(2026, 12, 19)).deadlines
    assert (deadline.period, deadline.due_date, deadline.missing) == ("2026-Q4", dt.date(2026, 12, 26), 2)


def test_a_period_made_ahead_does_not_replace_the_one_under_way(world):
    builders.period(world.commune, "2027-Q1")  # a calendar is made a year ahead
    [deadline] = alerts_for(world.clerk, DAY).deadlines
    assert deadline.period == "2026-Q4"


def test_a_draft_plan_sends_no_reminders(world):
    world.plan.status = "draft"
    world.plan.save(update_fields=["status"])
    assert alerts_for(world.clerk, DAY).deadlines == []


def test_a_week_ahead_is_the_horizon_for_due_soon(world):
    task(world, "Đúng bảy ngày nữa", "Trung tâm PVHCC", "Trước ngày 02/01/2027")
    task(world, "Tám ngày nữa", "Trung tâm PVHCC", "Trước ngày 03/01/2027")
    assert titles(alerts_for(world.clerk, DAY).due_soon) == [world.task.description, "Đúng bảy ngày nữa"]


def test_nothing_is_said_and_nothing_sent_when_the_period_is_far_from_due_and_nothing_is_late(mailed):
    world = mailed
    early = dt.date(2026, 11, 2)
    assert alerts_for(world.clerk, early).is_empty
    assert reminders_send(today=early, base_url=SITE).sent == []
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_locked_period_sends_no_reminders(mailed):
    world = mailed
    ReportingPeriod.objects.filter(pk=world.period.pk).update(locked_at=timezone.now())
    task(world, "Rà soát hồ sơ tồn đọng", "Trung tâm PVHCC", "Tháng 10/2026")
    assert reminder_recipients(DAY) == []


# -- the reviewer --------------------------------------------------------------------------------------------


def test_reviewer_is_told_what_waits_for_review_by_unit(mailed):
    world = mailed
    indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(85), submit=True
    )
    task_update_save(
        task=world.task,
        period=world.period,
        actor=world.clerk,
        progress="in_progress",
        percent_complete=40,
        results="Đã số hóa 40% hồ sơ",
        submit=True,
    )
    [review] = alerts_for(world.reviewer, DAY).reviews
    assert review.waiting == (("Trung tâm Phục vụ hành chính công", 2),)
    assert review.late_units == ()  # five days before the due date: too early to chase units
    assert review.url == f"{reverse('tracking:review')}?ky={world.period.pk}"

    call_command("send_reminders", date="26/12/2026", stdout=_Sink())
    [message] = outbox_for(world.reviewer)
    assert message.subject == "[CĐS Nghĩa Đàn] 2 mục chờ thẩm định"
    assert "- Trung tâm Phục vụ hành chính công: 2 mục" in message.body
    assert f"{SITE}/tham-dinh/?ky={world.period.pk}" in message.body


def test_reviewer_hears_of_units_that_sent_nothing_from_three_days_before_the_due_date(mailed):
    world = mailed
    task(world, "Lắp camera chợ", "Phòng Kinh tế", "Năm 2027")
    indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(85), submit=True
    )
    four_days_before, three_days_before = dt.date(2026, 12, 27), dt.date(2026, 12, 28)

    assert [r.late_units for r in alerts_for(world.reviewer, four_days_before).reviews] == [()]
    [review] = alerts_for(world.reviewer, three_days_before).reviews
    # The clerk's unit has sent something; Phòng Kinh tế leads a task and has sent nothing. The reviewer's
    # own unit leads nothing and is not chased.
    assert review.late_units == ("Phòng Kinh tế",)
    assert alerts_for(world.reviewer, dt.date(2027, 1, 2)).reviews[0].late_units == ("Phòng Kinh tế",)

    call_command("send_reminders", date="28/12/2026", stdout=_Sink())
    [message] = outbox_for(world.reviewer)
    assert message.subject == "[CĐS Nghĩa Đàn] 1 mục chờ thẩm định, 1 đơn vị chưa gửi báo cáo"
    assert "Đơn vị chưa gửi báo cáo nào trong kỳ:\n- Phòng Kinh tế" in message.body


def test_a_returned_entry_counts_as_sent_for_the_late_units_rule(world):
    returned_result(world)
    assert alerts_for(world.reviewer, dt.date(2026, 12, 30)).reviews == []


def test_reviewer_of_a_neighbour_hears_nothing_of_this_communes_entries_in_a_province_wide_period(world):
    neighbour = builders.commune("Nghĩa Hưng", world.commune.province.name)
    reviewer = builders.member(
        builders.unit(neighbour, "Phòng Văn hóa - Xã hội"), Role.REVIEWER, "nh.reviewer"
    )
    spec = parse_period_code("2027-M01")
    shared = ReportingPeriod.objects.create(
        province=world.commune.province,
        kind=spec.kind,
        year=spec.year,
        number=spec.number,
        start=spec.start,
        end=spec.end,
        due_date=spec.end,
    )
    world.plan.period_end = dt.date(2027, 12, 31)
    world.plan.save(update_fields=["period_end"])
    indicator_result_save(
        indicator=world.indicator, period=shared, actor=world.clerk, value=Decimal(85), submit=True
    )

    assert alerts_for(reviewer, dt.date(2027, 1, 30)).is_empty
    assert [r.waiting for r in alerts_for(world.reviewer, dt.date(2027, 1, 30)).reviews] == [
        (("Trung tâm Phục vụ hành chính công", 1),)
    ]


# -- once a day, only to those who can read it ---------------------------------------------------------------


def test_running_the_command_twice_on_a_day_sends_nothing_the_second_time(mailed):
    world = mailed
    returned_result(world)
    task(world, "Lắp camera chợ", "Phòng Kinh tế", "Trước ngày 30/12/2026")
    first, second = _Sink(), _Sink()
    call_command("send_reminders", date="26/12/2026", stdout=first)
    sent = len(mail.outbox)
    assert sent == 2 and "đã gửi 2 thư" in first.text  # the clerk and the colleague

    call_command("send_reminders", date="2026-12-26", stdout=second)
    assert len(mail.outbox) == sent
    assert "đã gửi 0 thư; 2 người đã nhận thư hôm nay" in second.text
    assert ReminderLog.objects.filter(day=DAY).count() == 2

    call_command("send_reminders", date="27/12/2026", stdout=_Sink())
    assert len(mail.outbox) == sent + 2  # a new day, a new digest


def test_colleague_with_nothing_due_gets_no_email(mailed):
    world = mailed
    call_command("send_reminders", date="26/12/2026", stdout=_Sink())
    assert [m.to for m in mail.outbox] == [[world.clerk.email]]


def test_a_run_that_loses_the_race_for_todays_log_row_sends_nothing(mailed, monkeypatch):
    world = mailed
    real = services.reminder_recipients

    def recipients_then_a_concurrent_run_logs_the_clerk(today):
        found = real(today)
        ReminderLog.objects.create(user=world.clerk, day=today, email=world.clerk.email, subject="(khác)")
        return found

    monkeypatch.setattr(services, "reminder_recipients", recipients_then_a_concurrent_run_logs_the_clerk)
    summary = reminders_send(today=DAY, base_url=SITE)
    assert summary.already_sent == ["clerk"] and summary.sent == []
    assert mail.outbox == []
    assert ReminderLog.objects.get(user=world.clerk).subject == "(khác)"


def test_a_failed_send_leaves_no_log_so_a_later_run_retries(mailed, monkeypatch):
    world = mailed

    def refuse(self, fail_silently=False):
        raise OSError("máy chủ thư không trả lời")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    summary = reminders_send(today=DAY, base_url=SITE)
    assert summary.failed == ["clerk"] and not ReminderLog.objects.exists()

    monkeypatch.undo()
    assert reminders_send(today=DAY, base_url=SITE).sent == ["clerk"]
    assert outbox_for(world.clerk)


def test_command_reports_a_failed_send_as_an_error(mailed, monkeypatch):
    def refuse(self, fail_silently=False):
        raise OSError("timeout")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(CommandError, match="1 thư không gửi được"):
        call_command("send_reminders", date="26/12/2026", stdout=_Sink(), stderr=_Sink())


def test_inactive_users_and_users_without_an_address_get_no_email(mailed):
    world = mailed
    second_clerk = builders.member(world.lead_unit, Role.HEAD, "head")
    second_clerk.email = "head@nghiadan.example"
    second_clerk.save(update_fields=["email"])
    world.clerk.is_active = False
    world.clerk.save(update_fields=["is_active"])
    without_address = builders.member(world.lead_unit, Role.STAFF, "no-address")

    call_command("send_reminders", date="26/12/2026", stdout=_Sink())

    assert [m.to for m in mail.outbox] == [["head@nghiadan.example"]]
    assert not ReminderLog.objects.filter(user__in=[world.clerk, without_address]).exists()
    assert alerts_for(world.clerk, DAY).is_empty  # inactive: no panel either


def test_dry_run_prints_who_would_get_what_and_sends_and_logs_nothing(mailed):
    world = mailed
    returned_result(world)
    out = _Sink()
    call_command("send_reminders", date="26/12/2026", dry_run=True, stdout=out)
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    assert "chạy thử, không gửi" in out.text
    assert f"- clerk <{world.clerk.email}>: [CĐS Nghĩa Đàn] 1 việc sắp đến hạn, 1 mục bị trả lại" in out.text

    verbose = _Sink()
    call_command("send_reminders", date="26/12/2026", dry_run=True, verbosity=2, stdout=verbose)
    assert "Ý kiến thẩm định: Số liệu chưa khớp" in verbose.text


@pytest.mark.parametrize("text", ["31/02/2026", "2026/12/26", "hôm nay"])
def test_command_refuses_a_date_it_cannot_read(db, text):
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("send_reminders", date=text, stdout=_Sink())


# -- settings ------------------------------------------------------------------------------------------------


def _fresh_settings(monkeypatch, **env):
    for name in ("EMAIL_BACKEND", "EMAIL_PORT", "EMAIL_USE_TLS", "SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "test-only-key")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = Path(django_settings.BASE_DIR) / "config" / "settings_base.py"
    spec = importlib.util.spec_from_file_location("fresh_settings", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_email_goes_to_the_console_unless_the_environment_names_a_server(monkeypatch):
    defaults = _fresh_settings(monkeypatch)
    assert defaults.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert defaults.SITE_URL == "http://127.0.0.1:8000"

    smtp = _fresh_settings(
        monkeypatch,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        SITE_URL="https://cds.example.vn",
    )
    assert smtp.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    assert (smtp.EMAIL_PORT, smtp.EMAIL_USE_TLS, smtp.SITE_URL) == (587, True, "https://cds.example.vn")


# -- in the app ----------------------------------------------------------------------------------------------


def soon(days: int) -> str:
    """A deadline `days` from the real today: pages compute alerts for the day they are opened."""
    return f"Trước ngày {timezone.localdate() + dt.timedelta(days=days):%d/%m/%Y}"


def test_my_work_shows_the_same_alerts_as_the_email_with_links(client, world):
    due = task(world, "Cập nhật cổng thông tin", "Trung tâm PVHCC", soon(3))
    returned_result(world, comment="Thiếu minh chứng")
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert 'id="alerts"' in page
    assert f'href="{reverse("tracking:update_edit", args=[due.pk, world.period.pk])}"' in page
    assert f'href="{reverse("tracking:result_edit", args=[world.indicator.pk, world.period.pk])}"' in page
    assert "Thiếu minh chứng" in page
    assert f'href="{reverse("alerts:list")}"' in page


def test_my_work_has_no_panel_when_there_is_nothing_to_say(client, world):
    client.force_login(world.colleague)
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert 'id="alerts"' not in page


def test_alerts_page_shows_the_reviewer_their_queue(client, world):
    indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(85), submit=True
    )
    client.force_login(world.reviewer)
    page = client.get(reverse("alerts:list")).content.decode()
    assert "1 mục chờ thẩm định" in page
    assert f'href="{reverse("tracking:review")}?ky={world.period.pk}"' in page


def test_alerts_page_says_so_when_there_is_nothing(client, world):
    client.force_login(world.province_viewer)
    page = client.get(reverse("alerts:list")).content.decode()
    assert "Không có việc nào cần nhắc hôm nay." in page


def test_alerts_page_escapes_what_users_typed(client, world):
    returned_result(world, comment="<script>alert(1)</script>")
    client.force_login(world.clerk)
    page = client.get(reverse("alerts:list")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    ("who", "url_name"),
    [("clerk", "tracking:my_work"), ("clerk", "alerts:list"), ("reviewer", "alerts:list")],
)
def test_alerts_cost_the_same_queries_for_twenty_more_items(client, world, who, url_name):
    def add(n: int) -> None:
        task(world, f"Nhiệm vụ sắp đến hạn {n}", "Trung tâm PVHCC", soon(2))
        task(world, f"Phối hợp {n}", "Phòng Kinh tế", soon(4), coordinating_text="Trung tâm PVHCC")
        overdue = task(world, f"Nhiệm vụ quá hạn {n}", "Trung tâm PVHCC", soon(-5))
        task_update_save(
            task=overdue,
            period=world.period,
            actor=world.clerk,
            progress="behind",
            percent_complete=10,
            results="Chậm tiến độ",
            submit=True,
        )

    add(0)
    returned_result(world)
    client.force_login(getattr(world, who))
    url = reverse(url_name)
    client.get(url)  # warm the once-per-process caches
    few, few_page = _count(client, url)
    for n in range(1, 21):
        add(n)
    many, many_page = _count(client, url)
    if who == "clerk":
        assert "Nhiệm vụ sắp đến hạn 20" in many_page and "Phối hợp 20" in many_page
        assert "Nhiệm vụ quá hạn 20" in many_page and "Nhiệm vụ quá hạn 20" not in few_page
    else:
        assert "21 mục chờ thẩm định" in many_page
    print(f"\n{url_name} as {who}: {few} queries with 1 item of each kind, {many} with 21")
    assert many == few, f"{url_name} as {who}: {few} queries with 1 item of each kind, {many} with 21"


class _Sink:
    """A stdout for call_command that keeps what was written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
