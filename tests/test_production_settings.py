"""config.settings read from the environment (issue 18): each case starts a fresh interpreter with its own
variables, as a server would, and reads back what Django was configured with."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://cds@127.0.0.1:5432/unused"  # never connected to: only settings are read
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 50,
    "ALLOWED_HOSTS": "cds.example.gov.vn",
    "DATABASE_URL": POSTGRES,
}
READ_SETTINGS = """
import json, logging, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "caches": {alias: c["BACKEND"].rsplit(".", 1)[-1] for alias, c in s.CACHES.items()},
    "cache_locations": sorted({c.get("LOCATION", "") for c in s.CACHES.values()}),
    "sessions": s.SESSION_ENGINE,
    "storages": {alias: st["BACKEND"] for alias, st in s.STORAGES.items()},
    "media_options": s.STORAGES["default"].get("OPTIONS", {}),
    "csrf_trusted_origins": s.CSRF_TRUSTED_ORIGINS,
    "proxy_ssl_header": s.SECURE_PROXY_SSL_HEADER,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": s.SECURE_HSTS_SECONDS,
    "broker": s.CELERY_BROKER_URL,
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "log_handlers": sorted(type(handler).__name__ for handler in logging.getLogger().handlers),
}))
"""


def _run(code: str, **variables: str) -> subprocess.CompletedProcess:
    keep = {"PATH", "HOME", "LANG"}
    env = {name: value for name, value in os.environ.items() if name in keep}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **variables})
    return subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def _settings(**variables: str) -> dict:
    result = _run(READ_SETTINGS, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_debug_off_refuses_sqlite_with_a_clear_message(tmp_path):
    result = _run(READ_SETTINGS, **{**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_URL must name a PostgreSQL database when DEBUG is off" in result.stderr


def test_debug_off_refuses_the_sqlite_default_too():
    result = _run(READ_SETTINGS, **{k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"})

    assert result.returncode != 0 and "must name a PostgreSQL database" in result.stderr


def test_development_default_needs_no_other_service(tmp_path):
    found = _settings(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert found["caches"] == {"default": "LocMemCache", "pages": "LocMemCache"}
    assert found["sessions"] == "django.contrib.sessions.backends.db"
    assert found["storages"] == {
        "default": "django.core.files.storage.FileSystemStorage",
        "staticfiles": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    assert found["eager"] is True and found["broker"] == "memory://"
    assert found["ssl_redirect"] is False and found["proxy_ssl_header"] is None


def test_redis_url_shares_page_cache_sessions_and_the_job_queue():
    found = _settings(**PRODUCTION, REDIS_URL="redis://127.0.0.1:6379/3")

    assert found["caches"] == {"default": "RedisCache", "pages": "RedisCache"}
    assert found["cache_locations"] == ["redis://127.0.0.1:6379/3"]
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert found["broker"] == "redis://127.0.0.1:6379/3"
    assert found["eager"] is False, "with a broker and DEBUG off, jobs go to the worker"


def test_debug_on_runs_jobs_in_the_request_even_with_redis(tmp_path):
    found = _settings(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db'}", REDIS_URL="redis://h:6379/1")

    assert found["eager"] is True


def test_production_static_files_are_hashed_and_compressed_and_media_stay_local_without_s3():
    found = _settings(**PRODUCTION)

    assert found["storages"] == {
        "default": "django.core.files.storage.FileSystemStorage",
        "staticfiles": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    assert found["caches"] == {"default": "LocMemCache", "pages": "LocMemCache"}


def test_s3_variables_put_media_in_any_s3_compatible_store():
    found = _settings(
        **PRODUCTION,
        S3_BUCKET="cds-media",
        S3_ENDPOINT_URL="https://s3.tinh.gov.vn",
        S3_ACCESS_KEY_ID="AKIA-test",
        S3_SECRET_ACCESS_KEY="secret-test",
        S3_REGION="vn-north-1",
    )

    assert found["storages"]["default"] == "storages.backends.s3.S3Storage"
    options = found["media_options"]
    assert options["bucket_name"] == "cds-media"
    assert options["endpoint_url"] == "https://s3.tinh.gov.vn"
    assert (options["access_key"], options["secret_key"]) == ("AKIA-test", "secret-test")
    assert options["region_name"] == "vn-north-1"
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert options["querystring_auth"] is True, "files are private: links are signed"


def test_behind_a_tls_proxy_https_origins_are_trusted_and_http_is_redirected():
    found = _settings(
        **PRODUCTION, CSRF_TRUSTED_ORIGINS="https://cds.example.gov.vn,https://cds2.example.gov.vn"
    )

    assert found["csrf_trusted_origins"] == ["https://cds.example.gov.vn", "https://cds2.example.gov.vn"]
    assert found["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["ssl_redirect"] is True and found["hsts"] == 31_536_000


LOG_ONE_EVENT = """
import logging, django
django.setup()
logging.getLogger("cds.jobs").info("report files stored", extra={"report": 7})
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("cds.jobs").exception("job failed")
"""


def test_logs_are_one_json_line_per_event_on_stdout_and_in_a_rotating_file(tmp_path):
    log_file = tmp_path / "cds.log"
    result = _run(LOG_ONE_EVENT, **PRODUCTION, LOG_FILE=str(log_file))
    assert result.returncode == 0, result.stderr

    for text in (result.stdout, log_file.read_text(encoding="utf-8")):
        lines = text.splitlines()
        assert len(lines) == 2, "one line per event, the traceback included"
        stored, failed = (json.loads(line) for line in lines)
        assert stored["message"] == "report files stored" and stored["report"] == 7
        assert (
            stored["level"] == "INFO" and stored["logger"] == "cds.jobs" and stored["time"].endswith("+00:00")
        )
        assert failed["level"] == "ERROR" and "ZeroDivisionError" in failed["exception"]
    assert _settings(**PRODUCTION, LOG_FILE=str(log_file))["log_handlers"] == [
        "RotatingFileHandler",
        "StreamHandler",
    ]
    assert _settings(**PRODUCTION)["log_handlers"] == ["StreamHandler"]
