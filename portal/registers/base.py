"""The shape of a register declaration.

A register is declared once (see the sibling modules); the privacy notice, the customer's
own pages, the extract, the export and the correction forms all read that declaration.
Field labels come from the model fields' verbose names, so they are written only once too.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category:
    """Categories of personal data (Art. 15(1)(b)), keyed so that forms and exports agree."""

    IDENTITY = "identity"
    CONTACT = "contact"
    DELIVERY = "delivery"
    COMPANY = "company"
    CREDIT = "credit"
    MARKETING = "marketing"
    CREDENTIALS = "credentials"
    TRANSACTIONS = "transactions"
    ADMINISTRATIVE = "administrative"

    labels = {
        IDENTITY: _("name"),
        CONTACT: _("contact details"),
        DELIVERY: _("delivery details"),
        COMPANY: _("company details"),
        CREDIT: _("payment terms and credit"),
        MARKETING: _("direct-marketing choices"),
        CREDENTIALS: _("web-shop sign-in details"),
        TRANSACTIONS: _("orders, deliveries, invoices and returns"),
        ADMINISTRATIVE: _("customer number and record dates"),
    }


class Concept:
    """Shared meanings of correctable fields. Fields of different registers with the same
    concept and the same value are one detail to the person (an address held in billing,
    postal and the web shop)."""

    GIVEN_NAME = "given_name"
    FAMILY_NAME = "family_name"
    FULL_NAME = "full_name"
    COMPANY_NAME = "company_name"
    BUSINESS_ID = "business_id"
    CONTACT_PERSON = "contact_person"
    STREET_ADDRESS = "street_address"
    POSTAL_CODE = "postal_code"
    POST_OFFICE = "post_office"
    DELIVERY_ADDRESS = "delivery_address"
    DELIVERY_POSTAL_CODE = "delivery_postal_code"
    DELIVERY_POST_OFFICE = "delivery_post_office"
    DELIVERY_INSTRUCTIONS = "delivery_instructions"
    PHONE = "phone"
    FAX = "fax"
    EMAIL = "email"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    category: str
    correctable: bool = False
    # A secret is never shown or exported; only that it exists (and when it last changed).
    secret: bool = False
    # Why a customer cannot correct it themselves (business decisions are disputed instead).
    not_correctable_reason: Promise | None = None
    # What the field means across registers (a Concept): the correction form shows a value
    # held under the same concept in several registers once, and corrects it in each.
    concept: str = ""


@dataclass(frozen=True)
class RelatedSpec:
    """Events held under a record (the web shop's orders, deliveries, invoices, returns)."""

    key: str
    model: str
    path: str  # ORM lookup from the event model to the register record
    fields: tuple[str, ...]
    internal_fields: tuple[str, ...] = ("id",)

    @cached_property
    def model_class(self):
        return apps.get_model(self.model)

    @property
    def title(self):
        return self.model_class._meta.verbose_name_plural


@dataclass(frozen=True)
class Register:
    key: str
    seed_section: str
    name: Promise
    short_name: Promise
    model: str
    subject_relation: str  # related name from DataSubject to the records
    purpose: Promise
    legal_basis: Promise
    data_categories: tuple[str, ...]
    sources: tuple[Promise, ...]
    transfers: Promise
    retention: tuple[Promise, ...]
    fields: tuple[FieldSpec, ...]
    related: tuple[RelatedSpec, ...] = ()
    automated_decisions: Promise = field(
        default=_(
            "None. No decisions about you are made by automated means alone, "
            "and you are not profiled."
        )
    )
    # Model fields that are bookkeeping, not register content shown as such.
    internal_fields: tuple[str, ...] = ("id", "subject")
    # Every other policy of the register lives here too, each typed in its own module
    # (portal/registers/<policy>.py), so that no code outside the declarations needs to
    # branch on a register key.
    recipient_list: tuple = ()  # portal.registers.recipients.Recipient
    retention_rule: object = None  # portal.registers.retention
    erasure: object = None  # portal.registers.erasure.ErasurePolicy
    import_format: object = None  # portal.registers.importing.ImportSpec
    marketing: object = None  # portal.registers.marketing.MarketingPolicy
    # Art. 13(2)(e): must the person provide the data, and what follows if not.
    provision: object = None  # portal.registers.provision.Provision
    # Art. 30(1)(c): whose data the register holds (the record of processing activities).
    data_subjects: tuple[Promise, ...] = ()
    scale: object = None  # portal.registers.scale.ScaleSpec (generate_scale_data only)
    # Art. 21(1): purposes resting on legitimate interest, which the person may object to.
    legitimate_interests: tuple = ()  # portal.registers.interests.LegitimateInterest

    @cached_property
    def model_class(self):
        return apps.get_model(self.model)

    def field_label(self, name: str):
        return self.model_class._meta.get_field(name).verbose_name

    @property
    def correctable_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.correctable)

    @property
    def fields_by_category(self):
        """[(category label, [field labels])] in declaration order, for the privacy notice."""
        grouped: dict[str, list] = {}
        for spec in self.fields:
            grouped.setdefault(spec.category, []).append(self.field_label(spec.name))
        if self.related:
            grouped.setdefault(Category.TRANSACTIONS, []).extend(r.title for r in self.related)
        return [(Category.labels[key], labels) for key, labels in grouped.items()]

    @property
    def category_labels(self):
        return [Category.labels[c] for c in self.data_categories]

    def records_for(self, subject):
        return getattr(subject, self.subject_relation).all()
