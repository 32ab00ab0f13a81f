"""Processing based on legitimate interest (Art. 6(1)(f)), which the person may object to
(Art. 21(1)); the notice and my-data name it explicitly and separately (Art. 21(4)).

A register declares each such purpose with the fields it uses. An objection restricts the
person's records in the register while staff weigh it (Art. 18(1)(d)); upheld, the
processing stops: the declared fields are cleared on the person's records.
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class LegitimateInterest:
    key: str  # stable code, stored with the decision
    purpose: Promise  # what the processing is for, as the notice gives it
    fields: tuple[str, ...]  # the model fields this processing uses

    def cleared_values(self, register) -> dict:
        """What upholding the objection sets each field to: None where the field may be
        empty (a number), else blank."""
        values = {}
        for name in self.fields:
            model_field = register.model_class._meta.get_field(name)
            values[name] = None if model_field.null else ""
        return values


def objectionable(registers) -> list:
    """The registers that declare processing on legitimate interest."""
    return [register for register in registers if register.legitimate_interests]
