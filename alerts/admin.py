from django.contrib import admin

from alerts.models import ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """Read-only: rows are written only by `send_reminders`.

    Deleting stays allowed (deleting a user cascades here), at the price of allowing that day's email again.
    """

    list_display = ["day", "user", "email", "subject", "sent_at"]
    list_filter = ["day"]
    search_fields = ["user__username", "email", "subject"]
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
