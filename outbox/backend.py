"""EMAIL_BACKEND: "sending" an email writes it to the outbox, in the caller's transaction.

Whatever sends mail (allauth, our notifications, a command, Django itself) goes through
here, so nothing bypasses the outbox; the real delivery backend is OUTBOX_DELIVERY_BACKEND.
Called inside an action's transaction, the message commits with the action or not at all.
"""

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from outbox.messages import is_at_once, message_store
from outbox.tasks import outbox_dispatch


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        with transaction.atomic():
            for message in email_messages:
                row = message_store(message)
                outbox_dispatch(
                    row.pk, at_once=is_at_once(message), timeout=settings.OUTBOX_AT_ONCE_TIMEOUT
                )
        return len(email_messages)
