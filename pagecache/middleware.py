from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from pagecache.cache import communes_changed_by, raise_versions

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class DataVersionMiddleware:
    """Mark the communes a write request may have changed as changed, in the same transaction as the write.

    One place for every form, review action, import and admin edit, instead of a call in each service that a
    new one could forget; a request that changed nothing only costs the next page view a cache miss. The
    request runs in one transaction with the version raise, so no reader can see the new data under the old
    version once committed, and a worker killed half-way leaves neither.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        # Logging in or out writes no commune data: only a request signed in before and after it counts.
        signed_in = request.user.is_authenticated
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)  # the person saw an error: keep nothing half-done
            elif signed_in and request.user.is_authenticated and _may_have_written(request, response):
                raise_versions(communes_changed_by(request))
        return response

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs) -> None:
        request.writes_nothing = getattr(view_func, "writes_nothing", False)


def _may_have_written(request: HttpRequest, response: HttpResponse) -> bool:
    """A refused request (4xx) wrote nothing, nor did a view marked `writes_nothing` (a live preview)."""
    return response.status_code < 400 and not getattr(request, "writes_nothing", False)
