"""A ModelAdmin whose every save and delete writes an audit event in the same transaction."""

from django.contrib import admin
from django.db import transaction

from accounts.roles import staff_role
from portal.audit import audit_record
from portal.audit.changes import record_update
from portal.audit.consultations import (
    REGISTER_MAINTENANCE,
    VIA_LIST,
    VIA_RECORD,
    consultation_record,
)
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


def _shown_subjects(model, rows) -> list:
    """The ids of the data subjects whose rows a list page shows, in one query."""
    pks = [row.pk for row in rows]
    if model._meta.label_lower == "portal.datasubject":
        return pks
    path = SUBJECT_PATHS.get(model._meta.label_lower)
    if path is None or not pks:
        return []
    ids = model._default_manager.filter(pk__in=pks).values_list(path, flat=True).distinct()
    return sorted(i for i in ids if i is not None)


def _reads(request, response) -> bool:
    """A page that showed data: a GET or HEAD answered with the page itself."""
    return request.method in ("GET", "HEAD") and response.status_code == 200


class AuditedModelAdmin(admin.ModelAdmin):
    """Staff changes to register data are audited with old and new values (DESIGN: audit).
    A change goes through record_update, as every service's does: the stored record gets the
    fields the form changed, and the event their old and new values.

    Reading is recorded too, as a consultation of each person whose data a page showed
    (C-579/21; portal.audit.consultations): a record's own pages (change, history, delete
    confirmation) and every list or search, for the people whose rows it listed."""

    def _consulted(self, request, subjects, via, target=None):
        if not subjects:
            return
        with transaction.atomic():
            consultation_record(
                actor=request.user,
                role=staff_role(request.user),
                subjects=subjects,
                purpose=REGISTER_MAINTENANCE,
                via=via,
                target=target if target is not None else self.model._meta.label,
            )

    def _object_page(self, request, response, key):
        obj = getattr(response, "context_data", {}).get(key) if _reads(request, response) else None
        subject = subject_of(obj) if obj is not None else None
        if subject is not None:
            self._consulted(request, [subject.pk], VIA_RECORD, target=obj)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._object_page(request, response, "original")

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._object_page(request, response, "object")

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        return self._object_page(request, response, "object")

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and _reads(request, response):
            self._consulted(request, _shown_subjects(self.model, changelist.result_list), VIA_LIST)
        return response

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
