"""A request's decision in the reader's language.

What the portal says in a decision is stored as a code with its parameters
(DataRequest.decision_code, decision_params) and written here in the active language, so the
same request reads in Finnish on a Finnish page and in English in an English copy. Only the
words staff wrote themselves (DataRequest.decision) are stored as text, with the language
they wrote them in (decision_language, blank when unknown).

`recognise` turns a sentence the portal stored before codes existed back into its code (the
data migration uses it); a sentence it does not recognise is left as staff's own words.
"""

import datetime
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from portal.models import IssuedExtract
from portal.registers import REGISTERS_BY_KEY
from subject_requests.models import DataRequest


class Code:
    ACCESS = "access_answered"
    ACCESS_LETTER = "access_letter"
    BY_FIELD = "by_field"
    OBJECTION = "objection_in_force"
    INTEREST_UPHELD = "interest_upheld"
    INTEREST_REFUSED = "interest_refused"
    ERASED = "erased"
    ERASED_IN_PART = "erased_in_part"
    RESTRICTED = "restricted"
    REGISTERS_REFUSED = "registers_refused"


ACCESS_ANSWER = gettext_noop("Answered at once with copy %(reference)s (%(format)s).")
ACCESS_LETTER = gettext_noop("Answered with copy %(reference)s (%(format)s), sent by letter.")
BY_FIELD = gettext_noop("Decided field by field; see each change.")
OBJECTION = gettext_noop("Your objection took effect immediately when you sent it.")
INTEREST_UPHELD = gettext_noop(
    "Your objection was upheld: we no longer process your data in %(register)s "
    "for this purpose, and the data it used was removed."
)
INTEREST_REFUSED = gettext_noop(
    "Your objection was refused: we have compelling legitimate grounds for "
    "the processing that override your interests, rights and freedoms, as "
    "explained below."
)
INTEREST_ENDED = gettext_noop(
    "The restriction of processing that applied while we considered your objection ends now."
)
ERASED = gettext_noop("Your data was erased.")
ERASED_IN_PART = gettext_noop("Your data was erased in part.")
RESTRICTED = gettext_noop(
    "The processing of your data is now restricted: it is kept but not used, and never for "
    "marketing."
)
REFUSED_LINE = gettext_noop("%(register)s: refused, because %(reason)s")

# Sentences the portal wrote whole, by code (recognised in any language).
FIXED = {Code.BY_FIELD: BY_FIELD, Code.OBJECTION: OBJECTION}


@dataclass(frozen=True)
class Decision:
    """A decision as read: the portal's words before and after staff's own, which keep the
    language they were written in ("" when unknown)."""

    before: str = ""
    free: str = ""
    language: str = ""
    after: str = ""

    def __str__(self) -> str:
        return " ".join(part for part in (self.before, self.free, self.after) if part)

    def __bool__(self) -> bool:
        return bool(self.before or self.free or self.after)


def _register_name(key: str) -> str:
    register = REGISTERS_BY_KEY.get(key)
    return str(register.name) if register else key


def _format_label(code: str) -> str:
    try:
        return str(IssuedExtract.Format(code).label)
    except ValueError:
        return code


def _refused_lines(refused: dict) -> list[str]:
    return [
        gettext(REFUSED_LINE) % {"register": _register_name(key), "reason": reason}
        for key, reason in refused.items()
    ]


def _portal_text(code: str, params: dict) -> tuple[str, str]:
    """(before, after) the free text for a decision code, in the active language."""
    if code in FIXED:
        return gettext(FIXED[code]), ""
    if code in (Code.ACCESS, Code.ACCESS_LETTER):
        msgid = ACCESS_ANSWER if code == Code.ACCESS else ACCESS_LETTER
        values = {
            "reference": params.get("reference", ""),
            "format": _format_label(params.get("format", "")),
        }
        return gettext(msgid) % values, ""
    if code == Code.INTEREST_UPHELD:
        lead = gettext(INTEREST_UPHELD) % {"register": _register_name(params.get("register"))}
        return lead, gettext(INTEREST_ENDED)
    if code == Code.INTEREST_REFUSED:
        return gettext(INTEREST_REFUSED), gettext(INTEREST_ENDED)
    if code in (Code.ERASED, Code.ERASED_IN_PART):
        # Imported here: the erasure service builds on this package's models and services.
        from subject_requests.services.erasure import erasure_answer

        lead = gettext(ERASED if code == Code.ERASED else ERASED_IN_PART)
        lines = [
            lead,
            *erasure_answer(params.get("outcomes", [])),
            *_refused_lines(params.get("refused", {})),
        ]
        return " ".join(lines), ""
    if code == Code.RESTRICTED:
        lines = [gettext(RESTRICTED), *_refused_lines(params.get("refused", {}))]
        return " ".join(lines), ""
    if code == Code.REGISTERS_REFUSED:
        return " ".join(_refused_lines(params.get("refused", {}))), ""
    return "", ""


def decision_parts(request: DataRequest) -> Decision:
    """The request's decision for a reader in the active language."""
    before, after = _portal_text(request.decision_code, request.decision_params or {})
    return Decision(
        before=before,
        free=request.decision.strip(),
        language=request.decision_language,
        after=after,
    )


def decision_text(request: DataRequest) -> str:
    """The request's decision as one text in the active language (emails, copies)."""
    return str(decision_parts(request))


def erasure_params(outcomes: list[dict], refused: dict[str, str]) -> dict:
    """What an erasure answer needs, JSON-safe: codes, field names and dates, no values."""
    safe = []
    for outcome in outcomes:
        item = {"register": outcome["register"]}
        if outcome.get("suppressed"):
            item["suppressed"] = list(outcome["suppressed"])
        if outcome.get("kept"):
            item.update(
                kept=list(outcome["kept"]),
                related=list(outcome.get("related", ())),
                basis=outcome["basis"],
                kept_until=_iso(outcome["kept_until"]),
            )
        if outcome.get("evidence"):
            item.update(
                evidence=list(outcome["evidence"]),
                evidence_basis=outcome["evidence_basis"],
                evidence_until=_iso(outcome["evidence_until"]),
            )
        safe.append(item)
    return {"outcomes": safe, "refused": {k: v.strip() for k, v in refused.items()}}


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


# Recognition of sentences stored before codes (the data migration).


@cache
def _translations(msgid: str) -> tuple[tuple[str, str], ...]:
    """(language, text) of `msgid` in every language of the portal."""
    found = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.append((code, gettext(msgid)))
    return tuple(found)


@cache
def _access_patterns() -> tuple[tuple[str, re.Pattern, dict[str, str]], ...]:
    """Per language and access answer: its code, a pattern, and format labels -> codes."""
    patterns = []
    for code, msgid in ((Code.ACCESS, ACCESS_ANSWER), (Code.ACCESS_LETTER, ACCESS_LETTER)):
        for language, text in _translations(msgid):
            marked = text % {"reference": "\0R\0", "format": "\0F\0"}
            pattern = re.escape(marked)
            pattern = pattern.replace(re.escape("\0R\0"), r"(?P<reference>\S+)")
            pattern = pattern.replace(re.escape("\0F\0"), r"(?P<format>.+)")
            with translation.override(language):
                labels = {str(label): value for value, label in IssuedExtract.Format.choices}
            patterns.append((code, re.compile(pattern), labels))
    return tuple(patterns)


def recognise_interest(text: str, register: str) -> tuple[str, str] | None:
    """(code, staff's assessment) of an Art. 21(1) decision stored as text: the portal's
    lead and closing sentence in one language around staff's words."""
    stored = text.strip()
    name = REGISTERS_BY_KEY[register].name if register in REGISTERS_BY_KEY else None
    for language, ended in _translations(INTEREST_ENDED):
        if not stored.endswith(ended):
            continue
        with translation.override(language):
            leads = [(Code.INTEREST_REFUSED, gettext(INTEREST_REFUSED))]
            if name is not None:
                upheld = gettext(INTEREST_UPHELD) % {"register": str(name)}
                leads.append((Code.INTEREST_UPHELD, upheld))
        for code, lead in leads:
            if stored.startswith(lead):
                return code, stored[len(lead) : -len(ended)].strip()
    return None


def recognise(text: str) -> tuple[str, dict] | None:
    """(code, params) of a whole sentence the portal wrote, in any of its languages."""
    stored = text.strip()
    for code, msgid in FIXED.items():
        if stored in {t for _language, t in _translations(msgid)}:
            return code, {}
    for code, pattern, labels in _access_patterns():
        match = pattern.fullmatch(stored)
        if match and match["format"] in labels:
            return code, {"reference": match["reference"], "format": labels[match["format"]]}
    return None
