"""`register|recipients`: a register's declared recipients, ready to show in a template."""

from django import template

from portal.registers.recipients import Kind, register_recipients

register = template.Library()


@register.filter(name="recipients")
def recipients(declaration):
    return register_recipients(declaration)


@register.filter(name="processor_names")
def processor_names(declaration):
    """The names of the processors that hold a register's data on our behalf."""
    return [r.name for r in declaration.recipient_list if r.kind == Kind.PROCESSOR]
