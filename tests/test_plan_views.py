from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.services import indicator_result_save


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("tracking:plan_detail", args=[world.plan.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_login_page_speaks_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert "Đăng nhập" in response.content.decode()


def test_bad_login_says_so_in_vietnamese(client, world):
    response = client.post(reverse("login"), {"username": "clerk", "password": "sai"})
    assert "không đúng" in response.content.decode()


@pytest.mark.parametrize("who", ["clerk", "colleague", "reviewer", "leader", "province_viewer"])
def test_people_of_the_commune_and_province_read_its_plan(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(reverse("tracking:plan_detail", args=[world.plan.pk]))
    assert response.status_code == 200
    assert "Tỷ lệ hồ sơ trực tuyến" in response.content.decode()


def test_outsider_gets_404_for_another_communes_plan(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("tracking:plan_detail", args=[world.plan.pk])).status_code == 404


def test_plan_list_shows_only_the_users_communes(client, world):
    client.force_login(world.clerk)
    body = client.get(reverse("tracking:plan_list")).content.decode()
    assert world.plan.title in body and world.other_plan.title not in body


def test_plan_page_prints_the_seed_plan_as_the_document(client, seeded, django_assert_max_num_queries):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="pw-for-tests-1")
    client.force_login(admin)
    plan = seeded["001_nghia-dan.json"]
    with django_assert_max_num_queries(16):
        body = client.get(reverse("tracking:plan_detail", args=[plan.pk])).content.decode()
    assert "Hạ tầng số" in body and "100% đối với các thủ tục đủ điều kiện" in body
    indicator_table = body.split('id="nhiem-vu"')[0]
    assert indicator_table.count('<td data-label="TT">21</td>') == 2


def test_filtering_on_entry_state_lists_only_rows_whose_entries_the_user_may_read(client, world):
    indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(90), submit=True
    )
    url = reverse("tracking:plan_detail", args=[world.plan.pk])
    client.force_login(world.colleague)
    assert world.indicator.name in client.get(url).content.decode()  # the plan itself is public
    assert world.indicator.name not in client.get(url, {"status": "submitted"}).content.decode()
    client.force_login(world.reviewer)
    assert world.indicator.name in client.get(url, {"status": "submitted"}).content.decode()
