from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from units.page_cache import communes_changed_by, raise_versions

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class DataVersionMiddleware:
    """After every write request, mark the communes its author may have changed as changed.

    One place for every form, review action, import and admin edit, instead of a call in each service that
    a new one could forget; a request that changed nothing only costs the next page view a cache miss.
    Services commit before the view returns, so a page rendered after this sees the new data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        # Logging in or out writes no commune data: only a request signed in before and after it counts.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in and request.user.is_authenticated:
            raise_versions(communes_changed_by(request.user))
        return response
