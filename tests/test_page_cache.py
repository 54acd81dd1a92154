"""Cached page bodies: served again while nothing changed, rendered afresh as soon as anything did.

The other tests run with the page cache off (config/settings_test.py); here it is on, as in production.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.services import indicator_result_save
from pagecache.cache import PAGES, cached_body, province_version, with_versions
from plans.workflow import WorkflowStatus
from tasks.models import TaskUpdate
from tests import builders
from tests.test_permissions import (
    PEOPLE,
    SPEC,
    body,
    entries,  # noqa: F401 - the fixture, for the walk below
    requests_to_make,
    secrets_of,
    send,
)
from units.models import Commune, Province

PAGE_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "test-page-cache",
}


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.CACHES = {**settings.CACHES, PAGES: PAGE_CACHE}
    caches[PAGES].clear()
    yield
    caches[PAGES].clear()


def _get(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _main(page: str) -> str:
    """The page without its per-request CSRF tokens: what the cache must give back unchanged."""
    return page[page.index("<main") : page.index("</main>")]


def _version(commune) -> int:
    return Commune.objects.get(pk=commune.pk).data_version


def _update_url(world) -> str:
    return reverse("tracking:update_edit", args=[world.task.pk, world.period.pk])


def _draft(**overrides) -> dict:
    return {
        "progress": "in_progress",
        "percent_complete": "60",
        "results": "Đã số hóa 600 hồ sơ.",
        "version": "0",  # what the form of a never-saved update carries
        **overrides,
    }


def test_a_page_seen_again_comes_from_the_cache(client, world):
    client.force_login(world.clerk)
    url = reverse("tracking:my_work")
    first_queries, first = _get(client, url)
    again_queries, again = _get(client, url)
    assert again_queries < first_queries, "the second view should skip the page's own queries"
    assert again_queries <= 4, "a cached page costs the session, the user, the scope and the communes"
    assert _main(again) == _main(first)


def test_an_entry_saved_through_the_form_shows_on_the_next_view(client, world):
    client.force_login(world.clerk)
    url = reverse("tracking:my_work")
    _queries, before = _get(client, url)
    assert ">Sửa</a>" not in before
    response = client.post(_update_url(world), _draft(action="draft"))
    assert response.status_code == 302
    _queries, after = _get(client, url)
    assert ">Sửa</a>" in after, "My work must show the draft just saved, not the cached page"


def test_an_approval_in_the_queue_reaches_the_clerk_and_the_dashboard(client, world):
    clerk, reviewer = Client(), Client()
    clerk.force_login(world.clerk)
    reviewer.force_login(world.reviewer)
    clerk.post(_update_url(world), _draft(action="submit", progress="done", percent_complete="100"))
    update = TaskUpdate.objects.get()
    dashboard = reverse("dashboards:commune", args=[world.commune.pk])
    _q, board_before = _get(reviewer, dashboard)
    _q, work_before = _get(clerk, reverse("tracking:my_work"))
    _q, queue = _get(reviewer, reverse("tracking:review"))
    assert f'value="task:{update.pk}@{update.version}"' in queue

    response = reviewer.post(
        reverse("tracking:review_action"),
        {"items": [f"task:{update.pk}@{update.version}"], "action": "approve", "ky": world.period.pk},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == WorkflowStatus.APPROVED

    _q, queue = _get(reviewer, reverse("tracking:review"))
    assert f'value="task:{update.pk}"' not in queue
    _q, work_after = _get(clerk, reverse("tracking:my_work"))
    assert work_after != work_before and "Đã duyệt" in work_after
    _q, board_after = _get(reviewer, dashboard)
    assert board_after != board_before


def test_each_person_gets_their_own_body(client, world):
    indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal("85")
    )
    url = reverse("tracking:plan_detail", args=[world.plan.pk])
    clerk, colleague = Client(), Client()
    clerk.force_login(world.clerk)
    colleague.force_login(world.colleague)
    _q, seen_by_clerk = _get(clerk, url)
    _q, seen_by_colleague = _get(colleague, url)
    # The clerk's unit leads the indicator and reads its entry; the colleague's unit does not.
    assert ">Vượt</span>" in seen_by_clerk and ">Vượt</span>" not in seen_by_colleague


def test_filters_are_part_of_the_key(client, world):
    client.force_login(world.clerk)
    url = reverse("tracking:plan_detail", args=[world.plan.pk])
    _q, everything = _get(client, url)
    _q, searched = _get(client, f"{url}?q=khong-co-dau-ca")
    assert "Tỷ lệ hồ sơ trực tuyến" in everything and "Tỷ lệ hồ sơ trực tuyến" not in searched


def test_a_write_in_another_commune_leaves_this_communes_pages_cached(client, world):
    before, other_before = _version(world.commune), _version(world.other_commune)
    client.force_login(world.outsider)
    client.post(reverse("tracking:review_action"), {"action": "approve"})
    assert (_version(world.commune), _version(world.other_commune)) == (before, other_before + 1)


def test_logging_in_and_out_changes_no_version(client, world):
    before = _version(world.commune)
    client.post(reverse("login"), {"username": "clerk", "password": "pw-for-tests-1"})
    assert client.get(reverse("tracking:my_work")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("tracking:my_work")).status_code == 302
    assert _version(world.commune) == before


def test_reading_changes_no_version(client, world):
    before = _version(world.commune)
    client.force_login(world.reviewer)
    client.get(reverse("dashboards:commune", args=[world.commune.pk]))
    client.get(reverse("tracking:review"))
    assert _version(world.commune) == before


def test_an_admin_site_edit_marks_every_commune_changed(client, world):
    admin = builders.user("quan-tri", is_staff=True, is_superuser=True)
    before = {c.pk: c.data_version for c in Commune.objects.all()}
    client.force_login(admin)
    client.post(reverse("admin:units_commune_change", args=[world.commune.pk]), {})
    after = {c.pk: c.data_version for c in Commune.objects.all()}
    assert all(after[pk] == before[pk] + 1 for pk in before)


def test_the_next_day_renders_afresh(client, world, monkeypatch):
    client.force_login(world.clerk)
    url = reverse("tracking:my_work")
    _get(client, url)
    cached_queries, _body = _get(client, url)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    next_day_queries, _body = _get(client, url)
    assert next_day_queries > cached_queries


def test_a_change_in_any_commune_of_the_province_renews_the_province_dashboard(client, world):
    url = reverse("dashboards:province")
    client.force_login(world.province_viewer)
    _get(client, url)
    cached_queries, _body = _get(client, url)
    Commune.objects.filter(pk=world.commune.pk).update(data_version=world.commune.data_version + 7)
    renewed_queries, _body = _get(client, url)
    assert renewed_queries > cached_queries


def test_the_review_form_posts_with_the_current_sessions_csrf_token(world):
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal("85"), submit=True
    )
    reviewer = Client(enforce_csrf_checks=True)
    reviewer.force_login(world.reviewer)
    url = reverse("tracking:review")
    _get(reviewer, url)
    reviewer.logout()
    reviewer.force_login(world.reviewer)  # a new session and a new CSRF secret, the same cached body
    cached_queries, body = _get(reviewer, url)
    assert cached_queries <= 5
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)" form="review-form"', body).group(1)
    response = reviewer.post(
        reverse("tracking:review_action"),
        {
            "csrfmiddlewaretoken": token,
            "items": [f"indicator:{result.pk}@{result.version}"],
            "action": "approve",
            "ky": world.period.pk,
        },
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.status == WorkflowStatus.APPROVED


def test_a_body_holding_a_csrf_token_is_never_stored(rf, world, monkeypatch):
    request = rf.get("/")
    request.user = world.clerk
    monkeypatch.setattr(
        "pagecache.cache.render_to_string", lambda *a, **k: '<input name="csrfmiddlewaretoken" value="x">'
    )
    with pytest.raises(ImproperlyConfigured):
        cached_body(request, "tracking/my_work.html", "1.0", dict)


def test_commands_that_write_outside_a_request_mark_the_commune_changed(seeded):
    communes = [plan.commune for plan in seeded.values()]
    before = [_version(commune) for commune in communes]
    call_command("load_demo_data", verbosity=0)
    assert all(_version(c) > v for c, v in zip(communes, before, strict=True))


def test_every_page_answers_each_person_as_the_spec_says_with_the_cache_filled_by_everyone(
    world,
    entries,  # noqa: F811 - the fixture imported above
):
    """Every GET of the permission walk, for every person in turn and then again from the filled cache:
    a cached body is never served to someone the page would refuse, nor shows the outsider another commune."""
    clients = {}
    for who in PEOPLE:
        clients[who] = Client()
        clients[who].force_login(getattr(world, who))
    for round_ in ("first", "cached"):
        for who in PEOPLE:
            for name, method, url in requests_to_make(world, entries):
                if method != "GET":
                    continue
                expected = SPEC[name, method][PEOPLE.index(who)]
                response = send(clients[who], name, method, url, entries)
                assert response.status_code in expected.statuses, (round_, who, name, response.status_code)
                if who == "outsider":
                    leaked = [s for s in secrets_of(world) if s.encode() in body(response)]
                    assert not leaked, (round_, name, leaked)


def test_a_live_preview_post_keeps_the_pages_cached(client, world):
    before = _version(world.commune)
    client.force_login(world.clerk)
    url = reverse("tracking:result_preview", args=[world.indicator.pk, world.period.pk])
    assert client.post(url, {"value": "85"}).status_code == 200
    assert _version(world.commune) == before


def test_a_refused_post_keeps_the_pages_cached(client, world):
    before = _version(world.commune)
    client.force_login(world.colleague)  # not of the lead unit: the form is refused
    assert client.post(_update_url(world), _draft(action="draft")).status_code in (403, 404)
    assert _version(world.commune) == before and not TaskUpdate.objects.exists()


def test_staff_outside_the_admin_site_mark_only_their_own_communes(client, world):
    world.clerk.is_staff = True
    world.clerk.save(update_fields=["is_staff"])
    other_before = _version(world.other_commune)
    client.force_login(world.clerk)
    assert client.post(_update_url(world), _draft(action="draft")).status_code == 302
    assert _version(world.other_commune) == other_before


def test_a_write_that_ends_in_a_server_error_keeps_nothing(client, world, monkeypatch):
    before = _version(world.commune)
    client.raise_request_exception = False
    client.force_login(world.clerk)

    def crash(*args, **kwargs):
        raise RuntimeError("lỗi sau khi đã ghi")

    monkeypatch.setattr("tracking.entry_views.redirect", crash)  # the update is saved, then the view fails
    assert client.post(_update_url(world), _draft(action="draft")).status_code == 500
    assert not TaskUpdate.objects.exists() and _version(world.commune) == before


def test_a_commune_replaced_by_another_gives_the_province_a_new_key(db):
    first = builders.commune("Xã Một", "Tỉnh Thử")
    builders.commune("Xã Hai", "Tỉnh Thử")
    Commune.objects.filter(pk=first.pk).update(data_version=3)
    province = with_versions(Province.objects.filter(pk=first.province_id))
    before = province_version(province.get())
    first.delete()
    Commune.objects.filter(pk=builders.commune("Xã Ba", "Tỉnh Thử").pk).update(data_version=3)
    # Same number of communes, same sum of versions: only the newest commune tells the two apart.
    assert province_version(province.get()) != before
