"""A fifth register that exists only in the tests (portal/settings_test.py installs it).

It proves issue #10's promise: a register declared in one place (registers.py here, plus its
model and one line in PORTAL_REGISTERS) is served by the notice, my-data, the extract, the
export, the requests, import, erasure, retention, roles and the admin with no other edit.
Its texts are plain English, on purpose: it is never shown to anyone outside the tests, so
the portal's catalogues do not carry them (tests/test_register_declarations.py says so).
"""
