"""The province administrator's role in the scope, units pasted as a list, and the admin's unit screens."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import builders
from units.kinds import guess_unit_kind
from units.models import Commune, ProvinceAdministrator, Unit, UnitKind
from units.scope import scope_for
from units.services import units_create_many, units_paste_preview


@pytest.fixture
def province_admin(world):
    return world.province_admin


def test_province_administrator_manages_every_commune_of_the_province_and_no_other(world, province_admin):
    neighbour = builders.commune("Nghĩa Thọ", "Nghệ An")
    scope = scope_for(province_admin)
    assert scope.is_administrator
    assert scope.can_manage_commune(world.commune) and scope.can_manage_commune(neighbour)
    assert not scope.can_manage_commune(world.other_commune)
    managed = set(Commune.objects.filter(scope.managed_commune_filter()))
    assert managed == {world.commune, neighbour}


def test_province_administrator_reads_no_entries_by_that_role_alone(world, province_admin):
    scope = scope_for(province_admin)
    assert not scope.can_read_commune(world.commune)
    assert not scope.can_review(world.commune)


def test_commune_reviewer_manages_only_their_own_commune(world):
    scope = scope_for(world.reviewer)
    assert scope.is_administrator
    assert scope.can_manage_commune(world.commune)
    assert not scope.can_manage_commune(world.other_commune)
    assert set(Commune.objects.filter(scope.managed_commune_filter())) == {world.commune}


def test_clerk_and_province_viewer_administer_nothing(world):
    for person in (world.clerk, world.leader, world.province_viewer):
        scope = scope_for(person)
        assert not scope.is_administrator, person
        assert not scope.can_manage_commune(world.commune), person


def test_scope_is_still_one_query_with_the_administrator_rows(world, province_admin):
    builders.member(world.lead_unit, "staff", "both")
    person = get_user_model().objects.get(username="both")
    ProvinceAdministrator.objects.create(user=person, province=world.commune.province)
    with CaptureQueriesContext(connection) as queries:
        scope = scope_for(person)
    assert len(queries) == 1, "scope_for must stay one query: every page's menu pays for it"
    assert scope.admin_province_ids == {world.commune.province_id}
    assert scope.unit_ids == {world.lead_unit.pk}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Công an xã", UnitKind.POLICE_MILITARY),
        ("Ban Chỉ huy Quân sự xã", UnitKind.POLICE_MILITARY),
        ("Trường Tiểu học Nghĩa Đàn", UnitKind.PUBLIC_SERVICE),
        ("Trạm Y tế xã", UnitKind.PUBLIC_SERVICE),
        ("Thôn 1", UnitKind.VILLAGE),
        ("Khối Tân Hồng", UnitKind.VILLAGE),
        ("Bản Mòng", UnitKind.VILLAGE),
        ("Các phòng, ban ngành, đơn vị", UnitKind.COLLECTIVE),
        ("Các cơ quan, tổ chức trong hệ thống chính trị", UnitKind.COLLECTIVE),
        ("Hội Nông dân xã", UnitKind.MASS_ORG),
        ("Ủy ban MTTQ Việt Nam xã", UnitKind.MASS_ORG),
        ("Phòng Văn hóa - Xã hội", UnitKind.OFFICE),
        ("Thông tin cơ sở", UnitKind.OFFICE),  # `thôn` begins `Thông` but is not its first word
        ("Trung tâm Phục vụ hành chính công", UnitKind.OFFICE),
        ("Điện lực Nghĩa Đàn", UnitKind.EXTERNAL),
    ],
)
def test_unit_kind_is_guessed_from_the_first_words(name, kind):
    assert guess_unit_kind(name) == kind


PASTED = [
    ("Công an xã", None),
    ("  ", None),
    ("Phòng Văn hóa – Xã hội", None),  # the world's `Phòng Văn hóa - Xã hội`, with an en dash
    ("Thôn 1", None),
    ("thôn  1", None),
    ("Trường Mầm non", UnitKind.OFFICE),  # the kind chosen in the preview wins over the guess
]


def test_paste_preview_marks_other_spellings_and_repeated_lines(world):
    rows = units_paste_preview(commune=world.commune, rows=PASTED)
    by_line = {row.line: row for row in rows}
    assert sorted(by_line) == [1, 3, 4, 5, 6]
    assert by_line[1].is_new and by_line[1].kind == UnitKind.POLICE_MILITARY
    assert by_line[3].existing == world.reviewer_unit and not by_line[3].is_new
    assert by_line[4].is_new and by_line[4].kind == UnitKind.VILLAGE
    assert by_line[5].repeats_line == 4 and not by_line[5].is_new
    assert by_line[6].kind == UnitKind.OFFICE


def test_pasted_list_creates_only_the_new_units_and_never_fails_on_a_duplicate(world):
    before = Unit.objects.for_commune(world.commune).count()
    created = units_create_many(commune=world.commune, rows=PASTED)
    assert [unit.name for unit in created] == ["Công an xã", "Thôn 1", "Trường Mầm non"]
    assert Unit.objects.for_commune(world.commune).count() == before + 3
    # The same list again adds nothing: every line is now another spelling of a unit of the commune.
    assert units_create_many(commune=world.commune, rows=PASTED) == []


def test_pasted_list_is_checked_per_commune(world):
    created = units_create_many(commune=world.other_commune, rows=[("Phòng Văn hóa – Xã hội", None)])
    assert created == []  # Mai Phụ has its own `Phòng Văn hóa - Xã hội`
    assert units_create_many(commune=world.other_commune, rows=[("Công an xã", None)])[0].commune == (
        world.other_commune
    )


@pytest.fixture
def superuser_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests-1"))
    return client


def test_admin_unit_form_refuses_another_spelling_with_a_message_not_a_500(superuser_client, world):
    before = Unit.objects.count()
    response = superuser_client.post(
        reverse("admin:units_unit_add"),
        {
            "commune": world.commune.pk,
            "name": "Phòng Văn hóa – Xã hội",
            "kind": UnitKind.OFFICE,
            "active": "on",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "đã tồn tại trong xã" in response.content.decode()
    assert Unit.objects.count() == before


def test_admin_membership_unit_search_names_the_commune_of_each_unit(superuser_client, world):
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "units", "model_name": "membership", "field_name": "unit", "term": "Văn hóa"},
    )
    assert response.status_code == 200
    texts = [row["text"] for row in response.json()["results"]]
    assert sorted(texts) == ["Phòng Văn hóa - Xã hội – xã Mai Phụ", "Phòng Văn hóa - Xã hội – xã Nghĩa Đàn"]


def test_admin_lists_province_administrators(superuser_client, province_admin):
    response = superuser_client.get(reverse("admin:units_provinceadministrator_changelist"))
    assert response.status_code == 200
    assert "quantri.nghean" in response.content.decode()
