"""/<lang>/newsletter/…: the newsletter's public pages (portal.views.newsletter)."""

from django.urls import path

from portal.views import newsletter

urlpatterns = [
    path("", newsletter.subscribe, name="newsletter_subscribe"),
    path("sent/", newsletter.sent, name="newsletter_sent"),
    path("confirm/<str:confirmation>/", newsletter.confirm, name="newsletter_confirm"),
    path("unsubscribe/<str:token>/", newsletter.unsubscribe, name="newsletter_unsubscribe"),
    path("unsubscribe/<str:token>/one-click/", newsletter.one_click, name="newsletter_one_click"),
]
