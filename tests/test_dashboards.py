"""Dashboards: the numbers are the hand count, every number opens the list it counts, and who sees what."""

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards import selectors
from indicators.services import indicator_result_approve, indicator_result_return, indicator_result_save
from plans.models import ReportingPeriod, SectionKind
from plans.periods import parse_period_code
from plans.selectors import period_for_code
from plans.workflow import Pillar
from reports.models import Report, ReportStatus
from tasks.models import Task
from tasks.services import task_update_approve, task_update_return, task_update_save
from tests import builders
from tracking.selectors import IndicatorState, TaskState, overdue_condition
from units.models import Commune, Role

TODAY = dt.date(2026, 11, 20)
COUNT_LINK = re.compile(r'<a class="count" href="([^"]+)" data-count="(\d+)">')


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Deadlines are judged against today: pin it, so `Quý 1/2026` is overdue and 10/12/2026 is near."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@dataclass
class Figures:
    """The hand-counted plan: what each row is, written beside it."""

    world: object
    previous: object
    economy_unit: object


def _result(world, indicator, value, *, approve=True, submit=True, period=None):
    result = indicator_result_save(
        indicator=indicator,
        period=period or world.period,
        actor=world.clerk,
        value=Decimal(value),
        submit=submit,
    )
    return indicator_result_approve(result=result, actor=world.reviewer) if approve and submit else result


def _update(world, task, progress, *, approve=True, period=None):
    update = task_update_save(
        task=task,
        period=period or world.period,
        actor=world.clerk,
        progress=progress,
        percent_complete=100 if progress == "done" else 40,
        results="Đã làm",
        submit=True,
    )
    return task_update_approve(update=update, actor=world.reviewer) if approve else update


@pytest.fixture
def figures(world) -> Figures:
    lead = "Trung tâm PVHCC"
    infra = world.indicator.section  # `Hạ tầng số`
    economy = builders.section(world.plan, SectionKind.INDICATORS, title="Kinh tế số", number="II")
    leadership = world.task.section  # `Công tác lãnh đạo, chỉ đạo`
    for section, pillar in (
        (infra, Pillar.INFRASTRUCTURE),
        (economy, Pillar.ECONOMY),
        (leadership, Pillar.LEADERSHIP),
    ):
        section.pillar = pillar
        section.save(update_fields=["pillar"])
    _result(world, world.indicator, 85)  # ≥80%, 85: exceeded
    _result(world, builders.indicator(infra, name="Chỉ tiêu đạt", lead=lead), 80)  # achieved
    _result(world, builders.indicator(infra, name="Chỉ tiêu chưa đạt", target="≥90%", lead=lead), 70)
    _result(world, builders.indicator(infra, name="Chỉ tiêu chờ duyệt", lead=lead), 95, approve=False)
    _result(world, builders.indicator(economy, name="Chỉ tiêu kinh tế", target="≥50%", lead=lead), 50)
    _result(world, builders.indicator(economy, name="Chỉ tiêu nháp", lead=lead), 10, submit=False)

    _update(world, world.task, "done")  # Quý 4/2026: done
    _update(world, builders.task(leadership, "Việc trễ hạn", lead=lead, deadline="Quý 1/2026"), "in_progress")
    _update(world, builders.task(leadership, "Việc trễ mà xong", lead=lead, deadline="Quý 1/2026"), "done")
    _update(world, builders.task(leadership, "Việc chậm", lead=lead), "behind")
    _update(world, builders.task(leadership, "Việc đúng tiến độ", lead=lead), "in_progress")
    returned = _update(
        world,
        builders.task(leadership, "Việc bị trả lại", lead=lead, deadline="Tháng 12/2026"),
        "done",
        approve=False,
    )
    task_update_return(update=returned, actor=world.reviewer, comment="Thiếu số liệu")
    economy_unit = world.other_unit  # Phòng Kinh tế
    builders.task(leadership, "Việc sắp đến hạn", lead="Phòng Kinh tế", deadline="Trước ngày 10/12/2026")
    builders.task(leadership, "Việc thường xuyên", lead=lead, deadline="Thường xuyên")

    previous = builders.period(world.commune, "2026-Q3")
    _result(world, world.indicator, 80, period=previous)  # achieved in Q3
    _update(world, world.task, "done", period=previous)
    return Figures(world, previous, economy_unit)


def _dashboard(world, unit=None):
    plan = selectors.dashboard_plan(world.commune, world.period)
    return selectors.commune_dashboard(
        commune=world.commune,
        plan=plan,
        period=world.period,
        today=TODAY,
        reports=Report.objects.all(),
        unit=unit,
    )


# -- the hand count --------------------------------------------------------------------------------------


def test_indicators_are_counted_by_approved_verdict_overall_and_by_pillar(figures):
    dash = _dashboard(figures.world)
    assert dash.indicators.counts == {"achieved": 2, "exceeded": 1, "not_achieved": 1, "no_data": 2}
    by_pillar = {p.pillar: p.indicators.counts for p in dash.pillars if p.indicators.total}
    assert by_pillar == {
        "ha_tang": {"achieved": 1, "exceeded": 1, "not_achieved": 1, "no_data": 1},
        "kinh_te": {"achieved": 1, "exceeded": 0, "not_achieved": 0, "no_data": 1},
    }


def test_tasks_are_counted_done_on_track_behind_overdue_with_done_winning_over_a_passed_deadline(figures):
    dash = _dashboard(figures.world)
    assert dash.tasks.counts == {"done": 2, "on_track": 1, "behind": 1, "overdue": 1, "no_data": 3}
    units = {row.unit.name: row for row in dash.units}
    assert units["Trung tâm Phục vụ hành chính công"].tasks.counts == {
        "done": 2,
        "on_track": 1,
        "behind": 1,
        "overdue": 1,
        "no_data": 2,
    }
    assert units["Phòng Kinh tế"].tasks.counts["no_data"] == 1


def test_submission_status_per_unit_and_days_left_before_the_provinces_deadline(figures):
    dash = _dashboard(figures.world)
    units = {row.unit.name: row.submissions.counts for row in dash.units}
    assert units["Trung tâm Phục vụ hành chính công"] == {
        "submitted": 1,
        "approved": 9,
        "returned": 1,
        "draft": 1,
        "not_started": 1,
    }
    assert units["Phòng Kinh tế"] == {
        "submitted": 0,
        "approved": 0,
        "returned": 0,
        "draft": 0,
        "not_started": 1,
    }
    assert dash.days_left == (figures.world.period.due_date - TODAY).days == 41


def test_upcoming_deadlines_and_the_trend_over_the_quarters_of_the_year(figures):
    dash = _dashboard(figures.world)
    assert [t.description for t in dash.upcoming] == ["Việc sắp đến hạn"]
    assert [(p.code, p.indicators_met, p.tasks_done) for p in dash.trend] == [
        ("2026-Q3", 1, 1),
        ("2026-Q4", 3, 2),
    ]


def test_unit_view_counts_only_the_rows_the_unit_leads(figures):
    dash = _dashboard(figures.world, unit=figures.economy_unit)
    assert dash.indicators.total == 0
    assert dash.tasks.counts == {"done": 0, "on_track": 0, "behind": 0, "overdue": 0, "no_data": 1}
    assert [t.description for t in dash.upcoming] == ["Việc sắp đến hạn"]


# -- every number is a link to the list it counts ----------------------------------------------------------


def _check_every_count_link(client, url: str, expect_links: int) -> list[tuple[str, int]]:
    page = client.get(url)
    assert page.status_code == 200
    links = [(href.replace("&amp;", "&"), int(n)) for href, n in COUNT_LINK.findall(page.content.decode())]
    assert len(links) >= expect_links
    wrong = []
    for href, count in links:
        listed = client.get(href).content.decode().count('class="item-row"')
        if listed != count:
            wrong.append(f"{href}: dashboard says {count}, the list shows {listed}")
    assert not wrong, "\n".join(wrong)
    return links


def test_every_count_on_the_commune_dashboard_is_the_length_of_its_list(client, figures):
    client.force_login(figures.world.reviewer)
    links = _check_every_count_link(
        client, reverse("dashboards:commune", args=[figures.world.commune.pk]), expect_links=30
    )
    assert any("verdict=achieved" in href and n == 2 for href, n in links)
    assert any("due_within=30" in href and n == 1 for href, n in links)


def test_every_count_on_the_unit_view_is_the_length_of_its_list(client, figures):
    client.force_login(figures.world.clerk)
    url = reverse("dashboards:unit", args=[figures.world.lead_unit.pk])
    links = _check_every_count_link(client, url, expect_links=10)
    assert all(f"unit={figures.world.lead_unit.pk}" in href for href, _n in links)


def test_seed_plan_of_nghia_dan_with_demo_progress_counts_match_their_lists(client, seeded):
    call_command("load_demo_data", verbosity=0)
    reviewer = get_user_model().objects.get(username="nghiadan.thamdinh")
    client.force_login(reviewer)
    home = client.get(reverse("home"))["Location"]
    assert home.startswith("/xa/")
    links = _check_every_count_link(client, home, expect_links=100)
    dash = client.get(home).context["dash"]
    assert dash.indicators.total == 35 and dash.tasks.total == 30
    overall = [
        (href, n) for href, n in links if "verdict=" in href and "pillar" not in href and "ky=2026-Q4" in href
    ]
    assert sum(n for href, n in overall if re.search(r"verdict=(?!met|any)", href)) == 35
    assert [n for href, n in overall if "verdict=any" in href] == [35]


# -- the plan browser filters the links use ----------------------------------------------------------------


def _rows(client, world, **params) -> list[str]:
    page = client.get(reverse("tracking:plan_detail", args=[world.plan.pk]), params).content.decode()
    return re.findall(r'<tr class="item-row">.*?<a href="[^"]+">([^<]+)</a>', page, re.S)


def test_plan_browser_filters_by_verdict_task_state_pillar_unit_and_deadline(client, figures):
    world = figures.world
    client.force_login(world.reviewer)
    assert _rows(client, world, verdict="not_achieved") == ["Chỉ tiêu chưa đạt"]
    assert _rows(client, world, verdict="met", pillar="kinh_te") == ["Chỉ tiêu kinh tế"]
    assert _rows(client, world, task_state="overdue") == ["Việc trễ hạn"]
    assert _rows(client, world, due_within=30) == ["Việc sắp đến hạn"]
    assert _rows(client, world, unit=figures.economy_unit.pk, lead_only=1) == ["Việc sắp đến hạn"]
    assert _rows(client, world, verdict="exceeded", ky="2026-Q3") == []
    assert _rows(client, world, verdict="achieved", ky="2026-Q3") == [world.indicator.name]


def test_plan_browser_ignores_a_period_code_the_commune_does_not_have(client, figures):
    client.force_login(figures.world.reviewer)
    rows = _rows(client, figures.world, ky="2019-Q1", verdict="not_achieved")
    assert len(rows) == 14  # an invalid form drops every filter: the whole plan is listed


# -- who sees what --------------------------------------------------------------------------------------


def test_home_sends_a_unit_head_to_the_unit_view(client, world):
    head = builders.member(world.lead_unit, Role.HEAD, "truong-phong")
    client.force_login(head)
    assert client.get(reverse("home"))["Location"] == reverse("dashboards:unit", args=[world.lead_unit.pk])


def test_province_viewer_reads_a_communes_dashboard_without_any_action(client, figures):
    client.force_login(figures.world.province_viewer)
    page = client.get(reverse("dashboards:commune", args=[figures.world.commune.pk])).content.decode()
    main = page.split('id="main"')[1]  # the logout form in the header is the only POST of the page
    assert "Bảng theo dõi" in main and 'method="post"' not in main


def test_outsider_gets_404_for_another_communes_dashboard_and_unit_view(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("dashboards:commune", args=[world.commune.pk])).status_code == 404
    assert client.get(reverse("dashboards:unit", args=[world.lead_unit.pk])).status_code == 404


def test_unknown_period_code_on_a_dashboard_is_404(client, world):
    client.force_login(world.reviewer)
    url = reverse("dashboards:commune", args=[world.commune.pk])
    assert client.get(url, {"ky": "2026-Q9"}).status_code == 404
    assert client.get(url, {"ky": "2019-Q1"}).status_code == 404


@pytest.mark.parametrize(
    "params", [{"ky": "2026-M99"}, {"pillar": "khong-co"}, {"tinh": "²"}, {"tinh": "9" * 30}]
)
def test_province_dashboard_answers_crafted_parameters_with_404(client, world, params):
    client.raise_request_exception = False
    client.force_login(world.province_viewer)
    assert client.get(reverse("dashboards:province"), params).status_code == 404


def test_province_viewer_of_another_province_cannot_pick_this_province(client, world):
    other = builders.province_viewer(world.other_commune.province, "so.hatinh")
    client.force_login(other)
    response = client.get(reverse("dashboards:province"), {"tinh": world.commune.province_id})
    assert response.status_code == 404


# -- province -----------------------------------------------------------------------------------------------


def _send_report(plan, period, *, version=1, when=None):
    return Report.objects.create(
        plan=plan,
        period=period,
        version=version,
        status=ReportStatus.SENT,
        sent_at=when or timezone.now(),
        report_date=TODAY,
        subject="Báo cáo kết quả chuyển đổi số quý IV",
    )


def test_the_province_never_reads_a_draft_report_on_the_commune_dashboard(client, world):
    Report.objects.create(plan=world.plan, period=world.period, report_date=TODAY, subject="Báo cáo quý IV")
    url = reverse("dashboards:commune", args=[world.commune.pk])
    client.force_login(world.reviewer)
    assert "Dự thảo" in client.get(url, {"ky": world.period.code}).content.decode()
    client.force_login(world.province_viewer)
    page = client.get(url, {"ky": world.period.code}).content.decode()
    assert "Dự thảo" not in page and "chưa lập" in page


def test_province_rollup_gives_each_commune_its_row_with_report_sent_and_counts(figures):
    world = figures.world
    sent = dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)
    _send_report(world.plan, world.period, when=sent)
    neighbour = builders.commune("Nghĩa Hưng", world.commune.province.name)
    rollup = selectors.province_rollup(
        province=world.commune.province, code="2026-Q4", today=TODAY, by_pillar=True
    )
    rows = {row.commune.name: row for row in rollup.rows}
    assert list(rows) == ["Nghĩa Hưng", "Nghĩa Đàn"]
    ours = rows["Nghĩa Đàn"]
    assert (ours.indicators.met, ours.indicators.total, ours.rate) == (3, 6, 0.5)
    assert ours.tasks.counts == {"done": 2, "on_track": 1, "behind": 1, "overdue": 1, "no_data": 3}
    assert (ours.first_sent_at, ours.sent_versions, ours.period) == (sent, 1, world.period)
    assert ours.pillars["kinh_te"].counts == {"achieved": 1, "exceeded": 0, "not_achieved": 0, "no_data": 1}
    assert rows["Nghĩa Hưng"].rate is None and rows["Nghĩa Hưng"].period is None
    assert neighbour.pk == rows["Nghĩa Hưng"].commune.pk
    only_economy = selectors.province_rollup(
        province=world.commune.province, code="2026-Q4", today=TODAY, pillar="kinh_te"
    )
    assert [(r.indicators.met, r.indicators.total, r.tasks.total) for r in only_economy.rows] == [
        (0, 0, 0),
        (1, 2, 0),
    ]


def test_province_dashboard_sorts_by_rate_and_links_each_commune_to_its_dashboard(client, figures):
    world = figures.world
    builders.commune("An Hòa", world.commune.province.name)
    client.force_login(world.province_viewer)
    page = client.get(reverse("dashboards:province"), {"sort": "ty-le"}).content.decode()
    assert page.index("Nghĩa Đàn") < page.index("An Hòa")
    assert f"{reverse('dashboards:commune', args=[world.commune.pk])}?ky=2026-Q4" in page
    assert "<svg" in page and "<title" in page and "3/6" in page
    by_name = client.get(reverse("dashboards:province"), {"sort": "-ten"}).content.decode()
    assert by_name.index("Nghĩa Đàn") < by_name.index("An Hòa")


def test_roll_up_excel_has_one_row_per_commune_with_formats_and_escaped_text(client, figures):
    world = figures.world
    _send_report(world.plan, world.period, when=dt.datetime(2026, 11, 18, 2, 30, tzinfo=dt.UTC))
    Commune.objects.create(province=world.commune.province, name="Thử", code="=1+2")
    client.force_login(world.province_viewer)
    response = client.get(reverse("dashboards:province_xlsx"), {"ky": "2026-Q4"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tong-hop-nghe-an-2026-q4.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["STT", "Xã/phường", "Mã", "Kỳ báo cáo"]
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "C2"
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    ours = rows["xã Nghĩa Đàn"]
    local_time = dt.datetime(2026, 11, 18, 9, 30)  # noqa: DTZ001 - Excel keeps wall-clock time, Hà Nội's
    assert ours[3:10] == ("2026-Q4", "Có", local_time, 1, 3, 6, 0.5)
    assert sheet.cell(row=3, column=header.index("Tỷ lệ đạt") + 1).number_format == "0.0%"
    assert rows["xã Thử"][2] == "'=1+2"
    assert "Hạ tầng số: đạt, vượt" in header


def test_province_dashboard_with_no_period_yet_says_so(client, db):
    viewer = builders.province_viewer(builders.province("Hà Tĩnh"), "so.hatinh")
    client.force_login(viewer)
    assert "chưa có kỳ báo cáo" in client.get(reverse("dashboards:province")).content.decode()
    assert client.get(reverse("dashboards:province_xlsx")).status_code == 404


def test_indicator_state_labels_match_the_verdict_words():
    assert IndicatorState.ACHIEVED.label == "Đạt" and IndicatorState.EXCEEDED.label == "Vượt"
    assert TaskState.OVERDUE.label == "Quá hạn"


def test_returned_entry_is_not_counted_until_approved(world):
    result = _result(world, world.indicator, 85, approve=False)
    indicator_result_return(result=result, actor=world.reviewer, comment="Thiếu minh chứng")
    assert _dashboard(world).indicators.counts["exceeded"] == 0


def test_overdue_state_follows_the_same_rule_as_the_task_overdue_filter(figures):
    world = figures.world
    builders.task(world.task.section, "Việc theo yêu cầu", deadline="Khi có yêu cầu")
    assert set(Task.objects.filter(overdue_condition(TODAY))) == set(Task.objects.overdue(TODAY))


@pytest.mark.parametrize(
    "who,target",
    [
        ("province_viewer", lambda w: reverse("dashboards:province")),
        ("reviewer", lambda w: reverse("dashboards:commune", args=[w.commune.pk])),
        ("leader", lambda w: reverse("dashboards:commune", args=[w.commune.pk])),
        ("clerk", lambda w: reverse("dashboards:unit", args=[w.lead_unit.pk])),
        ("colleague", lambda w: reverse("dashboards:unit", args=[w.other_unit.pk])),
    ],
)
def test_the_menus_dashboard_link_opens_each_persons_own_dashboard(client, world, who, target):
    client.force_login(getattr(world, who))
    assert client.get(reverse("dashboards:mine"))["Location"] == target(world)


def test_a_communes_own_period_wins_over_the_province_wide_one_of_the_same_code(figures):
    world = figures.world
    spec = parse_period_code("2026-Q4")
    ReportingPeriod.objects.create(
        province=world.commune.province,
        kind=spec.kind,
        year=spec.year,
        number=spec.number,
        start=spec.start,
        end=spec.end,
        due_date=spec.end,
    )
    assert period_for_code(world.commune, "2026-Q4") == world.period
    dash = _dashboard(world)
    assert [(p.code, p.indicators_met) for p in dash.trend] == [("2026-Q3", 1), ("2026-Q4", 3)]
