"""Phones and laptops: no page scrolls sideways on a 390 px phone (customer pages) or a
1366 px laptop (staff pages), in Finnish, Swedish and English, and axe-core still finds
nothing. Wide tables scroll inside their own box, never the page.

One browser for everything and one signed-in context per persona and language, signed in
by session cookie, so the whole walk takes about a minute. Set LAYOUT_SCREENSHOTS to a
directory to keep a full-page screenshot of every page walked (for looking, not testing).
"""

import os
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from accounts.models import IdentityConflict
from portal.models import BillingCustomer
from portal.registers import REGISTERS
from subject_requests.models import DataRequest
from subject_requests.services.base import request_submit
from subject_requests.services.rectification import (
    rectification_submit,
    rectification_submit_across,
)
from tests.extracts import EMAIL, customer_in_every_register
from tests.factories import DataSubjectFactory, UserFactory
from tests.signin import totp_now
from tests.staff_queue_helpers import staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
LANGS = ["fi", "sv", "en"]
# Long enough to break a phone layout that does not wrap words.
LONG_EMAIL = "maija.meikalainen.tyosahkoposti@asiakaspalvelu-esimerkkiyritys.example.fi"
LONG_STREET = "Pitkänsillanrannankatu 123 B 45, Itäinen rannikkoteollisuusalue"
PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory

# Elements sticking out on the right, for the failure message.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .filter(el => !el.closest('.table-scroll, .scroll-x'))
    .slice(0, 6)
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
         + ' ' + Math.round(el.getBoundingClientRect().right) + 'px: '
         + (el.innerText || '').slice(0, 40).replace(/\\s+/g, ' '));
}"""


def _check(page, axe, problems: list[str], name: str):
    """The page fits its viewport and passes axe; a misfit is noted, not raised, so that
    one run lists every page that scrolls sideways."""
    page.wait_for_load_state()
    # Long event tables start folded; unfolded, they must still scroll in their own box.
    page.evaluate("document.querySelectorAll('details.events').forEach(d => { d.open = true; })")
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll > client:
        problems.append(
            f"{name} {page.url}: {scroll}px wide in {client}px; {page.evaluate(OVERFLOWING)}"
        )
    axe.assert_clean(page)
    if folder := os.environ.get("LAYOUT_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        lang = page.evaluate("document.documentElement.lang")
        page.screenshot(path=f"{folder}/{client}-{lang}-{name}.png", full_page=True)


def _signed_in_context(browser, live_server, user, viewport, lang):
    """A browser context with the session of `user`, signed in a moment ago."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = time.time()
    session.save()
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=lang)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _customer_with_requests(lang):
    """Maija in every register with 40 orders, a long second address and an unconfirmed
    one, and a request of every kind that has a page of its own."""
    subject, account = customer_in_every_register(orders=40)
    BillingCustomer.objects.filter(subject=subject).update(company_name=LONG_STREET)
    user = UserFactory(username=EMAIL, email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    EmailAddress.objects.create(user=user, email=LONG_EMAIL, verified=True)
    EmailAddress.objects.create(user=user, email="uusi." + LONG_EMAIL, verified=False)
    record = BillingCustomer.objects.get(subject=subject)
    correction = rectification_submit(
        user=user,
        record=record,
        changes={"street_address": LONG_STREET, "email": LONG_EMAIL},
        language=lang,
    )
    erasure = request_submit(
        user=user, type=DataRequest.Type.ERASURE, subject=subject, register="postal", language=lang
    )
    return user, correction, erasure


def _requests_across_registers(user, correction, lang):
    """A correction of the long address in every register holding it, and an erasure of
    every register (issue #13, item 1)."""
    subject = correction.subject
    records = [
        record
        for register in REGISTERS
        if "street_address" in {spec.name for spec in register.correctable_fields}
        for record in register.records_for(subject)
    ]
    across = rectification_submit_across(
        user=user,
        targets=[(record, "street_address", LONG_STREET) for record in records],
        language=lang,
    )
    everywhere = request_submit(
        user=user, type=DataRequest.Type.ERASURE, subject=subject, register="", language=lang
    )
    return across, everywhere


@pytest.mark.parametrize("lang", LANGS)
def test_customer_pages_fit_a_phone(browser, live_server, axe, settings, lang):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user, correction, erasure = _customer_with_requests(lang)
    across, everywhere = _requests_across_registers(user, correction, lang)
    problems: list[str] = []

    # Signed out: the notice and the sign-in pages.
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=lang)
    page = context.new_page()
    page.goto(f"/{lang}/")
    _check(page, axe, problems, "notice")
    page.goto(f"/{lang}/accounts/login/")
    _check(page, axe, problems, "password")
    page.goto(f"/{lang}/accounts/login/code/")
    _check(page, axe, problems, "code")
    page.fill("input[name=email]", LONG_EMAIL)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/login/code/confirm/")
    _check(page, axe, problems, "code-confirm")
    context.close()

    context, page = _signed_in_context(browser, live_server, user, PHONE, lang)
    pages = {
        "home": f"/{lang}/home/",
        "rectification-all": f"/{lang}/requests/rectification/",
        "erasure-all": f"/{lang}/requests/erasure/",
        "restriction-all": f"/{lang}/requests/restriction/",
        "correction-all-detail": f"/{lang}/requests/{across.public_id}/",
        "erasure-all-detail": f"/{lang}/requests/{everywhere.public_id}/",
        "my-data": f"/{lang}/my-data/",
        "my-requests": f"/{lang}/requests/",
        "correction-detail": f"/{lang}/requests/{correction.public_id}/",
        "erasure-detail": f"/{lang}/requests/{erasure.public_id}/",
        "objection": f"/{lang}/requests/objection/",
        "other": f"/{lang}/requests/other/",
        "emails": f"/{lang}/accounts/email/",
        "sessions": f"/{lang}/accounts/sessions/",
        "take-copy-pdf": f"/{lang}/my-data/extract.pdf",
        "take-copy-json": f"/{lang}/my-data/export.json",
    }
    for register in REGISTERS:
        for kind in ("rectification", "erasure", "restriction"):
            pages[f"{kind}-{register.key}"] = f"/{lang}/requests/{kind}/{register.key}/"
    for name, path in pages.items():
        page.goto(path)
        _check(page, axe, problems, name)

    # Removing an address: the second step, opened.
    page.goto(f"/{lang}/accounts/email/")
    page.locator("details.confirm-remove summary").first.click()
    assert page.locator("details.confirm-remove[open] button[name=action_remove]").is_visible()
    _check(page, axe, problems, "emails-remove")

    # The correction's review page, with a long value in it.
    page.goto(f"/{lang}/requests/rectification/webshop/")
    page.fill("input[name=street_address]", LONG_STREET)
    page.locator("form.rectification-form button[type=submit]").click()
    page.wait_for_url("**/rectification/webshop/review/")
    _check(page, axe, problems, "rectification-review")

    # The review of a correction across registers, with the registers named.
    page.goto(f"/{lang}/requests/rectification/")
    page.fill("input[name=street_address]", "Rantatie 7 A 3")
    page.locator("form.rectification-form button[type=submit]").click()
    page.wait_for_url("**/requests/rectification/review/")
    _check(page, axe, problems, "rectification-all-review")
    context.close()
    assert not problems, "pages scroll sideways:\n" + "\n".join(problems)


def _identity_conflict():
    conflict = IdentityConflict.objects.create(email=LONG_EMAIL, user=UserFactory(email=LONG_EMAIL))
    conflict.subjects.set([DataSubjectFactory(), DataSubjectFactory()])
    return conflict


@pytest.mark.parametrize("lang", LANGS)
def test_staff_pages_fit_a_laptop_and_show_every_column(browser, live_server, axe, lang):
    cache.clear()  # the database cache outlives the test's data: a TOTP code once used stays so
    user, correction, erasure = _customer_with_requests(lang)
    across, everywhere = _requests_across_registers(user, correction, lang)
    _identity_conflict()
    staff = staff_member(username="katri@example.fi", email="katri@example.fi")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    problems: list[str] = []

    # The real sign-in: password, then the second factor, landing on the queue.
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP, locale=lang)
    page = context.new_page()
    page.goto(f"/{lang}/accounts/login/")
    _check(page, axe, problems, "staff-password")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/2fa/authenticate/**")
    _check(page, axe, problems, "staff-2fa")
    page.set_viewport_size(PHONE)  # the sign-in fits a phone too
    _check(page, axe, problems, "staff-2fa")
    page.set_viewport_size(LAPTOP)
    page.fill("input[name=code]", totp_now("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/{lang}/staff/")
    _check(page, axe, problems, "staff-queue")
    _assert_every_cell_shown(page, "table.queue")

    page.goto(f"/{lang}/staff/requests/{correction.public_id}/")
    _check(page, axe, problems, "staff-correction")
    _assert_every_cell_shown(page, "table.changes")
    assert page.locator("table.changes").get_by_text(LONG_STREET).is_visible()
    page.goto(f"/{lang}/staff/requests/{erasure.public_id}/")
    _check(page, axe, problems, "staff-erasure")
    page.goto(f"/{lang}/staff/requests/{across.public_id}/")
    _check(page, axe, problems, "staff-correction-all")
    _assert_every_cell_shown(page, "table.changes")
    page.goto(f"/{lang}/staff/requests/{everywhere.public_id}/")
    _check(page, axe, problems, "staff-erasure-all")
    assert page.locator("fieldset.register-decision").count() == len(REGISTERS)
    page.goto(f"/{lang}/staff/identity/")
    _check(page, axe, problems, "staff-identity")
    context.close()
    assert not problems, "pages scroll sideways:\n" + "\n".join(problems)


# Cells whose right edge lies beyond the window or beyond a box that clips them (a table
# in a scrolling box shows its last columns only after scrolling).
HIDDEN_CELLS = """(table) => {
  const hidden = [];
  for (const cell of document.querySelectorAll(table + ' th, ' + table + ' td')) {
    const right = cell.getBoundingClientRect().right;
    let limit = document.documentElement.clientWidth;
    for (let box = cell.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') {
        const inner = box.getBoundingClientRect().left + box.clientLeft + box.clientWidth;
        limit = Math.min(limit, inner);
      }
    }
    if (right > limit + 1) hidden.push(cell.innerText.slice(0, 30));
  }
  return hidden;
}"""


def _assert_every_cell_shown(page, table):
    """No column of the table is cut off or hidden in a sideways scroll."""
    assert page.locator(table).count() == 1
    assert page.evaluate(HIDDEN_CELLS, table) == []
