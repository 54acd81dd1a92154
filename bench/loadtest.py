"""Under load: gunicorn with two workers on 127.0.0.1, wrk sending logged-in requests; prints one JSON object.

`python -m bench.loadtest [--duration 30] [--connections 20]` against the database DATABASE_URL names (the
scale data). It logs in by writing sessions the way Django's login does (no password round trip), checks
that each URL answers 200 to that session (a redirect to the login page would make wrk count fast
non-answers), runs wrk on My work (qm001.canbo) and on the commune dashboard (qm001.lanhdao), then once more
on both with the page cache off (PAGE_CACHE_SECONDS=0: every request renders afresh), and stops gunicorn
whatever happens.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=30, help="seconds per URL (default 30)")
    parser.add_argument("--connections", type=int, default=20, help="open connections (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: bash scripts/system-deps.sh (or apt-get install wrk)", file=sys.stderr)
        return 2

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_bench")
    import django

    django.setup()
    targets = _targets()
    results: dict[str, dict] = {
        "server": {
            "gunicorn_workers": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
        }
    }
    with _gunicorn(args.workers) as base:
        for name, (path, cookie) in targets.items():
            if path is None:
                results[name] = {"skipped": cookie}
                continue
            results[name] = _load(base, path, cookie, args)
    # The same pages with the page cache off: every request renders afresh, as the first view after a change
    # does, so the figures above are not only the cache's.
    with _gunicorn(args.workers, PAGE_CACHE_SECONDS="0") as base:
        for name, (path, cookie) in targets.items():
            if path is not None:
                results[f"{name}, page cache off"] = _load(base, path, cookie, args)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    # Errors, or a URL that completed no request at all within the run, fail the load test.
    failed = any(r.get("errors") or r.get("requests") == 0 for r in results.values())
    return 1 if failed else 0


@contextlib.contextmanager
def _gunicorn(workers: int, **env: str) -> Iterator[str]:
    """Serve the app on a free port for the duration of the block; stopped whatever happens."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
    )
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _load(base: str, path: str, cookie: str, args: argparse.Namespace) -> dict:
    _check(base + path, cookie)
    _wrk(base + path, cookie, duration=3, connections=args.connections)  # warm both workers
    result = {"url": path, **_wrk(base + path, cookie, args.duration, args.connections)}
    _check(base + path, cookie)
    return result


def _targets() -> dict[str, tuple[str | None, str]]:
    """Each case's path and the session cookie of the user who opens it."""
    from django.urls import NoReverseMatch, reverse

    from units.models import Commune

    commune = Commune.objects.get(code="QM001", province__code="QM")
    targets = {"my_work (qm001.canbo)": (reverse("tracking:my_work"), _session_cookie("qm001.canbo"))}
    try:
        dashboard = reverse("dashboards:commune", args=[commune.pk])
    except NoReverseMatch:
        targets["commune_dashboard (qm001.lanhdao)"] = (None, "no URL named dashboards:commune")
    else:
        targets["commune_dashboard (qm001.lanhdao)"] = (dashboard, _session_cookie("qm001.lanhdao"))
    return targets


def _session_cookie(username: str) -> str:
    """A logged-in session as `django.contrib.auth.login` stores it."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
        load_backend,
    )
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    # The backend a password login records: the first one that loads users (the login throttle only refuses).
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with code {server.returncode}")
        try:
            urllib.request.urlopen(base + "/dang-nhap/", timeout=5).close()  # noqa: S310 - our own server
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {base} within {seconds} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check(url: str, cookie: str) -> None:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - our own server
    try:
        status = urllib.request.build_opener(_NoRedirect).open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status} to the benchmark session, not 200")


_LATENCY = re.compile(r"^\s*(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, cookie: str, duration: int, connections: int) -> dict:
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        "--latency",
        f"--header=Cookie: {cookie}",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    """Throughput, latency percentiles and every kind of error from `wrk --latency` output."""
    latency = {pct: round(float(value) * _TO_MS[unit], 1) for pct, value, unit in _LATENCY.findall(output)}
    requests = re.search(r"(\d+) requests in", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    sockets = {}
    if socket_errors:
        sockets = dict(
            zip(["connect", "read", "write", "timeout"], map(int, socket_errors.groups()), strict=True)
        )
    bad = int(non_2xx.group(1)) if non_2xx else 0
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "requests_per_s": float(rate.group(1)) if rate else 0.0,
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx_3xx": bad,
        "socket_errors": sockets,
        "errors": bad + sum(sockets.values()),
    }


if __name__ == "__main__":
    raise SystemExit(main())
