"""An EmailMessage as an outbox row, and back, without losing anything the portal sets.

Attachments are refused: nothing the portal mails has one, and a row is no place for a file.
"""

from email.utils import make_msgid

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail import message as mail_message
from django.utils import timezone

from outbox.models import OutboxMessage

# Set on a message whose reader is waiting on the page for it (a sign-in code, a link to
# confirm an address): it is tried right after its transaction commits, in this process.
AT_ONCE = "outbox_at_once"


def at_once(message: EmailMessage) -> EmailMessage:
    """Mark `message` to be tried at once (it is still queued and retried like any other)."""
    setattr(message, AT_ONCE, True)
    return message


def is_at_once(message: EmailMessage) -> bool:
    return bool(getattr(message, AT_ONCE, False))


def message_store(message: EmailMessage) -> OutboxMessage:
    """A pending row for `message`, in the caller's transaction."""
    if message.attachments:
        raise ValueError("The outbox does not carry attachments; link to the file instead.")
    headers = dict(message.extra_headers)
    # One Message-ID for every attempt: a receiver that got a message twice (a sender that
    # died after the server accepted it) can tell it is the same one.
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = make_msgid(domain=str(mail_message.DNS_NAME))
    now = timezone.now()
    return OutboxMessage.objects.create(
        created_at=now,
        next_attempt_at=now,
        from_email=message.from_email,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        subject=message.subject,
        body=message.body,
        content_subtype=message.content_subtype,
        alternatives=[[content, mimetype] for content, mimetype in _alternatives(message)],
        headers=headers,
    )


def _alternatives(message: EmailMessage) -> list:
    return list(getattr(message, "alternatives", []))


def message_build(row: OutboxMessage) -> EmailMessage:
    """The EmailMessage to hand to the delivery backend."""
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    message.content_subtype = row.content_subtype
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    return message
