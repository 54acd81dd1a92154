"""The application's URLs plus the framework floor: a trivial page behind login, through every middleware.

Each page's time is read as a ratio to this floor measured in the same run, which cancels most of the noise
of a shared machine. The floor renders a template from a string: the template engine is part of the cost
every page pays, the project's layout (base.html) is not.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

_FLOOR = engines["django"].from_string(
    '<!doctype html><html lang="vi"><title>{{ title }}</title><p>{{ user.get_username }}</p></html>'
)


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_FLOOR.render({"title": "Sàn đo"}, request))


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *app_urlpatterns]
