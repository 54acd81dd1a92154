from django.contrib import admin

from plans.models import ReportingPeriod
from reports.models import Report


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "commune", "province", "start", "end", "due_date", "locked_at"]
    list_filter = ["province", "commune", "kind", "year"]
    search_fields = ["commune__name"]
    list_select_related = ["province", "commune"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: reports change through their pages (services), so a sent version stays as it was sent."""

    list_display = ["plan", "period", "version", "status", "number", "report_date", "sent_at"]
    list_filter = ["status", "plan__commune__province"]
    search_fields = ["plan__commune__name", "number", "subject"]
    list_select_related = ["plan__commune", "period"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
