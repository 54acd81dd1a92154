"""The province matrix against figures counted by hand, its Excel, its refusals and its query count.

Four communes of Nghệ An report on four entries, one per aggregation rule (written beside each row):

| commune     | rate (≥80%)       | sum (count)           | yes/no          | mean (percent)  |
|-------------|-------------------|-----------------------|-----------------|-----------------|
| Nghĩa Đàn   | 40/50 = 80% ✓     | 10 ▲ (≥5)             | Đạt             | 90              |
| Nghĩa Hưng  | 90/100 = 90% ▲    | 7 ▲                   | Chưa đạt        | 80              |
| Tây Hiếu    | 30/50 = 60% ✗     | 100, only submitted   | Đạt             | 70              |
| Quỳnh Lưu   | 50/50, link only suggested | —            | —               | —               |

rate 160/200 = 80,0% from 3 communes (achieves the province's ≥80%); sum 17 from 2 (short of 25); share
achieving 2/3 = 66,7%; mean 80,0 from 3 (short of ≥85%). Quỳnh Lưu reports nothing that counts.
"""

import io
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from catalogue.models import Aggregation, IndicatorLink, LinkState, Measure
from catalogue.selectors import province_matrix, sorted_rows
from catalogue.services import catalogue_entry_save, link_relink
from indicators.services import indicator_result_approve, indicator_result_save
from plans.workflow import Pillar
from tests import builders
from units.models import Commune, Role

LEAD = "Văn phòng HĐND và UBND"


def _place(name: str):
    commune = builders.commune(name, "Nghệ An")
    unit = builders.unit(commune, LEAD)
    reviewer_unit = builders.unit(commune, "Phòng Văn hóa - Xã hội")
    plan = builders.plan(commune)
    return SimpleNamespace(
        commune=commune,
        clerk=builders.member(unit, Role.STAFF),
        reviewer=builders.member(reviewer_unit, Role.REVIEWER),
        plan=plan,
        section=builders.section(plan),
        period=builders.period(commune, "2026-Q4"),
    )


def _report(place, entry, name, target, *, approve=True, link=True, **figures):
    indicator = builders.indicator(place.section, name=name, target=target, lead=LEAD)
    if link:
        link_relink(indicator=indicator, entry=entry, actor=None)
    if figures:
        result = indicator_result_save(
            indicator=indicator, period=place.period, actor=place.clerk, submit=True, **figures
        )
        if approve:
            indicator_result_approve(result=result, actor=place.reviewer)
    return indicator


def _entry(province, code, measure, aggregation, target, order):
    return catalogue_entry_save(
        province=province,
        code=code,
        name=f"Chỉ tiêu chung {code}",
        pillar=Pillar.GOVERNMENT,
        measure=measure,
        aggregation=aggregation,
        target_text=target,
        order=order,
    )


@dataclass
class Fixture:
    province: object
    entries: list
    places: dict
    period_code: str = "2026-Q4"


def _fill(province, places: dict, entries: list) -> None:
    rate, total, flag, mean = entries
    nd, nh, th, ql = (places[k] for k in ("nd", "nh", "th", "ql"))
    _report(nd, rate, "Tỷ lệ hồ sơ trực tuyến", "≥80%", numerator=40, denominator=50)
    _report(nh, rate, "Tỷ lệ hồ sơ trực tuyến", "≥80%", numerator=90, denominator=100)
    _report(th, rate, "Tỷ lệ hồ sơ trực tuyến", "≥80%", numerator=30, denominator=50)
    suggested = _report(ql, rate, "Tỷ lệ hồ sơ trực tuyến", "≥80%", numerator=50, denominator=50)
    IndicatorLink.objects.filter(indicator=suggested).update(state=LinkState.SUGGESTED)
    _report(nd, total, "Số dịch vụ công toàn trình", "≥5 dịch vụ", value=Decimal(10))
    _report(nh, total, "Số dịch vụ công toàn trình", "≥5 dịch vụ", value=Decimal(7))
    _report(th, total, "Số dịch vụ công toàn trình", "≥5 dịch vụ", value=Decimal(100), approve=False)
    _report(nd, flag, "Trung tâm PVHCC đủ hạ tầng", "Đạt", flag=True)
    _report(nh, flag, "Trung tâm PVHCC đủ hạ tầng", "Đạt", flag=False)
    _report(th, flag, "Trung tâm PVHCC đủ hạ tầng", "Đạt", flag=True)
    _report(nd, mean, "Tỷ lệ hài lòng", "≥80%", value=Decimal(90))
    _report(nh, mean, "Tỷ lệ hài lòng", "≥80%", value=Decimal(80))
    _report(th, mean, "Tỷ lệ hài lòng", "≥80%", value=Decimal(70))


@pytest.fixture
def fixture(world) -> Fixture:
    province = world.commune.province
    entries = [
        _entry(province, "R", Measure.PERCENT, Aggregation.RATE, "≥80%", 1),
        _entry(province, "S", Measure.COUNT, Aggregation.SUM, "25 dịch vụ", 2),
        _entry(province, "Y", Measure.YES_NO, Aggregation.SHARE_ACHIEVING, "Đạt", 3),
        _entry(province, "M", Measure.PERCENT, Aggregation.MEAN, "≥85%", 4),
    ]
    nd = SimpleNamespace(
        commune=world.commune,
        clerk=builders.member(world.other_unit, Role.STAFF),
        reviewer=world.reviewer,
        plan=world.plan,
        section=builders.section(world.plan, title="Chỉ tiêu chung", number="IX"),
        period=world.period,
    )
    builders.unit(world.commune, LEAD)
    nd.clerk = builders.member(world.commune.units.get(name=LEAD), Role.STAFF)
    places = {"nd": nd, "nh": _place("Nghĩa Hưng"), "th": _place("Tây Hiếu"), "ql": _place("Quỳnh Lưu")}
    _fill(province, places, entries)
    return Fixture(province, entries, places)


def _figures(matrix):
    return {
        row.commune.name: [(c.state, c.value, c.numerator, c.denominator) for c in row.cells]
        for row in matrix.rows
    }


def test_cells_hold_each_communes_approved_figure_and_verdict(fixture):
    matrix = province_matrix(province=fixture.province, code="2026-Q4", entries=fixture.entries)
    figures = _figures(matrix)
    assert [row.commune.name for row in matrix.rows] == ["Nghĩa Hưng", "Nghĩa Đàn", "Quỳnh Lưu", "Tây Hiếu"]
    assert figures["Nghĩa Đàn"] == [
        ("achieved", Decimal("80.0"), 40, 50),
        ("exceeded", Decimal(10), None, None),
        ("achieved", None, None, None),
        ("exceeded", Decimal(90), None, None),
    ]
    assert figures["Nghĩa Hưng"][0] == ("exceeded", Decimal("90.0"), 90, 100)
    assert figures["Nghĩa Hưng"][2] == ("not_achieved", None, None, None)
    assert figures["Tây Hiếu"][0] == ("not_achieved", Decimal("60.0"), 30, 50)
    # Submitted, not approved: not reporting.
    assert figures["Tây Hiếu"][1][0] == "no_data"
    # Quỳnh Lưu's approved 50/50 sits on a link nobody confirmed; it has no other entry.
    assert [state for state, *_ in figures["Quỳnh Lưu"]] == ["no_data"] * 4


def test_aggregate_row_follows_each_entrys_rule(fixture):
    matrix = province_matrix(province=fixture.province, code="2026-Q4", entries=fixture.entries)
    rate, total, flag, mean = matrix.aggregates
    assert (rate.value, rate.numerator, rate.denominator, rate.reporting, rate.verdict) == (
        Decimal("80.0"),
        160,
        200,
        3,
        "achieved",
    )
    assert (total.value, total.reporting, total.verdict) == (Decimal(17), 2, "not_achieved")  # 17 of 25
    assert (flag.value, flag.met, flag.judged, flag.reporting) == (Decimal("66.7"), 2, 3, 3)
    assert (mean.value, mean.reporting, mean.verdict) == (Decimal("80.0"), 3, "not_achieved")


def test_rows_sort_by_a_column_with_communes_without_data_last(fixture):
    matrix = province_matrix(province=fixture.province, code="2026-Q4", entries=fixture.entries)
    rate = fixture.entries[0]
    names = [row.commune.name for row in sorted_rows(matrix, f"c{rate.pk}")]
    assert names == ["Nghĩa Hưng", "Nghĩa Đàn", "Tây Hiếu", "Quỳnh Lưu"]
    names = [row.commune.name for row in sorted_rows(matrix, f"-c{rate.pk}")]
    assert names == ["Tây Hiếu", "Nghĩa Đàn", "Nghĩa Hưng", "Quỳnh Lưu"]


def test_page_shows_cells_linking_to_the_communes_indicator(client, world, fixture):
    client.force_login(world.province_viewer)
    page = client.get(reverse("catalogue:matrix"), {"ky": "2026-Q4"}).content.decode()
    rate_indicator = fixture.places["nh"].plan.indicators.get(catalogue_link__entry=fixture.entries[0])
    assert reverse("tracking:indicator_detail", args=[rate_indicator.pk]) in page
    assert "<strong>80%</strong>" in page and "160/200" in page and "66,7%" in page
    assert "✗" in page and "▲" in page and "<svg" in page


def test_excel_holds_the_same_table(client, world, fixture):
    client.force_login(world.province_viewer)
    response = client.get(reverse("catalogue:matrix_xlsx"), {"ky": "2026-Q4"})
    assert response["Content-Disposition"] == 'attachment; filename="chi-tieu-chung-nghe-an-2026-q4.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "STT",
        "Xã/phường",
        "Mã xã",
        "Kỳ báo cáo",
        "R: Chỉ tiêu chung R (%)",
        "R: đánh giá",
    )
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["xã Nghĩa Hưng"][4:12] == (90, "Vượt", 7, "Vượt", "Chưa đạt", "Chưa đạt", 80, "Đạt")
    assert by_name["xã Quỳnh Lưu"][4:6] == (None, "Chưa báo cáo")
    assert by_name["Toàn tỉnh"][4:12] == (
        80,
        str(Aggregation.RATE.label),
        17,
        "Tổng cộng",
        66.7,
        "Tỷ lệ xã đạt",
        80,
        "Trung bình cộng",
    )
    assert by_name["Số xã/phường báo cáo"][4:11:2] == (3, 2, 3, 3)


def test_a_commune_code_starting_with_a_formula_stays_text_in_excel(client, world, fixture):
    Commune.objects.filter(pk=world.commune.pk).update(code="=1+2")
    client.force_login(world.province_viewer)
    response = client.get(reverse("catalogue:matrix_xlsx"), {"ky": "2026-Q4"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for (c,) in sheet.iter_rows(min_col=3, max_col=3) if c.value == "=1+2")
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_other_provinces_administrator_and_clerks_are_refused(client, world, fixture):
    other_admin = builders.province_administrator(world.other_commune.province, "quantri.hatinh")
    client.force_login(other_admin)
    assert client.get(reverse("catalogue:matrix"), {"tinh": fixture.province.pk}).status_code == 404
    assert client.get(reverse("catalogue:matrix_xlsx"), {"tinh": fixture.province.pk}).status_code == 404
    client.force_login(world.clerk)
    assert client.get(reverse("catalogue:matrix")).status_code == 403


@pytest.mark.parametrize("query", [{"ky": "2031-Q1"}, {"trucot": "khong-co"}, {"chi": "abc"}, {"tinh": "²"}])
def test_crafted_choices_get_404(client, world, fixture, query):
    client.raise_request_exception = False
    client.force_login(world.province_viewer)
    assert client.get(reverse("catalogue:matrix"), query).status_code == 404


def _measure(client, url: str) -> tuple[int, list[str]]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


def test_query_count_does_not_grow_with_communes_or_entries(client, world, fixture):
    client.force_login(world.province_admin)
    urls = [reverse("catalogue:matrix") + "?ky=2026-Q4", reverse("catalogue:matrix_xlsx") + "?ky=2026-Q4"]
    few = [_measure(client, url) for url in urls]
    more = [
        _entry(fixture.province, f"X{n}", Measure.PERCENT, Aggregation.RATE, "≥50%", 10 + n) for n in range(3)
    ]
    for n in range(3):
        place = _place(f"Xã thêm {n}")
        for entry in [*fixture.entries[:1], *more]:
            _report(place, entry, f"Tỷ lệ {entry.code}", "≥50%", numerator=3, denominator=4)
    many = [_measure(client, url) for url in urls]
    for (n_few, _sql_few), (n_many, sql_many) in zip(few, many, strict=True):
        assert n_few == n_many, (
            f"{n_few} then {n_many} queries with 3 more communes and entries: a query per commune or per "
            "entry must be justified (read it in catalogue.selectors.province_matrix instead).\n"
            + "\n".join(sql_many)
        )


def test_cached_matrix_follows_a_new_link_and_an_edited_entry(client, world, fixture, settings):
    from django.core.cache import caches

    from pagecache.cache import PAGES

    settings.CACHES = {
        **settings.CACHES,
        PAGES: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "catalogue-matrix"},
    }
    caches[PAGES].clear()
    client.force_login(world.province_viewer)
    url = reverse("catalogue:matrix") + "?ky=2026-Q4"
    assert "Chỉ tiêu chung R" in client.get(url).content.decode()
    rate = fixture.entries[0]
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
    assert "Tỷ lệ hồ sơ trực tuyến (đổi tên)" in client.get(url).content.decode()
    quynh_luu = fixture.places["ql"]
    link = IndicatorLink.objects.get(indicator__plan=quynh_luu.plan)
    link_relink(indicator=link.indicator, entry=rate, actor=world.province_admin)
    page = client.get(url).content.decode()
    caches[PAGES].clear()
    assert "210/250" in page  # Quỳnh Lưu's 50/50 counts once its link is confirmed
