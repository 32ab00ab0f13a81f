"""A request the server cannot answer gets a page in the reader's language, never Django's bare
"Server Error (500)". The database gone for a moment (PostgreSQL restarting under load, issue
#14, item 7) is a 503 with Retry-After that says to try again in a minute; the portal answers
again once the database is back, without a restart. Any other failure is a 500 that says the
fault is ours and recorded. Both pages are drawn without the database or the session."""

import pytest
from django.db import connection

from tests.database_faults import database_away

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def production_errors(settings, client):
    settings.DEBUG = False  # with DEBUG on, Django shows its technical page instead
    client.raise_request_exception = False  # the test client would re-raise the error
    return client


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("fi", "Portaali ei ole hetkeen käytettävissä"),
        ("sv", "Portalen är tillfälligt otillgänglig"),
        ("en", "The portal is briefly unavailable"),
    ],
)
def test_the_database_gone_is_a_503_that_says_try_again(maija, production_errors, lang, heading):
    client = production_errors
    with database_away():
        response = client.get(f"/{lang}/my-data/")
        connection.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page and f"<h1>{heading}</h1>" in page
    assert "rekisteriasiat@tector.fi" in page
    assert "<script" not in page and "style=" not in page  # the strict CSP holds here too

    assert client.get(f"/{lang}/my-data/").status_code == 200  # back, nothing restarted


def test_another_failure_is_a_500_that_says_the_fault_is_ours(production_errors, settings):
    settings.ROOT_URLCONF = "tests.urls_failing"
    response = production_errors.get("/fails/", HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 500
    assert "Retry-After" not in response
    page = response.content.decode()
    assert "<h1>Något gick fel hos oss</h1>" in page
    assert "Server Error (500)" not in page
