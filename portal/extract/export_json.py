"""The JSON export (GDPR Art. 20): a documented, versioned structure; see docs/export.md."""

import json

from django.utils import timezone, translation

from portal import controller
from portal.extract.collect import RegisterData
from portal.extract.disclosures import DisclosureEntry
from portal.registers.recipients import RecipientEntry, register_recipients
from subject_requests.decisions import decision_text

SCHEMA_VERSION = "2.2"


def _field(value) -> dict:
    return {"label": value.label, "value": value.value, "text": value.text}


def _period(period) -> dict:
    return {
        "until": period.until.isoformat() if period.until else None,
        "reason": period.reason,
        "reason_text": str(period.reason_label),
        "scope": str(period.scope),
        "then": period.then,
    }


def _kept_until(periods) -> dict | None:
    """When nothing of the record is left, and why it is kept until then (its last period)."""
    if not periods:
        return None
    last = periods[-1]
    return {
        "date": last.until.isoformat() if last.until else None,
        "reason": last.reason,
        "reason_text": str(last.reason_label),
    }


def _recipient(entry: RecipientEntry) -> dict:
    # Codes for machines (a disclosure record can match key and field names), texts for people.
    return {
        "key": entry.key,
        "name": entry.name,
        "kind": entry.kind,
        "kind_text": str(entry.kind_label),
        "receives": list(entry.receives),
        "receives_text": [str(label) for label in entry.receives_labels],
        "legal_basis": str(entry.legal_basis),
        "note": str(entry.note) if entry.note else None,
    }


def _disclosure(entry: DisclosureEntry) -> dict:
    # Who actually received which data and when (C-154/21); codes match "recipients".
    return {
        "recipient": entry.recipient,
        "name": entry.name,
        "kind": entry.kind or None,
        "kind_text": str(entry.kind_label) or None,
        "declared": entry.declared,
        "date": entry.disclosed_on.isoformat(),
        "fields": list(entry.fields),
        "fields_text": [str(label) for label in entry.field_labels],
        "purpose": entry.purpose_code or None,
        "purpose_text": str(entry.purpose_text),
        "legal_basis": str(entry.legal_basis) or None,
    }


def _register(data: RegisterData) -> dict:
    register = data.register
    return {
        "key": register.key,
        "name": str(register.name),
        "purpose": str(register.purpose),
        "legal_basis": str(register.legal_basis),
        "data_categories": [str(label) for label in register.category_labels],
        "sources": [str(s) for s in register.sources],
        "recipients": [_recipient(entry) for entry in register_recipients(register)],
        "disclosures": [_disclosure(entry) for entry in data.disclosures],
        "transfers_outside_eea": str(register.transfers),
        "retention": [str(r) for r in register.retention],
        "automated_decision_making": str(register.automated_decisions),
        "records": [
            {
                "fields": {v.name: _field(v) for v in record.fields},
                "events": {
                    table.key: [{v.name: _field(v) for v in row} for row in table.rows]
                    for table in record.related
                },
                "kept_until": _kept_until(record.retention),
                "retention_periods": [_period(p) for p in record.retention],
            }
            for record in data.records
        ],
    }


def _time(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _change(change) -> dict:
    return {
        "register": change.register,
        "field": change.field,
        "field_text": str(change.label),
        "old_value": change.old_value,
        "new_value": change.new_value,
        "decision": change.decision,
        "decision_text": str(change.get_decision_display()),
        "reason": change.reason,
    }


def _request(request) -> dict:
    return {
        "type": request.type,
        "type_text": str(request.get_type_display()),
        "register": request.register,
        "status": request.status,
        "status_text": str(request.get_status_display()),
        "received_at": request.received_at.isoformat(timespec="seconds"),
        "due_on": request.due_on.isoformat(),
        # In the copy's language where the portal wrote it; staff's words as they wrote them,
        # in `decision_language` ("" when not known). `decision_code`: what the portal said.
        "decision": decision_text(request),
        "decision_code": request.decision_code,
        "decision_language": request.decision_language,
        # 2.2: the request in full (Art. 15(3)): its text, its language (the decision above
        # was written to the person in it), the extension and each field's decision.
        "language": request.language,
        "description": request.description,
        "decided_at": _time(request.decided_at),
        "extended_at": _time(request.extended_at),
        "extension_reason": request.extension_reason,
        "extension_language": request.extension_language,
        "changes": [_change(c) for c in request.changes.all()] if request.pk else [],
    }


def _consultation(entry) -> dict:
    return {
        "at": entry.at.date().isoformat() if entry.date_only else _time(entry.at),
        "kind": entry.kind,
        "kind_text": str(entry.kind_text),
        "purpose": entry.purpose or None,
        "purpose_text": str(entry.purpose_text),
        "by": entry.by,
        "by_text": str(entry.by_text),
        "reference": entry.reference or None,
    }


def _portal_account(data) -> dict:
    return {
        "created_at": _time(data.created_at),
        "last_sign_in_at": _time(data.last_sign_in_at),
        "addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in data.addresses
        ],
        "webshop_accounts": [
            {"username": link.account.username, "linked_at": _time(link.linked_at)}
            for link in data.webshop_links
        ],
        "sign_ins": [
            {"at": _time(s.at), "method": s.method, "method_text": str(s.method_text)}
            for s in data.sign_ins
        ],
        "sessions": [
            {"signed_in_at": _time(s.created_at), "ip": s.ip, "user_agent": s.user_agent}
            for s in data.sessions
        ],
    }


def _consent(record) -> dict:
    return {
        "register": "newsletter",
        "email": record.email,
        "status": record.status,
        "status_text": record.status_text,
        "subscribed_at": _time(record.subscribed_at),
        "confirmed_at": _time(record.confirmed_at),
        "unsubscribed_at": _time(record.unsubscribed_at),
        "consents": [
            {
                "given_at": _time(c["given_at"]),
                "language": c["language"],
                "text_version": c["text_version"],
                "withdrawn_at": _time(c["withdrawn_at"]),
            }
            for c in record.consents
        ],
    }


def _portal(data) -> dict:
    """The portal's own data about the person (2.2); empty parts when there is none."""
    if data is None:
        return {
            "portal_account": None,
            "emails_sent": [],
            "consent": [],
            "consultations": [],
        }
    return {
        "portal_account": _portal_account(data),
        "emails_sent": [
            {
                "at": _time(e.at),
                "subject": e.subject,
                "status": e.status,
                "status_text": str(e.status_text),
            }
            for e in data.emails
        ],
        "consent": [_consent(r) for r in data.consent],
        "consultations": [_consultation(c) for c in data.consultations],
    }


def export_document(
    *,
    registers: list[RegisterData],
    emails: list[str],
    reference: str,
    generated_at=None,
    requests=(),
    portal=None,
) -> dict:
    ctrl = controller.CONTROLLER
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": (generated_at or timezone.now()).isoformat(timespec="seconds"),
        "reference": reference,
        "language": translation.get_language(),
        "controller": {
            "name": ctrl.name,
            "business_id": ctrl.business_id,
            "address": ", ".join(ctrl.address_lines),
            "contact": {
                "role": str(controller.CONTACT_ROLE),
                "email": controller.CONTACT_EMAIL,
                "phone": controller.CONTACT_PHONE,
            },
        },
        "data_subject": {"verified_emails": emails},
        "registers": [_register(data) for data in registers],
        "requests": [_request(r) for r in requests],
        **_portal(portal),
    }


def export_bytes(document: dict) -> bytes:
    # Compact: the C encoder only runs without indentation, and any JSON viewer indents.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
