"""Everything the registers hold about a customer, as one structure, a JSON export and a PDF."""
