"""Every URL pattern the resolver knows, as endpoints the access walk can visit.

The list comes from get_resolver(), never from a hand-kept list, so a new pattern shows up
here by itself and the walk fails until someone says who may open it.
"""

import fnmatch
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from django.utils import translation

LANG = "en"
_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _piece(pattern) -> str:
    """One pattern's share of the route, with "{lang}/" for the language prefix."""
    if isinstance(pattern, LocalePrefixPattern):
        return "{lang}/"
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$")
    return text


@dataclass(frozen=True)
class Endpoint:
    key: str  # "name", "namespace:name", or "route:<route>" for an unnamed pattern
    route: str  # e.g. "{lang}/staff/requests/<uuid:public_id>/"
    callback: object

    @property
    def params(self) -> list[str]:
        regex_params = _REGEX_PARAM.findall(self.route)
        return regex_params + _ROUTE_PARAM.findall(_REGEX_PARAM.sub("", self.route))

    @property
    def model_admin(self):
        """The ModelAdmin behind an admin view (Django sets it on its wrapper), or None."""
        return getattr(self.callback, "model_admin", None)

    def path(self, values: dict[str, str], lang: str = LANG) -> str:
        missing = set(self.params) - set(values)
        if missing:
            raise KeyError(f"{self.key}: no value for {sorted(missing)}")
        path = self.route.replace("{lang}", lang)
        path = _REGEX_PARAM.sub(lambda m: str(values[m.group(1)]), path)
        path = _ROUTE_PARAM.sub(lambda m: str(values[m.group(1)]), path)
        return "/" + path

    def reaches_own_view(self, path: str) -> bool:
        """False when an earlier pattern answers this path (e.g. the admin's login page)."""
        path = path.split("?")[0]
        with translation.override(path.split("/")[1]):
            return resolve(path).func is self.callback

    def matches(self, glob: str) -> bool:
        return fnmatch.fnmatchcase(self.key, glob)


def _walk(patterns, prefix="", namespaces=()):
    for entry in patterns:
        route = prefix + _piece(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            key = ":".join((*namespaces, entry.name)) if entry.name else f"route:{route}"
            yield Endpoint(key=key, route=route, callback=entry.callback)


def endpoints() -> list[Endpoint]:
    return list(_walk(get_resolver().url_patterns))
