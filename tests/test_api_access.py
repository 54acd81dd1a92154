"""Every route of the JSON API, walked with no token, a revoked one, another province's and a good one.

The routes are read from the URL resolver, so an endpoint added later is walked as soon as it is routed; a
new path keyword fails here until `VALUES` gives it one.
"""

import pytest
from django.core.cache import cache
from django.urls import URLPattern, get_resolver, reverse

from api.models import ApiClient
from api.services import api_client_revoke
from catalogue.models import Aggregation, LinkState, Measure
from catalogue.services import catalogue_entry_save, link_relink
from plans.workflow import Pillar
from tests.api_world import (
    approve_result,
    approve_update,
    bearer,
    issue_token,
    other_province_token,
    sent_report,
)

NAMESPACE = "api:v1"
# Served to anyone: the schema says what the API is, not what any province holds. The root only names the
# API's place for django-ninja and answers 404 to everyone.
OPEN = {"openapi-json", "api-root"}
# What a route cannot answer without (everything else is optional).
REQUIRED = {"matrix": {"period": "2026-Q4"}}
# Lists that name no commune of their own to filter by: the province's catalogue.
NO_COMMUNE_FILTER = {"communes", "catalogue"}


def api_routes() -> list[tuple[str, tuple[str, ...]]]:
    resolver = get_resolver()
    for part in NAMESPACE.split(":"):
        resolver = next(entry for entry in resolver.url_patterns if getattr(entry, "namespace", None) == part)
    routes = []
    for entry in resolver.url_patterns:
        assert isinstance(entry, URLPattern), entry
        routes.append((entry.name, tuple(entry.pattern.regex.groupindex)))
    return routes


@pytest.fixture
def walk(world, settings, tmp_path) -> dict:
    cache.clear()
    settings.MEDIA_ROOT = tmp_path
    approve_result(world)
    approve_update(world)
    report = sent_report(world.plan, world.period)
    entry = catalogue_entry_save(
        province=world.commune.province,
        code="DVC",
        name="Tỷ lệ hồ sơ trực tuyến",
        pillar=Pillar.GOVERNMENT,
        measure=Measure.PERCENT,
        aggregation=Aggregation.RATE,
        target_text="≥80%",
    )
    link_relink(indicator=world.indicator, entry=entry, actor=world.province_admin)
    assert world.indicator.catalogue_link.state == LinkState.CONFIRMED
    good = issue_token(world.commune.province, world.province_admin)
    revoked = issue_token(world.commune.province, world.province_admin, "Hệ thống cũ")
    api_client_revoke(client=ApiClient.objects.get(name="Hệ thống cũ"), actor=world.province_admin)
    values = {
        "commune_id": world.commune.pk,
        "plan_id": world.plan.pk,
        "report_id": report.pk,
        "entry_id": entry.pk,
    }
    urls = {}
    for name, keywords in api_routes():
        if name in OPEN:
            continue
        unknown = [k for k in keywords if k not in values]
        assert not unknown, f"{name} takes {unknown}: give them a value in {__name__}.walk"
        path = reverse(f"{NAMESPACE}:{name}", kwargs={k: values[k] for k in keywords})
        query = "?" + "&".join(f"{k}={v}" for k, v in REQUIRED[name].items()) if name in REQUIRED else ""
        urls[name] = (path + query, bool(keywords))
    return {"urls": urls, "good": good, "revoked": revoked, "other": other_province_token(world)}


def test_the_walk_covers_every_endpoint(walk):
    assert set(walk["urls"]) == {
        "communes", "commune", "units", "plans", "plan", "indicators", "tasks", "periods",
        "results", "task_updates", "reports", "report", "report_pdf", "report_xlsx",
        "catalogue", "catalogue_links", "matrix",
    }  # fmt: skip


def test_no_token_and_a_revoked_token_get_401_everywhere(client, walk):
    for name, (url, _is_object) in walk["urls"].items():
        assert client.get(url).status_code == 401, name
        assert client.get(url, **bearer(walk["revoked"])).status_code == 401, name


def test_another_provinces_token_finds_no_object_and_empty_lists(client, world, walk):
    """Hà Tĩnh's token: Nghĩa Đàn's objects do not exist, filtering by it lists nothing, and no list of its
    own province names anything of Nghĩa Đàn."""
    secrets = [world.plan.title, world.indicator.name, world.task.description, world.commune.name, "DVC"]
    for name, (url, is_object) in walk["urls"].items():
        answer = client.get(url, **bearer(walk["other"]))
        if is_object:
            assert answer.status_code == 404, name
            continue
        assert answer.status_code == 200, name
        assert not [s for s in secrets if s in answer.content.decode()], name
        if name not in NO_COMMUNE_FILTER:
            joint = "&" if "?" in url else "?"  # keep a required parameter the walk put in the url
            filtered = client.get(f"{url}{joint}commune={world.commune.pk}", **bearer(walk["other"]))
            assert filtered.json()["results"] == [], name


def test_a_good_token_reads_every_endpoint(client, walk):
    for name, (url, is_object) in walk["urls"].items():
        answer = client.get(url, **bearer(walk["good"]))
        assert answer.status_code == 200, (name, answer.content[:200])
        if not is_object:
            assert answer.json()["count"] >= 1, name


def test_writes_are_not_routes(client, walk):
    for name, (url, _is_object) in walk["urls"].items():
        assert client.post(url, **bearer(walk["good"])).status_code == 405, name
        assert client.delete(url, **bearer(walk["good"])).status_code == 405, name
