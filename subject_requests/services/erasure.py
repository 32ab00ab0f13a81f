"""Erasure (Art. 17) and restriction (Art. 18), decided by staff.

Erasure deletes or anonymises what the registers hold, except what the Accounting Act
(1336/1997, 2:10) requires us to keep: vouchers (invoices, refunds) 6 years and the books
10 years after the end of the financial year. The answer says what is kept and until when.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.audit import audit_record, audit_shred_subject
from portal.models import Delivery, Invoice
from portal.registers import REGISTERS, get_register
from subject_requests import suppression
from subject_requests.models import DataRequest
from subject_requests.services.base import locked, request_close

VOUCHER_YEARS = 6
# Kept on a customer record while its vouchers are kept: whom the invoice was for.
VOUCHER_FIELDS = {
    "customer_type",
    "first_name",
    "last_name",
    "company_name",
    "business_id",
    "street_address",
    "postal_code",
    "post_office",
    "customer_number",
}
ERASABLE_CONTACT = (
    "contact_person",
    "delivery_address",
    "delivery_postal_code",
    "delivery_post_office",
    "delivery_instructions",
    "phone",
    "fax",
    "email",
    "payment_terms",
)


def _keep_until(last_day: datetime.date) -> datetime.date:
    return datetime.date(last_day.year + VOUCHER_YEARS, 12, 31)


def _erase_customer_details(record):
    for name in ERASABLE_CONTACT:
        setattr(record, name, "")
    record.credit_limit = None


def _erase_register(register, subject, staff) -> list[str]:
    """Erase one register's records; returns sentences on what is kept and until when."""
    kept = []
    for record in register.model_class.objects.select_for_update().filter(subject=subject):
        if register.key in ("postal", "newsletter"):
            # Keep a keyed hash only, so a later import does not bring the person back.
            if register.key == "postal":
                suppression.suppress(postal=suppression.postal_key(record))
            else:
                suppression.suppress(email=record.email)
            audit_record(
                action="register.record.erased",
                actor=staff,
                subject=subject,
                target=record,
                details={"register": register.key},
            )
            record.delete()
            continue
        last = record.updated_at.date()
        if register.key == "webshop":
            Delivery.objects.filter(order__account=record).delete()
            record.orders.filter(invoices__isnull=True).delete()
            latest = Invoice.objects.filter(order__account=record).aggregate(m=Max("issued_on"))
            last = latest["m"] or last
            record.username = f"erased-{record.pk}"
            record.password = ""
            record.password_changed_at = None
        if record.email:
            suppression.suppress(email=record.email)
        _erase_customer_details(record)
        record.save()
        until = _keep_until(last)
        kept.append(
            _(
                "%(register)s: name, business ID and billing address, with the invoices "
                "and the orders they belong to, are kept until %(date)s (Accounting Act); "
                "everything else was erased."
            )
            % {"register": register.name, "date": formats.date_format(until, "SHORT_DATE_FORMAT")}
        )
        audit_record(
            action="register.record.erased",
            actor=staff,
            subject=subject,
            target=record,
            details={"register": register.key, "kept_until": until.isoformat()},
        )
    return kept


def _audit_targets(request) -> list[str]:
    """What an erasure of one register blanks in the audit trail: the events about the
    person's records in it (with the web shop's orders, deliveries, invoices and returns)
    and about her requests that concern that register alone. Events about her other
    registers, and about the person as a whole, stay until those are erased too."""
    register = get_register(request.register)
    labels = [register.model_class._meta.label]
    labels += [related.model_class._meta.label for related in register.related]
    requests = DataRequest.objects.filter(subject=request.subject, register=register.key)
    labels += [f"{DataRequest._meta.label}:{pk}" for pk in requests.values_list("pk", flat=True)]
    return labels


def _reject(request, staff, reason):
    if not reason.strip():
        raise ValueError(_("Give the reason; it is sent to the customer."))
    return request_close(
        request=request, staff=staff, status=DataRequest.Status.REJECTED, decision=reason
    )


def _check_approvable(request):
    if not request.identity_verified:
        raise ValueError(_("Only requests from a verified identity can be approved."))


def erasure_decide(*, request: DataRequest, staff, approve: bool, reason: str = ""):
    with transaction.atomic():
        request = locked(request)
        if not approve:
            return _reject(request, staff, reason)
        _check_approvable(request)
        if request.subject is None:
            raise ValueError(
                _(
                    "No register data is linked to this request; reject it with "
                    "an explanation instead."
                )
            )
        registers = [get_register(request.register)] if request.register else list(REGISTERS)
        kept = []
        for register in registers:
            kept += _erase_register(register, request.subject, staff)
        # Personal details in the subject's earlier audit events go too; the chain stays.
        audit_shred_subject(
            subject=request.subject,
            actor=staff,
            reason=f"erasure request {request.public_id}",
            targets=_audit_targets(request) if request.register else None,
        )
        decision = " ".join([_("Your data was erased."), *kept, reason]).strip()
        return request_close(
            request=request, staff=staff, status=DataRequest.Status.COMPLETED, decision=decision
        )


def restriction_decide(*, request: DataRequest, staff, approve: bool, reason: str = ""):
    with transaction.atomic():
        request = locked(request)
        if not approve:
            return _reject(request, staff, reason)
        _check_approvable(request)
        registers = [get_register(request.register)] if request.register else list(REGISTERS)
        now = timezone.now()
        for register in registers:
            for record in register.model_class.objects.filter(
                subject=request.subject, restricted_at__isnull=True
            ):
                record.restricted_at = now
                record.save(update_fields=["restricted_at", "updated_at"])
                audit_record(
                    action="register.record.restricted",
                    actor=staff,
                    subject=request.subject,
                    target=record,
                    details={"register": register.key},
                )
        decision = " ".join(
            [
                _(
                    "The processing of your data is now restricted: it is kept "
                    "but not used, and never for marketing."
                ),
                reason,
            ]
        ).strip()
        return request_close(
            request=request, staff=staff, status=DataRequest.Status.COMPLETED, decision=decision
        )
