from django.contrib import admin

from reports.models import ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "commune", "province", "start", "end", "due_date", "locked_at"]
    list_filter = ["province", "commune", "kind", "year"]
    search_fields = ["commune__name"]
    list_select_related = ["province", "commune"]
