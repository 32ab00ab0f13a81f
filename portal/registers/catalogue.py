"""Every model the declarations keep personal data in: each register's records and the events
held under them. Roles, the admin and the audit trail take their list from here, so a
register declared later is covered without being named anywhere else.

Only labels and lookups are read here (no model classes), so the list is there before the
app registry is ready, e.g. when the role permissions are defined.
"""

from dataclasses import dataclass

from portal.registers import REGISTERS
from portal.registers.base import Register, RelatedSpec


@dataclass(frozen=True)
class DeclaredModel:
    label: str  # "app_label.ModelName", as the declaration writes it
    register: Register
    related: RelatedSpec | None  # None for the register's own records
    subject_path: str  # ORM lookup from this model to its DataSubject

    @property
    def app_label(self) -> str:
        return self.label.partition(".")[0]

    @property
    def model_name(self) -> str:
        """Django's model_name (the class name in lower case), e.g. for permission codenames."""
        return self.label.partition(".")[2].lower()


def declared_models(registers: tuple[Register, ...] = REGISTERS) -> tuple[DeclaredModel, ...]:
    found: list[DeclaredModel] = []
    for register in registers:
        # Every register record points at its subject (portal.models.RegisterRecord).
        found.append(DeclaredModel(register.model, register, None, "subject"))
        found += [
            DeclaredModel(related.model, register, related, f"{related.path}__subject")
            for related in register.related
        ]
    return tuple(found)


DECLARED_MODELS = declared_models()
# By lower-case label, as Model._meta.label_lower gives it.
SUBJECT_PATHS = {declared.label.lower(): declared.subject_path for declared in DECLARED_MODELS}
