"""The partner list (seed 7.2): only entries that allow disclosure and have not objected, are
not restricted and not suppressed; screened against a refusal list; each export one ledger
entry naming everyone on it, audited."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal import suppression
from portal.disclosures import postal_disclosure_export, screen_rows
from portal.errors import Refusal
from portal.models import AuditEvent, Disclosure
from subject_requests.services.objection import objection_submit
from tests.factories import PostalRecipientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _names(path) -> set[str]:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return {row["last_name"] for row in rows}


def test_export_lists_only_entries_that_may_be_disclosed_and_records_them(tmp_path):
    ok = PostalRecipientFactory(last_name="Sallittu")
    PostalRecipientFactory(last_name="Kielsi", disclosure_allowed=False)
    PostalRecipientFactory(last_name="Vastusti", postal_marketing_allowed=False)
    PostalRecipientFactory(last_name="Rajoitettu", restricted_at=timezone.now())
    gone = PostalRecipientFactory(last_name="Poistettu", street_address="Poistie 1")
    suppression.record_suppress("postal", gone)
    out = tmp_path / "list.csv"
    call_command("export_postal_disclosure", str(out), recipient="partner", purpose="Kevätkampanja")
    assert _names(out) == {"Sallittu"}
    (disclosure,) = Disclosure.objects.all()
    assert (disclosure.recipient, disclosure.register) == ("partner", "postal")
    assert disclosure.purpose == "Kevätkampanja"
    assert disclosure.disclosed_on == timezone.localdate()
    assert list(disclosure.people.all()) == [ok.subject]
    assert list(disclosure.included.values_list("record_id", flat=True)) == [ok.pk]
    event = AuditEvent.objects.get(action="disclosure.list.exported")
    assert event.details["people"] == 1 and event.details["recipient"] == "partner"


def test_an_objection_removes_the_person_from_every_later_export(tmp_path):
    record = PostalRecipientFactory(last_name="Meikäläinen")
    user = UserFactory()
    call_command("export_postal_disclosure", str(tmp_path / "1.csv"), recipient="partner",
                 purpose="Ennen")  # fmt: skip
    assert _names(tmp_path / "1.csv") == {"Meikäläinen"}
    objection_submit(user=user, subjects=[record.subject], choices={"no_disclosure"})
    call_command("export_postal_disclosure", str(tmp_path / "2.csv"), recipient="partner",
                 purpose="Jälkeen")  # fmt: skip
    assert _names(tmp_path / "2.csv") == set()
    # Nobody on the list: no ledger entry claims a disclosure.
    assert Disclosure.objects.count() == 1


@pytest.mark.parametrize("choice", ["no_postal_marketing", "no_disclosure"])
def test_either_postal_objection_keeps_the_person_off_the_list(choice):
    record = PostalRecipientFactory()
    objection_submit(user=UserFactory(), subjects=[record.subject], choices={choice})
    export = postal_disclosure_export(recipient_key="partner", purpose="x", dry_run=True)
    assert export.rows == []


def test_screening_leaves_out_addresses_refusing_direct_mail(tmp_path):
    PostalRecipientFactory(last_name="Kieltäjä", street_address="Kieltotie 1", postal_code="00100")
    PostalRecipientFactory(last_name="Naapuri", street_address="Kieltotie 3", postal_code="00100")
    PostalRecipientFactory(last_name="Talo", street_address="Talotie 9", postal_code="00990")
    screen = tmp_path / "robinson.csv"
    screen.write_text(
        "last_name;street_address;postal_code\n"
        "KIELTÄJÄ; kieltotie  1;00100\n"
        ";Talotie 9;00990\n",  # no name: the whole address refuses
        encoding="utf-8",
    )
    out = tmp_path / "list.csv"
    call_command("export_postal_disclosure", str(out), recipient="partner", purpose="Syksy",
                 screen=str(screen))  # fmt: skip
    assert _names(out) == {"Naapuri"}
    assert Disclosure.objects.get().screened_out == 2


def test_dry_run_writes_nothing(tmp_path):
    PostalRecipientFactory()
    out = tmp_path / "list.csv"
    call_command("export_postal_disclosure", str(out), recipient="partner", purpose="x",
                 dry_run=True)  # fmt: skip
    assert not out.exists() and not Disclosure.objects.exists()


def test_only_declared_list_recipients_and_a_purpose_are_accepted(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_postal_disclosure", str(tmp_path / "x.csv"), recipient="posti",
                     purpose="x")  # fmt: skip
    with pytest.raises(Refusal):
        postal_disclosure_export(recipient_key="partner", purpose="  ")
    with pytest.raises(Refusal):
        screen_rows("name\nfoo\n")


def test_a_name_that_looks_like_a_formula_is_not_one(tmp_path):
    PostalRecipientFactory(last_name="=HYPERLINK(1)")
    out = tmp_path / "list.csv"
    call_command("export_postal_disclosure", str(out), recipient="partner", purpose="x")
    assert _names(out) == {"'=HYPERLINK(1)"}
