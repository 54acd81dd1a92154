"""The catalogue: the administrator's list, form and Excel import (preview, then all or nothing)."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from catalogue.models import CatalogueEntry, CatalogueImport, IndicatorLink
from catalogue.services import ImportRefused, catalogue_import, catalogue_import_create, catalogue_import_plan
from catalogue.sheet import BadCatalogueFile
from tests import builders
from tests.data.seed_tables import workbook_bytes

HEADER = ["Mã", "Tên chỉ tiêu", "Trụ cột", "Đo bằng", "Cách tổng hợp", "Nguồn", "Mục tiêu của tỉnh"]
KH02 = "KH 02-KH/BCĐTW, mục II.2"
GOOD = [
    ["CS-01", "Tỷ lệ hồ sơ TTHC trực tuyến", "Chính quyền số", "Tỷ lệ", "Tỷ lệ", KH02, "Tối thiểu 80%"],
    ["cs-02", "Số dịch vụ công trực tuyến toàn trình", "", "Số lượng", "Tổng cộng", "", "25 dịch vụ"],
    ["CS-03", "Trung tâm PVHCC đủ hạ tầng số", "Hạ tầng số", "Đạt/Chưa đạt", "Tỷ lệ xã đạt", "", "Đạt"],
]  # fmt: skip


def _file(*rows) -> bytes:
    return workbook_bytes({"Danh mục": [["DANH MỤC CHỈ TIÊU CHUNG"], HEADER, *rows]})


def test_a_good_file_adds_every_entry_with_its_parsed_target(world):
    province = world.commune.province
    plan = catalogue_import_plan(province=province, data=_file(*GOOD))
    assert plan.ok and [row.action for row in plan.rows] == ["create"] * 3
    batch = catalogue_import_create(
        province=province, user=world.province_admin, upload_name="a.xlsx", data=_file(*GOOD)
    )
    catalogue_import(batch=batch, sha256=batch.sha256)
    entries = {e.code: e for e in CatalogueEntry.objects.filter(province=province)}
    assert list(entries) == ["CS-01", "CS-02", "CS-03"]
    first = entries["CS-01"]
    assert (first.pillar, first.measure, first.aggregation) == ("chinh_quyen", "percent", "rate")
    assert (first.target_kind, first.target_comparator, first.target_value) == ("percent", "gte", 80)
    assert (entries["CS-02"].pillar, entries["CS-02"].aggregation) == ("khac", "sum")
    assert entries["CS-03"].target_kind == "boolean"


def test_a_known_code_updates_its_entry(world):
    province = world.commune.province
    batch = catalogue_import_create(
        province=province, user=world.province_admin, upload_name="a.xlsx", data=_file(*GOOD)
    )
    catalogue_import(batch=batch, sha256=batch.sha256)
    changed = [GOOD[0][0], "Tỷ lệ hồ sơ trực tuyến (sửa)", *GOOD[0][2:6], "≥90%"]
    data = _file(changed)
    assert [row.action for row in catalogue_import_plan(province=province, data=data).rows] == ["update"]
    batch = catalogue_import_create(
        province=province, user=world.province_admin, upload_name="b.xlsx", data=data
    )
    catalogue_import(batch=batch, sha256=batch.sha256)
    entry = CatalogueEntry.objects.get(province=province, code="CS-01")
    assert (entry.name, entry.target_value) == ("Tỷ lệ hồ sơ trực tuyến (sửa)", 90)
    assert CatalogueEntry.objects.filter(province=province).count() == 3


BAD_ROWS = {
    "no code": (["", "Tên", "", "Tỷ lệ", "Tỷ lệ", "", ""], "Thiếu mã"),
    "bad code": (["CS 01!", "Tên", "", "Tỷ lệ", "Tỷ lệ", "", ""], "chỉ gồm chữ, số"),
    "no name": (["CS-09", "", "", "Tỷ lệ", "Tỷ lệ", "", ""], "Thiếu tên"),
    "unknown pillar": (["CS-09", "Tên", "Trụ cột lạ", "Tỷ lệ", "Tỷ lệ", "", ""], "Trụ cột «Trụ cột lạ»"),
    "unknown measure": (["CS-09", "Tên", "", "Phần nghìn", "Tỷ lệ", "", ""], "«Đo bằng» phải là"),
    "unknown aggregation": (["CS-09", "Tên", "", "Tỷ lệ", "Trung vị", "", ""], "«Cách tổng hợp» phải là"),
    "aggregation unfit": (["CS-09", "Tên", "", "Đạt/Chưa đạt", "Tổng cộng", "", ""], "không tổng hợp được"),
    "duplicate code": (["cs-01", "Tên khác", "", "Tỷ lệ", "Tỷ lệ", "", ""], "trùng với dòng 3"),
    "long source": (["CS-09", "Tên", "", "Tỷ lệ", "Tỷ lệ", "x" * 300, ""], "Nguồn dài quá"),
    "formula": (["CS-09", "=1+1", "", "Tỷ lệ", "Tỷ lệ", "", ""], "chứa công thức"),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_each_bad_row_is_named_and_nothing_is_written(world, kind):
    row, message = BAD_ROWS[kind]
    province = world.commune.province
    data = _file(*GOOD, row)
    plan = catalogue_import_plan(province=province, data=data)
    assert not plan.ok
    assert [(number, text) for number, text in plan.problems if message in text], plan.problems
    assert {number for number, _text in plan.problems} == {6}
    batch = catalogue_import_create(
        province=province, user=world.province_admin, upload_name="a.xlsx", data=data
    )
    with pytest.raises(ImportRefused):
        catalogue_import(batch=batch, sha256=batch.sha256)
    assert not CatalogueEntry.objects.exists()


def test_a_file_without_the_header_is_refused_whole(world):
    with pytest.raises(BadCatalogueFile, match="dòng tiêu đề"):
        catalogue_import_plan(province=world.commune.province, data=workbook_bytes({"A": [["x", "y"]]}))
    with pytest.raises(BadCatalogueFile, match="không phải bảng tính"):
        catalogue_import_plan(province=world.commune.province, data=b"Ma,Ten\nCS-01,x\n")


def test_the_confirmation_imports_only_the_bytes_previewed(world):
    batch = catalogue_import_create(
        province=world.commune.province, user=world.province_admin, upload_name="a.xlsx", data=_file(*GOOD)
    )
    with pytest.raises(ImportRefused, match="khác tệp"):
        catalogue_import(batch=batch, sha256=hashlib.sha256(b"other").hexdigest())
    catalogue_import(batch=batch, sha256=batch.sha256)
    with pytest.raises(ImportRefused, match="đã được nhập"):
        catalogue_import(batch=batch, sha256=batch.sha256)


def test_administrator_uploads_previews_and_confirms(client, world):
    client.force_login(world.province_admin)
    upload = SimpleUploadedFile("danh-muc.xlsx", _file(*GOOD, BAD_ROWS["no name"][0]))
    response = client.post(reverse("catalogue:import_upload"), {"file": upload})
    batch = CatalogueImport.objects.get()
    assert response["Location"] == reverse("catalogue:import_preview", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Còn 1 lỗi" in page and "Thiếu tên chỉ tiêu." in page and "Xác nhận nhập" not in page
    response = client.post(reverse("catalogue:import_confirm", args=[batch.pk]), {"sha256": batch.sha256})
    assert not CatalogueEntry.objects.exists()
    upload = SimpleUploadedFile("danh-muc.xlsx", _file(*GOOD))
    batch = CatalogueImport.objects.get(
        pk=client.post(reverse("catalogue:import_upload"), {"file": upload})["Location"].split("/")[-2]
    )
    assert (
        "Xác nhận nhập" in client.get(reverse("catalogue:import_preview", args=[batch.pk])).content.decode()
    )
    client.post(reverse("catalogue:import_confirm", args=[batch.pk]), {"sha256": batch.sha256})
    assert CatalogueEntry.objects.count() == 3


def test_export_reads_back_as_the_same_catalogue_and_keeps_formulas_as_text(client, world):
    province = world.commune.province
    batch = catalogue_import_create(
        province=province, user=world.province_admin, upload_name="a.xlsx", data=_file(*GOOD)
    )
    catalogue_import(batch=batch, sha256=batch.sha256)
    CatalogueEntry.objects.filter(code="CS-03").update(name='=HYPERLINK("http://x")')
    client.force_login(world.province_viewer)
    data = client.get(reverse("catalogue:export")).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == [
        "Mã",
        "Tên chỉ tiêu",
        "Trụ cột",
        "Đo bằng",
        "Cách tổng hợp",
        "Nguồn (văn bản, mục)",
        "Mục tiêu của tỉnh",
    ]
    assert sheet["B4"].quotePrefix and sheet["B4"].data_type == "s"
    plan = catalogue_import_plan(province=province, data=data)
    assert [row.action for row in plan.rows] == ["update"] * 3 and plan.ok


def test_administrator_adds_and_edits_an_entry(client, world):
    client.force_login(world.province_admin)
    form = {
        "code": "cs-10",
        "name": "Tỷ lệ người dân có chữ ký số",
        "pillar": "xa_hoi",
        "measure": "percent",
        "aggregation": "rate",
        "source": "KH 02-KH/BCĐTW",
        "target_text": "≥50%",
    }
    assert client.post(reverse("catalogue:create"), form).status_code == 302
    entry = CatalogueEntry.objects.get()
    assert (entry.code, entry.province, entry.target_comparator) == ("CS-10", world.commune.province, "gte")
    response = client.post(reverse("catalogue:edit", args=[entry.pk]), {**form, "aggregation": "sum"})
    assert "không tổng hợp được" in response.content.decode()
    client.post(reverse("catalogue:edit", args=[entry.pk]), {**form, "target_text": "60%"})
    entry.refresh_from_db()
    assert entry.target_text == "60%"
    duplicate = client.post(reverse("catalogue:create"), {**form, "code": "CS-10"}).content.decode()
    assert "Mã này đã có" in duplicate and CatalogueEntry.objects.count() == 1
    assert "CS-10" in client.get(reverse("catalogue:list")).content.decode()


def test_another_provinces_administrator_gets_404_and_the_viewer_403(client, world):
    entry = CatalogueEntry.objects.create(
        province=world.commune.province, code="CS-01", name="x", measure="percent", aggregation="rate"
    )
    batch = catalogue_import_create(
        province=world.commune.province, user=world.province_admin, upload_name="a.xlsx", data=_file(*GOOD)
    )
    client.force_login(builders.province_administrator(world.other_commune.province, "quantri.hatinh"))
    assert client.get(reverse("catalogue:import_preview", args=[batch.pk])).status_code == 404
    confirm = reverse("catalogue:import_confirm", args=[batch.pk])
    assert client.post(confirm, {"sha256": batch.sha256}).status_code == 404
    link = reverse("catalogue:link_action", args=[world.indicator.pk])
    assert client.post(link, {"action": "relink", "entry": entry.pk}).status_code == 404
    assert client.get(reverse("catalogue:edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("catalogue:edit", args=[entry.pk]), {"code": "X"}).status_code == 404
    assert client.get(reverse("catalogue:list"), {"tinh": world.commune.province.pk}).status_code == 404
    client.force_login(world.province_viewer)
    assert client.get(reverse("catalogue:edit", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert entry.code == "CS-01"
    assert CatalogueEntry.objects.count() == 1 and not IndicatorLink.objects.exists()


def test_an_upload_that_is_not_a_workbook_is_explained(client, world):
    client.force_login(world.province_admin)
    response = client.post(
        reverse("catalogue:import_upload"), {"file": SimpleUploadedFile("a.xlsx", b"not a zip")}
    )
    page = client.get(response["Location"]).content.decode()
    assert "không phải bảng tính Excel" in page and "Xác nhận nhập" not in page
