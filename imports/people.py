"""Create a province's people from a list: a dry run showing who is created, which memberships are added and
every problem, then one all-or-nothing write; invitations go out after it.

A person may stand on several rows (several units, several roles) under one login. A login that already
exists is the same person when the file's name and email do not contradict the account's: the rows add
memberships to it. New people with an email get an invitation (a link that sets their password once); the
others get a one-time password, shown once to whoever imported them and never stored in clear. Either way the
first login sets a password of their own (`imports.first_password`).
"""

import datetime as dt
import hashlib
import logging
import re
import secrets
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from common.text import clean_text, closest_units, fold, unit_key
from imports.first_password import (
    one_time_password,
    password_change_flag_build,
    random_secret_hash,
)
from imports.models import PeopleBatch
from imports.people_reader import PeopleSheet, PersonField, PersonRow, read_people
from imports.reader import Problem
from pagecache.cache import raise_versions
from units.models import Commune, Membership, PasswordChangeRequired, Province, Role, Unit

User = get_user_model()
logger = logging.getLogger("cds.auth")  # beside the login lines; never a password


class PeopleRefused(Exception):
    """The list still has problems: nothing was written."""

    def __init__(self, result: "PeopleResult") -> None:
        super().__init__(f"{len(result.problems)} lỗi trong tệp; chưa nhập gì.")
        self.result = result


@dataclass
class PlannedMembership:
    unit: Unit
    role: Role
    row: int


@dataclass
class PersonPlan:
    """One login of the file: a new person, or an existing one gaining memberships."""

    login: str
    name: str
    email: str
    first_row: int
    existing: object = None  # the User already holding the login
    memberships: list[PlannedMembership] = field(default_factory=list)
    kept: int = 0  # memberships the person already has, as the file asks

    @property
    def rows(self) -> list[int]:
        return sorted({m.row for m in self.memberships} | {self.first_row})


@dataclass
class CreatedPerson:
    user: object
    one_time_password: str = ""  # shown once, never stored in clear
    invited: bool = False
    invitation_failed: bool = False


@dataclass
class PeopleResult:
    people: list[PersonPlan]
    problems: list[Problem]
    created: list[CreatedPerson] = field(default_factory=list)

    @property
    def new_people(self) -> list[PersonPlan]:
        return [p for p in self.people if p.existing is None]

    @property
    def joining_people(self) -> list[PersonPlan]:
        """Existing people the file gives new memberships."""
        return [p for p in self.people if p.existing is not None and p.memberships]

    def summary_lines(self) -> list[str]:
        new = self.new_people
        with_email = sum(1 for p in new if p.email)
        joining = self.joining_people
        kept = sum(p.kept for p in self.people)
        lines = [
            f"Người dùng mới: {len(new)} ({with_email} nhận thư mời, "
            f"{len(new) - with_email} nhận mật khẩu dùng một lần)",
            f"Người đã có tài khoản được thêm vào đơn vị: {len(joining)} "
            f"({sum(len(p.memberships) for p in joining)} lượt)",
        ]
        if kept:
            lines.append(f"Đã có sẵn, giữ nguyên: {kept} lượt")
        return lines


# --- matching ---------------------------------------------------------------------------------------------

_KIND_PREFIX = re.compile(r"^(xã|phường|đặc khu|xa|phuong|dac khu)\s+(.+)$")


def _fold_key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


class _Communes:
    """The province's communes by name (with or without `xã`/`phường`, with or without diacritics) and by
    code; `allowed` are those the importer manages."""

    def __init__(self, province: Province, allowed: Iterable[Commune] | None) -> None:
        self.province = province
        self.all = list(Commune.objects.filter(province=province).order_by("name"))
        self.allowed = {c.pk for c in (self.all if allowed is None else allowed)}
        self.by_key: dict[str, list[Commune]] = {}
        self.by_fold: dict[str, list[Commune]] = {}
        for commune in self.all:
            self.by_key.setdefault(unit_key(commune.name), []).append(commune)
            self.by_fold.setdefault(_fold_key(commune.name), []).append(commune)
        self.by_code = {commune.code: commune for commune in self.all if commune.code}

    def _named(self, name: str) -> list[Commune]:
        return self.by_key.get(unit_key(name)) or self.by_fold.get(_fold_key(name), [])

    def find(self, text: str) -> tuple[Commune | None, str]:
        """The commune a cell names, or None and what was expected instead."""
        if text in self.by_code:
            return self.by_code[text], ""
        found = self._named(text)
        prefix = _KIND_PREFIX.match(clean_text(text).casefold())
        if prefix and self._named(prefix.group(2)):
            kind = _fold_key(prefix.group(1)).replace(" ", "_")  # the CommuneKind values: xa, phuong, dac_khu
            found = [c for c in self._named(prefix.group(2)) if c.kind == kind]
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            names = ", ".join(str(c) for c in found)
            return None, f"ghi rõ tên (xã hay phường, đủ dấu): tỉnh có {names}"
        near = closest_units(text, [str(c) for c in self.all])
        hint = f"; gần giống: {', '.join(near)}" if near else ""
        return None, f"tên một xã/phường của {self.province}{hint}"


class _Units:
    """Active units of the communes by the matching key of their name, short name and aliases."""

    def __init__(self, communes: list[Commune]) -> None:
        self.lookups: dict[int, dict[str, Unit]] = {c.pk: {} for c in communes}
        self.names: dict[int, list[str]] = {c.pk: [] for c in communes}
        units = Unit.objects.active().filter(commune__in=communes).order_by("name")
        for unit in units:
            self.names[unit.commune_id].append(unit.name)
            for spelling in unit.spellings():
                self.lookups[unit.commune_id].setdefault(unit_key(spelling), unit)

    def find(self, commune: Commune, text: str) -> tuple[Unit | None, str]:
        # The whole name, short name or an alias: a list of people names its units in full, and the plan
        # import's generosity (`Phòng Kinh tế, Hạ tầng…` read as `Phòng Kinh tế` plus words) would misplace
        # a person.
        unit = self.lookups[commune.pk].get(unit_key(text))
        if unit is not None:
            return unit, ""
        near = closest_units(text, self.names[commune.pk])
        if near:
            return None, f"tên một đơn vị của {commune}; gần giống: {'; '.join(near)}"
        return None, f"tên một đơn vị của {commune} ({commune} chưa có đơn vị nào)"


def _same_text(a: str, b: str) -> bool:
    return clean_text(a).casefold() == clean_text(b).casefold()


def _contradicts(name: str, email: str, other_name: str, other_email: str) -> bool:
    """Two descriptions of one login contradict when both give a name, or both an email, that differ."""
    return bool(
        (name and other_name and not _same_text(name, other_name))
        or (email and other_email and not _same_text(email, other_email))
    )


def _same_person(row: PersonRow, account) -> bool:
    """An existing account is the row's person when its name or email is the row's and neither differs."""
    name, email = account.get_full_name(), account.email
    agrees = (row.name and name and _same_text(row.name, name)) or (
        row.email and email and _same_text(row.email, email)
    )
    return bool(agrees) and not _contradicts(row.name, row.email, name, email)


def _plan(
    sheet: PeopleSheet, province: Province, allowed: Iterable[Commune] | None
) -> tuple[list[PersonPlan], list[Problem]]:
    problems = list(sheet.problems)
    communes = _Communes(province, allowed)
    units = _Units(communes.all)
    logins = {row.login.casefold() for row in sheet.rows if row.login}
    existing = {
        user.login: user
        for user in User.objects.annotate(login=Lower("username")).filter(login__in=[*logins])
    }
    people: dict[str, PersonPlan] = {}
    firsts: dict[str, PersonRow] = {}  # the first row of each login
    wanted: dict[tuple[str, int], tuple[Role, PersonRow]] = {}
    for row in sheet.rows:

        def problem(wanted_field: PersonField, found: str, expected: str, row=row) -> None:
            column = row.columns.get(wanted_field, "")
            problems.append(Problem(row.sheet, row.row, column, found, expected))

        unit = _row_unit(row, communes, units, problem)
        if not row.login:
            continue
        key = row.login.casefold()
        person = people.get(key)
        if person is None:
            firsts[key] = row
            account = existing.get(key)
            person = people[key] = PersonPlan(row.login, row.name, row.email, row.row, existing=account)
            if account is not None and not _same_person(row, account):
                problem(
                    PersonField.LOGIN,
                    row.login,
                    "một tên đăng nhập chưa có ai dùng: tên này đã là tài khoản của một người khác "
                    "(khác họ tên hoặc email, hoặc tài khoản không ghi họ tên, email để đối chiếu)",
                )
        elif _contradicts(row.name, row.email, person.name, person.email):
            which = PersonField.NAME if not _same_text(row.name, person.name) else PersonField.EMAIL
            problem(
                which,
                row.name if which == PersonField.NAME else row.email,
                f"cùng họ tên và email như dòng {person.first_row} cho tên đăng nhập «{person.login}», "
                "hoặc một tên đăng nhập khác",
            )
        else:
            person.name, person.email = person.name or row.name, person.email or row.email
        if unit is None or row.role is None:
            continue
        earlier = wanted.get((key, unit.pk))
        if earlier is not None:
            if earlier[0] != row.role:
                problem(
                    PersonField.ROLE,
                    str(row.role.label),
                    f"một vai trò cho mỗi người ở mỗi đơn vị: dòng {earlier[1].row} đã ghi "
                    f"«{earlier[0].label}» tại {unit}",
                )
            continue
        wanted[key, unit.pk] = (row.role, row)
        person.memberships.append(PlannedMembership(unit, row.role, row.row))
    for person in people.values():
        if not person.name and person.existing is None:
            first = firsts[person.login.casefold()]
            problems.append(
                Problem(first.sheet, first.row, first.columns.get(PersonField.NAME, ""), "", "họ và tên")
            )
    _drop_kept_memberships(people.values(), problems, wanted)
    problems.sort(key=lambda p: (p.sheet, p.row or 0))  # in the file's order, whichever check found them
    return list(people.values()), problems


def _row_unit(row: PersonRow, communes: _Communes, units: _Units, problem) -> Unit | None:
    """The unit a row places its person in, inside the importer's communes; else None, the problem noted."""
    if not row.commune:
        return None
    commune, expected = communes.find(row.commune)
    if commune is None:
        problem(PersonField.COMMUNE, row.commune, expected)
        return None
    if commune.pk not in communes.allowed:
        problem(PersonField.COMMUNE, row.commune, _allowed_text(communes))
        return None
    if not row.unit:
        return None
    unit, expected = units.find(commune, row.unit)
    if unit is None:
        problem(PersonField.UNIT, row.unit, expected)
    return unit


def _allowed_text(communes: _Communes) -> str:
    names = [str(c) for c in communes.all if c.pk in communes.allowed]
    if len(names) <= 3:
        return f"xã/phường bạn quản lý: {', '.join(names)}"
    return f"một xã/phường bạn quản lý của {communes.province}"


def _drop_kept_memberships(people: Iterable[PersonPlan], problems: list[Problem], wanted) -> None:
    """Memberships an existing person already has are kept as they are; another role there is a problem."""
    accounts = {p.existing.pk: p for p in people if p.existing is not None}
    if not accounts:
        return
    held = {
        (m.user_id, m.unit_id): m
        for m in Membership.objects.filter(user_id__in=list(accounts)).select_related("unit")
    }
    for user_id, person in accounts.items():
        keep = []
        for planned in person.memberships:
            current = held.get((user_id, planned.unit.pk))
            if current is None:
                keep.append(planned)
                continue
            person.kept += 1
            if current.role != planned.role:
                row = wanted[person.login.casefold(), planned.unit.pk][1]
                problems.append(
                    Problem(
                        row.sheet,
                        row.row,
                        row.columns.get(PersonField.ROLE, ""),
                        str(planned.role.label),
                        f"«{current.get_role_display()}»: «{person.login}» đã có vai trò này tại "
                        f"{planned.unit}; đổi vai trò ở trang quản lý người dùng",
                    )
                )
        person.memberships = keep


# --- the one door -----------------------------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    """`Nguyễn Văn An` → (`Nguyễn Văn`, `An`): Django keeps the given name last, as Vietnamese prints it."""
    words = clean_text(name).split()
    if len(words) < 2:
        return "", " ".join(words)
    return " ".join(words[:-1]), words[-1]


def _new_user(person: PersonPlan) -> tuple[object, str]:
    first, last = _split_name(person.name)
    user = User(
        username=clean_text(person.login), email=clean_text(person.email), first_name=first, last_name=last
    )
    # No one knows an invited person's password: the invitation link (or «Quên mật khẩu») sets it.
    secret = "" if person.email else one_time_password()
    user.password = random_secret_hash(secret or secrets.token_urlsafe(24))
    user.full_clean(validate_unique=False)  # the logins were looked up together; the constraint stays
    return user, secret


def people_import(
    *,
    province: Province,
    sheet: PeopleSheet,
    communes: Iterable[Commune] | None = None,
    dry_run: bool = True,
) -> PeopleResult:
    """Compare the list with the province's people (rows may name only `communes`, or any commune of the
    province); write it unless `dry_run`. Invitations are sent by `people_invite` once the write is committed.

    Raises PeopleRefused, having written nothing, when the list has problems.
    """
    people, problems = _plan(sheet, province, communes)
    result = PeopleResult(people, problems)
    if dry_run:
        return result
    if problems:
        raise PeopleRefused(result)
    try:
        with transaction.atomic():
            result.created = _write(people)
            logger.info(
                "people imported province=%s created=%d memberships=%d",
                province.pk,
                len(result.created),
                sum(len(p.memberships) for p in people),
            )
    except IntegrityError as error:
        # Another import took one of the logins since the preview.
        result.problems.append(
            Problem("", None, "", "tên đăng nhập vừa được tạo ở nơi khác", "xem trước lại rồi xác nhận")
        )
        raise PeopleRefused(result) from error
    return result


def _write(people: list[PersonPlan]) -> list[CreatedPerson]:
    created, users = [], []
    for person in people:
        if person.existing is None:
            user, secret = _new_user(person)
            users.append(user)
            created.append(CreatedPerson(user=user, one_time_password=secret))
    User.objects.bulk_create(users, batch_size=500)
    by_login = {user.username.casefold(): user for user in users}
    PasswordChangeRequired.objects.bulk_create(
        [password_change_flag_build(user=c.user, one_time=bool(c.one_time_password)) for c in created],
        batch_size=500,
    )
    memberships = [
        Membership(user=person.existing or by_login[person.login.casefold()], unit=m.unit, role=m.role)
        for person in people
        for m in person.memberships
    ]
    Membership.objects.bulk_create(memberships, batch_size=1000)
    # An existing person's cached pages were drawn for their old units: a new membership makes them stale.
    raise_versions(Commune.objects.filter(pk__in={m.unit.commune_id for m in memberships}))
    return created


def person_invite(*, user, connection=None) -> None:
    """Email a new person the link that sets their password (Django's reset link: it works once)."""
    context = {
        "user": user,
        "link": settings.SITE_URL.rstrip("/")
        + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        ),
        "login_link": settings.SITE_URL.rstrip("/") + reverse("login"),
    }
    subject = render_to_string("registration/invitation_subject.txt", context).strip()
    body = render_to_string("registration/invitation_email.txt", context)
    EmailMessage(subject, body, to=[user.email], connection=connection).send()


def people_invite(*, created: list[CreatedPerson]) -> None:
    """Invite every new person with an email over one connection; a refused message is marked, not fatal
    (the person can still use «Quên mật khẩu»)."""
    invitees = [c for c in created if c.user.email]
    if not invitees:
        return
    with get_connection() as connection:
        for person in invitees:
            try:
                person_invite(user=person.user, connection=connection)
            except (smtplib.SMTPException, OSError):
                person.invitation_failed = True
            else:
                person.invited = True


# --- uploaded batches -------------------------------------------------------------------------------------


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def people_batch_create(
    *, province: Province, commune: Commune | None, user, upload_name: str, data: bytes
) -> PeopleBatch:
    """Store an upload that passed the file checks; the preview and the confirmation read it back."""
    batch = PeopleBatch(
        province=province,
        commune=commune,
        user=user,
        original_name=clean_text(upload_name)[:255] or "nguoi-dung.xlsx",
        sha256=file_sha256(data),
    )
    batch.file.save("upload.xlsx", ContentFile(data), save=False)
    try:
        batch.full_clean()
        batch.save()
    except BaseException:
        batch.file.storage.delete(batch.file.name)  # the rolled-back row would name it no more
        raise
    return batch


def people_batch_import(*, batch: PeopleBatch, dry_run: bool, expected_sha256: str = "") -> PeopleResult:
    """Preview or confirm an uploaded list; the confirmation must name the hash of what was previewed.
    Invitations go out once the people are committed."""
    with batch.file.open("rb") as handle:
        data = handle.read()
    if file_sha256(data) != batch.sha256 or (not dry_run and expected_sha256 != batch.sha256):
        raise ValueError("Tệp đã thay đổi so với bản đã xem trước. Hãy tải tệp lên lại.")
    sheet = read_people(data)
    communes = [batch.commune] if batch.commune_id else None
    with transaction.atomic():
        if not dry_run:
            # A double click sends two confirmations: the second waits here, then sees the first one's mark.
            batch = PeopleBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.imported_at is not None:
                raise ValueError("Tệp này đã được nhập rồi; không nhập lại lần nữa.")
        result = people_import(province=batch.province, sheet=sheet, communes=communes, dry_run=dry_run)
        if not dry_run:
            batch.imported_at = dt.datetime.now(tz=dt.UTC)
            batch.save(update_fields=["imported_at"])
    if not dry_run:
        people_invite(created=result.created)
    return result
