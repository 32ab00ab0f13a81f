"""Every form, customer and staff, takes arbitrary input (long strings, NUL and other
controls, direction marks, emoji, lone surrogates, SQL and HTML, fields missing or sent
twice) without a server error; a refused form saves nothing; and whatever was sent comes
back escaped, on the answer and on the page it leads to."""

import os
import time
from urllib.parse import quote_from_bytes

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import roles
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.models import IdentityConflict, User
from portal.models import AuditEvent, NewsletterConsent, NewsletterSubscription, Suppression
from portal.registers import get_register
from subject_requests.across_registers import person_details
from subject_requests.models import DataRequest, FieldChange
from subject_requests.services.rectification import rectification_submit
from tests.extracts import customer_in_every_register
from tests.factories import DataSubjectFactory, NewsletterSubscriptionFactory
from tests.fuzz_strategies import HTML, either, fields, query, text, urlencoded
from tests.signin import CONFIRM_URL, PASSWORD_URL, REQUEST_URL, request_code
from tests.staff_queue_helpers import customer, make_request, signed_in_staff, url

pytestmark = pytest.mark.django_db

FUZZ = settings(
    # FUZZ_EXAMPLES=500 for a long hunt; the default keeps the suite within a minute or two.
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    database=None,  # nothing written into the work tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the fixtures' state is meant to carry over
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
FORM_BODY = "application/x-www-form-urlencoded"
CORRECTION = "/en/requests/rectification/billing/"
ACROSS = "/en/requests/rectification/"
EMAIL = "maija@example.fi"


def _send(client, target, pairs):
    return client.post(target, data=urlencoded(pairs), content_type=FORM_BODY)


def _answered(response, pairs):
    """No server error, and no markup that was sent comes back unescaped."""
    assert response.status_code < 500, response.status_code
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode("utf-8", "replace")
        for piece in HTML:
            if any(piece in value for _name, value in pairs):
                assert piece not in body, piece
    return response


def _then(client, response, pairs):
    """The page a redirect leads to, checked the same way."""
    if response.status_code == 302:
        _answered(client.get(response["Location"]), pairs)


def _counts(*models) -> list[int]:
    return [model.objects.count() for model in models]


def _signed_in(user, *, signed_in_ago=0) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - signed_in_ago
    session[LAST_SEEN_AT] = time.time()
    session.save()
    return client


@pytest.fixture
def browser(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def web_shop_customer():
    return customer_in_every_register()


@pytest.fixture
def shopper(browser, maija):
    """Maija, signed in, with a browser that shows server errors as a 500."""
    return maija[0], maija[1], browser


@pytest.fixture
def staff_eyes():
    """A member of staff's browser: what customers send is shown to staff too."""
    client = Client(raise_request_exception=False)
    signed_in_staff(client, roles.CONTACT_PERSON, username="katri", email="katri@example.fi")
    return client


def _seen_by_both(client, staff_client, data_request, pairs):
    for browser, page in (
        (client, f"/en/requests/{data_request.public_id}/"),
        (staff_client, url(data_request)),
    ):
        assert _answered(browser.get(page), pairs).status_code == 200


# --- Signing in ---------------------------------------------------------------------------


@FUZZ
@given(pairs=fields(email=either(EMAIL, "new.person@example.fi", "Maija@Example.FI")))
def test_code_sign_in_form(browser, pairs):
    cache.clear()  # rate limits: every example gets as far as it can
    before = _counts(User, EmailAddress)
    response = _answered(_send(browser, REQUEST_URL, pairs), pairs)
    if response.status_code != 302:
        assert _counts(User, EmailAddress) == before
    _then(browser, response, pairs)


@FUZZ
@given(pairs=fields(code=either("ABCD-EFGH", "abcdefgh", "")))
def test_code_confirm_form(pairs):
    cache.clear()
    client = Client(raise_request_exception=False)
    request_code(client, "confirm.me@example.fi")
    response = _answered(_send(client, CONFIRM_URL, pairs), pairs)
    assert "_auth_user_id" not in client.session  # a code cannot be guessed
    _then(client, response, pairs)


@FUZZ
@given(
    pairs=fields(login=either("maija.m", "MAIJA.M", "maıja.m", EMAIL), password=either("wrong", ""))
)
def test_password_login_form(web_shop_customer, pairs):
    cache.clear()
    AccessAttempt.objects.all().delete()
    client = Client(raise_request_exception=False)
    _answered(_send(client, PASSWORD_URL, pairs), pairs)
    assert "_auth_user_id" not in client.session  # no wrong password signs anyone in


@FUZZ
@given(pairs=fields(email=either("second@example.fi", EMAIL), action_add=st.just("")))
def test_add_email_address_form(shopper, pairs):
    _subject, _user, client = shopper
    response = _answered(_send(client, "/en/accounts/email/", pairs), pairs)
    _then(client, response, pairs)


@FUZZ
@given(pairs=fields(email=either(EMAIL, "staff@example.fi")))
def test_password_reset_form(browser, pairs):
    cache.clear()
    response = _answered(_send(browser, "/en/accounts/password/reset/", pairs), pairs)
    _then(browser, response, pairs)


@FUZZ
@given(pairs=fields(code=either("ABCD-EFGH", ""), next=either("/en/my-data/", "//evil.example/")))
def test_fresh_sign_in_form(maija, pairs):
    cache.clear()
    client = _signed_in(maija[1], signed_in_ago=16 * 60)
    client.post("/en/accounts/confirm-with-code/")  # mails the code
    response = _answered(_send(client, "/en/accounts/confirm-with-code/", pairs), pairs)
    if response.status_code == 302:
        assert response["Location"].startswith("/") and not response["Location"].startswith("//")


# --- The customer's requests --------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_correction_form_review_and_submit(shopper, staff_eyes, data):
    subject, _user, client = shopper
    record = subject.billingcustomer_records.get()
    current = {
        spec.name: str(getattr(record, spec.name) or "")
        for spec in get_register("billing").correctable_fields
    }
    pairs = data.draw(fields(**{name: either(value) for name, value in current.items()}))
    cache.clear()
    before = _counts(DataRequest, FieldChange)
    response = _answered(_send(client, f"{CORRECTION}?record={record.pk}", pairs), pairs)
    assert _counts(DataRequest, FieldChange) == before  # the form step never sends
    if response.status_code != 302:
        return
    _then(client, response, pairs)
    sent = _answered(client.post(CORRECTION + "review/"), pairs)
    _then(client, sent, pairs)
    newest = DataRequest.objects.order_by("-pk").first()
    if newest is not None:
        _seen_by_both(client, staff_eyes, newest, pairs)


@FUZZ
@given(record=text)
def test_correction_record_parameter(shopper, record):
    _subject, _user, client = shopper
    _answered(client.get(query(CORRECTION, record=record)), [("record", record)])


@FUZZ
@given(data=st.data())
def test_correction_code_form(shopper, data):
    subject, _user, client = shopper
    record = subject.billingcustomer_records.get()
    cache.clear()
    from tests.test_requests_rectification import _form_data

    client.post(f"{CORRECTION}?record={record.pk}", _form_data(record, email="uusi@example.fi"))
    client.post(CORRECTION + "review/")  # mails the code
    pairs = data.draw(fields(code=either("ABCD-EFGH", ""), resend=either("1")))
    before = _counts(DataRequest, FieldChange)
    _answered(_send(client, CORRECTION + "verify/", pairs), pairs)
    assert _counts(DataRequest, FieldChange) == before


@FUZZ
@given(data=st.data())
def test_correction_across_registers_form_review_and_submit(shopper, staff_eyes, data):
    """Correct my details: each detail once, one request for every register holding it."""
    _subject, user, client = shopper
    details = person_details(user)
    pairs = data.draw(fields(**{d.key: either(d.value, d.value + " B") for d in details}))
    cache.clear()
    before = _counts(DataRequest, FieldChange)
    response = _answered(_send(client, ACROSS, pairs), pairs)
    assert _counts(DataRequest, FieldChange) == before  # the form step never sends
    if response.status_code != 302:
        return
    _then(client, response, pairs)
    sent = _answered(client.post(ACROSS + "review/"), pairs)
    _then(client, sent, pairs)
    newest = DataRequest.objects.order_by("-pk").first()
    if newest is not None:
        _seen_by_both(client, staff_eyes, newest, pairs)


@FUZZ
@given(data=st.data())
def test_correction_across_registers_code_form(shopper, data):
    _subject, user, client = shopper
    cache.clear()
    form = {d.key: d.value for d in person_details(user)}
    client.post(ACROSS, {**form, "email": "uusi@example.fi"})
    client.post(ACROSS + "review/")  # mails the code
    pairs = data.draw(fields(code=either("ABCD-EFGH", ""), resend=either("1")))
    before = _counts(DataRequest, FieldChange)
    _answered(_send(client, ACROSS + "verify/", pairs), pairs)
    assert _counts(DataRequest, FieldChange) == before


def _request_form(client, staff_client, target, pairs):
    before = _counts(DataRequest, FieldChange, AuditEvent)
    response = _answered(_send(client, target, pairs), pairs)
    if response.status_code != 302:
        assert _counts(DataRequest, FieldChange, AuditEvent) == before
        return
    assert DataRequest.objects.count() - before[0] in (0, 1)
    _then(client, response, pairs)
    _seen_by_both(client, staff_client, DataRequest.objects.order_by("-pk").first(), pairs)


@FUZZ
@given(
    kind=st.sampled_from(["erasure", "restriction"]),
    register=st.sampled_from(["billing", "postal", "newsletter", "webshop"]),
    pairs=fields(description=either("", "Please"), submission=either("k" * 32)),
)
def test_erasure_and_restriction_forms(shopper, staff_eyes, kind, register, pairs):
    _request_form(shopper[2], staff_eyes, f"/en/requests/{kind}/{register}/", pairs)


@FUZZ
@given(
    kind=st.sampled_from(["erasure", "restriction"]),
    pairs=fields(description=either("", "Please"), submission=either("k" * 32)),
)
def test_erasure_and_restriction_of_every_register_forms(shopper, staff_eyes, kind, pairs):
    _request_form(shopper[2], staff_eyes, f"/en/requests/{kind}/", pairs)


@FUZZ
@given(
    pairs=fields(
        no_postal_marketing=either("on"),
        no_disclosure=either("on"),
        unsubscribe=either("on"),
        submission=either("k" * 32),
    )
)
def test_objection_form(shopper, staff_eyes, pairs):
    _request_form(shopper[2], staff_eyes, "/en/requests/objection/", pairs)


@FUZZ
@given(
    register=text,
    field=text,
    pairs=fields(description=either("Please check my data"), submission=either("k" * 32)),
)
def test_free_form_request_form(shopper, staff_eyes, register, field, pairs):
    client = shopper[2]
    shown = [("register", register), ("field", field), ("topic", field)]
    _answered(client.get(query("/en/requests/other/", register=register, field=field)), shown)
    _answered(client.get(query("/en/requests/other/", topic=field)), shown)
    _request_form(client, staff_eyes, "/en/requests/other/", pairs)


@FUZZ
@given(
    register=text,
    pairs=fields(
        register=either("billing", "postal"),
        grounds=either("My situation"),
        submission=either("k" * 32),
    ),
)
def test_interest_objection_form(shopper, staff_eyes, register, pairs):
    client = shopper[2]
    shown = [("register", register)]
    _answered(client.get(query("/en/requests/interest-objection/", register=register)), shown)
    _request_form(client, staff_eyes, "/en/requests/interest-objection/", pairs)


@FUZZ
@given(
    pairs=fields(
        first_name=either("Toivo"),
        last_name=either("Mäkinen"),
        street_address=either("Hämeenkatu 21 A 4"),
        postal_code=either("33200", "33 200"),
        post_office=either("Tampere"),
    )
)
def test_postal_claim_form(shopper, staff_eyes, pairs):
    """The claim answers alike, keeps at most a few claims, and staff see what was typed
    escaped."""
    from accounts.models import PostalClaim

    client = shopper[2]
    response = _answered(_send(client, "/en/my-data/postal-address/", pairs), pairs)
    _then(client, response, pairs)
    assert PostalClaim.objects.count() <= 3
    _answered(staff_eyes.get("/en/staff/postal-claims/"), pairs)
    for claim in PostalClaim.objects.all():
        _answered(staff_eyes.get(f"/en/staff/postal-claims/{claim.public_id}/"), pairs)


@FUZZ
@given(pairs=fields(code=either("ABCDE-23456", "abcde23456")))
def test_postal_claim_code_form(shopper, pairs):
    client = shopper[2]
    before = _counts(DataRequest, AuditEvent)
    response = _answered(_send(client, "/en/my-data/postal-address/code/", pairs), pairs)
    assert response.status_code in (200, 400)
    assert _counts(DataRequest, AuditEvent) == before  # no letter is out: nothing counted


@FUZZ
@given(pairs=fields(subject=either("1", "99999", "-1")))
def test_staff_postal_claim_letter_form(staff, pairs):
    from accounts.models import PostalClaim

    user, _subject, _record = customer()
    claim = PostalClaim.objects.create(
        user=user,
        first_name="A",
        last_name="B",
        street_address="Postikatu 2",
        postal_code="00200",
        post_office="Helsinki",
    )
    response = _answered(
        _send(staff, f"/en/staff/postal-claims/{claim.public_id}/letter/", pairs), pairs
    )
    assert response.status_code in (200, 302)
    _then(staff, response, pairs)


# --- Staff --------------------------------------------------------------------------------


@pytest.fixture
def staff(browser):
    signed_in_staff(browser, roles.CONTACT_PERSON)
    return browser


def _state(data_request) -> tuple:
    data_request.refresh_from_db()
    return (
        data_request.status,
        data_request.decision,
        data_request.due_on,
        data_request.extended_at,
        data_request.assignee_id,
        list(data_request.changes.values_list("decision", "reason")),
    )


def _staff_action(client, data_request, action, pairs):
    before = (_state(data_request), AuditEvent.objects.count())
    response = _answered(_send(client, url(data_request, action), pairs), pairs)
    if response.status_code != 302:
        assert (_state(data_request), AuditEvent.objects.count()) == before
    _then(client, response, pairs)


STAFF_FORMS = {
    "note": (DataRequest.Type.ERASURE, fields(note=either("Checked"))),
    "reject": (DataRequest.Type.ERASURE, fields(reason=either("No data"))),
    "unfounded": (DataRequest.Type.OTHER, fields(justification=either("Tenth today"))),
    "extend": (
        DataRequest.Type.ERASURE,
        fields(months=either("1", "2"), reason=either("Many registers")),
    ),
    "decide": (
        DataRequest.Type.RESTRICTION,
        fields(decision=either("approve", "reject"), reason=either("", "Kept by law")),
    ),
    "answer": (DataRequest.Type.OTHER, fields(answer=either("Here is your answer"))),
    "assign": (DataRequest.Type.ERASURE, fields()),
}


@pytest.mark.parametrize("action", STAFF_FORMS)
def test_staff_decision_forms(staff, action):
    kind, strategy = STAFF_FORMS[action]

    @FUZZ
    @given(pairs=strategy)
    def run(pairs):
        _staff_action(staff, make_request(type=kind, register="postal"), action, pairs)

    run()


@FUZZ
@given(
    kind=st.sampled_from([DataRequest.Type.ERASURE, DataRequest.Type.RESTRICTION]),
    pairs=fields(
        decision_billing=either("approve", "reject"),
        reason_billing=either("", "Kept by law"),
        reason=either("", "Done"),
    ),
)
def test_staff_decision_per_register_form(staff, kind, pairs):
    _staff_action(staff, make_request(type=kind, register=""), "decide-registers", pairs)


@FUZZ
@given(
    pairs=fields(decision=either("uphold", "refuse"), assessment=either("", "Compelling grounds"))
)
def test_staff_interest_decision_form(staff, pairs):
    data_request = make_request(type=DataRequest.Type.INTEREST_OBJECTION, register="billing")
    _staff_action(staff, data_request, "interest-decision", pairs)


@FUZZ
@given(pairs=fields(register=either("billing", "postal"), reason=either("Checked by phone")))
def test_staff_lift_restriction_form(staff, pairs):
    from django.utils import timezone

    data_request = make_request(
        type=DataRequest.Type.RESTRICTION, status=DataRequest.Status.COMPLETED
    )
    billing = get_register("billing").model_class.objects.filter(subject=data_request.subject)
    billing.update(restricted_at=timezone.now())
    _staff_action(staff, data_request, "lift-restriction", pairs)


@FUZZ
@given(data=st.data())
def test_staff_rectification_form(staff, data):
    user, _subject, record = customer()
    data_request = rectification_submit(
        user=user, record=record, changes={"street_address": "Uusikatu 5"}, language="en"
    )
    pk = data_request.changes.get().pk
    pairs = data.draw(
        fields(
            **{
                f"decision_{pk}": either("approve", "reject"),
                f"reason_{pk}": either("", "Not proven"),
                f"seen_{pk}": either(record.street_address),
            }
        )
    )
    _staff_action(staff, data_request, "rectification", pairs)


@FUZZ
@given(
    q=text,
    kind=either("", "erasure"),
    status=either("open", "all"),
    assignee=either("", "me"),
)
def test_staff_queue_filters(staff, q, kind, status, assignee):
    params = {"q": q, "type": kind, "status": status, "assignee": assignee, "overdue": q}
    _answered(staff.get(query("/en/staff/", **params)), list(params.items()))


@FUZZ
@given(
    pairs=fields(
        decision=either("same_person", "different_people"), resolution=either("Checked ID")
    )
)
def test_staff_identity_resolve_form(staff, pairs):
    conflict = IdentityConflict.objects.create(email="shared@example.fi")
    conflict.subjects.add(DataSubjectFactory(), DataSubjectFactory())
    before = AuditEvent.objects.count()
    response = _answered(_send(staff, f"/en/staff/identity/{conflict.pk}/resolve/", pairs), pairs)
    conflict.refresh_from_db()
    if response.status_code != 302:
        assert conflict.resolved_at is None and AuditEvent.objects.count() == before
    _then(staff, response, pairs)


# --- The newsletter (public: no sign-in) ------------------------------------------------------


@FUZZ
@given(pairs=fields(email=either("new.reader@example.fi", "Maija@Example.FI", "")))
def test_newsletter_subscribe_form(browser, pairs):
    cache.clear()  # rate limits
    before = _counts(NewsletterSubscription, NewsletterConsent, AuditEvent)
    response = _answered(_send(browser, "/en/newsletter/", pairs), pairs)
    assert _counts(NewsletterSubscription, NewsletterConsent, AuditEvent) == before
    _then(browser, response, pairs)


@FUZZ
@given(token=text, pairs=fields(**{"List-Unsubscribe": either("One-Click")}))
def test_newsletter_links_with_any_token(browser, token, pairs):
    subscription = NewsletterSubscriptionFactory(email="reader@example.fi")
    before = _counts(NewsletterSubscription, NewsletterConsent, AuditEvent, Suppression)
    part = quote_from_bytes(token.encode("utf-8", "surrogatepass"), safe="") or "x"
    for path in (
        f"/en/newsletter/confirm/{part}/",
        f"/en/newsletter/unsubscribe/{part}/",
        f"/en/newsletter/unsubscribe/{part}/one-click/",
    ):
        _answered(browser.get(path), pairs)
        _answered(_send(browser, path, pairs), pairs)
    subscription.refresh_from_db()
    assert subscription.status == NewsletterSubscription.Status.CONFIRMED
    assert _counts(NewsletterSubscription, NewsletterConsent, AuditEvent, Suppression) == before
