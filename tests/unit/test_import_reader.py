"""Reading plan appendices from .xlsx bytes: header variants, odd rows, bad files (no database)."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest

from imports import reader
from imports.reader import (
    MAX_UPLOAD_BYTES,
    BadFile,
    Field,
    TableKind,
    cell_text,
    classify_header,
    detect_header,
    read_workbook,
)
from tests.data.seed_tables import workbook_bytes


@pytest.mark.parametrize(
    ("header", "field", "year"),
    [
        ("TT", Field.NUMBER, None),
        ("STT", Field.NUMBER, None),
        ("Chỉ tiêu", Field.NAME, None),
        ("Mục tiêu 2025", Field.TARGET, 2025),
        ("Mục tiêu\n2026", Field.TARGET, 2026),
        ("Kết quả đạt được", Field.BASELINE, None),
        ("Kết quả đạt được năm 2024", Field.BASELINE, 2024),
        ("Nhiệm vụ", Field.NAME, None),
        ("Danh mục nhiệm vụ, giải pháp", Field.NAME, None),
        ("Đơn vị chủ trì (tham mưu)", Field.LEAD, None),
        ("Đơn vị chủ trì\ntham mưu", Field.LEAD, None),
        ("Cơ quan chủ trì", Field.LEAD, None),
        ("Cơ quan phối hợp", Field.COORDINATING, None),
        ("Cơ quan\ntheo dõi,\ntổng hợp", Field.MONITORING, None),
        ("Thời gian hoàn thành", Field.DEADLINE, None),
        ("Thời hạn", Field.DEADLINE, None),
        ("Ghi chú", Field.NOTE, None),
    ],
)
def test_header_cells_are_recognised_in_the_spellings_plans_use(header, field, year):
    found, _kind, found_year = classify_header(header)
    assert (found, found_year) == (field, year)


@pytest.mark.parametrize(
    "text", ["Nhiệm vụ chuyển đổi số của xã", "Phòng VH-XH chủ trì", "Tỷ lệ hồ sơ trực tuyến", "100%", "2026"]
)
def test_data_cells_are_not_taken_for_headers(text):
    assert classify_header(text) is None


def test_bare_muc_tieu_is_the_name_without_a_chi_tieu_column_and_the_target_beside_one():
    kind, columns = detect_header(["TT", "Mục tiêu", "Đơn vị chủ trì"])
    assert kind == TableKind.INDICATORS and [c.field for c in columns] == [
        Field.NUMBER,
        Field.NAME,
        Field.LEAD,
    ]
    _kind, columns = detect_header(["TT", "Chỉ tiêu", "Mục tiêu"])
    assert [c.field for c in columns] == [Field.NUMBER, Field.NAME, Field.TARGET]


def test_a_table_with_deadline_or_monitoring_columns_is_a_task_table():
    kind, _columns = detect_header(["STT", "Danh mục nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Thời hạn"])
    assert kind == TableKind.TASKS


def test_cells_read_as_people_see_them():
    assert cell_text(dt.datetime(2026, 3, 31)) == "31/03/2026"  # noqa: DTZ001 - a naive Excel date
    assert cell_text(0.8, "0%") == "80%"
    assert cell_text(81.5) == "81,5"
    assert cell_text(21) == "21"
    assert cell_text(21.0) == "21"
    assert cell_text("  Phòng  VH-XH \n Công an xã ") == "Phòng VH-XH\nCông an xã"


def _table(*rows):
    return workbook_bytes({"Phụ lục": list(rows)})


def test_shuffled_columns_repeated_headers_page_numbers_and_empty_rows_are_handled():
    header = ["Thời gian hoàn thành", "Đơn vị chủ trì", "Nhiệm vụ", "TT"]
    data = _table(
        ["PHỤ LỤC 02"],
        ["Danh mục các nhiệm vụ"],
        header,
        ["", "", "Công tác lãnh đạo, chỉ đạo", "I"],
        ["Quý 1/2026", "Phòng VH-XH", "Kiện toàn bộ máy\nchỉ đạo", "1"],
        [],
        ["7"],
        header,
        ["2026", "Công an xã;\nPhòng VH-XH", "Bảo đảm an toàn thông tin", "2"],
    )
    workbook = read_workbook(data)
    [table] = workbook.tables
    assert table.kind == TableKind.TASKS and table.header_row == 3
    assert [r.get(Field.NUMBER) for r in table.rows] == ["I", "1", "2"]
    assert table.rows[1].get(Field.NAME) == "Kiện toàn bộ máy\nchỉ đạo"
    assert table.rows[2].get(Field.LEAD) == "Công an xã;\nPhòng VH-XH"
    assert table.rows[1].get(Field.DEADLINE) == "Quý 1/2026"
    assert [p.expected for p in workbook.skipped] == ["số trang (bỏ qua)", "dòng tiêu đề lặp lại (bỏ qua)"]
    assert workbook.problems == []


def test_both_tables_on_one_sheet_become_two_tables():
    data = _table(
        ["TT", "Chỉ tiêu", "Mục tiêu 2026", "Đơn vị chủ trì"],
        ["I", "Hạ tầng số"],
        ["1", "Tỷ lệ ...", "100%", "Phòng VH-XH"],
        ["PHỤ LỤC 02"],
        ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"],
        ["1", "Kiện toàn", "Phòng VH-XH", "2026"],
    )
    kinds = [t.kind for t in read_workbook(data).tables]
    assert kinds == [TableKind.INDICATORS, TableKind.TASKS]


def test_a_value_in_a_column_without_a_header_is_a_problem_at_its_cell():
    data = _table(["TT", "Nhiệm vụ", "Thời hạn"], ["1", "Kiện toàn", "2026", "ghi thêm"])
    [problem] = read_workbook(data).problems
    assert (problem.sheet, problem.row, problem.column, problem.found) == ("Phụ lục", 2, "D", "ghi thêm")


def _with_formula(cached: str | None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["TT", "Nhiệm vụ", "Thời hạn"])
    ws.append(["1", "Kiện toàn", '=TEXT(2026,"0")'])
    buffer = io.BytesIO()
    wb.save(buffer)
    if cached is None:
        return buffer.getvalue()
    # What Excel writes after computing the formula: its cached value beside it.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes an empty value as <v/>, or as <v></v> with lxml (python-docx brings it).
                body = re.sub(rb"<v\s*/>|<v></v>", f"<v>{cached}</v>".encode(), body).replace(
                    b'<c r="C2">', b'<c r="C2" t="str">'
                )
            target.writestr(info, body)
    return out.getvalue()


def test_a_formula_is_never_evaluated_its_cached_value_is_read():
    [table] = read_workbook(_with_formula("2026")).tables
    assert table.rows[0].get(Field.DEADLINE) == "2026"


def test_a_formula_without_a_cached_value_is_a_problem():
    workbook = read_workbook(_with_formula(None))
    [problem] = workbook.problems
    assert problem.row == 2 and problem.column.startswith("C") and problem.found.startswith("=TEXT")


def _ole2(extra: bytes = b"") -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + extra


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def _many_rows(count: int) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["TT", "Nhiệm vụ", "Thời hạn"])
    for n in range(count):
        ws.append([str(n), f"Nhiệm vụ {n}", "2026"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "rỗng", id="empty-file"),
        pytest.param(b"TT;Nhiem vu\n1;Kien toan\n", ".csv", id="csv-renamed"),
        pytest.param(_ole2(), "Excel cũ (.xls)", id="xls-renamed"),
        pytest.param(_ole2("EncryptionInfo".encode("utf-16-le")), "mật khẩu", id="password-protected"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 200, "hỏng", id="corrupt"),
        pytest.param(_docx(), "Word", id="docx-renamed"),
        pytest.param(b"PK\x03\x04" + b"\x00" * MAX_UPLOAD_BYTES, "10 MB", id="oversized"),
        pytest.param(_empty_workbook(), "không có dữ liệu", id="empty-workbook"),
        pytest.param(_table(["Báo cáo"], ["Một dòng chữ"]), "Không tìm thấy dòng tiêu đề", id="no-header"),
        pytest.param(_many_rows(5001), "5.000 dòng", id="too-many-rows"),
    ],
)
def test_each_bad_file_gets_one_clear_message(data, message):
    with pytest.raises(BadFile) as refused:
        read_workbook(data)
    assert message in str(refused.value)


def test_a_truncated_xlsx_is_refused_as_corrupt():
    data = _table(["TT", "Nhiệm vụ", "Thời hạn"], ["1", "Kiện toàn", "2026"])
    with pytest.raises(BadFile, match="hỏng"):
        read_workbook(data[: len(data) // 2])


def test_exactly_five_thousand_rows_are_read():
    workbook = read_workbook(_many_rows(4999))
    assert len(workbook.tables[0].rows) == 4999


def _with_far_cells(extra_rows: str) -> bytes:
    """A small task table whose sheet XML gets `extra_rows` appended, as other programs write them."""
    data = _table(["TT", "Nhiệm vụ", "Thời hạn"], ["1", "Kiện toàn", "2026"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", extra_rows.encode() + b"</sheetData>")
            target.writestr(info, body)
    return out.getvalue()


def test_empty_cells_at_column_xfd_do_not_widen_every_row_to_sixteen_thousand_cells(monkeypatch):
    extra = "".join(f'<row r="{n}"><c r="XFD{n}"/><c r="XFD{n}" s="0"/></row>' for n in range(3, 303))
    data = _with_far_cells(extra)
    assert len(data) < 10_000
    visited = 0
    real_cell_text = reader.cell_text

    def counting(*args):
        nonlocal visited
        visited += 1
        return real_cell_text(*args)

    monkeypatch.setattr(reader, "cell_text", counting)
    workbook = read_workbook(data)
    assert workbook.problems == []
    assert [row.get(Field.NAME) for row in workbook.tables[0].rows] == ["Kiện toàn"]
    assert visited <= 302 * reader.MAX_COLS


def test_a_value_right_of_the_read_columns_is_a_problem_at_its_cell_and_the_list_stays_short():
    extra = "".join(
        f'<row r="{n}"><c r="XFD{n}" t="inlineStr"><is><t>lạc</t></is></c></row>' for n in range(3, 103)
    )
    problems = read_workbook(_with_far_cells(extra)).problems
    assert len(problems) == reader._MAX_FAR_CELLS
    assert (problems[0].sheet, problems[0].row, problems[0].column) == ("Phụ lục", 3, "XFD")
    assert "60 cột đầu" in str(problems[0])


def test_a_sheet_streaming_too_many_empty_rows_is_refused():
    extra = "".join(f'<row r="{n}"/>' for n in range(3, reader._MAX_SCANNED_ROWS + 10))
    with pytest.raises(BadFile, match="dòng"):
        read_workbook(_with_far_cells(extra))


def test_a_zip_declaring_huge_entries_is_refused_before_anything_is_decompressed(monkeypatch):
    def never(self):
        raise AssertionError("testzip() must not run on a refused archive")

    monkeypatch.setattr(zipfile.ZipFile, "testzip", never)
    monkeypatch.setattr(reader, "_MAX_UNCOMPRESSED", 100)
    with pytest.raises(BadFile, match="quá lớn khi giải nén\\), không đọc được\\."):
        read_workbook(_table(["TT", "Nhiệm vụ", "Thời hạn"], ["1", "Kiện toàn", "2026"]))
