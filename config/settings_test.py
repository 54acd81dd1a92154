"""Test settings: the real ones (config.settings_base, so SQLite too) with a fast hasher, in-memory email,
no page cache and jobs run in the caller."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")

from config.settings_base import *  # noqa: E402, F403

if "devdata" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "devdata"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests never run collectstatic: serve from the app folders and skip the missing STATIC_ROOT.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Most tests change rows through the ORM between two requests, which no write request announces: pages are
# rendered afresh every time, and tests/test_page_cache.py turns the cache on to test it.
# A REDIS_URL in the environment does not reach the tests: each run has its own caches and sessions.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The test client speaks plain http://testserver; every other production header stays on.
SECURE_SSL_REDIRECT = False
# Every job runs inside the call that queues it, and its errors reach the test.
CELERY_TASK_ALWAYS_EAGER = True
