"""Recognise an uploaded file by its content, not only its name."""

import io
import zipfile

from common.uploads import MAX_UPLOAD_BYTES

# extension → (MIME type, label)
ALLOWED = {
    "pdf": ("application/pdf", "PDF"),
    "jpg": ("image/jpeg", "JPG"),
    "jpeg": ("image/jpeg", "JPG"),
    "png": ("image/png", "PNG"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
}
_ZIP_MEMBER = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_MAX_ZIP_ENTRIES = 2000


def sniff(head: bytes, data: bytes | None = None) -> str | None:
    """The extension the content really is (`pdf`, `jpg`, `png`, `docx`, `xlsx`), or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        if len(names) > _MAX_ZIP_ENTRIES:
            return None
        for extension, member in _ZIP_MEMBER.items():
            if member in names:
                return extension
    return None


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
    actual = sniff(data[:16], data)
    if actual is None or ALLOWED[actual][0] != ALLOWED[extension][0]:
        raise ValueError(f"Nội dung tệp «{name}» không phải {ALLOWED[extension][1]} như tên tệp ghi.")
    return ALLOWED[extension][0]
