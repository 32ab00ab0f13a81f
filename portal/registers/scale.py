"""How much fictitious data `manage.py generate_scale_data` makes for a register.

The generator (portal/demo/scale.py) fills every field from its model field (a name for a
name, a date for a date, a number unique per row where the field is unique); a declaration
only says how many records and events there are, and fixes what spans fields (a confirmed
subscription has the time it was confirmed). A register that declares nothing gets
ScaleSpec() below.
"""

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from random import Random
from typing import Any

# (random generator, model label as "app.Model", the row's field values) -> None; it edits
# the values in place. A child event's values carry its parent under the foreign key's name.
Adjust = Callable[[Random, str, MutableMapping[str, Any]], None]


@dataclass(frozen=True)
class ScaleSpec:
    # The share of generated people who have a record in the register.
    share: float = 0.3
    # (related key, mean number of such events under each of its parents), e.g. orders per
    # account and deliveries per order. A related key not named gets one per parent.
    related: tuple[tuple[str, float], ...] = ()
    adjust: Adjust | None = None

    def per_parent(self, key: str) -> float:
        return dict(self.related).get(key, 1.0)
