"""Every admin screen opens for an administrator, in Vietnamese, on the seed data."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse


@pytest.fixture
def admin_client_seeded(client, seeded):
    user = get_user_model().objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m._meta.app_label not in {"auth"}], ids=lambda m: m.__name__
)
def test_admin_changelist_and_change_pages_open(admin_client_seeded, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_seeded.get(url).status_code == 200
    first = model._default_manager.first()
    if first is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
        assert admin_client_seeded.get(change).status_code == 200


def test_admin_search_finds_an_indicator(admin_client_seeded):
    url = reverse("admin:indicators_indicator_changelist")
    body = admin_client_seeded.get(url, {"q": "sức khoẻ điện tử"}).content.decode()
    assert "sức khoẻ điện tử" in body


def test_admin_is_refused_to_commune_staff(client, world):
    client.force_login(world.reviewer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_editing_a_deadline_in_the_admin_reparses_it(admin_client_seeded, seeded):
    from tasks.models import Task

    task = seeded["001_nghia-dan.json"].tasks.get(number="1")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = admin_client_seeded.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"carried_from"}}
    data.update(
        {
            "plan": task.plan_id,
            "section": task.section_id,
            "deadline_text": "Tháng 10/2026",
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
        }
    )
    response = admin_client_seeded.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get(pk=task.pk)
    assert task.deadline_kind == "month" and task.due_date.isoformat() == "2026-10-31"
