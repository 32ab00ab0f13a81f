"""`register|recipients`: a register's declared recipients, ready to show in a template."""

from django import template

from portal.registers.recipients import register_recipients

register = template.Library()


@register.filter(name="recipients")
def recipients(declaration):
    return register_recipients(declaration)
