# Swedish as written in Finland: 30.11.2026, as in Finnish (Django's default is Sweden's ISO).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = "j F Y H.i"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
