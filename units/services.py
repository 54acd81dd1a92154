from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.text import clean_text, match_unit, split_unit_cell, unit_key
from units.kinds import guess_unit_kind
from units.models import Commune, Membership, Province, Unit, UnitKind
from units.scope import scope_for

R = TypeVar("R")
U = TypeVar("U")


def unit_derive(*, unit: Unit) -> Unit:
    """Set the matching key from the name: it keeps two spellings of one office from becoming two units."""
    unit.match_key = unit_key(unit.name)
    return unit


def unit_build(
    *,
    commune: Commune,
    name: str,
    short_name: str = "",
    kind: str = UnitKind.OFFICE,
    aliases: Iterable[str] = (),
) -> Unit:
    """An unsaved unit with its texts cleaned and its matching key set."""
    unit = Unit(
        commune=commune,
        name=clean_text(name),
        short_name=clean_text(short_name),
        kind=kind,
        aliases="\n".join(alias for alias in map(clean_text, aliases) if alias),
    )
    return unit_derive(unit=unit)


@transaction.atomic
def unit_create(
    *,
    commune: Commune,
    name: str,
    short_name: str = "",
    kind: str = UnitKind.OFFICE,
    aliases: Iterable[str] = (),
) -> Unit:
    return unit_save(
        unit=unit_build(commune=commune, name=name, short_name=short_name, kind=kind, aliases=aliases)
    )


def unit_check_name(*, unit: Unit) -> None:
    """Refuse a name that another unit of the commune already goes by (same matching key), with a message."""
    taken = (
        Unit.objects.filter(commune_id=unit.commune_id, match_key=unit.match_key).exclude(pk=unit.pk).first()
    )
    if taken is not None:
        message = (
            f"Đơn vị «{taken.name}» đã tồn tại trong xã; «{unit.name}» là một cách viết khác của đơn vị đó."
        )
        raise ValidationError({"name": message})


@transaction.atomic
def unit_save(*, unit: Unit) -> Unit:
    """Store a unit made or edited as a whole (the app, the admin form, the admin import): texts cleaned, its
    matching key derived and checked."""
    unit.name, unit.short_name = clean_text(unit.name), clean_text(unit.short_name)
    unit.aliases = "\n".join(alias for alias in map(clean_text, unit.aliases.splitlines()) if alias)
    unit_check_name(unit=unit_derive(unit=unit))
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_add_alias(*, unit: Unit, alias: str) -> Unit:
    alias = clean_text(alias)
    if not alias:
        raise ValidationError({"aliases": "Cách viết không được để trống."})
    if unit_key(alias) not in {unit_key(spelling) for spelling in unit.spellings()}:
        unit.aliases = "\n".join([*unit.alias_list, alias])
        unit.full_clean()
        unit.save(update_fields=["aliases"])
    return unit


def resolve_unit_cell(cell: str, lookup: Mapping[str, Unit]) -> list[tuple[str, Unit | None]]:
    """Split a lead/coordinating/monitoring cell into mentions, each with the unit it names.

    The words are always kept; a mention that names no known unit keeps `None` rather than being dropped.
    """
    return [(mention, match_unit(mention, lookup)) for mention in split_unit_cell(cell, lookup.keys())]


def resolve_unit_cells(
    cells: Iterable[tuple[R, str]], lookup: Mapping[str, Unit]
) -> list[tuple[R, str, Unit | None]]:
    """(role, mention, unit) of every mention in the (role, cell) pairs, in the cells' order."""
    return [
        (role, mention, unit) for role, cell in cells for mention, unit in resolve_unit_cell(cell, lookup)
    ]


def number_mentions(mentions: Iterable[tuple[R, str, U]]) -> Iterator[tuple[R, int, str, U]]:
    """Number (role, words, unit) mentions within their role from 0, as assignment rows keep their order."""
    positions: Counter = Counter()
    for role, text, unit in mentions:
        yield role, positions[role], text, unit
        positions[role] += 1


@dataclass(frozen=True)
class PastedUnit:
    """One line of a pasted list of units, as the preview shows it before anything is saved."""

    line: int
    name: str
    kind: str
    # The unit of the commune this name is another spelling of, or the earlier line of the list.
    existing: Unit | None = None
    repeats_line: int | None = None

    @property
    def is_new(self) -> bool:
        return self.existing is None and self.repeats_line is None


def units_paste_preview(*, commune: Commune, rows: Iterable[tuple[str, str | None]]) -> list[PastedUnit]:
    """Read (name, kind or None) rows: blank names skipped, the kind guessed where none is given, and each
    name that another unit of the commune or an earlier row already goes by (same matching key) marked."""
    taken: dict[str, Unit] = {}
    for unit in Unit.objects.for_commune(commune):
        for spelling in unit.spellings():
            taken.setdefault(unit_key(spelling), unit)
    seen: dict[str, int] = {}
    preview = []
    for number, (raw_name, kind) in enumerate(rows, start=1):
        name = clean_text(raw_name)
        key = unit_key(name)
        if not key:
            continue
        chosen = kind if kind in UnitKind.values else guess_unit_kind(name)
        preview.append(
            PastedUnit(
                line=number, name=name, kind=chosen, existing=taken.get(key), repeats_line=seen.get(key)
            )
        )
        seen.setdefault(key, number)
    return preview


@transaction.atomic
def units_create_many(*, commune: Commune, rows: Iterable[tuple[str, str | None]]) -> list[Unit]:
    """Create the new units of a pasted list, all or none; repeated names and other spellings of existing
    units are left out, as the preview showed them."""
    return [
        unit_create(commune=commune, name=row.name, kind=row.kind)
        for row in units_paste_preview(commune=commune, rows=rows)
        if row.is_new
    ]


@transaction.atomic
def commune_create(*, province: Province, name: str, kind: str, code: str = "") -> Commune:
    """A new commune of the province. A name the province already has for that kind is refused with a
    message, compared as unit names are (case, spacing, dashes and tone placement ignored), and so is an
    official code another commune of the province carries: both are typing slips, never a second commune."""
    commune = Commune(province=province, name=clean_text(name), kind=kind, code=clean_text(code))
    key = unit_key(commune.name)
    for other in Commune.objects.filter(province=province).only("name", "kind", "code"):
        if other.kind == commune.kind and unit_key(other.name) == key:
            raise ValidationError({"name": f"{_named(other)} đã có trong {province}."})
        if commune.code and other.code == commune.code:
            raise ValidationError({"code": f"Mã {commune.code} đã là mã của {other}."})
    commune.full_clean()
    try:
        with transaction.atomic():
            commune.save()
    except IntegrityError as error:  # the same commune created by another request in between
        raise ValidationError({"name": f"{_named(commune)} đã có trong {province}."}) from error
    return commune


def _named(commune: Commune) -> str:
    """`Xã Nghĩa Đàn`, as a message begins."""
    return f"{commune.get_kind_display()} {commune.name}"


@transaction.atomic
def membership_add(*, user: AbstractBaseUser, unit: Unit, role: str) -> Membership:
    """Give a person one more unit (one person may hold several); one role per unit."""
    held = Membership.objects.filter(user=user, unit=unit).first()
    if held is not None:
        raise ValidationError(
            {"unit": f"Người này đã thuộc {unit.name} ({held.get_role_display()}); mỗi đơn vị một vai trò."}
        )
    membership = Membership(user=user, unit=unit, role=role)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take a unit from a person, never their last one in the commune: a person who left is deactivated
    instead (person_set_active), so the people page still lists them with their history."""
    others = Membership.objects.filter(
        user_id=membership.user_id, unit__commune_id=membership.unit.commune_id
    )
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(
            "Đây là đơn vị cuối cùng của người này trong xã. Nếu người này đã nghỉ, hãy khóa tài khoản."
        )
    membership.delete()


@transaction.atomic
def person_set_active(*, person: AbstractBaseUser, active: bool, actor: AbstractBaseUser) -> None:
    """Deactivate a person who left (or bring them back). Only the account's `is_active` changes: their
    memberships, entries and history stay, and they can no longer sign in.

    The account is the person's everywhere, so only someone who manages every commune the person works in
    may change it; nobody deactivates themselves or a system administrator."""
    if person.pk == actor.pk:
        raise ValidationError("Bạn không thể tự khóa hay mở tài khoản của chính mình.")
    if person.is_superuser:
        raise ValidationError("Tài khoản quản trị hệ thống chỉ được thay đổi trên trang quản trị.")
    scope = scope_for(actor)
    communes = Commune.objects.filter(units__memberships__user=person).distinct()
    if any(not scope.can_manage_commune(commune) for commune in communes):
        raise ValidationError(
            "Người này còn làm việc ở xã khác: chỉ quản trị tỉnh quản lý các xã đó mới khóa được."
        )
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
