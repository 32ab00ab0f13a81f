"""Art. 19 follow-ups ready to show: the recipient's name and kind from the declaration,
the register and the data concerned, in the reader's language."""

from dataclasses import dataclass

from django.conf import settings

from portal.registers import REGISTERS_BY_KEY
from portal.registers.recipients import recipient_for
from subject_requests.models import DataRequest, FollowUp
from subject_requests.services.follow_ups import fields_text, register_name


@dataclass
class FollowUpRow:
    follow_up: FollowUp
    name: str
    kind_label: object
    register_name: object
    fields_text: list[str]
    form: object = None  # staff: the form to mark it told


def follow_up_rows(request: DataRequest) -> list[FollowUpRow]:
    rows = []
    for follow_up in request.follow_ups.select_related("told_by"):
        register = REGISTERS_BY_KEY.get(follow_up.register)
        recipient = recipient_for(register, follow_up.recipient) if register else None
        rows.append(
            FollowUpRow(
                follow_up,
                recipient.name
                if recipient
                else settings.RECIPIENTS.get(follow_up.recipient, follow_up.recipient),
                recipient.kind_label if recipient else "",
                register_name(follow_up.register),
                fields_text(follow_up) if register else list(follow_up.fields),
            )
        )
    return rows
