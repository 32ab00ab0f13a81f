"""The newsletter (issue #11, item 6): double opt-in through an emailed, signed link, a consent
record with time, language and text version, unsubscribing by page and by RFC 8058 one-click
without a sign-in, and the mailing tool's list."""

import csv
import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from portal import newsletter, suppression
from portal.models import (
    AuditEvent,
    DataSubject,
    NewsletterConsent,
    NewsletterSubscription,
    Suppression,
)
from portal.registers.marketing import UNSUBSCRIBE
from subject_requests.services.objection import objection_submit
from tests.factories import BillingCustomerFactory, NewsletterSubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW = "new.reader@example.fi"
ONE_CLICK_BODY = {"List-Unsubscribe": "One-Click"}


def subscribe(client, email, lang="en"):
    return client.post(f"/{lang}/newsletter/", {"email": email})


def link_in(message, kind) -> str:
    """The path of the portal link of `kind` (confirm, unsubscribe) in a mail."""
    url = re.search(rf"https?://\S+/newsletter/{kind}/\S+/", message.body).group(0)
    return urlsplit(url).path


def confirm_path(client, email=NEW, lang="en") -> str:
    subscribe(client, email, lang)
    return link_in(mail.outbox[-1], "confirm")


def token_of(path: str) -> str:
    return path.rstrip("/").split("/")[4]


def events(action):
    return AuditEvent.objects.filter(action=action)


def unsubscribe_paths(subscription, lang="en"):
    page = urlsplit(newsletter.unsubscribe_url(subscription, lang)).path
    return page, page + "one-click/"


def csrf_client_on(page) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    response = client.get(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    return client, token.group(1)


# --- Subscribing ----------------------------------------------------------------------------


def test_subscribing_mails_a_confirmation_link_and_stores_nothing(client):
    subjects = DataSubject.objects.count()
    response = subscribe(client, "New.Reader@Example.FI")
    assert response.status_code == 302 and response["Location"] == "/en/newsletter/sent/"
    assert client.get(response["Location"]).status_code == 200
    [message] = mail.outbox
    assert message.to == [NEW]
    assert "confirm" in message.subject.lower()
    assert "7 days" in message.body
    assert NewsletterSubscription.objects.count() == 0
    assert DataSubject.objects.count() == subjects
    assert not NewsletterConsent.objects.exists()


def test_opening_the_link_shows_the_consent_text_and_changes_nothing(client):
    path = confirm_path(client)
    response = client.get(path)
    assert response.status_code == 200
    assert (
        escape(str(newsletter.CONSENT_TEXTS[newsletter.CONSENT_VERSION]))
        in response.content.decode()
    )
    assert NEW in response.content.decode()
    assert NewsletterSubscription.objects.count() == 0


def test_confirming_subscribes_and_records_time_language_and_text_version(client):
    path = confirm_path(client, lang="sv")
    assert path.startswith("/sv/newsletter/confirm/")
    before = timezone.now()
    response = client.post(path)
    assert response.status_code == 200
    subscription = NewsletterSubscription.objects.get(email=NEW)
    assert subscription.status == NewsletterSubscription.Status.CONFIRMED
    assert subscription.confirmed_at >= before and subscription.subscribed_at >= before
    [consent] = subscription.consents.all()
    assert before <= consent.given_at <= timezone.now()
    assert consent.language == "sv"
    assert consent.text_version == newsletter.CONSENT_VERSION
    assert consent.withdrawn_at is None
    event = events("newsletter.consent.given").get()
    assert event.subject_id == subscription.subject_id
    assert event.details["language"] == "sv"
    assert event.details["text_version"] == newsletter.CONSENT_VERSION


def test_confirming_joins_the_person_whose_records_carry_the_address(client):
    billing = BillingCustomerFactory(email=NEW)
    client.post(confirm_path(client))
    assert NewsletterSubscription.objects.get(email=NEW).subject == billing.subject


def test_confirming_a_pending_subscription_activates_it(client):
    pending = NewsletterSubscriptionFactory(
        email=NEW, status=NewsletterSubscription.Status.PENDING, confirmed_at=None
    )
    client.post(confirm_path(client))
    pending.refresh_from_db()
    assert pending.status == NewsletterSubscription.Status.CONFIRMED
    assert pending.confirmed_at is not None
    assert NewsletterSubscription.objects.count() == 1
    assert pending.consents.count() == 1


def test_an_address_already_subscribed_gets_the_same_page_and_a_mail_that_changes_nothing(client):
    subscribed = NewsletterSubscriptionFactory(email="old.reader@example.fi")
    stamp = subscribed.updated_at
    answers = [subscribe(client, email) for email in (NEW, "old.reader@example.fi")]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert answers[0].content == answers[1].content
    new_mail, old_mail = mail.outbox
    assert new_mail.to == [NEW] and old_mail.to == ["old.reader@example.fi"]
    assert "/newsletter/confirm/" not in old_mail.body
    assert "already" in old_mail.subject
    # Its link unsubscribes; the address stays subscribed until someone uses it.
    assert client.get(link_in(old_mail, "unsubscribe")).status_code == 200
    subscribed.refresh_from_db()
    assert subscribed.updated_at == stamp
    assert subscribed.status == NewsletterSubscription.Status.CONFIRMED
    assert not NewsletterConsent.objects.exists()


def test_the_form_refuses_what_is_not_an_address(client):
    response = subscribe(client, "not an address")
    assert response.status_code == 200
    assert not mail.outbox


def test_subscribing_is_limited_per_address(client):
    for n in range(3):
        assert subscribe(Client(REMOTE_ADDR=f"10.0.0.{n}"), NEW).status_code == 302
    response = subscribe(Client(REMOTE_ADDR="10.0.0.9"), NEW)
    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_subscribing_is_limited_per_client(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "newsletter_subscribe": "2/h/ip,10/h/key",
    }
    assert subscribe(client, "a@example.fi").status_code == 302
    assert subscribe(client, "b@example.fi").status_code == 302
    assert subscribe(client, "c@example.fi").status_code == 429
    assert [m.to for m in mail.outbox] == [["a@example.fi"], ["b@example.fi"]]


# --- Links that do not work -----------------------------------------------------------------


def _nothing_subscribed():
    assert NewsletterSubscription.objects.count() == 0
    assert not NewsletterConsent.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_confirmation_link_gets_a_clear_page(client, method):
    path = confirm_path(client)
    token = token_of(path)
    forged = signing.dumps(
        {"e": "victim@example.fi", "l": "en", "v": newsletter.CONSENT_VERSION, "n": "x" * 32},
        salt="some.other.salt",
    )
    for bad in (token[:-3] + "abc", forged, "x", token.replace(":", "")):
        response = getattr(client, method)(path.replace(token, bad))
        assert response.status_code == 400, bad
        assert "This link is not valid." in response.content.decode()
    _nothing_subscribed()


def _signed_days_ago(token: str, days: int) -> str:
    """The same confirmation, signed with a timestamp `days` ago (django.core.signing)."""

    class Earlier(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)

    payload = signing.TimestampSigner(salt=newsletter.CONFIRM_SALT).unsign_object(token)
    return Earlier(salt=newsletter.CONFIRM_SALT).sign_object(payload, compress=True)


def test_a_confirmation_link_is_valid_for_seven_days(client):
    path = confirm_path(client)
    token = token_of(path)
    expired = path.replace(token, _signed_days_ago(token, 8))
    for method in ("get", "post"):
        response = getattr(client, method)(expired)
        assert response.status_code == 410
        assert "This link has expired." in response.content.decode()
    _nothing_subscribed()
    assert client.post(path.replace(token, _signed_days_ago(token, 6))).status_code == 200


def test_a_confirmation_link_expires_as_the_clock_moves(client):
    time_machine = pytest.importorskip("time_machine")
    path = confirm_path(client)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert client.post(path).status_code == 410
    _nothing_subscribed()


def test_a_used_confirmation_link_gets_a_clear_page_and_changes_nothing(client):
    path = confirm_path(client)
    assert client.post(path).status_code == 200
    subscription = NewsletterSubscription.objects.get()
    stamp = subscription.updated_at
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        assert response.status_code == 410
        assert "This link has already been used." in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.updated_at == stamp
    assert NewsletterConsent.objects.count() == 1


# --- Suppressed addresses -------------------------------------------------------------------


def test_a_suppressed_address_comes_back_only_by_confirming(client):
    gone = NewsletterSubscriptionFactory(
        email=NEW,
        status=NewsletterSubscription.Status.UNSUBSCRIBED,
        unsubscribed_at=timezone.now(),
    )
    suppression.suppress(email=NEW)
    path = confirm_path(client)  # the form alone: a mail, nothing else
    assert suppression.is_suppressed(email=NEW)
    gone.refresh_from_db()
    assert gone.status == NewsletterSubscription.Status.UNSUBSCRIBED

    assert client.post(path).status_code == 200
    gone.refresh_from_db()
    assert gone.status == NewsletterSubscription.Status.CONFIRMED
    assert gone.unsubscribed_at is None
    assert not suppression.is_suppressed(email=NEW)
    lifted = events("newsletter.suppression.lifted").get()
    assert lifted.subject_id == gone.subject_id
    assert gone.consents.count() == 1


def test_an_erased_address_can_subscribe_again_by_confirming(client):
    suppression.suppress(email=NEW)  # all that an erasure left
    path = confirm_path(client)
    assert client.post(path).status_code == 200
    assert NewsletterSubscription.objects.get(email=NEW).status == "confirmed"
    assert not Suppression.objects.exists()


# --- Unsubscribing --------------------------------------------------------------------------


def _unchanged(subscription):
    before = subscription.updated_at
    subscription.refresh_from_db()
    return subscription.updated_at == before and subscription.status == "confirmed"


def test_the_unsubscribe_page_shows_one_button_and_get_changes_nothing(client):
    subscription = NewsletterSubscriptionFactory(email=NEW)
    page, _one_click = unsubscribe_paths(subscription)
    response = client.get(page)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<form") == 1 + body.count('action="/en/accounts/logout/"')
    assert _unchanged(subscription)


def test_the_button_unsubscribes_and_is_audited(client):
    subscription = NewsletterSubscriptionFactory(email=NEW)
    NewsletterConsent.objects.create(
        subscription=subscription,
        given_at=timezone.now(),
        language="fi",
        text_version="2026-1",
        confirmation_id="a" * 32,
    )
    page, _one_click = unsubscribe_paths(subscription)
    browser, csrf = csrf_client_on(page)
    assert browser.post(page).status_code == 403  # no token, no change
    assert _unchanged(subscription)
    response = browser.post(page, {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 302 and response["Location"] == page
    subscription.refresh_from_db()
    assert subscription.status == NewsletterSubscription.Status.UNSUBSCRIBED
    assert subscription.unsubscribed_at is not None
    assert subscription.consents.get().withdrawn_at == subscription.unsubscribed_at
    assert suppression.is_suppressed(email=NEW)
    event = events("newsletter.unsubscribed").get()
    assert event.details["via"] == "objection"
    assert event.details["method"] == "page"
    assert event.details["fields"]["status"] == {"old": "confirmed", "new": "unsubscribed"}
    assert "was unsubscribed on" in browser.get(page).content.decode()


def test_one_click_unsubscribes_without_a_csrf_token_only_that_subscription_once():
    subscription = NewsletterSubscriptionFactory(email=NEW)
    same_person = NewsletterSubscriptionFactory(subject=subscription.subject)
    other = NewsletterSubscriptionFactory()
    _page, one_click = unsubscribe_paths(subscription)
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider: no cookie, no token
    response = mail_client.post(one_click, ONE_CLICK_BODY)
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == NewsletterSubscription.Status.UNSUBSCRIBED
    assert _unchanged(same_person) and _unchanged(other)
    stamp = subscription.updated_at
    # Idempotent: again, nothing changes and nothing more is written.
    assert mail_client.post(one_click, ONE_CLICK_BODY).status_code == 200
    subscription.refresh_from_db()
    assert subscription.updated_at == stamp
    assert events("newsletter.unsubscribed").get().details["method"] == "one_click"


def test_one_click_needs_its_body_and_a_browser_is_sent_to_the_page(client):
    subscription = NewsletterSubscriptionFactory(email=NEW)
    page, one_click = unsubscribe_paths(subscription)
    assert client.post(one_click).status_code == 400
    assert client.post(one_click, {"List-Unsubscribe": "yes"}).status_code == 400
    response = client.get(one_click)
    assert response.status_code == 302 and response["Location"] == page
    assert _unchanged(subscription)


def test_the_other_pages_keep_their_csrf_check():
    response = Client(enforce_csrf_checks=True).post("/en/newsletter/", {"email": NEW})
    assert response.status_code == 403
    assert not mail.outbox


def test_forged_and_stale_unsubscribe_links_get_a_clear_page_and_change_nothing(client):
    subscription = NewsletterSubscriptionFactory(email=NEW)
    other = NewsletterSubscriptionFactory()
    page, one_click = unsubscribe_paths(subscription)
    token = token_of(page)
    # Another row's number under this row's signature, a cut token, another salt's signature.
    swapped = signing.Signer(salt="x").sign_object({"s": other.pk, "a": "0" * 20})
    for bad in (token[:-2] + "zz", "x", swapped, token.split(":")[0]):
        for path in (page.replace(token, bad), one_click.replace(token, bad)):
            response = client.post(path, ONE_CLICK_BODY)
            assert response.status_code == 400, (path, response.status_code)
        assert client.get(page.replace(token, bad)).status_code == 400
    assert _unchanged(subscription) and _unchanged(other)
    # The address corrected: the old link names an address the row no longer has.
    subscription.email = "corrected@example.fi"
    subscription.save()
    assert client.post(one_click, ONE_CLICK_BODY).status_code == 410
    subscription.delete()
    response = client.get(page)
    assert response.status_code == 410
    assert "no longer on the mailing list" in response.content.decode()
    assert not events("newsletter.unsubscribed").exists()


def test_the_footer_links_to_the_subscribe_form(client):
    assert 'href="/en/newsletter/"' in client.get("/en/").content.decode()


# --- The mailing tool's list ----------------------------------------------------------------


def _export(tmp_path) -> list[dict]:
    path = tmp_path / "recipients.csv"
    call_command("export_newsletter_recipients", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_export_writes_confirmed_subscribers_the_policy_allows_with_their_links(
    tmp_path, client, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.fi"
    kept = NewsletterSubscriptionFactory(email="kept@example.fi")
    NewsletterConsent.objects.create(
        subscription=kept,
        given_at=timezone.now(),
        language="sv",
        text_version="2026-1",
        confirmation_id="b" * 32,
    )
    NewsletterSubscriptionFactory(status="pending", confirmed_at=None)
    NewsletterSubscriptionFactory(status="unsubscribed", unsubscribed_at=timezone.now())
    NewsletterSubscriptionFactory(restricted_at=timezone.now())
    suppressed = NewsletterSubscriptionFactory(email="objected@example.fi")
    suppression.record_suppress("email", suppressed)
    NewsletterSubscriptionFactory(email="fi.reader@example.fi")

    rows = _export(tmp_path)
    assert [r["email"] for r in rows] == ["kept@example.fi", "fi.reader@example.fi"]
    row = rows[0]
    assert row["language"] == "sv" and rows[1]["language"] == "fi"
    assert row["unsubscribe_url"].startswith("https://portal.example.fi/sv/newsletter/unsubscribe/")
    assert row["list_unsubscribe"] == f"<{row['unsubscribe_url']}one-click/>"
    assert row["list_unsubscribe_post"] == "List-Unsubscribe=One-Click"
    assert events("newsletter.recipients.exported").get().details == {"count": 2}

    # The header's URL does what RFC 8058 says, and the list leaves the address out after it.
    one_click = urlsplit(row["list_unsubscribe"].strip("<>")).path
    assert Client(enforce_csrf_checks=True).post(one_click, ONE_CLICK_BODY).status_code == 200
    assert [r["email"] for r in _export(tmp_path)] == ["fi.reader@example.fi"]


def test_export_needs_the_portals_address(tmp_path, settings):
    settings.PORTAL_BASE_URL = ""
    with pytest.raises(CommandError, match="PORTAL_BASE_URL"):
        call_command("export_newsletter_recipients", str(tmp_path / "x.csv"))


def test_export_lists_an_address_once(tmp_path):
    NewsletterSubscriptionFactory(email="twice@example.fi")
    NewsletterSubscriptionFactory(email="twice@example.fi")
    assert [r["email"] for r in _export(tmp_path)] == ["twice@example.fi"]


def test_a_new_consent_after_an_import_opt_out_closes_the_earlier_one(client):
    """Unsubscribed by an import (an UPDATE, no save): the earlier consent ends at the
    unsubscription, the new one starts open."""
    objected_at = timezone.now() - timedelta(days=3)
    subscription = NewsletterSubscriptionFactory(email=NEW)
    earlier = NewsletterConsent.objects.create(
        subscription=subscription,
        given_at=objected_at - timedelta(days=100),
        language="fi",
        text_version="2026-1",
        confirmation_id="c" * 32,
    )
    NewsletterSubscription.objects.filter(pk=subscription.pk).update(
        status="unsubscribed", unsubscribed_at=objected_at
    )
    assert client.post(confirm_path(client)).status_code == 200
    earlier.refresh_from_db()
    assert earlier.withdrawn_at == objected_at
    assert subscription.consents.filter(withdrawn_at__isnull=True).count() == 1


def test_the_objection_form_withdraws_the_consent_too():
    subscription = NewsletterSubscriptionFactory(email=NEW)
    consent = NewsletterConsent.objects.create(
        subscription=subscription,
        given_at=timezone.now(),
        language="fi",
        text_version="2026-1",
        confirmation_id="d" * 32,
    )
    user = UserFactory(email=NEW)
    objection_submit(user=user, subjects=[subscription.subject], choices={UNSUBSCRIBE})
    subscription.refresh_from_db()
    consent.refresh_from_db()
    assert subscription.status == "unsubscribed"
    assert consent.withdrawn_at == subscription.unsubscribed_at is not None
