"""The review queue at /<lang>/staff/: who may see it, order, colours, filters, search,
pages, and a number of queries that does not grow with the number of requests."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.models import IdentityConflict
from subject_requests.models import DataRequest
from tests.factories import DataSubjectFactory, UserFactory
from tests.staff_queue_helpers import customer, make_request, signed_in_staff, url

pytestmark = pytest.mark.django_db

QUEUE = "/en/staff/"
Status = DataRequest.Status
Type = DataRequest.Type


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr class="queue-row[^"]*">(.*?)</tr>', html, re.S)


def _queue(client, query=""):
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    return response.content.decode()


# --- Who may see it -----------------------------------------------------------------------


def test_customers_get_403_on_the_queue_and_on_a_request(client):
    data_request = make_request()
    user, _, _ = customer(email="someone@example.fi")
    client.force_login(user)
    assert client.get(QUEUE).status_code == 403
    assert client.get(url(data_request)).status_code == 403
    assert client.post(url(data_request, "assign")).status_code == 403
    data_request.refresh_from_db()
    assert data_request.assignee is None


def test_staff_without_a_queue_role_get_403(client):
    signed_in_staff(client, role=roles.REGISTER_MAINTAINER)
    data_request = make_request()
    assert client.get(QUEUE).status_code == 403
    assert client.get(url(data_request)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_password_sign_in(client):
    data_request = make_request()
    for page in (QUEUE, url(data_request)):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/login/?next=")


def test_staff_without_mfa_are_sent_to_enrol_even_with_the_role(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=roles.CONTACT_PERSON))
    client.force_login(user)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("role", [roles.CONTACT_PERSON, roles.ADMINISTRATOR])
def test_contact_person_and_administrator_see_the_queue(client, role):
    make_request()
    signed_in_staff(client, role=role)
    html = _queue(client)
    assert "Request queue" in html
    assert len(_rows(html)) == 1


def test_superuser_sees_the_queue(client):
    signed_in_staff(client, role=None, is_superuser=True)
    assert client.get(QUEUE).status_code == 200


def test_the_identity_conflict_list_moved_to_its_own_page(client):
    user, subject, _ = customer(email="shared@example.fi")
    conflict = IdentityConflict.objects.create(email="shared@example.fi", user=user)
    conflict.subjects.add(subject, DataSubjectFactory())
    signed_in_staff(client)
    html = client.get("/en/staff/identity/").content.decode()
    assert "Addresses on more than one person" in html
    assert "shared@example.fi" in html
    assert 'href="/en/staff/identity/"' in _queue(client)


# --- Order and colours --------------------------------------------------------------------


def test_sorted_by_due_date_then_by_receipt(client):
    later = make_request(
        due_in=20, subject=DataSubjectFactory(display_name="Later Due"), user=UserFactory()
    )
    first = make_request(
        due_in=3,
        received_days_ago=2,
        subject=DataSubjectFactory(display_name="Same Day Earlier"),
        user=UserFactory(),
    )
    second = make_request(
        due_in=3,
        received_days_ago=1,
        subject=DataSubjectFactory(display_name="Same Day Later"),
        user=UserFactory(),
    )
    signed_in_staff(client)
    html = _queue(client)
    order = [html.index(r.subject.display_name) for r in (first, second, later)]
    assert order == sorted(order)


@pytest.mark.parametrize(
    ("due_in", "css", "words"),
    [
        (30, "due-ok", "On track</strong>: 30 days left"),
        (10, "due-ok", "On track</strong>: 10 days left"),
        (9, "due-soon", "Due soon</strong>: 9 days left"),
        (5, "due-soon", "Due soon</strong>: 5 days left"),
        (4, "due-urgent", "Urgent</strong>: 4 days left"),
        (1, "due-urgent", "Urgent</strong>: 1 day left"),
        (0, "due-urgent", "Urgent</strong>: due today"),
        (-2, "due-overdue", "Overdue</strong>: 2 days late"),
    ],
)
def test_days_left_are_coloured_and_also_said_in_words(client, due_in, css, words):
    make_request(due_in=due_in)
    signed_in_staff(client)
    (row,) = _rows(_queue(client))
    assert f'<span class="due {css}">' in row
    assert words in row


def test_row_shows_type_register_person_status_received_and_due(client):
    user, subject, _ = customer(email="aino@example.fi", name="Aino Asiakas")
    data_request = make_request(
        type=Type.RECTIFICATION, user=user, subject=subject, register="postal", due_in=12
    )
    signed_in_staff(client)
    (row,) = _rows(_queue(client))
    assert f'href="{url(data_request)}"' in row
    assert "Rectification" in row and "Postal marketing" in row and "Aino Asiakas" in row
    assert "received" in row
    assert data_request.due_on.strftime("%-d %b %Y") in row  # the English short date


def test_person_falls_back_to_the_requester_email(client):
    user = UserFactory(username="nosubject@example.fi", email="nosubject@example.fi")
    make_request(user=user, subject=None, type=Type.OTHER, register="")
    signed_in_staff(client)
    (row,) = _rows(_queue(client))
    assert "nosubject@example.fi" in row


# --- Filters and search -------------------------------------------------------------------


@pytest.fixture
def mixed(client):
    me = signed_in_staff(client)
    other_staff = UserFactory(is_staff=True)
    people = {}
    for name, fields in {
        "Open Erasure": {"type": Type.ERASURE},
        "Open Rectification": {"type": Type.RECTIFICATION, "assignee": me},
        "In Review Restriction": {
            "type": Type.RESTRICTION,
            "status": Status.IN_REVIEW,
            "assignee": other_staff,
        },
        "Overdue Other": {"type": Type.OTHER, "due_in": -3},
        "Completed Objection": {"type": Type.OBJECTION, "status": Status.COMPLETED},
        "Rejected Erasure": {"type": Type.ERASURE, "status": Status.REJECTED, "due_in": -9},
    }.items():
        user = UserFactory()
        people[name] = make_request(
            user=user, subject=DataSubjectFactory(display_name=name), **fields
        )
    return people


def _names(html, people):
    return {name for name in people if name in html}


def test_by_default_only_open_requests_are_shown(client, mixed):
    assert _names(_queue(client), mixed) == {
        "Open Erasure",
        "Open Rectification",
        "In Review Restriction",
        "Overdue Other",
    }


def test_filter_by_status(client, mixed):
    assert _names(_queue(client, "?status=all"), mixed) == set(mixed)
    assert _names(_queue(client, "?status=completed"), mixed) == {"Completed Objection"}
    assert _names(_queue(client, "?status=in_review"), mixed) == {"In Review Restriction"}


def test_filter_by_type(client, mixed):
    assert _names(_queue(client, "?type=erasure"), mixed) == {"Open Erasure"}
    assert _names(_queue(client, "?type=erasure&status=all"), mixed) == {
        "Open Erasure",
        "Rejected Erasure",
    }


def test_overdue_only_shows_open_requests_past_their_due_date(client, mixed):
    assert _names(_queue(client, "?overdue=on&status=all"), mixed) == {"Overdue Other"}


def test_filter_by_assignee(client, mixed):
    assert _names(_queue(client, "?assignee=me"), mixed) == {"Open Rectification"}
    assert _names(_queue(client, "?assignee=unassigned"), mixed) == {
        "Open Erasure",
        "Overdue Other",
    }


def test_an_unknown_filter_value_falls_back_to_the_default(client, mixed):
    html = _queue(client, "?status=bogus&type=nonsense")
    assert _names(html, mixed) == _names(_queue(client), mixed)


def test_search_by_the_person_s_name(client, mixed):
    assert _names(_queue(client, "?q=rectif"), mixed) == {"Open Rectification"}


def test_search_by_the_requester_s_username_email_and_verified_addresses(client):
    signed_in_staff(client)
    user, subject, _ = customer(email="liisa.login@example.fi", name="Liisa Laine")
    EmailAddress.objects.create(user=user, email="liisa.work@firma.fi", verified=True)
    other, other_subject, _ = customer(email="pekka@example.fi", name="Pekka Puu")
    EmailAddress.objects.create(user=other, email="pekka.unverified@firma.fi", verified=False)
    make_request(user=user, subject=subject)
    make_request(user=other, subject=other_subject)
    assert "Liisa Laine" in _queue(client, "?q=liisa.login")
    found = _queue(client, "?q=work@FIRMA")
    assert "Liisa Laine" in found and "Pekka Puu" not in found
    # An address the customer never verified is not theirs as far as we know.
    assert "Pekka Puu" not in _queue(client, "?q=pekka.unverified")


def test_fifty_requests_a_page_and_the_filters_stay_on_the_other_pages(client):
    signed_in_staff(client)
    user, subject, _ = customer()
    for n in range(55):
        make_request(user=user, subject=subject, type=Type.OTHER, due_in=n)
    html = _queue(client, "?type=other")
    assert len(_rows(html)) == 50
    assert "55 requests" in html and "Page 1 of 2" in html
    assert 'href="?type=other&amp;page=2"' in html
    second = _queue(client, "?type=other&page=2")
    assert len(_rows(second)) == 5


def test_query_count_does_not_grow_with_the_number_of_requests(client):
    me = signed_in_staff(client)
    views = ["", "?status=all&page=2", "?q=person&assignee=me&overdue=on&type=rectification"]

    def requests(n):
        for i in range(n):
            user, subject, _ = customer(name=f"Person {i}")
            make_request(
                user=user,
                subject=subject,
                due_in=i - 3,
                assignee=me if i % 2 else None,
                type=DataRequest.Type.RECTIFICATION,
            )

    def count_queries():
        counts = []
        for query in views:
            with CaptureQueriesContext(connection) as queries:
                client.get(QUEUE + query)
            counts.append(len(queries.captured_queries))
        return counts

    requests(5)
    client.get(QUEUE)  # warm caches (content types, session)
    few = count_queries()
    assert len(_rows(_queue(client))) == 5
    requests(55)
    assert len(_rows(_queue(client))) == 50
    assert count_queries() == few


def test_a_search_that_finds_many_people_finds_the_same_requests(client, mixed, monkeypatch):
    from subject_requests import staff_selectors

    by_id = _names(_queue(client, "?q=e&status=all"), mixed)
    monkeypatch.setattr(staff_selectors, "SEARCH_BY_ID_LIMIT", 1)
    assert _names(_queue(client, "?q=e&status=all"), mixed) == by_id == set(mixed)
