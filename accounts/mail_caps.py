"""Caps on the codes the portal mails outside allauth's sign-in: the fresh sign-in before a
download, and the code that proves a new address in a correction.

A cap kept in the session starts again with every new sign-in, so it would not stop anyone
mailing a stranger's address over and over. These counts live in the cache (the database
cache, shared by every process), one per user and one per address, for an hour.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class MailCap:
    purpose: str
    per_user: int
    per_address: int

    def _counters(self, user, email: str) -> list[tuple[str, int]]:
        # A keyed hash: the cache table never holds the address itself.
        address = salted_hmac("accounts.mail_caps", email.strip().lower()).hexdigest()
        return [
            (f"portal:mailcap:{self.purpose}:user:{user.pk}", self.per_user),
            (f"portal:mailcap:{self.purpose}:address:{address}", self.per_address),
        ]

    @staticmethod
    def _recent(key: str, now: float) -> list[float]:
        return [t for t in cache.get(key, []) if now - t < WINDOW_SECONDS]

    def allows(self, *, user, email: str) -> bool:
        """Whether one more mail to `email` for `user` is within both caps."""
        now = time.time()
        return all(len(self._recent(key, now)) < cap for key, cap in self._counters(user, email))

    def consume(self, *, user, email: str) -> bool:
        """Count one mail; False, and nothing counted, when either cap is reached."""
        now = time.time()
        counters = [(key, cap, self._recent(key, now)) for key, cap in self._counters(user, email)]
        if any(len(sent) >= cap for _key, cap, sent in counters):
            return False
        for key, _cap, sent in counters:
            cache.set(key, [*sent, now], WINDOW_SECONDS)
        return True
