"""Production's shape under load: nginx over two gunicorn servers sharing the page cache and sessions on
Redis, and a Celery worker making report files; prints one JSON object.

`python -m bench.loadcluster [--duration 30] [--connections 20] [--approvals 5] [--redis-db 12]` against the
database DATABASE_URL names (the scale data). wrk opens My work (qm001.canbo) and the commune dashboard
(qm001.lanhdao) through nginx, with the page cache on Redis and then off; then the leader approves reports
through nginx: the approval's answer time and the time until the worker has stored both files (polled as the
report page does). The Redis db is flushed before and after; every process started is stopped.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.loadtest import ROOT, _check, _free_port, _gunicorn, _session_cookie, _wrk

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=30, help="seconds per URL (default 30)")
    parser.add_argument("--connections", type=int, default=20, help="open connections (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument("--approvals", type=int, default=5, help="reports approved (default 5)")
    parser.add_argument("--redis-db", type=int, default=12, help="a Redis db of the bench's own (flushed)")
    args = parser.parse_args()
    if shutil.which("wrk") is None or not Path(NGINX).exists():
        print("wrk or nginx is missing: bash scripts/system-deps.sh", file=sys.stderr)
        return 2

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_bench")
    redis = f"redis://127.0.0.1:6379/{args.redis_db}"
    # The servers and the worker share these; the approved files go to a folder removed afterwards.
    media = tempfile.TemporaryDirectory(prefix="cds-bench-media-")
    os.environ.update(REDIS_URL=redis, CELERY_TASK_ALWAYS_EAGER="0", MEDIA_ROOT=media.name)
    import django

    django.setup()
    from django.urls import reverse

    from units.models import Commune

    commune = Commune.objects.get(code="QM001", province__code="QM")
    targets = {
        "my_work (qm001.canbo)": (reverse("tracking:my_work"), _session_cookie("qm001.canbo")),
        "commune_dashboard (qm001.lanhdao)": (
            reverse("dashboards:commune", args=[commune.pk]),
            _session_cookie("qm001.lanhdao"),
        ),
    }
    results: dict[str, dict] = {
        "server": {
            "shape": "nginx → 2 gunicorn, page cache and sessions on Redis, 1 Celery worker",
            "gunicorn_workers_per_server": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
        }
    }
    _flush(args.redis_db)
    try:
        for label, env in (("", {}), (", page cache off", {"PAGE_CACHE_SECONDS": "0"})):
            with _cluster(args.workers, env) as base:
                for name, (path, cookie) in targets.items():
                    _check(base + path, cookie)
                    _wrk(base + path, cookie, duration=3, connections=args.connections)  # warm up
                    result = _wrk(base + path, cookie, args.duration, args.connections)
                    results[f"nginx {name}{label}"] = {"url": path, **result}
        with _cluster(args.workers, {}) as base, _worker():
            results["approval with the files made by the worker"] = _approvals(base, args.approvals)
    finally:
        _flush(args.redis_db)
        media.cleanup()
    print(json.dumps(results, ensure_ascii=False, indent=2))
    failed = any(r.get("errors") or r.get("requests") == 0 for r in results.values())
    return 1 if failed else 0


def _flush(db: int) -> None:
    subprocess.run(["redis-cli", "-n", str(db), "FLUSHDB"], check=True, capture_output=True)  # noqa: S603, S607


@contextlib.contextmanager
def _cluster(workers: int, env: dict[str, str]) -> Iterator[str]:
    """Two gunicorn servers and nginx balancing them on a free port; all stopped whatever happens."""
    with (
        _gunicorn(workers, **env) as first,
        _gunicorn(workers, **env) as second,
        _nginx([first, second]) as base,
    ):
        yield base


@contextlib.contextmanager
def _nginx(upstreams: list[str]) -> Iterator[str]:
    port = _free_port()
    servers = "\n".join(f"server {url.removeprefix('http://')};" for url in upstreams)
    with tempfile.TemporaryDirectory(prefix="cds-bench-nginx-") as work:
        os.chmod(work, 0o755)  # noqa: S103 - nginx workers read their temp paths here
        user = "user root;" if os.geteuid() == 0 else ""
        config = Path(work) / "nginx.conf"
        config.write_text(
            f"""{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    upstream cds_xa_app {{ {servers} keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://cds_xa_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
""",
            encoding="utf-8",
        )
        server = subprocess.Popen(  # noqa: S603 - the system's nginx with the config written above
            [NGINX, "-p", work, "-c", str(config), "-g", "daemon off;"], start_new_session=True
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base, server)
            yield base
        finally:
            _stop(server)


@contextlib.contextmanager
def _worker() -> Iterator[None]:
    worker = subprocess.Popen(  # noqa: S603 - our own venv's celery, fixed arguments
        [str(Path(sys.executable).with_name("celery")), "-A", "config", "worker", "--concurrency=1"],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        _stop(worker)


def _wait_for(base: str, process: subprocess.Popen, seconds: int = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{base}: the process stopped with code {process.returncode}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + "/dang-nhap/", timeout=5).close()  # noqa: S310 - our own server
            return
        time.sleep(0.2)
    raise SystemExit(f"{base} did not answer within {seconds} s")


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _approvals(base: str, count: int) -> dict:
    """Submitted reports of finished periods approved by the leader through nginx: the answer's time, and
    the time until the report is approved with both files stored."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from plans.models import Plan
    from reports import selectors, services
    from reports.models import ReportStatus

    users = get_user_model().objects
    reviewer, leader = users.get(username="qm001.thamdinh"), users.get(username="qm001.lanhdao")
    plan = Plan.objects.filter(commune__code="QM001").order_by("pk").first()
    today = timezone.localdate()
    periods = (
        selectors.report_periods(plan)
        .filter(end__lt=today)
        .exclude(reports__plan=plan)
        .order_by("-end")[:count]
    )
    cookie = _session_cookie(leader.username)
    answers, ready = [], []
    for number, period in enumerate(periods, start=900):
        report = services.report_create(plan=plan, period=period, actor=reviewer, today=today)
        services.report_update(
            report=report, actor=reviewer, number=str(number), signer_name="Nguyễn Văn Quy Mô", today=today
        )
        services.report_submit(report=report, actor=reviewer, today=today)
        detail = base + reverse("reports:detail", args=[report.pk])
        page, csrf = _get(detail, cookie)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "number": str(number),
            "report_date": f"{today:%d/%m/%Y}",
            "signer_authority": report.signer_authority,
            "signer_title": report.signer_title or "CHỦ TỊCH",
            "signer_name": "Nguyễn Văn Quy Mô",
        }
        started = time.monotonic()
        _post(base + reverse("reports:approve", args=[report.pk]), f"{cookie}; {csrf}", form, detail)
        answers.append(time.monotonic() - started)
        status = base + reverse("reports:files_status", args=[report.pk])
        while not _files_done(status, cookie):
            if time.monotonic() - started > 300:
                raise SystemExit(f"report {report.pk}: no files after 300 s")
            time.sleep(0.1)
        ready.append(time.monotonic() - started)
        report.refresh_from_db()
        if report.status != ReportStatus.APPROVED:
            raise SystemExit(f"report {report.pk}: {report.status} {report.render_error}")
    return {
        "approvals": len(answers),
        "answer_median_ms": round(statistics.median(answers) * 1000, 1),
        "answer_max_ms": round(max(answers) * 1000, 1),
        "files_ready_median_s": round(statistics.median(ready), 2),
        "files_ready_max_s": round(max(ready), 2),
    }


def _get(url: str, cookie: str) -> tuple[str, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - our own server
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        csrf = next(
            (
                c.split(";")[0]
                for c in response.headers.get_all("Set-Cookie") or []
                if c.startswith("csrftoken")
            ),
            "",
        )
        return response.read().decode(), csrf


def _post(url: str, cookie: str, form: dict, referer: str) -> None:
    from urllib.parse import urlencode

    request = urllib.request.Request(  # noqa: S310 - our own server
        url,
        data=urlencode(form).encode(),
        headers={"Cookie": cookie, "Referer": referer, "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - follows to the report page
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status}")


def _files_done(url: str, cookie: str) -> bool:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - our own server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.headers.get("HX-Refresh") == "true"


if __name__ == "__main__":
    raise SystemExit(main())
