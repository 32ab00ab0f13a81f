from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from portal.controller import CONTROLLER


def portal(request):
    current = get_language()
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {"controller": CONTROLLER, "language_links": languages, "debug_mode": settings.DEBUG}
