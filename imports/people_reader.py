"""Read a list of people from an .xlsx: one row per person and unit, header found by its column names.

Pure: no database. Columns come in any order and under the names people give them (`Họ và tên`, `Họ tên`;
`Tên đăng nhập`, `Tài khoản`; `Xã/phường`; `Đơn vị`, `Phòng, ban`; `Vai trò`, `Chức vụ`); other columns
(`STT`, `Số điện thoại`, `Ghi chú`) are left alone. Each cell is checked on its own here (a missing name, a
login Django refuses, an email that is no address, a role word nobody knows); what needs the database
(the commune, the unit, logins already taken) is checked by `imports.people`.
"""

import enum
import re
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl.utils import get_column_letter

from common.text import clean_text, fold
from imports.reader import BadFile, Problem, read_sheet_rows
from units.models import Role


class PersonField(enum.StrEnum):
    NAME = "name"
    LOGIN = "login"
    EMAIL = "email"
    COMMUNE = "commune"
    UNIT = "unit"
    ROLE = "role"


FIELD_LABELS = {
    PersonField.NAME: "Họ và tên",
    PersonField.LOGIN: "Tên đăng nhập",
    PersonField.EMAIL: "Email",
    PersonField.COMMUNE: "Xã/phường",
    PersonField.UNIT: "Đơn vị",
    PersonField.ROLE: "Vai trò",
}
REQUIRED = (PersonField.NAME, PersonField.LOGIN, PersonField.COMMUNE, PersonField.UNIT, PersonField.ROLE)

# Header names, folded (no case, no diacritics, punctuation as spaces).
_HEADERS = {
    PersonField.NAME: r"(?:ho (?:va )?ten|ten)(?: (?:can bo|nguoi dung|day du))?",
    PersonField.LOGIN: r"ten dang nhap|tai khoan(?: dang nhap)?|ten tai khoan|username|login",
    PersonField.EMAIL: r"(?:dia chi )?(?:e ?mail|thu dien tu|hop thu(?: dien tu)?)",
    PersonField.COMMUNE: (
        r"(?:ten )?(?:xa|phuong|xa phuong(?: dac khu| thi tran)?)|don vi hanh chinh(?: cap xa)?"
    ),
    PersonField.UNIT: r"(?:ten )?(?:don vi(?: cong tac)?|phong ban(?: don vi)?|co quan(?: don vi)?|bo phan)",
    PersonField.ROLE: r"vai tro|chuc vu|quyen|vai tro chuc vu",
}
_HEADER_PATTERNS = {wanted: re.compile(pattern) for wanted, pattern in _HEADERS.items()}

# The role words accepted, folded; a word that could mean two roles (`lãnh đạo` alone) is refused.
ROLE_WORDS: dict[Role, tuple[str, ...]] = {
    Role.STAFF: (
        "Cán bộ",
        "Cán bộ đơn vị",
        "Công chức",
        "Viên chức",
        "Chuyên viên",
        "Nhân viên",
    ),
    Role.HEAD: (
        "Lãnh đạo đơn vị",
        "Lãnh đạo phòng",
        "Trưởng phòng",
        "Phó trưởng phòng",
        "Trưởng đơn vị",
        "Giám đốc",
        "Phó giám đốc",
        "Trưởng ban",
    ),
    Role.REVIEWER: (
        "Thẩm định",
        "Thẩm định (Phòng Văn hóa - Xã hội)",
        "Người thẩm định",
        "Cán bộ thẩm định",
    ),
    Role.LEADER: (
        "Lãnh đạo UBND",
        "Lãnh đạo UBND xã",
        "Lãnh đạo UBND phường",
        "Lãnh đạo xã",
        "Lãnh đạo phường",
        "Chủ tịch",
        "Phó Chủ tịch",
        "Chủ tịch UBND",
        "Phó Chủ tịch UBND",
    ),
}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


_ROLE_BY_KEY = {_key(word): role for role, words in ROLE_WORDS.items() for word in words}
_ROLE_BY_KEY.update({_key(str(role.label)): role for role in Role})
# `Cán bộ xã`, `Chủ tịch UBND phường`: the commune's kind after any of them.
_ROLE_BY_KEY.update(
    {f"{key} {kind}": role for key, role in list(_ROLE_BY_KEY.items()) for kind in ("xa", "phuong")}
)
EXPECTED_ROLE = "một vai trò: Cán bộ, Lãnh đạo đơn vị (trưởng phòng), Thẩm định hoặc Lãnh đạo UBND xã"


def role_of(text: str) -> Role | None:
    return _ROLE_BY_KEY.get(_key(text))


_login_validator = UnicodeUsernameValidator()
LOGIN_LIMIT = 150  # Django's username column
NAME_LIMIT = 150 + 150  # first and last name columns together


@dataclass
class PersonRow:
    sheet: str
    row: int
    name: str
    login: str
    email: str
    commune: str
    unit: str
    role: Role | None
    columns: dict[PersonField, str]  # column letter and header of each field, for problems


@dataclass
class PeopleSheet:
    rows: list[PersonRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _header(texts: list[str]) -> dict[PersonField, tuple[int, str]] | None:
    found: dict[PersonField, tuple[int, str]] = {}
    for index, text in enumerate(texts):
        if not text or len(text) > 60:
            continue
        key = _key(text)
        for wanted, pattern in _HEADER_PATTERNS.items():
            if wanted not in found and pattern.fullmatch(key):
                found[wanted] = (index, text)
                break
    # A login column and two more known columns make a header; a title line or a note does not.
    if PersonField.LOGIN in found and len(found) >= 3:
        return found
    return None


def _column(index: int, header: str) -> str:
    return f"{get_column_letter(index + 1)} ({header})"


def read_people(data: bytes) -> PeopleSheet:
    """The rows of every sheet with a people header; raises BadFile for a file refused as a whole."""
    out = PeopleSheet()
    tables = 0
    for sheet, rows in read_sheet_rows(data):
        columns: dict[PersonField, tuple[int, str]] | None = None
        for number, texts in rows:
            header = _header(texts)
            if header is not None:
                columns = header
                tables += 1
                missing = [FIELD_LABELS[f] for f in REQUIRED if f not in header]
                if missing:
                    out.problems.append(
                        Problem(
                            sheet,
                            number,
                            "",
                            " | ".join(t for t in texts if t),
                            "dòng tiêu đề có cột " + ", ".join(f"«{label}»" for label in missing),
                        )
                    )
                continue
            if columns is None:
                continue  # a title above the table
            out.rows.append(_person_row(sheet, number, texts, columns, out.problems))
    if not tables:
        raise BadFile(
            "Không tìm thấy dòng tiêu đề của danh sách người dùng. Dòng tiêu đề cần có các cột «Họ và tên», "
            "«Tên đăng nhập», «Email», «Xã/phường», «Đơn vị», «Vai trò» (tải tệp mẫu để xem)."
        )
    if not out.rows:
        raise BadFile("Danh sách chưa có người nào: hãy ghi mỗi người một dòng dưới dòng tiêu đề.")
    return out


def _person_row(
    sheet: str, number: int, texts: list[str], columns: dict[PersonField, tuple[int, str]], problems: list
) -> PersonRow:
    def cell(wanted: PersonField) -> str:
        index = columns[wanted][0] if wanted in columns else None
        return clean_text(texts[index]).replace("\n", " ") if index is not None and index < len(texts) else ""

    labels = {wanted: _column(index, header) for wanted, (index, header) in columns.items()}

    def problem(wanted: PersonField, found: str, expected: str) -> None:
        problems.append(Problem(sheet, number, labels.get(wanted, FIELD_LABELS[wanted]), found, expected))

    row = PersonRow(
        sheet=sheet,
        row=number,
        name=cell(PersonField.NAME),
        login=cell(PersonField.LOGIN),
        email=cell(PersonField.EMAIL),
        commune=cell(PersonField.COMMUNE),
        unit=cell(PersonField.UNIT),
        role=role_of(cell(PersonField.ROLE)),
        columns=labels,
    )
    # A missing name is checked per login (imports.people): the rows after a person's first may leave it out.
    if len(row.name) > NAME_LIMIT:
        problem(PersonField.NAME, row.name[:60] + "…", f"họ và tên tối đa {NAME_LIMIT} ký tự")
    if PersonField.LOGIN in columns:
        _check_login(row.login, problem)
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            problem(PersonField.EMAIL, row.email, "một địa chỉ email, ví dụ ten@xa.gov.vn, hoặc để trống")
    if PersonField.COMMUNE in columns and not row.commune:
        problem(PersonField.COMMUNE, "", "tên xã/phường, ví dụ «xã Nghĩa Đàn»")
    if PersonField.UNIT in columns and not row.unit:
        problem(PersonField.UNIT, "", "tên đơn vị của xã, ví dụ «Phòng Văn hóa - Xã hội»")
    if PersonField.ROLE in columns and row.role is None:
        problem(PersonField.ROLE, cell(PersonField.ROLE), EXPECTED_ROLE)
    return row


def _check_login(login: str, problem) -> None:
    if not login:
        problem(PersonField.LOGIN, "", "tên đăng nhập, ví dụ «nguyenvanan.nghiadan»")
        return
    if len(login) > LOGIN_LIMIT:
        problem(PersonField.LOGIN, login[:60] + "…", f"tên đăng nhập tối đa {LOGIN_LIMIT} ký tự")
        return
    try:
        _login_validator(login)
    except ValidationError:
        problem(
            PersonField.LOGIN,
            login,
            "tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _ (không có dấu cách)",
        )
