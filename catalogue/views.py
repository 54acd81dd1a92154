from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from catalogue import charts, selectors, xlsx
from catalogue.forms import ConfirmForm, EntryForm, LinkActionForm, UploadForm
from catalogue.models import CatalogueEntry, CatalogueImport, IndicatorLink, LinkState
from catalogue.services import (
    WEAK_SCORE,
    ImportRefused,
    catalogue_entry_save,
    catalogue_import,
    catalogue_import_create,
    catalogue_import_plan,
    link_confirm,
    link_refuse,
    link_relink,
    links_suggest,
)
from catalogue.sheet import BadCatalogueFile
from common.excel import XLSX_CONTENT_TYPE
from indicators.models import Indicator
from pagecache.cache import cached_body, province_version, with_versions
from plans.models import Plan
from plans.selectors import province_codes
from plans.workflow import Pillar
from units.models import Commune, Province
from units.scope import Scope, scope_for

MAX_COLUMNS = 40


def _provinces(scope: Scope, *, manage: bool) -> QuerySet[Province]:
    """The provinces whose catalogue the user manages (administrators) or reads (and province viewers)."""
    provinces = with_versions(Province.objects.order_by("name"))
    if scope.is_admin:
        return provinces
    ids = set(scope.admin_province_ids) if manage else set(scope.admin_province_ids | scope.province_ids)
    if not ids:
        if manage:
            raise PermissionDenied("Danh mục chỉ tiêu chung do quản trị tỉnh quản lý.")
        raise PermissionDenied("Danh mục chỉ tiêu chung dành cho quản trị tỉnh và Sở KH&CN.")
    return provinces.filter(pk__in=ids)


def _province_for(request: HttpRequest, *, manage: bool) -> Province:
    provinces = _provinces(scope_for(request.user), manage=manage)
    wanted = request.GET.get("tinh", "")
    if wanted:
        if not wanted.isascii() or not wanted.isdigit() or len(wanted) > 18:
            raise Http404
        return get_object_or_404(provinces, pk=wanted)
    province = provinces.first()
    if province is None:
        raise Http404
    return province


def _managed_entry(request: HttpRequest, entry_id: int) -> CatalogueEntry:
    provinces = _provinces(scope_for(request.user), manage=True)
    return get_object_or_404(
        CatalogueEntry.objects.select_related("province"), pk=entry_id, province__in=provinces
    )


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- The catalogue ----------------------------------------------------------------------------------------


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    province = _province_for(request, manage=False)
    scope = scope_for(request.user)
    entries = selectors.entries_with_link_counts(province)
    return render(
        request,
        "catalogue/entry_list.html",
        {
            "province": province,
            "entries": entries,
            "may_manage": scope.administers_province(province.pk),
            "provinces": _provinces(scope, manage=False),
        },
    )


@login_required
def entry_create(request: HttpRequest) -> HttpResponse:
    province = _province_for(request, manage=True)
    return _entry_form(request, province, None)


@login_required
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _managed_entry(request, entry_id)
    return _entry_form(request, entry.province, entry)


def _entry_form(request: HttpRequest, province: Province, entry: CatalogueEntry | None) -> HttpResponse:
    initial = {}
    if entry is not None:
        initial = {
            f: getattr(entry, f) for f in ("code", "name", "pillar", "measure", "aggregation", "source")
        }
        initial["target_text"] = entry.target_text
    form = EntryForm(request.POST or None, province=province, entry=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = catalogue_entry_save(province=province, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu chung %(code)s.") % {"code": saved.code})
            return redirect(f"{reverse('catalogue:list')}?{urlencode({'tinh': province.pk})}")
    return render(request, "catalogue/entry_form.html", {"form": form, "entry": entry, "province": province})


@login_required
def catalogue_export(request: HttpRequest) -> HttpResponse:
    """The catalogue in the import's layout; a province without entries gets the blank template."""
    province = _province_for(request, manage=False)
    return _xlsx(
        xlsx.catalogue_workbook(list(selectors.province_entries(province))), "danh-muc-chi-tieu-chung.xlsx"
    )


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    province = _province_for(request, manage=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = catalogue_import_create(
            province=province,
            user=request.user,
            upload_name=form.cleaned_data["file"].name,
            data=form.data_bytes,
        )
        return redirect("catalogue:import_preview", catalogue_import_id=batch.pk)
    return render(request, "catalogue/import_upload.html", {"form": form, "province": province})


def _batch_for(request: HttpRequest, catalogue_import_id: int) -> CatalogueImport:
    provinces = _provinces(scope_for(request.user), manage=True)
    return get_object_or_404(
        CatalogueImport.objects.select_related("province"), pk=catalogue_import_id, province__in=provinces
    )


@login_required
def import_preview(request: HttpRequest, catalogue_import_id: int) -> HttpResponse:
    batch = _batch_for(request, catalogue_import_id)
    plan, bad_file = None, ""
    try:
        plan = catalogue_import_plan(province=batch.province, data=bytes(batch.data))
    except BadCatalogueFile as error:
        bad_file = str(error)
    return render(
        request,
        "catalogue/import_preview.html",
        {
            "batch": batch,
            "plan": plan,
            "bad_file": bad_file,
            "confirm_form": ConfirmForm(initial={"sha256": batch.sha256}),
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, catalogue_import_id: int) -> HttpResponse:
    batch = _batch_for(request, catalogue_import_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Xác nhận không hợp lệ. Hãy xem trước lại."))
        return redirect("catalogue:import_preview", catalogue_import_id=batch.pk)
    try:
        plan = catalogue_import(batch=batch, sha256=form.cleaned_data["sha256"])
    except (ImportRefused, BadCatalogueFile) as refusal:
        messages.error(request, str(refusal))
        return redirect("catalogue:import_preview", catalogue_import_id=batch.pk)
    messages.success(request, _("Đã nhập %(n)s chỉ tiêu chung.") % {"n": len(plan.rows)})
    return redirect(f"{reverse('catalogue:list')}?{urlencode({'tinh': batch.province_id})}")


# -- Links -------------------------------------------------------------------------------------------------


def _linking_communes(request: HttpRequest) -> QuerySet[Commune]:
    """Communes whose links the user settles: the province administrator's, the reviewer's own."""
    scope = scope_for(request.user)
    communes = Commune.objects.filter(scope.managed_commune_filter()).select_related("province")
    if not scope.is_admin and not (scope.admin_province_ids or scope.reviewer_commune_ids):
        raise PermissionDenied(
            "Liên kết chỉ tiêu do quản trị tỉnh hoặc Phòng Văn hóa - Xã hội của xã xác nhận."
        )
    return communes.order_by("province__name", "name")


@login_required
def links(request: HttpRequest) -> HttpResponse:
    communes = _linking_communes(request)
    commune = None
    wanted = request.GET.get("xa", "")
    if wanted:
        if not wanted.isascii() or not wanted.isdigit() or len(wanted) > 18:
            raise Http404
        commune = get_object_or_404(communes, pk=wanted)
    weak_only = request.GET.get("chi") == "yeu"
    rows = selectors.links_to_review(communes, commune=commune)
    if weak_only:
        rows = [row for row in rows if row.weak]
    shown = [commune] if commune else list(communes)
    province_ids = {c.province_id for c in shown}
    entries = list(
        CatalogueEntry.objects.filter(province_id__in=province_ids).order_by("province_id", "order", "code")
    )
    plans = (
        Plan.objects.filter(commune__in=shown)
        .select_related("commune")
        .order_by("commune__name", "-target_year")
    )
    return render(
        request,
        "catalogue/links.html",
        {
            "communes": communes,
            "commune": commune,
            "rows": rows,
            "entries": entries,
            "plans": plans,
            "weak_only": weak_only,
            "weak_score": WEAK_SCORE,
            "confirmed": selectors.recent_confirmed(communes, commune=commune),
            "states": LinkState,
        },
    )


def _back_to_links(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("xa", "")
    query = (
        f"?{urlencode({'xa': wanted})}" if wanted.isascii() and wanted.isdigit() and len(wanted) < 19 else ""
    )
    return redirect(f"{reverse('catalogue:links')}{query}")


@login_required
@require_POST
def link_action(request: HttpRequest, indicator_id: int) -> HttpResponse:
    communes = _linking_communes(request)
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan__commune"), pk=indicator_id, plan__commune__in=communes
    )
    form = LinkActionForm(request.POST, province_id=indicator.plan.commune.province_id)
    if not form.is_valid():
        messages.error(
            request,
            _("Chưa làm được: %(why)s") % {"why": " ".join(m for e in form.errors.values() for m in e)},
        )
        return _back_to_links(request)
    action = form.cleaned_data["action"]
    link = IndicatorLink.objects.filter(indicator=indicator).select_related("entry").first()
    if action == "relink":
        link = link_relink(indicator=indicator, entry=form.cleaned_data["entry"], actor=request.user)
        messages.success(request, _("Đã liên kết với %(code)s.") % {"code": link.entry.code})
    elif link is None:
        messages.error(request, _("Chỉ tiêu này chưa có gợi ý để xác nhận hay từ chối."))
    elif action == "confirm":
        link_confirm(link=link, actor=request.user)
        messages.success(request, _("Đã xác nhận liên kết với %(code)s.") % {"code": link.entry.code})
    else:
        link_refuse(link=link, actor=request.user)
        messages.success(request, _("Đã từ chối gợi ý %(code)s.") % {"code": link.entry.code})
    return _back_to_links(request)


@login_required
@require_POST
def suggest(request: HttpRequest, plan_id: int) -> HttpResponse:
    communes = _linking_communes(request)
    plan = get_object_or_404(Plan.objects.select_related("commune"), pk=plan_id, commune__in=communes)
    found = links_suggest(plan=plan)
    messages.success(request, _("Đã tìm gợi ý: %(n)s chỉ tiêu có gợi ý chờ xác nhận.") % {"n": len(found)})
    return _back_to_links(request)


# -- The province matrix --------------------------------------------------------------------------------


def _ids(values: list[str]) -> list[int]:
    ids = [v for v in values if v.isascii() and v.isdigit() and len(v) < 19]
    if len(ids) != len(values) or len(ids) > MAX_COLUMNS:
        raise Http404
    return [int(v) for v in ids]


def _matrix(request: HttpRequest, province: Province) -> tuple[selectors.Matrix | None, list[str]]:
    codes = province_codes(province)
    code = request.GET.get("ky") or (codes[0] if codes else "")
    pillar = request.GET.get("trucot", "")
    if pillar and pillar not in Pillar.values:
        raise Http404
    if not code:
        return None, codes
    if code not in codes:
        raise Http404("Không có kỳ báo cáo này.")
    entries = selectors.matrix_entries(province, pillar=pillar, ids=_ids(request.GET.getlist("chi")))
    return selectors.province_matrix(province=province, code=code, entries=entries), codes


def _matrix_context(request: HttpRequest, province: Province) -> dict:
    matrix, codes = _matrix(request, province)
    sort = request.GET.get("sort", "xa")
    context = {
        "province": province,
        "matrix": matrix,
        "codes": codes,
        "sort": sort,
        "pillars": Pillar.choices,
        "pillar": request.GET.get("trucot", ""),
        "all_entries": list(selectors.province_entries(province).only("pk", "code", "name")),
        "chosen": set(_ids(request.GET.getlist("chi"))),
    }
    if matrix is None or not matrix.entries:
        return context
    chart_id = request.GET.get("bieudo", "")
    index = next((i for i, e in enumerate(matrix.entries) if str(e.pk) == chart_id), 0)
    entry = matrix.entries[index]
    context.update(
        rows=selectors.sorted_rows(matrix, sort),
        columns=[
            (entry, total, f"c{entry.pk}", f"-c{entry.pk}")
            for entry, total in zip(matrix.entries, matrix.aggregates, strict=True)
        ],
        chart_entry=entry,
        chart=charts.distribution(entry.measure, [row.cells[index] for row in matrix.rows]),
    )
    return context


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    province = _province_for(request, manage=False)
    body = cached_body(
        request,
        "catalogue/matrix.html",
        f"{province_version(province)}",
        lambda: _matrix_context(request, province),
    )
    return render(request, "page.html", {"title": f"{_('Bảng chỉ tiêu chung')} – {province}", "body": body})


@login_required
def matrix_xlsx(request: HttpRequest) -> HttpResponse:
    province = _province_for(request, manage=False)
    found, _codes = _matrix(request, province)
    if found is None:
        raise Http404("Tỉnh chưa có kỳ báo cáo nào.")
    rows = selectors.sorted_rows(found, request.GET.get("sort", "xa"))
    return _xlsx(xlsx.matrix_workbook(found, rows), xlsx.filename(found))
