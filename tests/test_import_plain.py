"""The import speaks plainly and keeps what it reads visible: an empty file is refused with a message, the
preview says what will be judged (`mục tiêu: ≥ 80%`) and when the plan runs, and `Ghi chú` shows on the pages.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.exporter import template_workbook
from imports.models import ImportBatch
from imports.reader import read_workbook
from imports.services import ImportRefused, plan_import
from plans.models import Plan
from tests.data.seed_tables import workbook_bytes


def test_the_blank_template_is_refused_as_a_plan_with_a_message(world):
    workbook = read_workbook(template_workbook(2026))
    result = plan_import(commune=world.commune, workbook=workbook, title="Trống", year=2026)
    assert [p.found for p in result.problems] == ["tệp không có dòng chỉ tiêu hay nhiệm vụ nào"]
    with pytest.raises(ImportRefused):
        plan_import(commune=world.commune, workbook=workbook, title="Trống", year=2026, dry_run=False)
    assert not Plan.objects.filter(title="Trống").exists()


def test_the_preview_says_the_target_the_period_and_the_deadline_plainly(client, world):
    data = workbook_bytes(
        {
            "Chỉ tiêu": [
                ["Kế hoạch chuyển đổi số 6 tháng cuối năm 2026"],
                [],
                ["TT", "Chỉ tiêu", "Mục tiêu 2026", "Đơn vị chủ trì"],
                ["1", "Hồ sơ xử lý trực tuyến", "Tối thiểu 80%", world.lead_unit.name],
                ["2", "Tổ công nghệ số cộng đồng hoạt động", "Hoàn thành", world.lead_unit.name],
                ["3", "Người dân hài lòng", "Theo đánh giá của tỉnh", world.lead_unit.name],
            ]
        }
    )
    client.force_login(world.reviewer)
    form = {"commune": world.commune.pk, "title": "Kế hoạch nhập", "year": "2026"}
    client.post(reverse("imports:upload"), {**form, "file": SimpleUploadedFile("k.xlsx", data)})
    page = client.get(reverse("imports:preview", args=[ImportBatch.objects.get().pk])).content.decode()
    assert "2026: Tối thiểu 80% — mục tiêu: ≥ 80%" in page
    assert "mục tiêu: Hoàn thành (Đạt/Chưa đạt)" in page
    assert "giữ nguyên văn, người thẩm định đánh giá" in page
    assert "Kỳ kế hoạch" in page and "01/07/2026 – 31/12/2026" in page


def test_notes_show_on_the_plan_and_item_pages(client, world):
    world.indicator.note = "Đã có"
    world.indicator.save()
    world.task.note = "Chờ hướng dẫn của tỉnh"
    world.task.save()
    client.force_login(world.clerk)
    plan_page = client.get(reverse("tracking:plan_detail", args=[world.plan.pk])).content.decode()
    assert "Ghi chú: Đã có" in plan_page and "Ghi chú: Chờ hướng dẫn của tỉnh" in plan_page
    indicator_page = client.get(reverse("tracking:indicator_detail", args=[world.indicator.pk]))
    assert "Đã có" in indicator_page.content.decode()
    task_page = client.get(reverse("tracking:task_detail", args=[world.task.pk]))
    assert "Chờ hướng dẫn của tỉnh" in task_page.content.decode()
