"""The province roll-up as an Excel workbook: one row per commune, the same figures as the page."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.excel import escape_formula
from common.text import fold
from dashboards.selectors import NO_PERIOD, NOT_SENT, SENT, Rollup
from tracking.selectors import TaskState

PERCENT = "0.0%"
DATETIME = "dd/mm/yyyy hh:mm"

# (header, width, number format)
FIXED_COLUMNS = [
    ("STT", 6, None),
    ("Xã/phường", 28, None),
    ("Mã", 9, None),
    ("Kỳ báo cáo", 12, None),
    ("Đã gửi báo cáo", 12, None),
    ("Gửi lúc", 17, DATETIME),
    ("Số lần gửi", 9, None),
    ("Chỉ tiêu đạt, vượt", 11, None),
    ("Tổng số chỉ tiêu", 11, None),
    ("Tỷ lệ đạt", 10, PERCENT),
    ("Nhiệm vụ hoàn thành", 12, None),
    ("Nhiệm vụ chậm tiến độ", 12, None),
    ("Nhiệm vụ quá hạn", 11, None),
    ("Tổng số nhiệm vụ", 11, None),
]


def rollup_workbook(rollup: Rollup) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Tổng hợp {rollup.code}"[:31]
    columns = list(FIXED_COLUMNS)
    for _key, label in rollup.pillars:
        columns += [(f"{label}: đạt, vượt", 11, None), (f"{label}: tổng", 9, None)]
    sheet.append([header for header, _width, _fmt in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, (_header, width, _fmt) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, row in enumerate(rollup.rows, start=1):
        sent_at = timezone.localtime(row.first_sent_at).replace(tzinfo=None) if row.first_sent_at else None
        values = [
            number,
            escape_formula(str(row.commune)),
            escape_formula(row.commune.code),
            row.period.code if row.period else "",
            {SENT: "Có", NOT_SENT: "Chưa", NO_PERIOD: "Không có kỳ này"}[row.sending],
            sent_at,
            row.sent_versions,
            row.indicators.met,
            row.indicators.total,
            row.rate,
            row.tasks.counts[TaskState.DONE],
            row.tasks.counts[TaskState.BEHIND],
            row.tasks.counts[TaskState.OVERDUE],
            row.tasks.total,
        ]
        for key, _label in rollup.pillars:
            tally = row.pillars.get(key)
            values += [tally.met, tally.total] if tally else [0, 0]
        sheet.append(values)
    for index, (_header, _width, number_format) in enumerate(columns, start=1):
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(rollup: Rollup) -> str:
    """ASCII only, so every browser keeps it: `tong-hop-quy-mo-2026-q4.xlsx`."""
    province = "-".join(fold(rollup.province.name).split())
    name = "".join(ch for ch in province if ch.isascii() and (ch.isalnum() or ch == "-"))
    return f"tong-hop-{name}-{rollup.code.lower()}.xlsx"
