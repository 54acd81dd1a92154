"""The admin's flat import (django-import-export) writes through the services: all or nothing, checked rows,
and only for people allowed to write the model."""

import datetime as dt

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.text import unit_key
from plans.models import Plan
from plans.resources import PlanResource
from units.models import Unit
from units.resources import UnitResource

UNIT_HEADERS = ["id", "commune_id", "name", "short_name", "kind", "aliases", "active"]


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", password="pw-for-tests-1")


def units_dataset(*rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=UNIT_HEADERS)


def test_a_unit_row_with_a_taken_spelling_rolls_the_whole_file_back(world, root):
    before = set(Unit.objects.values_list("pk", "name"))
    dataset = units_dataset(
        ["", world.commune.pk, "Phòng Nội vụ", "", "office", "", "1"],
        # The same office as «Phòng Văn hóa - Xã hội», written with an en dash: one unit, not two.
        ["", world.commune.pk, "Phòng Văn hóa – Xã hội", "", "office", "", "1"],
    )
    result = UnitResource().import_data(dataset, dry_run=False, user=root)
    assert result.has_validation_errors()
    assert set(Unit.objects.values_list("pk", "name")) == before


def test_imported_units_are_cleaned_and_keyed_like_units_made_in_the_app(world, root):
    dataset = units_dataset(["", world.commune.pk, "  Phòng   Nội vụ ", "", "office", "", "1"])
    result = UnitResource().import_data(dataset, dry_run=False, user=root)
    assert not result.has_errors() and not result.has_validation_errors()
    unit = Unit.objects.get(commune=world.commune, name="Phòng Nội vụ")
    assert unit.match_key == unit_key("Phòng Nội vụ")


def test_renaming_a_unit_by_import_moves_its_matching_key(world, root):
    unit = world.other_unit
    new_name = "Phòng Kinh tế, Hạ tầng và Đô thị"
    dataset = units_dataset([unit.pk, world.commune.pk, new_name, "", "office", "", "1"])
    UnitResource().import_data(dataset, dry_run=False, user=root)
    unit.refresh_from_db()
    assert unit.name == new_name
    assert unit.match_key == unit_key(new_name)


def test_a_plan_file_with_one_bad_row_writes_no_plan(world, root):
    before = Plan.objects.count()
    headers = ["id", "commune_id", "number", "issue_date", "title", "kind", "period_start", "period_end"]
    headers += ["target_year", "signer_authority", "signer_title", "signer_name", "status"]
    good = ["", world.commune.pk, "12/KH-UBND", "05/01/2027", "Kế hoạch CĐS 2027", "annual", "01/01/2027"]
    good += ["31/12/2027", 2027, "", "", "", "issued"]
    # Ends before it starts: the plan's own check refuses it.
    bad = ["", world.commune.pk, "13/KH-UBND", "05/01/2027", "Kế hoạch ngược", "annual", "31/12/2027"]
    bad += ["01/01/2027", 2027, "", "", "", "issued"]
    result = PlanResource().import_data(tablib.Dataset(good, bad, headers=headers), dry_run=False, user=root)
    assert result.has_validation_errors() or result.has_errors()
    assert Plan.objects.count() == before


def test_a_staff_member_without_write_permission_imports_nothing(world):
    staff = get_user_model().objects.create_user("viewer", password="pw-for-tests-1", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_unit"))
    dataset = units_dataset(["", world.commune.pk, "Phòng Nội vụ", "", "office", "", "1"])
    result = UnitResource().import_data(dataset, dry_run=False, user=staff)
    assert result.has_errors()
    assert not Unit.objects.filter(name="Phòng Nội vụ").exists()


def test_the_admin_import_page_refuses_a_staff_member_without_add_permission(client, world):
    staff = get_user_model().objects.create_user("viewer", password="pw-for-tests-1", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_unit"))
    client.force_login(staff)
    upload = SimpleUploadedFile("units.csv", b"id,commune,name\n,1,X\n", content_type="text/csv")
    response = client.post(reverse("admin:units_unit_import"), {"import_file": upload, "format": 0})
    assert response.status_code == 403
    assert not Unit.objects.filter(name="X").exists()


def test_exported_units_never_start_a_formula(world, root):
    world.other_unit.name = "=HYPERLINK(1)"
    world.other_unit.save(update_fields=["name"])
    exported = UnitResource().export(queryset=Unit.objects.filter(pk=world.other_unit.pk))
    assert exported.dict[0]["name"] == "'=HYPERLINK(1)"


def test_plan_export_reads_dates_the_vietnamese_way(world, root):
    world.plan.issue_date = dt.date(2026, 3, 5)
    world.plan.save(update_fields=["issue_date"])
    exported = PlanResource().export(queryset=Plan.objects.filter(pk=world.plan.pk))
    assert exported.dict[0]["issue_date"] == "05/03/2026"


def test_the_admin_form_answers_a_second_spelling_of_a_unit_with_a_message(client, world, root):
    client.force_login(root)
    before = Unit.objects.count()
    data = {"commune": world.commune.pk, "name": "Phòng Văn hoá – Xã hội", "kind": "office", "active": "on"}
    data.update({"memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0})
    response = client.post(reverse("admin:units_unit_add"), data)
    assert response.status_code == 200
    assert "là một cách viết khác của đơn vị đó" in response.content.decode()
    assert Unit.objects.count() == before
