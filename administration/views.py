from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from administration.forms import CommuneForm
from administration.selectors import (
    administered_provinces,
    administrator_scope,
    checklist,
    managed_commune,
    with_checklist,
)
from units.models import Commune
from units.services import commune_create as create_commune


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The province administrator's communes with what each still lacks; a commune's reviewer goes
    straight to their own commune."""
    scope = administrator_scope(request.user)
    if not (scope.is_admin or scope.admin_province_ids):
        return redirect("administration:commune", commune_id=min(scope.reviewer_commune_ids))
    provinces = administered_provinces(request.user)
    communes = with_checklist(Commune.objects.filter(province__in=provinces).select_related("province"))
    rows = []
    for commune in communes.order_by("province__name", "name"):
        steps = checklist(commune)
        rows.append((commune, [step for step in steps if not step.done], len(steps)))
    return render(request, "administration/home.html", {"rows": rows, "provinces": provinces})


@login_required
def commune_create(request: HttpRequest) -> HttpResponse:
    form = CommuneForm(request.POST or None, provinces=administered_provinces(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            commune = create_commune(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã tạo {commune}. Bước tiếp theo: dán danh sách đơn vị của xã.")
            return redirect("administration:commune", commune_id=commune.pk)
    status = 400 if form.errors else 200
    return render(request, "administration/commune_form.html", {"form": form}, status=status)


@login_required
def commune(request: HttpRequest, commune_id: int) -> HttpResponse:
    """ "Bắt đầu": what the commune needs to be in service, each missing step linked to where it is done."""
    commune = managed_commune(request.user, commune_id, checklist=True)
    steps = checklist(commune)
    context = {"commune": commune, "steps": steps, "done": sum(step.done for step in steps), "tab": "start"}
    return render(request, "administration/commune.html", {**context, "title": _("Bắt đầu")})
