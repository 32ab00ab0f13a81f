"""The data subject's rights as the portal states them (the notice, my-data and the extract),
kept in one list so that every place says the same."""

from django.utils.translation import gettext_lazy as _

RIGHTS = (
    (
        _("Right of access (GDPR Art. 15)"),
        _(
            "See in the portal what each register holds about you and why, and download it "
            "as a PDF register extract."
        ),
    ),
    (
        _("Right to data portability (Art. 20)"),
        _("Download the data you have given us as a machine-readable JSON file."),
    ),
    (
        _("Right to rectification (Art. 16)"),
        _(
            "Correct your name, address, phone, email and other details in the portal; we "
            "check the change and apply it without undue delay."
        ),
    ),
    (
        _("Right to erasure (Art. 17)"),
        _(
            "Ask for your data to be erased. Data that the law requires us to keep (such as "
            "invoices under the Accounting Act) is kept until the end of its retention "
            "period, and we tell you until when."
        ),
    ),
    (
        _("Right to restriction of processing (Art. 18)"),
        _(
            "Ask us to restrict the use of your data, for example while we check whether it "
            "is accurate."
        ),
    ),
    (
        _("Right to object to direct marketing (Art. 21)"),
        _(
            "Forbid postal marketing, forbid disclosing your name and address to partners, "
            "or unsubscribe from the newsletter. A direct-marketing objection takes effect "
            "immediately."
        ),
    ),
    (
        _("Right to withdraw consent (Art. 7(3))"),
        _(
            "Where we rely on your consent (the newsletter), you may withdraw it at any time; "
            "this does not affect what was done before."
        ),
    ),
    (
        _("Right to be told who received corrections and erasures (Art. 19)"),
        _(
            "When we correct, erase or restrict your data, we tell the recipients who "
            "received it, and on request we tell you who they are."
        ),
    ),
)
