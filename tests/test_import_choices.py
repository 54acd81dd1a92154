"""What the preview asks and the confirmation answers: split a goal stating several figures into one indicator
per figure (or keep it), and read another year's target column as the plan's year (an exported 2026 plan
imported as the 2027 one). The answers are checked against the file: a forged one changes nothing.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.exporter import plan_workbook
from imports.models import ImportBatch
from imports.reader import read_workbook
from imports.services import plan_import
from plans.models import Plan
from tests.data.seed_tables import workbook_bytes

# Seed 000 (Mai Phụ): one goal, two figures, one per clause.
TWO_FIGURES = (
    "100% hồ sơ, tài liệu công việc phát sinh từ ngày 01/7/2025 được xử lý hoàn toàn trên môi trường "
    "điện tử; hoàn thành số hóa tối thiểu 30% tài liệu lưu trữ lịch sử có giá trị cao trong năm 2025."
)
ONE_FIGURE = "Tiếp nhận và giải quyết trực tuyến ít nhất 5000 hồ sơ/năm."


def _goals() -> bytes:
    header = ["TT", "Mục tiêu", "Đơn vị chủ trì"]
    rows = [["1", TWO_FIGURES, "Trung tâm PVHCC"], ["2", ONE_FIGURE, "Trung tâm PVHCC"]]
    return workbook_bytes({"Mục tiêu": [header, *rows]})


def _upload(client, commune, data: bytes, year: str = "2025"):
    form = {"commune": commune.pk, "title": "Kế hoạch nhập", "year": year}
    client.post(reverse("imports:upload"), {**form, "file": SimpleUploadedFile("k.xlsx", data)})
    return ImportBatch.objects.get()


def _indicators(title: str = "Kế hoạch nhập") -> list[tuple]:
    plan = Plan.objects.get(title=title)
    return [
        (
            i.number,
            i.name,
            i.targets.get().raw_text,
            i.targets.get().value,
            [a.text for a in i.assignments.all()],
        )
        for i in plan.indicators.prefetch_related("targets", "assignments").order_by("order")
    ]


def test_the_preview_offers_a_split_for_the_goal_with_two_figures_only(client, world):
    client.force_login(world.reviewer)
    batch = _upload(client, world.commune, _goals())
    page = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert 'name="tach:Mục tiêu!2" value="split"' in page
    assert "tach:Mục tiêu!3" not in page
    assert "Tách thành 2 chỉ tiêu" in page and "«tối thiểu 30%»" in page


def test_split_makes_one_indicator_per_figure_named_by_its_clause(client, world):
    client.force_login(world.reviewer)
    batch = _upload(client, world.commune, _goals())
    response = client.post(
        reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256, "tach:Mục tiêu!2": "split"}
    )
    assert response.status_code == 302
    [first, second, third] = _indicators()
    assert first[0] == "1.1" and first[1].startswith("100% hồ sơ, tài liệu") and first[2:4] == ("100%", 100)
    assert second[0] == "1.2" and second[1].startswith("Hoàn thành số hóa tối thiểu 30%")
    assert second[2:4] == ("tối thiểu 30%", 30)
    assert first[4] == second[4] == ["Trung tâm PVHCC"]
    assert third[:3] == ("2", ONE_FIGURE, "ít nhất 5000 hồ sơ/năm")


def test_keep_makes_one_indicator_with_the_first_figure(client, world):
    client.force_login(world.reviewer)
    batch = _upload(client, world.commune, _goals())
    client.post(
        reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256, "tach:Mục tiêu!2": "keep"}
    )
    [first, second] = _indicators()
    assert first[:3] == ("1", TWO_FIGURES, "100%")


@pytest.mark.parametrize(
    "forged", [{"tach:Mục tiêu!3": "split"}, {"tach:Khác!2": "split"}, {"tach:Mục tiêu!2": "x"}]
)
def test_a_forged_split_choice_is_refused_with_a_message_and_imports_nothing(client, world, forged):
    client.force_login(world.reviewer)
    batch = _upload(client, world.commune, _goals())
    response = client.post(
        reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256, **forged}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Không tách được" in page or "Lựa chọn tách chỉ tiêu không hợp lệ" in page
    assert not Plan.objects.filter(title="Kế hoạch nhập").exists()
    batch.refresh_from_db()
    assert batch.imported_at is None


def test_split_when_the_sentence_has_no_clause_per_figure_names_the_figure(world):
    goal = "Phấn đấu 80% người dân có tài khoản và 50% hộ gia đình dùng thanh toán số"
    data = workbook_bytes({"M": [["TT", "Mục tiêu", "Đơn vị chủ trì"], ["3", goal, "Trung tâm PVHCC"]]})
    result = plan_import(
        commune=world.commune,
        workbook=read_workbook(data),
        title="Tách",
        year=2026,
        dry_run=False,
        splits={"M!2": True},
    )
    names = list(result.plan.indicators.order_by("order").values_list("number", "name"))
    assert names == [("3.1", f"{goal} (con số 1/2: Phấn đấu 80%)"), ("3.2", f"{goal} (con số 2/2: 50%)")]


# --- a target column of another year -------------------------------------------------------------------


def _exported_2026(world) -> bytes:
    data = workbook_bytes(
        {
            "Chỉ tiêu": [
                ["TT", "Chỉ tiêu", "Mục tiêu 2026", "Đơn vị chủ trì"],
                ["1", "Tỷ lệ hồ sơ", "≥ 80%", ""],
            ]
        }
    )
    plan = plan_import(
        commune=world.commune, workbook=read_workbook(data), title="KH 2026", year=2026, dry_run=False
    ).plan
    return plan_workbook(plan)


def test_preview_asks_to_read_the_2026_column_as_2027_and_the_yes_imports_it(client, world):
    data = _exported_2026(world)
    client.force_login(world.reviewer)
    batch = _upload(client, world.commune, data, year="2027")
    page = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "Đọc cột «Mục tiêu 2026» làm mục tiêu năm 2027?" in page
    assert 'name="target_column_year" value="2026"' in page and "Xác nhận nhập" in page
    assert "2027: ≥ 80%" in page
    # Confirmed without the answer: nothing is written, the message says what to do.
    response = client.post(reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256}, follow=True)
    assert "Hãy đánh dấu đồng ý" in response.content.decode()
    assert not Plan.objects.filter(title="Kế hoạch nhập").exists()
    client.post(
        reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256, "target_column_year": "2026"}
    )
    plan = Plan.objects.get(title="Kế hoạch nhập")
    target = plan.indicators.get().targets.get()
    assert (plan.target_year, target.year, target.raw_text, target.value) == (2027, 2027, "≥ 80%", 80)


def test_an_answer_the_file_does_not_ask_for_is_refused(client, world):
    client.force_login(world.reviewer)
    data = workbook_bytes(
        {
            "Chỉ tiêu": [
                ["TT", "Chỉ tiêu", "Mục tiêu 2027", "Đơn vị chủ trì"],
                ["1", "Tỷ lệ hồ sơ", "≥ 80%", ""],
            ]
        }
    )
    batch = _upload(client, world.commune, data, year="2027")
    response = client.post(
        reverse("imports:confirm", args=[batch.pk]),
        {"sha256": batch.sha256, "target_column_year": "2026"},
        follow=True,
    )
    assert "Không cần đọc cột «Mục tiêu 2026»" in response.content.decode()
    assert not Plan.objects.filter(title="Kế hoạch nhập").exists()


def test_import_plan_command_asks_and_takes_the_other_years_column_with_an_option(world, tmp_path, capsys):
    path = Path(tmp_path) / "ke-hoach-2026.xlsx"
    path.write_bytes(_exported_2026(world))
    args = [str(path), "--commune", world.commune.name, "--title", "KH 2027", "--year", "2027"]
    call_command("import_plan", *args, "--dry-run")
    assert "Đọc cột «Mục tiêu 2026» làm mục tiêu năm 2027?" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Hãy đánh dấu đồng ý"):
        call_command("import_plan", *args)
    call_command("import_plan", *args, "--target-column-year", "2026")
    target = Plan.objects.get(title="KH 2027").indicators.get().targets.get()
    assert (target.year, target.raw_text) == (2027, "≥ 80%")
    capsys.readouterr()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command(
            "import_plan", *args[:-4], "--title", "KH khác", "--year", "2027", "--target-column-year", "2025"
        )
    assert "cần cột «Mục tiêu 2025»" in capsys.readouterr().err
