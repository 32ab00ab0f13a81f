"""Whether a person must provide the data, and what follows if they do not (GDPR Art.
13(2)(e)), declared per register (`Register.provision`) and for the portal's own processing
(portal/processing.py); the notice and the record of processing activities read it.

The requirement is a code, shown in the reader's language; the consequence is the
declaration's own text.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Requirement:
    STATUTORY = "statutory"
    CONTRACT = "contract"
    VOLUNTARY = "voluntary"

    labels = {
        STATUTORY: _("Providing the data is required by law."),
        CONTRACT: _(
            "Providing the data is a requirement for entering into the contract with us; no "
            "law obliges you to provide it."
        ),
        VOLUNTARY: _(
            "Providing the data is voluntary: neither the law nor a contract requires it."
        ),
    }


@dataclass(frozen=True)
class Provision:
    requirement: str
    consequence: Promise | str

    def __post_init__(self):
        if self.requirement not in Requirement.labels:
            raise ValueError(f"Unknown requirement {self.requirement!r}.")

    @property
    def requirement_text(self):
        return Requirement.labels[self.requirement]
