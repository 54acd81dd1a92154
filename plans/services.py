import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction

from common.text import clean_text, match_unit
from plans.models import Plan, PlanKind, PlanStatus, Section
from plans.pillars import pillar_for_heading
from plans.workflow import Pillar
from units.models import Commune


def plan_build(
    *,
    commune: Commune,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    target_year: int,
    kind: str = PlanKind.ANNUAL,
    number: str = "",
    issue_date: dt.date | None = None,
    place: str = "",
    legal_bases: Iterable[str] = (),
    general_objective: str = "",
    signer_authority: str = "",
    signer_title: str = "",
    signer_name: str = "",
    recipients: Iterable[str] = (),
    status: str = PlanStatus.ISSUED,
    source: str = "",
) -> Plan:
    """An unsaved plan with its texts cleaned; `legal_bases` and `recipients` are given a line each."""
    return Plan(
        commune=commune,
        number=clean_text(number),
        issue_date=issue_date,
        place=clean_text(place),
        title=clean_text(title),
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        target_year=target_year,
        legal_bases="\n".join(clean_text(line) for line in legal_bases),
        general_objective=clean_text(general_objective),
        signer_authority=clean_text(signer_authority),
        signer_title=clean_text(signer_title),
        signer_name=clean_text(signer_name),
        recipients="\n".join(clean_text(line) for line in recipients),
        status=status,
        source=source,
    )


_PLAN_TEXTS = [
    "number",
    "place",
    "title",
    "general_objective",
    "signer_authority",
    "signer_title",
    "signer_name",
]


@transaction.atomic
def plan_save(*, plan: Plan) -> Plan:
    """Store a plan header made or edited as a whole (seed loader, Excel import, roll-over, admin import)."""
    for name in _PLAN_TEXTS:
        setattr(plan, name, clean_text(getattr(plan, name)))
    plan.full_clean()
    plan.save()
    return plan


def section_build(
    *,
    plan: Plan,
    kind: str,
    order: int,
    number: str = "",
    title: str,
    lookup: Mapping[str, object],
    parent: Section | None = None,
) -> Section:
    """An unsaved section whose pillar is read from its title; `lookup` maps unit keys to units."""
    title = clean_text(title)
    # Sections of duties are headed by a unit's name (`Phòng Kinh tế, Hạ tầng và Đô thị`), not by a pillar.
    own_pillar = Pillar.OTHER if match_unit(title, lookup) is not None else pillar_for_heading(title)
    return Section(
        plan=plan,
        kind=kind,
        order=order,
        number=clean_text(number),
        title=title,
        # A subsection inherits its group's pillar unless its own title names one.
        pillar=parent.pillar if parent is not None and own_pillar == Pillar.OTHER else own_pillar,
        parent=parent,
    )


def section_create(
    *,
    plan: Plan,
    kind: str,
    order: int,
    data: dict,
    lookup: Mapping[str, object],
    parent: Section | None = None,
) -> Section:
    section = section_build(
        plan=plan,
        kind=kind,
        order=order,
        number=data.get("number", ""),
        title=data["title"],
        lookup=lookup,
        parent=parent,
    )
    section.full_clean()
    section.save()
    return section
