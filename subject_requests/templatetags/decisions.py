"""A request's decision in the reader's language: `request|decision_text` for emails and
`{% decision_html request %}` for pages, where staff's own words carry the language they
wrote them in (a lang attribute, and for staff a small visible tag)."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from subject_requests.decisions import decision_parts
from subject_requests.decisions import decision_text as text

register = template.Library()


@register.filter(name="decision_text")
def decision_text(request) -> str:
    return text(request)


def language_tag(language: str, *, tag: bool):
    """A small visible marker of the language staff wrote in, for staff."""
    if not tag:
        return ""
    if not language:
        return format_html(
            ' <span class="tag lang-tag lang-unknown" title="{}">?</span>',
            _("language not known"),
        )
    return format_html(
        ' <span class="tag lang-tag" title="{}">{}</span>',
        _("written in this language"),
        language,
    )


@register.simple_tag
def decision_html(request, tag=False):
    """The decision as HTML: the portal's words in the active language; staff's own words
    in a span with their language (lang attribute) and, with `tag`, a visible marker."""
    parts = decision_parts(request)
    html = []
    if parts.before:
        html.append(format_html("{}", parts.before))
    if parts.free:
        free = linebreaksbr(parts.free, autoescape=True)
        if parts.language:
            html.append(format_html('<span lang="{}">{}</span>', parts.language, free))
        else:
            html.append(free)
        html[-1] = format_html("{}{}", html[-1], language_tag(parts.language, tag=tag))
    if parts.after:
        html.append(format_html("{}", parts.after))
    return format_html_join(" ", "{}", ((part,) for part in html))


@register.simple_tag
def free_text_html(value, language, tag=False):
    """Staff's own words (e.g. the reason for an extension) with the language they wrote in."""
    if not value:
        return ""
    if language:
        body = format_html('<span lang="{}">{}</span>', language, value)
    else:
        body = format_html("{}", value)
    return format_html("{}{}", body, language_tag(language, tag=tag))
