"""import_register: a register's CSV file is imported whole, or not at all."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils.timezone import localtime

from portal.audit import audit_verify
from portal.importing import ImportInvalid, register_import
from portal.models import (
    AuditEvent,
    BillingCustomer,
    DataSubject,
    NewsletterSubscription,
    PostalRecipient,
    WebshopAccount,
)
from portal.validators import normalize_business_id, normalize_email, normalize_phone
from tests.factories import (
    BillingCustomerFactory,
    NewsletterSubscriptionFactory,
    PostalRecipientFactory,
    WebshopAccountFactory,
)

pytestmark = pytest.mark.django_db

BILLING_HEADER = (
    "customer_number,customer_type,first_name,last_name,company_name,business_id,"
    "email,phone,credit_limit"
)


def write_csv(tmp_path, lines, *, name="import.csv", bom=False):
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def run(register, path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_register", register, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failure(register, path, *args) -> str:
    with pytest.raises(CommandError) as raised:
        run(register, path, *args)
    return str(raised.value)


def reason(normalizer, value) -> str:
    """The validator's own (translated) message, as the import shows it."""
    with pytest.raises(ValidationError) as raised:
        normalizer(value)
    return " ".join(raised.value.messages)


# --- valid files ---------------------------------------------------------------------------


def test_billing_file_creates_records_and_subjects(tmp_path):
    path = write_csv(
        tmp_path,
        [
            BILLING_HEADER,
            'A-1,person,Aino,Asiakas,,,Aino@Example.FI,040 123 4567,"1 500,50"',
            "A-2,company,,,Putki Oy,0700464-5,putki@example.fi,,",
        ],
    )
    out, _err = run("billing", path)
    aino = BillingCustomer.objects.get(customer_number="A-1")
    assert aino.email == "aino@example.fi"
    assert aino.phone == "+358401234567"
    assert aino.credit_limit == Decimal("1500.50")
    assert aino.subject.display_name == "Aino Asiakas"
    assert BillingCustomer.objects.get(customer_number="A-2").subject.display_name == "Putki Oy"
    assert "2 rows read" in out and "records created: 2, updated: 0" in out
    assert "data subjects created: 2" in out


def test_row_links_to_existing_subject_by_customer_number(tmp_path):
    postal = PostalRecipientFactory(customer_number="C-7", last_name="Postittaja")
    path = write_csv(tmp_path, [BILLING_HEADER, "C-7,person,Eino,Postittaja,,,,,"])
    out, _err = run("billing", path)
    assert BillingCustomer.objects.get(customer_number="C-7").subject == postal.subject
    assert DataSubject.objects.count() == 1
    assert "existing subjects matched: 1" in out


def test_row_links_to_existing_subject_by_email(tmp_path):
    reader = NewsletterSubscriptionFactory(email="lukija@example.fi", customer_number="")
    path = write_csv(tmp_path, [BILLING_HEADER, "N-1,person,Liisa,Lukija,,,LUKIJA@example.fi,,"])
    run("billing", path)
    assert BillingCustomer.objects.get(customer_number="N-1").subject == reader.subject


def test_customer_number_wins_over_email(tmp_path):
    by_number = PostalRecipientFactory(customer_number="P-1", first_name="Kai", last_name="Kaksi")
    NewsletterSubscriptionFactory(email="kaksi@example.fi", customer_number="")
    path = write_csv(tmp_path, [BILLING_HEADER, "P-1,person,Kai,Kaksi,,,kaksi@example.fi,,"])
    run("billing", path)
    assert BillingCustomer.objects.get(customer_number="P-1").subject == by_number.subject


def test_email_of_two_subjects_gets_a_new_subject_for_staff_review(tmp_path):
    first = BillingCustomerFactory(email="jaettu@example.fi")
    second = WebshopAccountFactory(email="jaettu@example.fi")
    path = write_csv(tmp_path, [BILLING_HEADER, "J-1,person,Jaana,Jaettu,,,jaettu@example.fi,,"])
    out, _err = run("billing", path)
    subject = BillingCustomer.objects.get(customer_number="J-1").subject
    assert subject not in (first.subject, second.subject)
    assert "ambiguous, needs staff review" in out
    assert f"row 2 -> subject {subject.public_id}" in out


def test_rows_of_one_file_sharing_an_email_share_one_new_subject(tmp_path):
    path = write_csv(
        tmp_path,
        [
            BILLING_HEADER,
            "S-1,person,Sami,Sama,,,sama@example.fi,,",
            "S-2,person,Sami,Sama,,,SAMA@example.fi,,",
        ],
    )
    out, _err = run("billing", path)
    subjects = {c.subject_id for c in BillingCustomer.objects.all()}
    assert len(subjects) == 1
    assert "data subjects created: 1" in out


def test_existing_record_is_updated_not_duplicated(tmp_path):
    existing = BillingCustomerFactory(
        customer_number="U-1", last_name="Nimi", street_address="Vanhatie 1", phone="040 765 4321"
    )
    path = write_csv(
        tmp_path,
        ["customer_number,first_name,last_name,street_address", "U-1,Aino,Nimi,Uusitie 2"],
    )
    out, _err = run("billing", path)
    existing.refresh_from_db()
    assert existing.street_address == "Uusitie 2"
    assert existing.phone == "+358407654321"  # a column left out of the file is left as it was
    assert BillingCustomer.objects.count() == 1
    assert "records created: 0, updated: 1" in out


def test_postal_file_imports(tmp_path):
    path = write_csv(
        tmp_path,
        [
            "customer_number,first_name,last_name,street_address,postal_code,post_office,"
            "disclosure_allowed",
            "P-9,Outi,Osoite,Katu 3,00720,Helsinki,ei",
        ],
    )
    run("postal", path)
    entry = PostalRecipient.objects.get(customer_number="P-9")
    assert (entry.postal_code, entry.disclosure_allowed, entry.postal_marketing_allowed) == (
        "00720",
        False,
        True,
    )


def test_reimport_does_not_undo_a_marketing_opt_out(tmp_path):
    entry = PostalRecipientFactory(
        customer_number="P-5", last_name="Kielto", postal_marketing_allowed=False
    )
    path = write_csv(
        tmp_path,
        [
            "customer_number,last_name,street_address,postal_code,post_office,postal_marketing_allowed",
            "P-5,Kielto,Katu 5,00100,Helsinki,kyllä",
        ],
    )
    out, _err = run("postal", path)
    entry.refresh_from_db()
    assert entry.postal_marketing_allowed is False
    assert "opt-outs kept: 1" in out


def test_newsletter_file_imports_with_finnish_and_iso_dates(tmp_path):
    path = write_csv(
        tmp_path,
        [
            "email,status,subscribed_at,confirmed_at",
            "uusi@example.fi,confirmed,1.3.2024,2024-03-02",
            "odottaa@example.fi,pending,,",
        ],
    )
    run("newsletter", path)
    confirmed = NewsletterSubscription.objects.get(email="uusi@example.fi")
    assert localtime(confirmed.subscribed_at).date() == datetime.date(2024, 3, 1)
    assert localtime(confirmed.confirmed_at).date() == datetime.date(2024, 3, 2)
    assert NewsletterSubscription.objects.get(email="odottaa@example.fi").status == "pending"


def test_webshop_file_imports_and_links_by_email(tmp_path):
    customer = BillingCustomerFactory(email="ostaja@example.fi")
    path = write_csv(
        tmp_path, ["username,email,first_name,last_name", "ostaja,ostaja@example.fi,Olli,Ostaja"]
    )
    run("webshop", path)
    account = WebshopAccount.objects.get(username="ostaja")
    assert account.subject == customer.subject
    assert not account.has_password


def test_semicolon_delimited_file_with_bom_works(tmp_path):
    path = write_csv(
        tmp_path,
        [
            BILLING_HEADER.replace(",", ";"),
            "E-1;person;Eeva;Excel;;;eeva@example.fi;09 3508 170;2500,00",
        ],
        bom=True,
    )
    run("billing", path)
    eeva = BillingCustomer.objects.get(customer_number="E-1")
    assert (eeva.phone, eeva.credit_limit) == ("+35893508170", Decimal("2500.00"))


# --- invalid files: nothing is imported --------------------------------------------------


def test_one_bad_row_imports_nothing_and_names_row_column_and_reason(tmp_path):
    path = write_csv(
        tmp_path,
        [
            BILLING_HEADER,
            "B-1,person,Hyvä,Rivi,,,hyva@example.fi,,",
            "B-2,person,Huono,Rivi,,,huono@,,",
            "B-3,person,Hyvä,Myös,,,myos@example.fi,,",
        ],
    )
    message = failure("billing", path)
    assert f"row 3, column email: {reason(normalize_email, 'huono@')}" in message
    assert "nothing was saved" in message
    assert not BillingCustomer.objects.exists()
    assert not DataSubject.objects.exists()
    assert not AuditEvent.objects.exists()


def test_every_problem_is_reported(tmp_path):
    path = write_csv(
        tmp_path,
        [
            BILLING_HEADER,
            "M-1,person,Aino,,,,,abc,",
            "M-2,firma,,,Yritys Oy,1234567-8,,,paljon",
            ",company,,,,,,,1,000",
        ],
    )
    message = failure("billing", path)
    assert f"row 2, column phone: {reason(normalize_phone, 'abc')}" in message
    assert f"row 3, column business_id: {reason(normalize_business_id, '1234567-8')}" in message
    assert "row 3, column customer_type: 'firma' is not one of: person, company." in message
    assert "row 3, column credit_limit: Enter an amount in euros" in message
    assert "row 4, column customer_number: a value is required" in message
    assert "row 4, column #10: a value in a column without a header" in message
    assert "6 problem(s)" in message
    assert not BillingCustomer.objects.exists()


def test_cross_column_rules_are_checked(tmp_path):
    path = write_csv(tmp_path, [BILLING_HEADER, "X-1,person,Aino,,,,,,", "X-2,company,,,,,,,"])
    message = failure("billing", path)
    assert "row 2, column last_name: a private person needs a first and a last name" in message
    assert "row 3, column company_name: a company needs its official name" in message


def test_invalid_dates_and_undated_consent_are_refused(tmp_path):
    path = write_csv(
        tmp_path,
        [
            "email,status,confirmed_at",
            "a@example.fi,confirmed,31.2.2024",
            "b@example.fi,confirmed,2024/03/01",
            "c@example.fi,confirmed,",
            "d@example.fi,maybe,",
        ],
    )
    message = failure("newsletter", path)
    assert "row 2, column confirmed_at: 31.2.2024 is not a date in the calendar." in message
    assert "row 3, column confirmed_at: Enter a date as YYYY-MM-DD or D.M.YYYY" in message
    assert "row 4, column confirmed_at: a confirmed subscription needs the date" in message
    assert (
        "row 5, column status: 'maybe' is not one of: pending, confirmed, unsubscribed." in message
    )


def test_duplicate_keys_within_a_file_are_refused(tmp_path):
    newsletter = write_csv(
        tmp_path, ["email,status", "x@example.fi,pending", "X@example.fi,pending"]
    )
    assert "row 3, column email: x@example.fi is already on row 2" in failure(
        "newsletter", newsletter
    )
    webshop = write_csv(
        tmp_path, ["username,email", "kim,a@example.fi", "kim,b@example.fi"], name="webshop.csv"
    )
    assert "row 3, column username: kim is already on row 2" in failure("webshop", webshop)


def test_header_errors_are_reported_once_on_row_1(tmp_path):
    path = write_csv(
        tmp_path,
        [
            "customer_number,frist_name,last_name,shoe_size",
            "H-1,Aino,Asiakas,42",
            "H-2,Eino,Asiakas,43",
        ],
    )
    message = failure("billing", path)
    assert "row 1, column frist_name: unknown column; did you mean first_name?" in message
    assert "row 1, column shoe_size: unknown column" in message
    assert "2 problem(s)" in message
    missing = write_csv(tmp_path, ["username,first_name", "kim,Kim"], name="webshop.csv")
    assert "row 1, column email: this required column is missing from the header" in failure(
        "webshop", missing
    )


def test_webshop_import_refuses_passwords(tmp_path):
    path = write_csv(tmp_path, ["username,email,password_hash", "kim,kim@example.fi,pbkdf2$x"])
    assert "row 1, column password_hash: passwords are never imported" in failure("webshop", path)
    assert not WebshopAccount.objects.exists()


def test_empty_file_is_refused(tmp_path):
    path = write_csv(tmp_path, [])
    path.write_text("")
    assert "row 1, column customer_number: the file is empty" in failure("billing", path)


# --- dry run, audit, progress ------------------------------------------------------------


def test_dry_run_writes_nothing_but_reports_what_would_happen(tmp_path):
    BillingCustomerFactory(customer_number="D-1", first_name="A", last_name="B", phone="0401234567")
    path = write_csv(tmp_path, [BILLING_HEADER, "D-1,person,A,B,,,,,", "D-2,person,C,D,,,,,"])
    out, _err = run("billing", path, "--dry-run")
    assert "records created: 1, updated: 1" in out
    assert "Dry run: nothing was saved." in out
    assert BillingCustomer.objects.count() == 1
    assert BillingCustomer.objects.get().phone == "+358401234567"  # the file would blank it
    assert not AuditEvent.objects.exists()


def test_one_audit_event_records_the_import(tmp_path):
    BillingCustomerFactory(customer_number="K-1", first_name="A", last_name="B")
    path = write_csv(
        tmp_path,
        [BILLING_HEADER, "K-1,person,A,B,,,,,", "K-2,person,C,D,,,,,"],
        name="asiakkaat.csv",
    )
    run("billing", path)
    event = AuditEvent.objects.get()
    assert event.action == "register.imported"
    assert event.details["register"] == "billing"
    assert event.details["file"] == "asiakkaat.csv"
    assert (event.details["created"], event.details["updated"]) == (1, 1)
    assert audit_verify()[1] is None


def test_service_raises_with_every_error_and_writes_nothing():
    rows = [["username", "email"], ["", "bad"], ["ok", "ok@example.fi"]]
    with pytest.raises(ImportInvalid) as raised:
        register_import(register="webshop", rows=rows, dry_run=False)
    assert [(e.row, e.column) for e in raised.value.errors] == [(2, "username"), (2, "email")]
    assert not WebshopAccount.objects.exists()


def test_large_file_shows_a_progress_bar(tmp_path):
    lines = [BILLING_HEADER] + [f"L-{n},person,Iso,Tiedosto{n},,,,," for n in range(600)]
    out, err = run("billing", write_csv(tmp_path, lines))
    assert "100% (600/600)" in err
    assert "records created: 600" in out


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    path = write_csv(tmp_path, [BILLING_HEADER, "R-1,person,Aino,Asiakas,,,a@example.fi,,100"])
    run("billing", path)
    out, _err = run("billing", path)
    assert "records created: 0, updated: 0, unchanged: 1" in out
    assert DataSubject.objects.count() == 1


@pytest.mark.parametrize("register", ["billing", "postal", "newsletter", "webshop"])
def test_the_example_in_the_docs_imports(tmp_path, register):
    docs = (Path(__file__).resolve().parent.parent / "docs" / "import.md").read_text()
    section = docs.split(f"\n### {register} ")[1]
    example = section.split("```\n")[1]
    out, _err = run(register, write_csv(tmp_path, example.strip().splitlines()))
    assert f"{len(example.strip().splitlines()) - 1} rows read" in out
