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

from accounts.mail_caps import MailCap

OK, WRONG, OVER = "ok", "wrong", "over"
_IGNORED = str.maketrans("", "", string.punctuation + string.whitespace)


def _normalize(code: str) -> str:
    """The dash allauth adds for readability is optional to type, and so is the case."""
    return code.translate(_IGNORED).upper()


@dataclass(frozen=True)
class EmailCode:
    session_key: str
    template: str  # allauth-style prefix: <template>_subject.txt and <template>_message.txt
    # The address is one the customer typed, not one we know is theirs: the mail sent there
    # is capped per user and per address, across sessions and sign-ins.
    cap: MailCap

    def can_send(self, request, email: str) -> bool:
        return self.cap.allows(user=request.user, email=email)

    def send(self, request, email: str) -> bool:
        """Mail a new code to `email`; False when too many codes were sent lately."""
        if not self.cap.consume(user=request.user, email=email):
            return False
        adapter = get_adapter(request)
        code = adapter.generate_login_code()
        request.session[self.session_key] = {
            "email": email,
            "hash": make_password(_normalize(code)),
            "at": time.time(),
            "tries": 0,
        }
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
