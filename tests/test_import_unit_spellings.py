"""A unit typed with another dash or tone placement in an imported file is the unit the commune already
has (issue 13): the preview resolves it; creating it from the preview is refused with a message, never a 500.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportBatch
from plans.models import Plan
from tests.data.seed_tables import workbook_bytes
from units.models import Unit

EN_DASH = "Phòng Văn hoá – Xã hội"  # en dash and the other tone placement of `Phòng Văn hóa - Xã hội`


def _upload(client, commune, lead: str):
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì (tham mưu)", "Thời gian hoàn thành"]
    data = workbook_bytes({"Nhiệm vụ": [header, ["I", "Hạ tầng số"], ["1", "Lắp wifi", lead, "Quý 2/2026"]]})
    form = {"commune": commune.pk, "title": "Kế hoạch nhập", "year": "2026"}
    client.post(reverse("imports:upload"), {**form, "file": SimpleUploadedFile("k.xlsx", data)})
    return ImportBatch.objects.get()


def test_a_unit_spelled_with_an_en_dash_resolves_to_the_existing_unit_and_imports(client, world):
    client.force_login(world.reviewer)
    batch = _upload(client, world.commune, EN_DASH)
    page = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "Xác nhận nhập" in page and "chưa biết" not in page
    assert f"{EN_DASH} <span" in page and "→ Phòng Văn hóa - Xã hội" in page
    response = client.post(reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256})
    assert response.status_code == 302
    [assignment] = Plan.objects.get(title="Kế hoạch nhập").tasks.get().assignments.all()
    assert (assignment.text, assignment.unit) == (EN_DASH, world.reviewer_unit)
    assert Unit.objects.filter(commune=world.commune).count() == 3


def test_creating_from_the_preview_a_unit_the_commune_has_under_another_dash_says_so(client, world):
    client.force_login(world.reviewer)
    batch = _upload(client, world.commune, "Tổ công nghệ số")
    response = client.post(
        reverse("imports:fix_unit", args=[batch.pk]),
        {"mention": EN_DASH, "action": "create", "kind": "office"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "đã tồn tại trong xã" in page and "Phòng Văn hóa - Xã hội" in page
    assert Unit.objects.filter(commune=world.commune).count() == 3


def test_a_spelling_of_an_inactive_unit_resolves_to_it_and_is_never_created_twice(client, world):
    world.other_unit.active = False
    world.other_unit.save(update_fields=["active"])
    client.force_login(world.reviewer)
    batch = _upload(client, world.commune, "PHÒNG KINH – TẾ")
    page = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "→ Phòng Kinh tế" in page and "Xác nhận nhập" in page
    response = client.post(
        reverse("imports:fix_unit", args=[batch.pk]),
        {"mention": "PHÒNG KINH – TẾ", "action": "create", "kind": "office"},
        follow=True,
    )
    assert response.status_code == 200 and "đã tồn tại trong xã" in response.content.decode()
    assert Unit.objects.filter(commune=world.commune).count() == 3
