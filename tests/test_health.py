"""The health check for load balancers (/healthz): the database answers or it is a 503; no
session, no cookie, no language prefix, and production never redirects it to HTTPS."""

import pytest
from django.contrib.sessions.models import Session

from tests.production import run_in_production

pytestmark = pytest.mark.django_db


def test_ok_without_a_session_or_a_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"]
    assert not Session.objects.exists()


def test_head_works_and_nothing_else_does(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_a_signed_in_visitor_gets_the_same_answer(admin_client):
    response = admin_client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


PROBE = """
import json
from django.test import Client
host = {"host": "tietosuoja.tector.fi"}
answers = {}
for path in ("/healthz", "/fi/"):
    response = Client().get(path, headers=host)  # plain HTTP, as a load balancer probes
    answers[path] = [response.status_code, response.content.decode()[:40], bool(response.cookies)]
print(json.dumps(answers))
"""


def test_production_answers_plain_http_probes_and_redirects_pages():
    answers, _ = run_in_production(PROBE)
    assert answers["/healthz"] == [200, "ok\n", False]
    assert answers["/fi/"][0] == 301  # every other page goes to HTTPS


def test_a_database_that_does_not_answer_is_a_503():
    # A port where no PostgreSQL listens: a real refused connection, nothing mocked.
    answers, log = run_in_production(PROBE, DATABASE_URL="postgres://portal@127.0.0.1:9/portal")
    assert answers["/healthz"] == [503, "database unavailable\n", False]
    assert "Health check: the database does not answer." in log
