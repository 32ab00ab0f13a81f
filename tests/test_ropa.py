"""The record of processing activities (Art. 30(1)): a staff page and CSV and PDF downloads,
generated from the register declarations, the portal's own processing and the controller;
for queue staff only."""

import csv
import io

import pytest
from django.utils import translation
from django.utils.html import escape
from pypdf import PdfReader

from accounts import roles
from portal import processing
from portal.controller import CONTACT_EMAIL, CONTROLLER
from portal.registers import REGISTERS
from tests.factories import UserFactory
from tests.staff_queue_helpers import signed_in_staff

pytestmark = pytest.mark.django_db

PAGE = "/{lang}/staff/record-of-processing/"
CSV = "/{lang}/staff/record-of-processing.csv"
PDF = "/{lang}/staff/record-of-processing.pdf"


def _activities():
    return [*REGISTERS, *processing.ACTIVITIES]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_page_lists_every_activity_with_what_art_30_asks(client, lang):
    signed_in_staff(client)
    html = client.get(PAGE.format(lang=lang)).content.decode()
    assert CONTROLLER.business_id in html and CONTACT_EMAIL in html
    with translation.override(lang):
        for activity in _activities():
            assert escape(str(activity.name)) in html
            assert escape(str(activity.purpose)) in html
            for subjects in activity.data_subjects:
                assert escape(str(subjects)) in html or escape(str(subjects).capitalize()) in html
            for recipient in activity.recipient_list:
                assert escape(recipient.name) in html
            assert escape(str(activity.transfers)) in html
        for measure in processing.security_measures():
            assert escape(measure) in html
    assert f"/{lang}/staff/record-of-processing.csv" in html
    assert f"/{lang}/staff/record-of-processing.pdf" in html


def test_the_security_measures_describe_the_running_system(settings):
    with translation.override("en"):
        text = " ".join(processing.security_measures())
    assert "second factor" in text and "hashes" in text and "HTTPS" in text
    assert "Content Security Policy" in text
    assert f"After {settings.AXES_FAILURE_LIMIT} failed passwords" in text


def test_the_csv_has_one_row_per_activity(client):
    signed_in_staff(client)
    response = client.get(CSV.format(lang="en"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:3] == ["Processing activity", "Purpose of processing", "Legal basis"]
    assert "Security measures" in header and "Categories of data subjects" in header
    with translation.override("en"):
        assert [row[0] for row in rows] == [str(a.name) for a in _activities()]
        for row, activity in zip(rows, _activities(), strict=True):
            assert row[1] == str(activity.purpose)
            assert CONTROLLER.name in row[header.index("Controller")]
            assert "HTTPS" in row[header.index("Security measures")]


def test_the_pdf_is_the_same_record(client):
    signed_in_staff(client)
    response = client.get(PDF.format(lang="sv"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    squashed = " ".join(text.split())
    assert CONTROLLER.business_id in squashed
    with translation.override("sv"):
        for activity in _activities():
            assert " ".join(str(activity.name).split()) in squashed


@pytest.mark.parametrize("path", [PAGE, CSV, PDF])
def test_only_queue_staff_may_read_it(client, path):
    url = path.format(lang="en")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.logout()
    signed_in_staff(client, role=roles.REGISTER_MAINTAINER)
    assert client.get(url).status_code == 403
    client.logout()
    signed_in_staff(client, role=roles.ADMINISTRATOR)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
