from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from units.models import Commune, Membership, Province, ProvinceAdministrator, ProvinceViewer, Unit
from units.resources import UnitResource
from units.services import unit_check_name, unit_derive, unit_save


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "code"]
    list_filter = ["province", "kind"]
    search_fields = ["name", "code"]
    list_select_related = ["province"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class UnitAdminForm(forms.ModelForm):
    def clean(self):
        # The matching key is no form field, so the form's own checks skip its uniqueness: check it here, as
        # the service will, so a second spelling of one office is a message on the form, never a server error.
        data = super().clean()
        if data.get("name") and data.get("commune"):
            probe = Unit(pk=self.instance.pk, commune=data["commune"], name=data["name"])
            try:
                unit_check_name(unit=unit_derive(unit=probe))
            except ValidationError as error:
                self.add_error("name", error.message_dict["name"])
        return data


@admin.register(Unit)
class UnitAdmin(ImportExportModelAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "short_name", "kind", "commune", "active"]
    list_filter = ["commune__province", "commune", "kind", "active"]
    search_fields = ["name", "short_name", "aliases"]
    list_select_related = ["commune"]
    inlines = [MembershipInline]

    form = UnitAdminForm

    def get_queryset(self, request):
        # The autocomplete labels each unit with its commune (UnitAwareAutocompleteView).
        return super().get_queryset(request).select_related("commune")

    def save_model(self, request, obj, form, change):
        unit_save(unit=obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "commune"]
    list_filter = ["role", "unit__commune"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    list_select_related = ["user", "unit__commune"]
    autocomplete_fields = ["user", "unit"]

    @admin.display(description=_("xã/phường"), ordering="unit__commune__name")
    def commune(self, obj: Membership):
        return obj.unit.commune


@admin.register(ProvinceViewer)
class ProvinceViewerAdmin(admin.ModelAdmin):
    list_display = ["user", "province"]
    list_filter = ["province"]
    autocomplete_fields = ["user"]


@admin.register(ProvinceAdministrator)
class ProvinceAdministratorAdmin(admin.ModelAdmin):
    list_display = ["user", "province"]
    list_filter = ["province"]
    autocomplete_fields = ["user"]


class UnitAwareAutocompleteView(AutocompleteJsonView):
    """Every commune has its `Phòng Văn hóa - Xã hội`: the membership form's unit search names the commune
    after each unit, or the same name shows once per commune and nobody can tell which to pick."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Unit):
            result["text"] = f"{obj.name} – {obj.commune}"
        return result


def _unit_aware_autocomplete(request):
    return UnitAwareAutocompleteView.as_view(admin_site=admin.site)(request)


# The autocomplete route belongs to the site, not to a model's admin; the site's URLs are built after every
# admin module has run (config.urls), so they take this view.
admin.site.autocomplete_view = _unit_aware_autocomplete
