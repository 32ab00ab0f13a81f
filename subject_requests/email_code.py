"""A one-time code mailed to an address, proving the customer reads mail sent there.

The same pattern as accounts/fresh.py (a fresh sign-in): allauth's code generator, only a
hash of the code kept in the session, ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS tries within
ACCOUNT_LOGIN_BY_CODE_TIMEOUT seconds. The mail is its own (`template`), saying what the code
is for: a code that called itself a sign-in code would puzzle the reader.
"""

import string
import time
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

OK, WRONG, OVER = "ok", "wrong", "over"
# The address is one the customer typed, not one we know is theirs: cap the mail we send.
MAX_SENDS_PER_HOUR = 5
_IGNORED = str.maketrans("", "", string.punctuation + string.whitespace)


def _normalize(code: str) -> str:
    """The dash allauth adds for readability is optional to type, and so is the case."""
    return code.translate(_IGNORED).upper()


@dataclass(frozen=True)
class EmailCode:
    session_key: str
    template: str  # allauth-style prefix: <template>_subject.txt and <template>_message.txt

    @property
    def _sent_key(self) -> str:
        return f"{self.session_key}_sent"

    def can_send(self, request) -> bool:
        recent = [t for t in request.session.get(self._sent_key, []) if time.time() - t < 3600]
        return len(recent) < MAX_SENDS_PER_HOUR

    def send(self, request, email: str) -> bool:
        """Mail a new code to `email`; False when too many codes were sent lately."""
        if not self.can_send(request):
            return False
        adapter = get_adapter(request)
        code = adapter.generate_login_code()
        now = time.time()
        request.session[self.session_key] = {
            "email": email,
            "hash": make_password(_normalize(code)),
            "at": now,
            "tries": 0,
        }
        sent = [t for t in request.session.get(self._sent_key, []) if now - t < 3600]
        request.session[self._sent_key] = [*sent, now]
        adapter.send_mail(self.template, email, {"code": code})
        return True

    def _live_state(self, request) -> dict | None:
        state = request.session.get(self.session_key)
        if state and time.time() - state["at"] <= settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT:
            return state
        return None

    def pending_for(self, request) -> str | None:
        """The address a live code was sent to, if any."""
        state = self._live_state(request)
        return state["email"] if state else None

    def tries_left(self, request) -> int:
        state = self._live_state(request)
        used = state["tries"] if state else settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS
        return max(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS - used, 0)

    def check(self, request, code: str, *, email: str) -> str:
        """OK, WRONG (tries left) or OVER (expired, out of tries, or another address)."""
        state = self._live_state(request)
        if state is None or state["email"] != email:
            self.clear(request)
            return OVER
        if check_password(_normalize(code), state["hash"]):
            self.clear(request)
            return OK
        state["tries"] += 1
        if state["tries"] >= settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS:
            self.clear(request)
            return OVER
        request.session[self.session_key] = state
        return WRONG

    def clear(self, request) -> None:
        request.session.pop(self.session_key, None)
