"""`{% portal_rights as rights %}`: the data subject's rights (portal/rights.py) for a template."""

from django import template

from portal.rights import RIGHTS

register = template.Library()


@register.simple_tag
def portal_rights():
    return RIGHTS
