"""Test settings: the real ones with a fast hasher, in-memory email and no page cache."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")

from config.settings import *  # noqa: E402, F403

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
CACHES = {**CACHES, "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
# The test client speaks plain http://testserver; every other production header stays on.
SECURE_SSL_REDIRECT = False
