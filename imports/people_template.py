"""The blank list of people to fill in, with its instructions, the role words accepted and the units of the
communes the downloader manages (every cell written as text: a unit named `=…` never becomes a formula)."""

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.excel import write_text
from imports.people_reader import FIELD_LABELS, REQUIRED, ROLE_WORDS, PersonField
from units.models import Role, Unit

PEOPLE_SHEET = "Người dùng"
INSTRUCTIONS_SHEET = "Hướng dẫn"
UNITS_SHEET = "Đơn vị"
HEADERS = [FIELD_LABELS[f] for f in PersonField]
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_INSTRUCTIONS = [
    "Mỗi dòng là một người ở một đơn vị. Người làm ở nhiều đơn vị (hoặc nhiều vai trò) ghi nhiều dòng, "
    "cùng tên đăng nhập, cùng họ tên và email.",
    "Các cột có thể đổi thứ tự; tên cột được nhận cả khi viết khác "
    "(Họ tên, Tài khoản, Xã/phường, Phòng ban…).",
    "Bắt buộc: " + ", ".join(FIELD_LABELS[f] for f in REQUIRED) + ". Email để trống được.",
    "Tên đăng nhập: chữ, số và các ký tự @ . + - _ (không dấu cách), ví dụ nguyenvanan.nghiadan.",
    "Xã/phường: tên xã, có hoặc không có chữ «xã»/«phường», hoặc mã đơn vị hành chính.",
    "Đơn vị: tên đơn vị của xã như trang «Đơn vị» của tệp này "
    "(tên đầy đủ, tên viết tắt hoặc cách viết khác).",
    "Người có email nhận thư mời để tự đặt mật khẩu. Người không có email nhận mật khẩu dùng một lần, "
    "hiện một lần duy nhất cho người nhập; lần đăng nhập đầu tiên phải đặt mật khẩu mới.",
    "Hệ thống cho xem trước mọi người sẽ tạo và mọi lỗi; có lỗi thì không ghi gì.",
]


def _put(ws, row: int, values: list[str], *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column)
        write_text(cell, value)
        cell.alignment = _WRAP
        if bold:
            cell.font = _BOLD


def people_template_workbook(units: Iterable[Unit]) -> bytes:
    """The template; `units` (with their communes) are listed on their own sheet for reference."""
    wb = Workbook()
    people = wb.active
    people.title = PEOPLE_SHEET
    _put(people, 1, HEADERS, bold=True)
    for column in range(1, len(HEADERS) + 1):
        people.column_dimensions[get_column_letter(column)].width = 28
    people.freeze_panes = "A2"

    guide = wb.create_sheet(INSTRUCTIONS_SHEET)
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 90
    _put(guide, 1, ["Hướng dẫn nhập danh sách người dùng"], bold=True)
    row = 3
    for line in _INSTRUCTIONS:
        _put(guide, row, ["", line])
        row += 1
    row += 1
    _put(
        guide,
        row,
        ["Vai trò", "Cách ghi được nhận (không phân biệt hoa thường, có dấu hay không)"],
        bold=True,
    )
    for role in Role:
        row += 1
        _put(guide, row, [str(role.label), "; ".join(ROLE_WORDS[role])])

    listing = wb.create_sheet(UNITS_SHEET)
    listing.column_dimensions["A"].width = 30
    listing.column_dimensions["B"].width = 60
    _put(listing, 1, ["Xã/phường", "Tên đơn vị", "Tên viết tắt"], bold=True)
    for row, unit in enumerate(units, start=2):
        _put(listing, row, [str(unit.commune), unit.name, unit.short_name])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
