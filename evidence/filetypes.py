"""Recognise an uploaded file by its content, not only its name, and refuse what would harm those who open it.

An Office file (DOCX, XLSX) passes the same zip budget as a plan workbook (common.zipcheck) and may hold no
macro, no link fetched from outside when opened, and no archive inside. A PDF must start as one and hold no
HTML: a PDF/HTML polyglot renders as a page in a browser that guesses the type.
"""

import io
import re
import time
import zipfile

from common import uploads
from common.uploads import MAX_UPLOAD_BYTES
from common.zipcheck import ZipRefused, check_zip, office_watch

# extension → (MIME type, label)
ALLOWED = {
    "pdf": ("application/pdf", "PDF"),
    "jpg": ("image/jpeg", "JPG"),
    "jpeg": ("image/jpeg", "JPG"),
    "png": ("image/png", "PNG"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}
# The part that makes a zip a Word document or a workbook (with the content types every OOXML file has).
_ZIP_MEMBER = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_HTML = re.compile(rb"<(?:html|body|script|iframe|!doctype\s+html)\b", re.IGNORECASE)


def _sniff_head(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def _office_kind(names: list[str]) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    kinds = [extension for extension, member in _ZIP_MEMBER.items() if member in names]
    return kinds[0] if len(kinds) == 1 else None


def check_upload(name: str, data: bytes) -> str:
    """Return the MIME type to store, or raise ValueError with a Vietnamese message."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = ", ".join(sorted({label for _mime, label in ALLOWED.values()}))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(f"Tệp «{name}» vượt quá 10 MB.")
    if not data:
        raise ValueError(f"Tệp «{name}» rỗng.")
    if extension not in ALLOWED:
        raise ValueError(f"Tệp «{name}» không đúng định dạng cho phép ({allowed}).")
    label = ALLOWED[extension][1]
    actual = _sniff_head(data[:16])
    is_zip = data.startswith(b"PK\x03\x04") and zipfile.is_zipfile(io.BytesIO(data))
    if actual is None and is_zip and extension in _ZIP_MEMBER:
        deadline = time.monotonic() + uploads.MAX_READ_SECONDS
        try:
            names = check_zip(data, watch=office_watch, deadline=deadline)
        except ZipRefused as refused:
            raise ValueError(f"Tệp «{name}» {refused.phrase}.") from refused
        actual = _office_kind(names)
    if actual is None or ALLOWED[actual][0] != ALLOWED[extension][0]:
        raise ValueError(f"Nội dung tệp «{name}» không phải {label} như tên tệp ghi.")
    if actual == "pdf" and _HTML.search(data):
        raise ValueError(f"Tệp «{name}» có chứa mã trang web (HTML), không phải PDF thuần.")
    return ALLOWED[actual][0]
