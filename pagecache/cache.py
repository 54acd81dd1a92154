"""Rendered page bodies, kept until the data they show changes or the day turns.

Every commune carries `data_version`. Each write request raises it for the communes its author may have
changed, in the same transaction as the write (pagecache.middleware.DataVersionMiddleware; a POST that writes
nothing is marked `writes_nothing`), and so do the commands that write outside a request. A page
body is stored under the user, the URL, today's date and the versions of the communes it shows: after a
change the next request misses and renders afresh, so no entry is ever deleted by hand. The versions live in
the database, so every worker process agrees on them whatever backend holds the bodies (by default each
gunicorn worker's own memory).
"""

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from units.models import Commune, Province
from units.scope import scope_for

PAGES = "pages"  # the cache alias in settings.CACHES


def raise_versions(communes: QuerySet[Commune]) -> int:
    """Mark these communes' data as changed: every body cached for them is stale from now on."""
    return communes.update(data_version=F("data_version") + 1)


def communes_changed_by(request: HttpRequest) -> QuerySet[Commune]:
    """Every commune a write request may have touched.

    Superusers act in any commune, and staff may change any row through the admin site; province viewers
    may change province-wide periods, and province administrators any commune of their provinces (its
    units, people, the commune itself); everyone else only the communes they are a member of.
    """
    user = request.user
    match = request.resolver_match
    if user.is_superuser or (user.is_staff and match is not None and match.app_name == "admin"):
        return Commune.objects.all()
    scope = scope_for(user)
    provinces = scope.province_ids | scope.admin_province_ids
    return Commune.objects.filter(Q(pk__in=scope.member_commune_ids) | Q(province_id__in=provinces))


def writes_nothing(view: Callable) -> Callable:
    """Mark a view that answers POST without changing any data (a live preview): it keeps pages cached."""
    view.writes_nothing = True
    return view


def version_of(communes: Iterable[Commune]) -> str:
    """The cache version of a page showing these communes (as loaded by this request)."""
    return ",".join(f"{commune.pk}.{commune.data_version}" for commune in communes)


def with_versions(provinces: QuerySet[Province]) -> QuerySet[Province]:
    """Provinces carrying what `province_version` needs, read in the same query as the province itself."""
    return provinces.annotate(
        commune_count=Count("communes"),
        last_commune=Max("communes"),
        versions_total=Sum("communes__data_version"),
    )


def province_version(province: Province) -> str:
    """The cache version of a page showing every commune of a province (loaded through `with_versions`).

    Versions only ever rise, so the sum changes whenever any commune's data does; a commune added after one
    was deleted could give the same count and sum, never the same last pk.
    """
    return f"p{province.pk}.{province.commune_count}.{province.last_commune}.{province.versions_total or 0}"


def cached_body(
    request: HttpRequest, template_name: str, version: str, build: Callable[[], dict]
) -> SafeString:
    """The page body `template_name` renders from `build()`, from the cache when nothing changed since.

    `build` runs only on a miss, so a view passes its whole data gathering as `build`. A body must not hold a
    CSRF token: stored, it would hand one session's token to another request; the page around it adds one.
    """
    if not settings.PAGE_CACHE_SECONDS:
        return _render(request, template_name, build)
    parts = [template_name, str(request.user.pk), version, timezone.localdate().isoformat()]
    key = "page:" + hashlib.sha256("|".join([*parts, request.get_full_path()]).encode()).hexdigest()
    store = caches[PAGES]
    body = store.get(key)
    if body is None:
        body = _render(request, template_name, build)
        store.set(key, body, settings.PAGE_CACHE_SECONDS)
    return body


# What a body gets for `csrf_token` instead of this request's: finding it in the output means the template
# uses the token (a form's tag, an htmx header), which a stored body would hand to other requests.
_NO_CSRF_TOKEN = "no-csrf-token-in-cached-bodies"  # noqa: S105 - a marker, not a secret


def _render(request: HttpRequest, template_name: str, build: Callable[[], dict]) -> SafeString:
    body = render_to_string(template_name, {**build(), "csrf_token": _NO_CSRF_TOKEN}, request=request)
    if _NO_CSRF_TOKEN in body or "csrfmiddlewaretoken" in body:
        raise ImproperlyConfigured(f"{template_name} renders a CSRF token: it cannot be cached.")
    return mark_safe(body)  # noqa: S308 - our own template's output, escaped when it was rendered
