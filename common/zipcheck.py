"""Check a zip container (.xlsx, .docx) before anything parses it: bytes in, its part names or a refusal out.

Pure: no database, no Django. The plan workbook reader and the evidence check both call `check_zip`, so an
Office file meets the same budget whichever way it arrives. The sizes are judged first from the central
directory, where nothing is unpacked (a zip bomb stops there); then each part's local header is compared with
the directory, and every part is unpacked once, in chunks, to compare what it really holds with what it
declares (zipfile checks the CRC as the last chunk is read). A caller can watch the chunks as they pass, to
count tags or refuse content, without a second unpacking.
"""

import enum
import io
import re
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from common import uploads

_CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_DATA_DESCRIPTOR = 0x08
_ZIP64_SIZE = 0xFFFFFFFF
# What zipfile and zlib raise on a damaged or unsupported part (an encrypted part is a RuntimeError).
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError)


class Reason(enum.StrEnum):
    CORRUPT = "corrupt"
    ENTRIES = "entries"
    TOTAL = "total"
    PART = "part"
    RATIO = "ratio"
    SIZES = "sizes"
    TIME = "time"
    MACRO = "macro"
    EXTERNAL = "external"
    NESTED = "nested"


@dataclass(frozen=True)
class ZipLimits:
    entries: int = uploads.MAX_ZIP_ENTRIES
    total_bytes: int = uploads.MAX_UNCOMPRESSED_BYTES
    part_bytes: int = uploads.MAX_PART_BYTES
    ratio: int = uploads.MAX_COMPRESSION_RATIO
    ratio_floor_bytes: int = uploads.RATIO_FLOOR_BYTES


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB".replace(".", ",")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _phrase(reason: Reason, limits: ZipLimits) -> str:
    return {
        Reason.CORRUPT: "bị hỏng (không giải nén được hoặc sai mã kiểm tra CRC)",
        Reason.ENTRIES: f"có quá nhiều thành phần bên trong (hơn {_number(limits.entries)})",
        Reason.TOTAL: f"quá lớn khi giải nén (hơn {_megabytes(limits.total_bytes)})",
        Reason.PART: f"có một thành phần quá lớn khi giải nén (hơn {_megabytes(limits.part_bytes)})",
        Reason.RATIO: f"có tỷ lệ nén bất thường (hơn {limits.ratio} lần, dấu hiệu của «bom nén»)",
        Reason.SIZES: "khai báo sai dung lượng hoặc mã kiểm tra của các thành phần bên trong",
        Reason.TIME: f"cần quá nhiều thời gian để kiểm tra (hơn {uploads.MAX_READ_SECONDS} giây)",
        Reason.MACRO: "có chứa macro (VBA); hãy lưu lại dạng tệp không có macro (.docx, .xlsx)",
        Reason.EXTERNAL: "có liên kết tới tệp hoặc địa chỉ bên ngoài; hãy gỡ liên kết rồi lưu lại",
        Reason.NESTED: "có chứa tệp nén khác bên trong",
    }[reason]


class ZipRefused(Exception):
    """The archive is refused as a whole; `phrase` ends a Vietnamese sentence that names the file."""

    def __init__(self, reason: Reason, limits: ZipLimits | None = None) -> None:
        self.reason = reason
        self.phrase = _phrase(reason, limits or ZipLimits())
        super().__init__(self.phrase)


# A chunk watcher receives each unpacked chunk of one part, then b"" when the part ends.
Consumer = Callable[[bytes], None]
Watch = Callable[[str], Consumer | None]


def check_zip(
    data: bytes, limits: ZipLimits | None = None, *, watch: Watch | None = None, deadline: float | None = None
) -> list[str]:
    """The part names of a zip that keeps within the limits; raises ZipRefused (or what a watcher raises)."""
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN as error:
        raise ZipRefused(Reason.CORRUPT, limits) from error
    with archive:
        infos = archive.infolist()
        _check_declared(infos, limits)
        _check_local_headers(data, infos, limits)
        for info in infos:
            consume = watch(info.filename) if watch else None
            unpacked = 0
            for chunk in _chunks(archive, info, limits):
                unpacked += len(chunk)
                if consume is not None:
                    consume(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    raise ZipRefused(Reason.TIME, limits)
            # zipfile never returns more than the declared size; a part that holds less lied about it.
            if unpacked != info.file_size:
                raise ZipRefused(Reason.SIZES, limits)
            if consume is not None:
                consume(b"")
    return [info.filename for info in infos]


def _check_declared(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(infos) > limits.entries:
        raise ZipRefused(Reason.ENTRIES, limits)
    if sum(info.file_size for info in infos) > limits.total_bytes:
        raise ZipRefused(Reason.TOTAL, limits)
    if len({info.filename for info in infos}) != len(infos):
        raise ZipRefused(Reason.CORRUPT, limits)  # two parts of one name: readers would disagree on which
    for info in infos:
        if info.file_size > limits.part_bytes:
            raise ZipRefused(Reason.PART, limits)
        if info.file_size >= limits.ratio_floor_bytes and info.file_size > limits.ratio * info.compress_size:
            raise ZipRefused(Reason.RATIO, limits)


def _check_local_headers(data: bytes, infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Each part's own header must agree with the directory: zipfile reads one, other programs the other."""
    for info in infos:
        start = info.header_offset
        if start < 0 or start + _LOCAL_HEADER.size > len(data):
            raise ZipRefused(Reason.CORRUPT, limits)
        header = _LOCAL_HEADER.unpack_from(data, start)
        signature, flags, method, crc, packed, size = header[0], header[2], header[3], *header[6:9]
        if signature != b"PK\x03\x04":
            raise ZipRefused(Reason.CORRUPT, limits)
        if method != info.compress_type:
            raise ZipRefused(Reason.SIZES, limits)
        if flags & _DATA_DESCRIPTOR:
            continue  # sizes and CRC follow the data; zipfile checks the CRC against the directory's
        sizes_match = _ZIP64_SIZE in (packed, size) or (packed, size) == (info.compress_size, info.file_size)
        if crc != info.CRC or not sizes_match:
            raise ZipRefused(Reason.SIZES, limits)


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits):
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                yield chunk
    except _BROKEN as error:
        raise ZipRefused(Reason.CORRUPT, limits) from error


# --- watching XML as it streams ---------------------------------------------------------------------------

# A tag is at most this long; an element (a Relationship with its address) at most _MAX_ELEMENT.
_MAX_TAG = 64
_MAX_ELEMENT = 64 * 1024


class _Elements:
    """Cuts a stream of XML chunks after its last complete element, so nothing is seen twice or cut in two."""

    def __init__(self, carry_limit: int) -> None:
        self._carry = b""
        self._carry_limit = carry_limit

    def complete(self, chunk: bytes) -> tuple[bytes, int]:
        window = self._carry + chunk
        cut = window.rfind(b"<")
        if not chunk or cut == -1 or len(window) - cut > self._carry_limit:
            cut = len(window)
        self._carry = window[cut:]
        return window, cut


class TagCounter:
    """Counts a tag over every part it watches and calls `refuse` once the count passes `limit`."""

    def __init__(self, pattern: re.Pattern[bytes], limit: int, refuse: Callable[[int], Exception]) -> None:
        self.pattern, self.limit, self.refuse = pattern, limit, refuse
        self.count = 0
        self._elements = _Elements(_MAX_TAG)

    def __call__(self, chunk: bytes) -> None:
        window, cut = self._elements.complete(chunk)
        self.count += len(self.pattern.findall(window, 0, cut))
        if self.count > self.limit:
            raise self.refuse(self.count)


# --- Office files other people will open -------------------------------------------------------------------

_MACRO_PART = re.compile(
    r"(?:^|/)vba(?:Project\.bin|Data\.xml)$|\.(?:docm|dotm|xlsm|xltm|xlam|pptm|potm|ppam)$", re.IGNORECASE
)
_MACRO_TYPE = re.compile(rb"macroEnabled|vbaProject", re.IGNORECASE)
_EXTERNAL_PART = re.compile(r"(?:^|/)externalLinks?/", re.IGNORECASE)
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>", re.IGNORECASE)
_TARGET_EXTERNAL = re.compile(rb"""\bTargetMode\s*=\s*["']External["']""", re.IGNORECASE)
_HYPERLINK = re.compile(rb"""\bType\s*=\s*["'][^"']*/hyperlink["']""", re.IGNORECASE)
# Word and Excel keep an embedded chart's or object's data as an Office file under embeddings/.
_EMBEDDED_OFFICE = re.compile(r"(?:^|/)embeddings/[^/]+\.(?:docx|xlsx|pptx)$", re.IGNORECASE)
_ARCHIVE_NAME = re.compile(r"\.(?:zip|jar|7z|rar|gz|tgz|tar|cab|apk)$", re.IGNORECASE)
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x1f\x8b", b"MSCF")


class _OfficePart:
    """Refuses, while one part streams, an archive inside it, macro content types or an outside link."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.first = True
        self.content_types = name == "[Content_Types].xml"
        self.relationships = name.lower().endswith(".rels")
        self._elements = _Elements(_MAX_ELEMENT)

    def __call__(self, chunk: bytes) -> None:
        if self.first and chunk:
            self.first = False
            if chunk.startswith(_ARCHIVE_MAGIC) and not _EMBEDDED_OFFICE.search(self.name):
                raise ZipRefused(Reason.NESTED)
        if not (self.content_types or self.relationships):
            return
        window, cut = self._elements.complete(chunk)
        if self.content_types and _MACRO_TYPE.search(window, 0, cut):
            raise ZipRefused(Reason.MACRO)
        if self.relationships:
            for element in _RELATIONSHIP.finditer(window, 0, cut):
                # A hyperlink opens only when clicked; a linked template, image, frame or object is fetched
                # when the file is opened, which tells the outside who opened it, or brings content in.
                if _TARGET_EXTERNAL.search(element.group()) and not _HYPERLINK.search(element.group()):
                    raise ZipRefused(Reason.EXTERNAL)


def office_watch(name: str) -> Consumer:
    """The watcher for an Office file others will open: no macros, no outside links, no archive inside."""
    if _MACRO_PART.search(name):
        raise ZipRefused(Reason.MACRO)
    if _EXTERNAL_PART.search(name):
        raise ZipRefused(Reason.EXTERNAL)
    if _ARCHIVE_NAME.search(name):
        raise ZipRefused(Reason.NESTED)
    return _OfficePart(name)
