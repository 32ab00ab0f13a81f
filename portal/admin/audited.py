"""A ModelAdmin whose every save and delete writes an audit event in the same transaction."""

from django.contrib import admin
from django.db import transaction

from portal.audit import audit_record
from portal.audit.changes import record_update
from portal.registers.catalogue import SUBJECT_PATHS


def subject_of(obj):
    """The data subject a register object belongs to, along the lookup its declaration gives
    (a web-shop invoice: order, account, subject); None for anything else."""
    if obj._meta.label_lower == "portal.datasubject":
        return obj
    path = SUBJECT_PATHS.get(obj._meta.label_lower)
    if path is None:
        return None
    current = obj
    for attr in path.split("__"):
        current = getattr(current, attr, None)  # None stays None to the end
    return current


def _changes(form):
    """{field: {"old": ..., "new": ...}} for the fields the form changed."""
    return {
        name: {"old": form.initial.get(name), "new": form.cleaned_data.get(name)}
        for name in form.changed_data
    }


def _changed_values(form) -> dict:
    """{field: new value} of the model fields the form changed."""
    fields = {field.name for field in form.instance._meta.concrete_fields}
    return {name: getattr(form.instance, name) for name in form.changed_data if name in fields}


class AuditedModelAdmin(admin.ModelAdmin):
    """Staff changes to register data are audited with old and new values (DESIGN: audit).
    A change goes through record_update, as every service's does: the stored record gets the
    fields the form changed, and the event their old and new values."""

    def _audit(self, request, obj, verb, details):
        audit_record(
            action=f"register.record.{verb}",
            actor=request.user,
            subject=subject_of(obj),
            target=obj,
            details={"model": obj._meta.label, "via": "admin", **details},
        )

    def _update(self, request, obj, form):
        stored = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        record_update(
            record=stored,
            changes=_changed_values(form),
            actor=request.user,
            subject=subject_of(obj),
            details={"model": obj._meta.label, "via": "admin"},
        )
        obj.refresh_from_db()

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                self._update(request, obj, form)
                return
            super().save_model(request, obj, form, change)
            self._audit(request, obj, "created", {"fields": _changes(form)})

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, obj, "deleted", {"repr": str(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, obj, "deleted", {"repr": str(obj)})
            super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                self._audit(request, obj, "deleted", {"repr": str(obj)})
                obj.delete()
            changed_forms = {f.instance.pk: f for f in formset.forms if f.has_changed()}
            for obj in instances:
                inline_form = changed_forms.get(obj.pk)
                if obj.pk is not None and inline_form is not None:
                    self._update(request, obj, inline_form)
                    continue
                created = obj.pk is None
                obj.save()
                fields = _changes(inline_form) if inline_form is not None else {}
                self._audit(request, obj, "created" if created else "changed", {"fields": fields})
            formset.save_m2m()
