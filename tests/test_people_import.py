"""A province's people from an Excel list: the reader, the command, invitations and one-time passwords."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from imports.people_reader import read_people
from imports.people_template import UNITS_SHEET, people_template_workbook
from imports.reader import BadFile
from tests import builders
from tests.data.seed_tables import workbook_bytes
from units.models import CommuneKind, Membership, PasswordChangeRequired, Role, Unit

User = get_user_model()
HEADER = ["STT", "Họ và tên", "Tên đăng nhập", "Email", "Xã/phường", "Đơn vị", "Vai trò"]
NEW_PASSWORD = "Mat-khau-rieng-2026"


def person(n, name="Nguyễn Văn An", login="an.nghiadan", email="an@nghiadan.gov.vn", **kw):
    row = {
        "commune": "xã Nghĩa Đàn",
        "unit": "Phòng Kinh tế",
        "role": "Cán bộ",
    } | kw
    return [str(n), name, login, email, row["commune"], row["unit"], row["role"]]


def xlsx(*rows, header=HEADER, above=()) -> bytes:
    return workbook_bytes({"Người dùng": [*above, header, *rows]})


def run(tmp_path, data: bytes, *args) -> tuple[str, str]:
    path = tmp_path / "nguoi-dung.xlsx"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_users", str(path), "--province", "Nghệ An", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), PasswordChangeRequired.objects.count()


# --- the reader -------------------------------------------------------------------------------------------


def test_reader_finds_the_header_by_name_in_any_order_below_a_title():
    header = ["Vai trò", "Tài khoản", "Họ tên", "Phòng, ban", "Xã/phường", "Số điện thoại", "E-mail"]
    data = xlsx(
        ["Lãnh đạo UBND xã", "an.nd", "Nguyễn Văn An", "Phòng Kinh tế", "Nghĩa Đàn", "0912", "an@x.vn"],
        header=header,
        above=[["DANH SÁCH CÁN BỘ XÃ NGHĨA ĐÀN"]],
    )
    sheet = read_people(data)
    assert not sheet.problems
    (row,) = sheet.rows
    assert (row.row, row.login, row.name, row.email, row.commune, row.unit, row.role) == (
        3,
        "an.nd",
        "Nguyễn Văn An",
        "an@x.vn",
        "Nghĩa Đàn",
        "Phòng Kinh tế",
        Role.LEADER,
    )


@pytest.mark.parametrize(
    "header",
    [
        ["Họ và tên", "Tên đăng nhập", "Email", "Xã", "Đơn vị", "Vai trò"],
        ["HỌ TÊN", "TÀI KHOẢN", "THƯ ĐIỆN TỬ", "XÃ/PHƯỜNG", "ĐƠN VỊ CÔNG TÁC", "CHỨC VỤ"],
        ["Ho ten", "Ten dang nhap", "Dia chi email", "Xa, phuong", "Phong ban", "Quyen"],
        ["Họ và tên cán bộ", "Username", "E-mail", "Đơn vị hành chính cấp xã", "Cơ quan, đơn vị", "Vai trò"],
    ],
    ids=["plain", "capitals", "no-diacritics", "other-words"],
)
def test_reader_knows_the_header_variants(header):
    (row,) = read_people(
        xlsx(["Nguyễn Văn An", "an.nd", "an@x.vn", "Nghĩa Đàn", "Phòng Kinh tế", "cán bộ"], header=header)
    ).rows
    assert (row.name, row.login, row.email, row.commune, row.unit, row.role) == (
        "Nguyễn Văn An",
        "an.nd",
        "an@x.vn",
        "Nghĩa Đàn",
        "Phòng Kinh tế",
        Role.STAFF,
    )


def test_reader_names_a_required_column_the_header_lacks():
    sheet = read_people(
        xlsx(["An", "an.nd", "Nghĩa Đàn", "Phòng Kinh tế"], header=["Họ tên", "Tài khoản", "Xã", "Đơn vị"])
    )
    (problem,) = sheet.problems
    assert problem.row == 1 and "«Vai trò»" in problem.expected


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("Cán bộ", Role.STAFF),
        ("cán bộ", Role.STAFF),
        ("chuyên viên", Role.STAFF),
        ("Lãnh đạo đơn vị", Role.HEAD),
        ("Trưởng phòng", Role.HEAD),
        ("thẩm định", Role.REVIEWER),
        ("Thẩm định (Phòng Văn hóa - Xã hội)", Role.REVIEWER),
        ("Lãnh đạo UBND", Role.LEADER),
        ("lãnh đạo xã", Role.LEADER),
        ("Phó Chủ tịch UBND phường", Role.LEADER),
        ("LANH DAO UBND XA", Role.LEADER),
    ],
)
def test_reader_accepts_the_role_words(word, role):
    (row,) = read_people(xlsx(person(1, role=word))).rows
    assert row.role == role


def test_reader_refuses_an_ambiguous_role_word():
    sheet = read_people(xlsx(person(1, role="Lãnh đạo")))
    (problem,) = sheet.problems
    assert problem.row == 2 and problem.column.startswith("G") and problem.found == "Lãnh đạo"
    assert "Lãnh đạo đơn vị" in problem.expected and "Lãnh đạo UBND" in problem.expected


def test_reader_refuses_a_file_without_a_people_header():
    with pytest.raises(BadFile, match="Tên đăng nhập"):
        read_people(workbook_bytes({"Trang 1": [["TT", "Nhiệm vụ"], ["1", "Lắp wifi"]]}))


# --- the command ------------------------------------------------------------------------------------------


def test_several_rows_make_one_person_with_several_memberships(world, tmp_path):
    data = xlsx(
        person(1, unit="Phòng Kinh tế", role="Trưởng phòng"),
        person(2, unit="Trung tâm PVHCC", role="cán bộ"),
        person(3, name="", email="", unit="Phòng VH-XH", role="thẩm định"),
    )
    out, _err = run(tmp_path, data)
    user = User.objects.get(username="an.nghiadan")
    assert (user.first_name, user.last_name, user.email) == ("Nguyễn Văn", "An", "an@nghiadan.gov.vn")
    assert dict(user.memberships.values_list("unit__name", "role")) == {
        "Phòng Kinh tế": Role.HEAD,
        "Trung tâm Phục vụ hành chính công": Role.STAFF,
        "Phòng Văn hóa - Xã hội": Role.REVIEWER,
    }
    assert "Người dùng mới: 1 (1 nhận thư mời, 0 nhận mật khẩu dùng một lần)" in out
    assert len(mail.outbox) == 1


@pytest.fixture
def ward(world):
    """A second commune of Nghệ An, a ward with a unit named like one of Nghĩa Đàn's."""
    ward = builders.commune("Tây Hiếu", "Nghệ An")
    ward.kind = CommuneKind.PHUONG
    ward.save()
    builders.unit(ward, "Phòng Kinh tế, Hạ tầng và Đô thị")
    return ward


BAD_ROWS = {
    "unknown commune": (
        [person(1, commune="xã Nghĩa Đan Mới")],
        "E (Xã/phường)",
        "tên một xã/phường của tỉnh Nghệ An",
    ),
    "commune of another province": ([person(1, commune="Mai Phụ")], "E (Xã/phường)", "tỉnh Nghệ An"),
    "unknown unit": (
        [person(1, unit="Phòng Kinh tế - Hạ tầng")],
        "F (Đơn vị)",
        "gần giống: Phòng Kinh tế",
    ),
    "unit of another commune": (
        [person(1, unit="Phòng Kinh tế, Hạ tầng và Đô thị")],
        "F (Đơn vị)",
        "tên một đơn vị của xã Nghĩa Đàn",
    ),
    "login of another person": (
        [person(1, login="clerk", name="Trần Thị Bình", email="binh@nghiadan.gov.vn")],
        "C (Tên đăng nhập)",
        "đã là tài khoản của một người khác",
    ),
    "two names for one login": (
        [person(1), person(2, name="Nguyễn Văn Anh", unit="Trung tâm PVHCC")],
        "B (Họ và tên)",
        "cùng họ tên và email như dòng 3",
    ),
    "two emails for one login": (
        [person(1), person(2, email="an2@nghiadan.gov.vn", unit="Trung tâm PVHCC")],
        "D (Email)",
        "cùng họ tên và email như dòng 3",
    ),
    "two roles in one unit": (
        [person(1), person(2, role="Trưởng phòng")],
        "G (Vai trò)",
        "một vai trò cho mỗi người ở mỗi đơn vị",
    ),
    "bad email": ([person(1, email="an@@nghiadan")], "D (Email)", "một địa chỉ email"),
    "unknown role": ([person(1, role="Văn thư")], "G (Vai trò)", "một vai trò"),
    "missing name": ([person(1, name="")], "B (Họ và tên)", "họ và tên"),
    "missing login": ([person(1, login="")], "C (Tên đăng nhập)", "tên đăng nhập"),
    "login with a space": ([person(1, login="nguyen van an")], "C (Tên đăng nhập)", "không có dấu cách"),
    "login with a slash": ([person(1, login="an/nghiadan")], "C (Tên đăng nhập)", "chỉ gồm chữ, số"),
}


def run_refused(tmp_path, data: bytes, *args) -> tuple[CommandError, str]:
    path = tmp_path / "nguoi-dung.xlsx"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_users", str(path), "--province", "Nghệ An", *args, stdout=io.StringIO(), stderr=err
        )
    return refused.value, err.getvalue()


@pytest.mark.parametrize("kind", list(BAD_ROWS))
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_command_reports_each_bad_row_and_writes_nothing(world, ward, tmp_path, kind, dry_run):
    rows, column, expected = BAD_ROWS[kind]
    good = person(9, name="Lê Văn Cường", login="cuong.nghiadan", email="")
    before = counts()
    error, err = run_refused(tmp_path, xlsx(good, *rows), *(["--dry-run"] if dry_run else []))
    assert error.returncode == 1 and "lỗi" in str(error)
    assert counts() == before and not mail.outbox
    assert f"cột {column}" in err and expected in err, err


def test_commune_is_found_with_or_without_its_kind_and_diacritics(world, ward, tmp_path):
    data = xlsx(
        person(1, login="a1", name="Người Một", email="", commune="Nghĩa Đàn"),
        person(2, login="a2", name="Người Hai", email="", commune="XA NGHIA DAN"),
        person(
            3,
            login="a3",
            name="Người Ba",
            email="",
            commune="phường Tây Hiếu",
            unit="Phòng Kinh tế, Hạ tầng và Đô thị",
        ),
    )
    run(tmp_path, data)
    assert (
        Membership.objects.filter(user__username__in=["a1", "a2"], unit__commune=world.commune).count() == 2
    )
    assert Membership.objects.get(user__username="a3").unit.commune == ward


def test_an_existing_login_of_the_same_person_gains_memberships(world, tmp_path):
    world.clerk.first_name, world.clerk.last_name, world.clerk.email = (
        "Nguyễn Văn",
        "An",
        "an@nghiadan.gov.vn",
    )
    world.clerk.save()
    data = xlsx(
        person(1, login="clerk", unit="Trung tâm PVHCC", role="Cán bộ"),  # already there: kept
        person(2, login="clerk", unit="Phòng Kinh tế", role="Cán bộ"),
    )
    version = world.commune.data_version
    out, _err = run(tmp_path, data)
    assert "Người đã có tài khoản được thêm vào đơn vị: 1 (1 lượt)" in out
    world.commune.refresh_from_db()
    assert world.commune.data_version > version, "the clerk's cached pages were drawn for one unit only"
    assert set(world.clerk.memberships.values_list("unit__name", flat=True)) == {
        "Trung tâm Phục vụ hành chính công",
        "Phòng Kinh tế",
    }
    assert not PasswordChangeRequired.objects.filter(user=world.clerk).exists() and not mail.outbox
    # Run again: nothing left to do, no problem.
    out, _err = run(tmp_path, data)
    assert "Đã có sẵn, giữ nguyên: 2 lượt" in out


def test_dry_run_writes_nothing(world, tmp_path):
    before = counts()
    out, _err = run(tmp_path, xlsx(person(1)), "--dry-run")
    assert "Chạy thử: chưa ghi gì." in out and "+ an.nghiadan – Nguyễn Văn An" in out
    assert counts() == before and not mail.outbox


# --- invitations and one-time passwords -------------------------------------------------------------------


def _link(message) -> str:
    found = re.search(r"https?://[^/\s]+(/dang-nhap/dat-mat-khau/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_thirty_people_get_one_invitation_each_whose_link_works_once(world, client, tmp_path, settings):
    settings.SITE_URL = "https://cds.nghean.gov.vn"
    rows = [
        person(n, name=f"Cán Bộ Số {n}", login=f"canbo{n}", email=f"canbo{n}@nghiadan.gov.vn", unit=unit)
        for n in range(1, 31)
        for unit in (["Phòng Kinh tế", "Trung tâm PVHCC"] if n % 3 == 0 else ["Phòng Kinh tế"])
    ]
    out, _err = run(tmp_path, xlsx(*rows))
    assert "Đã tạo 30 người dùng; đã gửi 30 thư mời." in out
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"canbo{n}@nghiadan.gov.vn" for n in range(1, 31))
    assert User.objects.get(username="canbo3").memberships.count() == 2
    message = next(m for m in mail.outbox if m.to == ["canbo7@nghiadan.gov.vn"])
    assert "Mời sử dụng" in message.subject and "canbo7" in message.body
    assert "https://cds.nghean.gov.vn/dang-nhap/dat-mat-khau/" in message.body

    # Nobody knows the password chosen for an invited person.
    assert not client.login(username="canbo7", password="")
    form_page = client.get(_link(message), follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user = User.objects.get(username="canbo7")
    assert user.check_password(NEW_PASSWORD)

    again = client.get(_link(message), follow=True)
    assert not again.context["validlink"] and "không còn dùng được" in again.content.decode()

    # The link set the password: the first login goes straight in, and the flag is gone.
    assert _login(client, "canbo7", NEW_PASSWORD).status_code == 302
    assert client.get(reverse("alerts:list")).status_code == 200
    assert not PasswordChangeRequired.objects.filter(user=user).exists()


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _one_time_password(out: str, login: str) -> str:
    found = re.search(rf"^\s+{re.escape(login)}\t(\S+)$", out, re.MULTILINE)
    assert found, out
    return found.group(1)


def test_a_person_without_email_gets_a_one_time_password_that_works_once(world, client, tmp_path):
    out, _err = run(tmp_path, xlsx(person(1, email="")))
    secret = _one_time_password(out, "an.nghiadan")
    assert not mail.outbox
    user = User.objects.get(username="an.nghiadan")
    assert secret not in user.password  # only its hash is stored

    response = _login(client, "an.nghiadan", secret)
    assert response.status_code == 302
    forced = client.get(reverse("tracking:my_work"))
    assert forced.status_code == 302 and forced["Location"] == reverse("imports:first_password")
    page = client.get(reverse("imports:first_password"))
    assert "Đặt mật khẩu của bạn" in page.content.decode()

    # The password was spent by that first login: another browser cannot use it again.
    other = client_class_login(client, "an.nghiadan", secret)
    assert other is False

    saved = client.post(
        reverse("imports:first_password"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved.status_code == 302 and saved["Location"] == reverse("home")
    assert client.get(reverse("tracking:my_work")).status_code == 200
    assert not PasswordChangeRequired.objects.filter(user=user).exists()
    client.post(reverse("logout"))
    assert _login(client, "an.nghiadan", secret).status_code == 200  # the form again: refused
    assert _login(client, "an.nghiadan", NEW_PASSWORD).status_code == 302


def client_class_login(client, username, password) -> bool:
    """A login from a second browser, leaving the first one's session alone."""
    other = client.__class__()
    return _login(other, username, password).status_code == 302


def test_every_page_sends_a_flagged_person_to_the_new_password_page_until_it_is_set(world, client, tmp_path):
    out, _err = run(tmp_path, xlsx(person(1, email="")))
    _login(client, "an.nghiadan", _one_time_password(out, "an.nghiadan"))
    target = reverse("imports:first_password")
    for url in [
        reverse("home"),
        reverse("tracking:my_work"),
        reverse("tracking:plan_list"),
        reverse("alerts:list"),
        reverse("password_change"),
        reverse("imports:people_upload"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == target, url
    assert client.get("/static/css/app.css").status_code == 200
    # A weak password is refused with Django's messages and the flag stays.
    weak = client.post(target, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and PasswordChangeRequired.objects.exists()
    assert client.get(reverse("home"))["Location"] == target
    # Logout works from the forced page.
    logout = client.post(reverse("logout"))
    assert logout.status_code == 302
    assert client.get(reverse("tracking:my_work"))["Location"].startswith(reverse("login"))


def test_a_password_set_any_other_way_ends_the_flag(world, client, tmp_path):
    run(tmp_path, xlsx(person(1, email="")))
    user = User.objects.get(username="an.nghiadan")
    user.set_password(NEW_PASSWORD)  # as the admin site or a shell would
    user.save()
    assert _login(client, "an.nghiadan", NEW_PASSWORD).status_code == 302
    assert client.get(reverse("tracking:my_work")).status_code == 200
    assert not PasswordChangeRequired.objects.filter(user=user).exists()


def test_people_without_a_flag_cost_no_query_for_it(world, client):
    client.force_login(world.clerk)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("alerts:list"))
    assert not [q for q in queries.captured_queries if "passwordchangerequired" in q["sql"]]


# --- the template -----------------------------------------------------------------------------------------


def test_template_lists_units_as_text_never_as_formulas(world):
    formula = Unit.objects.create(commune=world.commune, name='=HYPERLINK("http://x","bấm")', match_key="x")
    units = Unit.objects.filter(commune=world.commune).select_related("commune").order_by("name")
    wb = load_workbook(io.BytesIO(people_template_workbook(units)))
    cells = {row[1].value: row[1] for row in wb[UNITS_SHEET].iter_rows(min_row=2)}
    cell = cells[formula.name]
    assert cell.data_type == "s" and cell.quotePrefix
    assert "Hướng dẫn" in wb.sheetnames
    guide = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Trưởng phòng" in guide and "Lãnh đạo UBND xã" in guide
    # The blank template reads back as a people list with no one on it yet.
    with pytest.raises(BadFile, match="chưa có người nào"):
        read_people(people_template_workbook(units))
