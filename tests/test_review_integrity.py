"""The reviewer approves what was shown, never their own entry; the queue keeps what was ticked and typed."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import IndicatorResult
from indicators.services import indicator_result_approve, indicator_result_reopen, indicator_result_save
from plans.workflow import WorkflowStatus
from tasks.models import TaskUpdate
from tasks.services import task_update_approve, task_update_return, task_update_save
from tests import builders
from units.models import Role

OWN = "Bạn đã nhập mục này nên không tự duyệt được."


def _submit_update(world, actor, *, percent=50, version=0, results="Đang làm"):
    return task_update_save(
        task=world.task,
        period=world.period,
        actor=actor,
        progress="in_progress",
        percent_complete=percent,
        results=results,
        submit=True,
        expected_version=version,
    )


def _key(kind: str, entry) -> str:
    return f"{kind}:{entry.pk}@{entry.version}"


def _queue(client, world) -> str:
    return client.get(reverse("tracking:review"), {"ky": world.period.pk}).content.decode()


# -- review what you saw -------------------------------------------------------------------------------------


def test_an_approve_from_an_old_page_approves_nothing_and_says_what_changed(client, world):
    update = _submit_update(world, world.clerk, percent=40)
    client.force_login(world.reviewer)
    page = _queue(client, world)
    shown = re.search(r'name="items" value="(task:\d+@\d+)"', page).group(1)
    assert shown == _key("task", update)
    _submit_update(world, world.clerk, percent=90, version=update.version, results="Đã xong phần lớn")
    response = client.post(
        reverse("tracking:review_action"),
        {"action": "approve", "items": [shown], "ky": world.period.pk},
        follow=True,
    )
    page = response.content.decode()
    assert TaskUpdate.objects.get().status == WorkflowStatus.SUBMITTED
    assert f"Mục {world.task.number} đã thay đổi sau khi bạn mở trang: chưa duyệt." in page
    assert "Giá trị mới: Đang thực hiện · 90%." in page
    assert "Đã duyệt" not in page
    # The queue shows it again, with the new value and the version to approve now.
    assert "Đã xong phần lớn" in page and f'value="{_key("task", TaskUpdate.objects.get())}"' in page


def test_a_return_from_an_old_page_returns_nothing_but_the_unchanged_items_are_returned(client, world):
    update = _submit_update(world, world.clerk)
    result = indicator_result_save(
        indicator=world.indicator,
        period=world.period,
        actor=world.clerk,
        value=Decimal(70),
        submit=True,
        expected_version=0,
    )
    client.force_login(world.reviewer)
    items = [_key("task", update), _key("indicator", result)]
    indicator_result_save(
        indicator=world.indicator,
        period=world.period,
        actor=world.clerk,
        value=Decimal(75),
        submit=True,
        expected_version=result.version,
    )
    response = client.post(
        reverse("tracking:review_action"),
        {"action": "return", "items": items, "comment": "Bổ sung", "ky": world.period.pk},
        follow=True,
    )
    page = response.content.decode()
    assert TaskUpdate.objects.get().status == WorkflowStatus.RETURNED
    assert IndicatorResult.objects.get().status == WorkflowStatus.SUBMITTED
    assert "Đã trả lại 1 mục." in page and "chưa trả lại. Giá trị mới: 75" in page


def test_an_item_key_without_the_version_shown_is_refused(client, world):
    update = _submit_update(world, world.clerk)
    client.force_login(world.reviewer)
    client.post(reverse("tracking:review_action"), {"action": "approve", "items": [f"task:{update.pk}"]})
    assert TaskUpdate.objects.get().status == WorkflowStatus.SUBMITTED


@pytest.mark.parametrize("key", ["task:١@1", "task:1@١", "task:1@1@1", "task:1@ 1", "task:1@-1"])
def test_item_keys_stay_strict_ascii(client, world, key):
    _submit_update(world, world.clerk)
    client.force_login(world.reviewer)
    client.post(reverse("tracking:review_action"), {"action": "approve", "items": [key]})
    assert TaskUpdate.objects.get().status == WorkflowStatus.SUBMITTED


# -- separation of duties: a person with two roles -----------------------------------------------------------


@pytest.fixture
def two_roles(world):
    """A reviewer of the commune who is also staff of the lead unit."""
    person = builders.member(world.reviewer_unit, Role.REVIEWER, "hai-vai")
    world.lead_unit.memberships.create(user=person, role=Role.STAFF)
    return person


def test_a_person_with_two_roles_cannot_approve_or_return_their_own_entry(world, two_roles):
    update = _submit_update(world, two_roles)
    with pytest.raises(PermissionDenied, match=OWN):
        task_update_approve(update=update, actor=two_roles)
    with pytest.raises(PermissionDenied, match=OWN):
        task_update_return(update=update, actor=two_roles, comment="Tự trả lại")
    update.refresh_from_db()
    assert update.status == WorkflowStatus.SUBMITTED
    task_update_approve(update=update, actor=world.reviewer)  # another reviewer may
    assert TaskUpdate.objects.get().status == WorkflowStatus.APPROVED


def test_a_person_with_two_roles_cannot_reopen_their_own_entry(world, two_roles):
    result = indicator_result_save(
        indicator=world.indicator,
        period=world.period,
        actor=two_roles,
        value=Decimal(90),
        submit=True,
        expected_version=0,
    )
    indicator_result_approve(result=result, actor=world.reviewer)
    with pytest.raises(PermissionDenied, match=OWN):
        indicator_result_reopen(result=result, actor=two_roles, reason="Sai")
    # The reviewer who approved it did not write it, and may reopen it.
    indicator_result_reopen(result=result, actor=world.reviewer, reason="Sai số liệu")


def test_the_last_person_to_change_an_entry_cannot_review_it_even_if_someone_else_wrote_it(world, two_roles):
    update = _submit_update(world, world.clerk)
    update._history_user = two_roles  # a change recorded as theirs (the admin site, a repair)
    update.results = "Sửa bởi người hai vai"
    update.save()
    with pytest.raises(PermissionDenied, match=OWN):
        task_update_approve(update=update, actor=two_roles)


def test_the_queue_greys_ones_own_entry_and_refuses_it_if_posted_anyway(client, world, two_roles):
    update = _submit_update(world, two_roles)
    client.force_login(two_roles)
    page = _queue(client, world)
    box = re.search(r'<input type="checkbox" name="items"[^>]*>', page).group(0)
    assert "disabled" in box and "checked" not in box
    assert 'class="own-entry muted"' in page and OWN in page
    response = client.post(
        reverse("tracking:review_action"),
        {"action": "approve", "items": [_key("task", update)], "ky": world.period.pk},
        follow=True,
    )
    assert OWN in response.content.decode()
    assert TaskUpdate.objects.get().status == WorkflowStatus.SUBMITTED
    # Another reviewer sees it as an ordinary item.
    client.force_login(world.reviewer)
    assert OWN not in _queue(client, world)


# -- the queue's papercuts -----------------------------------------------------------------------------------


def test_a_return_refused_for_a_missing_comment_keeps_the_ticked_boxes(client, world):
    update = _submit_update(world, world.clerk)
    client.force_login(world.reviewer)
    response = client.post(
        reverse("tracking:review_action"),
        {"action": "return", "items": [_key("task", update)], "comment": " ", "ky": world.period.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "Vui lòng ghi ý kiến khi trả lại" in page
    box = re.search(r'<input type="checkbox" name="items"[^>]*>', page).group(0)
    assert "checked" in box
    # Only the page right after the refusal: the next visit starts clean.
    assert "checked" not in re.search(
        r'<input type="checkbox" name="items"[^>]*>', _queue(client, world)
    ).group(0)


def test_a_refused_action_keeps_the_typed_comment(client, world):
    _submit_update(world, world.clerk)
    client.force_login(world.reviewer)
    response = client.post(
        reverse("tracking:review_action"),
        {"action": "return", "comment": "Thiếu biên bản <kèm theo>", "ky": world.period.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "Chưa chọn mục nào." in page
    assert ">Thiếu biên bản &lt;kèm theo&gt;</textarea>" in page


def test_each_unit_group_has_a_select_all_box_run_by_a_static_script(client, world):
    _submit_update(world, world.clerk)
    client.force_login(world.reviewer)
    page = _queue(client, world)
    assert page.count("data-select-all") == 1
    assert re.search(r'<script src="[^"]*tracking/review\.js" defer></script>', page)
    assert "<script>" not in page
    script = (settings.BASE_DIR / "static" / "tracking" / "review.js").read_text()
    assert "data-select-all" in script and ":not([disabled])" in script


def test_the_queue_shows_the_target_beside_each_result(client, world):
    indicator_result_save(
        indicator=world.indicator,
        period=world.period,
        actor=world.clerk,
        value=Decimal("71.3"),
        submit=True,
        expected_version=0,
    )
    client.force_login(world.reviewer)
    assert "mục tiêu ≥80%" in _queue(client, world)


# -- a draft over a submitted entry asks first ---------------------------------------------------------------


def _draft_data(update, **overrides):
    data = {
        "progress": "in_progress",
        "percent_complete": "55",
        "results": "Sửa lại",
        "action": "draft",
        "version": update.version,
    }
    return {**data, **overrides}


def test_a_draft_of_a_submitted_update_asks_first_and_saves_nothing(client, world):
    update = _submit_update(world, world.clerk)
    client.force_login(world.clerk)
    url = reverse("tracking:update_edit", args=[world.task.pk, world.period.pk])
    response = client.post(url, _draft_data(update))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Lưu nháp sẽ rút mục khỏi hàng chờ thẩm định" in page
    assert 'name="confirm_draft" value="1"' in page and "Sửa lại" in page
    assert TaskUpdate.objects.get().status == WorkflowStatus.SUBMITTED
    response = client.post(url, _draft_data(update, confirm_draft="1"))
    assert response.status_code == 302
    saved = TaskUpdate.objects.get()
    assert (saved.status, saved.results) == (WorkflowStatus.DRAFT, "Sửa lại")


def test_a_draft_of_a_submitted_result_asks_first_and_a_draft_of_a_draft_does_not(client, world):
    result = indicator_result_save(
        indicator=world.indicator,
        period=world.period,
        actor=world.clerk,
        value=Decimal(85),
        submit=True,
        expected_version=0,
    )
    client.force_login(world.clerk)
    url = reverse("tracking:result_edit", args=[world.indicator.pk, world.period.pk])
    response = client.post(url, {"value": "60", "action": "draft", "version": result.version})
    assert response.status_code == 409 and IndicatorResult.objects.get().value == Decimal(85)
    response = client.post(
        url, {"value": "60", "action": "draft", "version": result.version, "confirm_draft": "1"}
    )
    assert response.status_code == 302
    response = client.post(url, {"value": "61", "action": "draft", "version": result.version + 1})
    assert response.status_code == 302 and IndicatorResult.objects.get().value == Decimal(61)
