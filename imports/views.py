from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.excel import XLSX_CONTENT_TYPE
from imports.exporter import plan_workbook, template_workbook
from imports.forms import KEEP, SPLIT, SPLIT_PREFIX, ConfirmForm, RolloverForm, UnitFixForm, UploadForm
from imports.models import ImportBatch
from imports.plan_rows import Mention
from imports.reader import BadFile, Field, TableKind
from imports.rollover import plan_rollover
from imports.services import (
    ImportRefused,
    ImportResult,
    batch_create,
    batch_import,
    unit_fix,
    year_question_text,
)
from indicators.targets import TargetKind, format_target
from plans.selectors import get_plan_for_user
from tasks.deadlines import DeadlineKind
from tasks.models import DEADLINE_KIND_LABELS
from units.models import Commune, Unit
from units.scope import scope_for


def importer_communes(user) -> QuerySet[Commune]:
    """Communes whose plans the user may import: the reviewer's (Phòng VH-XH) own, or all for an admin."""
    scope = scope_for(user)
    communes = Commune.objects.select_related("province").order_by("name")
    return communes if scope.is_admin else communes.filter(pk__in=scope.reviewer_commune_ids)


def _communes_or_403(request: HttpRequest) -> QuerySet[Commune]:
    communes = importer_communes(request.user)
    if not communes.exists():
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội (thẩm định) mới nhập kế hoạch từ Excel.")
    return communes


def _batch_for(request: HttpRequest, batch_id: int) -> ImportBatch:
    communes = _communes_or_403(request)
    return get_object_or_404(
        ImportBatch.objects.select_related("commune__province", "plan", "result_plan"),
        pk=batch_id,
        commune__in=communes,
    )


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    communes = _communes_or_403(request)
    initial = {"plan": request.GET.get("plan")} if request.GET.get("plan", "").isdigit() else {}
    form = UploadForm(request.POST or None, request.FILES or None, communes=communes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        batch = batch_create(
            commune=data["commune"],
            user=request.user,
            upload_name=data["file"].name,
            data=form.data_bytes,
            plan=data["plan"],
            title=data.get("title", ""),
            year=data.get("year"),
        )
        return redirect("imports:preview", batch_id=batch.pk)
    return render(request, "imports/upload.html", {"form": form})


@dataclass
class ItemView:
    number: str
    name: str
    action: str
    targets: list[str]
    deadline: str
    mentions: list[Mention]
    row: int
    sheet: str


@dataclass
class SectionView:
    number: str
    title: str
    action: str
    is_subsection: bool
    items: list[ItemView]


def _target_label(parsed) -> str:
    """What will be judged, said plainly: `mục tiêu: ≥ 80%`, `mục tiêu: Hoàn thành (Đạt/Chưa đạt)`."""
    if parsed.kind == TargetKind.TEXT:
        return "giữ nguyên văn, người thẩm định đánh giá"
    if parsed.kind == TargetKind.BOOLEAN:
        return f"mục tiêu: {format_target(parsed)} (Đạt/Chưa đạt)"
    return f"mục tiêu: {format_target(parsed)}"


# Period forms whose due date is the period's last day: the preview shows the date and the words printed.
_PERIOD_WORDS = {
    DeadlineKind.MONTH: "tháng",
    DeadlineKind.QUARTER: "quý",
    DeadlineKind.HALF_YEAR: "",
    DeadlineKind.YEAR: "năm",
}


def _deadline_label(parsed) -> str:
    """The deadline said plainly: `hạn: 31/07/2025 (tháng 07/2025)`, `hạn: 20/12/2025`,
    `hạn: Thường xuyên (không tính quá hạn)`."""
    wording = parsed.raw.replace("\n", " ")
    if parsed.due_date is None:
        label = str(DEADLINE_KIND_LABELS[parsed.kind])
        if parsed.kind == DeadlineKind.TEXT:
            return f"hạn: «{wording}» (giữ nguyên văn, không tính quá hạn)"
        if wording == label:
            return f"hạn: {label} (không tính quá hạn)"
        return f"hạn: {wording} ({label.lower()}, không tính quá hạn)"
    due = f"hạn: {parsed.due_date:%d/%m/%Y}"
    if parsed.kind not in _PERIOD_WORDS:
        return due
    lowered = wording[:1].lower() + wording[1:]
    word = _PERIOD_WORDS[parsed.kind]
    # `07/2025` is printed without its word; the preview says what was understood: `tháng 07/2025`.
    if word and lowered[:1].isdigit():
        lowered = f"{word} {lowered}"
    return f"{due} ({lowered})"


def _tree(result: ImportResult, kind: TableKind) -> list[SectionView]:
    actions = {id(c.draft): c.action for c in result.changes if c.draft is not None}
    out = []
    for section in result.draft.all_sections(kind):
        items = []
        for item in section.items:
            targets = [
                f"{year}: {item.targets[year]} — {_target_label(parsed)}"
                for year, parsed in sorted(item.parsed_targets().items())
            ]
            deadline = ""
            if kind == TableKind.TASKS and item.deadline:
                deadline = _deadline_label(item.parsed_deadline())
            items.append(
                ItemView(
                    item.number,
                    item.name,
                    actions.get(id(item), ""),
                    targets,
                    deadline,
                    item.mentions,
                    item.row,
                    item.sheet,
                )
            )
        out.append(
            SectionView(
                section.number, section.title, actions.get(id(section), ""), bool(section.parent), items
            )
        )
    return out


@dataclass
class SplitView:
    field: str  # the radio pair's name in the confirmation form
    number: str
    name: str
    figures: tuple[str, ...]
    sheet: str
    row: int


ROLE_LABELS = {
    Field.LEAD: "chủ trì",
    Field.COORDINATING: "phối hợp",
    Field.MONITORING: "theo dõi",
}


@login_required
def preview(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for(request, batch_id)
    if batch.imported_at:
        messages.info(request, "Tệp này đã được nhập.")
        if batch.result_plan_id:
            return redirect("tracking:plan_detail", plan_id=batch.result_plan_id)
        return redirect("imports:upload")
    try:
        result = batch_import(batch=batch, dry_run=True)
    except (BadFile, ValueError) as error:
        messages.error(request, str(error))
        return redirect("imports:upload")
    units = list(Unit.objects.for_commune(batch.commune).order_by("name"))
    unknown = list({p.unknown_unit: p for p in result.problems if p.unknown_unit}.values())
    context = {
        "batch": batch,
        "result": result,
        "summary": result.summary_lines(),
        "trees": [
            ("Chỉ tiêu", _tree(result, TableKind.INDICATORS)),
            ("Nhiệm vụ", _tree(result, TableKind.TASKS)),
        ],
        "unknown": unknown,
        "units": units,
        "unit_kinds": UnitFixForm.base_fields["kind"].choices,
        "role_labels": ROLE_LABELS,
        "confirm_form": ConfirmForm(initial={"sha256": batch.sha256}),
        "year_question": year_question_text(result.draft.year_question) if result.draft.year_question else "",
        "year_from": result.draft.year_question[0] if result.draft.year_question else None,
        "splittable": [
            SplitView(
                SPLIT_PREFIX + item.split_key, item.number, item.name, item.figures, item.sheet, item.row
            )
            for item in result.draft.splittable()
        ],
        "split_choices": (SPLIT, KEEP),
    }
    return render(request, "imports/preview.html", context)


@login_required
@require_POST
def fix_unit(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for(request, batch_id)
    form = UnitFixForm(request.POST, commune=batch.commune)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("imports:preview", batch_id=batch.pk)
    data = form.cleaned_data
    alias_of = data["unit"] if data["action"] == "alias" else None
    try:
        unit = unit_fix(
            commune=batch.commune,
            mention=data["mention"],
            alias_of=alias_of,
            kind=data.get("kind") or "office",
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if alias_of:
            messages.success(request, f"Đã thêm «{data['mention']}» là cách viết khác của «{unit}».")
        else:
            messages.success(request, f"Đã tạo đơn vị «{unit}».")
    return redirect("imports:preview", batch_id=batch.pk)


@login_required
@require_POST
def confirm(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch_for(request, batch_id)
    form = ConfirmForm(request.POST)
    back = redirect("imports:preview", batch_id=batch.pk)
    if batch.imported_at:
        messages.info(request, "Tệp này đã được nhập.")
        return back
    if not form.is_valid():
        if form.non_field_errors() or "target_column_year" in form.errors:
            for error in [*form.non_field_errors(), *form.errors.get("target_column_year", [])]:
                messages.error(request, error)
        else:
            messages.error(request, "Thiếu mã xác nhận của bản xem trước. Hãy xem trước lại rồi xác nhận.")
        return back
    try:
        result = batch_import(
            batch=batch,
            dry_run=False,
            expected_sha256=form.cleaned_data["sha256"],
            target_column_year=form.cleaned_data["target_column_year"],
            splits=form.cleaned_data["splits"],
        )
    except ImportRefused as refused:
        messages.error(request, f"Chưa nhập: tệp còn {len(refused.result.problems)} lỗi.")
        return back
    except (BadFile, ValueError) as error:
        messages.error(request, str(error))
        return back
    messages.success(request, "Đã nhập kế hoạch. " + " · ".join(result.summary_lines()))
    return redirect("tracking:plan_detail", plan_id=result.plan.pk)


@login_required
def export_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    return _xlsx(plan_workbook(plan), f"ke-hoach-{plan.pk}-{plan.target_year}.xlsx")


@login_required
def template(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    return _xlsx(template_workbook(year), f"mau-nhap-ke-hoach-{year}.xlsx")


@login_required
def rollover(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_id)
    if not scope_for(request.user).can_review(plan.commune):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội mới tạo kế hoạch năm sau.")
    form = RolloverForm(request.POST or None, initial={"year": plan.target_year + 1}, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            new = plan_rollover(plan=plan, year=form.cleaned_data["year"], user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("imports:rollover", kwargs={"plan_id": plan.pk}))
        messages.success(
            request,
            f"Đã tạo dự thảo kế hoạch năm {new.target_year}: {new.indicators.count()} chỉ tiêu, "
            f"{new.tasks.count()} nhiệm vụ chuyển tiếp. Hãy rà soát và chỉnh sửa.",
        )
        return redirect("tracking:plan_detail", plan_id=new.pk)
    return render(request, "imports/rollover.html", {"plan": plan, "form": form})
