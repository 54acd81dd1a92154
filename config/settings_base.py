"""Every setting, driven by environment variables (README, deploy/env.example).

config.settings (what manage.py, gunicorn and Celery load) adds the refusals a server must pass; the test
settings build on this module, because the suite runs with DEBUG off on SQLite as well as PostgreSQL.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "import_export",
    "simple_history",
    "units",
    "plans",
    "indicators",
    "tasks",
    "evidence",
    "tracking",
    "reports",
    "dashboards",
    "imports",
    "administration",
    "alerts",
    "catalogue",
    "api",
    "periods",
    "jobs",
]
# Demo users with a known password and the scale generator: development only (tests and bench add it too).
if DEBUG:
    INSTALLED_APPS.append("devdata")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "imports.first_password.FirstPasswordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pagecache.middleware.DataVersionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as axes asks: it turns a login the backend refused into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered page bodies (pagecache.cache). Entries are keyed by the communes' data versions kept in the
# database, so they never need clearing and processes never disagree; the timeout and the entry limit only
# bound memory (a dashboard body is ~80 KB). Without Redis each worker process keeps its own; with REDIS_URL
# every worker of every server shares one store, and so do sessions (cached_db: read from Redis, written
# through to the database, so a Redis restart logs nobody out).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cds",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cds-pages",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cds-pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }

# Requests one API client (api/) may make per minute, counted in the default cache (Redis in production, so
# every worker counts together); past it the client gets 429 with Retry-After.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)

# Jobs (jobs/, config/celery.py). With DEBUG on they run inside the request, so `make run` needs no worker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=DEBUG or not CELERY_BROKER_URL)
# Eager jobs touch no broker; an in-process one keeps Celery from looking for a server on localhost.
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# A job is acknowledged once it has run: a worker killed mid-job leaves it queued for another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker logs through LOGGING (one JSON line per event) instead of replacing it with its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_TIME_LIMIT = env_int("JOB_TIME_LIMIT_SECONDS", 600)
# Half a minute before the hard limit kills it, a job is told (SoftTimeLimitExceeded), so the report files
# job can still give the report back to the leader instead of leaving it "being made".
CELERY_TASK_SOFT_TIME_LIMIT = max(CELERY_TASK_TIME_LIMIT - 30, CELERY_TASK_TIME_LIMIT // 2)
CELERY_RESULT_EXPIRES = 86_400
# Without a visibility timeout longer than the longest job, Redis hands an unacknowledged job to a second
# worker while the first still runs it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT}
REMINDERS_AT = env_str("REMINDERS_AT", "06:30")  # hh:mm, local time, when beat sends the daily reminders
ORPHAN_PURGE_AT = env_str("ORPHAN_PURGE_AT", "02:15")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "config.auth.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
# Vietnamese only, whatever the browser asks for: dates and numbers must always read the Vietnamese way.
LANGUAGES = [("vi", _("Tiếng Việt"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own `vi` formats set no input formats and no grouping: ours make 05/03/2026 mean 5 March
# and print 1234567 as 1.234.567.
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
# Evidence files live outside the static tree and are served only through views that check access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# No URL serves this prefix: files go out only through evidence.views, which checks who is asking.
MEDIA_URL = "/tai-lieu-khong-cong-khai/"
# With DEBUG off static files carry a content hash in their name (collectstatic writes them, gzip and brotli
# copies too), so browsers may keep them forever; media go to an S3-compatible store when S3_BUCKET is set,
# so every app server reads what another one wrote.
STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Set when nginx serves media files itself (deploy/nginx.conf): the app checks who asks, then answers with
# an X-Accel-Redirect to this internal prefix (common.downloads). Local disk only; empty: the app sends them.
MEDIA_X_ACCEL_PREFIX = env_str("MEDIA_X_ACCEL_PREFIX")

# Uploads larger than this go to a temporary file instead of memory; evidence forms enforce 10 MB themselves.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cds-xa@localhost")
# Where the links in reminder emails point: the address people open the app at.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Login throttling (django-axes, attempts kept in the database so every gunicorn worker sees them). A lockout
# holds one person at one address: locking a username alone would let anyone shut an official out before a
# reporting deadline, and locking an address alone would shut out a whole commune office behind one router.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"
# Behind nginx every request comes from the proxy: the client is the address the nearest proxy appended.
REVERSE_PROXY_COUNT = env_int("REVERSE_PROXY_COUNT", 0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# The header the TLS-terminating proxy sets (and overwrites when a client sends it); empty when none does.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER", "" if DEBUG else "HTTP_X_FORWARDED_PROTO")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None

# Every page loads only our own files: no inline script (htmx is configured not to need any, see base.html),
# no inline style. SVG charts are inline markup and need no img-src.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# One line per event, as JSON (config.logs), to stdout (journald) and, with LOG_FILE, to a rotating file.
LOG_FILE = env_str("LOG_FILE")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"()": "config.logs.JsonLineFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stdout"},
        **(
            {
                "file": {
                    "class": "logging.handlers.RotatingFileHandler",
                    "formatter": "line",
                    "filename": LOG_FILE,
                    "maxBytes": env_int("LOG_FILE_MAX_BYTES", 10_485_760),
                    "backupCount": env_int("LOG_FILE_BACKUPS", 10),
                    "encoding": "utf-8",
                }
            }
            if LOG_FILE
            else {}
        ),
    },
    "root": {
        "handlers": ["console", "file"] if LOG_FILE else ["console"],
        "level": env_str("LOG_LEVEL", "WARNING"),
    },
    # One line per login, failed or not (units.login_log), and per job, whatever LOG_LEVEL silences elsewhere.
    "loggers": {"cds.auth": {"level": "INFO"}, "cds.jobs": {"level": "INFO"}},
}
