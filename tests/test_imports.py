"""Importing a commune's plan appendices from Excel: preview, confirm, re-import, export, command, pages."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.exporter import plan_workbook, template_workbook
from imports.models import ImportBatch
from imports.reader import read_workbook
from imports.services import ImportRefused, batch_import, plan_import, unit_fix
from indicators.models import Indicator, IndicatorAssignment
from indicators.services import indicator_result_approve, indicator_result_save
from indicators.targets import Verdict
from plans.models import Plan, Section, SectionKind
from plans.workflow import WorkflowStatus
from tasks.models import Task, TaskAssignment
from tests import builders
from tests.data.seed_tables import FIXTURES, seed_document, seed_workbook, task_table, workbook_bytes
from units.models import Role, Unit

NGHIA_DAN = "001_nghia-dan.json"
DINH_TIEN = "002_dinh-tien.json"


@pytest.fixture
def seed(db):
    """Load one seed plan the way `load_seed_plans` does; returns a function giving that plan."""

    def load(name: str) -> Plan:
        call_command("load_seed_plans", str(FIXTURES / name), verbosity=0)
        return Plan.objects.select_related("commune").get(source=name)

    return load


def _import(commune, data: bytes, *, dry_run: bool = False, **target):
    target = target or {"title": "Kế hoạch nhập từ Excel", "year": 2026}
    return plan_import(commune=commune, workbook=read_workbook(data), dry_run=dry_run, **target)


def _sheet_values(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows from its header row down, as values; trailing empty cells dropped."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]
        rows = [tuple(reversed(list(_drop_trailing(reversed(r))))) for r in rows]
        start = next(i for i, r in enumerate(rows) if r[:1] == ("TT",))
        out[ws.title] = [r for r in rows[start:] if any(r)]
    return out


def _drop_trailing(values):
    values = list(values)
    while values and values[0] == "":
        values.pop(0)
    return values


def _parsed_rows(plan: Plan):
    indicators = [
        (
            i.section.title,
            i.number,
            i.name,
            [
                (t.year, t.raw_text, t.kind, t.comparator, t.value, t.min_value, t.max_value, t.qualifier)
                for t in i.targets.all()
            ],
        )
        for i in plan.indicators.select_related("section").prefetch_related("targets").order_by("order")
    ]
    tasks = [
        (t.section.title, t.number, t.description, t.deadline_text, t.deadline_kind, t.due_date)
        for t in plan.tasks.select_related("section").order_by("order")
    ]
    return indicators, tasks


# --- the seed plans as communes keep them ---------------------------------------------------------------


def test_nghia_dan_appendices_as_printed_import_with_every_row_unit_target_and_deadline(seed):
    original = seed(NGHIA_DAN)
    preview = _import(original.commune, seed_workbook(NGHIA_DAN, "printed"), dry_run=True)
    assert preview.problems == [] and preview.plan is None
    assert Plan.objects.count() == 1, "a dry run writes nothing"
    assert (preview.count("indicator", "create"), preview.count("task", "create")) == (35, 30)

    plan = _import(original.commune, seed_workbook(NGHIA_DAN, "printed")).plan
    sections = Section.objects.filter(plan=plan)
    assert plan.indicators.count() == 35 and plan.tasks.count() == 30
    assert sections.filter(kind=SectionKind.INDICATORS, parent__isnull=True).count() == 6
    assert sections.filter(kind=SectionKind.TASKS, parent__isnull=True).count() == 9
    subsections = sections.filter(kind=SectionKind.TASKS, parent__isnull=False).order_by("order")
    assert [s.title for s in subsections][:2] == [
        "Hạ tầng viễn thông và internet",
        "Hạ tầng số cơ quan nhà nước",
    ]
    assert {s.parent.number for s in subsections} == {"IV"}
    assert not IndicatorAssignment.objects.filter(indicator__plan=plan, unit__isnull=True).exists()
    assert not TaskAssignment.objects.filter(task__plan=plan, unit__isnull=True).exists()
    assert (
        TaskAssignment.objects.filter(task__plan=plan).count()
        == TaskAssignment.objects.filter(task__plan=original).count()
    )
    # Targets and deadlines read exactly as the seed loader read them from the JSON fixture.
    assert _parsed_rows(plan) == _parsed_rows(original)
    assert [s.pillar for s in sections.order_by("kind", "order")] == [
        s.pillar for s in Section.objects.filter(plan=original).order_by("kind", "order")
    ]


def test_export_of_an_imported_plan_equals_its_source_table_cell_for_cell(seed):
    original = seed(NGHIA_DAN)
    source = seed_workbook(NGHIA_DAN, "full")
    plan = _import(original.commune, source).plan
    exported = plan_workbook(plan)
    assert _sheet_values(exported) == _sheet_values(source)
    # And it imports again without change.
    again = _import(original.commune, exported, dry_run=True, plan=plan)
    assert again.problems == [] and again.visible_changes == []


def test_dinh_tien_indicators_keep_last_years_results_as_baselines_through_a_round_trip(seed):
    original = seed(DINH_TIEN)
    document = seed_document(DINH_TIEN)
    from tests.data.seed_tables import indicator_table

    source = workbook_bytes({"Chỉ tiêu": indicator_table(document)})
    plan = _import(original.commune, source, title="Định Tiến 2025", year=2025).plan
    smartphones = plan.indicators.get(number="6")
    assert (smartphones.baseline_year, smartphones.baseline_text) == (2024, "4227/5219 = 81%")
    assert smartphones.baseline_value == Decimal("81.0")
    assert smartphones.targets.get().raw_text == "90%"
    # The document prints its list's heading without a number, so the export adds the row-kind column to tell
    # that heading from an item; every column of the source comes back cell for cell.
    exported = _sheet_values(plan_workbook(plan))["Chỉ tiêu"]
    kind_column = exported[0].index("Loại dòng")
    assert [row[kind_column] if len(row) > kind_column else "" for row in exported[1:2]] == ["Nhóm"]
    without_kinds = [tuple(reversed(_drop_trailing(reversed(row[:kind_column])))) for row in exported]
    assert without_kinds == _sheet_values(source)["Chỉ tiêu"]
    again = _import(original.commune, plan_workbook(plan), dry_run=True, plan=plan)
    assert again.problems == [] and again.visible_changes == []


def test_dinh_tiens_ket_qua_dat_duoc_column_is_read_as_the_target(seed):
    original = seed(DINH_TIEN)
    data = workbook_bytes(
        {"Sheet1": [["TT", "Chỉ tiêu", "Kết quả đạt được"], ["I", "Danh mục"], ["1", "Tỷ lệ hồ sơ", "100%"]]}
    )
    plan = _import(original.commune, data, title="Định Tiến", year=2025).plan
    assert plan.indicators.get().targets.get(year=2025).raw_text == "100%"


# --- units ----------------------------------------------------------------------------------------------


def _one_task_table(lead: str, deadline: str = "Quý 2/2026") -> bytes:
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì (tham mưu)", "Thời gian hoàn thành"]
    return workbook_bytes({"Nhiệm vụ": [header, ["I", "Hạ tầng số"], ["1", "Lắp wifi", lead, deadline]]})


def test_unit_names_match_ignoring_case_spacing_punctuation_and_tone_placement(seed):
    original = seed(NGHIA_DAN)
    data = _one_task_table("phòng  văn hóa -xã hội;\nTRUNG TÂM PVHCC, Công an xã")
    result = _import(original.commune, data)
    names = [m.unit_name for m in result.draft.items(result.draft.kinds[0])[0].mentions]
    assert names == ["Phòng Văn hóa - Xã hội", "Trung tâm Phục vụ hành chính công", "Công an xã"]


def test_an_unknown_unit_is_a_problem_naming_the_closest_units_and_nothing_is_written(seed):
    original = seed(NGHIA_DAN)
    data = _one_task_table("Phong Van hoa - Xa hoi")
    preview = _import(original.commune, data, dry_run=True)
    [problem] = preview.problems
    assert (problem.sheet, problem.row, problem.column) == ("Nhiệm vụ", 3, "C (Đơn vị chủ trì (tham mưu))")
    assert problem.unknown_unit == "Phong Van hoa - Xa hoi"
    assert "Phòng Văn hóa - Xã hội" in problem.suggestions
    with pytest.raises(ImportRefused):
        _import(original.commune, data)
    assert Plan.objects.count() == 1


def test_adding_the_unknown_name_as_an_alias_clears_the_problem(seed):
    original = seed(NGHIA_DAN)
    data = _one_task_table("Phong Van hoa - Xa hoi")
    culture = Unit.objects.get(commune=original.commune, name="Phòng Văn hóa - Xã hội")
    unit_fix(commune=original.commune, mention="Phong Van hoa - Xa hoi", alias_of=culture)
    plan = _import(original.commune, data).plan
    assert plan.tasks.get().assignments.get().unit == culture


def test_creating_the_unknown_name_as_a_unit_clears_the_problem(seed):
    original = seed(NGHIA_DAN)
    unit_fix(commune=original.commune, mention="Hợp tác xã Nghĩa Đàn", alias_of=None, kind="external")
    plan = _import(original.commune, _one_task_table("Hợp tác xã Nghĩa Đàn")).plan
    assert plan.tasks.get().assignments.get().unit.kind == "external"


# --- re-import ------------------------------------------------------------------------------------------


def test_reimporting_a_corrected_file_updates_the_plan_in_place_and_shows_what_changed(seed):
    original = seed(NGHIA_DAN)
    document = seed_document(NGHIA_DAN)
    plan = _import(original.commune, seed_workbook(NGHIA_DAN)).plan
    first = plan.tasks.get(number="1")
    period = builders.period(original.commune, "2026-Q1")
    indicator = plan.indicators.get(number="1")
    clerk = builders.member(indicator.assignments.get(role="lead").unit, username="clerk")
    result_before = indicator_result_save(indicator=indicator, period=period, actor=clerk, value=Decimal(90))

    document["task_sections"][0]["tasks"][0]["deadline"] = "Quý 2/2026"
    document["indicator_sections"][0]["indicators"][0]["target"] = "≥95%"
    table = task_table(document)
    from tests.data.seed_tables import indicator_table

    corrected = workbook_bytes({"Chỉ tiêu": indicator_table(document), "Nhiệm vụ": table})
    preview = _import(original.commune, corrected, dry_run=True, plan=plan)
    updates = [c for c in preview.visible_changes]
    assert [(c.kind, c.action) for c in updates] == [("indicator", "update"), ("task", "update")]
    assert updates[0].details == ["Mục tiêu 2026: «100%» → «≥95%»"]
    assert updates[1].details == ["Thời gian hoàn thành: «Quý 1/ 2026» → «Quý 2/2026»"]

    _import(original.commune, corrected, plan=plan)
    first.refresh_from_db()
    assert first.deadline_kind == "quarter" and first.due_date.isoformat() == "2026-06-30"
    indicator.refresh_from_db()
    target = indicator.targets.get()
    assert (target.raw_text, target.comparator, target.value) == ("≥95%", "gte", Decimal(95))
    assert indicator.results.get() == result_before, "results stay attached to the row"
    assert plan.tasks.count() == 30 and plan.indicators.count() == 35


def test_reimporting_a_corrected_target_judges_the_kept_results_again(seed):
    original = seed(NGHIA_DAN)
    document = seed_document(NGHIA_DAN)
    from tests.data.seed_tables import indicator_table

    def with_first_target(text: str) -> bytes:
        document["indicator_sections"][0]["indicators"][0]["target"] = text
        return workbook_bytes({"Chỉ tiêu": indicator_table(document)})

    plan = _import(original.commune, with_first_target("≥80%")).plan
    indicator = plan.indicators.get(number="1")
    period = builders.period(original.commune, "2026-Q1")
    clerk = builders.member(indicator.assignments.get(role="lead").unit, username="clerk")
    reviewer = builders.member(indicator.assignments.get(role="lead").unit, Role.REVIEWER, "reviewer")
    result = indicator_result_save(
        indicator=indicator, period=period, actor=clerk, value=Decimal(85), submit=True
    )
    result = indicator_result_approve(result=result, actor=reviewer)
    assert result.verdict == Verdict.EXCEEDED, "85% beats a target of ≥80%"

    _import(original.commune, with_first_target("≥90%"), plan=plan)
    result.refresh_from_db()
    assert result.verdict == Verdict.NOT_ACHIEVED
    assert result.status == WorkflowStatus.APPROVED and result.value == Decimal(85)


def test_a_row_removed_from_the_file_is_deleted_unless_it_has_reported_results(seed):
    original = seed(NGHIA_DAN)
    plan = _import(original.commune, seed_workbook(NGHIA_DAN)).plan
    rows = task_table(seed_document(NGHIA_DAN))
    shorter = workbook_bytes({"Nhiệm vụ": [r for r in rows if r[:1] != ["35"]]})
    preview = _import(original.commune, shorter, dry_run=True, plan=plan)
    assert [(c.kind, c.action) for c in preview.visible_changes] == [("task", "delete")]
    assert plan.indicators.count() == 35, "a file without an indicator table leaves indicators alone"

    last = plan.tasks.get(number="35")
    period = builders.period(original.commune, "2026-Q1")
    clerk = builders.member(last.assignments.filter(role="lead").first().unit, username="clerk")
    from tasks.services import task_update_save

    task_update_save(task=last, period=period, actor=clerk, progress="in_progress", percent_complete=10)
    with pytest.raises(ImportRefused) as refused:
        _import(original.commune, shorter, plan=plan)
    assert "đã có kết quả/tiến độ" in refused.value.result.problems[0].expected
    assert plan.tasks.count() == 30


def test_a_failure_in_the_middle_of_the_write_leaves_nothing_behind(seed, monkeypatch):
    original = seed(NGHIA_DAN)
    from django.core.exceptions import ValidationError

    import imports.services as services

    real_create_tasks = services._create_tasks

    def failing_after_the_tasks(plan, rows):
        real_create_tasks(plan, rows)
        raise ValidationError("hỏng giữa chừng")

    monkeypatch.setattr(services, "_create_tasks", failing_after_the_tasks)
    with pytest.raises(ImportRefused):
        _import(original.commune, seed_workbook(NGHIA_DAN))
    assert Plan.objects.count() == 1
    assert Task.objects.count() == original.tasks.count()
    assert Indicator.objects.count() == original.indicators.count()


# --- export and template --------------------------------------------------------------------------------


def test_exported_text_that_looks_like_a_formula_stays_text(seed):
    original = seed(NGHIA_DAN)
    plan = _import(original.commune, _one_task_table("Phòng VH-XH", deadline="2026")).plan
    task = plan.tasks.get()
    task.note = '=HYPERLINK("http://x")'
    task.save()
    data = plan_workbook(plan)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Nhiệm vụ"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == task.note)
    assert cell.data_type == "s"


def test_blank_template_has_instructions_first_and_imports_to_nothing_without_error():
    data = template_workbook(2027)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Hướng dẫn", "Chỉ tiêu", "Nhiệm vụ"]
    headers = [c.value for c in wb["Chỉ tiêu"][1]]
    assert "Mục tiêu 2027" in headers
    workbook = read_workbook(data)
    assert [t.kind for t in workbook.tables] == ["indicators", "tasks"] and workbook.problems == []


# --- command line ---------------------------------------------------------------------------------------


def test_import_plan_command_dry_run_prints_counts_and_writes_nothing(seed, tmp_path, capsys):
    original = seed(NGHIA_DAN)
    path = Path(tmp_path) / "nghia-dan.xlsx"
    path.write_bytes(seed_workbook(NGHIA_DAN, "printed"))
    call_command(
        "import_plan",
        str(path),
        "--commune",
        "Nghĩa Đàn",
        "--title",
        "Kế hoạch 2026",
        "--year",
        "2026",
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert "Chỉ tiêu: thêm 35" in out and "Nhiệm vụ: thêm 30" in out and "Nhóm: thêm 20" in out
    assert Plan.objects.count() == 1
    call_command(
        "import_plan", str(path), "--commune", "Nghĩa Đàn", "--title", "Kế hoạch 2026", "--year", "2026"
    )
    assert Plan.objects.get(title="Kế hoạch 2026").tasks.count() == 30
    assert original.tasks.count() == 30


def test_import_plan_command_exits_non_zero_and_prints_every_problem(seed, tmp_path, capsys):
    original = seed(NGHIA_DAN)
    path = Path(tmp_path) / "sai.xlsx"
    path.write_bytes(_one_task_table("Phòng Không Có"))
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_plan", str(path), "--commune", "Nghĩa Đàn", "--plan", str(original.pk))
    assert "Phòng Không Có" in capsys.readouterr().err
    assert original.tasks.count() == 30


def test_import_plan_command_refuses_a_bad_file_with_its_message(seed, tmp_path):
    seed(NGHIA_DAN)
    path = Path(tmp_path) / "bang.xlsx"
    path.write_bytes(b"TT,Nhiem vu\n1,Kien toan\n")
    with pytest.raises(CommandError, match=".csv"):
        call_command("import_plan", str(path), "--commune", "Nghĩa Đàn", "--title", "X", "--year", "2026")


# --- pages ----------------------------------------------------------------------------------------------


def _upload(client, commune, data: bytes, name: str = "ke-hoach.xlsx", **fields):
    form = {"commune": commune.pk, "title": "Kế hoạch nhập", "year": "2026", **fields}
    return client.post(reverse("imports:upload"), {**form, "file": SimpleUploadedFile(name, data)})


def test_reviewer_uploads_previews_fixes_a_unit_and_confirms(client, world):
    client.force_login(world.reviewer)
    data = _one_task_table("Trung tâm PVHCC;\nTổ công nghệ số")
    response = _upload(client, world.commune, data)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:preview", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Tổ công nghệ số" in page and "Nhiệm vụ: thêm 1" in page and "Xác nhận nhập" not in page
    client.post(
        reverse("imports:fix_unit", args=[batch.pk]),
        {"mention": "Tổ công nghệ số", "action": "create", "kind": "village"},
    )
    page = client.get(reverse("imports:preview", args=[batch.pk])).content.decode()
    assert "Xác nhận nhập" in page and "hạn: 30/06/2026 (quý 2/2026)" in page
    response = client.post(reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256})
    plan = Plan.objects.get(title="Kế hoạch nhập")
    assert response["Location"] == reverse("tracking:plan_detail", args=[plan.pk])
    assert plan.tasks.get().assignments.count() == 2


def test_preview_says_each_deadline_as_a_date_with_the_documents_wording(client, world):
    client.force_login(world.reviewer)
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì (tham mưu)", "Thời gian hoàn thành"]
    rows = [
        ["1", "Lắp wifi", "Trung tâm PVHCC", "07/2026"],
        ["2", "Số hóa hồ sơ", "Trung tâm PVHCC", "Trước ngày 20/12/2026"],
        ["3", "Tuyên truyền", "Trung tâm PVHCC", "Thường xuyên"],
    ]
    _upload(client, world.commune, workbook_bytes({"Nhiệm vụ": [header, ["I", "Hạ tầng số"], *rows]}))
    page = client.get(reverse("imports:preview", args=[ImportBatch.objects.get().pk])).content.decode()
    assert "hạn: 31/07/2026 (tháng 07/2026)" in page
    assert "hạn: 20/12/2026<" in page
    assert "hạn: Thường xuyên (không tính quá hạn)" in page


def test_confirm_with_another_hash_or_a_changed_file_imports_nothing(client, world):
    client.force_login(world.reviewer)
    _upload(client, world.commune, _one_task_table("Trung tâm PVHCC"))
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:confirm", args=[batch.pk]), {"sha256": "0" * 64})
    assert not Plan.objects.filter(title="Kế hoạch nhập").exists()
    batch.file.save("other.xlsx", io.BytesIO(_one_task_table("Phòng Kinh tế")), save=True)
    client.post(reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256})
    assert not Plan.objects.filter(title="Kế hoạch nhập").exists()


def test_confirming_the_same_batch_twice_imports_once_and_says_so(client, world):
    client.force_login(world.reviewer)
    _upload(client, world.commune, _one_task_table("Trung tâm PVHCC"))
    batch = ImportBatch.objects.get()
    batch_import(batch=batch, dry_run=False, expected_sha256=batch.sha256)
    # The second click of a double click: its view read the batch before the first one marked it.
    stale = ImportBatch.objects.get(pk=batch.pk)
    stale.imported_at = None
    with pytest.raises(ValueError, match="đã được nhập"):
        batch_import(batch=stale, dry_run=False, expected_sha256=batch.sha256)
    assert Plan.objects.filter(title="Kế hoạch nhập").count() == 1

    response = client.post(reverse("imports:confirm", args=[batch.pk]), {"sha256": batch.sha256}, follow=True)
    assert "đã được nhập" in response.content.decode()
    assert Plan.objects.filter(title="Kế hoạch nhập").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"TT;Nhiem vu\n", "ke-hoach.xlsx", ".csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ke-hoach.xls", ".xls"),
        (b"", "rong.xlsx", "rỗng"),
    ],
)
def test_a_bad_upload_gets_its_message_and_stores_nothing(client, world, data, name, message):
    client.force_login(world.reviewer)
    response = _upload(client, world.commune, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_the_plan_page_offers_export_to_all_and_import_and_rollover_to_the_reviewer(client, world):
    url = reverse("tracking:plan_detail", args=[world.plan.pk])
    client.force_login(world.clerk)
    page = client.get(url).content.decode()
    assert reverse("imports:export", args=[world.plan.pk]) in page
    assert reverse("imports:rollover", args=[world.plan.pk]) not in page
    client.force_login(world.reviewer)
    assert reverse("imports:rollover", args=[world.plan.pk]) in client.get(url).content.decode()


def test_export_downloads_an_xlsx_of_the_plan(client, world):
    client.force_login(world.clerk)
    response = client.get(reverse("imports:export", args=[world.plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = read_workbook(response.content)
    assert [t.kind for t in workbook.tables] == ["indicators", "tasks"]
