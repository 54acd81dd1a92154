"""The settings manage.py, gunicorn and Celery load: config.settings_base plus what a server must have.

With DEBUG off the app serves several processes on several machines, which SQLite cannot: it refuses to
start on anything but PostgreSQL. (The test settings build on settings_base, since the suite also runs on
SQLite.)
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings_base import *  # noqa: F403
from config.settings_base import DATABASES, DEBUG

if not DEBUG and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must name a PostgreSQL database when DEBUG is off "
        "(e.g. postgres://cds@127.0.0.1:5432/cdsxa); SQLite is for development only (DEBUG=1)."
    )
