"""A person known only by a postal address claims the data with a code sent by letter:
the claim answers the same whatever the registers hold; staff print a letter (PDF) to the
address on file with a one-time code; the code, entered by the same user, links the records.
The code expires, has an attempt limit (then the claim is locked), and only its user can use it."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone, translation

from accounts import roles
from accounts.identity import linked_subjects
from accounts.models import PostalClaim
from accounts.postal_claims import MAX_ATTEMPTS
from portal.demo.loader import demo_load
from portal.models import AuditEvent, DataSubject
from tests.extracts import pdf_text
from tests.factories import PostalRecipientFactory, UserFactory
from tests.staff_queue_helpers import messages_of, signed_in_staff

pytestmark = pytest.mark.django_db

TOIVO = {
    "first_name": "Toivo",
    "last_name": "Mäkinen",
    "street_address": "Hämeenkatu 21 A 4",
    "postal_code": "33200",
    "post_office": "Tampere",
}
with translation.override("en"):
    CLAIM = reverse("postal_claim")
    CODE = reverse("postal_claim_code")


@pytest.fixture(autouse=True)
def _english():
    """English pages (/en/...), so the texts checked here stay English when translated."""
    with translation.override("en"):
        yield


def _person(client, email="toivo@example.fi"):
    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client.force_login(user)
    return user


@pytest.fixture
def toivo_record():
    subject = DataSubject.objects.create(display_name="Toivo Mäkinen")
    return PostalRecipientFactory(subject=subject, **TOIVO)


def _claim(client, **typed):
    return client.post(CLAIM, {**TOIVO, **typed}, follow=True)


def _letter(client, claim, subject) -> str:
    response = client.post(
        reverse("staff_postal_claim_letter", args=[claim.public_id]), {"subject": subject.pk}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Without spaces: the extracted text of a PDF splits words at kerning ("T oivo").
    text = pdf_text(response.content).replace(" ", "")
    return text, re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", text).group(0)


def test_toivo_end_to_end_with_the_demo_data(client):
    demo_load()
    toivo = DataSubject.objects.get(display_name="Toivo Mäkinen")
    user = _person(client)
    assert linked_subjects(user).subjects == []
    response = _claim(client, street_address="hämeenkatu 21 a 4", post_office="TAMPERE")
    assert response.redirect_chain[-1][0] == CODE
    claim = PostalClaim.objects.get(user=user)
    # Nothing from the record before the code.
    assert "Hämeenkatu" not in client.get(reverse("my_data")).content.decode()

    staff_client = client.__class__()
    signed_in_staff(staff_client, roles.CONTACT_PERSON)
    page = staff_client.get(reverse("staff_postal_claim", args=[claim.public_id]))
    assert "Hämeenkatu 21 A 4" in page.content.decode()
    text, code = _letter(staff_client, claim, toivo)
    # Addressed to the address on file (as written there), with the code.
    assert "ToivoMäkinen" in text and "Hämeenkatu21A4" in text and "33200Tampere" in text
    claim.refresh_from_db()
    assert claim.status == PostalClaim.Status.LETTER_SENT
    assert code.replace("-", "") not in claim.code_hash and len(claim.code_hash) == 64

    response = client.post(CODE, {"code": code.lower()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my_data")
    assert linked_subjects(user).subjects == [toivo]
    my_data = client.get(reverse("my_data")).content.decode()
    assert "Hämeenkatu 21 A 4" in my_data and "Tampere" in my_data
    assert AuditEvent.objects.filter(
        action="identity.postal_claim.linked", subject=toivo, actor=user
    ).exists()
    # Used once.
    assert client.post(CODE, {"code": code}).status_code == 400


def test_the_letter_goes_to_the_address_on_file_not_the_one_typed(client, toivo_record):
    _person(client)
    _claim(client, street_address="HAMEENKATU 21 A 4", post_office="Tampere keskusta")
    claim = PostalClaim.objects.get()
    client = client.__class__()
    signed_in_staff(client)
    text, _code = _letter(client, claim, toivo_record.subject)
    assert "Hämeenkatu21A4" in text and "HAMEENKATU" not in text and "keskusta" not in text


def test_wrong_codes_count_and_lock_the_claim(client, toivo_record):
    user = _person(client)
    _claim(client)
    claim = PostalClaim.objects.get()
    staff_client = client.__class__()
    signed_in_staff(staff_client)
    _text, code = _letter(staff_client, claim, toivo_record.subject)
    for tries in range(1, MAX_ATTEMPTS):
        response = client.post(CODE, {"code": "AAAAA-AAAAA"})
        assert response.status_code == 400
        assert f"You can try {MAX_ATTEMPTS - tries} more" in response.content.decode()
    response = client.post(CODE, {"code": "AAAAA-AAAAA"})
    assert "too many times" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == PostalClaim.Status.LOCKED and claim.attempts == MAX_ATTEMPTS
    # Locked: even the right code no longer works.
    client.post(CODE, {"code": code})
    assert linked_subjects(user).subjects == []


def test_the_code_expires(client, toivo_record):
    user = _person(client)
    _claim(client)
    claim = PostalClaim.objects.get()
    staff_client = client.__class__()
    signed_in_staff(staff_client)
    _text, code = _letter(staff_client, claim, toivo_record.subject)
    PostalClaim.objects.filter(pk=claim.pk).update(
        code_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.post(CODE, {"code": code})
    assert "The code has expired" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == PostalClaim.Status.EXPIRED
    assert linked_subjects(user).subjects == []


def test_another_user_cannot_use_the_code(client, toivo_record):
    owner = _person(client)
    _claim(client)
    claim = PostalClaim.objects.get()
    staff_client = client.__class__()
    signed_in_staff(staff_client)
    _text, code = _letter(staff_client, claim, toivo_record.subject)
    other_client = client.__class__()
    other = _person(other_client, "other@example.fi")
    response = other_client.post(CODE, {"code": code})
    assert response.status_code == 400
    assert linked_subjects(other).subjects == []
    # The owner's claim is untouched by the other's try.
    claim.refresh_from_db()
    assert claim.attempts == 0
    client.post(CODE, {"code": code})
    assert linked_subjects(owner).subjects == [toivo_record.subject]


def test_the_answer_never_tells_whether_a_record_matched(client, toivo_record):
    _person(client)
    found = _claim(client)
    not_found = _claim(client, first_name="Nobody", street_address="Eikatu 1")
    assert found.status_code == not_found.status_code == 200
    assert messages_of(found) == messages_of(not_found)
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)  # noqa: E731
    assert strip(found.content.decode()) == strip(not_found.content.decode())
    # Past the limit of open claims: still the same answer.
    _claim(client)
    beyond = _claim(client)
    assert messages_of(beyond) == messages_of(found)
    assert PostalClaim.objects.count() == 3


def test_staff_see_candidates_and_a_letter_needs_one(client, toivo_record):
    _person(client)
    _claim(client, first_name="Teuvo")
    claim = PostalClaim.objects.get()
    client = client.__class__()
    signed_in_staff(client)
    page = client.get(reverse("staff_postal_claim", args=[claim.public_id])).content.decode()
    # The record at the address is shown, with its name marked as not matching.
    assert "Hämeenkatu 21 A 4" in page and "<td><strong>" in page
    stranger = DataSubject.objects.create(display_name="Stranger")
    response = client.post(
        reverse("staff_postal_claim_letter", args=[claim.public_id]),
        {"subject": stranger.pk},
        follow=True,
    )
    assert "Choose one of the matching records." in messages_of(response)
    claim.refresh_from_db()
    assert claim.status == PostalClaim.Status.RECEIVED and not claim.code_hash
    client.post(reverse("staff_postal_claim_close", args=[claim.public_id]))
    claim.refresh_from_db()
    assert claim.status == PostalClaim.Status.CLOSED


def test_customers_cannot_open_staff_claim_pages(client, toivo_record):
    _person(client)
    _claim(client)
    claim = PostalClaim.objects.get()
    assert client.get(reverse("staff_postal_claim", args=[claim.public_id])).status_code == 403
    response = client.post(
        reverse("staff_postal_claim_letter", args=[claim.public_id]),
        {"subject": toivo_record.subject.pk},
    )
    assert response.status_code == 403


def test_the_daily_retention_deletes_claims_that_linked_nothing_as_the_notice_says(client):
    """Claims that linked nothing go POSTAL_CLAIM_KEEP_DAYS after they were made; a linked
    claim, the proof of the link, stays; the privacy notice states the same period."""
    from portal.processing import POSTAL_CLAIM_KEEP_DAYS
    from portal.retention_service import retention_apply

    user = UserFactory()
    old, recent, linked = (
        PostalClaim.objects.create(
            user=user,
            first_name="Toivo",
            last_name="Mäkinen",
            street_address="Hämeenkatu 21 A 4",
            postal_code="33200",
            post_office="Tampere",
            status=status,
        )
        for status in (
            PostalClaim.Status.EXPIRED,
            PostalClaim.Status.RECEIVED,
            PostalClaim.Status.LINKED,
        )
    )
    # Two days past the period: the purge counts whole local days, and in the evening UTC
    # the local date (Helsinki) is already the next one.
    long_ago = timezone.now() - datetime.timedelta(days=POSTAL_CLAIM_KEEP_DAYS + 2)
    PostalClaim.objects.filter(pk__in=[old.pk, linked.pk]).update(created_at=long_ago)

    summary = retention_apply()

    assert set(PostalClaim.objects.values_list("pk", flat=True)) == {recent.pk, linked.pk}
    assert summary.other["postal claims"] == 1
    assert AuditEvent.objects.filter(action="identity.postal_claim.purged").count() == 1
    with translation.override("en"):
        notice = client.get("/en/").content.decode()
    assert f"deleted {POSTAL_CLAIM_KEEP_DAYS} days after it was made" in notice
