"""Fuzzing of staff intake, the letter extract and the identity questions (Art. 12(6)), as
tests/test_fuzz_forms.py does for every other form: arbitrary input never makes a server
error, a refused form saves nothing, and what was sent comes back escaped."""

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import roles
from portal.models import AuditEvent, IssuedExtract
from subject_requests.models import DataRequest, FieldChange
from subject_requests.services.identity_doubt import identity_info_request
from tests.factories import PostalRecipientFactory
from tests.fuzz_strategies import either, fields, query, text
from tests.staff_queue_helpers import customer, make_request, signed_in_staff, url
from tests.test_fuzz_forms import FUZZ, _answered, _counts, _send, _signed_in, _then

pytestmark = pytest.mark.django_db

INTAKE = "/en/staff/intake/new/"
# Each copy is a PDF made by WeasyPrint: fewer examples.
FEW = settings(FUZZ, max_examples=min(FUZZ.max_examples, 8))


@pytest.fixture
def staff(client):
    """Queue staff, with a browser that shows server errors as a 500."""
    client.raise_request_exception = False
    signed_in_staff(client, roles.CONTACT_PERSON)
    return client


def _refused_saves_nothing(client, target, pairs, *models):
    before = _counts(*models)
    response = _answered(_send(client, target, pairs), pairs)
    if response.status_code != 302:
        assert _counts(*models) == before
    _then(client, response, pairs)
    return response


@FUZZ
@given(
    pairs=fields(
        channel=either("letter", "email", "phone", "in_person", "portal"),
        received_on=either("2026-01-05", "2999-01-01", "05.01.2026", ""),
        type=either("erasure", "access", "rectification", "objection", "other"),
        register=either("", "billing", "postal", "nope"),
        description=either("", "Please erase me"),
        identity_check=either("address_on_file", "not_checked", "signed_in"),
        identity_note=either("", "Signed"),
        language=either("fi", "sv", "en", "de"),
        reply_email=either("", "toivo@example.fi"),
        contact_name=either("", "Toivo"),
        contact_address=either("", "Hämeenkatu 21 A 4\n33200 Tampere"),
    )
)
def test_intake_form(staff, pairs):
    record = PostalRecipientFactory()
    target = f"{INTAKE}?subject={record.subject.public_id}"
    _refused_saves_nothing(staff, target, pairs, DataRequest, AuditEvent)


@FUZZ
@given(data=st.data())
def test_intake_correction_form(staff, data):
    _user, subject, record = customer()
    pairs = data.draw(
        fields(
            channel=either("letter"),
            received_on=either("2026-01-05"),
            type=either("rectification"),
            identity_check=either("id_document"),
            language=either("fi"),
            **{
                "fix-street_address": either("Uusikatu 5", ""),
                "fix-postal_code": either("00100", "1"),
                "fix-email": either(record.email, "not an address"),
            },
        )
    )
    target = f"{INTAKE}?subject={subject.public_id}&record=billing:{record.pk}"
    _refused_saves_nothing(staff, target, pairs, DataRequest, FieldChange)


@FUZZ
@given(q=text, subject=text, record=text, link=text)
def test_intake_search_and_parameters(staff, q, subject, record, link):
    params = {"q": q, "link": link}
    _answered(staff.get(query("/en/staff/intake/", **params)), list(params.items()))
    params = {"subject": subject, "record": record}
    _answered(staff.get(query(INTAKE, **params)), list(params.items()))


@FEW
@given(pairs=fields(language=either("fi", "sv", "xx"), channel=either("", "letter", "portal")))
def test_letter_extract_form(staff, pairs):
    record = PostalRecipientFactory()
    target = f"/en/staff/subjects/{record.subject.public_id}/extract-letter/"
    before = _counts(IssuedExtract, DataRequest)
    response = _answered(_send(staff, target, pairs), pairs)
    if response.get("Content-Type") == "application/pdf":  # issued: one copy, one request
        assert _counts(IssuedExtract, DataRequest) == [n + 1 for n in before]
    else:
        assert _counts(IssuedExtract, DataRequest) == before
        _then(staff, response, pairs)


@FUZZ
@given(pairs=fields(message=either("Your customer number?")))
def test_identity_question_form(staff, pairs):
    data_request = make_request(type=DataRequest.Type.ERASURE)
    _refused_saves_nothing(staff, url(data_request, "identity/ask"), pairs, AuditEvent)


def _questioned(**fields_):
    data_request = make_request(type=DataRequest.Type.ERASURE, **fields_)
    asker = get_user_model().objects.filter(is_staff=True).first()
    identity_info_request(request=data_request, staff=asker, message="Who are you?")
    return data_request


@FUZZ
@given(pairs=fields(answer=either("It is 100101")))
def test_identity_answer_recorded_by_staff(staff, pairs):
    data_request = _questioned()
    _refused_saves_nothing(staff, url(data_request, "identity/answer"), pairs, AuditEvent)


@FUZZ
@given(pairs=fields(answer=either("It is 100101")))
def test_identity_answer_in_the_portal(staff, pairs):
    user, subject, _record = customer()
    data_request = _questioned(user=user, subject=subject)
    person = _signed_in(user)
    target = f"/en/requests/{data_request.public_id}/identity/"
    _refused_saves_nothing(person, target, pairs, AuditEvent)
    _answered(person.get(f"/en/requests/{data_request.public_id}/"), pairs)


@FUZZ
@given(pairs=fields(subject=either("x", "00000000-0000-0000-0000-000000000000")))
def test_link_subject_form(staff, pairs):
    data_request = make_request(type=DataRequest.Type.ERASURE, user=None, subject=None)
    _refused_saves_nothing(staff, url(data_request, "link-subject"), pairs, AuditEvent)
