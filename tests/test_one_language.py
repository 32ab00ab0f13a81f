"""One language per person (issue #13, item 5): decisions and automatic answers are stored as
codes and rendered in the reader's language. Requests of every kind decided by staff
working in Finnish read in English on the English My requests page and in the English JSON
export, with none of the portal's Finnish or Swedish sentences; staff's own words keep the
language they wrote them in."""

import json
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from portal.models import IssuedExtract
from portal.registers import get_register
from portal.registers.erasure import BASES
from portal.registers.marketing import UNSUBSCRIBE
from subject_requests import decisions
from subject_requests.decisions import decision_text, recognise, recognise_interest
from subject_requests.models import DataRequest, FieldChange, RegisterOutcome
from subject_requests.services.base import (
    request_answer,
    request_extend,
    request_reject,
    request_submit,
)
from subject_requests.services.erasure import erasure_decide, restriction_decide
from subject_requests.services.interest_objection import (
    interest_objection_decide,
    interest_objection_submit,
)
from subject_requests.services.objection import objection_submit
from subject_requests.services.rectification import rectification_decide, rectification_submit
from tests.staff_queue_helpers import signed_in_staff, staff_member

pytestmark = pytest.mark.django_db

STAFF_WORDS = "Tarkistettu asiakasrekisteristä."  # staff's own words, in Finnish

# The portal's sentences in decisions and automatic answers (msgids; their Finnish and
# Swedish texts are read from the compiled catalogues).
PORTAL_MSGIDS = [
    decisions.ACCESS_ANSWER,
    decisions.ACCESS_LETTER,
    decisions.BY_FIELD,
    decisions.OBJECTION,
    decisions.INTEREST_UPHELD,
    decisions.INTEREST_REFUSED,
    decisions.INTEREST_ENDED,
    decisions.ERASED,
    decisions.ERASED_IN_PART,
    decisions.RESTRICTED,
    decisions.REFUSED_LINE,
    # subject_requests/services/erasure.py: erasure_answer
    "%(register)s: %(fields)s, with the %(events)s, are kept until %(date)s, "
    "because %(basis)s; everything else was erased.",
    "%(register)s: %(fields)s are kept until %(date)s, because %(basis)s; "
    "everything else was erased.",
    "%(register)s: the entry was deleted. Only these details of it are kept, "
    "without your address: %(fields)s; they are kept until %(date)s, because %(basis)s.",
    "To keep you out of our marketing for good, we keep a keyed one-way hash of "
    "your %(what)s, from which the address cannot be read.",
]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _foreign_fragments() -> set[str]:
    """The Finnish and Swedish texts of the portal's decision sentences, as the pieces
    between their placeholders (a piece of ten characters or more), and the labels of the
    statuses, outcomes and field decisions that differ from the English ones."""
    fragments = set()
    labels = [
        *DataRequest.Status.choices,
        *DataRequest.Type.choices,
        *RegisterOutcome.Outcome.choices,
        *FieldChange.Decision.choices,
    ]
    texts = [*PORTAL_MSGIDS, *(basis.text for basis in BASES.values())]
    for language in ("fi", "sv"):
        with translation.override(language):
            for msgid in texts:
                translated = gettext(msgid) if isinstance(msgid, str) else str(msgid)
                with translation.override("en"):
                    english = gettext(msgid) if isinstance(msgid, str) else str(msgid)
                if translated == english:
                    continue  # not translated yet: nothing Finnish or Swedish to find
                pieces = PLACEHOLDER.split(translated)
                fragments |= {p.strip() for p in pieces if len(p.strip()) >= 10}
            for _value, label in labels:
                with translation.override("en"):
                    english = str(label)
                if str(label) != english and len(str(label)) >= 6:
                    fragments.add(str(label))
    return fragments


def _decided_in_finnish(client, user, subject):
    """Every kind of request, each decided by staff whose portal is in Finnish."""
    staff = staff_member()
    client.post("/fi/my-data/export.json")  # an access request answered at once, in Finnish
    with translation.override("fi"):
        billing = get_register("billing").records_for(subject).get()
        correction = rectification_submit(
            user=user,
            record=billing,
            changes={"street_address": "Uusikatu 5", "phone": "040 765 4321"},
            language="fi",
        )
        changes = list(correction.changes.all())
        rectification_decide(
            request=correction,
            staff=staff,
            decisions={changes[0].pk: (True, ""), changes[1].pk: (False, STAFF_WORDS)},
            seen={c.pk: c.old_value for c in changes},
        )
        objection_submit(user=user, subjects=[subject], choices={UNSUBSCRIBE}, language="fi")
        for uphold in (True, False):
            interest = interest_objection_submit(
                user=user,
                subject=subject,
                register_key="billing",
                grounds=f"Peruste {uphold}",
                language="fi",
            )
            interest_objection_decide(
                request=interest, staff=staff, uphold=uphold, assessment=STAFF_WORDS
            )
        question = request_submit(
            user=user, type=DataRequest.Type.OTHER, description="Kysymys", language="fi"
        )
        request_extend(request=question, staff=staff, months=2, reason=STAFF_WORDS)
        request_answer(request=question, staff=staff, answer=STAFF_WORDS)
        rejected = request_submit(
            user=user, type=DataRequest.Type.OTHER, description="Toinen", language="fi"
        )
        request_reject(request=rejected, staff=staff, reason=STAFF_WORDS)
        restriction = request_submit(
            user=user, type=DataRequest.Type.RESTRICTION, subject=subject, language="fi"
        )
        restriction_decide(
            request=restriction, staff=staff, approve=True, refused={"webshop": STAFF_WORDS}
        )
        refused = request_submit(
            user=user,
            type=DataRequest.Type.ERASURE,
            subject=subject,
            register="loyalty",
            language="fi",
        )
        erasure_decide(request=refused, staff=staff, approve=True, refused={"loyalty": STAFF_WORDS})
        postal = request_submit(
            user=user,
            type=DataRequest.Type.ERASURE,
            subject=subject,
            register="postal",
            language="fi",
        )
        erasure_decide(request=postal, staff=staff, approve=True)
        everything = request_submit(
            user=user, type=DataRequest.Type.ERASURE, subject=subject, language="fi"
        )
        erasure_decide(
            request=everything,
            staff=staff,
            approve=True,
            refused={"billing": STAFF_WORDS},
            reason=STAFF_WORDS,
        )


def test_english_pages_and_export_hold_no_finnish_or_swedish_portal_sentences(
    client, maija, settings
):
    settings.PORTAL_COPY_REPEAT_SECONDS = 0
    subject, user = maija
    _decided_in_finnish(client, user, subject)
    codes = set(DataRequest.objects.values_list("decision_code", flat=True))
    assert {
        "access_answered",
        "by_field",
        "objection_in_force",
        "interest_upheld",
        "interest_refused",
        "restricted",
        "registers_refused",
        "erased",
        "erased_in_part",
    } <= codes
    # Nothing the portal wrote is stored as text: only staff's own words, marked Finnish.
    for request in DataRequest.objects.exclude(decision=""):
        assert request.decision == STAFF_WORDS and request.decision_language == "fi"

    page = client.get("/en/requests/").content.decode()
    document = json.loads(client.post("/en/my-data/export.json").content)
    # The emails went to the person in the language of each request (Finnish here); the copy
    # lists each one's subject line as it was sent.
    sent = document["emails_sent"]
    assert sent and all(email["subject"].startswith("Tector: ") for email in sent)
    assert any("päätös pyyntöösi" in email["subject"] for email in sent)
    for email in sent:
        email["subject"] = ""
    export = json.dumps(document, ensure_ascii=False)
    fragments = _foreign_fragments()
    assert len(fragments) > 20
    for text in (page, export):
        found = sorted(fragment for fragment in fragments if fragment in text)
        assert not found
        assert "Decided field by field; see each change." in text
        assert "Your objection took effect immediately when you sent it." in text
        assert "Your data was erased." in text
        assert "The processing of your data is now restricted" in text
        assert STAFF_WORDS in text
    assert f'<span lang="fi">{STAFF_WORDS}</span>' in page
    assert f'The deadline was extended: <span lang="fi">{STAFF_WORDS}</span>' in page
    # A refused register's reason and a rejected field's reason: staff's words, in Finnish.
    assert f'refused – <span lang="fi">{STAFF_WORDS}</span>' in page
    assert f'<span class="helptext"><span lang="fi">{STAFF_WORDS}</span></span>' in page
    answered = next(r for r in document["requests"] if r["extension_reason"])
    assert answered["decision_code"] == "" and answered["decision_language"] == "fi"
    assert answered["extension_language"] == "fi"
    with translation.override("fi"):
        assert gettext(decisions.ERASED) in decision_text(
            DataRequest.objects.get(decision_code="erased")
        )


def test_staff_see_the_persons_language_and_the_language_of_their_own_words(client, maija):
    subject, user = maija
    request = request_submit(
        user=user, type=DataRequest.Type.OTHER, description="Kysymys", language="sv"
    )
    with translation.override("fi"):
        request_answer(request=request, staff=staff_member(), answer=STAFF_WORDS)
    signed_in_staff(client)
    queue = client.get("/en/staff/?status=all").content.decode()
    assert '<span class="tag" title="Language of the person">sv</span>' in queue
    page = client.get(f"/en/staff/requests/{request.public_id}/").content.decode()
    assert "Language of the person" in page and "svenska" in page
    assert f'<span lang="fi">{STAFF_WORDS}</span>' in page
    assert '<span class="tag lang-tag" title="written in this language">fi</span>' in page


def test_stored_sentences_are_recognised_in_any_language():
    """The data migration's recognition: the portal's sentences become codes, with the
    format as its code; anything else stays staff's words."""
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            fmt = str(IssuedExtract.Format("json").label)
            answer = gettext(decisions.ACCESS_ANSWER) % {
                "reference": "RO-ABCD-1234",
                "format": fmt,
            }
            assert recognise(answer) == (
                "access_answered",
                {"reference": "RO-ABCD-1234", "format": "json"},
            )
            assert recognise(gettext(decisions.BY_FIELD)) == ("by_field", {})
            assert recognise(gettext(decisions.OBJECTION)) == ("objection_in_force", {})
            stored = " ".join(
                [
                    gettext(decisions.INTEREST_REFUSED),
                    STAFF_WORDS,
                    gettext(decisions.INTEREST_ENDED),
                ]
            )
            assert recognise_interest(stored, "billing") == ("interest_refused", STAFF_WORDS)
    assert recognise(STAFF_WORDS) is None


def test_the_data_migration_turns_stored_sentences_into_codes(maija):
    """Decisions stored as text before codes: the portal's sentences (in any language)
    become codes; staff's words stay, language unknown."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("subject_requests.migrations.0008_decision_codes")
    subject, user = maija
    with translation.override("sv"):
        by_field = gettext(decisions.BY_FIELD)
        fmt = str(IssuedExtract.Format("pdf").label)
        access = gettext(decisions.ACCESS_ANSWER) % {"reference": "RO-AB12", "format": fmt}
    with translation.override("fi"):
        upheld = " ".join(
            [
                gettext(decisions.INTEREST_UPHELD)
                % {"register": str(get_register("billing").name)},
                STAFF_WORDS,
                gettext(decisions.INTEREST_ENDED),
            ]
        )
    stored = {}
    for kind, register, text in [
        (DataRequest.Type.RECTIFICATION, "", by_field),
        (DataRequest.Type.ACCESS, "", access),
        (DataRequest.Type.INTEREST_OBJECTION, "billing", upheld),
        (DataRequest.Type.OTHER, "", STAFF_WORDS),
    ]:
        request = request_submit(user=user, type=kind, register=register, description=kind)
        DataRequest.objects.filter(pk=request.pk).update(decision=text)
        stored[kind] = request
    migration.to_codes(apps, None)
    found = {
        kind: DataRequest.objects.values_list(
            "decision_code", "decision_params", "decision", "decision_language"
        ).get(pk=request.pk)
        for kind, request in stored.items()
    }
    assert found == {
        DataRequest.Type.RECTIFICATION: ("by_field", {}, "", ""),
        DataRequest.Type.ACCESS: (
            "access_answered",
            {"reference": "RO-AB12", "format": "pdf"},
            "",
            "",
        ),
        DataRequest.Type.INTEREST_OBJECTION: (
            "interest_upheld",
            {"register": "billing"},
            STAFF_WORDS,
            "",
        ),
        DataRequest.Type.OTHER: ("", {}, STAFF_WORDS, ""),
    }
