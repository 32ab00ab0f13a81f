"""The privacy notice says everything Art. 13 asks, from the declarations: for each register
whether the data must be provided and what follows if not (Art. 13(2)(e)); the legitimate
interest behind each disclosure that rests on one (Art. 13(1)(d)); the portal's own
processing, with retention periods taken from the code that carries them out; both remedies,
with the Ombudsman's address in the reader's language."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.management.commands.purge_unconfirmed_users import Command as PurgeCommand
from portal import processing
from portal.controller import JUDICIAL_REMEDY
from portal.registers import REGISTERS
from portal.registers.provision import Requirement

pytestmark = pytest.mark.django_db


def _page(client, lang) -> str:
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_register_declares_its_provision_and_data_subjects():
    for register in REGISTERS:
        assert register.provision is not None, register.key
        assert register.provision.requirement in Requirement.labels
        assert str(register.provision.consequence).strip(), register.key
        assert register.data_subjects, register.key


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_notice_says_per_register_whether_the_data_must_be_provided(client, lang):
    html = _page(client, lang)
    with translation.override(lang):
        assert escape(translation.gettext("Must you provide the data?")) in html
        for register in REGISTERS:
            section = html.split(f'id="register-{register.key}"', 1)[1].split("</section>", 1)[0]
            assert escape(str(register.provision.requirement_text)) in section, register.key
            assert escape(str(register.provision.consequence)) in section, register.key


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_disclosure_on_legitimate_interest_names_the_interest(client, lang):
    html = _page(client, lang)
    with translation.override(lang):
        interests = [
            recipient.interest
            for register in REGISTERS
            for recipient in register.recipient_list
            if recipient.interest
        ]
        assert interests, "the partner and the principal declare their interest"
        for interest in interests:
            assert escape(str(interest)) in html
        for register in REGISTERS:
            for recipient in register.recipient_list:
                if "6(1)(f)" in str(recipient.legal_basis):
                    assert recipient.interest, (register.key, recipient.key)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_notice_describes_the_portals_own_processing(client, lang):
    html = _page(client, lang)
    keys = {activity.key for activity in processing.ACTIVITIES}
    assert keys == {"accounts", "sign_in_codes", "sessions", "postal_claims", "lockout", "audit"}
    with translation.override(lang):
        for activity in processing.ACTIVITIES:
            assert f'id="portal-{activity.key}"' in html
            for text in (activity.name, activity.purpose, activity.legal_basis, activity.data):
                assert escape(str(text)) in html, (activity.key, text)
            for paragraph in activity.retention:
                assert escape(paragraph) in html, (activity.key, paragraph)


def test_the_retention_stated_is_the_one_the_code_carries_out(settings):
    # Unconfirmed accounts: the purge command's default.
    parser = PurgeCommand().create_parser("manage.py", "purge_unconfirmed_users")
    assert parser.get_default("hours") == processing.UNCONFIRMED_USER_HOURS
    # Sessions, codes, lockout and the audit trail: read from the settings in force.
    settings.SESSION_IDLE_TIMEOUT = 10 * 60
    settings.SESSION_MAX_AGE = 4 * 3600
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 20 * 60
    settings.AXES_COOLOFF_TIME = 2.0
    settings.AUTH_EVENT_RETENTION_DAYS = 90
    settings.OUTBOX_KEEP_DAYS = 14
    with translation.override("en"):
        by_key = {a.key: " ".join(a.retention) for a in processing.ACTIVITIES}
        measures = " ".join(processing.security_measures())
    assert "after 10 minutes without activity, after 4 hours at most" in by_key["sessions"]
    assert "valid for 20 minutes and 3 tries" in by_key["sign_in_codes"]
    assert "after 14 days" in by_key["sign_in_codes"]
    assert "lapse after 2 hours" in by_key["lockout"]
    assert "after 90 days" in by_key["audit"]
    assert "after 24 hours" in by_key["accounts"]
    assert "locked for 2 hours" in measures
    # No log of successful sign-ins is kept beside the audit trail, as the notice says.
    assert settings.AXES_DISABLE_ACCESS_LOG is True


@pytest.mark.parametrize(
    ("lang", "postal", "visiting"),
    [
        ("fi", "PL 800, 00531 Helsinki", "Lintulahdenkuja 4, 00530 Helsinki"),
        ("sv", "PB 800, 00531 Helsingfors", "Fågelviksgränden 4, 00530 Helsingfors"),
        ("en", "P.O. Box 800, 00531 Helsinki", "Lintulahdenkuja 4, 00530 Helsinki"),
    ],
)
def test_the_notice_names_both_remedies_with_the_address_in_its_language(
    client, lang, postal, visiting
):
    html = _page(client, lang)
    assert escape(postal) in html and escape(visiting) in html
    with translation.override(lang):
        assert escape(str(JUDICIAL_REMEDY)) in html


def test_the_daily_run_deletes_ended_sessions_and_their_list_entries(client):
    """What the notice says of sessions and sign-in codes: they go with the daily clean-up."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    from portal.retention_service import retention_apply
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    live = client.session.session_key
    ended = "x" * 32
    Session.objects.create(
        session_key=ended,
        session_data="",
        expire_date=timezone.now() - datetime.timedelta(minutes=1),
    )
    for key in (live, ended):
        UserSession.objects.create(user=user, ip="192.0.2.1", session_key=key, user_agent="Test")
    retention_apply()
    assert set(Session.objects.values_list("session_key", flat=True)) == {live}
    assert set(UserSession.objects.values_list("session_key", flat=True)) == {live}
