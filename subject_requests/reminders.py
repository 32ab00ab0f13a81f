"""Reminding the contact persons of the open requests that fall due within the next days, so
that no request passes its legal deadline (Art. 12(3)) unnoticed."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts import roles
from portal.audit import audit_record
from subject_requests.models import DataRequest


@dataclass(frozen=True)
class Reminder:
    requests: list
    recipients: list


def reminders_due(*, days: int, today: datetime.date | None = None) -> Reminder:
    """The open requests due within `days` days and the contact persons to remind."""
    today = today or timezone.localdate()
    due = list(
        DataRequest.objects.filter(
            status__in=DataRequest.OPEN, due_on__lte=today + datetime.timedelta(days=days)
        )
        .select_related("subject", "assignee")
        .order_by("due_on")
    )
    staff = list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=roles.CONTACT_PERSON)
        .exclude(email="")
    )
    return Reminder(due, staff)


def reminders_send(*, days: int, today: datetime.date | None = None) -> Reminder:
    """Mail each contact person the requests due within `days` days (nothing when none are);
    the mails (outbox rows) and their audit event commit together."""
    today = today or timezone.localdate()
    reminder = reminders_due(days=days, today=today)
    if not reminder.requests:
        return reminder
    with translation.override(settings.LANGUAGE_CODE):
        context = {"requests": reminder.requests, "today": today, "days": days}
        subject = " ".join(
            render_to_string("subject_requests/email/reminder_subject.txt", context).split()
        )
        body = render_to_string("subject_requests/email/reminder_message.txt", context)
    with transaction.atomic():
        audit_record(
            action="request.reminder.sent",
            details={"requests": len(reminder.requests), "recipients": len(reminder.recipients)},
        )
        for member in reminder.recipients:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
    return reminder
