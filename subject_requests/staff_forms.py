"""Forms of the staff pages: the queue filters and one form per decision."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.validators import PlainTextFormMixin
from subject_requests.models import DataRequest

OPEN = "open"
ANY = "all"

APPROVE = "approve"
REJECT = "reject"
DECISIONS = [(APPROVE, _("Approve")), (REJECT, _("Reject"))]

TO_CUSTOMER = _(
    "The customer receives this text by email, with their right to lodge a "
    "complaint with the Data Protection Ombudsman."
)


class QueueFilterForm(PlainTextFormMixin, forms.Form):
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", pgettext_lazy("request type", "any"))] + DataRequest.Type.choices,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("open (received or in review)")), (ANY, _("any status"))]
        + DataRequest.Status.choices,
    )
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("anyone")), ("me", _("me")), ("unassigned", _("nobody yet"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Name or email"), required=False, max_length=200)

    def filters(self) -> dict:
        """What to filter by (bind the form, even to an empty query); a value that does not
        validate falls back to its default."""
        self.is_valid()  # cleaned_data then holds the fields that did validate
        data = self.cleaned_data
        return {
            "type": data.get("type", ""),
            "status": data.get("status") or OPEN,
            "assignee": data.get("assignee", ""),
            "overdue": data.get("overdue", False),
            "search": data.get("q", ""),
        }


class _PageForm(PlainTextFormMixin, forms.Form):
    """One of several forms on the detail page: its ids must not clash with the others'."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class NoteForm(_PageForm):
    id_prefix = "note"

    note = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by staff only, kept in the request's history."),
    )


class RejectForm(_PageForm):
    id_prefix = "reject"

    reason = forms.CharField(
        label=_("Reason for rejecting"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=TO_CUSTOMER,
    )


class UnfoundedForm(_PageForm):
    id_prefix = "unfounded"

    justification = forms.CharField(
        label=_("Written justification"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Art. 12(5): we must be able to show why the request is manifestly "
            "unfounded or excessive. The customer receives this text by email, with "
            "their right to lodge a complaint with the Data Protection Ombudsman."
        ),
    )


class ExtendForm(_PageForm):
    id_prefix = "extend"

    months = forms.TypedChoiceField(
        label=_("Extend by"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[(1, _("1 month")), (2, _("2 months"))],
    )
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Art. 12(3): the customer is told of the extension and its reasons by email."),
    )


class DecisionForm(_PageForm):
    """Erasure and restriction: approve, or reject with a reason."""

    id_prefix = "decision"

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason or message to the customer"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject; sent to the customer by email."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == REJECT and not data.get("reason"):
            self.add_error("reason", _("Give the reason; it is sent to the customer."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == APPROVE


class RegisterDecisionForm(_PageForm):
    """An erasure or restriction covering several registers, decided register by register:
    approve, or refuse with a reason (sent to the customer)."""

    id_prefix = "registers"

    reason = forms.CharField(
        label=_("Message to the customer (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, registers, terms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.registers = registers
        self.terms = terms or {}  # register key -> what approving does there
        for register in registers:
            self.fields[f"decision_{register.key}"] = forms.ChoiceField(
                label=register.name, choices=DECISIONS, widget=forms.RadioSelect
            )
            self.fields[f"reason_{register.key}"] = forms.CharField(
                label=_("Reason (required when you reject)"), max_length=2000, required=False
            )

    def clean(self):
        data = super().clean()
        for register in self.registers:
            key = register.key
            if data.get(f"decision_{key}") == REJECT and not data.get(f"reason_{key}"):
                self.add_error(f"reason_{key}", _("Give the reason; it is sent to the customer."))
        return data

    def fields_for(self):
        return [
            (
                register,
                self[f"decision_{register.key}"],
                self[f"reason_{register.key}"],
                self.terms.get(register.key, ()),
            )
            for register in self.registers
        ]

    def refused(self) -> dict[str, str]:
        return {
            register.key: self.cleaned_data[f"reason_{register.key}"]
            for register in self.registers
            if self.cleaned_data[f"decision_{register.key}"] == REJECT
        }


class RectificationForm(_PageForm):
    """One approve/reject choice and reason per field change. The current value shown to the
    member of staff goes back as `seen_<id>`, so a record that changed meanwhile is caught."""

    id_prefix = "fields"

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row.change.pk
            self.fields[f"decision_{pk}"] = forms.ChoiceField(
                label=row.change.label, choices=DECISIONS, widget=forms.RadioSelect
            )
            self.fields[f"reason_{pk}"] = forms.CharField(
                label=_("Reason"), max_length=2000, required=False
            )
            self.fields[f"seen_{pk}"] = forms.CharField(
                required=False, strip=False, widget=forms.HiddenInput, initial=row.current
            )

    def clean(self):
        data = super().clean()
        for row in self.rows:
            pk = row.change.pk
            if data.get(f"decision_{pk}") == REJECT and not data.get(f"reason_{pk}"):
                self.add_error(f"reason_{pk}", _("Give a reason for each rejected change."))
        return data

    def fields_for(self):
        """(row, decision, reason, seen) bound fields, in the order of the changes."""
        return [
            (
                row,
                self[f"decision_{row.change.pk}"],
                self[f"reason_{row.change.pk}"],
                self[f"seen_{row.change.pk}"],
            )
            for row in self.rows
        ]

    def decisions(self) -> dict[int, tuple[bool, str]]:
        return {
            row.change.pk: (
                self.cleaned_data[f"decision_{row.change.pk}"] == APPROVE,
                self.cleaned_data[f"reason_{row.change.pk}"],
            )
            for row in self.rows
        }

    def seen(self) -> dict[int, str]:
        # Browsers send line breaks as CRLF; the registers store LF.
        return {
            row.change.pk: self.cleaned_data[f"seen_{row.change.pk}"].replace("\r\n", "\n")
            for row in self.rows
        }


class AnswerForm(_PageForm):
    id_prefix = "answer"

    answer = forms.CharField(
        label=_("Answer"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=TO_CUSTOMER,
    )
