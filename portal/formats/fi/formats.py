# Finnish as Django has it, with the time as Finns write it: 30.11.2026 klo 16.47.
DATE_FORMAT = "j. E Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = r"j. E Y \k\l\o G.i"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l\o G.i"
