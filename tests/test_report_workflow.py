"""The report's path with no dead end: the reviewer submits a complete draft, the leader approves (correcting
number, date or signer) or returns it with a comment, and each side is told when the report waits for them."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from alerts.selectors import alerts_for
from reports import services
from reports.models import Report, ReportStatus
from reports.selectors import report_content
from tests import builders
from tests.test_reports import approve, flat, pdf_text

TODAY = dt.date(2027, 1, 8)  # after world.period (2026-Q4) has ended


@pytest.fixture(autouse=True)
def after_the_quarter(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def draft(world, **fields) -> Report:
    report = services.report_create(plan=world.plan, period=world.period, actor=world.reviewer)
    return services.report_update(report=report, actor=world.reviewer, **fields) if fields else report


def complete(world, number="5/BC-UBND") -> Report:
    return draft(world, number=number, signer_name="Nguyễn Văn An")


def submitted(world, number="5/BC-UBND") -> Report:
    return services.report_submit(report=complete(world, number), actor=world.reviewer)


def approval_form(report: Report, **changes) -> dict[str, str]:
    form = {
        "number": report.number,
        "report_date": f"{report.report_date:%d/%m/%Y}",
        "signer_authority": report.signer_authority,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
    }
    return {**form, **changes}


def edit_form(report: Report, **changes) -> dict[str, str]:
    form = {
        "number": report.number,
        "report_date": f"{report.report_date:%d/%m/%Y}",
        "place": report.place,
        "subject": report.subject,
        "signer_authority": report.signer_authority,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
        "recipients": report.recipients,
    }
    return {**form, **changes}


# -- submitting -------------------------------------------------------------------------------------------


def test_submitting_without_number_or_signer_is_refused_and_says_what_is_missing(client, world):
    report = draft(world)  # no number, and the test plan names no signer
    client.force_login(world.reviewer)
    page = client.post(reverse("reports:submit", args=[report.pk]), follow=True).content.decode()
    assert "Cần ghi số, ký hiệu trước khi trình lãnh đạo duyệt." in page
    assert "Cần ghi họ tên người ký trước khi trình lãnh đạo duyệt." in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None


def test_reviewer_submits_a_complete_draft_and_the_leader_sees_the_approval_step(client, world):
    report = complete(world)
    client.force_login(world.reviewer)
    response = client.post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == world.reviewer
    assert "Báo cáo đang chờ lãnh đạo UBND xã duyệt." in client.get(response["Location"]).content.decode()
    client.force_login(world.leader)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Chờ duyệt" in page and 'id="approve"' in page and 'id="return"' in page


def test_a_submitted_report_can_no_longer_be_edited(world):
    report = submitted(world)
    with pytest.raises(ValidationError, match="dự thảo"):
        services.report_update(report=report, actor=world.reviewer, overall_assessment="sửa sau khi trình")


def test_the_leaders_preview_of_a_submitted_report_still_carries_the_draft_mark(world):
    report = submitted(world)
    assert report_content(report).is_draft
    approved = approve(report, world.leader)
    assert not report_content(approved).is_draft


# -- dates and numbers ------------------------------------------------------------------------------------


def test_submitting_a_draft_dated_before_the_period_ends_is_refused(world, monkeypatch):
    # Drafted early (10/12/2026, inside the quarter): the draft keeps that day, submitting it is refused.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 12, 10))
    report = complete(world)
    assert report.report_date == dt.date(2026, 12, 10)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=report, actor=world.reviewer)
    assert "không được trước ngày kết thúc kỳ 2026-Q4 (31/12/2026)" in str(refused.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("30/12/2026", "Ngày báo cáo không được trước ngày kết thúc kỳ 2026-Q4 (31/12/2026)"),
        ("09/01/2027", "Ngày báo cáo không được sau hôm nay (08/01/2027)."),
        ("01/01/0001", "Ngày phải trong khoảng"),
    ],
)
def test_a_typed_date_outside_the_period_end_and_today_is_refused(client, world, typed, message):
    report = complete(world)
    client.force_login(world.reviewer)
    response = client.post(reverse("reports:edit", args=[report.pk]), edit_form(report, report_date=typed))
    assert response.status_code == 200 and message in response.content.decode()
    report.refresh_from_db()
    assert report.report_date == TODAY


def test_the_period_end_and_today_are_both_accepted(world):
    report = complete(world)
    for day in (dt.date(2026, 12, 31), TODAY):
        assert services.report_update(report=report, actor=world.reviewer, report_date=day).report_date == day


def test_a_number_used_in_the_same_year_by_the_commune_is_refused(client, world):
    other_plan = builders.plan(world.commune, title="Kế hoạch thực hiện Nghị quyết 57")
    q3 = builders.period(world.commune, "2026-Q3")
    earlier = services.report_create(plan=other_plan, period=q3, actor=world.reviewer)
    services.report_update(report=earlier, actor=world.reviewer, number="05/BC-UBND")
    report = complete(world, number="")
    client.force_login(world.reviewer)
    # `5`, `05` and `05/BC-UBND` are one entry in the register.
    response = client.post(reverse("reports:edit", args=[report.pk]), edit_form(report, number="5"))
    assert response.status_code == 200
    assert "Số 05/BC-UBND đã dùng cho báo cáo kỳ 2026-Q3" in response.content.decode()
    report.refresh_from_db()
    assert report.number == ""
    # Another commune, or another year, may use it.
    services.report_update(report=earlier, actor=world.reviewer, report_date=dt.date(2026, 12, 31))
    assert services.report_update(report=report, actor=world.reviewer, number="5").number == "5"


def test_the_leader_cannot_approve_with_a_number_already_used(client, world):
    q3 = builders.period(world.commune, "2026-Q3")
    other = services.report_create(plan=world.plan, period=q3, actor=world.reviewer)
    services.report_update(report=other, actor=world.reviewer, number="7/BC-UBND")
    report = submitted(world)
    client.force_login(world.leader)
    response = client.post(reverse("reports:approve", args=[report.pk]), approval_form(report, number="7"))
    assert response.status_code == 400 and "Số 07/BC-UBND đã dùng" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.number == "5/BC-UBND"


# -- the leader's step ------------------------------------------------------------------------------------


def test_leader_corrects_number_date_and_signer_at_approval(client, world):
    report = submitted(world)
    client.force_login(world.leader)
    form = approval_form(
        report,
        number="12",
        report_date="05/01/2027",
        signer_authority="KT. CHỦ TỊCH",
        signer_title="Phó Chủ tịch",
        signer_name="Lê Văn Bình",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):  # the files job queued on commit runs
        response = client.post(reverse("reports:approve", args=[report.pk]), form)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == world.leader
    assert (report.number, report.report_date, report.signer_title) == (
        "12",
        dt.date(2027, 1, 5),
        "PHÓ CHỦ TỊCH",
    )
    text = flat(pdf_text(report.pdf_file.read()))
    assert "Số: 12/BC-UBND" in text and "ngày 05 tháng 01 năm 2027" in text
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Văn Bình" in text


def test_leader_cannot_clear_the_number_or_date_at_approval(client, world):
    report = submitted(world)
    client.force_login(world.leader)
    response = client.post(
        reverse("reports:approve", args=[report.pk]), approval_form(report, number=" ", report_date="")
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Vui lòng ghi số, ký hiệu." in page
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.pdf_file


def test_return_needs_a_comment(client, world):
    report = submitted(world)
    client.force_login(world.leader)
    response = client.post(reverse("reports:return", args=[report.pk]), {"comment": "   "})
    assert response.status_code == 400
    assert "Vui lòng ghi ý kiến khi trả lại báo cáo." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(ValidationError, match="ý kiến"):
        services.report_return_to_draft(report=report, actor=world.leader, comment="")


def test_returned_report_shows_the_comment_and_history_and_is_submitted_again(client, world):
    report = submitted(world)
    client.force_login(world.leader)
    client.post(reverse("reports:return", args=[report.pk]), {"comment": "Bổ sung kết quả chỉ tiêu 1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.returned_by == world.leader
    client.force_login(world.reviewer)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Lãnh đạo trả lại" in page and "Bổ sung kết quả chỉ tiêu 1" in page
    assert "Trình lãnh đạo" in page and 'id="history"' in page
    assert (
        "Bổ sung kết quả chỉ tiêu 1" in client.get(reverse("reports:edit", args=[report.pk])).content.decode()
    )

    client.post(
        reverse("reports:edit", args=[report.pk]), edit_form(report, overall_assessment="Đã bổ sung.")
    )
    client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.overall_assessment == "Đã bổ sung."
    history = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    history = history[history.index('id="history"') :]
    steps = ["Dự thảo", "Chờ duyệt", "Trả lại", "Bổ sung kết quả chỉ tiêu 1", "Chờ duyệt"]
    position = 0
    for step in steps:  # in this order, each after the one before
        position = history.find(step, position)
        assert position >= 0, step
        position += len(step)


@pytest.mark.parametrize("who", ["clerk", "colleague", "outsider", "province_viewer"])
def test_people_outside_the_workflow_cannot_submit_approve_or_return(client, world, who):
    report = complete(world)
    client.force_login(getattr(world, who))
    assert client.post(reverse("reports:submit", args=[report.pk])).status_code in (403, 404)
    services.report_submit(report=report, actor=world.reviewer)
    assert client.post(reverse("reports:approve", args=[report.pk]), approval_form(report)).status_code in (
        403,
        404,
    )
    assert client.post(reverse("reports:return", args=[report.pk]), {"comment": "x"}).status_code in (
        403,
        404,
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.returned_at is None


def test_compiler_and_signer_keep_their_own_steps(world):
    report = complete(world)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=world.leader)
    report = services.report_submit(report=report, actor=world.reviewer)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, actor=world.reviewer)
    with pytest.raises(PermissionDenied):
        services.report_return_to_draft(report=report, actor=world.reviewer, comment="tự trả")


# -- being told -------------------------------------------------------------------------------------------


def test_the_leader_is_told_a_report_waits_on_my_work_alerts_and_email(client, world):
    world.leader.email = "lanhdao@example.vn"
    world.leader.save(update_fields=["email"])
    report = submitted(world)
    assert [a.url for a in alerts_for(world.leader, TODAY).reports_to_approve] == [
        reverse("reports:detail", args=[report.pk])
    ]
    client.force_login(world.leader)
    for url in (reverse("tracking:my_work"), reverse("alerts:list")):
        page = client.get(url).content.decode()
        assert "Báo cáo gửi tỉnh chờ lãnh đạo duyệt (1)" in page, url
        assert "Báo cáo kỳ 2026-Q4 số 05/BC-UBND" in page, url
    call_command("send_reminders", date="08/01/2027", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [message] = [m for m in mail.outbox if m.to == ["lanhdao@example.vn"]]
    assert "1 báo cáo chờ duyệt" in message.subject and "Nghĩa Đàn" in message.subject
    assert "BÁO CÁO GỬI TỈNH CHỜ LÃNH ĐẠO DUYỆT (1)" in message.body
    assert reverse("reports:detail", args=[report.pk]) in message.body
    # The reviewer is not asked to approve; once approved, the leader is told nothing more.
    assert not alerts_for(world.reviewer, TODAY).reports_to_approve
    approve(report, world.leader)
    assert not alerts_for(world.leader, TODAY).reports_to_approve


def test_the_reviewer_is_told_a_report_was_returned_with_the_comment(client, world):
    world.reviewer.email = "vhxh@example.vn"
    world.reviewer.save(update_fields=["email"])
    report = submitted(world)
    services.report_return_to_draft(report=report, actor=world.leader, comment="Sửa ngày báo cáo")
    client.force_login(world.reviewer)
    for url in (reverse("tracking:my_work"), reverse("alerts:list")):
        page = client.get(url).content.decode()
        assert "lãnh đạo trả lại, cần sửa và trình lại (1)" in page, url
        assert "Sửa ngày báo cáo" in page, url
    call_command("send_reminders", date="08/01/2027", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [message] = [m for m in mail.outbox if m.to == ["vhxh@example.vn"]]
    assert "1 báo cáo bị trả lại" in message.subject
    assert "Ý kiến lãnh đạo: Sửa ngày báo cáo" in message.body
    assert not alerts_for(world.leader, TODAY).reports_returned
    services.report_submit(report=report, actor=world.reviewer)
    assert not alerts_for(world.reviewer, TODAY).reports_returned


def test_report_alerts_cost_one_query_whatever_the_number_of_reports(world, django_assert_max_num_queries):
    submitted(world)
    for code in ("2026-Q1", "2026-Q2", "2026-Q3"):
        other = services.report_create(
            plan=world.plan, period=builders.period(world.commune, code), actor=world.reviewer
        )
        other = services.report_update(
            report=other, actor=world.reviewer, number=code[-1] + "0", signer_name="Nguyễn Văn An"
        )
        services.report_submit(report=other, actor=world.reviewer)
    world.leader._cds_scope = None
    with django_assert_max_num_queries(3):  # the scope, the communes, the reports
        assert len(alerts_for(world.leader, TODAY).reports_to_approve) == 4
