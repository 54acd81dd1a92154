from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from common.text import clean_text, match_unit, split_unit_cell, unit_key
from units.models import Commune, Unit, UnitKind


@transaction.atomic
def unit_create(
    *,
    commune: Commune,
    name: str,
    short_name: str = "",
    kind: str = UnitKind.OFFICE,
    aliases: Iterable[str] = (),
) -> Unit:
    name = clean_text(name)
    unit = Unit(
        commune=commune,
        name=name,
        short_name=clean_text(short_name),
        kind=kind,
        aliases="\n".join(clean_text(alias) for alias in aliases if clean_text(alias)),
        match_key=unit_key(name),
    )
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
