from units.models import Commune, Unit
from units.text import unit_key


def unit_lookup(commune: Commune) -> dict[str, Unit]:
    """Every spelling of the commune's units, keyed by its matching key."""
    lookup: dict[str, Unit] = {}
    for unit in Unit.objects.for_commune(commune):
        for spelling in unit.spellings():
            lookup.setdefault(unit_key(spelling), unit)
    return lookup
