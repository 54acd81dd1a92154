"""What every benchmark case shares: repeated timing, query counts and peak memory, printed as JSON.

A case module is `bench/cases_<topic>.py` with `def run(bench: Bench) -> None` that calls `bench.measure`,
`bench.get` or `bench.page` once per case. Times are wall-clock medians of repeated calls after a warm-up;
these machines are noisy, so compare cases by ratio to the framework floor measured in the same run. Pages
that keep their body in the page cache (pagecache.cache) are measured both ways with `bench.page`.
"""

import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pagecache.cache import PAGES


class Bench:
    def __init__(self, only: str | None = None, repeat: int | None = None) -> None:
        self.only = only
        self.repeat = repeat  # overrides every case's own count (a quick run, or a long one)
        self.results: dict[str, dict[str, Any]] = {}
        self.floor: Callable[[], Any] | None = None

    def use_floor(self, client: Client) -> None:
        """From now on, time the framework floor between the calls of every page measured (`floor_ms`).

        The machine's speed drifts by tens of percent within a run; a page's ratio to a floor timed in the
        same moments moves far less than its ratio to a floor timed once at the start.
        """
        url = reverse("bench_floor")
        self.floor = lambda: client.get(url)

    def wants(self, name: str) -> bool:
        return self.only is None or self.only in name

    def wants_topic(self, topic: str) -> bool:
        """Whether a case named `<topic>...` may run: for `--only reports` and `--only "reports: x"` alike."""
        return self.only is None or self.only in topic or topic in self.only

    def measure(
        self,
        name: str,
        fn: Callable[[], Any],
        *,
        repeat: int = 15,
        warmup: int = 2,
        memory: bool = False,
        extra: dict[str, Any] | None = None,
        interleave_floor: bool = False,
    ) -> dict[str, Any] | None:
        """Time `fn` after a warm-up; count the queries of one call; optionally its peak memory, and the
        floor timed between its calls."""
        if not self.wants(name):
            return None
        repeat = self.repeat or repeat
        for _ in range(warmup):
            fn()
        with CaptureQueriesContext(connection) as queries:
            fn()
        # Read now: `captured_queries` slices the live query log, which every later request clears.
        query_count = len(queries.captured_queries)
        floor = self.floor if interleave_floor else None
        times, floor_times = [], []
        for _ in range(repeat):
            if floor is not None:
                start = time.perf_counter()
                floor()
                floor_times.append((time.perf_counter() - start) * 1000)
            reset_queries()
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        result: dict[str, Any] = {
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(_percentile(times, 95), 1),
            "runs": repeat,
            "queries": query_count,
        }
        if floor_times:
            result["floor_ms"] = round(statistics.median(floor_times), 2)
        if memory:
            tracemalloc.start()
            fn()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result["peak_mb"] = round(peak / 2**20, 1)
        if extra:
            result.update(extra)
        self.results[name] = result
        return result

    def client(self, username: str) -> Client:
        """A test client logged in as `username`, going through the project's whole middleware stack."""
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    def get(
        self,
        name: str,
        client: Client,
        url: str,
        *,
        status: int = 200,
        before: Callable[[], Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        """Measure a GET (after `before()`, if given); a wrong status is an error, never a fast number."""

        def fetch() -> None:
            if before is not None:
                before()
            response = client.get(url)
            if response.status_code != status:
                raise AssertionError(f"{name}: GET {url} answered {response.status_code}, expected {status}")
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)

        return self.measure(name, fetch, interleave_floor=True, **kwargs)

    def page(self, name: str, client: Client, url: str, **kwargs: Any) -> dict[str, Any] | None:
        """A page twice: from the page cache, as it is read while nothing changes (the figures), and rendered
        afresh, as the first view after any change in the commune is (`cold_*`: the cache emptied first)."""
        warm = self.get(name, client, url, **kwargs)
        if warm is None:
            return None
        cold = self.get(f"{name} [cold]", client, url, before=caches[PAGES].clear, **kwargs)
        del self.results[f"{name} [cold]"]
        warm.update(
            {
                f"cold_{key}": cold[key]
                for key in ("median_ms", "p95_ms", "queries", "floor_ms")
                if key in cold
            }
        )
        return warm


def _percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]
