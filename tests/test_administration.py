"""The administration pages (/quan-ly/): the province's communes, a new commune, its checklist, its units and
its people, as the province administrator and a commune's reviewer run them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import IndicatorResult
from indicators.services import indicator_result_save
from plans.models import PlanStatus
from tests import builders
from units.models import Commune, Membership, Role, Unit, UnitKind

MORE = 20
User = get_user_model()


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.province_admin)
    return client


def checklist_url(commune) -> str:
    return reverse("administration:commune", args=[commune.pk])


# -- who lands where ---------------------------------------------------------------------------------------


def test_province_administrator_is_sent_from_home_to_the_provinces_communes(admin_client):
    response = admin_client.get(reverse("home"))
    assert response["Location"] == reverse("administration:home")


def test_home_lists_the_provinces_communes_with_what_each_lacks(admin_client, world):
    builders.commune("Nghĩa Thọ", "Nghệ An")
    text = page(admin_client.get(reverse("administration:home")))
    assert "Nghĩa Đàn" in text and "Nghĩa Thọ" in text
    assert "Mai Phụ" not in text  # Hà Tĩnh is another province
    # Nghĩa Đàn has it all (units, people in each role, an issued plan, an open period), Nghĩa Thọ nothing.
    assert text.count("Sẵn sàng") == 1
    assert "thiếu 6/6 mục" in text and "Đơn vị của xã" in text and "Kỳ báo cáo đang mở" in text


def test_commune_reviewer_reaching_the_administration_goes_to_their_own_commune(client, world):
    client.force_login(world.reviewer)
    response = client.get(reverse("administration:home"))
    assert response["Location"] == checklist_url(world.commune)


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("province_admin", True),
        ("reviewer", True),
        ("clerk", False),
        ("leader", False),
        ("province_viewer", False),
    ],
)
def test_menu_offers_quan_ly_only_to_people_who_administer(client, world, who, shown):
    client.force_login(getattr(world, who))
    text = page(client.get(reverse("alerts:list")))
    assert (f'href="{reverse("administration:home")}"' in text) is shown


# -- a new commune -------------------------------------------------------------------------------------------


def test_province_administrator_creates_a_commune_and_lands_on_its_checklist(admin_client, world):
    data = {"province": world.commune.province_id, "kind": "phuong", "name": "  Tây  Hiếu ", "code": "17020"}
    response = admin_client.post(reverse("administration:commune_create"), data)
    commune = Commune.objects.get(name="Tây Hiếu")
    assert (commune.kind, commune.code, commune.province) == ("phuong", "17020", world.commune.province)
    assert response["Location"] == checklist_url(commune)
    text = page(admin_client.get(response["Location"]))
    assert "Phường Tây Hiếu" in text and "đã xong 0/6 mục" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "xa", "name": "nghĩa  đàn"}, "Xã Nghĩa Đàn đã có trong tỉnh Nghệ An."),
        ({"kind": "xa", "name": ""}, "Trường này là bắt buộc."),
        ({"kind": "xa", "name": "Nghĩa Thọ", "code": "17O11"}, "chỉ gồm chữ số"),
        ({"kind": "thon", "name": "Nghĩa Thọ"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"kind": "xa", "name": "N" * 101}, "tối đa 100 ký tự"),
    ],
    ids=["same-name-other-spelling", "blank", "code-letters", "bad-kind", "too-long"],
)
def test_bad_commune_is_refused_with_a_vietnamese_message_and_nothing_created(
    admin_client, world, data, message
):
    before = Commune.objects.count()
    response = admin_client.post(
        reverse("administration:commune_create"), {"province": world.commune.province_id, **data}
    )
    assert response.status_code == 400
    assert message in page(response)
    assert Commune.objects.count() == before


def test_an_official_code_already_used_in_the_province_is_refused(admin_client, world):
    Commune.objects.filter(pk=world.commune.pk).update(code="17011")
    data = {"province": world.commune.province_id, "kind": "xa", "name": "Nghĩa Thọ", "code": "17011"}
    response = admin_client.post(reverse("administration:commune_create"), data)
    assert response.status_code == 400
    assert "Mã 17011 đã là mã của xã Nghĩa Đàn." in page(response)
    assert not Commune.objects.filter(name="Nghĩa Thọ").exists()


def test_a_commune_cannot_be_created_in_another_province(admin_client, world):
    data = {"province": world.other_commune.province_id, "kind": "xa", "name": "Kỳ Anh"}
    response = admin_client.post(reverse("administration:commune_create"), data)
    assert response.status_code == 400
    assert not Commune.objects.filter(name="Kỳ Anh").exists()


def test_commune_reviewer_may_not_create_communes(client, world):
    client.force_login(world.reviewer)
    response = client.post(
        reverse("administration:commune_create"),
        {"province": world.commune.province_id, "kind": "xa", "name": "Nghĩa Thọ"},
    )
    assert response.status_code == 403
    assert not Commune.objects.filter(name="Nghĩa Thọ").exists()


# -- the checklist -----------------------------------------------------------------------------------------


def test_checklist_links_every_missing_step_to_where_it_is_done(admin_client, world):
    commune = builders.commune("Nghĩa Thọ", "Nghệ An")
    text = page(admin_client.get(checklist_url(commune)))
    assert text.count("Còn thiếu") == 6
    assert reverse("administration:unit_paste", args=[commune.pk]) in text
    assert reverse("administration:people", args=[commune.pk]) in text
    assert reverse("imports:upload") in text
    assert reverse("tracking:plan_list") in text


def test_checklist_follows_what_the_commune_has(admin_client, world):
    commune = builders.commune("Nghĩa Thọ", "Nghệ An")
    office = builders.unit(commune, "Phòng Văn hóa - Xã hội")
    builders.member(office, Role.REVIEWER)
    assert "đã xong 2/6 mục" in page(admin_client.get(checklist_url(commune)))
    builders.member(office, Role.LEADER)
    builders.member(office, Role.STAFF)
    draft = builders.plan(commune)
    draft.status = PlanStatus.DRAFT
    draft.save()
    text = page(admin_client.get(checklist_url(commune)))
    assert "đã xong 4/6 mục" in text and "1 kế hoạch, 0 đã ban hành" in text
    draft.status = PlanStatus.ISSUED
    draft.save()
    builders.period(commune, "2026-Q4")
    assert "đã xong 6/6 mục" in page(admin_client.get(checklist_url(commune)))


def test_a_deactivated_person_no_longer_fills_a_role(admin_client, world):
    commune = builders.commune("Nghĩa Thọ", "Nghệ An")
    reviewer = builders.member(builders.unit(commune, "Phòng Văn hóa - Xã hội"), Role.REVIEWER)
    reviewer.is_active = False
    reviewer.save()
    assert "đã xong 1/6 mục" in page(admin_client.get(checklist_url(commune)))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_commune_list_queries_do_not_grow_with_communes(admin_client, world):
    url = reverse("administration:home")
    before = _queries(admin_client, url)
    for n in range(MORE):
        commune = builders.commune(f"Xã thử {n}", "Nghệ An")
        builders.member(builders.unit(commune, "Phòng Văn hóa - Xã hội"), Role.REVIEWER)
    after = _queries(admin_client, url)
    assert after == before, f"{after} queries for {MORE} more communes, {before} before: justify a new one"


def test_checklist_queries_do_not_grow_with_units_and_people(admin_client, world):
    url = checklist_url(world.commune)
    before = _queries(admin_client, url)
    for n in range(MORE):
        builders.member(builders.unit(world.commune, f"Thôn {n}"), Role.STAFF)
        builders.plan(world.commune)
    after = _queries(admin_client, url)
    assert after == before, f"{after} queries for {MORE} more units and people, {before} before"


# -- units ------------------------------------------------------------------------------------------------

PASTE = "\n".join(
    [
        "Công an xã",
        "Phòng Văn hóa – Xã hội",  # the world's `Phòng Văn hóa - Xã hội` with an en dash
        "Phòng Văn hoá - Xã hội",  # and with the other tone placement
        "",
        "Thôn 1",
        "thôn  1",
        "Trường Mầm non Nghĩa Đàn",
    ]
)


def test_paste_preview_names_the_existing_unit_and_the_repeated_line_and_saves_nothing(admin_client, world):
    before = Unit.objects.count()
    url = reverse("administration:unit_paste", args=[world.commune.pk])
    text = page(admin_client.post(url, {"names": PASTE}))
    assert text.count("Đã có: đơn vị «Phòng Văn hóa - Xã hội» của xã; không tạo thêm.") == 2
    assert "Trùng với dòng 5; không tạo thêm." in text
    assert "Tạo 3 đơn vị mới" in text
    assert '<option value="police_military" selected>' in text  # Công an xã, guessed
    assert Unit.objects.count() == before


def test_pasted_units_are_created_with_the_kinds_chosen_in_the_preview(admin_client, world):
    url = reverse("administration:unit_create_many", args=[world.commune.pk])
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "Công an xã",
        "form-0-kind": UnitKind.POLICE_MILITARY,
        "form-1-name": "Trường Mầm non Nghĩa Đàn",
        "form-1-kind": UnitKind.OFFICE,  # changed from the guessed public-service kind
        # Sent as new, yet another spelling of an existing unit: left out, never a second unit.
        "form-2-name": "Phòng Văn hoá - Xã hội",
        "form-2-kind": UnitKind.OFFICE,
    }
    response = admin_client.post(url, data, follow=True)
    text = page(response)
    assert "Đã tạo 2 đơn vị." in text and "1 tên đã có trong xã nên không tạo thêm." in text
    assert Unit.objects.get(commune=world.commune, name="Trường Mầm non Nghĩa Đàn").kind == UnitKind.OFFICE
    assert Unit.objects.filter(commune=world.commune, match_key=world.reviewer_unit.match_key).count() == 1


def test_a_tampered_preview_creates_nothing(admin_client, world):
    before = Unit.objects.count()
    url = reverse("administration:unit_create_many", args=[world.commune.pk])
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": "Thôn 9", "form-0-kind": "x"}
    response = admin_client.post(url, data, follow=True)
    assert "không có đơn vị nào được tạo" in page(response)
    assert Unit.objects.count() == before


@pytest.mark.parametrize(
    ("names", "message"),
    [("Thôn\n" + "x" * 256, "dòng 2 dài hơn"), ("\n".join(f"Thôn {n}" for n in range(501)), "tối đa 500")],
    ids=["long-line", "too-many-lines"],
)
def test_a_bad_paste_is_explained(admin_client, world, names, message):
    url = reverse("administration:unit_paste", args=[world.commune.pk])
    response = admin_client.post(url, {"names": names})
    assert response.status_code == 400 and message in page(response)


def test_unit_list_shows_names_short_names_kinds_aliases_and_state(client, world):
    world.lead_unit.aliases = "TTPVHCC"
    world.lead_unit.save()
    client.force_login(world.reviewer)
    text = page(client.get(reverse("administration:unit_list", args=[world.commune.pk])))
    for shown in ("Trung tâm Phục vụ hành chính công", "Trung tâm PVHCC", "TTPVHCC", "Đang hoạt động"):
        assert shown in text
    assert "Phòng, ban, trung tâm thuộc UBND" in text


@pytest.mark.parametrize(
    "name", ["Phòng Văn hóa – Xã hội", "Phòng Văn hoá - Xã hội"], ids=["en-dash", "tone"]
)
def test_renaming_a_unit_to_another_spelling_of_an_existing_one_is_a_form_error(admin_client, world, name):
    url = reverse("administration:unit_edit", args=[world.other_unit.pk])
    data = {"name": name, "short_name": "", "kind": UnitKind.OFFICE, "active": "on"}
    response = admin_client.post(url, data)
    assert response.status_code == 400
    assert "Đơn vị «Phòng Văn hóa - Xã hội» đã tồn tại trong xã" in page(response)
    assert "Sửa đơn vị: Phòng Kinh tế" in page(response)  # the heading names the unit as saved
    world.other_unit.refresh_from_db()
    assert world.other_unit.name == "Phòng Kinh tế"


def test_a_unit_is_edited_and_deactivated(admin_client, world):
    url = reverse("administration:unit_edit", args=[world.other_unit.pk])
    data = {
        "name": "Phòng Kinh tế,  Hạ tầng và Đô thị",
        "short_name": "Phòng KT-HT-ĐT",
        "kind": UnitKind.OFFICE,
    }
    response = admin_client.post(url, data)
    assert response["Location"] == reverse("administration:unit_list", args=[world.commune.pk])
    world.other_unit.refresh_from_db()
    assert world.other_unit.name == "Phòng Kinh tế, Hạ tầng và Đô thị" and not world.other_unit.active


def test_another_communes_unit_is_not_found(client, world):
    client.force_login(world.outsider)
    url = reverse("administration:unit_edit", args=[world.lead_unit.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Bị sửa", "kind": UnitKind.OFFICE}).status_code == 404
    world.lead_unit.refresh_from_db()
    assert world.lead_unit.name == "Trung tâm Phục vụ hành chính công"


# -- people -----------------------------------------------------------------------------------------------


def test_people_page_lists_each_person_with_units_roles_and_state(admin_client, world):
    world.clerk.first_name, world.clerk.email = "Nguyễn Văn An", "an@nghiadan.gov.vn"
    world.clerk.save()
    text = page(admin_client.get(reverse("administration:people", args=[world.commune.pk])))
    for shown in ("Nguyễn Văn An", "clerk", "an@nghiadan.gov.vn", "Cán bộ đơn vị", "Chưa đăng nhập"):
        assert shown in text
    assert "reviewer" in text and "Thẩm định (Phòng Văn hóa - Xã hội)" in text
    assert "outsider" not in text  # Mai Phụ's


def test_people_page_leads_to_the_excel_list_and_its_template(admin_client, world):
    response = admin_client.get(reverse("administration:people", args=[world.commune.pk]))
    assert reverse("imports:people_upload") in page(response)
    assert admin_client.get(reverse("imports:people_upload")).status_code == 200
    assert reverse("imports:people_template") in page(response)


def test_people_page_queries_do_not_grow_with_people(admin_client, world):
    url = reverse("administration:people", args=[world.commune.pk])
    before = _queries(admin_client, url)
    for n in range(MORE):
        person = builders.member(world.lead_unit, Role.STAFF)
        Membership.objects.create(user=person, unit=builders.unit(world.commune, f"Thôn {n}"), role=Role.HEAD)
    after = _queries(admin_client, url)
    assert after == before, f"{after} queries for {MORE} more people, {before} before"


def _set_active(client, world, person, active: str):
    url = reverse("administration:person_active", args=[world.commune.pk, person.pk])
    return client.post(url, {"active": active}, follow=True)


def test_a_person_who_left_is_deactivated_and_keeps_their_entries_and_history(client, admin_client, world):
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(85), submit=True
    )
    history = result.history.count()
    text = page(_set_active(admin_client, world, world.clerk, "0"))
    assert "Đã khóa tài khoản của clerk" in text
    world.clerk.refresh_from_db()
    assert not world.clerk.is_active
    result = IndicatorResult.objects.get(pk=result.pk)
    assert result.author == world.clerk and result.value == Decimal(85) and result.history.count() == history
    assert Membership.objects.filter(user=world.clerk).exists()
    # Their session ends with the account: the next page asks for a login.
    client.force_login(world.clerk)
    assert client.get(reverse("tracking:my_work"))["Location"].startswith(reverse("login"))
    # And the reviewer still reads what they entered.
    client.force_login(world.reviewer)
    assert "85%" in page(client.get(reverse("tracking:indicator_detail", args=[world.indicator.pk])))
    _set_active(admin_client, world, world.clerk, "1")
    world.clerk.refresh_from_db()
    assert world.clerk.is_active


def test_nobody_deactivates_themselves(client, world):
    client.force_login(world.reviewer)
    text = page(_set_active(client, world, world.reviewer, "0"))
    assert "không thể tự khóa" in text
    world.reviewer.refresh_from_db()
    assert world.reviewer.is_active


def test_a_commune_reviewer_cannot_deactivate_someone_who_also_works_elsewhere(client, world):
    Membership.objects.create(user=world.clerk, unit=world.other_commune.units.get(), role=Role.STAFF)
    client.force_login(world.reviewer)
    text = page(_set_active(client, world, world.clerk, "0"))
    assert "còn làm việc ở xã khác" in text
    world.clerk.refresh_from_db()
    assert world.clerk.is_active


def test_a_person_gets_a_second_unit_and_loses_it_again(admin_client, world):
    url = reverse("administration:person", args=[world.commune.pk, world.clerk.pk])
    response = admin_client.post(url, {"unit": world.other_unit.pk, "role": Role.HEAD}, follow=True)
    assert "Đã thêm Phòng Kinh tế (Lãnh đạo đơn vị)." in page(response)
    second = Membership.objects.get(user=world.clerk, unit=world.other_unit)
    response = admin_client.post(reverse("administration:membership_remove", args=[second.pk]), follow=True)
    assert "Đã bỏ Phòng Kinh tế" in page(response)
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_the_same_unit_twice_is_a_form_error(admin_client, world):
    url = reverse("administration:person", args=[world.commune.pk, world.clerk.pk])
    response = admin_client.post(url, {"unit": world.lead_unit.pk, "role": Role.HEAD})
    assert response.status_code == 400
    assert "Người này đã thuộc Trung tâm Phục vụ hành chính công (Cán bộ đơn vị)" in page(response)
    assert Membership.objects.get(user=world.clerk, unit=world.lead_unit).role == Role.STAFF


def test_another_communes_unit_cannot_be_given(admin_client, world):
    url = reverse("administration:person", args=[world.commune.pk, world.clerk.pk])
    response = admin_client.post(url, {"unit": world.other_commune.units.get().pk, "role": Role.STAFF})
    assert response.status_code == 400
    assert not Membership.objects.filter(user=world.clerk, unit__commune=world.other_commune).exists()


def test_the_last_unit_in_the_commune_is_not_taken_away(admin_client, world):
    only = Membership.objects.get(user=world.clerk)
    response = admin_client.post(reverse("administration:membership_remove", args=[only.pk]), follow=True)
    assert "hãy khóa tài khoản" in page(response)
    assert Membership.objects.filter(pk=only.pk).exists()


def test_a_person_of_another_commune_is_not_found(admin_client, world):
    url = reverse("administration:person", args=[world.commune.pk, world.outsider.pk])
    assert admin_client.get(url).status_code == 404
    response = admin_client.post(
        reverse("administration:person_active", args=[world.commune.pk, world.outsider.pk]), {"active": "0"}
    )
    assert response.status_code == 404
    world.outsider.refresh_from_db()
    assert world.outsider.is_active


# -- the page cache ---------------------------------------------------------------------------------------


def test_a_province_administrators_write_raises_the_provinces_communes_versions(admin_client, world):
    neighbour = builders.commune("Nghĩa Thọ", "Nghệ An")
    before = {c.pk: c.data_version for c in Commune.objects.all()}
    url = reverse("administration:unit_edit", args=[world.other_unit.pk])
    data = {"name": "Phòng Kinh tế", "short_name": "Phòng KT", "kind": UnitKind.OFFICE, "active": "on"}
    assert admin_client.post(url, data).status_code == 302
    after = {c.pk: c.data_version for c in Commune.objects.all()}
    assert after[world.commune.pk] > before[world.commune.pk]
    assert after[neighbour.pk] > before[neighbour.pk]
    assert after[world.other_commune.pk] == before[world.other_commune.pk]  # Hà Tĩnh is not theirs


def test_deactivated_people_keep_their_place_in_the_list(admin_client, world):
    world.clerk.is_active = False
    world.clerk.last_login = dt.datetime(2026, 3, 5, 8, 30, tzinfo=dt.UTC)
    world.clerk.save()
    text = page(admin_client.get(reverse("administration:people", args=[world.commune.pk])))
    assert "Đã khóa" in text and "05/03/2026" in text
    assert User.objects.get(pk=world.clerk.pk).memberships.count() == 1
