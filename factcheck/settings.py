"""Factcheck settings, all read from the environment (see README, "Production").

Safe defaults: DEBUG is off and a secret key is required unless `make run` or the
test configuration turns debugging on. Every bad value raises ImproperlyConfigured
with a message that says how to fix it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_float(name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name}={raw!r} must lie between {minimum} and {maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, Any]:
    """Django DATABASES entry for `sqlite:///path` or `postgres://user:pass@host:port/name`.

    dj-database-url parses the URL, so every option it carries reaches the driver
    (`?sslmode=require&connect_timeout=5`); psycopg's pool is added on top.
    """
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} is not supported; use sqlite:///file.db or postgres://…"
        )
    try:
        db: dict[str, Any] = dict(dj_database_url.parse(url))
    except ValueError:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} cannot be read (a bad port?); "
            "use postgres://user:pass@host:5432/name."
        ) from None
    options: dict[str, Any] = db.setdefault("OPTIONS", {})
    if scheme == "sqlite":
        if not db["NAME"] or db["NAME"] == ":memory:":
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} names no file; use sqlite:///relative.db or "
                "sqlite:////absolute/path.db."
            )
        db["NAME"] = BASE_DIR / db["NAME"]  # a relative name is the project's folder
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 20)
        # Each process keeps its connection and checks it before reuse.
        db["CONN_MAX_AGE"] = None
        db["CONN_HEALTH_CHECKS"] = True
        return db
    if not db["NAME"]:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r} names no database; use postgres://user:pass@host:5432/name."
        )
    if env_bool("DATABASE_POOL", default=True):
        options["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2, minimum=1),
            "max_size": env_int("DATABASE_POOL_MAX", 10, minimum=1),
            "timeout": 10,
        }
    return db


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
            "(or set DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Full-text search and trigram matching on PostgreSQL (claims/search/engine.py).
    "django.contrib.postgres",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the CSP middleware: it names the URL of the policy's report-to endpoint.
    "claims.views.errors.ReportingEndpointsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the "try again later" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

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
            # `{{ user|person }}`: one way to name a person on every page (claims/people.py).
            "builtins": ["claims.templatetags.people"],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (django.tasks): queued in the database and run by `manage.py run_worker`
# processes, on SQLite for one machine and on PostgreSQL for many (SELECT … SKIP LOCKED).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and captured files: the bytes of source snapshots (claims/evidence.py), named by
# their SHA-256. Never served from MEDIA_URL: the app shows their text through its views.
# In production, any django-storages backend may take the "default" alias (README).
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}


def cache_from_url(url: str) -> dict:
    """CACHE_URL: locmem:// (default), redis://host:6379/0 or memcached://host:11211."""
    parts = urlsplit(url)
    if parts.scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "factcheck",
            # Rendered pages: the public ones, and each desk member's workspace pages.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    if parts.scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "memcached":
        return {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": parts.netloc,
        }
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r} is not supported; use locmem://, redis://host:6379/0 "
        "or memcached://host:11211."
    )


CACHES = {"default": cache_from_url(env_str("CACHE_URL", "locmem://"))}
# The cache holds rendered pages: with a shared cache, name each release here so that a
# deploy never serves a page its old templates rendered.
CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "")

# Login throttling (django-axes): after FACTCHECK_LOGIN_FAILURES wrong passwords for one
# username from one address, that pair waits FACTCHECK_LOGIN_COOLOFF_MINUTES. Never a
# permanent lock; a success resets the count. Each lockout is written to the audit trail.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("FACTCHECK_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("FACTCHECK_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "claims.logins.locked_out"
AXES_CLIENT_IP_CALLABLE = "claims.logins.client_ip"
# Behind N reverse proxies of yours, the client's address is the Nth from the right in
# X-Forwarded-For; 0 (the default) trusts no header and uses the connection's address.
FACTCHECK_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0, minimum=0)

# Content-Security-Policy: our own static files only, nothing inline, no eval (htmx is
# configured without it), never framed.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # Browsers report what the policy blocked to us (claims/views/errors.py logs it):
    # report-to through the Reporting API (its endpoint named in the Reporting-Endpoints
    # header), report-uri for browsers without it.
    "report-uri": ["/csp-report"],
    "report-to": ["csp-endpoint"],
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/review/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# HTTPS settings: on by default in production; DJANGO_HTTPS=0 for a plain-HTTP intranet.
if env_bool("DJANGO_HTTPS", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Sessions in the database; with a shared cache (Redis, memcached) read through it too.
# Never a per-process cache in front of them: a logout must reach every app server.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"].endswith("LocMemCache")
    else "django.contrib.sessions.backends.cached_db"
)
SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the page (hx-headers), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO").upper()},
}

# --- Factcheck ---------------------------------------------------------------
# Demo mode: `make run` creates demo accounts and prints their passwords once.
FACTCHECK_DEMO = env_bool("FACTCHECK_DEMO", default=False)
if FACTCHECK_DEMO and not DEBUG:
    raise ImproperlyConfigured(
        "FACTCHECK_DEMO=1 needs DJANGO_DEBUG=1: demo accounts are never made in production."
    )
# CSP violation reports logged per client address and minute; more are refused (429).
FACTCHECK_CSP_REPORTS_PER_MINUTE = env_int("FACTCHECK_CSP_REPORTS_PER_MINUTE", 20, minimum=1)
# Largest article accepted by the importer, in bytes of the uploaded file.
FACTCHECK_IMPORT_MAX_BYTES = env_int("FACTCHECK_IMPORT_MAX_BYTES", 2 * 1024 * 1024, minimum=1)
# Imports larger than this (bytes) run in the background worker; smaller ones at once.
FACTCHECK_BACKGROUND_IMPORT_BYTES = env_int(
    "FACTCHECK_BACKGROUND_IMPORT_BYTES", 200 * 1024, minimum=0
)
# A running job that has shown no sign of life for this long is taken to be abandoned
# (its worker was killed or its machine stopped): a worker starting up, or an editor on the
# operations page, runs it again, at most FACTCHECK_JOB_ATTEMPTS times in all.
FACTCHECK_JOB_STALE_SECONDS = env_int("FACTCHECK_JOB_STALE_SECONDS", 300)
FACTCHECK_JOB_ATTEMPTS = env_int("FACTCHECK_JOB_ATTEMPTS", 3, minimum=1)
# Sentences scoring below this are imported as dismissed ("not check-worthy").
FACTCHECK_CHECKWORTHY_THRESHOLD = env_float(
    "FACTCHECK_CHECKWORTHY_THRESHOLD", 0.5, minimum=0.0, maximum=1.0
)
# "Checked before" (claims/search/matching.py): an earlier checked claim is shown as a
# match from this similarity (0..1; see `manage.py evaluate_matching`), at most
# FACTCHECK_MATCH_LIMIT per claim.
FACTCHECK_MATCH_THRESHOLD = env_float("FACTCHECK_MATCH_THRESHOLD", 0.5, minimum=0.0, maximum=1.0)
FACTCHECK_MATCH_LIMIT = env_int("FACTCHECK_MATCH_LIMIT", 5, minimum=1)
# Where readers find the public pages ("https://checks.example"), for the source a reused
# earlier check becomes; empty: the address the desk is using.
FACTCHECK_PUBLIC_URL = env_str("FACTCHECK_PUBLIC_URL", "")
# The evidence gate: sources a verdict needs before it can be proposed or approved.
FACTCHECK_SCALAR_MIN_SOURCES = env_int("FACTCHECK_SCALAR_MIN_SOURCES", 2)
FACTCHECK_SCALAR_MIN_DECISIVE_SOURCES = env_int("FACTCHECK_SCALAR_MIN_DECISIVE_SOURCES", 1)
FACTCHECK_OFF_SCALE_MIN_SOURCES = env_int("FACTCHECK_OFF_SCALE_MIN_SOURCES", 1)
# Decisive (scalar) verdicts count only sources with a successful snapshot.
FACTCHECK_REQUIRE_SNAPSHOTS = env_bool("FACTCHECK_REQUIRE_SNAPSHOTS", default=True)
# Source snapshots (claims/evidence.py): the most bytes kept of one source (PDFs are large).
FACTCHECK_SNAPSHOT_MAX_BYTES = env_int("FACTCHECK_SNAPSHOT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# The Internet Archive's Save Page Now, asked to archive each source as it is captured:
# https://web.archive.org/save/ to turn it on; empty (the default) leaves it off.
FACTCHECK_ARCHIVE_SAVE_URL = env_str("FACTCHECK_ARCHIVE_SAVE_URL", "")
# Link checks of published sources: every this many hours (0: only `manage.py check_sources`).
FACTCHECK_LINK_CHECK_HOURS = env_int("FACTCHECK_LINK_CHECK_HOURS", 24)
# The public pages: who publishes, and how long a process trusts its cached idea of an
# article's latest version (with a shared cache, publishing invalidates it at once).
FACTCHECK_ORGANISATION = env_str("FACTCHECK_ORGANISATION", "Factcheck Desk")
FACTCHECK_ORGANISATION_URL = env_str("FACTCHECK_ORGANISATION_URL", "")
FACTCHECK_CONTACT_EMAIL = env_str("FACTCHECK_CONTACT_EMAIL", "")
FACTCHECK_PUBLIC_POINTER_SECONDS = env_int("FACTCHECK_PUBLIC_POINTER_SECONDS", 30)
FACTCHECK_PUBLIC_MAX_AGE = env_int("FACTCHECK_PUBLIC_MAX_AGE", 60)
# The fetcher (claims/fetching.py): imports by URL. Private, loopback, link-local and other
# non-public addresses are refused unless listed here (CIDR, comma-separated: an on-premise
# desk's intranet, or 127.0.0.1/32 for the tests' local web server).
FACTCHECK_FETCH_ALLOWED_NETWORKS = env_list("FACTCHECK_FETCH_ALLOWED_NETWORKS", [])
for _network in FACTCHECK_FETCH_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"FACTCHECK_FETCH_ALLOWED_NETWORKS: {_network!r} is not a network; "
            "use CIDR like 10.20.0.0/16 or 127.0.0.1/32."
        ) from None
# Seconds to wait for a connection, between two reads, and for the whole fetch.
FACTCHECK_FETCH_CONNECT_TIMEOUT = env_float(
    "FACTCHECK_FETCH_CONNECT_TIMEOUT", 5.0, minimum=0.01, maximum=300.0
)
FACTCHECK_FETCH_READ_TIMEOUT = env_float(
    "FACTCHECK_FETCH_READ_TIMEOUT", 15.0, minimum=0.01, maximum=300.0
)
FACTCHECK_FETCH_DEADLINE_SECONDS = env_float(
    "FACTCHECK_FETCH_DEADLINE_SECONDS", 30.0, minimum=0.01, maximum=3600.0
)
# How the fetcher introduces itself to the sites it visits: honestly, naming the desk.
FACTCHECK_FETCH_USER_AGENT = env_str(
    "FACTCHECK_FETCH_USER_AGENT",
    f"Factcheck/0.1 (fact-checking desk of {FACTCHECK_ORGANISATION}"
    + (f"; {FACTCHECK_CONTACT_EMAIL}" if FACTCHECK_CONTACT_EMAIL else "")
    + ")",
)
# Certificate authorities for HTTPS fetches, a PEM file; empty: the system's own.
FACTCHECK_FETCH_CA_FILE = env_str("FACTCHECK_FETCH_CA_FILE", "")

# --- Email (notifications to the desk, answers to readers) ---------------------------------
# Sent by the background worker only (claims/notifications.py), never inside a request.
# Development prints them to the worker's console; production names an SMTP server:
# DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (the default without
# DEBUG), DJANGO_EMAIL_HOST, DJANGO_EMAIL_PORT, DJANGO_EMAIL_HOST_USER,
# DJANGO_EMAIL_HOST_PASSWORD, DJANGO_EMAIL_USE_TLS. The file backend
# (django.core.mail.backends.filebased.EmailBackend) writes to DJANGO_EMAIL_FILE_PATH.
_EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_EMAIL_OPTIONS: dict[str, object] = {}
if _EMAIL_BACKEND.endswith(".smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env_str("DJANGO_EMAIL_HOST", "localhost"),
        "port": env_int("DJANGO_EMAIL_PORT", 25, minimum=1),
        "username": env_str("DJANGO_EMAIL_HOST_USER", ""),
        "password": env_str("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=False),
        "timeout": env_int("DJANGO_EMAIL_TIMEOUT", 10, minimum=1),
    }
elif _EMAIL_BACKEND.endswith(".filebased.EmailBackend"):
    _EMAIL_OPTIONS = {"file_path": env_str("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "sent-email"))}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "factcheck@localhost")
# Where links in emails point (the worker has no request to build them from).
FACTCHECK_SITE_URL = env_str("FACTCHECK_SITE_URL", "http://localhost:8000").rstrip("/")

# Reader tips and correction requests (claims/reader.py): a form sent sooner than this
# many seconds after it was shown is a bot's; one address may send this many an hour.
FACTCHECK_READER_MIN_SECONDS = env_int("FACTCHECK_READER_MIN_SECONDS", 3)
FACTCHECK_READER_HOURLY_LIMIT = env_int("FACTCHECK_READER_HOURLY_LIMIT", 5, minimum=1)
# How often the workspace header asks (htmx) for the count of what waits.
FACTCHECK_WAITING_POLL_SECONDS = env_int("FACTCHECK_WAITING_POLL_SECONDS", 60, minimum=1)
