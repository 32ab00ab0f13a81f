"""`request|follow_up_rows`: the recipients told of a decision (Art. 19), ready to show, e.g.
in the decision email."""

from django import template

from subject_requests.follow_up_rows import follow_up_rows as rows

register = template.Library()


@register.filter(name="follow_up_rows")
def follow_up_rows(request):
    return rows(request)
