from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from administration.forms import ActiveForm, MembershipForm
from administration.selectors import commune_people, managed_commune, managed_membership
from units import services


@login_required
def people(request: HttpRequest, commune_id: int) -> HttpResponse:
    commune = managed_commune(request.user, commune_id)
    context = {"commune": commune, "people": commune_people(commune), "tab": "people"}
    return render(request, "administration/people.html", context)


def _person(request: HttpRequest, commune_id: int, user_id: int):
    commune = managed_commune(request.user, commune_id)
    return commune, get_object_or_404(commune_people(commune), pk=user_id)


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def person(request: HttpRequest, commune_id: int, user_id: int) -> HttpResponse:
    """A person's units and roles in the commune: add one (a person may hold several) or take one away."""
    commune, member = _person(request, commune_id, user_id)
    form = MembershipForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(user=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã thêm {membership.unit.name} ({membership.get_role_display()}).")
            return redirect("administration:person", commune_id=commune.pk, user_id=member.pk)
    status = 400 if form.errors else 200
    context = {"commune": commune, "member": member, "form": form, "tab": "people"}
    return render(request, "administration/person.html", context, status=status)


@login_required
@require_POST
def person_active(request: HttpRequest, commune_id: int, user_id: int) -> HttpResponse:
    commune, member = _person(request, commune_id, user_id)
    form = ActiveForm(request.POST)
    back = redirect("administration:person", commune_id=commune.pk, user_id=member.pk)
    if not form.is_valid():
        messages.error(request, "Yêu cầu không hợp lệ; tài khoản giữ nguyên.")
        return back
    try:
        services.person_set_active(person=member, active=form.cleaned_data["active"], actor=request.user)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
        return back
    name = member.get_full_name() or member.username
    if form.cleaned_data["active"]:
        messages.success(request, f"Đã mở lại tài khoản của {name}.")
    else:
        messages.success(
            request, f"Đã khóa tài khoản của {name}; số liệu và lịch sử của người này vẫn giữ nguyên."
        )
    return back


@login_required
@require_POST
def membership_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = managed_membership(request.user, membership_id)
    commune, member = membership.unit.commune, membership.user
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, f"Đã bỏ {membership.unit.name} khỏi các đơn vị của người này.")
    return redirect("administration:person", commune_id=commune.pk, user_id=member.pk)
