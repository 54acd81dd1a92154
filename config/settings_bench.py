"""Benchmark settings: the production settings plus a URLconf that adds the framework-floor view.

The floor view lives only in bench/urls.py, so production has no extra route. Hosts cover the test client
(`testserver`) and the load test's gunicorn on 127.0.0.1.
"""

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, INSTALLED_APPS, LOGGING

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "127.0.0.1", "localhost"]
# The harness's test client and the load test's gunicorn both speak plain http on this machine.
SECURE_SSL_REDIRECT = False
if "devdata" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "devdata"]  # seed_scale builds the data it measures
# The benchmarks print their JSON on stdout: log lines (logins, jobs) go to stderr beside the progress.
LOGGING = {**LOGGING, "handlers": {**LOGGING["handlers"]}}
LOGGING["handlers"]["console"] = {**LOGGING["handlers"]["console"], "stream": "ext://sys.stderr"}
