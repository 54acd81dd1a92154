"""Every write to the catalogue and its links: entries, the Excel import, suggestions, confirmations.

Each function validates (full_clean), writes in one transaction and marks the pages that show the data as
changed (pagecache.cache.raise_versions): a province administrator's request touches no commune of their own,
so the request middleware would not.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalogue.models import (
    ALLOWED_AGGREGATIONS,
    Aggregation,
    CatalogueEntry,
    CatalogueImport,
    IndicatorLink,
    LinkState,
    Measure,
)
from catalogue.sheet import CODE_LIMIT, SOURCE_LIMIT, TARGET_LIMIT, EntryRow, read_catalogue
from catalogue.suggest import Candidate, key_words, name_score, suggest
from common.text import clean_text, fold
from indicators.models import Indicator
from indicators.targets import parse_target
from pagecache.cache import raise_versions
from plans.models import Plan
from plans.workflow import Pillar
from units.models import Commune, Province

# A suggestion at least this close, and this far ahead of the next entry, is clear enough to confirm
# without a person (the seed loader does; the links page still shows who confirmed what).
CLEAR_SCORE = 85
CLEAR_MARGIN = 10
# Below this a suggestion is shown as weak on the links page.
WEAK_SCORE = 75


def _province_changed(province: Province) -> None:
    raise_versions(Commune.objects.filter(province=province))


def _choice(text: str, choices: type, extra: dict[str, str] | None = None) -> str | None:
    """The choice a typed label names: its value, its label, or a short form, compared folded."""
    folded = fold(text)
    names = {fold(str(label)): value for value, label in choices.choices}
    names |= {fold(value): value for value in choices.values}
    names |= {fold(k): v for k, v in (extra or {}).items()}
    return names.get(folded)


_MEASURE_WORDS = {"tỷ lệ": Measure.PERCENT, "tỉ lệ": Measure.PERCENT, "%": Measure.PERCENT}
_MEASURE_WORDS |= {"số": Measure.COUNT, "có/không": Measure.YES_NO, "đạt": Measure.YES_NO}
_AGGREGATION_WORDS = {"tỷ lệ": Aggregation.RATE, "tổng": Aggregation.SUM, "trung bình": Aggregation.MEAN}
_AGGREGATION_WORDS |= {"tỷ lệ xã đạt": Aggregation.SHARE_ACHIEVING, "số xã đạt": Aggregation.SHARE_ACHIEVING}


@transaction.atomic
def catalogue_entry_save(
    *,
    province: Province,
    code: str,
    name: str,
    pillar: str,
    measure: str,
    aggregation: str,
    source: str = "",
    target_text: str = "",
    order: int | None = None,
    entry: CatalogueEntry | None = None,
) -> CatalogueEntry:
    """Add an entry to the province's catalogue, or change `entry`; the target is parsed as a plan's is."""
    if entry is not None and entry.province_id != province.pk:
        raise ValidationError("Chỉ tiêu chung này thuộc tỉnh khác.")
    entry = entry or CatalogueEntry(province=province)
    entry.code = clean_text(code).upper()
    entry.name = clean_text(name)
    entry.pillar = pillar or Pillar.OTHER
    entry.measure = measure
    entry.aggregation = aggregation
    entry.source = clean_text(source)
    _set_target(entry, target_text)
    if order is not None:
        entry.order = order
    elif entry.pk is None:
        last = CatalogueEntry.objects.filter(province=province).order_by("-order").first()
        entry.order = (last.order if last else 0) + 1
    entry.refresh_folded_name()
    entry.full_clean()
    entry.save()
    _province_changed(province)
    return entry


def _set_target(entry: CatalogueEntry, text: str) -> None:
    text = clean_text(text)
    parsed = parse_target(text) if text else None
    entry.target_text = parsed.raw if parsed else ""
    entry.target_kind = parsed.kind if parsed else ""
    entry.target_comparator = (parsed.comparator or "") if parsed else ""
    entry.target_value = parsed.value if parsed else None
    entry.target_min = parsed.min_value if parsed else None
    entry.target_max = parsed.max_value if parsed else None
    entry.target_unit = parsed.unit if parsed else ""


# -- Import from Excel ------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    row: int
    code: str
    name: str
    action: str  # "create" or "update"
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[ImportRow]

    @property
    def problems(self) -> list[tuple[int, str]]:
        return [(row.row, problem) for row in self.rows for problem in row.problems]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems


def _row_values(row: EntryRow, seen: dict[str, int]) -> ImportRow:
    raw = row.values
    code = clean_text(raw["code"]).upper()
    problems = list(row.problems)
    if not code:
        problems.append("Thiếu mã chỉ tiêu.")
    elif len(code) > CODE_LIMIT or not all(ch.isalnum() or ch in "-_." for ch in code):
        problems.append(f"Mã «{code[:40]}» chỉ gồm chữ, số, dấu - _ . và tối đa {CODE_LIMIT} ký tự.")
    elif code in seen:
        problems.append(f"Mã «{code}» trùng với dòng {seen[code]}.")
    else:
        seen[code] = row.row
    if not raw["name"]:
        problems.append("Thiếu tên chỉ tiêu.")
    pillar = _choice(raw["pillar"], Pillar) if raw["pillar"] else Pillar.OTHER
    if pillar is None:
        problems.append(f"Trụ cột «{raw['pillar'][:60]}» không có trong danh sách trụ cột.")
    measure = _choice(raw["measure"], Measure, _MEASURE_WORDS)
    if measure is None:
        problems.append(
            f"«Đo bằng» phải là Tỷ lệ, Số lượng hoặc Đạt/Chưa đạt (đã ghi «{raw['measure'][:60]}»)."
        )
    aggregation = _choice(raw["aggregation"], Aggregation, _AGGREGATION_WORDS)
    if aggregation is None:
        problems.append(
            "«Cách tổng hợp» phải là Tỷ lệ (từ tổng tử số, mẫu số), Tổng cộng, Tỷ lệ xã đạt hoặc Trung bình "
            f"cộng (đã ghi «{raw['aggregation'][:60]}»)."
        )
    if measure and aggregation and aggregation not in ALLOWED_AGGREGATIONS[measure]:
        problems.append(
            f"Chỉ tiêu đo bằng «{Measure(measure).label}» không tổng hợp được theo "
            f"«{Aggregation(aggregation).label}»."
        )
    if len(raw["source"]) > SOURCE_LIMIT:
        problems.append(f"Nguồn dài quá {SOURCE_LIMIT} ký tự.")
    if len(raw["target"]) > TARGET_LIMIT:
        problems.append(f"Mục tiêu dài quá {TARGET_LIMIT} ký tự.")
    values = {
        "code": code,
        "name": clean_text(raw["name"]),
        "pillar": pillar or "",
        "measure": measure or "",
        "aggregation": aggregation or "",
        "source": raw["source"],
        "target_text": raw["target"],
    }
    return ImportRow(row.row, code, values["name"], "create", values, problems)


def catalogue_import_plan(*, province: Province, data: bytes) -> ImportPlan:
    """What importing these bytes would do, row by row, with every problem; writes nothing.

    Raises catalogue.sheet.BadCatalogueFile when the file as a whole cannot be read.
    """
    seen: dict[str, int] = {}
    rows = [_row_values(row, seen) for row in read_catalogue(data)]
    existing = set(CatalogueEntry.objects.filter(province=province).values_list("code", flat=True))
    for row in rows:
        if row.code in existing:
            row.action = "update"
    return ImportPlan(rows)


def catalogue_import_create(*, province: Province, user, upload_name: str, data: bytes) -> CatalogueImport:
    batch = CatalogueImport(
        province=province,
        user=user,
        data=data,
        original_name=clean_text(upload_name)[:255] or "danh-muc.xlsx",
        sha256=hashlib.sha256(data).hexdigest(),
    )
    batch.full_clean()
    batch.save()
    return batch


class ImportRefused(Exception):
    """The confirmation cannot go ahead; the message says why in Vietnamese."""


@transaction.atomic
def catalogue_import(*, batch: CatalogueImport, sha256: str) -> ImportPlan:
    """Write every row of the previewed file, or nothing: a single problem refuses the whole file."""
    batch = CatalogueImport.objects.select_for_update().get(pk=batch.pk)
    if batch.imported_at is not None:
        raise ImportRefused("Tệp này đã được nhập.")
    if sha256 != batch.sha256:
        raise ImportRefused("Tệp xác nhận khác tệp đã xem trước. Hãy tải lên và xem trước lại.")
    plan = catalogue_import_plan(province=batch.province, data=bytes(batch.data))
    if not plan.ok:
        raise ImportRefused("Tệp còn lỗi: hãy sửa các dòng được chỉ ra rồi tải lên lại. Chưa ghi gì.")
    existing = {e.code: e for e in CatalogueEntry.objects.filter(province=batch.province)}
    last = max((e.order for e in existing.values()), default=0)
    for row in plan.rows:
        entry = existing.get(row.code)
        if entry is None:
            last += 1
        catalogue_entry_save(
            province=batch.province,
            entry=entry,
            order=entry.order if entry else last,
            **row.values,
        )
    batch.imported_at = timezone.now()
    batch.save(update_fields=["imported_at"])
    return plan


# -- Links -------------------------------------------------------------------------------------------------


def _commune_changed(indicator: Indicator) -> None:
    raise_versions(Commune.objects.filter(pk=indicator.plan.commune_id))


def _target_kind(indicator: Indicator) -> str | None:
    targets = sorted(indicator.targets.all(), key=lambda t: t.year)
    return targets[-1].kind if targets else None


@transaction.atomic
def links_suggest(*, plan: Plan) -> list[IndicatorLink]:
    """Suggest an entry of the province's catalogue for each indicator of the plan not yet settled.

    A confirmed link is kept, and so is a refused one (the person said no; relinking is theirs to do).
    Returns the plan's suggested links, new and old.
    """
    entries = CatalogueEntry.objects.filter(province_id=plan.commune.province_id)
    candidates = [Candidate(e.pk, e.folded_name, e.measure) for e in entries]
    indicators = Indicator.objects.filter(plan=plan).prefetch_related("targets").order_by("order")
    links = {link.indicator_id: link for link in IndicatorLink.objects.filter(indicator__plan=plan)}
    suggested = []
    for indicator in indicators:
        link = links.get(indicator.pk)
        if link is not None and link.state != LinkState.SUGGESTED:
            continue
        found = suggest(indicator.name, _target_kind(indicator), candidates)
        if found is None:
            if link is not None:
                link.delete()
            continue
        link = link or IndicatorLink(indicator=indicator)
        link.entry_id, link.state = found.entry_id, LinkState.SUGGESTED
        link.score, link.margin = found.score, found.margin
        link.full_clean(validate_unique=False)
        link.save()
        suggested.append(link)
    raise_versions(Commune.objects.filter(pk=plan.commune_id))
    return suggested


def _check_same_province(indicator: Indicator, entry: CatalogueEntry) -> None:
    if indicator.plan.commune.province_id != entry.province_id:
        raise ValidationError("Chỉ tiêu chung phải thuộc danh mục của tỉnh có xã này.")


@transaction.atomic
def link_confirm(*, link: IndicatorLink, actor) -> IndicatorLink:
    """The suggested entry is the right one: the link counts in the province matrix from now on."""
    _check_same_province(link.indicator, link.entry)
    link.state = LinkState.CONFIRMED
    link.confirmed_by = actor
    link.confirmed_at = timezone.now()
    link.save()
    _commune_changed(link.indicator)
    return link


@transaction.atomic
def link_refuse(*, link: IndicatorLink, actor) -> IndicatorLink:
    """The indicator is not this entry: it counts nowhere, and no suggestion replaces the refusal."""
    link.state = LinkState.REFUSED
    link.confirmed_by = actor
    link.confirmed_at = timezone.now()
    link.save()
    _commune_changed(link.indicator)
    return link


@transaction.atomic
def link_relink(*, indicator: Indicator, entry: CatalogueEntry, actor) -> IndicatorLink:
    """Link the indicator to the entry a person chose, confirmed at once."""
    _check_same_province(indicator, entry)
    score = round(name_score(key_words(fold(indicator.name)), key_words(entry.folded_name)))
    link, _created = IndicatorLink.objects.update_or_create(
        indicator=indicator,
        defaults={
            "entry": entry,
            "score": score,
            "state": LinkState.CONFIRMED,
            "confirmed_by": actor,
            "confirmed_at": timezone.now(),
        },
    )
    _commune_changed(indicator)
    return link


def is_clear(link: IndicatorLink) -> bool:
    """A suggestion the seed loader may confirm without a person: close, and well ahead of the next entry."""
    return link.state == LinkState.SUGGESTED and link.score >= CLEAR_SCORE and link.margin >= CLEAR_MARGIN
