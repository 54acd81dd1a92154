"""A job's claim on a piece of work, so that it runs once however many servers queue it.

Every server may run celery beat (a province need not pick one), so each daily job is queued once per beat.
The first run to claim the day does the work; the others find the claim and stop. The claim is a key added
to the default cache, which is Redis in production (REDIS_URL): Redis adds a key only if it is absent, in one
step, for every server at once. It expires by itself, so a run killed mid-way blocks the work only until then.
"""

import uuid

from django.core.cache import cache


def claim(name: str, *, seconds: int) -> bool:
    """True if this run now holds `name` (for `seconds`), False if another run holds it."""
    return cache.add(f"jobs:claim:{name}", uuid.uuid4().hex, timeout=seconds)


def release(name: str) -> None:
    """Give the work back (the run failed), so a retry or the next run may claim it."""
    cache.delete(f"jobs:claim:{name}")
