"""One copy per click: a repeated click within a short time gives the copy already taken,
also when the posts arrive at the same moment; an earlier copy is shown by its reference
without a new one being made."""

import pytest
from django.test import override_settings

from portal.models import IssuedExtract
from subject_requests.models import DataRequest
from tests.test_duplicate_requests import _at_once

JSON = "/en/my-data/export.json"


@pytest.mark.django_db
def test_a_double_click_on_take_a_copy_makes_one_copy(client, maija):
    first = client.post(JSON)
    second = client.post(JSON)

    issued = IssuedExtract.objects.get()
    assert first.status_code == 200 and issued.reference in first["Content-Disposition"]
    assert second.status_code == 302 and issued.reference in second["Location"]
    assert DataRequest.objects.filter(type=DataRequest.Type.ACCESS).count() == 1


@pytest.mark.django_db
@override_settings(PORTAL_COPY_REPEAT_SECONDS=0)
def test_after_the_repeat_window_a_new_click_makes_a_new_copy(client, maija):
    client.post(JSON)
    client.post(JSON)

    assert IssuedExtract.objects.count() == 2


@pytest.mark.django_db
def test_an_earlier_copy_is_shown_by_its_reference_without_a_new_one(client, maija):
    client.post(JSON)
    issued = IssuedExtract.objects.get()

    page = client.get(f"/en/my-data/extracts/{issued.reference}/")

    assert page.status_code == 200 and issued.sha256 in page.content.decode()
    assert IssuedExtract.objects.count() == 1
    assert DataRequest.objects.filter(type=DataRequest.Type.ACCESS).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_posts_at_once_make_one_copy(client, maija):
    statuses = _at_once(client, lambda browser: browser.post(JSON), count=10)

    assert sorted(statuses) == [200] + [302] * 9
    assert IssuedExtract.objects.count() == 1
    assert DataRequest.objects.filter(type=DataRequest.Type.ACCESS).count() == 1


@pytest.mark.django_db
def test_my_requests_lists_copies_apart_from_the_requests_made(client, maija):
    client.post(JSON)
    issued = IssuedExtract.objects.get()

    html = client.get("/en/requests/").content.decode()

    assert "Copies you have taken" in html
    assert f"/en/my-data/extracts/{issued.reference}/" in html
    assert "You have not made any requests yet." in html  # the copy's access record is apart
