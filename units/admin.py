from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from common.text import unit_key
from units.models import Commune, Membership, Province, ProvinceViewer, Unit
from units.resources import UnitResource


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


@admin.register(Unit)
class UnitAdmin(ImportExportModelAdmin):
    resource_classes = [UnitResource]
    list_display = ["name", "short_name", "kind", "commune", "active"]
    list_filter = ["commune__province", "commune", "kind", "active"]
    search_fields = ["name", "short_name", "aliases"]
    list_select_related = ["commune"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        # The matching key follows the name; it keeps two spellings of one office from becoming two units.
        obj.match_key = unit_key(obj.name)
        super().save_model(request, obj, form, change)


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
