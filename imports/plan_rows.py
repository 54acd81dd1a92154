"""Turn the tables read from a workbook into a plan's sections, indicators and tasks, with every problem.

Pure: no database. Units are matched through a lookup (`units.selectors.unit_lookup`), targets and deadlines
go through the same parsers as every other way a plan arrives, so the preview shows what will be stored.
Rows numbered with a Roman numeral open a section; a title with no number under a section opens a subsection,
unless no item row follows it (a title line between two tables such as `PHỤ LỤC 02` is left out). Items are
numbered as printed (`1`, `a)`) or bulleted (`-`, `+`, `•`: no number). A table with a `Loại dòng` column (the
export writes one when the numbers cannot tell) says which rows are groups; every other row is an item.
A goal with no target cell takes its target from its own words (`Tối thiểu 80% hồ sơ …`), never refused.
"""

import dataclasses
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
# What a TT cell holds when it numbers a row: `IV`, `3`, `7.1`, `a)`, `b.`.
_NUMBER_LIKE = re.compile(r"(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?", re.I)
_ROMAN_LEAD = re.compile(r"(?P<number>[IVXLC]+)[.)]?\s+(?P<title>\S.*)", re.S)
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
    # Every figure a goal's sentence states when its target was read from it (`100% hồ sơ …; tối thiểu 30%
    # tài liệu …`): with more than one the reviewer may split the goal into one indicator per figure.
    figures: tuple[str, ...] = ()

    @property
    def split_key(self) -> str:
        """Names the row in the confirmation's choices: the same bytes give the same sheet and row."""
        return f"{self.sheet}!{self.row}"

    @property
    def splittable(self) -> bool:
        return len(self.figures) > 1

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
    # (year printed, plan's year) when a goals table has a target column of another year only
    # (`Mục tiêu 2026` for a 2027 plan): read as the plan's year, once the person importing says so.
    year_question: tuple[int, int] | None = None
    # The year whose column the person chose to read as the plan's, when some table needed it.
    year_read: int | None = None

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

    def splittable(self) -> list[ItemDraft]:
        """Goals whose sentence states several figures, in the file's order."""
        return [item for item in self.items(TableKind.INDICATORS) if item.splittable]

    def apply_splits(self, choices: Mapping[str, bool], *, target_year: int) -> None:
        """Split each goal chosen (`split_key` → True) into one indicator per figure; False keeps it whole.

        Raises ValueError, changing nothing, when a choice names a row that has no figures to split: the
        choices come from a form, so they are checked against the file, not trusted.
        """
        rows = {item.split_key: item for item in self.splittable()}
        unknown = [key for key in choices if key not in rows]
        if unknown:
            sheet, _sep, row = unknown[0].rpartition("!")
            raise ValueError(
                f"Không tách được: dòng {row} trang «{sheet}» không phải chỉ tiêu có nhiều con số trong tệp "
                "này. Hãy xem trước lại rồi xác nhận."
            )
        chosen = {id(rows[key]) for key, split in choices.items() if split}
        for section in self.all_sections(TableKind.INDICATORS):
            section.items = [
                part
                for item in section.items
                for part in (split_goal(item, target_year) if id(item) in chosen else [item])
            ]


DEFAULT_SECTION_TITLES = {TableKind.INDICATORS: "Chỉ tiêu", TableKind.TASKS: "Nhiệm vụ"}


def build_plan(
    workbook: Workbook,
    *,
    target_year: int,
    lookup: Mapping[str, object],
    target_column_year: int | None = None,
) -> PlanDraft:
    """Sections and items of every table, the problems that block the import and the warnings that don't.

    A goals table with target columns of other years only reads `target_column_year`'s as the plan's year;
    without it, the latest one is read so and `year_question` asks whether that is right.
    """
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
        year_map = _check_target_columns(table, target_year, draft, target_column_year)
        _build_table(
            table,
            target_year=target_year,
            year_map=year_map,
            resolve=resolve,
            known_names=known_names,
            draft=draft,
        )
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


def _check_target_columns(
    table: Table, target_year: int, draft: PlanDraft, target_column_year: int | None
) -> dict[int, int]:
    """The years whose columns are read as another year's target ({2026: 2027}), for this table."""
    if table.kind != TableKind.INDICATORS:
        return {}
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
        return {}
    if target_year in years:
        return {}
    if target_column_year is None:
        # An exported 2026 plan imported as the 2027 one: its 2026 column is most likely the new target.
        draft.year_question = (max(years), target_year)
        return {max(years): target_year}
    if target_column_year not in years:
        found = ", ".join(f"Mục tiêu {y}" for y in sorted(years))
        draft.problems.append(
            Problem(
                table.sheet,
                table.header_row,
                "",
                found,
                f"cột «Mục tiêu {target_column_year}» (đã chọn đọc làm mục tiêu năm {target_year}), "
                f"hoặc cột «Mục tiêu {target_year}»",
            )
        )
        return {}
    draft.year_read = target_column_year
    return {target_column_year: target_year}


def _is_target_column(col: Column, target_year: int) -> bool:
    # `Kết quả đạt được` is the figure to reach in plans like Định Tiến's; with an earlier year it is last
    # year's actual, the baseline.
    if col.field == Field.TARGET:
        return True
    return col.field == Field.BASELINE and (col.year is None or col.year >= target_year)


def _target_year_of(col: Column, target_year: int) -> int:
    return col.year if col.year is not None else target_year


def _build_table(
    table: Table,
    *,
    target_year: int,
    year_map: dict[int, int],
    resolve,
    known_names: list[str],
    draft: PlanDraft,
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
        others = [f for f in _CONTENT_FIELDS if row.get(f)]
        if not marked:
            raw_number, name = _number_and_name(row, others)
        number = raw_number.rstrip(".").strip() if is_roman(raw_number) else raw_number
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
                year_map=year_map,
                resolve=resolve,
                known=known_names,
                draft=draft,
            )
        )


def _number_and_name(row: Row, others: list[Field]) -> tuple[str, str]:
    """A heading printed across the whole row (a cell merged from the TT column, in Word or Excel) lands in
    the TT column: `DANH MỤC CÁC CHỈ TIÊU …` is a title the document does not number, `I. HẠ TẦNG SỐ` a
    title numbered `I`."""
    number, name = row.get(Field.NUMBER), row.get(Field.NAME)
    if name or others or not number or _NUMBER_LIKE.fullmatch(number) or BULLET.fullmatch(number):
        return number, name
    numbered = _ROMAN_LEAD.fullmatch(number)
    if numbered and is_roman(numbered["number"]):
        return numbered["number"], numbered["title"]
    return "", number


def _item_follows(rows: list[Row], start: int) -> bool:
    """True when the next row that is not a bare title is an item row (so the title heads a subsection)."""
    for row in rows[start:]:
        others = [f for f in _CONTENT_FIELDS if row.get(f)]
        number, name = _number_and_name(row, others)
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
    year_map: dict[int, int],
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
        _read_targets(table, row, item, target_year, year_map, draft)
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


def _read_targets(
    table: Table, row: Row, item: ItemDraft, target_year: int, year_map: dict[int, int], draft: PlanDraft
) -> None:
    for col, text in row.cells.items():
        if not text:
            continue
        if _is_target_column(col, target_year):
            printed_year = _target_year_of(col, target_year)
            year = year_map.get(printed_year, printed_year)
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
_CLAUSE_END = " .,;:"


def split_goal(item: ItemDraft, target_year: int) -> list[ItemDraft]:
    """One indicator per figure of a goal, its target that figure, read by the same parser.

    Named by its own clause when the sentence's clauses (split at `;`) hold one figure each, in order
    (`100% hồ sơ … ; hoàn thành số hóa tối thiểu 30% tài liệu …`); otherwise by the whole sentence and the
    figure it stands for. Numbered `3.1`, `3.2` under a goal numbered `3`; units, note and baseline kept.
    """
    clauses = [c.strip(_CLAUSE_END) for c in item.name.split(";")]
    by_clause = len(clauses) == len(item.figures) and all(
        targets.figures_in_prose(clause) == [figure]
        for clause, figure in zip(clauses, item.figures, strict=True)
    )
    parts = []
    for position, figure in enumerate(item.figures, start=1):
        if by_clause:
            clause = clauses[position - 1]
            name = clause[:1].upper() + clause[1:]
        else:
            name = f"{item.name} (con số {position}/{len(item.figures)}: {figure})"
        parts.append(
            dataclasses.replace(
                item,
                number=f"{item.number}.{position}" if item.number else "",
                name=name,
                targets={**item.targets, target_year: figure},
                mentions=list(item.mentions),
                figures=(),
            )
        )
    return parts


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
        item.figures = tuple(figures)
        others = "; ".join(f"«{f}»" for f in figures[1:])
        draft.warnings.append(
            Problem(
                table.sheet,
                row.number,
                label,
                "; ".join(figures),
                f"một con số cho mỗi chỉ tiêu; mục tiêu là «{figures[0]}», các số khác ({others}) "
                "có thể tách thành chỉ tiêu riêng (chọn ở phần xác nhận)",
            )
        )
