from django.contrib import admin

from portal.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only: no one adds, changes or deletes events here."""

    list_display = ["seq", "created_at", "action", "actor", "subject", "target"]
    list_filter = ["action"]
    search_fields = ["action", "target"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    list_select_related = ["actor", "subject"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
