"""A fifth register proves it (issue #10, item 2): the test-only loyalty-card register of
tests/fifth_register/, declared in one place and named by one line of the test settings, is
served everywhere the seed's four are, with no code of its own anywhere else.

It has an email address but none of the customer-detail fields: once, erasure would have
kept all of it and told the customer it was erased. Its erasure policy anonymises, keeping
the card number and the points balance (a debt in the books) with their date.
"""

import datetime
import html
import json
import re
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import formats, timezone, translation
from django.utils.text import capfirst

from accounts import roles
from portal.models import AuditEvent
from portal.registers import REGISTERS, get_register
from portal.registers.retention import add_years, voucher_keep_until
from subject_requests.decisions import decision_text
from subject_requests.models import DataRequest
from tests.extracts import (
    EMAIL,
    customer_in_every_register,
    pdf_attachment,
    pdf_text,
    signed_in_customer,
)
from tests.factories import DataSubjectFactory, LoyaltyMemberFactory
from tests.staff_queue_helpers import signed_in_staff, url

pytestmark = pytest.mark.django_db

LOYALTY = get_register("loyalty")
SCHEMA = json.loads((Path(settings.BASE_DIR) / "docs" / "export-schema.json").read_text())
CARD = "600155501"  # Maija's card (tests/extracts.py)


def _section(page: str, key: str = "loyalty") -> str:
    start = page.index(f'<section id="register-{key}"')
    return page[start : page.index("</section>", start)]


def _squash(text) -> str:
    return "".join(str(text).split())


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@pytest.fixture
def maija(client):
    """Maija in every register, the fifth included, signed in with her verified address."""
    subject, _account = customer_in_every_register(orders=1)
    user = signed_in_customer(client)
    return subject, user, LOYALTY.records_for(subject).get()


@pytest.fixture
def staff_client():
    staff = Client()
    signed_in_staff(staff)
    return staff


def test_it_is_declared_by_the_test_settings_alone():
    assert [r.key for r in REGISTERS][-1] == "loyalty"
    assert "tests.fifth_register.registers.LOYALTY" in settings.PORTAL_REGISTERS
    assert LOYALTY.model_class is apps.get_model("loyalty", "LoyaltyMember")
    assert LOYALTY.import_format is not None and LOYALTY.erasure is not None


def test_the_notice_lists_it_with_its_recipients_and_retention(client):
    page = client.get("/en/").content.decode()
    assert f"consists of {len(REGISTERS)} separate registers" in page
    assert '<a href="#register-loyalty">' in page
    section = html.unescape(_section(page))
    for text in (LOYALTY.name, LOYALTY.purpose, LOYALTY.legal_basis, *LOYALTY.retention):
        assert str(text) in section
    for recipient in LOYALTY.recipient_list:
        assert recipient.name == settings.RECIPIENTS[recipient.key]
        assert recipient.name in section
    translation.activate("en")
    for label in LOYALTY.category_labels:
        assert capfirst(str(label)) in section or str(label) in section


def test_my_data_shows_the_record_its_kept_until_dates_and_the_declared_actions(client, maija):
    _subject, _user, member = maija
    page = html.unescape(client.get("/en/my-data/").content.decode())
    section = _section(page)
    assert str(LOYALTY.name) in section
    for value in (CARD, "Maija Meikäläinen", EMAIL, "120"):
        assert value in section, value
    translation.activate("en")
    today = timezone.localdate()
    # Its own dates: 2 years of membership, then the card and its points for the Accounting Act.
    assert f"kept until {_date(add_years(today, 2))}" in section
    kept = LOYALTY.retention_rule.kept_scope
    assert f"{kept}: kept until {_date(voucher_keep_until(today))}" in section
    # Correctable name and email, erasure and restriction; no marketing, so no objection.
    for action in ("rectification", "erasure", "restriction"):
        assert f'href="/en/requests/{action}/loyalty/"' in section, action
    assert 'href="/en/requests/objection/"' not in section


def test_a_customer_whose_only_data_is_in_it_finds_it_by_her_verified_address(client):
    """Identity linking reads the declared email fields: the fifth register's are among them."""
    LoyaltyMemberFactory(subject=DataSubjectFactory(), email=EMAIL, card_number="600100999")
    signed_in_customer(client)
    page = client.get("/en/my-data/").content.decode()
    assert "600100999" in _section(page)
    assert page.count('<span class="none">No data in this register.</span>') == len(REGISTERS) - 1


def test_the_pdf_extract_and_the_json_export_hold_it(client, maija):
    response = client.post("/en/my-data/extract.pdf")
    assert response.status_code == 200
    text = _squash(pdf_text(response.content))
    translation.activate("en")
    for item in (LOYALTY.name, LOYALTY.purpose, CARD, LOYALTY.field_label("points")):
        assert _squash(capfirst(str(item))) in text or _squash(item) in text, str(item)
    for document in (
        pdf_attachment(response.content),
        json.loads(client.post("/en/my-data/export.json").content),
    ):
        jsonschema.validate(document, SCHEMA)
        (register,) = [r for r in document["registers"] if r["key"] == "loyalty"]
        (record,) = register["records"]
        assert record["fields"]["card_number"]["value"] == CARD
        assert record["fields"]["points"]["value"] == 120
        assert record["kept_until"]["reason"] == "accounting"
        assert [p["then"] for p in record["retention_periods"]] == ["anonymise", "delete"]
        assert {r["key"] for r in register["recipients"]} == {"hosting", "email_delivery"}


def test_a_correction_of_a_correctable_field_goes_through_staff_and_changes_the_record(
    client, maija, staff_client, django_capture_on_commit_callbacks
):
    _subject, user, member = maija
    form = "/en/requests/rectification/loyalty/"
    page = client.get(form).content.decode()
    assert 'name="name"' in page and 'name="email"' in page
    assert 'name="card_number"' not in page and 'name="points"' not in page
    data = {spec.name: getattr(member, spec.name) for spec in LOYALTY.correctable_fields}
    response = client.post(form, {**data, "name": "Maija Virtanen"})
    assert response.status_code == 302 and response["Location"] == form + "review/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form + "review/")
    data_request = user.data_requests.get()
    assert data_request.register == "loyalty"
    (change,) = data_request.changes.all()
    assert (change.field, change.old_value, change.new_value) == (
        "name",
        "Maija Meikäläinen",
        "Maija Virtanen",
    )
    member.refresh_from_db()
    assert member.name == "Maija Meikäläinen"  # staff decide first

    detail = staff_client.get(url(data_request)).content.decode()
    seen = dict(re.findall(r'<input type="hidden" name="(seen_\d+)" value="([^"]*)"', detail))
    decision = {**seen, f"decision_{change.pk}": "approve", f"reason_{change.pk}": ""}
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url(data_request, "rectification"), decision)

    member.refresh_from_db()
    assert member.name == "Maija Virtanen"
    data_request.refresh_from_db()
    assert data_request.status == DataRequest.Status.COMPLETED
    event = AuditEvent.objects.get(action="register.record.changed", target__startswith="loyalty.")
    renamed = {"name": {"old": "Maija Meikäläinen", "new": "Maija Virtanen"}}
    assert event.details["fields"] == renamed


def test_erasure_keeps_only_the_declared_fields_with_their_date_and_says_so(
    client, maija, staff_client
):
    """The register has an email and no customer details: it is not left whole, and the
    answer names only what its policy keeps."""
    subject, user, member = maija
    client.post("/en/requests/erasure/loyalty/", {"description": ""})
    data_request = user.data_requests.get(type=DataRequest.Type.ERASURE)
    assert data_request.register == "loyalty"
    last_update = timezone.localdate(member.updated_at)
    detail = staff_client.get(url(data_request))
    assert detail.status_code == 200 and str(LOYALTY.name) in html.unescape(detail.content.decode())

    staff_client.post(url(data_request, "decide"), {"decision": "approve"})

    member.refresh_from_db()
    assert (member.name, member.email, member.customer_number) == ("", "", "")
    assert (member.card_number, member.points) == (CARD, 120)
    # The other registers are untouched.
    for register in REGISTERS:
        if register is not LOYALTY:
            assert register.records_for(subject).exists(), register.key
    data_request.refresh_from_db()
    translation.activate("en")
    answer = decision_text(data_request)
    assert answer.startswith("Your data was erased.")
    for kept in ("card number", "points balance"):
        assert kept in answer
    assert _date(voucher_keep_until(last_update)) in answer
    assert "Maija Meikäläinen" not in answer and EMAIL not in answer


def test_restriction_marks_its_record_only(client, maija, staff_client):
    subject, user, member = maija
    client.post("/en/requests/restriction/loyalty/", {"description": ""})
    data_request = user.data_requests.get(type=DataRequest.Type.RESTRICTION)

    staff_client.post(url(data_request, "decide"), {"decision": "approve"})

    member.refresh_from_db()
    assert member.restricted_at is not None
    for register in REGISTERS:
        if register is not LOYALTY:
            assert register.records_for(subject).get().restricted_at is None, register.key


def _import(tmp_path, *rows):
    path = tmp_path / "loyalty.csv"
    path.write_text("\r\n".join(["card_number,name,email,points", *rows]) + "\r\n")
    out = StringIO()
    call_command("import_register", "loyalty", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_csv_file_in_its_declared_format_creates_and_updates_its_records(tmp_path):
    out = _import(tmp_path, "6001-77,Kaisa Kanta,kaisa@example.fi,40")
    assert "records created: 1" in out
    member = LOYALTY.model_class.objects.get(card_number="6001-77")
    assert (member.name, member.email, member.points) == ("Kaisa Kanta", "kaisa@example.fi", 40)

    out = _import(tmp_path, "6001-77,Kaisa Kanta,kaisa@example.fi,75")
    assert "records created: 0, updated: 1" in out
    member.refresh_from_db()
    assert member.points == 75
    assert LOYALTY.model_class.objects.count() == 1


@pytest.mark.parametrize(
    ("points", "reason"),
    [
        ("-5", "greater than or equal to 0"),
        ("many", "Enter a whole number"),
        ("200000", "no card holds more than 100000 points"),
    ],
)
def test_points_that_are_no_count_are_a_row_error_not_a_crash(tmp_path, points, reason):
    """Its whole-number column is read as one (the import once took any text for it and let
    the database refuse it half-way), and its own row check runs."""
    with pytest.raises(CommandError) as raised:
        _import(tmp_path, f"6001-78,Kaisa Kanta,kaisa@example.fi,{points}")
    assert reason in str(raised.value)
    assert not LOYALTY.model_class.objects.exists()


def test_retention_anonymises_and_then_deletes_its_records_as_declared():
    """2 years after the last update the name, address and customer number go and the card
    with its points stays for the Accounting Act; after that, nothing stays."""
    today = timezone.localdate()
    lapsed, long_gone, current = (LoyaltyMemberFactory() for _ in range(3))
    zone = timezone.get_current_timezone()
    for member, day in ((lapsed, add_years(today, -3)), (long_gone, add_years(today, -8))):
        moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=zone)
        LOYALTY.model_class.objects.filter(pk=member.pk).update(updated_at=moment)

    call_command("apply_retention", stdout=StringIO())

    card = lapsed.card_number
    lapsed.refresh_from_db()
    assert (lapsed.name, lapsed.email, lapsed.customer_number) == ("", "", "")
    assert (lapsed.card_number, lapsed.points) == (card, 120)
    assert not LOYALTY.model_class.objects.filter(pk=long_gone.pk).exists()
    current.refresh_from_db()
    assert current.name and current.email


def test_the_admin_lists_it_and_the_roles_cover_it(client):
    member = LoyaltyMemberFactory()
    maintainer = signed_in_staff(client, role=roles.REGISTER_MAINTAINER)
    listing = client.get("/en/staff/admin/loyalty/loyaltymember/")
    assert listing.status_code == 200 and member.card_number in listing.content.decode()
    change = client.get(f"/en/staff/admin/loyalty/loyaltymember/{member.pk}/change/")
    assert change.status_code == 200
    for role, actions in (
        (roles.REGISTER_MAINTAINER, {"view", "add", "change", "delete"}),
        (roles.CONTACT_PERSON, {"view"}),
        (roles.ADMINISTRATOR, {"view"}),
    ):
        granted = Permission.objects.filter(
            group=Group.objects.get(name=role), content_type__app_label="loyalty"
        ).values_list("codename", flat=True)
        assert set(granted) == {f"{action}_loyaltymember" for action in actions}, role
    assert maintainer.has_perm("loyalty.change_loyaltymember")
