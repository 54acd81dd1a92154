"""Upload → preview → confirm for a list of people, the blank template, and the first login's new password."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from imports.first_password import SESSION_KEY, password_change_clear, password_change_pending
from imports.forms import PeopleConfirmForm, PeopleUploadForm
from imports.models import PeopleBatch
from imports.people import PeopleRefused, people_batch_create, people_batch_import
from imports.people_template import people_template_workbook
from imports.reader import BadFile
from imports.views import _xlsx
from units.models import Commune, Province, Unit
from units.scope import scope_for


@dataclass(frozen=True)
class ImportScope:
    key: str  # the form's value
    label: str
    province: Province
    commune: Commune | None  # None: any commune of the province


def import_scopes(user) -> list[ImportScope]:
    """Where the user may create people: each province they administer, each commune they review elsewhere."""
    scope = scope_for(user)
    provinces = Province.objects.order_by("name")
    if not scope.is_admin:
        provinces = provinces.filter(pk__in=scope.admin_province_ids)
    out = [ImportScope(f"p{p.pk}", f"Mọi xã/phường của {p}", p, None) for p in provinces]
    administered = {s.province.pk for s in out}
    communes = Commune.objects.filter(pk__in=scope.reviewer_commune_ids).select_related("province")
    out += [
        ImportScope(f"c{c.pk}", f"{c} ({c.province})", c.province, c)
        for c in communes.order_by("name")
        if c.province_id not in administered
    ]
    return out


def _scopes_or_403(request: HttpRequest) -> list[ImportScope]:
    scopes = import_scopes(request.user)
    if not scopes:
        raise PermissionDenied("Chỉ quản trị tỉnh và Phòng Văn hóa - Xã hội mới nhập danh sách người dùng.")
    return scopes


def _batch_for(request: HttpRequest, batch_id: int) -> PeopleBatch:
    _scopes_or_403(request)
    scope = scope_for(request.user)
    visible = Q() if scope.is_admin else Q(province_id__in=scope.admin_province_ids)
    if not scope.is_admin:
        visible |= Q(commune_id__in=scope.reviewer_commune_ids)
    return get_object_or_404(
        PeopleBatch.objects.filter(visible).select_related("province", "commune"), pk=batch_id
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    scopes = _scopes_or_403(request)
    form = PeopleUploadForm(
        request.POST or None, request.FILES or None, scopes=[(s.key, s.label) for s in scopes]
    )
    if request.method == "POST" and form.is_valid():
        chosen = next(s for s in scopes if s.key == form.cleaned_data["scope"])
        batch = people_batch_create(
            province=chosen.province,
            commune=chosen.commune,
            user=request.user,
            upload_name=form.cleaned_data["file"].name,
            data=form.data_bytes,
        )
        return redirect("imports:people_preview", people_batch_id=batch.pk)
    return render(request, "imports/people_upload.html", {"form": form})


@login_required
def preview(request: HttpRequest, people_batch_id: int) -> HttpResponse:
    batch = _batch_for(request, people_batch_id)
    if batch.imported_at:
        messages.info(request, "Danh sách này đã được nhập.")
        return redirect("imports:people_upload")
    try:
        result = people_batch_import(batch=batch, dry_run=True)
    except (BadFile, ValueError) as error:
        messages.error(request, str(error))
        return redirect("imports:people_upload")
    context = {
        "batch": batch,
        "result": result,
        "confirm_form": PeopleConfirmForm(initial={"sha256": batch.sha256}),
    }
    return render(request, "imports/people_preview.html", context)


@never_cache
@login_required
@require_POST
def confirm(request: HttpRequest, people_batch_id: int) -> HttpResponse:
    batch = _batch_for(request, people_batch_id)
    back = redirect("imports:people_preview", people_batch_id=batch.pk)
    if batch.imported_at:
        messages.info(request, "Danh sách này đã được nhập.")
        return redirect("imports:people_upload")
    form = PeopleConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Thiếu mã xác nhận của bản xem trước. Hãy xem trước lại rồi xác nhận.")
        return back
    try:
        result = people_batch_import(batch=batch, dry_run=False, expected_sha256=form.cleaned_data["sha256"])
    except PeopleRefused as refused:
        messages.error(request, f"Chưa nhập: tệp còn {len(refused.result.problems)} lỗi.")
        return back
    except (BadFile, ValueError) as error:
        messages.error(request, str(error))
        return back
    # Rendered, not redirected: the one-time passwords exist only in this answer (never cached, see above).
    return render(request, "imports/people_done.html", {"batch": batch, "result": result})


@login_required
def template(request: HttpRequest) -> HttpResponse:
    scopes = _scopes_or_403(request)
    place = Q()
    for scope in scopes:
        place |= Q(commune=scope.commune) if scope.commune else Q(commune__province=scope.province)
    units = Unit.objects.active().filter(place).select_related("commune").order_by("commune__name", "name")
    return _xlsx(people_template_workbook(units), "mau-nhap-nguoi-dung.xlsx")


@login_required
def first_password(request: HttpRequest) -> HttpResponse:
    """Set a password of one's own; only for someone whose password was chosen for them (see
    imports.first_password), others change theirs on the usual page."""
    if password_change_pending(request.user) is None:
        return redirect("password_change")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        password_change_clear(user=user)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, "Đã lưu mật khẩu của bạn.")
        return redirect("home")
    return render(request, "registration/first_password.html", {"form": form})
