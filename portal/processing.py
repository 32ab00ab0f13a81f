"""The portal's own processing of personal data, declared once, beside the registers'.

The privacy notice (Art. 13) and the record of processing activities (Art. 30) read these
declarations; each retention text is built from the settings and code that carry it out, so
that changing a period changes what the notice says. A test checks each figure against the
code that enforces it (tests/test_portal_processing.py).

The security measures (Art. 30(1)(g), 32) are listed here too: each is a description of
something the running system does, never a promise.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.registers.common import NO_TRANSFERS
from portal.registers.provision import Provision, Requirement
from portal.registers.recipients import EMAIL_DELIVERY, HOSTING

# accounts/management/commands/purge_unconfirmed_users.py --hours (its default), daily.
UNCONFIRMED_USER_HOURS = 24
# accounts/postal_claims.py claims_purge, run by the daily apply_retention.
POSTAL_CLAIM_KEEP_DAYS = 90

RIGHTS_BASIS = gettext_lazy(
    "Our legal obligation to help you use your rights and to make sure who is asking "
    "(GDPR Art. 6(1)(c), with Art. 12(2) and 12(6))."
)
SECURITY_BASIS = gettext_lazy(
    "Our legal obligation to keep personal data secure (GDPR Art. 6(1)(c), with Art. 32)."
)
PORTAL_PROVISION = Provision(
    Requirement.VOLUNTARY,
    gettext_lazy(
        "Using this portal is voluntary: you can also use your rights by writing to us or "
        "calling us. Without signing in you cannot use the portal's own pages."
    ),
)


def _minutes(seconds: float) -> int:
    return max(1, round(seconds / 60))


def _hours(seconds: float) -> float:
    hours = seconds / 3600
    return int(hours) if hours == int(hours) else round(hours, 1)


def _account_retention() -> list[str]:
    hours = UNCONFIRMED_USER_HOURS
    return [
        _(
            "Until you ask us to remove your portal account (with a free-form request, or by "
            "writing to us); your register data is not affected by that."
        ),
        ngettext(
            "An account made by asking for a sign-in code that was never entered is deleted "
            "after %(hours)d hour.",
            "An account made by asking for a sign-in code that was never entered is deleted "
            "after %(hours)d hours.",
            hours,
        )
        % {"hours": hours},
    ]


def _code_retention() -> list[str]:
    minutes = _minutes(settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT)
    tries = settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS
    days = settings.OUTBOX_KEEP_DAYS
    return [
        _(
            "A code is valid for %(minutes)d minutes and %(tries)d tries. It is held only in "
            "your session on our server, in no register, and goes with the session."
        )
        % {"minutes": minutes, "tries": tries},
        ngettext(
            "The email with the code goes through our outbox: its text is deleted once it is "
            "delivered, and the record that it was sent (address, subject, time) after "
            "%(days)d day.",
            "The email with the code goes through our outbox: its text is deleted once it is "
            "delivered, and the record that it was sent (address, subject, time) after "
            "%(days)d days.",
            days,
        )
        % {"days": days},
    ]


def _session_retention() -> list[str]:
    return [
        _(
            "A session ends after %(idle)d minutes without activity, after %(hours)s hours "
            "at most, when you sign out and when you close the browser."
        )
        % {
            "idle": _minutes(settings.SESSION_IDLE_TIMEOUT),
            "hours": _hours(settings.SESSION_MAX_AGE),
        },
        _(
            "An ended session, with its entry in your list of sessions (its time, IP address "
            "and browser), is deleted by the daily clean-up."
        ),
    ]


def _claim_retention() -> list[str]:
    days = POSTAL_CLAIM_KEEP_DAYS
    return [
        ngettext(
            "A claim that did not link any records is deleted %(days)d day after it was made.",
            "A claim that did not link any records is deleted %(days)d days after it was made.",
            days,
        )
        % {"days": days},
        _(
            "A claim whose code linked records is kept with your portal account, as the proof "
            "of that link, and is deleted with the account."
        ),
    ]


def _lockout_retention() -> list[str]:
    hours = _hours(settings.AXES_COOLOFF_TIME * 3600)
    return [
        _(
            "The failed attempts are deleted when you sign in successfully; otherwise they "
            "lapse after %(hours)s hours, the length of the lock, and are deleted at the next "
            "sign-in attempt after that. Successful sign-ins are not logged here (see the audit "
            "trail)."
        )
        % {"hours": hours},
    ]


def _audit_retention() -> list[str]:
    days = settings.AUTH_EVENT_RETENTION_DAYS
    return [
        _(
            "The events form a hash chain and are kept for as long as the portal is used; "
            "their personal details are erased while the event itself stays."
        ),
        ngettext(
            "The email address, IP address and login of sign-in events are erased after "
            "%(days)d day.",
            "The email address, IP address and login of sign-in events are erased after "
            "%(days)d days.",
            days,
        )
        % {"days": days},
        _(
            "The details of events about your register data are erased when that data is "
            "erased, on your request or at the end of its retention period; the records that "
            "an erasure or an objection was carried out are kept as evidence of it."
        ),
    ]


@dataclass(frozen=True)
class Activity:
    """One processing activity of the portal itself."""

    key: str
    name: Promise
    purpose: Promise
    legal_basis: Promise
    data: Promise
    data_subjects: tuple[Promise, ...]
    _retention: Callable[[], list[str]]
    provision: Provision = PORTAL_PROVISION
    # The portal lives with the registers, at the same hosting processor.
    recipient_list: tuple = (HOSTING,)
    transfers: Promise = NO_TRANSFERS

    @property
    def retention(self) -> list[str]:
        """In the active language, from the settings in force."""
        return self._retention()


PORTAL_USERS = gettext_lazy("people who sign in to this portal")
STAFF = gettext_lazy("our staff who use the portal")

ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        key="accounts",
        name=gettext_lazy("Portal accounts"),
        purpose=gettext_lazy(
            "Letting you sign in to see your data and use your rights, and linking your "
            "account to your records in the registers; for staff, signing in to handle "
            "requests."
        ),
        legal_basis=RIGHTS_BASIS,
        data=gettext_lazy(
            "Your email addresses and whether they are confirmed, or your web-shop username; "
            "when the account was made and when you last signed in. Staff: username, email "
            "address, role, a password hash and the key of their second factor."
        ),
        data_subjects=(PORTAL_USERS, STAFF),
        _retention=_account_retention,
        recipient_list=(HOSTING, EMAIL_DELIVERY),
    ),
    Activity(
        key="sign_in_codes",
        name=gettext_lazy("Sign-in codes"),
        purpose=gettext_lazy(
            "Signing you in without a password: a one-time code sent to your email address."
        ),
        legal_basis=RIGHTS_BASIS,
        data=gettext_lazy("Your email address and the code sent to it."),
        data_subjects=(PORTAL_USERS,),
        _retention=_code_retention,
        recipient_list=(HOSTING, EMAIL_DELIVERY),
    ),
    Activity(
        key="sessions",
        name=gettext_lazy("Sessions"),
        purpose=gettext_lazy(
            "Keeping you signed in while you use the portal, and listing your sessions so "
            "that you can end the ones you do not recognise."
        ),
        legal_basis=SECURITY_BASIS,
        data=gettext_lazy(
            "A session identifier in a cookie; when the session began and was last used; its "
            "IP address and browser."
        ),
        data_subjects=(PORTAL_USERS, STAFF),
        _retention=_session_retention,
    ),
    Activity(
        key="postal_claims",
        name=gettext_lazy("Claims of data held under a postal address"),
        purpose=gettext_lazy(
            "Letting a person we know only by postal address see that data in the portal: "
            "we compare the name and address given with our records and, if they fit, send a "
            "letter with a one-time code to the address on file."
        ),
        legal_basis=RIGHTS_BASIS,
        data=gettext_lazy(
            "The name and postal address you give, the record they fit, when the letter was "
            "printed and by whom, the code as a keyed one-way hash, its expiry and the number "
            "of wrong codes entered."
        ),
        data_subjects=(PORTAL_USERS,),
        _retention=_claim_retention,
    ),
    Activity(
        key="lockout",
        name=gettext_lazy("Lockout records"),
        purpose=gettext_lazy(
            "Protecting accounts from password guessing: after repeated failed attempts the "
            "account is locked for a while."
        ),
        legal_basis=SECURITY_BASIS,
        data=gettext_lazy(
            "The login typed, the IP address, the browser and the time of each failed "
            "password or second-factor attempt."
        ),
        data_subjects=(PORTAL_USERS, STAFF),
        _retention=_lockout_retention,
    ),
    Activity(
        key="audit",
        name=gettext_lazy("The audit trail"),
        purpose=gettext_lazy(
            "Showing who did what with personal data and when, to you and to the supervisory "
            "authority: views of and changes to register data, requests and decisions, copies "
            "given and sign-ins; and detecting misuse."
        ),
        legal_basis=gettext_lazy(
            "Our legal obligations to be able to demonstrate that we comply and to keep the "
            "data secure (GDPR Art. 6(1)(c), with Art. 5(2), 24 and 32)."
        ),
        data=gettext_lazy(
            "The time, the action, who did it, whose data and which record it concerned, and "
            "its details (such as the old and new values of a change; for sign-in events the "
            "email address, IP address and login)."
        ),
        data_subjects=(
            gettext_lazy("everyone whose data the registers hold"),
            PORTAL_USERS,
            STAFF,
        ),
        _retention=_audit_retention,
    ),
)


def security_measures() -> list[str]:
    """Art. 32 measures of the running system, in the active language (Art. 30(1)(g))."""
    measures = [
        _(
            "Staff sign in with a password and a second factor (TOTP, with recovery codes); no "
            "staff page or admin page opens without it."
        ),
        _(
            "Roles with least privilege: only the contact person for register matters and "
            "administrators handle requests; only register maintainers edit register data "
            "directly, and every change is audited with its old and new values."
        ),
        _(
            "Customers sign in with a one-time code sent to a confirmed email address, or with "
            "their web-shop password; passwords are stored only as salted hashes."
        ),
        _(
            "After %(limit)d failed passwords an account is locked for %(hours)s hours, and so "
            "is a staff member's second factor; sign-in codes and failed attempts are also "
            "rate-limited."
        )
        % {
            "limit": settings.AXES_FAILURE_LIMIT,
            "hours": _hours(settings.AXES_COOLOFF_TIME * 3600),
        },
        _(
            "Sessions end after %(idle)d minutes without activity and after %(hours)s hours at "
            "most; cookies are HttpOnly and SameSite."
        )
        % {
            "idle": _minutes(settings.SESSION_IDLE_TIMEOUT),
            "hours": _hours(settings.SESSION_MAX_AGE),
        },
        _(
            "Views of and changes to register data, requests, decisions, copies and sign-ins "
            "are written to an audit trail whose events are chained by hashes, so that a "
            "changed or removed event is detected (manage.py verify_audit)."
        ),
        _(
            "In production the portal is served only over HTTPS (TLS, with HSTS), with secure "
            "cookies; the portal refuses to start in production without its secret settings."
        ),
        _(
            "A strict Content Security Policy (no inline or third-party scripts), and pages "
            "that may not be framed."
        ),
        _(
            "People who objected to marketing or were erased are kept out of marketing by a "
            "keyed one-way hash of their address, from which the address cannot be read."
        ),
        _(
            "Retention periods are carried out by a daily job (manage.py apply_retention), "
            "which deletes or anonymises each record when its period ends."
        ),
    ]
    return measures
