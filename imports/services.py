"""Import a plan's appendices from a workbook: a dry run showing every change, then one all-or-nothing write.

The comparison with the plan as stored is computed first (no write); the confirmed import then performs
exactly those changes inside one transaction, with the rules every other way a plan arrives uses: the
builders of `plans.services`, `indicators.services` and `tasks.services` (new rows are built by them and
written in bulk), `target_set` and their unit assignment for rows updated in place. A re-import
of a corrected file for the same plan finds its rows again by section and printed number and updates them in
place, so results and updates already reported on them stay attached.
"""

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from catalogue.services import links_suggest
from common.text import clean_text
from imports.models import ImportBatch
from imports.plan_rows import PlanDraft, SectionDraft, build_plan
from imports.reader import Field, Problem, TableKind, Workbook, read_workbook
from indicators.models import Indicator, IndicatorAssignment, IndicatorResult, Target
from indicators.services import (
    TARGET_CHECKS,
    indicator_assign_units,
    indicator_assignments_build,
    indicator_build,
    indicator_derive,
    result_verdict,
    target_build,
    target_set,
)
from plans.models import Plan, PlanKind, PlanStatus, Section, SectionKind
from plans.period_text import period_in_texts
from plans.services import plan_build, plan_save, section_create
from plans.workflow import AssignmentRole
from tasks.models import Task, TaskAssignment
from tasks.services import task_assign_units, task_assignments_build, task_build, task_derive
from units.models import Commune, Unit
from units.selectors import unit_lookup
from units.services import unit_add_alias, unit_create

KIND_LABELS = {"section": "nhóm", "indicator": "chỉ tiêu", "task": "nhiệm vụ"}
ACTION_LABELS = {"create": "thêm", "update": "sửa", "delete": "xóa", "keep": "giữ nguyên"}
_SECTION_KIND = {TableKind.INDICATORS: SectionKind.INDICATORS, TableKind.TASKS: SectionKind.TASKS}
_ITEM_KIND = {TableKind.INDICATORS: "indicator", TableKind.TASKS: "task"}
# Orders are unique per plan; existing rows step aside by this much while the new order is written.
_ORDER_SHIFT = 1_000_000


class ImportRefused(Exception):
    """The file still has problems: nothing was written."""

    def __init__(self, result: "ImportResult") -> None:
        super().__init__(f"{len(result.problems)} lỗi trong tệp; chưa nhập gì.")
        self.result = result


@dataclass
class Change:
    kind: str  # section | indicator | task
    action: str  # create | update | delete | keep
    label: str
    details: list[str] = field(default_factory=list)
    draft: object = None  # SectionDraft / ItemDraft for create and update
    existing: object = None  # Section / Indicator / Task for update, delete and keep


@dataclass(frozen=True)
class PlanPeriod:
    start: dt.date
    end: dt.date
    kind: str
    source: str  # where it came from, for the preview: the words printed, the command line, or the default

    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y} ({self.source})"


@dataclass
class ImportResult:
    plan: Plan | None
    target_year: int
    draft: PlanDraft
    changes: list[Change]
    problems: list[Problem]
    dry_run: bool
    period: PlanPeriod | None = None

    def count(self, kind: str, action: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)

    def counts(self) -> dict[str, Counter]:
        out: dict[str, Counter] = {k: Counter() for k in KIND_LABELS}
        for change in self.changes:
            out[change.kind][change.action] += 1
        return out

    def summary_lines(self) -> list[str]:
        lines = []
        for kind, counter in self.counts().items():
            parts = [f"{ACTION_LABELS[a]} {counter[a]}" for a in ACTION_LABELS if counter[a]]
            lines.append(f"{KIND_LABELS[kind].capitalize()}: {', '.join(parts) if parts else 'không có'}")
        return lines

    @property
    def visible_changes(self) -> list[Change]:
        return [c for c in self.changes if c.action != "keep"]


def _period(
    plan: Plan | None,
    texts: list[str],
    target_year: int,
    start: dt.date | None,
    end: dt.date | None,
) -> PlanPeriod:
    """The stored plan's period; for a new plan the one given, else the one the file prints, else the year."""
    if plan is not None:
        return PlanPeriod(plan.period_start, plan.period_end, plan.kind, "kỳ của kế hoạch")
    printed = period_in_texts(texts, year=target_year)
    if start or end:
        start = start or (printed.start if printed else dt.date(target_year, 1, 1))
        end = end or (printed.end if printed else dt.date(target_year, 12, 31))
        if end < start:
            raise ValueError("Ngày kết thúc kỳ kế hoạch phải sau ngày bắt đầu.")
        return PlanPeriod(start, end, PlanKind.ANNUAL, "ngày đã chọn")
    if printed is not None:
        kind = PlanKind.HALF_YEAR if printed.half_year else PlanKind.ANNUAL
        return PlanPeriod(printed.start, printed.end, kind, f"theo văn bản: «{printed.text}»")
    return PlanPeriod(
        dt.date(target_year, 1, 1), dt.date(target_year, 12, 31), PlanKind.ANNUAL, f"cả năm {target_year}"
    )


def _flag_tasks_before(period: PlanPeriod, draft: PlanDraft) -> None:
    for item in draft.items(TableKind.TASKS):
        due = item.parsed_deadline().due_date if item.deadline else None
        if due is not None and due < period.start:
            draft.warnings.append(
                Problem(
                    item.sheet,
                    item.row,
                    "Thời gian hoàn thành",
                    item.deadline,
                    f"một thời hạn trong kỳ kế hoạch (từ {period.start:%d/%m/%Y}); hạn này trước ngày "
                    "kế hoạch bắt đầu, hãy kiểm tra lại",
                )
            )


def year_question_text(question: tuple[int, int]) -> str:
    printed, year = question
    return f"Đọc cột «Mục tiêu {printed}» làm mục tiêu năm {year}?"


def _check_year_answer(draft: PlanDraft, target_column_year: int | None, *, dry_run: bool) -> None:
    """A column of another year is read as the plan's only once asked and answered; an answer to a question
    the file does not raise is refused, as any choice the file does not offer."""
    if draft.year_question is not None and not dry_run:
        raise ValueError(
            f"Chưa nhập: tệp không có cột mục tiêu năm {draft.year_question[1]}. "
            f"{year_question_text(draft.year_question)} Hãy đánh dấu đồng ý ở bản xem trước rồi xác nhận."
        )
    if target_column_year is not None and draft.year_read is None and not draft.problems:
        raise ValueError(
            f"Không cần đọc cột «Mục tiêu {target_column_year}»: tệp đã có cột mục tiêu của năm kế hoạch "
            "hoặc không có cột mục tiêu nào. Hãy xem trước lại rồi xác nhận."
        )


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- comparing the draft with the stored plan -------------------------------------------------------------


def _section_keys(sections, own_key, parent_of) -> dict[int, tuple]:
    """id(section) → how a re-import finds it: the path of printed numbers (titles when unnumbered), each
    step with its occurrence among its siblings, so two chapters both numbered `1` stay two chapters."""
    keys: dict[int, tuple] = {}
    seen: Counter = Counter()
    for section in sections:
        parent = parent_of(section)
        base = (*keys[id(parent)], own_key(section)) if parent is not None else (own_key(section),)
        seen[base] += 1
        keys[id(section)] = (*base, seen[base])
    return keys


def _draft_section_keys(sections: list[SectionDraft]) -> dict[int, tuple]:
    return _section_keys(sections, lambda s: s.number or s.title.casefold(), lambda s: s.parent)


def _db_section_keys(stored: list[Section]) -> dict[int, tuple]:
    by_id = {s.pk: s for s in stored}
    # Parents first, whatever their order: a subsection's key starts with its parent's.
    ordered = sorted(stored, key=lambda s: (s.parent_id is not None, s.order))
    return _section_keys(
        ordered, lambda s: clean_text(s.number) or s.title.casefold(), lambda s: by_id.get(s.parent_id)
    )


def _keyed(pairs):
    """Give each (section key, number) its occurrence index, so two rows printed `21` stay two rows."""
    seen: Counter = Counter()
    out = {}
    for base, value in pairs:
        seen[base] += 1
        out[(*base, seen[base])] = value
    return out


def _indicator_fields(item) -> dict[str, object]:
    return {
        "Chỉ tiêu": item.name,
        "Đơn vị chủ trì": item.lead,
        "Cơ quan phối hợp": item.coordinating,
        "Ghi chú": item.note,
        "Kết quả năm trước": f"{item.baseline_year or ''} {item.baseline_text}".strip(),
        **{f"Mục tiêu {year}": text for year, text in sorted(item.targets.items())},
    }


def _indicator_db_fields(indicator: Indicator) -> dict[str, object]:
    return {
        "Chỉ tiêu": indicator.name,
        "Đơn vị chủ trì": indicator.lead_text,
        "Cơ quan phối hợp": indicator.coordinating_text,
        "Ghi chú": indicator.note,
        "Kết quả năm trước": f"{indicator.baseline_year or ''} {indicator.baseline_text}".strip(),
        **{f"Mục tiêu {t.year}": t.raw_text for t in sorted(indicator.targets.all(), key=lambda t: t.year)},
    }


def _task_fields(item) -> dict[str, object]:
    return {
        "Nhiệm vụ": item.name,
        "Đơn vị chủ trì": item.lead,
        "Cơ quan phối hợp": item.coordinating,
        "Cơ quan theo dõi, tổng hợp": item.monitoring,
        "Thời gian hoàn thành": item.deadline,
        "Ghi chú": item.note,
    }


def _task_db_fields(task: Task) -> dict[str, object]:
    return {
        "Nhiệm vụ": task.description,
        "Đơn vị chủ trì": task.lead_text,
        "Cơ quan phối hợp": task.coordinating_text,
        "Cơ quan theo dõi, tổng hợp": task.monitoring_text,
        "Thời gian hoàn thành": task.deadline_text,
        "Ghi chú": task.note,
    }


def _differences(old: dict[str, object], new: dict[str, object]) -> list[str]:
    out = []
    for name in dict.fromkeys([*old, *new]):
        before, after = clean_text(str(old.get(name, ""))), clean_text(str(new.get(name, "")))
        if before != after:
            out.append(f"{name}: «{before or '(trống)'}» → «{after or '(trống)'}»")
    return out


def _item_label(number: str, text: str) -> str:
    short = text if len(text) <= 90 else text[:87] + "…"
    return f"{number}. {short}" if number else short


def _compare(plan: Plan | None, draft: PlanDraft) -> tuple[list[Change], list[Problem]]:
    changes: list[Change] = []
    problems: list[Problem] = []
    for kind in draft.kinds:
        section_kind = _SECTION_KIND[kind]
        stored = list(plan.sections.filter(kind=section_kind).order_by("order")) if plan else []
        stored_keys = _db_section_keys(stored)
        stored_by_key = {stored_keys[id(s)]: s for s in stored}
        draft_keys = _draft_section_keys(draft.all_sections(kind))
        wanted_keys = set()
        for section in draft.all_sections(kind):
            key = draft_keys[id(section)]
            wanted_keys.add(key)
            existing = stored_by_key.get(key)
            label = f"{section.number} {section.title}".strip()
            if existing is None:
                changes.append(Change("section", "create", label, draft=section))
            else:
                details = _differences({"Tên nhóm": existing.title}, {"Tên nhóm": section.title})
                changes.append(
                    Change("section", "update" if details else "keep", label, details, section, existing)
                )
        by_pk = {s.pk: stored_keys[id(s)] for s in stored}
        changes.extend(_compare_items(plan, draft, kind, by_pk, draft_keys, problems))
        # Groups deleted last, subsections before their parents, once their rows have moved away.
        for key, section in sorted(stored_by_key.items(), key=lambda kv: -len(kv[0])):
            if key not in wanted_keys:
                changes.append(Change("section", "delete", str(section), existing=section))
    return changes, problems


def _compare_items(
    plan, draft: PlanDraft, kind: TableKind, stored_keys: dict, draft_keys: dict, problems: list[Problem]
) -> list[Change]:
    item_kind = _ITEM_KIND[kind]
    changes = []
    if plan is None:
        stored = []
    elif kind == TableKind.INDICATORS:
        stored = list(plan.indicators.select_related("section").prefetch_related("targets").order_by("order"))
    else:
        stored = list(plan.tasks.select_related("section").order_by("order"))
    stored_keyed = _keyed(((stored_keys[i.section_id], i.number), i) for i in stored)
    drafts_keyed = _keyed(
        ((draft_keys[id(section)], item.number), item)
        for section in draft.all_sections(kind)
        for item in section.items
    )
    for key, item in drafts_keyed.items():
        existing = stored_keyed.get(key)
        label = _item_label(item.number, item.name)
        if existing is None:
            changes.append(Change(item_kind, "create", label, draft=item))
            continue
        if kind == TableKind.INDICATORS:
            details = _differences(_indicator_db_fields(existing), _indicator_fields(item))
        else:
            details = _differences(_task_db_fields(existing), _task_fields(item))
        changes.append(Change(item_kind, "update" if details else "keep", label, details, item, existing))
    removed = [item for key, item in stored_keyed.items() if key not in drafts_keyed]
    if removed:
        reported = _items_with_entries(kind, removed)
        for item in removed:
            text = item.name if kind == TableKind.INDICATORS else item.description
            label = _item_label(item.number, text)
            changes.append(Change(item_kind, "delete", label, existing=item))
            if item.pk in reported:
                problems.append(
                    Problem(
                        "",
                        None,
                        "",
                        f"{KIND_LABELS[item_kind]} «{label}» (nhóm {item.section}) không còn trong tệp",
                        "giữ dòng này trong tệp: đã có kết quả/tiến độ báo cáo nên không xóa được",
                    )
                )
    return changes


def _items_with_entries(kind: TableKind, items) -> set[int]:
    ids = [i.pk for i in items]
    if kind == TableKind.INDICATORS:
        return set(Indicator.objects.filter(pk__in=ids, results__isnull=False).values_list("pk", flat=True))
    with_updates = Task.objects.filter(pk__in=ids, updates__isnull=False).values_list("pk", flat=True)
    with_shares = Task.objects.filter(pk__in=ids, contributions__isnull=False).values_list("pk", flat=True)
    return set(with_updates) | set(with_shares)


# --- writing ----------------------------------------------------------------------------------------------


def _write(plan: Plan, draft: PlanDraft, changes: list[Change], lookup) -> None:
    for kind in draft.kinds:
        section_kind = _SECTION_KIND[kind]
        plan.sections.filter(kind=section_kind).update(order=F("order") + _ORDER_SHIFT)
        items = plan.indicators if kind == TableKind.INDICATORS else plan.tasks
        items.update(order=F("order") + _ORDER_SHIFT)
        sections = _write_sections(plan, kind, changes, lookup)
        _write_items(plan, kind, changes, sections, lookup)
        for change in changes:
            stale = change.kind == "section" and change.action == "delete"
            if stale and change.existing.kind == section_kind:
                change.existing.delete()


def _write_sections(plan, kind: TableKind, changes: list[Change], lookup) -> dict[int, Section]:
    """Create or update the kind's sections in draft order; returns draft id → stored section."""
    stored: dict[int, Section] = {}
    order = 0
    for change in changes:
        draft: SectionDraft | None = change.draft if change.kind == "section" else None
        if draft is None or draft.kind != kind:
            continue
        order += 1
        parent = stored.get(id(draft.parent)) if draft.parent else None
        if change.action == "create":
            stored[id(draft)] = section_create(
                plan=plan,
                kind=_SECTION_KIND[kind],
                order=order,
                data={"number": draft.number, "title": draft.title},
                lookup=lookup,
                parent=parent,
            )
        else:
            section = change.existing
            section.title, section.number, section.order, section.parent = (
                clean_text(draft.title),
                clean_text(draft.number),
                order,
                parent,
            )
            section.full_clean()
            section.save()
            stored[id(draft)] = section
    return stored


def _write_items(plan, kind: TableKind, changes: list[Change], sections: dict[int, Section], lookup) -> None:
    item_kind = _ITEM_KIND[kind]
    model = Indicator if kind == TableKind.INDICATORS else Task
    section_of = {}
    for change in changes:
        if change.kind == "section" and change.draft is not None and change.draft.kind == kind:
            for item in change.draft.items:
                section_of[id(item)] = sections[id(change.draft)]
    stale = [c.existing.pk for c in changes if c.kind == item_kind and c.action == "delete"]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    created, kept = [], []
    order = 0
    for change in changes:
        if change.kind != item_kind or change.action == "delete":
            continue
        order += 1
        item, section = change.draft, section_of[id(change.draft)]
        if change.action == "create":
            created.append((item, section, order))
            continue
        change.existing.section, change.existing.order = section, order
        if change.action == "keep":
            kept.append(change.existing)
        elif kind == TableKind.INDICATORS:
            _update_indicator(change.existing, item, lookup)
        else:
            _update_task(change.existing, item, lookup)
    model.objects.bulk_update(kept, ["section", "order"], batch_size=500)
    if kind == TableKind.INDICATORS:
        _create_indicators(plan, created)
    else:
        _create_tasks(plan, created)


# New rows are written in bulk (a 1,000-row appendix in a few queries rather than thousands). Each row is
# built by the builders `indicator_create`/`target_set`/`task_create` use and checked as they check it; left
# out are the per-row queries (the plan and section were just written, the orders are distinct by
# construction).
_NO_QUERIES = {"exclude": ["plan", "section"], "validate_unique": False, "validate_constraints": False}
_ROLES = {Field.LEAD: AssignmentRole.LEAD, Field.COORDINATING: AssignmentRole.COORDINATING}
_ROLES[Field.MONITORING] = AssignmentRole.MONITORING


def _mentions(item) -> list[tuple[str, str, Unit | None]]:
    """(role, words, unit) of each unit mention the preview resolved."""
    return [(_ROLES[mention.role], mention.text, mention.unit) for mention in item.mentions]


def _create_indicators(plan: Plan, rows) -> None:
    indicators = []
    for item, section, order in rows:
        indicator = indicator_build(
            plan=plan,
            section=section,
            order=order,
            number=item.number,
            name=item.name,
            lead_text=item.lead,
            coordinating_text=item.coordinating,
            note=item.note,
            baseline_year=item.baseline_year,
            baseline_text=item.baseline_text,
        )
        indicator.full_clean(**_NO_QUERIES)
        indicators.append(indicator)
    Indicator.objects.bulk_create(indicators, batch_size=500)
    targets, assignments = [], []
    for indicator, (item, _section, _order) in zip(indicators, rows, strict=True):
        for year, text in item.targets.items():
            target = target_build(indicator=indicator, year=year, raw_text=text)
            target.full_clean(**TARGET_CHECKS)
            targets.append(target)
        assignments += indicator_assignments_build(indicator=indicator, mentions=_mentions(item))
    Target.objects.bulk_create(targets, batch_size=500)
    IndicatorAssignment.objects.bulk_create(assignments, batch_size=1000)


def _create_tasks(plan: Plan, rows) -> None:
    tasks = []
    for item, section, order in rows:
        task = task_build(
            plan=plan,
            section=section,
            order=order,
            number=item.number,
            description=item.name,
            lead_text=item.lead,
            coordinating_text=item.coordinating,
            monitoring_text=item.monitoring,
            deadline_text=item.deadline,
            note=item.note,
        )
        task.full_clean(**_NO_QUERIES)
        tasks.append(task)
    Task.objects.bulk_create(tasks, batch_size=500)
    assignments = [
        assignment
        for task, (item, _section, _order) in zip(tasks, rows, strict=True)
        for assignment in task_assignments_build(task=task, mentions=_mentions(item))
    ]
    TaskAssignment.objects.bulk_create(assignments, batch_size=1000)


def _update_indicator(indicator: Indicator, item, lookup) -> None:
    indicator.name, indicator.lead_text = clean_text(item.name), clean_text(item.lead)
    indicator.coordinating_text, indicator.note = clean_text(item.coordinating), clean_text(item.note)
    indicator.baseline_year, indicator.baseline_text = item.baseline_year, clean_text(item.baseline_text)
    indicator_derive(indicator=indicator)
    indicator.full_clean()
    indicator.save()
    indicator.targets.exclude(year__in=list(item.targets)).delete()
    for year, text in item.targets.items():
        target_set(indicator=indicator, year=year, raw_text=text)
    _refresh_verdicts(indicator)
    indicator_assign_units(indicator=indicator, lookup=lookup)


def _refresh_verdicts(indicator: Indicator) -> None:
    """Judge the results kept on a re-imported row again against its corrected targets.

    The target is chosen as `indicator_result_save` chooses it (the period's year, else the latest one);
    a verdict a reviewer overrode with a reason is theirs and stays.
    """
    # Read from the table, not `indicator.targets`: the comparison prefetched the targets as they were.
    targets = list(Target.objects.filter(indicator=indicator))
    by_year = {target.year: target for target in targets}
    latest = max(targets, key=lambda target: target.year, default=None)
    kept = IndicatorResult.objects.filter(indicator=indicator, verdict_override_reason="")
    for result in kept.select_related("period"):
        verdict = result_verdict(result, by_year.get(result.period.year) or latest)
        if verdict != result.verdict:
            result.verdict = verdict
            result.save(update_fields=["verdict"])


def _update_task(task: Task, item, lookup) -> None:
    task.description, task.lead_text = clean_text(item.name), clean_text(item.lead)
    task.coordinating_text, task.monitoring_text = clean_text(item.coordinating), clean_text(item.monitoring)
    task.deadline_text, task.note = clean_text(item.deadline), clean_text(item.note)
    task_derive(task=task)
    task.full_clean()
    task.save()
    task_assign_units(task=task, lookup=lookup)


# --- the one door -----------------------------------------------------------------------------------------


def plan_import(
    *,
    commune: Commune,
    workbook: Workbook,
    plan: Plan | None = None,
    title: str = "",
    year: int | None = None,
    dry_run: bool = True,
    source: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    target_column_year: int | None = None,
    splits: Mapping[str, bool] | None = None,
) -> ImportResult:
    """Compare the workbook with the plan (or a new plan `title`/`year`); write it unless `dry_run`.

    A new plan covers `period_start`–`period_end` when given, else the period its title or the file prints
    (`Giai đoạn từ ngày 01/7/2025 đến ngày 31/12/2025`, `6 tháng cuối năm 2025`), else the whole year.
    A goals table with only another year's target column (`Mục tiêu 2026` for a 2027 plan) is read as the
    plan's year once `target_column_year` names that column; the preview asks, the write needs the answer.
    `splits` (a goal's `split_key` → split or keep) splits goals stating several figures into one
    indicator per figure.

    Raises ImportRefused, having written nothing, when the confirmed import still has problems.
    """
    if plan is not None and plan.commune_id != commune.pk:
        raise ValueError("Kế hoạch không thuộc xã này.")
    if plan is None and (not clean_text(title) or not year):
        raise ValueError("Cần chọn kế hoạch cần cập nhật, hoặc ghi trích yếu và năm của kế hoạch mới.")
    target_year = plan.target_year if plan else int(year)
    lookup = unit_lookup(commune)
    draft = build_plan(
        workbook, target_year=target_year, lookup=lookup, target_column_year=target_column_year
    )
    _check_year_answer(draft, target_column_year, dry_run=dry_run)
    draft.apply_splits(splits or {}, target_year=target_year)
    group_titles = [s.title for kind in draft.kinds for s in draft.all_sections(kind)]
    period = _period(plan, [title, *workbook.captions, *group_titles], target_year, period_start, period_end)
    _flag_tasks_before(period, draft)
    changes, removal_problems = _compare(plan, draft)
    problems = [*draft.problems, *removal_problems]
    result = ImportResult(plan, target_year, draft, changes, problems, dry_run, period)
    if dry_run:
        return result
    if problems:
        raise ImportRefused(result)
    try:
        with transaction.atomic():
            if plan is None:
                plan = plan_build(
                    commune=commune,
                    title=title,
                    period_start=period.start,
                    period_end=period.end,
                    kind=period.kind,
                    target_year=target_year,
                    # A new plan from Excel is a draft until the reviewer issues it: an empty template or a
                    # half-finished workbook must not become the plan the commune's pages count.
                    status=PlanStatus.DRAFT,
                    source=f"import:{source}"[:100],
                )
                plan_save(plan=plan)
            _write(plan, draft, changes, lookup)
            # The province compares communes on its catalogue: each new indicator comes with a suggested entry
            # that the reviewer confirms or refuses on the links page.
            links_suggest(plan=plan)
    except ValidationError as error:
        result.problems.append(Problem("", None, "", "; ".join(error.messages), "dữ liệu hợp lệ"))
        raise ImportRefused(result) from error
    result.plan = plan
    return result


def batch_import(
    *,
    batch: ImportBatch,
    dry_run: bool,
    expected_sha256: str = "",
    target_column_year: int | None = None,
    splits: Mapping[str, bool] | None = None,
) -> ImportResult:
    """Preview or confirm an uploaded batch; the confirmation must name the hash of what was previewed and
    carries the answers the preview asked for (see `plan_import`)."""
    with batch.file.open("rb") as handle:
        data = handle.read()
    digest = file_sha256(data)
    if digest != batch.sha256 or (not dry_run and expected_sha256 != batch.sha256):
        raise ValueError("Tệp đã thay đổi so với bản đã xem trước. Hãy tải tệp lên lại.")
    workbook = read_workbook(data)
    with transaction.atomic():
        if not dry_run:
            # A double click sends two confirmations: the second waits here, then sees the first one's mark.
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.imported_at is not None:
                raise ValueError("Tệp này đã được nhập rồi; không nhập lại lần nữa.")
        # The plan is locked before it is compared, so two imports into one plan run one after the other.
        plan = (
            Plan.objects.select_for_update().get(pk=batch.plan_id)
            if batch.plan_id and not dry_run
            else batch.plan
        )
        result = plan_import(
            commune=batch.commune,
            workbook=workbook,
            plan=plan,
            title=batch.title,
            year=batch.year,
            dry_run=dry_run,
            source=batch.original_name,
            target_column_year=target_column_year,
            splits=splits,
        )
        if not dry_run:
            batch.imported_at = dt.datetime.now(tz=dt.UTC)
            batch.result_plan = result.plan
            batch.save(update_fields=["imported_at", "result_plan"])
    return result


@transaction.atomic
def batch_create(
    *, commune: Commune, user, upload_name: str, data: bytes, plan: Plan | None, title: str, year
):
    """Store an upload that passed the file checks; the preview and the confirmation read it back."""
    from django.core.files.base import ContentFile

    batch = ImportBatch(
        commune=commune,
        plan=plan,
        title=clean_text(title) if plan is None else "",
        year=year if plan is None else None,
        user=user,
        original_name=clean_text(upload_name)[:255] or "tep.xlsx",
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


def unit_fix(*, commune: Commune, mention: str, alias_of: Unit | None, kind: str = "office") -> Unit:
    """From the preview: add an unknown name as an alias of a unit, or create it as a unit of its own."""
    if alias_of is not None:
        if alias_of.commune_id != commune.pk:
            raise ValueError("Đơn vị không thuộc xã này.")
        return unit_add_alias(unit=alias_of, alias=mention)
    return unit_create(commune=commune, name=mention, kind=kind)
