import datetime as dt
from collections.abc import Mapping

from common.text import clean_text, match_unit
from plans.models import Plan, Section
from plans.pillars import pillar_for_heading
from plans.workflow import Pillar
from units.models import Unit


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def section_create(
    *,
    plan: Plan,
    kind: str,
    order: int,
    data: dict,
    lookup: Mapping[str, Unit],
    parent: Section | None = None,
) -> Section:
    title = clean_text(data["title"])
    # Sections of duties are headed by a unit's name (`Phòng Kinh tế, Hạ tầng và Đô thị`), not by a pillar.
    own_pillar = Pillar.OTHER if match_unit(title, lookup) else pillar_for_heading(title)
    section = Section(
        plan=plan,
        kind=kind,
        order=order,
        number=clean_text(data.get("number", "")),
        title=title,
        # A subsection inherits its group's pillar unless its own title names one.
        pillar=parent.pillar if parent is not None and own_pillar == Pillar.OTHER else own_pillar,
        parent=parent,
    )
    section.full_clean()
    section.save()
    return section
