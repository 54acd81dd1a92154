"""Entering, submitting, reviewing: the daily work, with every bad input refused in Vietnamese."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evidence.models import Evidence
from indicators.models import IndicatorResult
from indicators.services import indicator_result_approve, indicator_result_save
from plans.workflow import WorkflowStatus
from tasks.models import TaskContribution, TaskUpdate
from tasks.services import task_update_save
from tests import builders

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _result_url(world):
    return reverse("tracking:result_edit", args=[world.indicator.pk, world.period.pk])


def _update_url(world):
    return reverse("tracking:update_edit", args=[world.task.pk, world.period.pk])


def _update_data(**overrides):
    data = {
        "progress": "in_progress",
        "percent_complete": "60",
        "results": "Đã số hóa 600 hồ sơ.",
        "action": "draft",
        "version": "0",  # what the form of a never-saved update carries
    }
    return {**data, **overrides}


def test_clerk_saves_a_task_update_as_draft_then_submits_it_with_evidence(client, world):
    client.force_login(world.clerk)
    response = client.post(_update_url(world), _update_data())
    assert response.status_code == 302
    update = TaskUpdate.objects.get()
    assert (update.status, update.percent_complete, update.author) == (WorkflowStatus.DRAFT, 60, world.clerk)
    evidence = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    response = client.post(
        _update_url(world), _update_data(action="submit", version=update.version, evidence=evidence)
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == WorkflowStatus.SUBMITTED and update.submitted_at is not None
    assert Evidence.objects.get().original_name == "bien-ban.pdf"


@pytest.mark.parametrize("typed", ["81,5", "81.5", "81,5%"])
def test_a_value_typed_with_comma_or_dot_is_read_as_a_number(client, world, typed):
    client.force_login(world.clerk)
    client.post(_result_url(world), {"value": typed, "action": "draft", "version": "0"})
    assert IndicatorResult.objects.get().value == Decimal("81.5")


def test_a_fraction_shows_its_rate_and_meets_the_target(client, world):
    client.force_login(world.clerk)
    client.post(
        _result_url(world), {"numerator": "4227", "denominator": "5219", "action": "submit", "version": "0"}
    )
    result = IndicatorResult.objects.get()
    assert result.percent == Decimal("81.0") and result.verdict == "exceeded"
    page = client.get(reverse("tracking:indicator_detail", args=[world.indicator.pk])).content.decode()
    assert "4.227/5.219 = 81,0%" in page


def test_the_form_says_before_saving_whether_the_target_is_met(client, world):
    client.force_login(world.clerk)
    url = reverse("tracking:result_preview", args=[world.indicator.pk, world.period.pk])
    assert "Vượt" in client.post(url, {"value": "85"}).content.decode()
    assert "Chưa đạt" in client.post(url, {"value": "70"}).content.decode()
    assert "81,0%" in client.post(url, {"numerator": "4227", "denominator": "5219"}).content.decode()
    assert not IndicatorResult.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "tám mươi"}, "Giá trị phải là một số"),
        ({"value": "120"}, "Tỷ lệ phải nằm trong khoảng 0–100%"),
        ({"numerator": "6000", "denominator": "5219"}, "Tử số không được lớn hơn mẫu số"),
        ({"numerator": "10"}, "Cần nhập cả tử số và mẫu số"),
        ({"numerator": "1", "denominator": "0"}, "Mẫu số phải lớn hơn 0"),
    ],
)
def test_bad_numbers_get_a_vietnamese_message_and_change_nothing(client, world, data, message):
    client.force_login(world.clerk)
    response = client.post(_result_url(world), {**data, "action": "submit", "version": "0"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IndicatorResult.objects.exists()


def test_free_text_for_a_yes_no_target_is_refused(client, world):
    boolean = builders.indicator(
        world.indicator.section, name="Có đài truyền thanh", target="Đạt", lead="Trung tâm PVHCC"
    )
    client.force_login(world.clerk)
    url = reverse("tracking:result_edit", args=[boolean.pk, world.period.pk])
    response = client.post(url, {"value": "gần xong", "action": "draft", "version": "0"})
    assert response.status_code == 400
    assert "chỉ đánh giá Đạt/Chưa đạt" in response.content.decode()
    client.post(url, {"flag": "1", "action": "submit", "version": "0"})
    assert IndicatorResult.objects.get(indicator=boolean).verdict == "achieved"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.pdf", PNG, "không phải PDF"),
        ("virus.exe", b"MZ\x90\x00", "không đúng định dạng"),
        ("bao-cao.pdf", PDF + b"0" * (10 * 1024 * 1024), "vượt quá 10 MB"),
        ("trong.docx", b"PK\x03\x04not-a-zip", "không phải DOCX"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(client, world, name, content, message):
    client.force_login(world.clerk)
    upload = SimpleUploadedFile(name, content)
    response = client.post(_update_url(world), _update_data(evidence=upload))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TaskUpdate.objects.exists() and not Evidence.objects.exists()


def test_percent_outside_0_100_is_refused(client, world):
    client.force_login(world.clerk)
    response = client.post(_update_url(world), _update_data(percent_complete="140"))
    assert response.status_code == 400 and "từ 0 đến 100" in response.content.decode()
    assert not TaskUpdate.objects.exists()


def test_done_must_mean_100_percent(client, world):
    client.force_login(world.clerk)
    response = client.post(_update_url(world), _update_data(progress="done", percent_complete="80"))
    assert response.status_code == 400 and "phần trăm phải là 100" in response.content.decode()


def test_an_approved_entry_cannot_be_edited_and_the_form_says_by_whom(client, world):
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(85), submit=True
    )
    indicator_result_approve(result=result, actor=world.reviewer)
    client.force_login(world.clerk)
    page = client.get(_result_url(world)).content.decode()
    assert "Đã được duyệt bởi" in page and "reviewer" in page
    response = client.post(
        _result_url(world), {"value": "10", "action": "draft", "version": result.version + 1}
    )
    assert response.status_code == 400
    result.refresh_from_db()
    assert result.value == 85 and result.status == WorkflowStatus.APPROVED


def test_a_locked_period_refuses_edits_and_says_since_when(client, world):
    world.period.locked_at = timezone.now()
    world.period.save()
    client.force_login(world.clerk)
    assert "đã khóa lúc" in client.get(_update_url(world)).content.decode()
    response = client.post(_update_url(world), _update_data())
    assert response.status_code == 400 and "đã khóa" in response.content.decode()
    assert not TaskUpdate.objects.exists()


def test_a_second_save_of_a_stale_form_is_told_and_sees_both_versions(client, world):
    client.force_login(world.clerk)
    client.post(_update_url(world), _update_data(results="Phiên bản đầu"))
    stale_version = TaskUpdate.objects.get().version
    task_update_save(
        task=world.task,
        period=world.period,
        actor=world.clerk,
        progress="in_progress",
        percent_complete=70,
        results="Đồng nghiệp đã sửa",
        expected_version=stale_version,
    )
    response = client.post(_update_url(world), _update_data(results="Của tôi", version=stale_version))
    body = response.content.decode()
    assert "vừa được người khác lưu" in body
    assert "Đồng nghiệp đã sửa" in body and "Của tôi" in body
    assert TaskUpdate.objects.get().results == "Đồng nghiệp đã sửa"


def test_every_change_is_kept_with_who_and_when(client, world):
    client.force_login(world.clerk)
    client.post(_update_url(world), _update_data())
    client.post(_update_url(world), _update_data(action="submit", version=1, percent_complete="70"))
    update = TaskUpdate.objects.get()
    states = list(
        update.history.order_by("history_date").values_list("status", "percent_complete", "history_user")
    )
    assert states == [("draft", 60, world.clerk.pk), ("submitted", 70, world.clerk.pk)]
    assert (
        "Lịch sử thay đổi"
        in client.get(reverse("tracking:task_detail", args=[world.task.pk])).content.decode()
    )


def _submitted(world):
    return task_update_save(
        task=world.task,
        period=world.period,
        actor=world.clerk,
        progress="in_progress",
        percent_complete=50,
        results="Đang làm",
        submit=True,
    )


def test_returning_needs_a_comment_which_the_clerk_then_sees_on_my_work(client, world):
    update = _submitted(world)
    client.force_login(world.reviewer)
    action = reverse("tracking:review_action")
    client.post(
        action, {"action": "return", "items": [f"task:{update.pk}@{update.version}"], "comment": "  "}
    )
    update.refresh_from_db()
    assert update.status == WorkflowStatus.SUBMITTED
    client.post(
        action,
        {"action": "return", "items": [f"task:{update.pk}@{update.version}"], "comment": "Bổ sung số liệu"},
    )
    update.refresh_from_db()
    assert update.status == WorkflowStatus.RETURNED
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert "Bổ sung số liệu" in page and "Bị trả lại" in page


def test_reviewer_approves_many_at_once(client, world):
    update = _submitted(world)
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(90), submit=True
    )
    client.force_login(world.reviewer)
    queue = client.get(reverse("tracking:review")).content.decode()
    assert "Trung tâm Phục vụ hành chính công" in queue
    client.post(
        reverse("tracking:review_action"),
        {
            "action": "approve",
            "items": [f"task:{update.pk}@{update.version}", f"indicator:{result.pk}@{result.version}"],
        },
    )
    assert {TaskUpdate.objects.get().status, IndicatorResult.objects.get().status} == {
        WorkflowStatus.APPROVED
    }


def test_review_choices_carry_raw_ids_once_there_are_thousands_of_entries(client, world):
    update = _submitted(world)
    TaskUpdate.objects.filter(pk=update.pk).update(id=12345)  # "12.345" once localised: not a choice
    client.force_login(world.reviewer)
    page = client.get(reverse("tracking:review")).content.decode()
    assert 'value="task:12345@1"' in page
    client.post(reverse("tracking:review_action"), {"action": "approve", "items": ["task:12345@1"]})
    assert TaskUpdate.objects.get(pk=12345).status == WorkflowStatus.APPROVED


def test_reopening_an_approved_entry_records_the_reason(client, world):
    update = _submitted(world)
    client.force_login(world.reviewer)
    client.post(
        reverse("tracking:review_action"),
        {"action": "approve", "items": [f"task:{update.pk}@{update.version}"]},
    )
    client.post(
        reverse("tracking:review_action"),
        {
            "action": "reopen",
            "items": [f"task:{update.pk}@{update.version + 1}"],
            "comment": "Sai số liệu quý",
        },
    )
    update.refresh_from_db()
    assert update.status == WorkflowStatus.RETURNED
    assert update.history.latest("history_date").history_change_reason == "Mở lại: Sai số liệu quý"


def test_staff_cannot_review(client, world):
    update = _submitted(world)
    client.force_login(world.clerk)
    assert client.get(reverse("tracking:review")).status_code == 403
    client.post(
        reverse("tracking:review_action"),
        {"action": "approve", "items": [f"task:{update.pk}@{update.version}"]},
    )
    update.refresh_from_db()
    assert update.status == WorkflowStatus.SUBMITTED


def test_review_queue_flags_a_jump_and_a_missed_target(client, world):
    before = builders.period(world.commune, "2026-Q3")
    indicator_result_save(indicator=world.indicator, period=before, actor=world.clerk, value=Decimal(30))
    indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(75), submit=True
    )
    client.force_login(world.reviewer)
    page = client.get(reverse("tracking:review"), {"ky": world.period.pk}).content.decode()
    assert "Thay đổi hơn 30 điểm" in page and "Chưa đạt mục tiêu" in page


def test_review_queue_shows_an_entry_whose_author_was_deleted(client, world):
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(90), submit=True
    )
    IndicatorResult.objects.filter(pk=result.pk).update(author=None)
    client.force_login(world.reviewer)
    response = client.get(reverse("tracking:review"), {"ky": world.period.pk})
    assert response.status_code == 200
    assert world.indicator.name in response.content.decode()


def test_a_coordinating_unit_adds_its_share_and_the_lead_sees_it(client, world):
    task = builders.task(world.task.section, lead="Trung tâm PVHCC", coordinating_text="Phòng Kinh tế")
    client.force_login(world.colleague)
    url = reverse("tracking:contribution_edit", args=[task.pk, world.period.pk])
    assert client.post(url, {"text": ""}).status_code == 400
    client.post(url, {"text": "Đã hỗ trợ 3 hộ kinh doanh lên sàn"})
    assert TaskContribution.objects.get().unit == world.other_unit
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:update_edit", args=[task.pk, world.period.pk])).content.decode()
    assert "Đã hỗ trợ 3 hộ kinh doanh lên sàn" in page


def test_a_unit_that_does_not_coordinate_cannot_contribute(client, world):
    client.force_login(world.colleague)
    url = reverse("tracking:contribution_edit", args=[world.task.pk, world.period.pk])
    assert client.post(url, {"text": "x"}).status_code in {403, 404}
    assert not TaskContribution.objects.exists()


def test_an_on_request_task_becomes_overdue_only_after_a_request_is_recorded(client, world):
    task = builders.task(world.task.section, lead="Trung tâm PVHCC", deadline="Khi có yêu cầu")
    today = dt.date(2026, 11, 22)
    assert not task.is_overdue(today)
    client.force_login(world.reviewer)
    client.post(
        reverse("tracking:request_record", args=[task.pk]),
        {"requested_on": "01/10/2026", "request_due_date": "15/11/2026"},
    )
    task.refresh_from_db()
    assert task.request_due_date == dt.date(2026, 11, 15) and task.is_overdue(today)


def test_the_plan_browser_search_ignores_diacritics_and_case(client, world):
    builders.indicator(world.indicator.section, name="Tỷ lệ chuyển đổi số của doanh nghiệp")
    client.force_login(world.clerk)
    page = client.get(
        reverse("tracking:plan_detail", args=[world.plan.pk]), {"q": "CHUYEN doi so"}
    ).content.decode()
    assert "Tỷ lệ chuyển đổi số của doanh nghiệp" in page
    assert "Tỷ lệ hồ sơ trực tuyến" not in page


def test_the_plan_browser_filters_by_status_and_unit(client, world):
    _submitted(world)
    client.force_login(world.reviewer)
    url = reverse("tracking:plan_detail", args=[world.plan.pk])
    page = client.get(url, {"status": "submitted"}).content.decode()
    assert "Số hóa hồ sơ" in page and "Tỷ lệ hồ sơ trực tuyến" not in page
    page = client.get(url, {"unit": world.other_unit.pk}).content.decode()
    assert "Không có chỉ tiêu nào khớp bộ lọc" in page


def test_my_work_lists_the_units_items_with_deadline_flags(client, world):
    builders.task(
        world.task.section, description="Việc đã quá hạn", lead="Trung tâm PVHCC", deadline="Quý 1/2026"
    )
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:my_work")).content.decode()
    assert "2026-Q4" in page and "Tỷ lệ hồ sơ trực tuyến" in page and "Quá hạn" in page
    assert reverse("tracking:update_edit", args=[world.task.pk, world.period.pk]) in page


def test_home_sends_each_person_to_their_page(client, world):
    client.force_login(world.clerk)
    assert client.get(reverse("home"))["Location"] == reverse("tracking:my_work")
    client.force_login(world.reviewer)
    assert client.get(reverse("home"))["Location"] == reverse("dashboards:commune", args=[world.commune.pk])
    client.force_login(world.leader)
    assert client.get(reverse("home"))["Location"] == reverse("dashboards:commune", args=[world.commune.pk])
    client.force_login(world.province_viewer)
    assert client.get(reverse("home"))["Location"] == reverse("dashboards:province")
