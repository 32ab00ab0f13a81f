"""Staff pages for the request queue, under /<lang>/staff/."""

from django.urls import path

from accounts import staff

urlpatterns = [
    path("", staff.staff_home, name="staff_home"),
]
