"""The login throttle's authentication backend."""

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, skipped when authenticate() is called without a request.

    Both login pages (ours and the admin's) pass the request, so every attempt from outside is counted.
    Only code inside the process calls without one (the test client's login(), a shell): there is no address
    to count it against, and axes' own backend would raise instead of letting ModelBackend answer.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs
    ):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
