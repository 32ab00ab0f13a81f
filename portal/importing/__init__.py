"""Loading register data from CSV files (the `import_register` command).

    register_import(register="billing", rows=csv_rows, dry_run=False, source="billing.csv")

checks every row first and raises ImportInvalid listing every problem, having written
nothing; otherwise it writes the whole file and its audit event in one transaction.
"""

from portal.importing.formats import ImportFormat, get_format
from portal.importing.rows import RowError
from portal.importing.service import ImportInvalid, ImportResult, register_import

__all__ = [
    "ImportFormat",
    "ImportInvalid",
    "ImportResult",
    "RowError",
    "get_format",
    "register_import",
]
