from django.contrib import admin

from portal.models import AuditEvent, IssuedExtract


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept as evidence: shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, read-only: no one adds, changes or deletes events here."""

    list_display = ["seq", "created_at", "action", "actor", "subject", "target"]
    list_filter = ["action"]
    search_fields = ["action", "target"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    list_select_related = ["actor", "subject"]
    show_full_result_count = False


@admin.register(IssuedExtract)
class IssuedExtractAdmin(ReadOnlyAdmin):
    """Which copy of a customer's data was issued when (reference numbers), read-only."""

    list_display = ["reference", "issued_at", "format", "language", "user", "issued_by"]
    list_filter = ["format", "language"]
    search_fields = ["reference", "user__username"]
    readonly_fields = [
        "reference",
        "issued_at",
        "user",
        "issued_by",
        "subjects",
        "format",
        "language",
        "sha256",
    ]
