"""The one exception a service raises when it refuses what it was asked.

A refusal is an answer for the person who asked (the reason is translated, to be shown as
it is); anything else a service raises is a bug, left to be logged as a server error rather
than shown as a message. Views catch `Refusal` and nothing broader.
"""


class Refusal(Exception):
    """Nothing was changed, for `message` (translated, for the user); `code` names the reason
    for code and tests."""

    code = "refused"

    def __init__(self, message, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)
