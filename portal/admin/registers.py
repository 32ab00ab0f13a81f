"""The register data in the admin: a ModelAdmin for every model a declaration names.

The registers below have admins of their own, written for how staff use them; any other
declared model (a register added later, an event under a record) gets one built from its
declaration, so that no register is left out of the admin.
"""

from django.apps import apps
from django.contrib import admin
from django.db import models as db
from django.utils.translation import gettext_lazy as _

from portal import models
from portal.admin.audited import AuditedModelAdmin
from portal.registers.catalogue import DECLARED_MODELS, DeclaredModel


@admin.register(models.DataSubject)
class DataSubjectAdmin(AuditedModelAdmin):
    list_display = ["display_name", "public_id", "created_at"]
    search_fields = ["display_name"]
    readonly_fields = ["public_id", "created_at"]


class RestrictedFilter(admin.SimpleListFilter):
    """Art. 18: staff must see at a glance which records are restricted."""

    title = _("processing restricted")
    parameter_name = "restricted"

    def lookups(self, request, model_admin):
        return [("yes", _("restricted")), ("no", _("not restricted"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(restricted_at__isnull=self.value() == "no")
        return queryset


class _RecordAdmin(AuditedModelAdmin):
    list_select_related = ["subject"]
    raw_id_fields = ["subject"]
    # Art. 18(3): a restriction ends only by the staff action that tells the person first
    # (the lift on the staff request page), never by clearing the date here.
    readonly_fields = ["created_at", "updated_at", "restricted_at"]

    @admin.display(description=_("restricted"), boolean=True, ordering="restricted_at")
    def restricted(self, obj):
        return obj.restricted_at is not None


@admin.register(models.BillingCustomer)
class BillingCustomerAdmin(_RecordAdmin):
    list_display = [
        "customer_number",
        "__str__",
        "customer_type",
        "email",
        "credit_limit",
        "restricted",
    ]
    list_filter = ["customer_type", RestrictedFilter]
    search_fields = [
        "customer_number",
        "first_name",
        "last_name",
        "company_name",
        "email",
        "business_id",
    ]


@admin.register(models.PostalRecipient)
class PostalRecipientAdmin(_RecordAdmin):
    list_display = [
        "customer_number",
        "__str__",
        "postal_code",
        "post_office",
        "disclosure_allowed",
        "postal_marketing_allowed",
        "restricted",
    ]
    list_filter = ["disclosure_allowed", "postal_marketing_allowed", RestrictedFilter]
    search_fields = ["customer_number", "first_name", "last_name", "company_name", "street_address"]


@admin.register(models.NewsletterSubscription)
class NewsletterSubscriptionAdmin(_RecordAdmin):
    list_display = ["email", "status", "subscribed_at", "confirmed_at", "restricted"]
    list_filter = ["status", RestrictedFilter]
    search_fields = ["email", "customer_number"]


class OrderInline(admin.TabularInline):
    model = models.Order
    fields = ["number", "placed_at", "status", "total"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.WebshopAccount)
class WebshopAccountAdmin(_RecordAdmin):
    list_display = ["username", "__str__", "email", "customer_number", "restricted"]
    list_filter = [RestrictedFilter]
    search_fields = [
        "username",
        "email",
        "customer_number",
        "first_name",
        "last_name",
        "company_name",
    ]
    # The password hash is not editable and never displayed; only whether one exists.
    readonly_fields = [
        "has_password_display",
        "password_changed_at",
        *_RecordAdmin.readonly_fields,
    ]
    inlines = [OrderInline]

    @admin.display(description=_("password set"), boolean=True)
    def has_password_display(self, obj):
        return obj.has_password


class _EventInline(admin.TabularInline):
    extra = 0


class DeliveryInline(_EventInline):
    model = models.Delivery


class InvoiceInline(_EventInline):
    model = models.Invoice


class ReturnInline(_EventInline):
    model = models.Return


@admin.register(models.Order)
class OrderAdmin(AuditedModelAdmin):
    list_display = ["number", "account", "placed_at", "status", "total"]
    list_filter = ["status"]
    search_fields = ["number", "account__username"]
    list_select_related = ["account"]
    raw_id_fields = ["account"]
    inlines = [DeliveryInline, InvoiceInline, ReturnInline]


def _fields(model, names):
    return [model._meta.get_field(name) for name in names]


def _filters(fields) -> list[str]:
    return [f.name for f in fields if f.choices or isinstance(f, db.BooleanField)]


def _searchable(fields) -> list[str]:
    return [f.name for f in fields if isinstance(f, db.CharField) and not f.choices]


def _record_admin(declared: DeclaredModel, model) -> type[admin.ModelAdmin]:
    register = declared.register
    secret = [s.name for s in register.fields if s.secret]
    shown = _fields(
        model,
        [
            s.name
            for s in register.fields
            if not s.secret and s.name not in register.internal_fields
        ],
    )
    attrs = {
        "list_display": ["__str__", *[f.name for f in shown[:4]], "restricted"],
        "list_filter": [*_filters(shown), RestrictedFilter],
        "search_fields": _searchable(shown),
        # A secret is never shown or edited in the admin either, only kept.
        "exclude": secret,
    }
    return type(f"{model.__name__}Admin", (_RecordAdmin,), attrs)


def _event_admin(declared: DeclaredModel, model) -> type[admin.ModelAdmin]:
    shown = _fields(model, declared.related.fields)
    links = [f.name for f in model._meta.concrete_fields if f.is_relation]
    attrs = {
        "list_display": ["__str__", *[f.name for f in shown[:5]]],
        "list_filter": _filters(shown),
        "search_fields": _searchable(shown),
        "list_select_related": links,
        "raw_id_fields": links,
    }
    return type(f"{model.__name__}Admin", (AuditedModelAdmin,), attrs)


def declared_admin(declared: DeclaredModel, model) -> type[admin.ModelAdmin]:
    """An audited admin for a declared model, from the fields its declaration lists."""
    build = _record_admin if declared.related is None else _event_admin
    return build(declared, model)


for _declared in DECLARED_MODELS:
    _model = apps.get_model(_declared.label)
    if not admin.site.is_registered(_model):
        admin.site.register(_model, declared_admin(_declared, _model))
