"""Build the appendix tables of a seed plan (fixtures/plans/*.json) as an .xlsx, the way a commune keeps them.

Written with openpyxl directly, not with the app's exporter, so a round trip through import and export is
checked against an independent source. `layout="printed"` copies the columns the Nghĩa Đàn document prints
(`TT | Chỉ tiêu | Mục tiêu 2026 | Đơn vị chủ trì tham mưu`); `layout="full"` has every column the exporter
writes, in the same order.
"""

import io
import json
from pathlib import Path

from openpyxl import Workbook

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "plans"


def seed_document(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _groups(section: dict, key: str):
    yield [section["number"], section["title"]], section.get(key, [])
    for sub in section.get("subsections", []):
        yield [sub["number"], sub["title"]], sub.get(key, [])


def indicator_table(document: dict, layout: str = "full") -> list[list[str]]:
    year = document["plan"]["target_year"]
    baseline_years = sorted(
        {
            row["baseline"]["year"]
            for section in document["indicator_sections"]
            for _heading, rows in _groups(section, "indicators")
            for row in rows
            if row.get("baseline")
        }
    )
    if layout == "printed":
        header = ["TT", "Chỉ tiêu", f"Mục tiêu\n{year}", "Đơn vị chủ trì\ntham mưu"]
    else:
        header = [
            "TT",
            "Chỉ tiêu",
            *[f"Kết quả đạt được năm {y}" for y in baseline_years],
            f"Mục tiêu {year}",
            "Đơn vị chủ trì (tham mưu)",
            "Cơ quan phối hợp",
            "Ghi chú",
        ]
    table = [header]
    for section in document["indicator_sections"]:
        for heading, rows in _groups(section, "indicators"):
            table.append(heading)
            for row in rows:
                baseline = row.get("baseline") or {}
                if layout == "printed":
                    table.append([row["number"], row["name"], row["target"], row["lead"]])
                else:
                    table.append(
                        [
                            row["number"],
                            row["name"],
                            *[
                                baseline.get("text", "") if baseline.get("year") == y else ""
                                for y in baseline_years
                            ],
                            row["target"],
                            row["lead"],
                            row["coordinating"],
                            row["note"],
                        ]
                    )
    return table


def task_table(document: dict, layout: str = "full") -> list[list[str]]:
    if layout == "printed":
        header = [
            "TT",
            "Nhiệm vụ",
            "Đơn vị chủ trì\ntham mưu",
            "Cơ quan\ntheo dõi,\ntổng hợp",
            "Thời\ngian\nhoàn\nthành",
        ]
    else:
        header = [
            "TT",
            "Nhiệm vụ",
            "Đơn vị chủ trì (tham mưu)",
            "Cơ quan phối hợp",
            "Cơ quan theo dõi, tổng hợp",
            "Thời gian hoàn thành",
            "Ghi chú",
        ]
    table = [header]
    for section in document["task_sections"]:
        for heading, rows in _groups(section, "tasks"):
            table.append(heading)
            for row in rows:
                if layout == "printed":
                    table.append(
                        [row["number"], row["description"], row["lead"], row["monitoring"], row["deadline"]]
                    )
                else:
                    table.append(
                        [
                            row["number"],
                            row["description"],
                            row["lead"],
                            row["coordinating"],
                            row["monitoring"],
                            row["deadline"],
                            row["note"],
                        ]
                    )
    return table


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with one sheet per entry; empty strings are left as empty cells."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value not in ("", None):
                    ws.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def seed_workbook(name: str, layout: str = "full") -> bytes:
    document = seed_document(name)
    sheets = {}
    if any(s.get("indicators") or s.get("subsections") for s in document["indicator_sections"]):
        sheets["Chỉ tiêu"] = indicator_table(document, layout)
    if document["task_sections"]:
        sheets["Nhiệm vụ"] = task_table(document, layout)
    return workbook_bytes(sheets)
