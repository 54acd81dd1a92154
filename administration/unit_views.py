from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from administration.forms import NewUnitFormSet, PasteForm, UnitForm
from administration.selectors import managed_commune, managed_unit
from pagecache.cache import writes_nothing
from units.models import Unit
from units.services import unit_save, units_create_many, units_paste_preview


@login_required
def unit_list(request: HttpRequest, commune_id: int) -> HttpResponse:
    commune = managed_commune(request.user, commune_id)
    units = Unit.objects.for_commune(commune).order_by("-active", "name")
    return render(
        request, "administration/unit_list.html", {"commune": commune, "units": units, "tab": "units"}
    )


@writes_nothing
@login_required
def unit_paste(request: HttpRequest, commune_id: int) -> HttpResponse:
    """A list of names, one a line, and on POST its preview: the kind guessed and editable for each new
    name; other spellings of an existing unit and repeated lines shown as such. Nothing is saved here."""
    commune = managed_commune(request.user, commune_id)
    form = PasteForm(request.POST or None)
    context = {"commune": commune, "form": form, "tab": "units"}
    if request.method == "POST" and form.is_valid():
        rows = units_paste_preview(
            commune=commune, rows=[(line, None) for line in form.cleaned_data["names"]]
        )
        new = [row for row in rows if row.is_new]
        formset = NewUnitFormSet(initial=[{"name": row.name, "kind": row.kind} for row in new])
        forms = iter(formset.forms)
        context |= {"rows": [(row, next(forms) if row.is_new else None) for row in rows], "formset": formset}
    status = 400 if form.errors else 200
    return render(request, "administration/unit_paste.html", context, status=status)


@login_required
@require_POST
def unit_create_many(request: HttpRequest, commune_id: int) -> HttpResponse:
    """Create the new units of a previewed list, all or none; a name that became another spelling of a unit
    since the preview is left out, and said."""
    commune = managed_commune(request.user, commune_id)
    formset = NewUnitFormSet(request.POST)
    if not formset.is_valid():
        messages.error(request, "Danh sách gửi lên không hợp lệ; không có đơn vị nào được tạo. Hãy dán lại.")
        return redirect("administration:unit_paste", commune_id=commune.pk)
    rows = [(form.cleaned_data["name"], form.cleaned_data["kind"]) for form in formset.forms]
    created = units_create_many(commune=commune, rows=rows)
    messages.success(request, f"Đã tạo {len(created)} đơn vị.")
    if len(created) < len(rows):
        messages.warning(request, f"{len(rows) - len(created)} tên đã có trong xã nên không tạo thêm.")
    return redirect("administration:unit_list", commune_id=commune.pk)


@login_required
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = managed_unit(request.user, unit_id)
    commune, saved_name = unit.commune, unit.name  # the form writes what was typed onto `unit`
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit_save(unit=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã lưu đơn vị {unit.name}.")
            return redirect("administration:unit_list", commune_id=commune.pk)
    status = 400 if form.errors else 200
    context = {"commune": commune, "unit": unit, "saved_name": saved_name, "form": form, "tab": "units"}
    return render(request, "administration/unit_form.html", context, status=status)
