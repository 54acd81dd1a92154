"""Small request and response plumbing that no installed library provides."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY: the app uses no camera, microphone or location, so no page may."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The address a login attempt came from, as django-axes counts it (AXES_CLIENT_IP_CALLABLE).

    With REVERSE_PROXY_COUNT proxies in front, each appends the address it was reached from to
    X-Forwarded-For, so the client is that many entries from the right; anything further left was written by
    the client and proves nothing. Without proxies, or with a shorter header, the socket's address counts.
    """
    proxies = settings.REVERSE_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
