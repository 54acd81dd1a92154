"""Turn the tables read from a workbook into a plan's sections, indicators and tasks, with every problem.

Pure: no database. Units are matched through a lookup (`units.selectors.unit_lookup`), targets and deadlines
go through the same parsers as every other way a plan arrives, so the preview shows what will be stored.
Rows numbered with a Roman numeral open a section; a title with no number under a section opens a subsection,
unless no item row follows it (a title line between two tables such as `PHỤ LỤC 02` is left out). Items are
numbered as printed (`1`, `a)`) or bulleted (`-`, `+`, `•`: no number). A table with a `Loại dòng` column (the
export writes one when the numbers cannot tell) says which rows are groups; every other row is an item.
A goal with no target cell takes its target from its own words (`Tối thiểu 80% hồ sơ …`), never refused.
"""

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from common.text import clean_text, closest_units, fold, shorten
from imports.reader import (
    ROW_KIND_GROUP,
    ROW_KIND_SUBGROUP,
    Column,
    Field,
    Problem,
    Row,
    Table,
    TableKind,
    Workbook,
    is_roman,
)
from indicators import targets
from indicators.targets import ParsedTarget, TargetKind
from tasks import deadlines
from tasks.deadlines import DeadlineKind, ParsedDeadline
from units.services import resolve_unit_cell

# A plan repeats the same targets, deadlines and unit cells on many rows; the parsers are pure, so each
# distinct text is read once (their results are frozen dataclasses, safe to share).
parse_target = functools.lru_cache(maxsize=4096)(targets.parse_target)
parse_deadline = functools.lru_cache(maxsize=4096)(deadlines.parse_deadline)

# Field lengths of the models the rows end up in (Indicator/Task/Target/assignments).
_MAX_NUMBER = 20
_MAX_SHORT = 255
_MAX_BASELINE = 200

FIELD_LABELS = {
    Field.NUMBER: "TT",
    Field.NAME: "Chỉ tiêu / Nhiệm vụ",
    Field.TARGET: "Mục tiêu",
    Field.BASELINE: "Kết quả đạt được",
    Field.LEAD: "Đơn vị chủ trì",
    Field.COORDINATING: "Cơ quan phối hợp",
    Field.MONITORING: "Cơ quan theo dõi, tổng hợp",
    Field.DEADLINE: "Thời gian hoàn thành",
    Field.NOTE: "Ghi chú",
    Field.ROW_KIND: "Loại dòng",
}
_GROUP_KINDS = {fold(ROW_KIND_GROUP): "group", fold(ROW_KIND_SUBGROUP): "subgroup"}
# A bullet in the TT column, or before the text when TT is empty, marks an item without a number.
BULLET = re.compile(r"[-+•◦▪●○*–—]")
LEADING_BULLET = re.compile(r"^[-+•◦▪●○*–—]\s+")
_CONTENT_FIELDS = [f for f in Field if f not in (Field.NUMBER, Field.NAME, Field.ROW_KIND)]
_UNIT_FIELDS = (Field.LEAD, Field.COORDINATING, Field.MONITORING)


@dataclass
class Mention:
    role: Field
    text: str
    unit: object | None  # the Unit the words name, None when they name no known unit

    @property
    def unit_name(self) -> str:
        return str(self.unit) if self.unit is not None else ""


@dataclass
class ItemDraft:
    kind: TableKind
    sheet: str
    row: int
    number: str
    name: str
    lead: str = ""
    coordinating: str = ""
    monitoring: str = ""
    note: str = ""
    targets: dict[int, str] = field(default_factory=dict)
    baseline_year: int | None = None
    baseline_text: str = ""
    deadline: str = ""
    mentions: list[Mention] = field(default_factory=list)

    def parsed_targets(self) -> dict[int, ParsedTarget]:
        return {year: parse_target(text) for year, text in self.targets.items()}

    def parsed_deadline(self) -> ParsedDeadline:
        return parse_deadline(self.deadline)


@dataclass
class SectionDraft:
    kind: TableKind
    sheet: str
    row: int | None
    number: str
    title: str
    parent: "SectionDraft | None" = None
    items: list[ItemDraft] = field(default_factory=list)
    subsections: list["SectionDraft"] = field(default_factory=list)


@dataclass
class PlanDraft:
    sections: dict[TableKind, list[SectionDraft]]
    problems: list[Problem]
    warnings: list[Problem]
    skipped: list[Problem]

    @property
    def kinds(self) -> list[TableKind]:
        return [kind for kind, sections in self.sections.items() if sections]

    def all_sections(self, kind: TableKind) -> list[SectionDraft]:
        out = []
        for section in self.sections[kind]:
            out.append(section)
            out.extend(section.subsections)
        return out

    def items(self, kind: TableKind) -> list[ItemDraft]:
        return [item for section in self.all_sections(kind) for item in section.items]


DEFAULT_SECTION_TITLES = {TableKind.INDICATORS: "Chỉ tiêu", TableKind.TASKS: "Nhiệm vụ"}


def build_plan(workbook: Workbook, *, target_year: int, lookup: Mapping[str, object]) -> PlanDraft:
    """Sections and items of every table, the problems that block the import and the warnings that don't."""
    draft = PlanDraft(
        sections={TableKind.INDICATORS: [], TableKind.TASKS: []},
        problems=list(workbook.problems),
        warnings=[],
        skipped=list(workbook.skipped),
    )
    known_names = sorted({str(unit) for unit in lookup.values()})

    @functools.cache
    def resolve(cell: str) -> tuple:
        # The same unit cell comes back on many rows; split and match it once per import.
        return tuple(resolve_unit_cell(cell, lookup))

    for table in workbook.tables:
        _check_target_columns(table, target_year, draft)
        _build_table(table, target_year=target_year, resolve=resolve, known_names=known_names, draft=draft)
    if not any(draft.items(kind) for kind in (TableKind.INDICATORS, TableKind.TASKS)):
        draft.problems.append(
            Problem(
                "",
                None,
                "",
                "tệp không có dòng chỉ tiêu hay nhiệm vụ nào",
                "ít nhất một chỉ tiêu hoặc nhiệm vụ dưới dòng tiêu đề cột (tệp mẫu còn trống không tạo được "
                "kế hoạch)",
            )
        )
    for kind in (TableKind.INDICATORS, TableKind.TASKS):
        tables = workbook.tables_of(kind)
        if len(tables) > 1 and draft.sections[kind]:
            sheets = ", ".join(f"«{t.sheet}» dòng {t.header_row}" for t in tables)
            draft.warnings.append(
                Problem("", None, "", sheets, f"một bảng {_kind_label(kind)}; các bảng được nối tiếp nhau")
            )
    return draft


def _kind_label(kind: TableKind) -> str:
    return "chỉ tiêu" if kind == TableKind.INDICATORS else "nhiệm vụ"


def _check_target_columns(table: Table, target_year: int, draft: PlanDraft) -> None:
    if table.kind != TableKind.INDICATORS:
        return
    years = {
        _target_year_of(col, target_year) for col in table.columns if _is_target_column(col, target_year)
    }
    if not years:
        # Goals printed as prose (`Tối thiểu 80% hồ sơ …`): each row's target is read from its own text.
        draft.warnings.append(
            Problem(
                table.sheet,
                table.header_row,
                "",
                "bảng không có cột mục tiêu",
                f"cột «Mục tiêu {target_year}»; mục tiêu của từng dòng được lấy từ chính nội dung chỉ tiêu",
            )
        )
    elif target_year not in years:
        found = ", ".join(f"Mục tiêu {y}" for y in sorted(years))
        draft.problems.append(
            Problem(
                table.sheet,
                table.header_row,
                "",
                found,
                f"cột «Mục tiêu {target_year}» của kế hoạch năm {target_year}",
            )
        )


def _is_target_column(col: Column, target_year: int) -> bool:
    # `Kết quả đạt được` is the figure to reach in plans like Định Tiến's; with an earlier year it is last
    # year's actual, the baseline.
    if col.field == Field.TARGET:
        return True
    return col.field == Field.BASELINE and (col.year is None or col.year >= target_year)


def _target_year_of(col: Column, target_year: int) -> int:
    return col.year if col.year is not None else target_year


def _build_table(
    table: Table, *, target_year: int, resolve, known_names: list[str], draft: PlanDraft
) -> None:
    sections = draft.sections[table.kind]
    current: SectionDraft | None = sections[-1] if sections else None
    top: SectionDraft | None = (current.parent or current) if current else None
    marked = any(col.field == Field.ROW_KIND for col in table.columns)
    for position, row in enumerate(table.rows):
        raw_number = row.get(Field.NUMBER)
        name = row.get(Field.NAME)
        if marked:
            group = _GROUP_KINDS.get(fold(row.get(Field.ROW_KIND)))
            if group == "subgroup" and top is not None:
                current = SectionDraft(table.kind, table.sheet, row.number, raw_number, name, parent=top)
                top.subsections.append(current)
                continue
            if group is not None:
                top = current = SectionDraft(table.kind, table.sheet, row.number, raw_number, name)
                sections.append(top)
                if not name:
                    draft.problems.append(_problem(table, row, Field.NAME, "", "tên nhóm"))
                continue
        number = raw_number.rstrip(".").strip() if is_roman(raw_number) else raw_number
        others = [f for f in _CONTENT_FIELDS if row.get(f)]
        bulleted = False
        if not marked and BULLET.fullmatch(number):
            number, bulleted = "", True
        elif not marked and not number and LEADING_BULLET.match(name):
            name, bulleted = LEADING_BULLET.sub("", name), True
        # With a `Loại dòng` column every row that is not a group is an item; without it, the printed number
        # and the filled cells tell.
        if not marked and is_roman(number):
            top = SectionDraft(table.kind, table.sheet, row.number, number, name or "")
            if not name:
                draft.problems.append(_problem(table, row, Field.NAME, "", "tên nhóm sau số La Mã"))
            sections.append(top)
            current = top
            continue
        if not marked and not bulleted and not number and name and not others:
            if _item_follows(table.rows, position + 1):
                if top is None or top.number == "":
                    # No Roman-numbered group above: a titled group of its own.
                    top = SectionDraft(table.kind, table.sheet, row.number, "", name)
                    sections.append(top)
                    current = top
                else:
                    current = SectionDraft(table.kind, table.sheet, row.number, "", name, parent=top)
                    top.subsections.append(current)
            else:
                draft.skipped.append(
                    Problem(table.sheet, row.number, "", name, "dòng tiêu đề ngoài bảng (bỏ qua)")
                )
            continue
        if not name:
            draft.problems.append(
                _problem(table, row, Field.NAME, " | ".join(row.get(f) for f in others) or number, "nội dung")
            )
            continue
        if current is None:
            top = current = SectionDraft(
                table.kind, table.sheet, None, "", DEFAULT_SECTION_TITLES[table.kind]
            )
            sections.append(current)
        current.items.append(
            _item(
                table,
                row,
                number=number,
                name=name,
                target_year=target_year,
                resolve=resolve,
                known=known_names,
                draft=draft,
            )
        )


def _item_follows(rows: list[Row], start: int) -> bool:
    """True when the next row that is not a bare title is an item row (so the title heads a subsection)."""
    for row in rows[start:]:
        number, name = row.get(Field.NUMBER), row.get(Field.NAME)
        others = [f for f in _CONTENT_FIELDS if row.get(f)]
        if is_roman(number):
            return False
        if BULLET.fullmatch(number) or (not number and LEADING_BULLET.match(name)):
            return True
        if not number and name and not others:
            continue
        return bool(name)
    return False


def _problem(table: Table, row: Row, wanted: Field, found: str, expected: str, **extra) -> Problem:
    column = table.column_label(wanted) or FIELD_LABELS[wanted]
    return Problem(table.sheet, row.number, column, found, expected, **extra)


def _check_length(table, row, wanted: Field, text: str, limit: int, draft: PlanDraft) -> None:
    if len(text) > limit:
        draft.problems.append(
            _problem(table, row, wanted, text[:60] + "…", f"tối đa {limit} ký tự (ô có {len(text)} ký tự)")
        )


def _item(
    table: Table,
    row: Row,
    *,
    number: str,
    name: str,
    target_year: int,
    resolve,
    known: list[str],
    draft: PlanDraft,
) -> ItemDraft:
    item = ItemDraft(
        kind=table.kind,
        sheet=table.sheet,
        row=row.number,
        number=number,
        name=name,
        lead=row.get(Field.LEAD),
        coordinating=row.get(Field.COORDINATING),
        monitoring=row.get(Field.MONITORING) if table.kind == TableKind.TASKS else "",
        note=row.get(Field.NOTE),
        deadline=row.get(Field.DEADLINE) if table.kind == TableKind.TASKS else "",
    )
    _check_length(table, row, Field.NUMBER, number, _MAX_NUMBER, draft)
    if table.kind == TableKind.INDICATORS:
        _read_targets(table, row, item, target_year, draft)
    else:
        _check_length(table, row, Field.DEADLINE, item.deadline, _MAX_SHORT, draft)
        if item.deadline and item.parsed_deadline().kind == DeadlineKind.TEXT:
            draft.warnings.append(
                _problem(
                    table,
                    row,
                    Field.DEADLINE,
                    item.deadline,
                    "một thời hạn như «Quý 1/2026», «Tháng 10/2026», «Trước ngày 20/12/2026», "
                    "«Thường xuyên»; "
                    "được giữ nguyên văn, không tính quá hạn",
                )
            )
    for role in _UNIT_FIELDS:
        cell = getattr(item, role.value)
        for mention, unit in resolve(cell):
            item.mentions.append(Mention(role, mention, unit))
            if len(mention) > _MAX_SHORT:
                _check_length(table, row, role, mention, _MAX_SHORT, draft)
            elif unit is None:
                suggestions = tuple(closest_units(mention, known))
                hint = f" (gần giống: {'; '.join(suggestions)})" if suggestions else ""
                draft.problems.append(
                    _problem(
                        table,
                        row,
                        role,
                        mention,
                        f"tên một đơn vị của xã{hint}",
                        unknown_unit=mention,
                        suggestions=suggestions,
                    )
                )
    return item


def _read_targets(table: Table, row: Row, item: ItemDraft, target_year: int, draft: PlanDraft) -> None:
    for col, text in row.cells.items():
        if not text:
            continue
        if _is_target_column(col, target_year):
            year = _target_year_of(col, target_year)
            _check_length(table, row, Field.TARGET, text, _MAX_SHORT, draft)
            item.targets[year] = clean_text(text)
            if year == target_year and parse_target(text).kind == TargetKind.TEXT:
                draft.warnings.append(
                    Problem(
                        table.sheet,
                        row.number,
                        col.label(),
                        text,
                        "một mục tiêu như «100%», «≥50%», «50-80%», «Đạt», «400 dịch vụ công trực tuyến»; "
                        "được giữ nguyên văn để người thẩm định đánh giá",
                    )
                )
        elif col.field == Field.BASELINE:
            if item.baseline_text:
                draft.problems.append(
                    Problem(
                        table.sheet, row.number, col.label(), text, "chỉ một cột kết quả năm trước có số liệu"
                    )
                )
                continue
            _check_length(table, row, Field.BASELINE, text, _MAX_BASELINE, draft)
            item.baseline_year, item.baseline_text = col.year, clean_text(text)
    if target_year not in item.targets:
        _target_from_name(table, row, item, target_year, draft)


_NO_FIGURE_TARGET = "Hoàn thành"


def _target_from_name(table: Table, row: Row, item: ItemDraft, target_year: int, draft: PlanDraft) -> None:
    """The target a goal states in its own words; `Hoàn thành` when it states no figure. Never refused."""
    figures = targets.figures_in_prose(item.name)
    label = table.column_label(Field.NAME)
    if not figures:
        item.targets[target_year] = _NO_FIGURE_TARGET
        draft.warnings.append(
            Problem(
                table.sheet,
                row.number,
                label,
                shorten(item.name, 80),
                f"một con số làm mục tiêu; không có nên ghi mục tiêu «{_NO_FIGURE_TARGET}» (Đạt/Chưa đạt)",
            )
        )
        return
    item.targets[target_year] = figures[0]
    if len(figures) > 1:
        others = "; ".join(f"«{f}»" for f in figures[1:])
        draft.warnings.append(
            Problem(
                table.sheet,
                row.number,
                label,
                "; ".join(figures),
                f"một con số cho mỗi chỉ tiêu; mục tiêu là «{figures[0]}», các số khác ({others}) "
                "có thể tách thành chỉ tiêu riêng",
            )
        )
