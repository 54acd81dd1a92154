from common.text import unit_key
from units.models import Commune, Unit
from units.scope import scope_for


def unit_lookup(commune: Commune) -> dict[str, Unit]:
    """Every spelling of the commune's units, keyed by its matching key."""
    lookup: dict[str, Unit] = {}
    for unit in Unit.objects.for_commune(commune):
        for spelling in unit.spellings():
            lookup.setdefault(unit_key(spelling), unit)
    return lookup


def member_communes(user) -> list[Commune]:
    """The communes the user works in, in a fixed order (the first is the one My work shows)."""
    return list(Commune.objects.filter(pk__in=scope_for(user).member_commune_ids).order_by("pk"))
