"""Login throttling, the login log, the security headers and the production check (issue 17).

Throttling runs for real here (django-axes is on in the test settings): five wrong passwords for one person at
one address lock that pair out for the cool-off, on our login page and on the admin's.
"""

import logging
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "pw-for-tests-1"  # what tests.builders.user gives everyone
LOCKED_OUT = (
    "Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút hoặc liên hệ quản trị."
)
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)


def _login(client, username, password, *, url=None, address="127.0.0.1", **headers):
    url = url or reverse("login")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _fail(client, username, times, **kwargs):
    return [_login(client, username, "sai-mat-khau", **kwargs) for _ in range(times)]


def _directives(header: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in header.split(";")}


# Throttling


def test_fifth_wrong_password_locks_the_login_and_then_the_right_one_is_refused(client, world):
    responses = _fail(client, "clerk", 5)

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert all(WRONG in r.content.decode() for r in responses[:4])
    locked = _login(client, "clerk", PASSWORD)
    assert responses[4].status_code == locked.status_code == 429
    assert LOCKED_OUT in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_locks_out_likewise(client, db):
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    url = reverse("admin:login")

    assert [r.status_code for r in _fail(client, "root", 4, url=url)] == [200] * 4
    assert _fail(client, "root", 1, url=url)[0].status_code == 429
    locked = _login(client, "root", PASSWORD, url=url)
    assert locked.status_code == 429 and LOCKED_OUT in locked.content.decode()


def test_lockout_holds_one_person_at_one_address_only(client, world):
    _fail(client, "clerk", 5)

    assert _login(client, "colleague", PASSWORD).status_code == 302, "another person at the same address"
    client.logout()
    assert _login(client, "clerk", PASSWORD, address="10.0.0.2").status_code == 302, "same person elsewhere"
    client.logout()
    assert _login(client, "clerk", PASSWORD).status_code == 429


def test_a_successful_login_clears_the_earlier_failures(client, world):
    _fail(client, "clerk", 4)
    assert _login(client, "clerk", PASSWORD).status_code == 302
    client.logout()

    assert [r.status_code for r in _fail(client, "clerk", 4)] == [200] * 4
    assert _login(client, "clerk", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, world):
    _fail(client, "clerk", 5)
    assert _login(client, "clerk", PASSWORD).status_code == 429

    # Sixteen minutes pass: the failures now lie before the cool-off window.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save(update_fields=["attempt_time"])

    assert _login(client, "clerk", PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, world, settings):
    settings.REVERSE_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    _fail(client, "clerk", 5, address=proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")

    # A forged left part changes nothing; another client behind the same proxy is not locked out.
    forged = _login(client, "clerk", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    assert forged.status_code == 429
    other = _login(client, "clerk", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


# The login log


def test_logins_are_logged_with_username_and_address_but_never_the_password(client, world, caplog):
    secret = "mat-khau-bi-mat-123"
    with caplog.at_level(logging.INFO, logger="cds.auth"):
        _login(client, "clerk", secret, address="10.0.0.9")
        _login(client, "clerk", PASSWORD, address="10.0.0.9")

    lines = [r.getMessage() for r in caplog.records if r.name == "cds.auth"]
    assert lines == [
        "login failed username='clerk' ip=10.0.0.9",
        "login succeeded username='clerk' ip=10.0.0.9",
    ]
    assert not any(secret in r.getMessage() or PASSWORD in r.getMessage() for r in caplog.records)


def test_a_lockout_is_logged(client, world, caplog):
    with caplog.at_level(logging.INFO, logger="cds.auth"):
        _fail(client, "clerk", 5, address="10.0.0.9")

    lines = [r.getMessage() for r in caplog.records if r.name == "cds.auth"]
    assert lines.count("login failed username='clerk' ip=10.0.0.9") == 5
    assert lines.count("login locked out username='clerk' ip=10.0.0.9") == 1


# Headers


@pytest.mark.parametrize("page", ["my_work", "plan", "login", "admin"])
def test_pages_send_the_security_headers(client, world, page):
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin if page == "admin" else world.clerk)
    url = {
        "my_work": reverse("tracking:my_work"),
        "plan": reverse("tracking:plan_detail", args=[world.plan.pk]),
        "login": reverse("login"),
        "admin": reverse("admin:units_unit_changelist"),
    }[page]
    if page == "login":
        client.logout()

    # As nginx forwards an https request: HSTS goes only over https.
    response = client.get(url, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert _directives(response["Content-Security-Policy"]) == _directives(EXPECTED_CSP)
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_lockout_page_sends_the_headers_too(client, world):
    response = _fail(client, "clerk", 5)[-1]
    assert response.status_code == 429
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_htmx_is_told_to_inject_no_style_and_evaluate_nothing(client, world):
    client.force_login(world.clerk)
    body = client.get(reverse("tracking:my_work")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", body).group(1)
    assert '"includeIndicatorStyles":false' in config and '"allowEval":false' in config


class _InlineCode(HTMLParser):
    """Collects what the policy would block: inline scripts, handlers, style attributes and elements."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name: value for name, value in attrs}
        if tag == "script" and not names.get("src"):
            self.blocked.append("<script> without src")
        if tag == "style":
            self.blocked.append("<style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=…>")
            if name == "style":
                self.blocked.append(f"<{tag} style=…>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"<{tag} {name}=javascript:…>")
        if tag == "a" and names.get("href"):
            self.links.append(names["href"])


def _crawl(client, start: str, limit: int) -> tuple[set[str], dict[str, list[str]]]:
    """GET the pages reachable by links from `start`, within this site and outside the admin.

    Two pages of each kind are enough (a kind is the path with its numbers blanked, query strings dropped),
    so the crawl spreads over every screen instead of paging through one plan's filters.
    """
    seen, queue, blocked, kinds = set(), [start], {}, {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        kind = re.sub(r"\d+", "N", url)
        if url in seen or kinds.get(kind, 0) >= 2:
            continue
        seen.add(url)
        kinds[kind] = kinds.get(kind, 0) + 1
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = _InlineCode()
        parser.feed(response.content.decode())
        if parser.blocked:
            blocked[url] = parser.blocked
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(("/quan-tri/", "/dang-xuat/", "/static/")):
                continue
            queue.append(parts.path)
    return seen, blocked


@pytest.mark.parametrize(
    "username", ["nghiadan.canbo", "nghiadan.vhxh", "nghiadan.thamdinh", "nghiadan.lanhdao", "so.nghean"]
)
def test_no_page_of_the_main_journeys_carries_inline_code(client, seeded, username):
    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed with the process
    client.force_login(get_user_model().objects.get(username=username))

    seen, blocked = _crawl(client, reverse("home"), limit=45)

    assert len(seen) >= 15, f"the crawl should reach the journeys' pages, not only {sorted(seen)}"
    assert blocked == {}, f"the Content-Security-Policy would block these: {blocked}"


def test_the_inline_code_detector_sees_what_it_should():
    parser = _InlineCode()
    parser.feed('<script>x()</script><script src="/a.js"></script><b onclick="x()" style="color:red"></b>')
    assert parser.blocked == ["<script> without src", "<b onclick=…>", "<b style=…>"]


def test_login_page_has_no_inline_script(client, db):
    body = client.get(reverse("login")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert re.search(r"<script[^>]*\bsrc=\"[^\"]*htmx\.min\.js\"", body)


# check --deploy


def _readme_production_environment() -> dict[str, str]:
    """The variables of the production example line in the README's configuration section."""
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Cấu hình (biến môi trường)", 1)[1].split("\n## ", 1)[0]
    line = next(line for line in section.splitlines() if line.startswith("Ví dụ chạy thật"))
    example = re.search(r"`([^`]*)`", line).group(1)
    return dict(re.findall(r"([A-Z_]+)=(\S+)", example))


def _check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings", **environment}
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_the_readmes_production_environment():
    environment = _readme_production_environment()
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} <= environment.keys()
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)

    result = _check_deploy(environment)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_a_secret_key():
    environment = _readme_production_environment()
    del environment["SECRET_KEY"]

    result = _check_deploy(environment)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
