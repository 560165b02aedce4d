"""Every Kuaizhao setting, once, with its default and why; read from the environment.

This module is also the Django settings module. Each of our settings is read through `_env`,
which records it in `DOCUMENTED` so that a test can check that `docs/settings.md` lists them all.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

DOCUMENTED: dict[str, str] = {}  # name -> default as shown in the docs


def _env(name: str, default: str, shown: str | None = None) -> str:
    """Read one setting; `shown` is how the docs state a default that is computed."""
    DOCUMENTED[name] = default if shown is None else shown
    return os.environ.get(name, default)


def _list(name: str, default: str = "") -> list[str]:
    """A comma-separated setting, blanks dropped."""
    return [item.strip() for item in _env(name, default).split(",") if item.strip()]


def _flag(name: str, default: bool) -> bool:
    value = _env(name, "1" if default else "0").strip().lower()
    return value not in ("0", "false", "no", "off", "")


PACKAGE_DIR = Path(__file__).resolve().parent

# --- where things live ------------------------------------------------------------------------

# Root of everything Kuaizhao writes: the SQLite database, WARC files, crawl state.
DATA_DIR = Path(_env("KUAIZHAO_DATA_DIR", "./var")).resolve()
# Where WARC files are written; one directory so that it can sit on a bigger disk.
WARC_DIR = Path(_env("KUAIZHAO_WARC_DIR", str(DATA_DIR / "warc"), "<KUAIZHAO_DATA_DIR>/warc")).resolve()
# The sources configuration read by `kuaizhao crawl` when --sources is not given.
SOURCES_FILE = Path(_env("KUAIZHAO_SOURCES", "./sources.toml"))

# The database: SQLite in the data directory unless DATABASE_URL names another (PostgreSQL).
DATABASE_URL = _env(
    "DATABASE_URL", f"sqlite:///{DATA_DIR / 'kuaizhao.sqlite3'}", "sqlite:///<KUAIZHAO_DATA_DIR>/kuaizhao.sqlite3"
)
# Connections outlive a request (up to a minute), SQLite's too. Opening one costs ~0.8 ms (Django
# registers its SQL functions and runs the PRAGMAs below each time; SQLite re-reads the schema and
# starts with a cold page cache), a sixth of a search page: under load /search served 20–35% more
# requests per second with connections kept (bench/http_search.py, 2026-11-25).
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a crawl writes; IMMEDIATE makes a writer take the lock
    # up front instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }

# --- the public site --------------------------------------------------------------------------

# The address readers use; crawler User-Agent and feeds link back to it.
PUBLIC_URL = _env("KUAIZHAO_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Host names the site answers to (comma-separated).
ALLOWED_HOSTS = _list("KUAIZHAO_ALLOWED_HOSTS", "127.0.0.1,localhost")
# Django debug pages; never on in production.
DEBUG = _flag("KUAIZHAO_DEBUG", False)
# Display time zone; stored times are UTC.
TIME_ZONE = _env("KUAIZHAO_TIME_ZONE", "Asia/Shanghai")
# Snapshots per page on home, category and listing pages.
PAGE_SIZE = int(_env("KUAIZHAO_PAGE_SIZE", "20"))
# Seconds a listing's total ("共 N 篇") is reused: counting a large category costs tens of
# milliseconds a request, the rows shown are always read fresh.
LISTING_COUNT_SECONDS = int(_env("KUAIZHAO_LISTING_COUNT_SECONDS", "60"))
# Site name shown in the header and page titles.
SITE_NAME = _env("KUAIZHAO_SITE_NAME", "快照")


def _secret_key() -> str:
    """The session/CSRF key: from the environment, else one generated once per data directory."""
    key = os.environ.get("KUAIZHAO_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


# Signing key for sessions and CSRF; generated into <data dir>/secret_key when unset.
DOCUMENTED["KUAIZHAO_SECRET_KEY"] = "generated once into <KUAIZHAO_DATA_DIR>/secret_key"  # noqa: S105 (what the docs say)
SECRET_KEY = _secret_key()

# --- the crawler ------------------------------------------------------------------------------

# Who we are when we fetch: a name and a page that explains the crawler and how to reach us.
USER_AGENT = _env(
    "KUAIZHAO_USER_AGENT",
    f"Kuaizhao/0.1 (+{PUBLIC_URL}/about/crawler/; news snapshot archive)",
    "Kuaizhao/0.1 (+<KUAIZHAO_PUBLIC_URL>/about/crawler/; news snapshot archive)",
)
# robots.txt is obeyed unless this is switched off (only for your own sites).
OBEY_ROBOTS = _flag("KUAIZHAO_OBEY_ROBOTS", True)
# Seconds between two requests to one host, unless a source sets its own `delay`.
DOWNLOAD_DELAY = float(_env("KUAIZHAO_DOWNLOAD_DELAY", "1.0"))
# Requests in flight to one host at a time.
CONCURRENCY_PER_HOST = int(_env("KUAIZHAO_CONCURRENCY_PER_HOST", "2"))
# Requests in flight in total.
CONCURRENCY = int(_env("KUAIZHAO_CONCURRENCY", "16"))
# Slow down further when a host answers slowly (Scrapy AutoThrottle).
AUTOTHROTTLE = _flag("KUAIZHAO_AUTOTHROTTLE", True)
# Seconds before a request is given up.
DOWNLOAD_TIMEOUT = float(_env("KUAIZHAO_DOWNLOAD_TIMEOUT", "30"))
# Bodies larger than this are not downloaded (bytes).
MAX_BODY_BYTES = int(_env("KUAIZHAO_MAX_BODY_BYTES", str(8 * 1024 * 1024)))
# When a captured article is looked at again, by its age: every 15 minutes while under 3 hours old,
# every 30 minutes under a day, … weekly until a year, then never (schedule.py); a source's
# `recheck` in sources.toml overrides it.
RECHECK = _env("KUAIZHAO_RECHECK", "15m<3h, 30m<1d, 2h<7d, 1d<30d, 7d<365d")
# Listing pages followed per listing (pagination depth).
LISTING_MAX_PAGES = int(_env("KUAIZHAO_LISTING_MAX_PAGES", "50"))
# A WARC file is closed and a new one started when it grows past this many bytes.
WARC_MAX_BYTES = int(_env("KUAIZHAO_WARC_MAX_BYTES", str(1024 * 1024 * 1024)))
# Captures written to the database per transaction; a killed crawl refetches at most this many.
STORE_BATCH = int(_env("KUAIZHAO_STORE_BATCH", "50"))
# Extract and store in a second process (uses a second core); 0 keeps everything in the crawler.
STORE_PROCESS = _flag("KUAIZHAO_STORE_PROCESS", True)
# Log level of the crawler's log file (<data dir>/logs/crawl.log).
LOG_LEVEL = _env("KUAIZHAO_LOG_LEVEL", "INFO")

# --- search -----------------------------------------------------------------------------------

# The search index (tantivy), derived from the database; `kuaizhao reindex` rebuilds it.
INDEX_DIR = Path(_env("KUAIZHAO_INDEX_DIR", str(DATA_DIR / "index"), "<KUAIZHAO_DATA_DIR>/index")).resolve()
# New snapshots and takedowns reach the index in batches, at most this many seconds apart.
INDEX_COMMIT_SECONDS = float(_env("KUAIZHAO_INDEX_COMMIT_SECONDS", "5"))
# Memory tantivy may use while `kuaizhao reindex` builds (MB); more makes fewer, larger segments.
INDEX_HEAP_MB = int(_env("KUAIZHAO_INDEX_HEAP_MB", "1000"))
# Threads for analysis and for tantivy during a rebuild; the default uses every core (up to 4).
INDEX_THREADS = int(_env("KUAIZHAO_INDEX_THREADS", str(min(4, os.cpu_count() or 2)), "number of cores, at most 4"))
# Search results per page.
SEARCH_PAGE_SIZE = int(_env("KUAIZHAO_SEARCH_PAGE_SIZE", "10"))

# --- Feeds and the API ------------------------------------------------------------------------

# Items per feed (latest, category, source, search).
FEED_ITEMS = int(_env("KUAIZHAO_FEED_ITEMS", "30"))
# Feeds carry the whole extracted article; off: the lead only (smaller feeds, readers click through).
FEED_FULL_TEXT = _flag("KUAIZHAO_FEED_FULL_TEXT", True)
# Searches one client address may run per minute through /api/search (429 beyond; 0: no limit).
API_SEARCH_PER_MINUTE = int(_env("KUAIZHAO_API_SEARCH_PER_MINUTE", "60"))
# Behind a reverse proxy, the client is the last address the proxy appended to X-Forwarded-For.
BEHIND_PROXY = _flag("KUAIZHAO_BEHIND_PROXY", False)
# Where rate-limit counters and listing totals live: redis://… shares them between gunicorn
# workers and machines; empty keeps them in each process's memory (a limit per worker).
CACHE_URL = _env("KUAIZHAO_CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kuaizhao"}
}

# --- takedown requests and mail ---------------------------------------------------------------

# Takedown notices one client address may file per hour through /takedown/ (0: no limit).
TAKEDOWN_PER_HOUR = int(_env("KUAIZHAO_TAKEDOWN_PER_HOUR", "5"))
# Evidence a notice may attach: how many files, and how large each (MiB); PDF, images, plain text.
TAKEDOWN_MAX_FILES = int(_env("KUAIZHAO_TAKEDOWN_MAX_FILES", "5"))
TAKEDOWN_MAX_FILE_MB = float(_env("KUAIZHAO_TAKEDOWN_MAX_FILE_MB", "5"))
# Operators told of every new notice, comma-separated addresses (empty: nobody is mailed).
TAKEDOWN_NOTIFY = _list("KUAIZHAO_TAKEDOWN_NOTIFY")
# Attachments are kept here, never served publicly (operators open them in the admin).
MEDIA_ROOT = str(Path(_env("KUAIZHAO_UPLOAD_DIR", str(DATA_DIR / "uploads"), "<KUAIZHAO_DATA_DIR>/uploads")).resolve())
# Mail: SMTP when a host is set, else printed to the console (a fresh install needs no server).
EMAIL_HOST = _env("KUAIZHAO_SMTP_HOST", "")
EMAIL_PORT = int(_env("KUAIZHAO_SMTP_PORT", "25"))
EMAIL_HOST_USER = _env("KUAIZHAO_SMTP_USER", "")
EMAIL_HOST_PASSWORD = _env("KUAIZHAO_SMTP_PASSWORD", "", "(empty)")
EMAIL_USE_TLS = _flag("KUAIZHAO_SMTP_TLS", False)
EMAIL_BACKEND = f"django.core.mail.backends.{'smtp' if EMAIL_HOST else 'console'}.EmailBackend"
DEFAULT_FROM_EMAIL = _env("KUAIZHAO_MAIL_FROM", "kuaizhao@localhost")

# --- Django -----------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "ninja",  # its docs page then uses the bundled Swagger UI, not a CDN
    "kuaizhao.archive",
    "kuaizhao.web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kuaizhao.web.headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy on every answer
    # Pages are mostly Chinese text and compress ~4:1. Django masks CSRF tokens and pads gzip
    # output against BREACH, and public pages carry no secrets.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kuaizhao.web.cors.ReadOnlyCors",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kuaizhao.web.tombstone.TombstoneMiddleware",  # a blocked snapshot's URL answers 451
    "kuaizhao.web.stored.StorageErrorMiddleware",  # an unreadable WARC record is a 503, its path is logged
]
ROOT_URLCONF = "kuaizhao.urls"
WSGI_APPLICATION = "kuaizhao.wsgi.application"
TEMPLATES = [
    {
        # Our pages (kuaizhao/web/templates), in Jinja2: see kuaizhao/web/jinja.py for why.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "kuaizhao.web.jinja.environment",
            "context_processors": ["kuaizhao.web.context.site"],
        },
    },
    {
        # The admin's, the API docs' and the sitemaps' own templates, and our admin's overrides
        # (apart from web/templates, which the Jinja2 engine above reads first).
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "admin" / "templates"],
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
LANGUAGE_CODE = "zh-hans"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
STATIC_URL = "/static/"
# Served straight from the package by whitenoise's finders: there is no collectstatic step, so no
# STATIC_ROOT (whitenoise would warn about the missing directory).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# The raw-capture view is framed by our own snapshot page and nobody else's.
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind a TLS proxy the scheme comes from its header (trusted only when told to: a client could
# send it too); the public origin is trusted for CSRF; cookies and HSTS follow its scheme.
_PUBLIC = urlsplit(PUBLIC_URL)
HTTPS = _PUBLIC.scheme == "https"
PROXY_SCHEME_HEADER = _env("KUAIZHAO_PROXY_SCHEME_HEADER", "X-Forwarded-Proto")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SCHEME_HEADER.upper().replace("-", "_"), "https")
# Origins allowed to post forms besides the request's own: the public URL's, and any listed.
CSRF_TRUSTED_ORIGINS = [f"{_PUBLIC.scheme}://{_PUBLIC.netloc}", *_list("KUAIZHAO_CSRF_TRUSTED_ORIGINS")]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# Strict-Transport-Security on https answers, in seconds (a year by default with an https public URL).
SECURE_HSTS_SECONDS = int(_env("KUAIZHAO_HSTS_SECONDS", "31536000" if HTTPS else "0",
                               "31536000 with an https KUAIZHAO_PUBLIC_URL, else 0"))
# HSTS for subdomains too, and a request to be preloaded: only when every subdomain is on https.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("KUAIZHAO_HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _flag("KUAIZHAO_HSTS_PRELOAD", False)
# Redirect plain-HTTP requests to https (behind a proxy: one that sets X-Forwarded-Proto).
SECURE_SSL_REDIRECT = _flag("KUAIZHAO_SSL_REDIRECT", False)
# X-Frame-Options stays SAMEORIGIN (our snapshot page frames the raw capture), not the check's DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Operators mailed the traceback of every server error, comma-separated (empty: the log only).
ADMINS = [(a, a) for a in _list("KUAIZHAO_ADMINS")]
# Tracebacks reach stderr whatever DEBUG says (Django's console handler needs DEBUG), ADMINS by mail.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"},
                 "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                                 "filters": ["require_debug_false"]}},
    "loggers": {"kuaizhao": {"handlers": ["console"], "level": "WARNING", "propagate": False},
                "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
                "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
