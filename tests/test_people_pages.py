"""The pages of a people import: upload → preview → confirm, for a province administrator and a reviewer."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from imports.models import PeopleBatch
from tests import builders
from tests.test_people_import import BAD_ROWS, counts, person, ward, xlsx  # noqa: F401 - ward is a fixture
from units.models import Membership

User = get_user_model()


def upload(client, data: bytes, **extra):
    return client.post(
        reverse("imports:people_upload"), {"file": SimpleUploadedFile("nguoi-dung.xlsx", data), **extra}
    )


def preview_of(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def confirm(client, batch: PeopleBatch):
    return client.post(reverse("imports:people_confirm", args=[batch.pk]), {"sha256": batch.sha256})


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_preview_shows_each_bad_row_and_the_confirmation_writes_nothing(client, world, ward, kind):  # noqa: F811
    rows, column, expected = BAD_ROWS[kind]
    client.force_login(world.province_admin)
    page = preview_of(client, upload(client, xlsx(person(9, login="cuong", name="Lê Văn Cường"), *rows)))
    body = text(page)
    assert column in body and expected in body
    assert "chưa thể nhập" in body and "Xác nhận nhập" not in body
    before = counts()
    refused = confirm(client, PeopleBatch.objects.get())
    assert refused.status_code == 302 and counts() == before and not mail.outbox
    assert "Chưa nhập: tệp còn" in text(client.get(refused["Location"]))


def test_a_reviewer_creates_people_of_their_commune_only(client, world, ward):  # noqa: F811
    client.force_login(world.reviewer)
    data = xlsx(
        person(1, login="an", email=""),
        person(2, login="binh", name="Trần Bình", email="", commune="phường Tây Hiếu", unit="Phòng Kinh tế"),
    )
    body = text(preview_of(client, upload(client, data)))
    assert "xã/phường bạn quản lý: xã Nghĩa Đàn" in body and "phường Tây Hiếu" in body
    assert PeopleBatch.objects.get().commune == world.commune
    before = counts()
    confirm(client, PeopleBatch.objects.get())
    assert counts() == before


def test_the_administrator_of_another_province_does_not_see_the_batch(client, world):
    other_admin = builders.province_administrator(world.other_commune.province, "quantri.hatinh")
    client.force_login(world.province_admin)
    upload(client, xlsx(person(1, email="")))
    batch = PeopleBatch.objects.get()
    client.force_login(other_admin)
    assert client.get(reverse("imports:people_preview", args=[batch.pk])).status_code == 404
    before = counts()
    assert confirm(client, batch).status_code == 404 and counts() == before
    # A reviewer of the same province does not see a province-wide batch either.
    client.force_login(world.reviewer)
    assert client.get(reverse("imports:people_preview", args=[batch.pk])).status_code == 404


@pytest.mark.parametrize("who", ["clerk", "leader", "province_viewer"])
def test_people_who_manage_no_commune_are_refused(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("imports:people_upload")).status_code == 403
    assert client.get(reverse("imports:people_template")).status_code == 403
    assert upload(client, xlsx(person(1))).status_code == 403 and not PeopleBatch.objects.exists()


def test_a_file_that_is_no_people_list_is_refused_on_the_form(client, world):
    client.force_login(world.province_admin)
    response = upload(client, b"Ho ten;Email\nAn;an@x.vn\n")
    assert response.status_code == 200 and "không phải bảng tính Excel" in text(response)
    assert not PeopleBatch.objects.exists()


def test_confirmation_creates_people_shows_one_time_passwords_once_and_invites_the_others(client, world):
    client.force_login(world.province_admin)
    data = xlsx(
        person(1, login="an", email=""),
        person(2, login="an", email="", unit="Trung tâm PVHCC", role="Trưởng phòng"),
        person(3, login="binh", name="Trần Thị Bình", email="binh@nghiadan.gov.vn"),
    )
    body = text(preview_of(client, upload(client, data)))
    assert "Người dùng mới: 2 (1 nhận thư mời, 1 nhận mật khẩu dùng một lần)" in body
    assert "Phòng Kinh tế (xã Nghĩa Đàn) – Cán bộ đơn vị" in body and "Lãnh đạo đơn vị" in body
    batch = PeopleBatch.objects.get()

    done = confirm(client, batch)
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    secret = re.search(r'<code class="secret">([^<]+)</code>', done.content.decode()).group(1)
    assert "đã gửi thư mời tới binh@nghiadan.gov.vn" in text(done)
    assert [m.to for m in mail.outbox] == [["binh@nghiadan.gov.vn"]]
    assert Membership.objects.filter(user__username="an").count() == 2

    # Never shown again: the batch is done, its preview and confirmation send the administrator back.
    before = counts()
    again = confirm(client, batch)
    assert again.status_code == 302 and counts() == before
    follow = client.get(reverse("imports:people_preview", args=[batch.pk]), follow=True)
    assert secret not in follow.content.decode() and "đã được nhập" in text(follow)

    client.logout()
    assert client.post(reverse("login"), {"username": "an", "password": secret}).status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("imports:first_password")


def test_preview_queries_do_not_grow_with_people(client, world):
    client.force_login(world.province_admin)

    def measure(n: int) -> int:
        rows = [
            person(i, login=f"p{n}-{i}", name=f"Người Số {i}", email=f"p{n}.{i}@x.vn", unit=unit)
            for i in range(n)
            for unit in ("Phòng Kinh tế", "Trung tâm PVHCC")
        ]
        url = upload(client, xlsx(*rows))["Location"]
        client.get(url)  # warm the caches filled once per process
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and f"p{n}-{n - 1}" in response.content.decode()
        return len(queries)

    few, many = measure(2), measure(30)
    print(f"\npeople preview: {few} queries for 2 people (4 rows), {many} for 30 people (60 rows)")
    assert few == many, (
        f"the preview ran {few} queries for 2 people and {many} for 30: a query per person must be justified"
    )


def test_someone_who_manages_several_places_chooses_where_the_list_goes(client, world):
    admin = builders.user("quantri.he.thong", is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("imports:people_upload"))
    assert '<select name="scope"' in page.content.decode() and "Mọi xã/phường của tỉnh Hà Tĩnh" in text(page)
    missing = upload(client, xlsx(person(1, email="")))
    assert missing.status_code == 200 and not PeopleBatch.objects.exists()
    body = text(
        preview_of(client, upload(client, xlsx(person(1, email="")), scope=f"p{world.commune.province_id}"))
    )
    assert "Người dùng mới: 1" in body and "Xác nhận nhập" in body
