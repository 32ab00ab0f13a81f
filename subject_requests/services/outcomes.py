"""The outcome of an erasure or restriction in each register it covers.

A request may cover every register holding data about the person; staff decide it register
by register, and each register's outcome is kept as codes and parameters (RegisterOutcome):
erased, anonymised with what is kept, why and until when, restricted, or refused with the
reasons staff gave. The pages render them in the reader's language.
"""

import datetime

from django.utils.translation import gettext as _

from portal.errors import Refusal
from portal.registers import Register
from subject_requests.models import DataRequest, RegisterOutcome

Outcome = RegisterOutcome.Outcome


def refusals_check(refused: dict[str, str], registers: list[Register]) -> dict[str, str]:
    """Refusals only of the registers the request covers, each with its reason."""
    keys = {register.key for register in registers}
    if set(refused) - keys:
        raise Refusal(_("Decide only the registers the request covers."))
    if any(not reason.strip() for reason in refused.values()):
        raise Refusal(
            _("Give the reason for each register you refuse; it is sent to the customer.")
        )
    return refused


def _date(value) -> datetime.date | None:
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def outcome_erased(request: DataRequest, register: Register, records: list[dict]) -> None:
    """One register's erasure, from the outcome of each of its records (erasure.py)."""
    kept, related, until, basis = [], [], None, ""
    for record in records:
        if record.get("kept"):
            kept += [name for name in record["kept"] if name not in kept]
            related += [key for key in record.get("related", ()) if key not in related]
            basis, day = record["basis"], _date(record["kept_until"])
        elif record.get("evidence"):
            kept += [name for name in record["evidence"] if name not in kept]
            basis, day = record["evidence_basis"], _date(record["evidence_until"])
        else:
            continue
        until = max(until, day) if until else day
    anonymised = any(record.get("kept") for record in records)
    RegisterOutcome.objects.create(
        request=request,
        register=register.key,
        outcome=Outcome.ANONYMISED if anonymised else Outcome.ERASED,
        kept=kept,
        kept_related=related,
        basis=basis,
        kept_until=until,
    )


def outcome_restricted(request: DataRequest, register: Register) -> None:
    RegisterOutcome.objects.create(
        request=request, register=register.key, outcome=Outcome.RESTRICTED
    )


def outcome_refused(request: DataRequest, register: Register, reason: str) -> None:
    RegisterOutcome.objects.create(
        request=request, register=register.key, outcome=Outcome.REFUSED, reason=reason
    )


def overall_status(*, decided: int, refused: int):
    """Completed when every register was granted, rejected when every one was refused,
    partly approved in between."""
    if refused and not decided:
        return DataRequest.Status.REJECTED
    if refused:
        return DataRequest.Status.PARTLY_APPROVED
    return DataRequest.Status.COMPLETED
