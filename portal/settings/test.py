"""Fast, isolated settings for the test suite."""

from .base import *  # noqa: F403
from .env import env_cache, env_str

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "test-only-insecure-key")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# `make test-redis` runs the cache tests again against a real Redis: TEST_CACHE_URL=redis://...
CACHES = {
    "default": env_cache("TEST_CACHE_URL")
    if env_str("TEST_CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files straight from static/ without collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The suite sends hundreds of requests from one address within seconds, as no reader does, so the
# rate limits are off; their own tests (tests/portal/test_rate_limit*.py) switch them on, with the
# production values kept here.
PRODUCTION_RATE_LIMITS = RATE_LIMITS
PRODUCTION_CONCURRENCY_LIMITS = CONCURRENCY_LIMITS
RATE_LIMITS = dict.fromkeys(PRODUCTION_RATE_LIMITS)
CONCURRENCY_LIMITS = dict.fromkeys(PRODUCTION_CONCURRENCY_LIMITS)
