from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: a customer (no staff flag) or a member of staff.

    Customers are linked to their data subjects through their verified email addresses,
    never by a stored foreign key, so a record only shows up for someone who has proved
    they own the address on it.
    """

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
