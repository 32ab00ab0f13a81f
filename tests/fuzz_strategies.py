"""Hypothesis strategies for the form fuzz tests: what a browser, a script or an attacker
might put in a form, and the body that carries it."""

from urllib.parse import quote, quote_from_bytes

from hypothesis import strategies as st

# Markup that must only ever come back escaped. Each piece carries "fz", so that none can
# match the page's own markup.
HTML = (
    "<script>fz()</script>",
    "<img src=x onerror=fz()>",
    '"><svg onload=fz()>',
    "'><a href=javascript:fz()>fz</a>",
    "</textarea><script>fz()</script>",
    "<!--fz--><b fz>",
)
SQL = (
    "' OR '1'='1",
    "'; DROP TABLE subject_requests_datarequest; --",
    '" OR 1=1 --',
    "1); SELECT pg_sleep(5); --",
    "%' AND 1=1 --",
    "\\",
    "_%",
)
# Controls, direction marks and overrides, joiners, a BOM, a non-character, astral and
# combining characters, and letters that change under case folding.
SPECIAL = (
    "\x00",
    "\x1b[2J",
    "\x0b",
    "\x7f",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u200e",
    "\ufeff",
    "\uffff",
    "\u200d",
    "👩‍👩‍👧",
    "𝕏",
    "e\u0301",
    "\r\n",
    "\t",
    "ı",
    "İ",
    "ß",
)

_fragment = st.one_of(
    st.sampled_from(HTML),
    st.sampled_from(SQL),
    st.sampled_from(SPECIAL),
    st.text(max_size=20),
    # Lone surrogates: no UTF-8 encoder makes them, but a script can send their bytes.
    st.characters(categories=["Cs"]),
)
_long = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["a", "ä", "👩‍👩‍👧", "<", "\x00", "9"]),
    st.integers(min_value=150, max_value=20_000),
)
text = st.one_of(st.lists(_fragment, max_size=6).map("".join), _long)


def either(*usual: str) -> st.SearchStrategy[str]:
    """Mostly a value the form expects (so the fuzzing reaches past validation), or text."""
    return st.one_of(st.sampled_from(usual), text)


def fields(**strategies: st.SearchStrategy[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Form data as (name, value) pairs: each field missing, sent once or sent twice, and
    now and then a field the form does not have."""
    groups = [
        st.lists(strategy, max_size=2).map(lambda values, n=name: [(n, v) for v in values])
        for name, strategy in strategies.items()
    ]
    extra = st.lists(st.tuples(st.sampled_from(["id", "user", "status", "fz"]), text), max_size=1)
    return st.tuples(*groups, extra).map(lambda parts: [pair for part in parts for pair in part])


def _encode(value: str) -> str:
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    """The form body, lone surrogates sent as the (invalid) UTF-8 bytes they would have."""
    return "&".join(f"{quote(name)}={_encode(value)}" for name, value in pairs).encode()


def query(url: str, **params: str) -> str:
    return url + "?" + "&".join(f"{quote(name)}={_encode(value)}" for name, value in params.items())
