from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from plans.models import BudgetLine, Plan, Section
from plans.resources import PlanResource


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["order", "kind", "number", "title", "pillar", "parent"]
    ordering = ["kind", "order"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["order", "year", "source", "item", "planned_amount", "spent_amount"]


@admin.register(Plan)
class PlanAdmin(ImportExportModelAdmin):
    resource_classes = [PlanResource]
    list_display = ["title", "number", "commune", "target_year", "kind", "status", "issue_date"]
    list_filter = ["commune__province", "commune", "target_year", "kind", "status"]
    search_fields = ["title", "number", "commune__name"]
    list_select_related = ["commune__province"]
    date_hierarchy = "period_start"
    inlines = [SectionInline, BudgetLineInline]
    readonly_fields = ["source", "created_at", "updated_at"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "pillar", "parent", "plan"]
    list_filter = ["plan__commune", "plan", "kind", "pillar"]
    search_fields = ["title"]
    list_select_related = ["plan__commune", "parent"]
    ordering = ["plan", "kind", "order"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["item", "year", "source", "planned_amount", "spent_amount", "plan"]
    list_filter = ["plan__commune", "year", "source"]
    search_fields = ["item"]
    list_select_related = ["plan__commune"]
