"""A customer number links records only when they are about the same person (issue #9,
point 2). Another person's row carrying it neither overwrites nor shows in her data: it is
kept apart, and staff (the contact person, not the register maintainer) resolve the case."""

import time
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts import roles
from accounts.identity import linked_subjects
from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.models import IdentityConflict
from portal.audit import audit_verify
from portal.importing.linking import same_person_after
from portal.models import AuditEvent, DataSubject, PostalRecipient
from portal.persons import person_of, same_person
from tests.extracts import pdf_text
from tests.factories import (
    BillingCustomerFactory,
    DataSubjectFactory,
    NewsletterSubscriptionFactory,
    PostalRecipientFactory,
    UserFactory,
    WebshopAccountFactory,
)
from tests.staff_queue_helpers import signed_in_staff

pytestmark = pytest.mark.django_db

MAIJA = "maija@example.fi"
IDENTITY = "/en/staff/identity/"
POSTAL_HEADER = "customer_number,first_name,last_name,street_address,postal_code,post_office"
PEKKA_ROW = "100101,Pekka,Toinen,Toisentie 9,33100,Tampere"


def _maija():
    """Maija's billing and postal records, one subject, customer number 100101."""
    subject = DataSubjectFactory(display_name="Maija Meikäläinen")
    person = {"subject": subject, "customer_number": "100101"}
    name = {"first_name": "Maija", "last_name": "Meikäläinen"}
    BillingCustomerFactory(**person, **name, email=MAIJA)
    postal = PostalRecipientFactory(**person, **name, street_address="Koivukuja 3 B 12")
    return subject, postal


def _signed_in(client, email=MAIJA):
    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()  # fresh, for the downloads
    session.save()
    return user


def _import_postal(tmp_path, *rows, name="postitus.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([POSTAL_HEADER, *rows]) + "\r\n", encoding="utf-8")
    out = StringIO()
    call_command("import_register", "postal", str(path), stdout=out)
    return out.getvalue()


def _pekka_on_maijas_number():
    """A subject of its own whose postal record carries Maija's customer number."""
    return PostalRecipientFactory(
        customer_number="100101", first_name="Pekka", last_name="Toinen"
    ).subject


# --- Import -------------------------------------------------------------------------------


def test_anothers_row_with_her_customer_number_does_not_change_her_postal_record(tmp_path):
    maija, postal = _maija()
    out = _import_postal(tmp_path, PEKKA_ROW)

    postal.refresh_from_db()
    assert (postal.first_name, postal.last_name, postal.street_address) == (
        "Maija",
        "Meikäläinen",
        "Koivukuja 3 B 12",
    )
    # Pekka's row is kept, on a subject of its own, and staff have the case.
    pekka = PostalRecipient.objects.get(last_name="Toinen")
    assert pekka.subject != maija and pekka.street_address == "Toisentie 9"
    conflict = IdentityConflict.objects.get()
    assert conflict.kind == IdentityConflict.Kind.CUSTOMER_NUMBER
    assert conflict.customer_number == "100101" and conflict.user is None
    assert set(conflict.subjects.all()) == {maija, pekka.subject}
    assert conflict.source == {"register": "postal", "file": "postitus.csv", "row": 2}
    assert "identity conflicts, need staff review: 1 row(s)" in out
    assert f"row 2 -> subject {pekka.subject.public_id}" in out
    found = AuditEvent.objects.get(action="identity.conflict.found")
    assert found.details["customer_number"] == "100101" and found.details["row"] == 2
    imported = AuditEvent.objects.get(action="register.imported")
    assert imported.details["conflicts"] == [{"row": 2, "subject": str(pekka.subject.public_id)}]
    assert audit_verify()[1] is None


def test_anothers_row_with_her_customer_number_never_shows_in_her_data(client, tmp_path):
    _maija()
    _import_postal(tmp_path, PEKKA_ROW)
    _signed_in(client)

    page = client.get("/en/my-data/").content.decode()
    assert "Koivukuja 3 B 12" in page
    assert "Toinen" not in page and "Toisentie" not in page
    exported = client.post("/en/my-data/export.json").content.decode()
    assert "Koivukuja 3 B 12" in exported
    assert "Toinen" not in exported and "Toisentie" not in exported
    pdf = pdf_text(client.post("/en/my-data/extract.pdf").content)
    assert "Toinen" not in pdf and "Toisentie" not in pdf


def test_the_same_persons_row_still_updates_her_record(tmp_path):
    _maija_subject, postal = _maija()
    _import_postal(tmp_path, "100101,MAIJA,Meikalainen,Uusikatu 1,00100,Helsinki")
    postal.refresh_from_db()
    assert postal.street_address == "Uusikatu 1"
    assert PostalRecipient.objects.count() == 1
    assert not IdentityConflict.objects.exists()


def test_reimporting_both_rows_updates_each_persons_own_record_and_opens_no_new_case(tmp_path):
    maija, postal = _maija()
    _import_postal(tmp_path, PEKKA_ROW)
    out = _import_postal(
        tmp_path,
        "100101,Pekka,Toinen,Toisentie 10,33100,Tampere",
        name="toinen.csv",
    )
    _import_postal(
        tmp_path, "100101,Maija,Meikäläinen,Koivukuja 5,00100,Helsinki", name="kolmas.csv"
    )
    assert "records created: 0, updated: 1" in out
    assert PostalRecipient.objects.get(last_name="Toinen").street_address == "Toisentie 10"
    postal.refresh_from_db()
    assert postal.street_address == "Koivukuja 5" and postal.subject == maija
    assert IdentityConflict.objects.count() == 1


def test_a_row_of_another_person_does_not_join_her_subject_through_another_register(tmp_path):
    maija, _postal = _maija()
    PostalRecipient.objects.all().delete()  # only her billing record holds the number
    _import_postal(tmp_path, PEKKA_ROW)
    pekka = PostalRecipient.objects.get()
    assert pekka.subject != maija
    assert set(IdentityConflict.objects.get().subjects.all()) == {maija, pekka.subject}


def test_dry_run_reports_the_conflict_and_writes_nothing(tmp_path):
    _maija()
    path = tmp_path / "postitus.csv"
    path.write_text(f"{POSTAL_HEADER}\r\n{PEKKA_ROW}\r\n", encoding="utf-8")
    out = StringIO()
    call_command("import_register", "postal", str(path), "--dry-run", stdout=out)
    assert "identity conflicts, need staff review: 1 row(s)" in out.getvalue()
    assert not IdentityConflict.objects.exists()
    assert PostalRecipient.objects.count() == 1


# --- Linking ------------------------------------------------------------------------------


def test_a_subject_sharing_her_customer_number_under_another_name_is_not_linked():
    maija, _postal = _maija()
    pekka = _pekka_on_maijas_number()
    user = _signed_in_user()

    assert linked_subjects(user).subjects == [maija]
    conflict = IdentityConflict.objects.get()
    assert conflict.kind == IdentityConflict.Kind.CUSTOMER_NUMBER
    assert conflict.user == user and conflict.customer_number == "100101"
    assert set(conflict.subjects.all()) == {maija, pekka}
    assert AuditEvent.objects.filter(action="identity.conflict.found").count() == 1

    linked_subjects(user)
    assert IdentityConflict.objects.count() == 1  # one case, not one per page view


def test_the_same_name_on_another_subject_still_links():
    maija, _postal = _maija()
    shop = WebshopAccountFactory(
        customer_number="100101", first_name="maija ", last_name="MEIKÄLÄINEN"
    ).subject
    assert set(linked_subjects(_signed_in_user()).subjects) == {maija, shop}
    assert not IdentityConflict.objects.exists()


def test_a_company_links_by_its_business_id_not_by_a_name():
    company = {"customer_type": "company", "customer_number": "300300", "first_name": ""}
    mine = BillingCustomerFactory(
        **company, company_name="Putki Oy", business_id="0700464-5", email=MAIJA
    )
    same = WebshopAccountFactory(**company, company_name="PUTKI OY", business_id="0700464-5")
    other = WebshopAccountFactory(**company, company_name="Putki Oy", business_id="2876543-5")
    subjects = linked_subjects(_signed_in_user()).subjects
    assert set(subjects) == {mine.subject, same.subject}
    assert set(IdentityConflict.objects.get().subjects.all()) == {mine.subject, other.subject}


def test_a_record_with_nothing_to_compare_is_not_linked():
    maija, _postal = _maija()
    # A newsletter entry under another address and no name: nothing shows it is hers.
    stray = NewsletterSubscriptionFactory(customer_number="100101", email="x@example.org")
    assert linked_subjects(_signed_in_user()).subjects == [maija]
    assert stray.subject in IdentityConflict.objects.get().subjects.all()


def _signed_in_user(email=MAIJA):
    user = UserFactory(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


# --- Staff --------------------------------------------------------------------------------


def _open_case():
    maija, _postal = _maija()
    pekka = _pekka_on_maijas_number()
    user = _signed_in_user()
    linked_subjects(user)
    return maija, pekka, user, IdentityConflict.objects.get()


def _resolve(client, conflict, decision, resolution="Checked by phone with the customer."):
    return client.post(
        f"/en/staff/identity/{conflict.pk}/resolve/",
        {"decision": decision, "resolution": resolution},
    )


def test_staff_see_the_case_and_where_it_was_found(client, tmp_path):
    _maija()
    _import_postal(tmp_path, PEKKA_ROW)
    signed_in_staff(client)
    html = client.get(IDENTITY).content.decode()
    assert "Customer number 100101" in html
    assert "importing postitus.csv into the postal register, row 2" in html
    assert "Pekka Toinen" in html and "Maija Meikäläinen" in html
    assert 'action="/en/staff/identity/' in html


def test_staff_resolving_same_person_links_the_subject_thereafter(client):
    maija, pekka, user, conflict = _open_case()
    staff = signed_in_staff(client)
    response = _resolve(client, conflict, "same_person")
    assert response.status_code == 302 and response["Location"] == IDENTITY

    conflict.refresh_from_db()
    assert conflict.decision == "same_person" and conflict.resolved_by == staff
    assert conflict.resolution == "Checked by phone with the customer."
    event = AuditEvent.objects.get(action="identity.conflict.resolved")
    assert event.actor == staff and event.details["decision"] == "same_person"
    assert set(linked_subjects(user).subjects) == {maija, pekka}
    assert IdentityConflict.objects.count() == 1
    assert audit_verify()[1] is None


def test_staff_resolving_different_people_keeps_them_apart_for_good(client):
    maija, pekka, user, conflict = _open_case()
    signed_in_staff(client)
    _resolve(client, conflict, "different_people")
    assert linked_subjects(user).subjects == [maija]
    # Even if the names come to agree later, the decision stands, and no new case opens.
    pekka.postalrecipient_records.update(first_name="Maija", last_name="Meikäläinen")
    assert linked_subjects(user).subjects == [maija]
    assert not IdentityConflict.objects.filter(resolved_at__isnull=True).exists()


def test_resolving_needs_a_decision_and_a_written_resolution(client):
    _maija_subject, _pekka, _user, conflict = _open_case()
    signed_in_staff(client)
    response = _resolve(client, conflict, "same_person", resolution="   ")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert _resolve(client, conflict, "maybe").status_code == 400
    conflict.refresh_from_db()
    assert conflict.resolved_at is None
    assert not AuditEvent.objects.filter(action="identity.conflict.resolved").exists()


def test_resolving_is_post_only_and_once(client):
    _maija_subject, _pekka, _user, conflict = _open_case()
    signed_in_staff(client)
    url = f"/en/staff/identity/{conflict.pk}/resolve/"
    assert client.get(url).status_code == 405
    _resolve(client, conflict, "different_people")
    response = _resolve(client, conflict, "same_person")
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.decision == "different_people"
    assert AuditEvent.objects.filter(action="identity.conflict.resolved").count() == 1
    assert client.post("/en/staff/identity/999999/resolve/").status_code == 404


@pytest.mark.parametrize("role", [roles.CONTACT_PERSON, roles.ADMINISTRATOR])
def test_contact_person_and_administrator_see_and_resolve_cases(client, role):
    _maija_subject, _pekka, _user, conflict = _open_case()
    signed_in_staff(client, role=role)
    assert client.get(IDENTITY).status_code == 200
    assert _resolve(client, conflict, "different_people").status_code == 302


def test_register_maintainer_gets_403(client):
    _maija_subject, _pekka, _user, conflict = _open_case()
    signed_in_staff(client, role=roles.REGISTER_MAINTAINER)
    assert client.get(IDENTITY).status_code == 403
    assert _resolve(client, conflict, "same_person").status_code == 403
    conflict.refresh_from_db()
    assert conflict.resolved_at is None


def test_customers_get_403(client):
    _maija_subject, _pekka, user, conflict = _open_case()
    client.force_login(user)
    assert client.get(IDENTITY).status_code == 403
    assert _resolve(client, conflict, "same_person").status_code == 403


# --- Shared addresses follow staff decisions too ------------------------------------------


def test_a_shared_address_decided_as_one_person_links_both_subjects(client):
    first = BillingCustomerFactory(email="shared@example.fi")
    second = NewsletterSubscriptionFactory(email="shared@example.fi")
    user = _signed_in(client, "shared@example.fi")
    client.get("/en/my-data/")
    conflict = IdentityConflict.objects.get()
    signed_in_staff(client)
    _resolve(client, conflict, "same_person")
    linking = linked_subjects(user)
    assert set(linking.subjects) == {first.subject, second.subject}
    assert not linking.ambiguous


def test_a_shared_address_decided_as_different_people_is_not_brought_back(client):
    BillingCustomerFactory(email="shared@example.fi")
    NewsletterSubscriptionFactory(email="shared@example.fi")
    user = _signed_in(client, "shared@example.fi")
    client.get("/en/my-data/")
    conflict = IdentityConflict.objects.get()
    staff_client = client.__class__()
    signed_in_staff(staff_client)
    _resolve(staff_client, conflict, "different_people")
    client.force_login(user)
    client.get("/en/my-data/")
    assert linked_subjects(user).subjects == []
    assert IdentityConflict.objects.count() == 1
    assert not DataSubject.objects.filter(identity_conflicts__resolved_at__isnull=True).exists()


# --- Who is the same person ---------------------------------------------------------------


def test_names_compare_without_case_spacing_or_accents_and_a_business_id_decides():
    maija = person_of({"first_name": "Maija", "last_name": "Meikäläinen"})
    assert same_person(maija, person_of({"first_name": " MAIJA", "last_name": "meikalainen "}))
    assert not same_person(maija, person_of({"first_name": "Pekka", "last_name": "Toinen"}))
    assert not same_person(maija, person_of({"last_name": "Meikäläinen"}))
    putki = person_of({"company_name": "Putki Oy", "business_id": "0700464-5"})
    assert same_person(putki, person_of({"company_name": "PUTKI OY"}))
    assert not same_person(
        putki, person_of({"company_name": "Putki Oy", "business_id": "2876543-5"})
    )
    # Nothing to compare is no match: a case for staff rather than a guess.
    assert not same_person(person_of({}), person_of({}))


def test_an_update_that_changes_nobodys_name_keeps_a_nameless_record():
    nameless = PostalRecipientFactory(first_name="", last_name="")
    assert same_person_after(nameless, {"street_address": "Uusikatu 1"})
    assert not same_person_after(nameless, {"first_name": "Pekka", "last_name": "Toinen"})
