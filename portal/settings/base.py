"""Settings shared by every environment. Environment-specific files import * from here."""

from pathlib import Path

from .env import (
    env_bool,
    env_cache,
    env_database,
    env_int,
    env_list,
    env_location,
    env_path,
    env_rate,
    env_seconds,
    env_share,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The server's own files: the SQLite database, collected static files, the content-version file.
# Each server of a cluster (or each test copy) can have its own.
VAR_DIR = env_path("PORTAL_VAR_DIR", BASE_DIR / "var")

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "taggit",
    "reversion",
    "axes",
    "briefings",
    "briefings.packs",
    "portal",
]

MIDDLEWARE = [
    "portal.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and CSRF: a cached page is answered without touching either.
    "portal.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Lets widgets use templates from templates/ (the admin Markdown preview).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "briefings.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "portal.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The public sign-in page (trainers are not staff, so the admin's form would refuse them);
# editors may use it too. The admin keeps its own sign-in page.
LOGIN_URL = "/accounts/login/"
# Where a sign-in lands when it was given no address to return to, or one it refused (another
# site): the admin's sign-in is for staff, so the admin's home. The public sign-in chooses by
# role (briefings/account_urls.py). Django's default, /accounts/profile/, does not exist.
LOGIN_REDIRECT_URL = "admin:index"

# django-taggit: themes are our own tag model; keep slugs ASCII for stable URLs.
TAGGIT_CASE_INSENSITIVE = True

# Markdown bodies above this size are refused. Rendering takes time in proportion to the length
# (docs/benchmarks.md: under a second for the worst known text at 50,000 characters), and the
# longest real section is under 10 KB.
BRIEFINGS_MARKDOWN_MAX_CHARS = env_int("BRIEFINGS_MARKDOWN_MAX_CHARS", 50_000, minimum=1_000)
BRIEFINGS_CONTENT_DIR = BASE_DIR / "fixtures" / "briefings"

# A search ranks and counts every match exactly up to this many; beyond it, it reads this many
# (strongest first) and says "more than". Keeps a broad word's cost flat as the collection grows,
# and a search's cost is about proportional to it: docs/benchmarks.md. 200 keeps every one-word
# search of the real collection exact (the broadest finds under 180) while a collection 100 times
# its size stays within twice the real one's search time; 20 pages of results is more than anyone
# reads.
SEARCH_EXACT_LIMIT = env_int("SEARCH_EXACT_LIMIT", 200, minimum=10)

# django-axes: lock out a username+IP pair after five failures for a cool-off period.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Reverse proxies in front of the app: the reader's address is taken from X-Forwarded-For,
# trusting exactly this many (portal/client.py). One function gives that address to axes, the
# rate limits and the request log.
CLIENT_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "portal.client.client_address"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"

# django-csp 4: a strict policy; the portal serves only its own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The local-memory cache holds at most CACHE_MAX_ENTRIES pages per process (least recently used
# dropped first), so its memory is bounded by that times the largest page (docs/benchmarks.md).
CACHES = {
    "default": env_cache("CACHE_URL", max_entries=env_int("CACHE_MAX_ENTRIES", 2000, minimum=100))
}
# Public pages cache (portal/caching.py). Entries are keyed by a content version, so an edit is
# visible at once; the timeout only bounds how long unused entries linger.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env_int("CACHE_SECONDS", 600, minimum=0)
# After a cache error, each process serves pages without the cache for this long, then tries again.
PAGE_CACHE_RETRY_SECONDS = 5
PAGE_CACHE_SKIP_PREFIXES = ["/admin/", "/accounts/", "/healthz", "/packs/", "/preview/", "/static/"]
PAGE_CACHE_VERSION_STORE = "auto"  # "file" for a per-process cache, "cache" for a shared one
# Beside an SQLite database, so every site on a machine pairs its version with its own data.
PAGE_CACHE_VERSION_FILE = (
    Path(f"{DATABASES['default']['NAME']}-content-version")
    if DATABASES["default"]["ENGINE"].endswith("sqlite3")
    else VAR_DIR / "content-version"
)

# Rate limits where one request costs work a stranger could repeat without bound
# (portal/ratelimit.py): (count, seconds) per client address, or None when switched off. Readers
# following links never meet them: cached pages are not counted, only the work behind them.
RATE_LIMITS = {
    # Searches the page cache could not answer (each one runs the full-text search).
    "search": env_rate("RATE_LIMIT_SEARCH", "60/1m"),
    # Sign-in attempts (POSTs to /admin/login/ and /accounts/login/), whatever the username: each
    # one hashes a password. django-axes separately locks a username after 5 failures.
    "sign-in": env_rate("RATE_LIMIT_SIGN_IN", "30/10m"),
    # The editors' live Markdown preview in the admin.
    "preview": env_rate("RATE_LIMIT_PREVIEW", "60/1m"),
}
RATE_LIMIT_CACHE_ALIAS = "default"
# How many of those requests each gunicorn process works on at once, whoever sends them (a crowd
# of clients, each within its limit, must not take every thread from readers), and how many more
# may wait their turn (up to 2 s) before one is answered "busy". Working and waiting together stay
# below GUNICORN_THREADS (4), so a thread is always free for the pages the cache answers; a queue
# of 2 lets the bursts of ordinary readers' searches through on a busy machine.
CONCURRENCY_LIMITS = {
    "search": env_int("SEARCH_CONCURRENCY", 1, minimum=1),
    "sign-in": env_int("SIGN_IN_CONCURRENCY", 1, minimum=1),
}
CONCURRENCY_QUEUE = env_int("CONCURRENCY_QUEUE", 2, minimum=0)
# The share of each process's CPU time those requests may take, over any stretch longer than
# CPU_SHARE_BURST seconds of it (portal/ratelimit.py, Gate). Bounding how many run at once does
# not bound their time: with strangers' searches always waiting, one is always running, and every
# page the process answers waits for it to let go of the interpreter. Ordinary readers' searches
# come in bursts far inside the burst.
CPU_SHARES = {"search": env_share("SEARCH_CPU_SHARE", 0.05)}
CPU_SHARE_BURST = env_seconds("CPU_SHARE_BURST", 1.0, minimum=0.05)
# Where nginx reaches the search pool (portal/search_pool.py): set on the page servers only
# (deploy/systemd/portal@.service), which then hand every uncached search to it instead of
# running it. Unset (the default, and on the pool itself), searches run where they arrive.
SEARCH_POOL_LOCATION = env_location("SEARCH_POOL_LOCATION", None)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # One JSON line per request (portal/request_log.py).
        "portal.requests": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}
