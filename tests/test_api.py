"""The read-only API for the province's reporting system: tokens, scope, paging, sync and only what counts."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from api.models import ApiClient, token_digest
from api.services import api_client_revoke
from indicators.services import indicator_result_reopen, indicator_result_save
from plans.models import PlanStatus, SectionKind
from reports.models import ReportStatus
from tests import builders
from tests.api_world import (
    PDF,
    approve_result,
    approve_update,
    bearer,
    issue_token,
    other_province_token,
    sent_report,
)


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()  # rate counters are keyed by client id, which SQLite reuses after a rolled-back test


@pytest.fixture
def token(world) -> str:
    return issue_token(world.commune.province, world.province_admin)


def url(name: str, **kwargs) -> str:
    return reverse(f"api:v1:{name}", kwargs=kwargs)


def get(client, token: str | None, name: str, params: dict | None = None, **kwargs):
    headers = bearer(token) if token else {}
    return client.get(url(name, **kwargs), params or {}, **headers)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Tokens


def test_the_token_is_stored_only_as_its_digest(world, token):
    stored = ApiClient.objects.get()
    assert stored.token_digest == token_digest(token) != token
    assert token.startswith(stored.token_prefix)
    assert token not in json.dumps(list(ApiClient.objects.values()), default=str)


def test_the_administrator_sees_the_new_token_once(client, world):
    client.force_login(world.province_admin)
    answer = client.post(
        reverse("api:client_list"), {"province": world.commune.province.pk, "name": "Hệ thống báo cáo"}
    )
    assert answer.status_code == 200
    stored = ApiClient.objects.get()
    assert stored.created_by == world.province_admin
    page = answer.content.decode()
    token = page.split('id="issued-token" readonly value="')[1].split('"')[0]
    assert token_digest(token) == stored.token_digest
    assert "no-store" in answer["Cache-Control"]
    again = client.get(reverse("api:client_list")).content.decode()
    assert token not in again and stored.token_prefix in again


def test_a_token_without_a_name_is_refused_with_a_message(client, world):
    client.force_login(world.province_admin)
    answer = client.post(reverse("api:client_list"), {"province": world.commune.province.pk, "name": "  "})
    assert answer.status_code == 400
    assert "Vui lòng ghi tên hệ thống" in answer.content.decode()
    assert not ApiClient.objects.exists()


def test_an_administrator_cannot_issue_for_another_province(client, world):
    client.force_login(world.province_admin)
    answer = client.post(
        reverse("api:client_list"), {"province": world.other_commune.province.pk, "name": "X"}
    )
    assert answer.status_code == 400
    assert not ApiClient.objects.exists()


def test_another_provinces_administrator_cannot_see_or_revoke_the_token(client, world, token):
    stranger = builders.province_administrator(world.other_commune.province, "quantri.hatinh")
    client.force_login(stranger)
    stored = ApiClient.objects.get()
    assert stored.token_prefix not in client.get(reverse("api:client_list")).content.decode()
    assert client.post(reverse("api:client_revoke", args=[stored.pk])).status_code == 404
    stored.refresh_from_db()
    assert not stored.is_revoked


def test_a_revoked_token_gets_401_and_the_others_still_work(client, world, token):
    second = issue_token(world.commune.province, world.province_admin, "Kho dữ liệu tỉnh")
    client.force_login(world.province_admin)
    first = ApiClient.objects.get(token_digest=token_digest(token))
    assert client.post(reverse("api:client_revoke", args=[first.pk])).status_code == 302
    client.logout()
    answer = get(client, token, "communes")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Bearer"
    assert "thu hồi" in answer.json()["detail"]
    assert get(client, second, "communes").status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer cdsx_wrong", "Token x", "Basic dXNlcjpwdw=="])
def test_a_missing_or_wrong_token_gets_401(client, world, token, header):
    answer = client.get(url("communes"), HTTP_AUTHORIZATION=header)
    assert answer.status_code == 401


def test_a_session_is_no_token(client, world):
    client.force_login(world.province_admin)
    assert client.get(url("communes")).status_code == 401


def test_past_the_limit_a_client_gets_429_with_retry_after_and_others_go_on(client, world, token, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    other = other_province_token(world)
    assert [get(client, token, "communes").status_code for _ in range(3)] == [200, 200, 200]
    refused = get(client, token, "communes")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "3 yêu cầu mỗi phút" in refused.json()["detail"]
    assert get(client, other, "communes").status_code == 200


def test_the_rate_window_opens_again_the_next_minute(client, world, token, settings, monkeypatch):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    now = 1_800_000_000.0  # a minute boundary
    monkeypatch.setattr("api.auth.time.time", lambda: now + 30)
    assert get(client, token, "communes").status_code == 200
    refused = get(client, token, "communes")
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    monkeypatch.setattr("api.auth.time.time", lambda: now + 61)
    assert get(client, token, "communes").status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(client, world, token):
    assert ApiClient.objects.get().last_used_at is None
    get(client, token, "communes")
    first = ApiClient.objects.get().last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        get(client, token, "communes")
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiClient.objects.get().last_used_at == first


# Scope


def test_a_token_of_another_province_reads_nothing_of_this_one(client, world, token):
    approve_result(world)
    approve_update(world)
    report = sent_report(world.plan, world.period)
    other = other_province_token(world)
    assert ids(get(client, other, "communes")) == [world.other_commune.pk]
    assert get(client, other, "commune", commune_id=world.commune.pk).status_code == 404
    assert get(client, other, "units", commune_id=world.commune.pk).status_code == 404
    assert get(client, other, "plan", plan_id=world.plan.pk).status_code == 404
    assert get(client, other, "report", report_id=report.pk).status_code == 404
    assert get(client, other, "report_pdf", report_id=report.pk).status_code == 404
    for name in ("plans", "indicators", "tasks", "periods", "results", "task_updates", "reports"):
        assert ids(get(client, other, name, {"commune": world.commune.pk})) == [], name
        body = get(client, other, name).content.decode()
        for secret in (world.plan.title, world.indicator.name, world.task.description, "Đã số hóa 40%"):
            assert secret not in body, (name, secret)
    # And this province's token reads its own.
    assert ids(get(client, token, "communes")) == [world.commune.pk]
    assert ids(get(client, token, "plans")) == [world.plan.pk]


def test_communes_and_units_carry_code_and_kind(client, world, token):
    world.commune.code = "17077"
    world.commune.save(update_fields=["code"])
    row = get(client, token, "commune", commune_id=world.commune.pk).json()
    assert row == {"id": world.commune.pk, "name": "Nghĩa Đàn", "kind": "xa", "code": "17077"}
    units = get(client, token, "units", commune_id=world.commune.pk).json()["results"]
    assert {u["name"] for u in units} >= {"Trung tâm Phục vụ hành chính công", "Phòng Kinh tế"}
    assert all(u["commune_id"] == world.commune.pk for u in units)


# Only what counts


def test_only_approved_results_and_updates_are_listed(client, world, token):
    approve_update(world)
    pending = builders.indicator(world.indicator.section, name="Chỉ tiêu chờ duyệt", lead="Trung tâm PVHCC")
    approved = approve_result(world)
    indicator_result_save(indicator=pending, period=world.period, actor=world.clerk, value=50, submit=True)
    assert ids(get(client, token, "results")) == [approved.pk]
    assert len(ids(get(client, token, "task_updates"))) == 1


def test_nothing_of_a_draft_plan_or_an_unsent_report(client, world, token):
    draft = builders.plan(world.commune, title="Kế hoạch dự thảo")
    draft.status = PlanStatus.DRAFT
    draft.save(update_fields=["status"])
    section = builders.section(draft, SectionKind.INDICATORS)
    builders.indicator(section, name="Chỉ tiêu của dự thảo")
    builders.task(builders.section(draft, SectionKind.TASKS), description="Nhiệm vụ của dự thảo")
    unsent = sent_report(world.plan, world.period, status=ReportStatus.APPROVED)
    assert draft.pk not in ids(get(client, token, "plans"))
    assert get(client, token, "plan", plan_id=draft.pk).status_code == 404
    assert "dự thảo" not in get(client, token, "indicators").content.decode()
    assert "dự thảo" not in get(client, token, "tasks").content.decode()
    assert ids(get(client, token, "reports")) == []
    assert get(client, token, "report", report_id=unsent.pk).status_code == 404
    assert get(client, token, "report_pdf", report_id=unsent.pk).status_code == 404


def test_plans_come_with_sections_and_filter_by_commune_and_status(client, world, token):
    closed = builders.plan(world.commune, year=2025)
    closed.status = PlanStatus.CLOSED
    closed.save(update_fields=["status"])
    rows = get(client, token, "plans").json()["results"]
    assert [r["id"] for r in rows] == sorted([world.plan.pk, closed.pk])
    sections = next(r for r in rows if r["id"] == world.plan.pk)["sections"]
    assert {s["kind"] for s in sections} == {"indicators", "tasks"}
    assert ids(get(client, token, "plans", {"status": "closed"})) == [closed.pk]
    assert ids(get(client, token, "plans", {"commune": world.commune.pk, "status": "issued"})) == [
        world.plan.pk
    ]
    refused = get(client, token, "plans", {"status": "draft"})
    assert refused.status_code == 422 and "status" in refused.json()["detail"]


def test_indicators_carry_the_target_as_printed_and_as_read(client, world, token):
    row = get(client, token, "indicators", {"plan": world.plan.pk}).json()["results"][0]
    assert row["commune_id"] == world.commune.pk
    assert row["targets"] == [
        {
            "year": 2026,
            "raw_text": "≥80%",
            "kind": "percent",
            "comparator": "gte",
            "value": "80.00",
            "min_value": None,
            "max_value": None,
            "unit_of_measure": "%",
            "qualifier": "",
        }
    ]


def test_tasks_carry_the_deadline_as_printed_and_its_due_date(client, world, token):
    row = get(client, token, "tasks", {"commune": world.commune.pk}).json()["results"][0]
    assert (row["deadline_text"], row["deadline_kind"], row["due_date"]) == (
        "Quý 4/2026",
        "quarter",
        "2026-12-31",
    )


def test_periods_of_the_province_and_of_a_commune(client, world, token):
    rows = get(client, token, "periods", {"commune": world.commune.pk}).json()["results"]
    assert [(r["code"], r["commune_id"]) for r in rows] == [("2026-Q4", world.commune.pk)]


def test_results_filter_by_period_code_and_commune(client, world, token):
    q3 = builders.period(world.commune, "2026-Q3")
    in_q4, in_q3 = approve_result(world), approve_result(world, period=q3, value=70)
    assert ids(get(client, token, "results", {"period": "2026-Q4"})) == [in_q4.pk]
    assert ids(get(client, token, "results", {"period": "2026-q3"})) == [in_q3.pk]
    assert ids(get(client, token, "results", {"commune": world.other_commune.pk})) == []
    row = get(client, token, "results", {"period": "2026-Q4"}).json()["results"][0]
    assert (row["period_code"], row["value"], row["verdict"], row["plan_id"]) == (
        "2026-Q4",
        "85.00",
        "exceeded",
        world.plan.pk,
    )
    refused = get(client, token, "results", {"period": "quý 4"})
    assert refused.status_code == 422
    assert "Mã kỳ báo cáo không hợp lệ" in refused.json()["detail"]


def test_updated_since_returns_what_changed_and_names_what_was_withdrawn(client, world, token):
    result = approve_result(world)
    update = approve_update(world)
    before = (result.updated_at - dt.timedelta(seconds=1)).isoformat()
    after = (timezone.now() + dt.timedelta(seconds=1)).isoformat()
    assert ids(get(client, token, "results", {"updated_since": before})) == [result.pk]
    assert ids(get(client, token, "results", {"updated_since": after})) == []
    assert ids(get(client, token, "task_updates", {"updated_since": before})) == [update.pk]
    indicator_result_reopen(result=result, actor=world.reviewer, reason="Sai số liệu")
    answer = get(client, token, "results", {"updated_since": before}).json()
    assert (answer["results"], answer["withdrawn"]) == ([], [result.pk])
    assert get(client, token, "results").json()["withdrawn"] == []  # a full read needs no such list


def test_a_time_without_offset_is_vietnam_time_and_a_bad_one_is_explained(client, world, token):
    result = approve_result(world)
    local = timezone.localtime(result.updated_at) - dt.timedelta(minutes=1)
    assert ids(get(client, token, "results", {"updated_since": local.strftime("%Y-%m-%dT%H:%M:%S")})) == [
        result.pk
    ]
    refused = get(client, token, "results", {"updated_since": "hôm qua"})
    assert refused.status_code == 422
    assert "updated_since: phải là thời điểm ISO 8601" in refused.json()["detail"]


def test_sent_reports_link_to_their_frozen_files(client, world, token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = sent_report(world.plan, world.period)
    row = get(client, token, "reports", {"period": "2026-Q4"}).json()["results"][0]
    assert row["id"] == report.pk and row["commune_id"] == world.commune.pk
    assert (row["number"], row["official_number"]) == ("1/BC-UBND", "01/BC-UBND")
    assert row["pdf_url"] == f"http://testserver{url('report_pdf', report_id=report.pk)}"
    download = client.get(row["pdf_url"], **bearer(token))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "bao-cao-nghia-dan-2026-Q4-v1.pdf" in download["Content-Disposition"]
    assert client.get(row["xlsx_url"]).status_code == 401  # the link alone opens nothing


# Paging


def test_pages_count_follow_and_keep_a_stable_order(client, world, token):
    for n in range(7):
        builders.commune(f"Xã Thử {n}", world.commune.province.name)
    first = get(client, token, "communes", {"limit": 3}).json()
    assert (first["count"], first["limit"], first["offset"], len(first["results"])) == (8, 3, 0, 3)
    seen, page = [], first
    while True:
        seen += [row["id"] for row in page["results"]]
        if page["next"] is None:
            break
        page = client.get(page["next"], **bearer(token)).json()
    assert seen == sorted(seen) and len(set(seen)) == 8
    last = get(client, token, "communes", {"limit": 3, "offset": 6}).json()
    assert (len(last["results"]), last["next"]) == (2, None)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 501}, "limit: không được lớn hơn 500"),
        ({"limit": 0}, "limit: không được nhỏ hơn 1"),
        ({"offset": -1}, "offset: không được nhỏ hơn 0"),
        ({"limit": "nhiều"}, "limit: phải là số nguyên"),
    ],
)
def test_a_bad_page_is_explained_in_vietnamese(client, world, token, params, message):
    answer = get(client, token, "communes", params)
    assert answer.status_code == 422
    assert message in answer.json()["detail"]


def _rows(world, start: int, count: int) -> None:
    """`count` more approved results, task updates, plans and sent reports in as many new communes."""
    for n in range(start, start + count):
        commune = builders.commune(f"Xã Đo {n}", world.commune.province.name)
        lead = builders.unit(commune, "Trung tâm PVHCC")
        clerk = builders.member(lead)
        reviewer = builders.member(builders.unit(commune, "Phòng VH-XH"), "reviewer")
        plan = builders.plan(commune)
        indicator = builders.indicator(builders.section(plan), lead="Trung tâm PVHCC")
        task = builders.task(builders.section(plan, SectionKind.TASKS), lead="Trung tâm PVHCC")
        period = builders.period(commune, "2026-Q4")
        local = type(world)(**{**world.__dict__, "clerk": clerk, "reviewer": reviewer})
        approve_result(local, indicator=indicator, period=period)
        approve_update(local, task=task, period=period)
        sent_report(plan, period)


LISTS = ["communes", "plans", "indicators", "tasks", "periods", "results", "task_updates", "reports"]


def test_a_page_costs_the_same_queries_for_2_or_22_rows(client, world, token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _rows(world, 0, 1)

    def counts() -> dict[str, int]:
        found = {}
        for name in LISTS:
            get(client, token, name)  # the first call of a minute also stamps last_used_at
            with CaptureQueriesContext(connection) as queries:
                answer = get(
                    client,
                    token,
                    name,
                    {"limit": 500, "period": "2026-Q4"} if name == "results" else {"limit": 500},
                )
            assert answer.status_code == 200
            found[name] = len(queries)
        return found

    few = counts()
    _rows(world, 1, 20)
    many = counts()
    assert many == few, "A list's query count grew with its rows: a new query per row must be justified."
    assert get(client, token, "results", {"limit": 500}).json()["count"] == 21


# The schema and the docs


def test_the_schema_is_served_without_a_token_and_validates(client, world):
    answer = client.get(url("openapi-json"))
    assert answer.status_code == 200
    schema = answer.json()
    validate(schema)
    assert "/api/v1/results" in schema["paths"]
    assert schema["components"]["securitySchemes"]["ClientToken"]["scheme"] == "bearer"


def test_the_docs_page_describes_every_route_in_vietnamese(client, world):
    client.force_login(world.province_viewer)
    page = client.get(reverse("api:docs")).content.decode()
    schema = client.get(url("openapi-json")).json()
    for path in schema["paths"]:
        assert f"GET {path}" in page
    assert "Kết quả chỉ tiêu đã duyệt" in page and "Authorization: Bearer" in page
    assert (
        "một trang (count, limit, offset, next, results, withdrawn), results gồm các dòng "
        '<a href="#kieu-ResultOut">ResultOut</a>' in page
    )
    assert "<code>raw_text</code>" in page  # the fields of an indicator's targets are described
    assert "<script>" not in page and "style=" not in page


def test_revoking_twice_keeps_the_first_time(world, token):
    stored = ApiClient.objects.get()
    api_client_revoke(client=stored, actor=world.province_admin)
    first = stored.revoked_at
    api_client_revoke(client=stored, actor=world.province_admin)
    stored.refresh_from_db()
    assert stored.revoked_at == first
