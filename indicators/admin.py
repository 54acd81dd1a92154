from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Indicator, IndicatorAssignment, IndicatorResult, Target
from indicators.services import indicator_refresh_parsed


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = [
        "year",
        "raw_text",
        "kind",
        "comparator",
        "value",
        "min_value",
        "max_value",
        "unit_of_measure",
        "qualifier",
    ]
    readonly_fields = [
        "kind",
        "comparator",
        "value",
        "min_value",
        "max_value",
        "unit_of_measure",
        "qualifier",
    ]


class AssignmentInline(admin.TabularInline):
    model = IndicatorAssignment
    extra = 0
    fields = ["role", "text", "unit"]
    readonly_fields = ["role", "text", "unit"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "section", "lead_text", "plan"]
    list_display_links = ["number", "short_name"]
    list_filter = ["plan__commune", "plan", "section__pillar", "assignments__unit"]
    search_fields = ["name", "lead_text", "number"]
    list_select_related = ["section", "plan__commune"]
    ordering = ["plan", "order"]
    inlines = [TargetInline, AssignmentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Targets and units are typed as printed; their parsed form follows through the same service.
        indicator_refresh_parsed(indicator=form.instance)

    @admin.display(description="chỉ tiêu", ordering="name")
    def short_name(self, obj: Indicator) -> str:
        return obj.name[:100]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "raw_text", "kind", "comparator", "value"]
    list_filter = ["indicator__plan__commune", "year", "kind"]
    search_fields = ["raw_text", "indicator__name"]
    list_select_related = ["indicator"]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period", "value", "numerator", "denominator", "flag", "verdict", "status"]
    list_filter = ["indicator__plan__commune", "status", "verdict", "period__year", "period__kind"]
    search_fields = ["indicator__name", "note"]
    list_select_related = ["indicator", "period"]
    readonly_fields = ["verdict", "version", "created_at", "updated_at"]
