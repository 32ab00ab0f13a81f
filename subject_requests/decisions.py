"""A decision the portal wrote by itself, in the reader's language.

Some decisions are stored as the sentence the portal wrote in the language of the request
(the answer to an access request, a correction decided field by field, an objection in force).
A copy in another language must not carry that sentence in the first one: it is recognised
here in any of the portal's languages and written again in the active one. A decision staff
wrote is their own words and is returned as it is.
"""

import re
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from portal.models import IssuedExtract
from subject_requests.models import DataRequest

ACCESS_ANSWER = gettext_noop("Answered at once with copy %(reference)s (%(format)s).")
FIXED = (
    gettext_noop("Decided field by field; see each change."),
    gettext_noop("Your objection took effect immediately when you sent it."),
)


@cache
def _translations(msgid: str) -> tuple[tuple[str, str], ...]:
    """(language, text) of `msgid` in every language of the portal."""
    found = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.append((code, gettext(msgid)))
    return tuple(found)


@cache
def _access_patterns() -> tuple[tuple[re.Pattern, dict[str, str]], ...]:
    """Per language: the access answer as a pattern, and its format labels -> format codes."""
    patterns = []
    for code, text in _translations(ACCESS_ANSWER):
        marked = text % {"reference": "\0R\0", "format": "\0F\0"}
        pattern = re.escape(marked)
        pattern = pattern.replace(re.escape("\0R\0"), r"(?P<reference>RO-[0-9A-Z-]+)")
        pattern = pattern.replace(re.escape("\0F\0"), r"(?P<format>.+)")
        with translation.override(code):
            labels = {str(label): value for value, label in IssuedExtract.Format.choices}
        patterns.append((re.compile(pattern), labels))
    return tuple(patterns)


def decision_text(request: DataRequest) -> str:
    """The request's decision for a reader in the active language."""
    stored = request.decision
    if not stored:
        return stored
    for msgid in FIXED:
        if stored in {text for _code, text in _translations(msgid)}:
            return gettext(msgid)
    if request.type == DataRequest.Type.ACCESS:
        for pattern, labels in _access_patterns():
            match = pattern.fullmatch(stored)
            if match and match["format"] in labels:
                fmt = IssuedExtract.Format(labels[match["format"]])
                return gettext(ACCESS_ANSWER) % {
                    "reference": match["reference"],
                    "format": fmt.label,
                }
    return stored
