"""Forms of the customer's requests. Each validates and normalises; the services write."""

import re
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal import fields as portal_fields
from portal import validators
from portal.registers import REGISTERS, Category, Register
from portal.registers.marketing import objection_choices

# The same normalisers as the model fields and the CSV import, so that what the customer
# types is compared and stored in the form the register keeps.
NORMALIZERS = (
    (portal_fields.NormalizedEmailField, validators.normalize_email),
    (portal_fields.PhoneNumberField, validators.normalize_phone),
    (portal_fields.PostalCodeField, validators.normalize_postal_code),
    (portal_fields.BusinessIdField, validators.normalize_business_id),
)

# WCAG 1.3.5: tell the browser what each field is, so it can help fill it in.
AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "company_name": "organization",
    "street_address": "address-line1",
    "postal_code": "postal-code",
    "post_office": "address-level2",
    "delivery_address": "shipping address-line1",
    "delivery_postal_code": "shipping postal-code",
    "delivery_post_office": "shipping address-level2",
    "phone": "tel",
    "fax": "fax tel",
    "email": "email",
}

# The objection form's options, as the registers' marketing policies declare them.
OBJECTION_LABELS = {o.choice: o.label for o in objection_choices(REGISTERS)}


class PortalForm(validators.PlainTextFormMixin, forms.Form):
    """Labels without a trailing colon, as on the portal's other pages; no control
    characters in what is typed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


_SUBMISSION_KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class SubmissionKeyField(forms.CharField):
    """A random token put in the form when it is shown; the request it makes keeps it, so
    the same form sent again gives that request (services/once.py). A missing or garbled
    key is no key, never an error the customer could neither see nor fix."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        return value if isinstance(value, str) and _SUBMISSION_KEY_RE.fullmatch(value) else ""


class SubmittedOnceForm(PortalForm):
    """A form that makes a request: sent twice, it makes it once."""

    submission = SubmissionKeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].initial = secrets.token_urlsafe(24)

    @property
    def submission_key(self) -> str:
        return self.cleaned_data.get("submission", "")


def as_text(value) -> str:
    return "" if value is None else str(value)


class NormalizedField(forms.CharField):
    def __init__(self, *, normalizer=None, **kwargs):
        self.normalizer = normalizer
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.normalizer(value) if value and self.normalizer else value


def _form_field(model_field) -> forms.Field:
    normalizer = next((n for cls, n in NORMALIZERS if isinstance(model_field, cls)), None)
    widget = forms.EmailInput if normalizer is validators.normalize_email else forms.TextInput
    autocomplete = AUTOCOMPLETE.get(model_field.name)
    return NormalizedField(
        normalizer=normalizer,
        label=capfirst(model_field.verbose_name),
        max_length=model_field.max_length,
        required=not model_field.blank,
        widget=widget(attrs={"autocomplete": autocomplete} if autocomplete else {}),
    )


def offered_fields(register: Register, record) -> tuple:
    """The correctable fields offered for `record`: company details only when it holds any
    (a private person is not asked for a business ID)."""
    specs = register.correctable_fields
    company = [spec for spec in specs if spec.category == Category.COMPANY]
    if not any(getattr(record, spec.name) for spec in company):
        specs = tuple(spec for spec in specs if spec.category != Category.COMPANY)
    return specs


class RectificationForm(PortalForm):
    """The fields the register declaration marks correctable, and only those: anything else
    in the POST (payment terms, credit limit, ...) is never read."""

    def __init__(self, *args, register: Register, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.register, self.record = register, record
        self.specs = offered_fields(register, record)
        for spec in self.specs:
            self.fields[spec.name] = _form_field(record._meta.get_field(spec.name))
            self.initial.setdefault(spec.name, as_text(getattr(record, spec.name)))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.changes():
            raise ValidationError(
                _("You did not change anything. Edit the details that are wrong, then continue."),
                code="no_changes",
            )
        return cleaned

    def groups(self):
        """[(category label, [bound fields])], in declaration order, one fieldset each."""
        grouped: dict[str, list] = {}
        for spec in self.specs:
            grouped.setdefault(spec.category, []).append(self[spec.name])
        return [(Category.labels[key], fields) for key, fields in grouped.items()]

    def changes(self) -> dict[str, str]:
        """Normalised new values of the fields that differ from the record."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value != as_text(getattr(self.record, name))
        }


class AcrossRegistersForm(PortalForm):
    """Correct my details: each distinct detail once (subject_requests.across_registers), the
    registers holding it named under it. Only the details offered are read."""

    def __init__(self, *args, details, **kwargs):
        super().__init__(*args, **kwargs)
        self.details = details
        for detail in details:
            model_fields = [h.model_field for h in detail.holders]
            field = _form_field(model_fields[0])
            field.max_length = min(f.max_length or 4000 for f in model_fields)
            field.required = detail.value != "" and not all(f.blank for f in model_fields)
            field.help_text = _("Held in: %(registers)s") % {
                "registers": ", ".join(str(r.short_name) for r in detail.registers)
            }
            self.fields[detail.key] = field
            self.initial.setdefault(detail.key, detail.value)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        changed = self.changes()
        if not changed:
            raise ValidationError(
                _("You did not change anything. Edit the details that are wrong, then continue."),
                code="no_changes",
            )
        emails = {new for key, (_old, new) in changed.items() if self._is_email(key) and new}
        if len(emails) > 1:
            raise ValidationError(_("Change one email address at a time."), code="several_emails")
        return cleaned

    def _is_email(self, key) -> bool:
        detail = next(d for d in self.details if d.key == key)
        return "email" in detail.field_names

    def groups(self):
        """[(category label, [bound fields])], one fieldset each."""
        grouped: dict[str, list] = {}
        for detail in self.details:
            grouped.setdefault(detail.category, []).append(self[detail.key])
        return [(Category.labels[key], fields) for key, fields in grouped.items()]

    def changes(self) -> dict[str, tuple[str, str]]:
        """form key -> (the value shown, the normalised new value), for what differs."""
        return {
            d.key: (d.value, self.cleaned_data[d.key])
            for d in self.details
            if d.key in self.cleaned_data and self.cleaned_data[d.key] != d.value
        }


class CodeForm(PortalForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class ObjectionForm(SubmittedOnceForm):
    """A checkbox per declared objection; its field name is the objection's code."""

    def __init__(self, *args, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the choices that apply to the person and are not yet in force can be sent
        # (services.objection.objection_states); without states, every declared choice.
        self.states = states
        offered = (
            {s.objection.choice: s.objection.label for s in states if not s.in_force}
            if states is not None
            else OBJECTION_LABELS
        )
        for choice, label in offered.items():
            self.fields[choice] = forms.BooleanField(required=False, label=label)

    def clean(self):
        cleaned = super().clean()
        if not self.choices():
            raise ValidationError(_("Choose at least one of the options."), code="no_choice")
        return cleaned

    def choices(self) -> set[str]:
        offered = set(self.fields) & set(OBJECTION_LABELS)
        return {name for name in offered if self.cleaned_data.get(name)}


class RequestNoteForm(SubmittedOnceForm):
    """Erasure and restriction: the register says what; a note is optional."""

    description = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OtherRequestForm(SubmittedOnceForm):
    description = forms.CharField(
        label=_("Your request"),
        help_text=_("Say what you would like us to do, and which data it concerns."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
