"""Development email: every message becomes a file under var/mail/ and a console line.

People trying the demo read their sign-in codes there (and, with DEBUG on, in the browser
at /dev/mailbox/), so no mail server is needed.
"""

import sys
import uuid
from datetime import datetime

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class DevelopmentMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        mail_dir = settings.MAIL_DIR
        mail_dir.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            path = mail_dir / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes(linesep="\n"))
            if not getattr(settings, "MAIL_QUIET", False):
                sys.stdout.write(
                    f"\n[mail] to {', '.join(message.to)}: {message.subject}\n"
                    f"[mail] saved as {path}\n{message.body}\n"
                )
                sys.stdout.flush()
        return len(email_messages)
