"""The access walk: every URL pattern the resolver knows, visited as an anonymous visitor, as
a customer with another customer's identifiers, as staff in every role, as staff without a
second factor, and with GET where only POST may change anything.

Nothing here is a hand-kept list of URLs. Patterns come from get_resolver(); RULES below says
who may open each of them, matched by URL name ("namespace:name") or, for an unnamed
pattern, by "route:<route>". A new pattern without a rule fails the first test.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailConfirmationHMAC
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from accounts import roles
from portal import newsletter
from portal.models import DataSubject, NewsletterSubscription
from subject_requests.models import DataRequest
from tests.access_world import (
    BOOKKEEPING,
    OTHER,
    OWNER,
    SESSIONS,
    STAFF_ROLES,
    build_world,
    client_for,
    db_state,
    what_changed,
)
from tests.url_walk import LANG, endpoints

pytestmark = pytest.mark.django_db

PUBLIC = "public"  # answers anonymous visitors
SIGNED_IN = "signed in"  # any signed-in person: the customer's pages, account settings
STAFF = "staff"  # a staff page under /<lang>/staff/, for the roles named
ADMIN = "admin"  # the Django admin under /<lang>/staff/admin/, by model permissions
SHADOWED = "shadowed"  # an earlier pattern answers this path; never reached itself

QUEUE = (roles.CONTACT_PERSON, roles.ADMINISTRATOR)  # README: the staff pages' roles
IDENTITY = (roles.CONTACT_PERSON, roles.ADMINISTRATOR)  # not register maintainers (#9)
DISCLOSURES = (roles.REGISTER_MAINTAINER, roles.ADMINISTRATOR)
STAFF_AREA = "{lang}/staff/"
# Path parameters that name nobody's data: register keys and static file names.
NOT_IDENTIFIERS = {"register", "path"}


@dataclass(frozen=True)
class Rule:
    access: str
    status: int | None = None  # PUBLIC: what an anonymous GET gets; ADMIN: what staff get
    roles: tuple = ()  # STAFF: who may open it (others get 403)
    post_only: bool = False  # changes state, so a GET or HEAD changes nothing
    owned: str | None = None  # SIGNED_IN: whose object the URL names (see OWNED)
    optional: bool = False  # present only in development


def public(status, optional=False):
    return Rule(PUBLIC, status=status, optional=optional)


def customer(owned=None, post_only=False, optional=False):
    return Rule(SIGNED_IN, owned=owned, post_only=post_only, optional=optional)


def staff(roles, post_only=False):
    return Rule(STAFF, roles=tuple(roles), post_only=post_only)


def admin_page(status, post_only=False):
    return Rule(ADMIN, status=status, post_only=post_only)


ADMIN_MODEL_PAGE = Rule(ADMIN)  # the status follows the role's model permissions

# First match wins.
RULES = [
    # Public: the privacy notice, signing in, resetting a password, confirming an address.
    ("privacy_notice", public(200)),
    ("healthz", public(200)),  # load balancers: no session, no language prefix
    ("account_login", public(200)),
    ("account_request_login_code", public(200)),
    ("account_confirm_login_code", public(302)),  # no code asked for: back to asking
    ("account_signup", public(200)),  # closed; the page says so
    ("account_inactive", public(200)),
    ("account_email_verification_sent", public(200)),
    ("account_confirm_email", public(200)),
    ("account_reset_password*", public(200)),
    ("account_logout", public(302)),  # nobody to sign out: sent to the front page
    ("mfa_authenticate", public(302)),  # the second step of a password sign-in
    ("route:{lang}/staff/admin/login/", public(302)),  # the portal's sign-in instead
    ("admin:login", Rule(SHADOWED)),  # ... so the admin's own is never reached
    ("dev_mailbox", public(200, optional=True)),  # DEV_MAILBOX (development) only
    # The newsletter (issue #11): the signed link is the authority, so no sign-in. The walk
    # opens real links: showing the confirmation or the unsubscribe button changes nothing.
    ("newsletter_subscribe", public(200)),
    ("newsletter_sent", public(200)),
    ("newsletter_confirm", public(200)),
    ("newsletter_unsubscribe", public(200)),
    ("newsletter_one_click", public(302)),  # a GET goes to the page; only RFC 8058's POST acts
    # Development's static files (runserver serves them before any URL pattern does).
    ("route:static/*", customer(optional=True)),
    # The customer's own pages.
    ("home", customer()),  # the front door after sign-in
    ("my_data", customer()),
    ("extract_pdf", customer(post_only=True)),
    ("export_json", customer(post_only=True)),
    ("issued_extract", customer(owned="extract")),
    ("extract_job", customer(owned="job")),  # a large copy being made by a worker
    ("extract_job_file", customer(owned="job")),  # ... and the file it made
    ("my_data_consultations", customer()),  # only the signed-in person's own subjects
    ("postal_claim", customer()),  # the same answer whatever the registers hold
    ("postal_claim_code", customer()),  # only the signed-in person's own claims
    ("my_requests", customer()),
    ("request_detail", customer(owned="request")),
    ("request_cancel", customer(owned="request", post_only=True)),
    ("request_identity_answer", customer(owned="request", post_only=True)),  # Art. 12(6)
    ("request_rectification", customer(owned="record")),
    ("request_rectification_*", customer()),
    ("request_objection", customer()),
    ("request_interest_objection", customer()),  # Art. 21(1): the person's own records only
    ("request_erasure", customer()),
    ("request_erasure_all", customer()),  # every register holding data, one request
    ("request_restriction", customer()),
    ("request_restriction_all", customer()),
    ("request_other", customer()),
    ("fresh_sign_in", customer()),
    # allauth's pages for the signed-in person's own account.
    ("account_*", customer()),
    ("mfa_*", customer()),
    ("usersessions_list", customer()),
    # Staff pages.
    ("staff_home", staff(QUEUE)),
    ("staff_request", staff(QUEUE)),
    ("staff_request_letter", staff(QUEUE)),  # the letter to print; nothing is recorded
    ("staff_request_*", staff(QUEUE, post_only=True)),
    # Requests by letter, email, phone or in person; extracts sent by letter.
    ("staff_intake", staff(QUEUE)),
    ("staff_intake_new", staff(QUEUE)),
    ("staff_subject_extract_letter", staff(QUEUE, post_only=True)),
    ("staff_identity", staff(IDENTITY)),
    ("staff_identity_resolve", staff(IDENTITY, post_only=True)),
    ("staff_postal_claims", staff(IDENTITY)),
    ("staff_postal_claim", staff(IDENTITY)),
    ("staff_postal_claim_*", staff(IDENTITY, post_only=True)),
    ("staff_outbox", staff(QUEUE)),
    # The disclosure ledger is register work: maintainers and administrators.
    ("staff_disclosures", staff(DISCLOSURES)),
    ("staff_disclosures_*", staff(DISCLOSURES, post_only=True)),
    ("staff_record_of_processing*", staff(QUEUE)),  # Art. 30: the page, its CSV and PDF
    # The admin: pages for any member of staff, then model pages by permission.
    ("admin:index", admin_page(200)),
    ("admin:logout", admin_page(405, post_only=True)),
    ("admin:password_change", admin_page(200)),
    ("admin:password_change_done", admin_page(200)),
    ("admin:autocomplete", admin_page(403)),  # no model named: refused
    ("admin:jsi18n", admin_page(200)),
    ("admin:view_on_site", admin_page(404)),  # no model has a public page
    ("admin:app_list", ADMIN_MODEL_PAGE),
    ("admin:*_changelist", ADMIN_MODEL_PAGE),
    ("admin:*_add", ADMIN_MODEL_PAGE),
    ("admin:*_change", ADMIN_MODEL_PAGE),
    ("admin:*_delete", ADMIN_MODEL_PAGE),
    ("admin:*_history", ADMIN_MODEL_PAGE),
    ("route:{lang}/staff/admin/*/<path:object_id>/", admin_page(302)),  # to its change page
    ("route:{lang}/staff/admin/(?P<url>.*)", admin_page(404)),
]

# How a customer URL names its object: (path values, query) for the customer `who`.
OWNED = {
    "extract": lambda c: ({"reference": c.extract.reference}, ""),
    "job": lambda c: ({"job": c.job.token}, ""),
    "request": lambda c: ({"public_id": c.request.public_id}, ""),
    "record": lambda c: ({}, f"?record={c.record.pk}"),
}
with translation.override(LANG):
    # Without the language: a page outside the language prefixes signs in in the default one.
    SIGN_IN_PATHS = {
        reverse(name).removeprefix(f"/{LANG}/")
        for name in ("account_request_login_code", "account_login")
    }
    MY_DATA = reverse("my_data")
TOTP_ENROLMENT = f"/{LANG}/accounts/2fa/totp/activate/"
# Kept as evidence (accountability): nobody adds, changes or deletes them, whatever the role.
EVIDENCE = {"auditevent", "issuedextract"}
ADMIN_ACTIONS = {
    "changelist": "view",
    "change": "view",
    "history": "view",
    "add": "add",
    "delete": "delete",
}


def rule_for(endpoint) -> Rule | None:
    return next((rule for glob, rule in RULES if endpoint.matches(glob)), None)


def walk():
    """(endpoint, rule) for every pattern; the first test makes sure each has a rule."""
    return [(e, rule_for(e)) for e in endpoints() if rule_for(e) is not None]


def in_staff_area(endpoint) -> bool:
    return endpoint.route.startswith(STAFF_AREA)


def url(world, endpoint, rule, who=OTHER) -> str:
    """The endpoint's path, with `who`'s identifiers where the URL names a customer's object
    (another customer's by default) and a real object wherever the admin wants one."""
    named = world.customers[who]
    model_admin = endpoint.model_admin
    admin_object = world.admin_objects.get(model_admin.model) if model_admin else None
    values = {
        "public_id": named.request.public_id,
        "reference": named.extract.reference,
        "register": "billing",
        "object_id": (admin_object or named.subject).pk,
        "content_type_id": ContentType.objects.get_for_model(DataSubject).pk,
        # A real confirmation key: opening the link must not confirm the address.
        "key": EmailConfirmationHMAC(world.unverified).key,
        "uidb36": "1",  # with the key above: an invalid password-reset link
        "app_label": "portal",
        "url": "no-such-page/",
        "path": "robots.txt",
        "pk": world.conflict.pk,
        # Real newsletter links: a confirmation for a new address, an existing unsubscription.
        "confirmation": newsletter.confirmation_token(email="walker@example.fi", language=LANG),
        "token": newsletter.unsubscribe_token(NewsletterSubscription.objects.earliest("pk")),
    }
    query = ""
    if rule.owned:
        own_values, query = OWNED[rule.owned](named)
        values.update(own_values)
    return endpoint.path(values) + query


def visit(client, method, path):
    return getattr(client, method.lower())(path)


def is_sign_in_redirect(response) -> bool:
    location = urlsplit(response.get("Location", ""))
    return (
        response.status_code == 302
        and location.path.split("/", 2)[-1] in SIGN_IN_PATHS
        and "next=" in location.query
    )


def as_lines(problems) -> str:
    return "\n".join(["", *problems])


@pytest.fixture
def world():
    return build_world()


# --- Every pattern has a rule -------------------------------------------------------------


def test_every_url_pattern_has_an_access_rule():
    found = endpoints()
    unclassified = [f"{e.key}  ({e.route})" for e in found if rule_for(e) is None]
    assert not unclassified, "URL patterns without an access rule (add them to RULES):" + (
        as_lines(unclassified)
    )
    unused = [
        glob
        for glob, rule in RULES
        if not rule.optional and not any(e.matches(glob) for e in found)
    ]
    assert not unused, "rules that match no URL pattern (remove them):" + as_lines(unused)


def test_rules_agree_with_where_a_page_lives():
    """Staff pages must live under /<lang>/staff/ (the second-factor check covers only
    that), customer pages outside it; a customer URL naming an object says whose it is."""
    problems = []
    for endpoint, rule in walk():
        if rule.access in (STAFF, ADMIN) and not in_staff_area(endpoint):
            problems.append(f"{endpoint.key}: a staff rule outside /<lang>/staff/")
        if rule.access == SIGNED_IN and in_staff_area(endpoint):
            problems.append(f"{endpoint.key}: a customer rule inside /<lang>/staff/")
        identifiers = set(endpoint.params) - NOT_IDENTIFIERS
        if rule.access == SIGNED_IN and identifiers and not rule.owned:
            problems.append(f"{endpoint.key}: names {identifiers} but declares no owner")
    assert not problems, as_lines(problems)


def test_every_path_reaches_its_own_view_unless_declared_shadowed(world):
    problems = []
    for endpoint, rule in walk():
        reached = endpoint.reaches_own_view(url(world, endpoint, rule))
        if reached == (rule.access == SHADOWED):
            problems.append(f"{endpoint.key}: reached={reached}, rule {rule.access}")
    assert not problems, as_lines(problems)


# --- Anonymous visitors ---------------------------------------------------------------------


def test_only_declared_public_pages_answer_anonymous_visitors(world):
    client = client_for(None)
    problems = []
    for endpoint, rule in walk():
        if rule.access == SHADOWED:
            continue
        path = url(world, endpoint, rule)
        before = db_state(ignore=BOOKKEEPING) if rule.access == PUBLIC else None
        response = client.get(path)
        if rule.access != PUBLIC:
            if not is_sign_in_redirect(response):
                problems.append(f"GET {path}: {response.status_code} {response.get('Location')}")
        elif response.status_code != rule.status:
            problems.append(f"GET {path}: {response.status_code}, declared {rule.status}")
        elif changed := what_changed(before, db_state(ignore=BOOKKEEPING)):
            problems.append(f"GET {path}: wrote {changed}")
        if rule.post_only:
            before = db_state(ignore=SESSIONS)
            response = client.post(path)
            changed = what_changed(before, db_state(ignore=SESSIONS))
            if not is_sign_in_redirect(response) or changed:
                problems.append(f"POST {path}: {response.status_code}, wrote {changed}")
    world.unverified.refresh_from_db()
    assert not world.unverified.verified, "opening a confirmation link confirmed the address"
    assert not problems, "anonymous visitors got past the sign-in:" + as_lines(problems)


# --- Customers --------------------------------------------------------------------------------


def test_customer_urls_with_another_customers_identifiers_give_404(world):
    """...and the same URL with the customer's own identifiers works, so the ids are real."""
    client = client_for(world.customers[OWNER].user)
    problems = []
    checked = 0
    for endpoint, rule in walk():
        if rule.access != SIGNED_IN or not rule.owned:
            continue
        method = "POST" if rule.post_only else "GET"
        foreign = url(world, endpoint, rule, who=OTHER)
        before = db_state(ignore=BOOKKEEPING)
        response = visit(client, method, foreign)
        changed = what_changed(before, db_state(ignore=BOOKKEEPING))
        if response.status_code != 404 or changed:
            problems.append(f"{method} {foreign}: {response.status_code}, wrote {changed}")
        own = url(world, endpoint, rule, who=OWNER)
        response = visit(client, method, own)
        if response.status_code not in (200, 302):
            problems.append(f"{method} {own} (own): {response.status_code}")
        checked += 1
    other_request = world.customers[OTHER].request
    other_request.refresh_from_db()
    assert other_request.status == DataRequest.Status.RECEIVED, "the other's request changed"
    assert checked >= 4, "the walk found fewer customer URLs with identifiers than expected"
    assert not problems, "another customer's identifiers:" + as_lines(problems)


def test_customer_pages_open_for_a_customer_and_change_nothing_on_get(world):
    """GET shows; it never writes a request, a copy or anything else (reading is audited,
    which is bookkeeping). POST-only URLs answer a GET or HEAD with 405 or a page that
    writes nothing at all, not even an audit event."""
    client = client_for(world.customers[OWNER].user)
    problems = []
    for endpoint, rule in walk():
        if rule.access != SIGNED_IN:
            continue
        path = url(world, endpoint, rule, who=OWNER)
        for method in ("GET", "HEAD") if rule.post_only else ("GET",):
            ignore = SESSIONS if rule.post_only else BOOKKEEPING
            before = db_state(ignore=ignore)
            response = visit(client, method, path)
            changed = what_changed(before, db_state(ignore=ignore))
            # 404: allauth's pages for a second factor the customer does not have, and the
            # password pages, which customers do not have either (only staff have passwords).
            answers = (200, 302, 404, 405) if rule.post_only else (200, 302, 404)
            if response.status_code == 405 and not rule.post_only:
                problems.append(f"{method} {path}: 405, so declare it post_only in RULES")
            elif response.status_code not in answers or is_sign_in_redirect(response) or changed:
                problems.append(f"{method} {path}: {response.status_code}, wrote {changed}")
    # No GET above signed the customer out (signing out is a POST).
    assert client.get(MY_DATA).status_code == 200
    assert not problems, as_lines(problems)


def test_staff_area_refuses_customers(world):
    """Customers end at 403 (or 404) on staff pages; the admin sends them on to its sign-in
    page, which is the portal's, and that refuses them."""
    client = client_for(world.customers[OWNER].user)
    problems = []
    for endpoint, rule in walk():
        if not in_staff_area(endpoint) or rule.access == SHADOWED:
            continue
        path = url(world, endpoint, rule)
        response = client.get(path, follow=True)
        if response.status_code not in (403, 404):
            problems.append(f"GET {path}: {response.status_code}")
        if rule.post_only:
            before = db_state(ignore=SESSIONS)
            response = client.post(path, follow=True)
            changed = what_changed(before, db_state(ignore=SESSIONS))
            if response.status_code not in (403, 404) or changed:
                problems.append(f"POST {path}: {response.status_code}, wrote {changed}")
    assert not problems, "customers got into the staff area:" + as_lines(problems)


# --- Staff --------------------------------------------------------------------------------------


def test_staff_area_needs_the_second_factor(world):
    """Even a superuser without TOTP only ever reaches the enrolment page."""
    client = client_for(world.without_mfa)
    problems = []
    for endpoint, rule in walk():
        if not in_staff_area(endpoint) or rule.access == SHADOWED:
            continue
        path = url(world, endpoint, rule)
        response = client.get(path)
        if response.get("Location") != TOTP_ENROLMENT:
            problems.append(f"GET {path}: {response.status_code} {response.get('Location')}")
        if rule.post_only:
            before = db_state(ignore=SESSIONS)
            response = client.post(path)
            changed = what_changed(before, db_state(ignore=SESSIONS))
            if response.get("Location") != TOTP_ENROLMENT or changed:
                problems.append(f"POST {path}: {response.status_code}, wrote {changed}")
    assert not problems, "staff without a second factor got in:" + as_lines(problems)


@pytest.mark.parametrize("role", [*STAFF_ROLES, None], ids=[*STAFF_ROLES, "no_role"])
def test_staff_pages_open_only_for_their_roles(world, role):
    """The right role opens the page (GET of a state-changing URL: 405, nothing written);
    any other role gets 403, and its POST changes nothing."""
    client = client_for(world.staff[role])
    problems = []
    for endpoint, rule in walk():
        if rule.access != STAFF:
            continue
        path = url(world, endpoint, rule)
        allowed = role in rule.roles
        if allowed and rule.post_only:
            visits = [("GET", 405), ("HEAD", 405)]
        elif allowed:
            visits = [("GET", 200)]
        else:
            visits = [("GET", 403), ("POST", 403)] if rule.post_only else [("GET", 403)]
        for method, expected in visits:
            ignore = BOOKKEEPING if expected == 200 else SESSIONS
            before = db_state(ignore=ignore)
            response = visit(client, method, path)
            changed = what_changed(before, db_state(ignore=ignore))
            if response.status_code != expected or changed:
                problems.append(
                    f"{method} {path}: {response.status_code}, expected {expected}, wrote {changed}"
                )
    assert not problems, f"staff pages for the {role} role:" + as_lines(problems)


# --- The admin ----------------------------------------------------------------------------------


def may(role, action, model) -> bool:
    """What accounts/roles.py grants; evidence is never added, changed or deleted."""
    name = model._meta.model_name
    if name in EVIDENCE and action != "view":
        return False
    granted = roles.ROLE_PERMISSIONS.get(role, [])
    if action == "view":
        return f"view_{name}" in granted or f"change_{name}" in granted
    return f"{action}_{name}" in granted


def expected_admin_status(world, endpoint, rule, role) -> int:
    if rule.status is not None:
        return rule.status
    model_admin = endpoint.model_admin
    if endpoint.key == "admin:app_list":  # walked for "portal"
        models = [m for m in world.admin_objects if m._meta.app_label == "portal"]
        visible = any(may(role, a, m) for m in models for a in ("view", "add", "delete"))
        return 200 if visible else 404
    action = ADMIN_ACTIONS[endpoint.key.rsplit("_", 1)[1]]
    return 200 if may(role, action, model_admin.model) else 403


@pytest.mark.parametrize("role", [*STAFF_ROLES, None], ids=[*STAFF_ROLES, "no_role"])
def test_admin_follows_the_role_permissions(world, role):
    """Every admin page for every role: the model pages as accounts/roles.py grants (a
    contact person views register data but cannot add, change or delete it); where the
    role may not change, add or delete, its POST is refused and writes nothing."""
    client = client_for(world.staff[role])
    problems = []
    refused_posts = []
    for endpoint, rule in walk():
        if rule.access != ADMIN:
            continue
        path = url(world, endpoint, rule)
        expected = expected_admin_status(world, endpoint, rule, role)
        response = client.get(path)
        if response.status_code != expected:
            problems.append(f"GET {path}: {response.status_code}, expected {expected}")
        model_admin = endpoint.model_admin
        action = endpoint.key.rsplit("_", 1)[-1]
        if model_admin and action in ("add", "change", "delete"):
            needed = "change" if action == "change" else action
            if not may(role, needed, model_admin.model):
                refused_posts.append(path)
    before = db_state(ignore=BOOKKEEPING)
    for path in refused_posts:
        response = client.post(path, {"post": "yes"})
        if response.status_code != 403:
            problems.append(f"POST {path}: {response.status_code}, expected 403")
    changed = what_changed(before, db_state(ignore=BOOKKEEPING))
    assert not changed, f"refused admin posts wrote to {changed}"
    assert not problems, f"the admin for the {role} role:" + as_lines(problems)
