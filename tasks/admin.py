from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tasks.models import Task, TaskAssignment, TaskUpdate
from tasks.services import task_refresh_parsed


class AssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0
    fields = ["role", "text", "unit"]
    readonly_fields = ["role", "text", "unit"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "short_description",
        "section",
        "lead_text",
        "deadline_text",
        "due_date",
        "plan",
    ]
    list_display_links = ["number", "short_description"]
    list_filter = ["plan__commune", "plan", "section__pillar", "deadline_kind", "assignments__unit"]
    search_fields = ["description", "lead_text", "number"]
    list_select_related = ["section", "plan__commune"]
    ordering = ["plan", "order"]
    readonly_fields = ["deadline_kind", "due_date"]
    inlines = [AssignmentInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The deadline and the units are typed as printed; their parsed form follows through the service.
        task_refresh_parsed(task=form.instance)

    @admin.display(description="nhiệm vụ", ordering="description")
    def short_description(self, obj: Task) -> str:
        return obj.description[:100]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["task", "period", "progress", "percent_complete", "status"]
    list_filter = ["task__plan__commune", "status", "progress", "period__year", "period__kind"]
    search_fields = ["task__description", "results"]
    list_select_related = ["task", "period"]
    readonly_fields = ["version", "created_at", "updated_at"]
