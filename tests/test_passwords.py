"""Password change for everyone, and "Quên mật khẩu" by email through Django's views."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests import builders

NEW_PASSWORD = "Cds-xa-2026-moi"


@pytest.fixture
def person(db):
    return builders.user(
        "canbo.nghiadan", email="canbo@nghiadan.gov.vn", first_name="Nguyễn Văn", last_name="An"
    )


def test_password_change_saves_the_new_password(client, person):
    client.force_login(person)
    page = client.get(reverse("password_change"))
    assert "Đổi mật khẩu" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-for-tests-1", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_password_change_refuses_a_wrong_old_password_and_keeps_the_old_one(client, person):
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.check_password("pw-for-tests-1")


def test_password_change_needs_a_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_login_page_offers_the_forgotten_password_page(client, db):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/dang-nhap/dat-mat-khau/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_sends_one_email_whose_link_works_once(client, person):
    response = client.post(reverse("password_reset"), {"email": "canbo@nghiadan.gov.vn"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["canbo@nghiadan.gov.vn"]
    assert "Đặt lại mật khẩu" in message.subject and "canbo.nghiadan" in message.body

    form_page = client.get(_reset_link(message), follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode() and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert get_user_model().objects.get(pk=person.pk).check_password(NEW_PASSWORD)

    client.logout()  # the link again, from another browser: it has been used
    again = client.get(_reset_link(message), follow=True)
    assert not again.context["validlink"]
    assert "không còn dùng được" in again.content.decode()


def test_password_reset_answers_the_same_for_an_unknown_address(client, person):
    known = client.post(reverse("password_reset"), {"email": "canbo@nghiadan.gov.vn"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1  # only the real address got a message


def test_password_reset_sends_nothing_to_a_deactivated_person(client, person):
    person.is_active = False
    person.save()
    client.post(reverse("password_reset"), {"email": "canbo@nghiadan.gov.vn"})
    assert mail.outbox == []
