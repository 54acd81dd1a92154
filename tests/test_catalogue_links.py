"""Links from commune indicators to the province's catalogue: suggestions, confirmation, refusal, relinking,
and the seed catalogue that `load_seed_plans` loads."""

import pytest
from django.urls import reverse

from catalogue.models import Aggregation, CatalogueEntry, IndicatorLink, LinkState, Measure
from catalogue.services import catalogue_entry_save, link_confirm, link_refuse, link_relink, links_suggest
from imports.reader import read_workbook
from imports.services import plan_import
from indicators.models import Indicator
from plans.models import SectionKind
from plans.workflow import Pillar
from tests import builders
from tests.data.seed_tables import workbook_bytes


def _entry(province, code, name, measure=Measure.PERCENT, aggregation=Aggregation.RATE, target="≥80%"):
    return catalogue_entry_save(
        province=province,
        code=code,
        name=name,
        pillar=Pillar.GOVERNMENT,
        measure=measure,
        aggregation=aggregation,
        target_text=target,
    )


@pytest.fixture
def catalogue(world):
    province = world.commune.province
    return {
        "online": _entry(province, "CS-01", "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến"),
        "bank": _entry(province, "CS-08", "Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản ngân hàng"),
        "centre": _entry(
            province,
            "CS-16",
            "Trung tâm Phục vụ hành chính công được trang bị đầy đủ hạ tầng số",
            Measure.YES_NO,
            Aggregation.SHARE_ACHIEVING,
            "Đạt",
        ),
    }


def test_a_differently_worded_indicator_is_suggested_its_entry(world, catalogue):
    section = world.indicator.section
    bank = builders.indicator(
        section,
        name="Tỷ lệ người dân trên 15 tuổi có tài khoản giao dịch thanh toán tại ngân hàng",
        target="85%",
    )
    links = {link.indicator_id: link for link in links_suggest(plan=world.plan)}
    assert links[bank.pk].entry == catalogue["bank"]
    assert links[bank.pk].state == LinkState.SUGGESTED
    assert links[world.indicator.pk].entry == catalogue["online"]


def test_an_imported_plan_arrives_with_its_suggestions(world, catalogue):
    rows = [
        ["TT", "Chỉ tiêu", "Mục tiêu 2026", "Đơn vị chủ trì"],
        ["I", "Chính quyền số"],
        ["1", "Tỷ lệ hồ sơ TTHC giải quyết trực tuyến toàn trình", "≥ 80%", "Trung tâm PVHCC"],
        ["2", "Tỷ lệ người dân trên 15 tuổi có tài khoản thanh toán tại ngân hàng", "85%", "Trung tâm PVHCC"],
    ]
    result = plan_import(
        commune=world.commune,
        workbook=read_workbook(workbook_bytes({"Chỉ tiêu": rows})),
        title="Kế hoạch nhập thử",
        year=2026,
        dry_run=False,
    )
    links = IndicatorLink.objects.filter(indicator__plan=result.plan).order_by("indicator__order")
    assert [(link.entry.code, link.state) for link in links] == [
        ("CS-01", LinkState.SUGGESTED),
        ("CS-08", LinkState.SUGGESTED),
    ]


def test_the_plan_page_leads_its_reviewer_to_the_links(client, world):
    links_page = f"{reverse('catalogue:links')}?xa={world.commune.pk}"
    plan_page = reverse("tracking:plan_detail", args=[world.plan.pk])
    client.force_login(world.reviewer)
    assert links_page in client.get(plan_page).content.decode()
    client.force_login(world.clerk)
    assert links_page not in client.get(plan_page).content.decode()


def test_a_target_of_another_form_lowers_the_score(world, catalogue):
    section = world.indicator.section
    as_rate = builders.indicator(
        section, name="Trung tâm Phục vụ hành chính công được trang bị hạ tầng số", target="100%"
    )
    as_flag = builders.indicator(
        section, name="Trung tâm Phục vụ hành chính công được trang bị hạ tầng số", target="Đạt"
    )
    links = {link.indicator_id: link for link in links_suggest(plan=world.plan)}
    assert links[as_flag.pk].entry == catalogue["centre"]
    assert links[as_rate.pk].score < links[as_flag.pk].score


def test_a_confirmed_suggestion_stays_when_suggestions_run_again(world, catalogue):
    (link,) = links_suggest(plan=world.plan)
    link_confirm(link=link, actor=world.reviewer)
    assert links_suggest(plan=world.plan) == []
    stored = IndicatorLink.objects.get(indicator=world.indicator)
    assert (stored.state, stored.confirmed_by) == (LinkState.CONFIRMED, world.reviewer)


def test_a_refused_suggestion_is_not_offered_again(world, catalogue):
    (link,) = links_suggest(plan=world.plan)
    link_refuse(link=link, actor=world.reviewer)
    assert links_suggest(plan=world.plan) == []
    assert IndicatorLink.objects.get(indicator=world.indicator).state == LinkState.REFUSED


def test_relinking_confirms_the_entry_a_person_chose(world, catalogue):
    (link,) = links_suggest(plan=world.plan)
    link_refuse(link=link, actor=world.reviewer)
    relinked = link_relink(indicator=world.indicator, entry=catalogue["bank"], actor=world.province_admin)
    assert (relinked.entry, relinked.state, relinked.confirmed_by) == (
        catalogue["bank"],
        LinkState.CONFIRMED,
        world.province_admin,
    )


def test_an_entry_of_another_province_cannot_be_linked(world, catalogue):
    elsewhere = _entry(world.other_commune.province, "HT-01", "Tỷ lệ hồ sơ trực tuyến")
    with pytest.raises(Exception, match="tỉnh"):
        link_relink(indicator=world.indicator, entry=elsewhere, actor=world.province_admin)
    assert not IndicatorLink.objects.exists()


def test_reviewer_confirms_refuses_and_relinks_on_the_links_page(client, world, catalogue):
    client.force_login(world.reviewer)
    page = client.get(reverse("catalogue:links"))
    assert page.status_code == 200
    response = client.post(reverse("catalogue:suggest", args=[world.plan.pk]))
    assert response.status_code == 302
    page = client.get(reverse("catalogue:links")).content.decode()
    assert "CS-01" in page and world.indicator.name in page
    url = reverse("catalogue:link_action", args=[world.indicator.pk])
    client.post(url, {"action": "confirm"})
    assert IndicatorLink.objects.get().state == LinkState.CONFIRMED
    client.post(url, {"action": "refuse"})
    assert IndicatorLink.objects.get().state == LinkState.REFUSED
    client.post(url, {"action": "relink", "entry": catalogue["bank"].pk})
    link = IndicatorLink.objects.get()
    assert (link.entry, link.state) == (catalogue["bank"], LinkState.CONFIRMED)


def test_relinking_without_an_entry_is_explained_and_changes_nothing(client, world, catalogue):
    client.force_login(world.reviewer)
    response = client.post(reverse("catalogue:link_action", args=[world.indicator.pk]), {"action": "relink"})
    assert response.status_code == 302
    assert not IndicatorLink.objects.exists()
    assert "Chọn chỉ tiêu chung" in client.get(reverse("catalogue:links")).content.decode()


def test_links_of_another_commune_are_hidden_and_clerks_refused(client, world, catalogue):
    url = reverse("catalogue:link_action", args=[world.indicator.pk])
    client.force_login(world.outsider)
    assert client.post(url, {"action": "relink", "entry": catalogue["bank"].pk}).status_code == 404
    client.force_login(world.clerk)
    assert client.post(url, {"action": "relink", "entry": catalogue["bank"].pk}).status_code == 403
    assert client.get(reverse("catalogue:links")).status_code == 403
    assert not IndicatorLink.objects.exists()


def test_an_entry_of_another_province_is_refused_by_the_form(client, world, catalogue):
    elsewhere = _entry(world.other_commune.province, "HT-01", "Tỷ lệ hồ sơ trực tuyến")
    client.force_login(world.reviewer)
    client.post(
        reverse("catalogue:link_action", args=[world.indicator.pk]),
        {"action": "relink", "entry": elsewhere.pk},
    )
    assert not IndicatorLink.objects.exists()


def test_the_seed_catalogue_links_differently_worded_seed_indicators(seeded):
    for province in ("Hà Tĩnh", "Nghệ An", "Thanh Hóa"):
        assert CatalogueEntry.objects.filter(province__name=province).count() == 18
    bank = Indicator.objects.get(plan__commune__name="Định Tiến", number="7")
    assert bank.catalogue_link.entry.code == "CS-08"
    assert bank.catalogue_link.state == LinkState.CONFIRMED
    tay_hieu = Indicator.objects.get(plan__commune__name="Tây Hiếu", name__startswith="Có từ 70% người dân")
    assert (tay_hieu.catalogue_link.entry.code, tay_hieu.catalogue_link.state) == (
        "CS-08",
        LinkState.CONFIRMED,
    )
    # A close call is left to a person: Tây Hiếu's online files rank CS-02 just ahead of CS-01.
    pending = IndicatorLink.objects.filter(state=LinkState.SUGGESTED).count()
    confirmed = IndicatorLink.objects.filter(state=LinkState.CONFIRMED).count()
    assert confirmed >= 10 and pending > confirmed
    mai_phu = Indicator.objects.filter(plan__commune__name="Mai Phụ", catalogue_link__isnull=False)
    assert {link.entry.province.name for link in IndicatorLink.objects.filter(indicator__in=mai_phu)} == {
        "Hà Tĩnh"
    }


def test_loading_the_seeds_twice_keeps_the_catalogue_and_the_links(seeded):
    from django.core.management import call_command

    before = list(IndicatorLink.objects.order_by("pk").values_list("indicator_id", "entry_id", "state"))
    call_command("load_seed_plans", verbosity=0)
    after = list(IndicatorLink.objects.order_by("pk").values_list("indicator_id", "entry_id", "state"))
    assert before == after
    assert CatalogueEntry.objects.count() == 3 * 18


def test_indicators_of_a_new_section_are_suggested_too(world, catalogue):
    section = builders.section(world.plan, SectionKind.INDICATORS, title="Kinh tế số", number="II")
    builders.indicator(section, name="Tỷ lệ dân số từ 15 tuổi có tài khoản ngân hàng", target=">80%")
    assert len(links_suggest(plan=world.plan)) == 2


def _count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_links_page_and_catalogue_list_query_counts_do_not_grow_with_rows(client, world, catalogue):
    links_suggest(plan=world.plan)
    client.force_login(world.province_admin)
    urls = [reverse("catalogue:links"), reverse("catalogue:list")]
    few = [_count(client, url) for url in urls]
    section = world.indicator.section
    for n in range(10):
        builders.indicator(section, name=f"Tỷ lệ dân số có tài khoản ngân hàng {n}", target="≥80%")
        _entry(world.commune.province, f"CS-{20 + n}", f"Chỉ tiêu chung thêm {n}")
    other = builders.commune("Nghĩa Hưng", "Nghệ An")
    builders.indicator(builders.section(builders.plan(other)), name="Tỷ lệ hồ sơ trực tuyến", target="≥80%")
    links_suggest(plan=world.plan)
    many = [_count(client, url) for url in urls]
    assert few == many, (
        f"{few} then {many} queries with more indicators, entries and communes: "
        "a query per row must be justified"
    )
