"""gunicorn for cds-xa: `gunicorn -c deploy/gunicorn.conf.py config.wsgi` (deploy/ systemd units).

Every value can be changed by an environment variable of the same name in upper case with a GUNICORN_
prefix (GUNICORN_WORKERS=5), read from the same environment file as the app's settings.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Requests mostly wait on PostgreSQL or render a page in Python: two workers per CPU and one more keeps every
# CPU busy without the memory of many idle processes (each ~100 MB with the page cache on Redis).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A draft report rendered in the request takes a few seconds at most; past a minute something is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker restarts after this many requests (with jitter, not all at once), so slow leaks stay small.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The app is loaded once before forking: a settings error stops the service at start instead of per worker.
preload_app = True
# Access log on stdout (journald), one line per request with its time in microseconds; nginx sets
# X-Forwarded-For, the client's address.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s"'
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
