"""Remedies in every refusal (Art. 12(4)): a rejection, a manifestly unfounded decision
(Art. 12(5)), a partial approval and an erasure that keeps accounting data all say why and
name both the complaint to the Data Protection Ombudsman (with the address in the reader's
language) and the courts; a full approval names neither."""

import pytest
from django.core import mail
from django.utils import translation

from portal.controller import JUDICIAL_REMEDY, SUPERVISORY_AUTHORITY
from subject_requests.models import DataRequest
from subject_requests.services.base import request_reject
from subject_requests.services.erasure import erasure_decide
from subject_requests.services.rectification import current_values, rectification_decide
from tests.factories import PostalRecipientFactory, UserFactory
from tests.staff_queue_helpers import customer, make_request

pytestmark = pytest.mark.django_db

POSTAL = {
    "fi": "PL 800, 00531 Helsinki",
    "sv": "PB 800, 00531 Helsingfors",
    "en": "P.O. Box 800, 00531 Helsinki",
}
UNFOUNDED = (
    "We consider your request manifestly unfounded or excessive, so we do not act on it "
    "(GDPR Art. 12(5)). Our reasons:"
)


def _remedies(language: str) -> list[str]:
    """What every refusal must say, as the reader's language renders it."""
    with translation.override(language):
        return [
            str(SUPERVISORY_AUTHORITY.name),
            POSTAL[language],
            SUPERVISORY_AUTHORITY.website,
            str(JUDICIAL_REMEDY),
        ]


def _decided(django_capture_on_commit_callbacks, decide) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        decide()
    return mail.outbox[-1].body


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_rejection_names_both_remedies_with_the_address_in_its_language(
    language, django_capture_on_commit_callbacks
):
    data_request = make_request(language=language)
    staff = UserFactory(is_staff=True)
    body = _decided(
        django_capture_on_commit_callbacks,
        lambda: request_reject(request=data_request, staff=staff, reason="Not ours."),
    )
    assert "Not ours." in body
    for text in _remedies(language):
        assert text in body
    other = {"fi": "PB 800", "sv": "PL 800", "en": "PB 800"}[language]
    assert other not in body


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_manifestly_unfounded_cites_art_12_5_and_names_the_remedies(
    language, django_capture_on_commit_callbacks
):
    data_request = make_request(language=language)
    staff = UserFactory(is_staff=True)
    body = _decided(
        django_capture_on_commit_callbacks,
        lambda: request_reject(
            request=data_request,
            staff=staff,
            reason="The twelfth identical request this month.",
            unfounded=True,
        ),
    )
    with translation.override(language):
        assert translation.gettext(UNFOUNDED) in body
    for text in _remedies(language):
        assert text in body


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_partial_approval_names_the_remedies(
    language, rectification, django_capture_on_commit_callbacks
):
    data_request, _record = rectification
    DataRequest.objects.filter(pk=data_request.pk).update(language=language)
    changes = {c.field: c for c in data_request.changes.all()}
    current = current_values(data_request)
    decisions = {
        changes["street_address"].pk: (True, ""),
        changes["phone"].pk: (False, "The number is the switchboard's."),
    }
    body = _decided(
        django_capture_on_commit_callbacks,
        lambda: rectification_decide(
            request=data_request,
            staff=UserFactory(is_staff=True),
            decisions=decisions,
            seen={pk: current[pk] for pk in decisions},
        ),
    )
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.PARTLY_APPROVED
    assert "The number is the switchboard's." in body
    for text in _remedies(language):
        assert text in body


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_an_erasure_that_keeps_accounting_data_names_the_remedies(
    language, django_capture_on_commit_callbacks
):
    user, subject, _record = customer()  # a billing record: anonymised, the name kept
    data_request = make_request(user=user, subject=subject, register="billing", language=language)
    body = _decided(
        django_capture_on_commit_callbacks,
        lambda: erasure_decide(
            request=data_request, staff=UserFactory(is_staff=True), approve=True
        ),
    )
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED and data_request.data_kept
    assert data_request.refused
    for text in _remedies(language):
        assert text in body


def test_an_erasure_that_keeps_nothing_names_no_remedy(django_capture_on_commit_callbacks):
    user, subject, _record = customer()
    PostalRecipientFactory(subject=subject)
    data_request = make_request(user=user, subject=subject, register="postal", language="en")
    body = _decided(
        django_capture_on_commit_callbacks,
        lambda: erasure_decide(
            request=data_request, staff=UserFactory(is_staff=True), approve=True
        ),
    )
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    assert not data_request.data_kept and not data_request.refused
    assert str(JUDICIAL_REMEDY) not in body and POSTAL["en"] not in body


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_my_requests_names_the_remedies_under_a_refusal(client, language):
    user, subject, _record = customer()
    data_request = make_request(user=user, subject=subject, language=language)
    request_reject(request=data_request, staff=UserFactory(is_staff=True), reason="Not ours.")
    client.force_login(user)
    for path in ("/requests/", f"/requests/{data_request.public_id}/"):
        html = client.get(f"/{language}{path}").content.decode()
        for text in _remedies(language):
            assert text in html


def test_my_requests_names_no_remedy_under_a_granted_request(client):
    user, subject, _record = customer()
    make_request(user=user, subject=subject, status=DataRequest.Status.COMPLETED)
    client.force_login(user)
    html = client.get("/en/requests/").content.decode()
    assert POSTAL["en"] not in html


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_pdf_extract_names_both_remedies_with_the_address_in_its_language(client, language):
    from tests.extracts import customer_in_every_register, pdf_text, signed_in_customer

    customer_in_every_register(orders=1)
    signed_in_customer(client)
    # pypdf may break a line or a kerned pair anywhere: compare without whitespace.
    text = "".join(pdf_text(client.post(f"/{language}/my-data/extract.pdf").content).split())
    for expected in _remedies(language):
        assert "".join(expected.split()) in text
