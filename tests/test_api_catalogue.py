"""The province catalogue, its confirmed links and the matrix through the API, on the hand-counted fixture of
tests/test_catalogue_matrix.py (its docstring has the table):

rate R 160/200 = 80,0% from 3 communes (achieved against ≥80%); sum S 17 from 2 (not achieved against 25);
share Y 2/3 = 66,7%; mean M 80,0 from 3 (not achieved against ≥85%). Quỳnh Lưu's link is only suggested.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiClient
from api.services import api_client_revoke
from catalogue.models import Aggregation, IndicatorLink, LinkState, Measure
from catalogue.services import catalogue_entry_save, link_relink
from plans.models import PlanStatus
from tests import builders
from tests import test_catalogue_matrix as counted
from tests.api_world import bearer, issue_token, other_province_token

fixture = counted.fixture  # the four communes and four entries counted by hand
_entry, _place, _report = counted._entry, counted._place, counted._report


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()  # rate counters are keyed by client id, which SQLite reuses after a rolled-back test


@pytest.fixture
def token(world) -> str:
    return issue_token(world.commune.province, world.province_admin)


def get(client, token: str, name: str, params: dict | None = None, **kwargs):
    return client.get(reverse(f"api:v1:{name}", kwargs=kwargs), params or {}, **bearer(token))


def _names(fixture) -> dict[int, str]:
    return {place.commune.pk: key for key, place in fixture.places.items()}


def test_the_catalogue_carries_each_entry_and_its_target_as_printed_and_as_read(client, fixture, token):
    body = get(client, token, "catalogue").json()
    assert body["count"] == 4
    assert [row["code"] for row in body["results"]] == ["R", "S", "Y", "M"]  # id order
    rate = body["results"][0]
    assert {k: rate[k] for k in ("name", "pillar", "measure", "aggregation")} == {
        "name": "Chỉ tiêu chung R",
        "pillar": "chinh_quyen",
        "measure": "percent",
        "aggregation": "rate",
    }
    assert (rate["target_text"], rate["target_kind"], rate["target_comparator"], rate["target_value"]) == (
        "≥80%",
        "percent",
        "gte",
        "80.00",
    )


def test_an_entrys_links_are_the_confirmed_ones_only(client, world, fixture, token):
    rate = fixture.entries[0]
    rows = get(client, token, "catalogue_links", entry_id=rate.pk).json()["results"]
    communes = sorted(_names(fixture)[row["commune_id"]] for row in rows)
    assert communes == ["nd", "nh", "th"]  # Quỳnh Lưu's link is a suggestion
    confirmed = IndicatorLink.objects.get(entry=rate, indicator__plan__commune=world.commune)
    assert {"id": confirmed.pk, "indicator_id": confirmed.indicator_id, "plan_id": world.plan.pk}.items() <= (
        next(row for row in rows if row["commune_id"] == world.commune.pk).items()
    )
    only = get(client, token, "catalogue_links", {"commune": world.commune.pk}, entry_id=rate.pk).json()
    assert [row["id"] for row in only["results"]] == [confirmed.pk]
    IndicatorLink.objects.filter(pk=confirmed.pk).update(state=LinkState.REFUSED)
    assert get(client, token, "catalogue_links", entry_id=rate.pk).json()["count"] == 2


def test_the_matrix_holds_the_hand_counted_cells_and_the_province_row(client, world, fixture, token):
    body = get(client, token, "matrix", {"period": "2026-q4"}).json()
    assert body["period"] == "2026-Q4"
    assert [entry["code"] for entry in body["entries"]] == ["R", "S", "Y", "M"]
    assert body["count"] == 4 and body["next"] is None
    assert [row["commune_id"] for row in body["results"]] == sorted(_names(fixture))
    rows = {_names(fixture)[row["commune_id"]]: row for row in body["results"]}
    nd = rows["nd"]
    assert nd["commune_name"] == "Nghĩa Đàn" and nd["period_id"] == world.period.pk
    assert [(c["state"], c["value"], c["numerator"], c["denominator"], c["flag"]) for c in nd["cells"]] == [
        ("achieved", "80.0", 40, 50, None),
        ("exceeded", "10.00", None, None, None),
        ("achieved", None, None, None, True),
        ("exceeded", "90.00", None, None, None),
    ]
    assert [c["state"] for c in rows["nh"]["cells"]] == ["exceeded", "exceeded", "not_achieved", "achieved"]
    assert rows["th"]["cells"][1]["state"] == "no_data"  # submitted, not approved
    assert [c["state"] for c in rows["ql"]["cells"]] == ["no_data"] * 4
    assert [c["indicator_id"] for c in rows["ql"]["cells"]] == [None] * 4
    rate, total, flag, mean = body["aggregates"]
    assert (rate["code"], rate["value"], rate["numerator"], rate["denominator"], rate["reporting"]) == (
        "R",
        "80.0",
        160,
        200,
        3,
    )
    assert rate["verdict"] == "achieved"
    assert (total["value"], total["reporting"], total["verdict"]) == ("17.00", 2, "not_achieved")
    assert (flag["value"], flag["met"], flag["judged"], flag["reporting"]) == ("66.7", 2, 3, 3)
    assert (mean["value"], mean["reporting"], mean["verdict"]) == ("80.0", 3, "not_achieved")


def test_the_matrix_takes_chosen_entries_by_code_and_refuses_an_unknown_one(client, fixture, token):
    body = get(client, token, "matrix", {"period": "2026-Q4", "entry": ["M", "R"]}).json()
    assert [entry["code"] for entry in body["entries"]] == ["R", "M"]  # catalogue order
    assert [a["value"] for a in body["aggregates"]] == ["80.0", "80.0"]
    assert all(len(row["cells"]) == 2 for row in body["results"])
    refused = get(client, token, "matrix", {"period": "2026-Q4", "entry": ["R", "Z9"]})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "entry: danh mục của tỉnh không có mã Z9."


def test_a_draft_plans_indicator_is_not_named_in_the_matrix(client, world, fixture, token):
    quynh_luu = fixture.places["ql"]
    draft = builders.plan(quynh_luu.commune, title="Kế hoạch dự thảo")
    draft.status = PlanStatus.DRAFT
    draft.save(update_fields=["status"])
    in_draft = builders.indicator(builders.section(draft), name="Chỉ tiêu dự thảo")
    link_relink(indicator=in_draft, entry=fixture.entries[1], actor=world.province_admin)
    body = get(client, token, "matrix", {"period": "2026-Q4"}).json()
    row = next(r for r in body["results"] if r["commune_id"] == quynh_luu.commune.pk)
    assert (row["cells"][1]["indicator_id"], row["cells"][1]["state"]) == (None, "no_data")
    links = get(client, token, "catalogue_links", entry_id=fixture.entries[1].pk).json()
    assert links["count"] == 3  # Nghĩa Đàn, Nghĩa Hưng, Tây Hiếu: not the draft
    nd = next(r for r in body["results"] if r["commune_id"] == world.commune.pk)
    assert nd["cells"][1]["indicator_id"] is not None  # an issued plan's indicator is named


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "period: không hợp lệ"), ({"period": "quý 4"}, "period: Mã kỳ báo cáo không hợp lệ")],
)
def test_a_matrix_without_a_good_period_is_explained(client, fixture, token, params, message):
    refused = get(client, token, "matrix", params)
    assert refused.status_code == 422
    assert message in refused.json()["detail"]


def test_the_matrix_pages_by_commune_and_the_province_row_counts_every_commune(client, fixture, token):
    first = get(client, token, "matrix", {"period": "2026-Q4", "limit": 3}).json()
    assert (first["count"], len(first["results"])) == (4, 3)
    second = client.get(first["next"], **bearer(token)).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    seen = [row["commune_id"] for row in first["results"] + second["results"]]
    assert seen == sorted(seen) and len(set(seen)) == 4
    assert second["aggregates"] == first["aggregates"]
    assert second["aggregates"][0]["reporting"] == 3


def test_another_provinces_token_sees_nothing_of_this_catalogue(client, world, fixture, token):
    other = other_province_token(world)
    assert get(client, other, "catalogue").json()["count"] == 0
    assert get(client, other, "catalogue_links", entry_id=fixture.entries[0].pk).status_code == 404
    body = get(client, other, "matrix", {"period": "2026-Q4"})
    assert body.status_code == 200
    assert (body.json()["entries"], body.json()["aggregates"]) == ([], [])
    assert [row["commune_id"] for row in body.json()["results"]] == [world.other_commune.pk]
    assert get(client, other, "matrix", {"period": "2026-Q4", "entry": "R"}).status_code == 422
    for answer in (get(client, other, "catalogue"), body):
        assert (
            "Chỉ tiêu chung R" not in answer.content.decode() and "Nghĩa Đàn" not in answer.content.decode()
        )


def test_a_revoked_token_reads_nothing(client, world, fixture, token):
    api_client_revoke(client=ApiClient.objects.get(), actor=world.province_admin)
    assert get(client, token, "catalogue").status_code == 401
    assert get(client, token, "catalogue_links", entry_id=fixture.entries[0].pk).status_code == 401
    assert get(client, token, "matrix", {"period": "2026-Q4"}).status_code == 401


def _queries(client, token: str, name: str, params: dict, **kwargs) -> int:
    get(client, token, name, params, **kwargs)  # the first call of a minute also stamps last_used_at
    with CaptureQueriesContext(connection) as queries:
        assert get(client, token, name, params, **kwargs).status_code == 200
    return len(queries)


def test_the_matrix_and_the_lists_cost_the_same_queries_with_more_communes_and_entries(
    client, fixture, token
):
    rate = fixture.entries[0]
    calls = [
        ("matrix", {"period": "2026-Q4", "limit": 500}, {}),
        ("catalogue", {"limit": 500}, {}),
        ("catalogue_links", {"limit": 500}, {"entry_id": rate.pk}),
    ]
    few = [_queries(client, token, name, params, **kw) for name, params, kw in calls]
    more = [
        _entry(fixture.province, f"X{n}", Measure.PERCENT, Aggregation.RATE, "≥50%", 10 + n) for n in range(3)
    ]
    for n in range(3):
        place = _place(f"Xã thêm {n}")
        for entry in [rate, *more]:
            _report(place, entry, f"Tỷ lệ {entry.code}", "≥50%", numerator=3, denominator=4)
    many = [_queries(client, token, name, params, **kw) for name, params, kw in calls]
    assert many == few, "A query per commune or per entry: read it in catalogue.selectors.province_matrix."
    body = get(client, token, "matrix", {"period": "2026-Q4"}).json()
    assert (body["count"], len(body["entries"]), body["aggregates"][0]["reporting"]) == (7, 7, 6)
    assert body["aggregates"][0]["numerator"] == 160 + 9


def test_an_edited_entry_shows_at_once(client, fixture, token):
    """API answers are not page-cached: an entry renamed is read renamed on the next call."""
    rate = fixture.entries[0]
    get(client, token, "matrix", {"period": "2026-Q4"})
    catalogue_entry_save(
        province=fixture.province,
        entry=rate,
        code="R",
        name="Tỷ lệ hồ sơ trực tuyến (đổi tên)",
        pillar=rate.pillar,
        measure=rate.measure,
        aggregation=rate.aggregation,
        target_text="≥80%",
    )
    body = get(client, token, "matrix", {"period": "2026-Q4"}).json()
    assert body["entries"][0]["name"] == "Tỷ lệ hồ sơ trực tuyến (đổi tên)"
