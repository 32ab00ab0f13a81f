"""Erasure (Art. 17) and restriction (Art. 18), decided by staff.

What erasing a register does is that register's declared ErasurePolicy
(portal/registers/erasure.py); this module only carries it out, so a register without a policy
is refused rather than half erased. Each erased record leaves a record of the erasure with
what was kept, why (a basis code) and until when; the answer to the customer is rendered
from those codes in the language of the request.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from portal import suppression
from portal.anonymise import record_anonymise, related_held
from portal.audit import audit_record, audit_shred_subject
from portal.audit.changes import record_update
from portal.errors import Refusal
from portal.registers import REGISTERS, get_register
from portal.registers.erasure import BASES, DELETE
from subject_requests.decisions import Code, erasure_params
from subject_requests.models import DataRequest
from subject_requests.services import outcomes as outcome_services
from subject_requests.services.base import locked, request_close


def _dated(register, record, policy) -> datetime.date:
    """What the kept data's until-date counts from: the latest declared dated event, or the
    record's last update."""
    last = record.updated_at.date()
    if policy.dated_by:
        key, name = policy.dated_by
        spec = next(r for r in register.related if r.key == key)
        events = spec.model_class.objects.filter(**{spec.path: record})
        last = events.aggregate(m=Max(name))["m"] or last
    return last


def _suppress(policy, record) -> None:
    for kind in policy.suppress:
        suppression.record_suppress(kind, record)


def _erase_record(register, record, policy, today) -> dict:
    """Erase one record as its policy says; the outcome, as codes, for the audit and answer."""
    _suppress(policy, record)
    outcome = {"register": register.key}
    if policy.method == DELETE:
        if policy.evidence:
            outcome["evidence"] = {name: getattr(record, name) for name in policy.evidence}
            outcome["evidence_basis"] = policy.evidence_basis.code
            outcome["evidence_until"] = policy.evidence_until(today)
        record.delete()
        return outcome
    last = _dated(register, record, policy)
    record_anonymise(register, record)
    outcome.update(
        kept=list(policy.kept),
        related=related_held(register, record, policy),
        basis=policy.basis.code,
        kept_until=policy.keep_until(last),
    )
    return outcome


def _erase_register(register, subject, staff, today) -> list[dict]:
    """Erase one register's records of `subject`; the outcome of each."""
    outcomes = []
    model = register.model_class
    for record in model.objects.select_for_update().filter(subject=subject):
        target = f"{model._meta.label}:{record.pk}"  # before a deletion clears the pk
        outcome = _erase_record(register, record, register.erasure, today)
        audit_record(
            action="register.record.erased",
            actor=staff,
            subject=subject,
            target=target,
            details=outcome,
        )
        outcomes.append({**outcome, "suppressed": list(register.erasure.suppress)})
    return outcomes


def _date(value) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _labels(register, names) -> str:
    return get_text_list([str(register.field_label(name)) for name in names], _("and"))


def erasure_answer(outcomes: list[dict]) -> list[str]:
    """Sentences on what was kept, why and until when, in the active language.

    Rendered from the codes an erasure stores, never from a register key."""
    sentences = []
    for outcome in outcomes:
        register = get_register(outcome["register"])
        if outcome.get("kept"):
            related = {spec.key: spec.title for spec in register.related}
            events = [str(related[key]) for key in outcome.get("related", ())]
            params = {
                "register": register.name,
                "fields": _labels(register, outcome["kept"]),
                "date": _date(outcome["kept_until"]),
                "basis": BASES[outcome["basis"]].text,
            }
            if events:
                params["events"] = get_text_list(events, _("and"))
                text = _(
                    "%(register)s: %(fields)s, with the %(events)s, are kept until %(date)s, "
                    "because %(basis)s; everything else was erased."
                )
            else:
                text = _(
                    "%(register)s: %(fields)s are kept until %(date)s, because %(basis)s; "
                    "everything else was erased."
                )
            sentences.append(text % params)
        if outcome.get("evidence"):
            sentences.append(
                _(
                    "%(register)s: the entry was deleted. Only these details of it are kept, "
                    "without your address: %(fields)s; they are kept until %(date)s, "
                    "because %(basis)s."
                )
                % {
                    "register": register.name,
                    "fields": _labels(register, outcome["evidence"]),
                    "date": _date(outcome["evidence_until"]),
                    "basis": BASES[outcome["evidence_basis"]].text,
                }
            )
    kinds = {kind for outcome in outcomes for kind in outcome.get("suppressed", ())}
    if kinds:
        what = get_text_list(suppression.kind_labels(kinds), _("and"))
        sentences.append(
            _(
                "To keep you out of our marketing for good, we keep a keyed one-way hash of "
                "your %(what)s, from which the address cannot be read."
            )
            % {"what": what}
        )
    return list(dict.fromkeys(sentences))


def erasure_terms(register) -> list[str]:
    """What erasing `register` deletes and keeps, before anyone asks: for the erasure form,
    from the same policy the erasure carries out."""
    policy = register.erasure
    if policy is None:
        return [
            _(
                "Our staff decide what can be erased from this register; our answer tells "
                "you exactly what is erased, what is kept, why and until when."
            )
        ]
    if policy.method == DELETE:
        terms = [_("Everything this register holds about you is deleted.")]
        if policy.evidence:
            text = _(
                "Only these details of it are kept, without your address: %(fields)s, "
                "because %(basis)s."
            )
            fields = _labels(register, policy.evidence)
            terms.append(text % {"fields": fields, "basis": policy.evidence_basis.text})
    else:
        titles = {spec.key: str(spec.title) for spec in register.related}
        events = [titles[r.key] for r in policy.related if r.kept or r.kept_if]
        params = {"fields": _labels(register, policy.kept), "basis": policy.basis.text}
        if events:
            params["events"] = get_text_list(events, _("and"))
            text = _(
                "We erase or anonymise your data in this register, except %(fields)s, with the "
                "%(events)s, which are kept because %(basis)s. They are not used for anything "
                "else and are deleted when that time ends."
            )
        else:
            text = _(
                "We erase or anonymise your data in this register, except %(fields)s, which "
                "are kept because %(basis)s. They are not used for anything else and are "
                "deleted when that time ends."
            )
        terms = [text % params, _("Our answer tells you exactly what is kept and until when.")]
    if policy.suppress:
        what = get_text_list(suppression.kind_labels(policy.suppress), _("and"))
        terms.append(
            _(
                "So that a later update of our lists does not bring you back into marketing, "
                "we keep a keyed one-way hash of your %(what)s, from which the address cannot "
                "be read."
            )
            % {"what": what}
        )
    return terms


def _audit_targets(request, registers) -> list[str]:
    """What an erasure of some registers blanks in the audit trail: the events about the
    person's records in them (with the web shop's orders, deliveries, invoices and returns)
    and about her requests that concern those registers alone. Events about her other
    registers, and about the person as a whole, stay until those are erased too."""
    labels = []
    for register in registers:
        labels += [register.model_class._meta.label]
        labels += [related.model_class._meta.label for related in register.related]
        requests = DataRequest.objects.filter(subject=request.subject, register=register.key)
        labels += [
            f"{DataRequest._meta.label}:{pk}" for pk in requests.values_list("pk", flat=True)
        ]
    return labels


def _reject(request, staff, reason):
    if not reason.strip():
        raise Refusal(_("Give the reason; it is sent to the customer."))
    return request_close(
        request=request, staff=staff, status=DataRequest.Status.REJECTED, decision=reason
    )


def _refuse_registers(request, staff, refused):
    """Every register refused: the answer lists each with staff's reasons."""
    return request_close(
        request=request,
        staff=staff,
        status=DataRequest.Status.REJECTED,
        code=Code.REGISTERS_REFUSED,
        params={"refused": {key: text.strip() for key, text in refused.items()}},
    )


def _check_approvable(request):
    if not request.identity_verified:
        raise Refusal(_("Only requests from a verified identity can be approved."))


def _check_erasable(request, registers) -> None:
    """A register without an erasure policy is never erased: the answer would say "erased"
    while its data stayed. Refused whole, before anything changes."""
    for register in registers:
        if register.erasure is None and (
            request.register or register.records_for(request.subject).exists()
        ):
            raise Refusal(
                _(
                    "%(register)s declares no erasure policy, so nothing was erased. "
                    "Ask the register's maintainer to declare one."
                )
                % {"register": register.name},
                code="no_erasure_policy",
            )


def _forget_name(subject) -> None:
    """The subject's display name is copied from its records: once no register holds any,
    nothing justifies keeping it."""
    if not any(register.records_for(subject).exists() for register in REGISTERS):
        subject.display_name = ""
        subject.save(update_fields=["display_name"])


def erasure_decide(*, request: DataRequest, staff, approve: bool, reason: str = "", refused=None):
    """Approve (erasing every register the request covers, except those in `refused`:
    register key -> reason) or reject the whole request. Each register's outcome is kept."""
    with transaction.atomic():
        request = locked(request)
        if not approve:
            return _reject(request, staff, reason)
        _check_approvable(request)
        if request.subject is None:
            raise Refusal(
                _(
                    "No register data is linked to this request; reject it with "
                    "an explanation instead."
                )
            )
        registers = [get_register(request.register)] if request.register else list(REGISTERS)
        refused = outcome_services.refusals_check(refused or {}, registers)
        erased = [register for register in registers if register.key not in refused]
        _check_erasable(request, erased)
        today = timezone.localdate()
        outcomes = []
        for register in registers:
            if register.key in refused:
                outcome_services.outcome_refused(request, register, refused[register.key])
                continue
            done = _erase_register(register, request.subject, staff, today)
            if done:
                outcome_services.outcome_erased(request, register, done)
            outcomes += done
        if not outcomes and refused:
            return _refuse_registers(request, staff, refused)
        _forget_name(request.subject)
        # Personal details in the subject's earlier audit events go too; the chain stays, and
        # so do the records of erasures, shreddings and objections (portal/audit/shred.py).
        audit_shred_subject(
            subject=request.subject,
            actor=staff,
            reason=f"erasure request {request.public_id}",
            targets=_audit_targets(request, erased) if request.register or refused else None,
        )
        # The answer is stored as codes, rendered in each reader's language; `reason` is
        # staff's own words.
        return request_close(
            request=request,
            staff=staff,
            status=outcome_services.overall_status(decided=1, refused=len(refused)),
            code=Code.ERASED_IN_PART if refused else Code.ERASED,
            params=erasure_params(outcomes, refused),
            decision=reason,
        )


def restriction_decide(
    *, request: DataRequest, staff, approve: bool, reason: str = "", refused=None
):
    with transaction.atomic():
        request = locked(request)
        if not approve:
            return _reject(request, staff, reason)
        _check_approvable(request)
        registers = [get_register(request.register)] if request.register else list(REGISTERS)
        refused = outcome_services.refusals_check(refused or {}, registers)
        now = timezone.now()
        restricted = 0
        for register in registers:
            if register.key in refused:
                outcome_services.outcome_refused(request, register, refused[register.key])
                continue
            if request.subject is not None and register.records_for(request.subject).exists():
                outcome_services.outcome_restricted(request, register)
                restricted += 1
            for record in register.model_class.objects.filter(
                subject=request.subject, restricted_at__isnull=True
            ):
                record_update(
                    record=record,
                    changes={"restricted_at": now},
                    actor=staff,
                    subject=request.subject,
                    action="register.record.restricted",
                    details={"register": register.key},
                )
        if refused and not restricted:
            return _refuse_registers(request, staff, refused)
        return request_close(
            request=request,
            staff=staff,
            status=outcome_services.overall_status(decided=1, refused=len(refused)),
            code=Code.RESTRICTED,
            params={"refused": {key: text.strip() for key, text in refused.items()}},
            decision=reason,
        )
