"""Hostile files: a bad plan workbook or evidence file gets one Vietnamese message, no 5xx, writes nothing.

Every file is built here from a good one (no binary fixtures): zip bombs, lying headers, macros, links to the
outside, archives inside archives, polyglots, renamed files. Each upload goes through the page a person uses,
and each workbook also through `read_workbook` itself.
"""

import functools
import io
import re
import struct
import warnings
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.utils import get_column_letter

from evidence.models import Evidence
from imports import reader
from imports.models import ImportBatch
from imports.reader import BadFile, read_workbook
from imports.services import file_sha256
from indicators.models import IndicatorResult
from tasks.models import TaskUpdate
from tests.data.seed_tables import workbook_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# --- building zips ------------------------------------------------------------------------------------------


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(parts: dict[str, bytes], *, duplicate: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
        if duplicate:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                archive.writestr(duplicate, parts[duplicate])
    return out.getvalue()


def with_parts(data: bytes, **changes: bytes) -> bytes:
    """The zip with parts replaced or added; keyword names use `__` for `/` and `_dot_` for `.`."""
    parts = parts_of(data)
    for key, body in changes.items():
        parts[key.replace("__", "/").replace("_dot_", ".")] = body
    return zipped(parts)


def with_added(data: bytes, name: str, body: bytes) -> bytes:
    return zipped({**parts_of(data), name: body})


@functools.cache
def zip_bomb() -> bytes:
    """A good workbook with one more part of 1 GB of zeros (about 1 MB packed), written in 16 MB chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, body in parts_of(workbook()).items():
            archive.writestr(name, body)
        with archive.open("xl/media/image1.png", "w", force_zip64=True) as part:
            block = bytes(1 << 24)
            for _ in range(64):
                part.write(block)
    return out.getvalue()


# Header fields: (offset in the local header, offset in the central directory record).
_FIELDS = {"flags": (6, 8), "crc": (14, 16), "packed": (18, 20), "size": (22, 24)}


def falsified(
    data: bytes, member: str, field: str, change, *, local: bool = True, central: bool = True
) -> bytes:
    """One header field of one part rewritten: in its local header, its directory entry, or both."""
    out = bytearray(data)
    local_at, central_at = _FIELDS[field]
    width = 2 if field == "flags" else 4
    code = "<H" if width == 2 else "<L"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
        position = archive.start_dir
    targets = []
    if local:
        targets.append(info.header_offset + local_at)
    if central:
        while True:
            name_length, extra_length, comment_length = struct.unpack_from("<3H", data, position + 28)
            if data[position + 46 : position + 46 + name_length].decode() == member:
                targets.append(position + central_at)
                break
            position += 46 + name_length + extra_length + comment_length
    for at in targets:
        (value,) = struct.unpack_from(code, out, at)
        struct.pack_into(code, out, at, change(value))
    return bytes(out)


# --- good files to spoil ------------------------------------------------------------------------------------


def workbook() -> bytes:
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì (tham mưu)", "Thời gian hoàn thành"]
    return workbook_bytes({"Nhiệm vụ": [header, ["1", "Lắp wifi", "Trung tâm PVHCC", "Quý 2/2026"]]})


_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{extra}'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{}</Relationships>"
)
_HYPERLINK = (
    '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'hyperlink" Target="https://nghiadan.nghean.gov.vn/" TargetMode="External"/>'
)
_REMOTE_TEMPLATE = (
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'attachedTemplate" Target="http://203.0.113.9/mau.dotm" TargetMode="External"/>'
)


_DOCUMENT = "<w:document><w:body><w:p><w:r><w:t>Biên bản</w:t></w:r></w:p></w:body></w:document>"


def docx(*, content_types: str = "", document_rels: str = _HYPERLINK, **extra: bytes) -> bytes:
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.format(extra=content_types).encode(),
        "_rels/.rels": _RELS.format("").encode(),
        "word/document.xml": _DOCUMENT.encode(),
        "word/_rels/document.xml.rels": _RELS.format(document_rels).encode(),
    }
    parts.update({name.replace("__", "/").replace("_dot_", "."): body for name, body in extra.items()})
    return zipped(parts)


def xlsx() -> bytes:
    return workbook_bytes({"Số liệu": [["Chỉ tiêu", "Kết quả"], ["Hồ sơ trực tuyến", 85]]})


def many_cells() -> bytes:
    """516.000 empty cells, each with its own address: packs only 8 to 1, so only the cell count stops it."""
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{get_column_letter(c)}{r}"/>' for c in range(1, 61)) + "</row>"
        for r in range(3, 8603)
    )
    return _with_sheet_rows(rows)


def _with_sheet_rows(rows: str, *, dimension: str = "") -> bytes:
    parts = parts_of(workbook())
    sheet = parts["xl/worksheets/sheet1.xml"]
    sheet = sheet.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    if dimension:
        sheet = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), sheet)
        assert dimension.encode() in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet
    return zipped(parts)


def many_shared_strings(count: int) -> bytes:
    """A tiny file with a shared string table as long as `count`, every string distinct (packs 11 to 1)."""
    strings = "".join(f"<si><t>Chuỗi {n}</t></si>" for n in range(count))
    table = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="4" uniqueCount="4">{strings}</sst>'
    )
    return with_parts(workbook(), xl__sharedStrings_dot_xml=table.encode())


def too_many_entries(data: bytes) -> bytes:
    parts = parts_of(data)
    parts.update({f"customXml/item{n}.xml": b"<a/>" for n in range(2001)})
    return zipped(parts)


def zipped_inside(name: str, data: bytes) -> bytes:
    return zipped({name: data})


# --- the plan workbook --------------------------------------------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"

HOSTILE_WORKBOOKS = [
    pytest.param(zip_bomb, "quá lớn khi giải nén", id="zip-bomb-1gb"),
    pytest.param(
        lambda: with_added(workbook(), "xl/media/image1.bin", bytes(2 << 20)),
        "tỷ lệ nén",
        id="ratio-2mb-zeros",
    ),
    pytest.param(
        lambda: many_shared_strings(25_000 * 40), "quá lớn khi giải nén (hơn 20 MB)", id="part-25mb"
    ),
    pytest.param(lambda: many_shared_strings(110_000), "quá nhiều đoạn chữ", id="shared-strings-110k"),
    pytest.param(many_cells, "quá nhiều ô", id="cells-516k"),
    pytest.param(
        lambda: _with_sheet_rows("", dimension="A1:XFD1048576"),
        "vùng dữ liệu quá lớn",
        id="dimension-xfd1048576",
    ),
    pytest.param(
        lambda: falsified(workbook(), SHEET, "size", lambda v: v + 1000, local=False),
        "khai báo sai dung lượng",
        id="directory-size-lies",
    ),
    pytest.param(
        lambda: falsified(workbook(), SHEET, "size", lambda v: v + 1000),
        "khai báo sai dung lượng",
        id="both-sizes-lie",
    ),
    pytest.param(lambda: falsified(workbook(), SHEET, "crc", lambda v: v ^ 0xFFFF), "bị hỏng", id="bad-crc"),
    pytest.param(
        lambda: falsified(workbook(), SHEET, "flags", lambda v: v | 1), "bị hỏng", id="encrypted-part"
    ),
    pytest.param(lambda: zipped(parts_of(workbook()), duplicate=SHEET), "bị hỏng", id="duplicate-part"),
    pytest.param(lambda: too_many_entries(workbook()), "cấu trúc bất thường", id="too-many-entries"),
    pytest.param(lambda: zipped_inside("ke-hoach.xlsx", workbook()), "không phải bảng tính", id="nested-zip"),
    pytest.param(docx, "tệp Word", id="docx-renamed"),
    pytest.param(lambda: PNG, "không phải bảng tính", id="png-renamed"),
    pytest.param(lambda: workbook()[:-200], "hỏng", id="truncated"),
    pytest.param(lambda: b"", "rỗng", id="empty"),
]


@pytest.mark.parametrize(("build", "message"), HOSTILE_WORKBOOKS)
def test_read_workbook_refuses_each_hostile_file_with_one_message(build, message):
    with pytest.raises(BadFile) as refused:
        read_workbook(build())
    assert message in str(refused.value)


@pytest.mark.parametrize(("build", "message"), HOSTILE_WORKBOOKS)
def test_the_upload_page_refuses_each_hostile_workbook_and_stores_nothing(
    client, world, media, build, message
):
    client.force_login(world.reviewer)
    response = _upload(client, world, build())
    assert response.status_code == 200
    assert response.content.decode().count(message) == 1
    assert ImportBatch.objects.count() == 0
    assert stored_files(media) == []


def _upload(client, world, data: bytes, name: str = "ke-hoach.xlsx"):
    form = {"commune": world.commune.pk, "title": "Kế hoạch nhập", "year": "2026"}
    return client.post(reverse("imports:upload"), {**form, "file": SimpleUploadedFile(name, data)})


def test_reading_stops_at_the_time_budget(client, world, media, monkeypatch):
    monkeypatch.setattr(reader, "_MAX_SECONDS", 0)
    with pytest.raises(BadFile, match="quá nhiều thời gian"):
        read_workbook(workbook())
    client.force_login(world.reviewer)
    response = _upload(client, world, workbook())
    assert response.status_code == 200 and "quá nhiều thời gian" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_the_preview_reading_the_stored_file_again_refuses_it_too(client, world, media):
    client.force_login(world.reviewer)
    _upload(client, world, workbook())
    batch = ImportBatch.objects.get()
    hostile = many_shared_strings(110_000)
    with batch.file.open("wb") as handle:
        handle.write(hostile)
    batch.sha256 = file_sha256(hostile)
    batch.save(update_fields=["sha256"])
    response = client.get(reverse("imports:preview", args=[batch.pk]), follow=True)
    assert response.status_code == 200 and "quá nhiều đoạn chữ" in response.content.decode()


def test_a_good_workbook_still_reads_under_every_limit():
    [table] = read_workbook(workbook()).tables
    assert [row.get(reader.Field.NAME) for row in table.rows] == ["Lắp wifi"]


# --- evidence files -----------------------------------------------------------------------------------------

WORD_DOCUMENT = "word/document.xml"
_EXTERNAL_LINK_PARTS = {
    "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
    "xl/externalLinks/_rels/externalLink1.xml.rels": _RELS.format(
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'externalLinkPath" Target="file:///\\\\may-chu\\so-lieu.xlsx" TargetMode="External"/>'
    ).encode(),
}

HOSTILE_EVIDENCE = [
    pytest.param("bom.xlsx", zip_bomb, "quá lớn khi giải nén", id="zip-bomb"),
    pytest.param(
        "ty-le.docx", lambda: docx(word__media__image1_dot_png=bytes(2 << 20)), "tỷ lệ nén", id="ratio"
    ),
    pytest.param(
        "co-sai.docx",
        lambda: falsified(docx(), WORD_DOCUMENT, "size", lambda v: v + 10, local=False),
        "khai báo sai dung lượng",
        id="directory-size-lies",
    ),
    pytest.param(
        "co-sai.xlsx",
        lambda: falsified(xlsx(), SHEET, "size", lambda v: v + 10),
        "khai báo sai dung lượng",
        id="both-sizes-lie",
    ),
    pytest.param(
        "crc.xlsx", lambda: falsified(xlsx(), SHEET, "crc", lambda v: v ^ 1), "bị hỏng", id="bad-crc"
    ),
    pytest.param(
        "khoa.docx",
        lambda: falsified(docx(), WORD_DOCUMENT, "flags", lambda v: v | 1),
        "bị hỏng",
        id="encrypted",
    ),
    pytest.param(
        "trung.docx",
        lambda: zipped(parts_of(docx()), duplicate=WORD_DOCUMENT),
        "bị hỏng",
        id="duplicate-part",
    ),
    pytest.param(
        "macro.xlsx",
        lambda: with_added(xlsx(), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0"),
        "có chứa macro (VBA)",
        id="vba",
    ),
    pytest.param(
        "macro.docx",
        lambda: docx(
            content_types='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
        ),
        "có chứa macro (VBA)",
        id="docm-renamed",
    ),
    pytest.param(
        "lien-ket.xlsx",
        lambda: zipped({**parts_of(xlsx()), **_EXTERNAL_LINK_PARTS}),
        "liên kết tới tệp hoặc địa chỉ bên ngoài",
        id="external-workbook-link",
    ),
    pytest.param(
        "mau.docx",
        lambda: docx(document_rels=_REMOTE_TEMPLATE),
        "liên kết tới tệp hoặc địa chỉ bên ngoài",
        id="remote-template",
    ),
    pytest.param(
        "long.docx",
        lambda: docx(word__payload_dot_zip=zipped({"a.txt": b"x"})),
        "tệp nén khác",
        id="zip-in-docx",
    ),
    pytest.param(
        "goi.docx", lambda: zipped_inside("tai-lieu.docx", docx()), "tệp nén khác", id="docx-inside-a-zip"
    ),
    pytest.param(
        "nhieu.docx", lambda: too_many_entries(docx()), "quá nhiều thành phần", id="too-many-entries"
    ),
    pytest.param("bang.docx", xlsx, "không phải DOCX", id="xlsx-renamed-docx"),
    pytest.param(
        "ca-hai.docx",
        lambda: with_added(docx(), "xl/workbook.xml", b"<workbook/>"),
        "không phải DOCX",
        id="both-word-and-excel",
    ),
    pytest.param(
        "da-nang.pdf",
        lambda: PDF + b"<html><body><script>alert(document.cookie)</script></body></html>",
        "mã trang web (HTML)",
        id="pdf-html-polyglot",
    ),
    pytest.param(
        "an.pdf",
        lambda: PDF.replace(b"%%EOF", b"<SCRIPT src=//x>%%EOF"),
        "mã trang web (HTML)",
        id="pdf-script",
    ),
    pytest.param("dau-cach.pdf", lambda: b" " + PDF, "không phải PDF", id="pdf-without-magic-first"),
    pytest.param(
        "trang.pdf",
        lambda: "<!doctype html><html><body>Biên bản".encode(),
        "không phải PDF",
        id="html-named-pdf",
    ),
    pytest.param("anh.png", lambda: b"day la chu, khong phai anh", "không phải PNG", id="png-that-is-text"),
    pytest.param("anh.png", lambda: JPEG, "không phải PNG", id="jpeg-named-png"),
    pytest.param("rong.pdf", lambda: b"", "rỗng", id="empty"),
    pytest.param("trang.html", lambda: b"<html></html>", "không đúng định dạng", id="wrong-extension"),
    pytest.param("khong-duoi", lambda: PDF, "không đúng định dạng", id="no-extension"),
]


def _update_url(world):
    return reverse("tracking:update_edit", args=[world.task.pk, world.period.pk])


def _result_url(world):
    return reverse("tracking:result_edit", args=[world.indicator.pk, world.period.pk])


def _update_data(**overrides):
    data = {
        "progress": "in_progress",
        "percent_complete": "60",
        "results": "Đã số hóa 600 hồ sơ.",
        "action": "draft",
        "version": "0",  # what the form of a never-saved update carries
    }
    return {**data, **overrides}


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE_EVIDENCE)
def test_each_hostile_evidence_file_is_refused_on_the_task_update_form(
    client, world, media, name, build, message
):
    client.force_login(world.clerk)
    upload = SimpleUploadedFile(name, build())
    response = client.post(_update_url(world), _update_data(evidence=upload))
    assert response.status_code == 400
    assert response.content.decode().count(message) == 1
    assert not TaskUpdate.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [HOSTILE_EVIDENCE[0], HOSTILE_EVIDENCE[7], HOSTILE_EVIDENCE[16]],
)
def test_hostile_evidence_is_refused_on_the_indicator_result_form(client, world, media, name, build, message):
    client.force_login(world.clerk)
    upload = SimpleUploadedFile(name, build())
    response = client.post(
        _result_url(world), {"value": "85", "action": "draft", "version": "0", "evidence": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IndicatorResult.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media) == []


def test_one_hostile_file_among_good_ones_writes_none_of_them(client, world, media):
    client.force_login(world.clerk)
    uploads = [
        SimpleUploadedFile("bien-ban.pdf", PDF),
        SimpleUploadedFile("anh.png", PNG),
        SimpleUploadedFile("macro.xlsx", with_added(xlsx(), "xl/vbaProject.bin", b"\xd0\xcf")),
    ]
    response = client.post(_update_url(world), _update_data(evidence=uploads))
    assert response.status_code == 400 and "macro" in response.content.decode()
    assert not TaskUpdate.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "build"),
    [
        pytest.param("bao-cao.docx", docx, id="docx-with-a-hyperlink"),
        pytest.param(
            "bieu-do.docx",
            lambda: docx(word__embeddings__Microsoft_Excel_Worksheet_dot_xlsx=xlsx()),
            id="docx-with-an-embedded-chart-workbook",
        ),
        pytest.param("so-lieu.xlsx", xlsx, id="xlsx"),
        pytest.param("bien-ban.pdf", lambda: PDF, id="pdf"),
    ],
)
def test_ordinary_office_files_and_pdfs_are_still_accepted(client, world, media, name, build):
    client.force_login(world.clerk)
    response = client.post(_update_url(world), _update_data(evidence=SimpleUploadedFile(name, build())))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (media / evidence.file.name).exists()
