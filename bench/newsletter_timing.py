"""Does the newsletter's subscribe form take the same time for a subscribed and a new address?

Runs against the development database (run `make run` or `manage.py load_demo` first), with
mail kept in memory and rate limits off so that repeated requests are measured, not refused.
Usage: .venv/bin/python bench/newsletter_timing.py [rounds]
"""

import sys

from sign_in_timing import compare  # sets Django up for the development database

from portal.models import NewsletterSubscription


def main(rounds: int) -> None:
    subscribed = list(
        NewsletterSubscription.objects.filter(status="confirmed").values_list("email", flat=True)
    )
    if not subscribed:
        sys.exit("No confirmed subscriptions: run `python manage.py load_demo` first.")
    compare("/fi/newsletter/", subscribed, ("subscribed", "new"), rounds)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
