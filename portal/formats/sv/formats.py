# Swedish as written in Finland: 30.11.2026 kl. 16.47 (Django's default is Sweden's ISO dates).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = r"j F Y \k\l. G.i"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l. G.i"
