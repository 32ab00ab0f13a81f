"""A real SMTP server on loopback (aiosmtpd) for the outbox tests, and a mail server that is
down: a loopback port that refuses every connection until the server starts on it."""

import email
import socket
from contextlib import contextmanager
from email import policy

from aiosmtpd.controller import Controller

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class ServerDown:
    """A free loopback port, held bound but not listening: a connection to it is refused (as
    to a mail server that is down), and no other process can take the port meanwhile."""

    def __init__(self):
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]

    def point(self, settings):
        """Make the outbox deliver over SMTP to this port."""
        settings.OUTBOX_DELIVERY_BACKEND = SMTP_BACKEND
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", self.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

    def release(self):
        self._socket.close()


class Recorder:
    """Keeps every message the server accepted; refuses every recipient with `refuse`."""

    def __init__(self, refuse: str | None = None):
        self.messages = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


@contextmanager
def smtp_server(port: int, recorder: Recorder | None = None):
    """An SMTP server on 127.0.0.1:`port` while the block runs; yields its Recorder."""
    recorder = recorder or Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder
    finally:
        controller.stop()
