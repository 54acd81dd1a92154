"""Who is calling: the client a bearer token belongs to, within its request budget."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from api.models import ApiClient, token_digest
from api.services import api_client_mark_used

WINDOW_SECONDS = 60


class RateLimited(HttpError):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(429, f"Quá {settings.API_RATE_LIMIT_PER_MINUTE} yêu cầu mỗi phút; thử lại sau.")


def check_rate(client_id: int, now: float) -> None:
    """Count the request in the client's current minute; refuse it past the limit.

    A counter per client and minute in the shared cache (Redis in production), so every worker of every
    server counts together; `incr` is atomic there, which a list of timestamps read and written back is not.
    """
    window = int(now // WINDOW_SECONDS)
    key = f"api-rate:{client_id}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count > settings.API_RATE_LIMIT_PER_MINUTE:
        raise RateLimited(retry_after=max(1, math.ceil((window + 1) * WINDOW_SECONDS - now)))


class ClientToken(HttpBearer):
    """`Authorization: Bearer <token>`; a missing, unknown or revoked token is refused with 401."""

    def authenticate(self, request, token: str) -> ApiClient | None:
        if not token:
            return None
        client = ApiClient.objects.active().filter(token_digest=token_digest(token)).first()
        if client is None:
            return None
        check_rate(client.pk, time.time())
        api_client_mark_used(client=client, now=timezone.now())
        return client
