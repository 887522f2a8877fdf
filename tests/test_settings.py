"""Settings come from the environment; bad values stop the app with a message that helps."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from factcheck.settings import database_from_url

GOOD = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "0", "FACTCHECK_DEMO": "0"}


def load_settings(show: str = "s.DATABASES['default']", **env: str) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with exactly this environment,
    and print the expression `show` (over the module `s`)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FACTCHECK_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", f"import factcheck.settings as s; print({show})"],
        env=clean | GOOD | env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY is not set"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mysql://db/x"}, "is not supported; use sqlite:///file.db or postgres"),
        ({"DATABASE_URL": "postgres://u@host:5432/"}, "names no database"),
        ({"DATABASE_URL": "postgres://u@host:99999/x"}, "cannot be read (a bad port?)"),
        ({"FACTCHECK_IMPORT_MAX_BYTES": "2MB"}, "is not a whole number"),
        ({"FACTCHECK_IMPORT_MAX_BYTES": "0"}, "must be at least 1"),
        ({"FACTCHECK_CHECKWORTHY_THRESHOLD": "1.5"}, "must lie between 0.0 and 1.0"),
        ({"FACTCHECK_DEMO": "1"}, "FACTCHECK_DEMO=1 needs DJANGO_DEBUG=1"),
        ({"CACHE_URL": "mongodb://db/0"}, "CACHE_URL='mongodb://db/0' is not supported"),
        (
            {"FACTCHECK_FETCH_ALLOWED_NETWORKS": "10.0.0.0/8, intranet"},
            "FACTCHECK_FETCH_ALLOWED_NETWORKS: 'intranet' is not a network; use CIDR",
        ),
        ({"FACTCHECK_FETCH_READ_TIMEOUT": "0"}, "must lie between 0.01 and 300.0"),
    ],
)
def test_bad_settings_are_refused_with_a_fix(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_good_settings_load_and_default_to_sqlite_in_the_project():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.sqlite3" in result.stdout
    assert str(settings.BASE_DIR / "db.sqlite3") in result.stdout


def test_the_fetcher_allows_no_private_network_unless_told_and_names_the_desk():
    result = load_settings(
        "s.FACTCHECK_FETCH_ALLOWED_NETWORKS, s.FACTCHECK_FETCH_USER_AGENT",
        FACTCHECK_ORGANISATION="Lakeside Checks",
        FACTCHECK_CONTACT_EMAIL="desk@lakeside.example",
    )
    assert result.returncode == 0, result.stderr
    agent = "Factcheck/0.1 (fact-checking desk of Lakeside Checks; desk@lakeside.example)"
    assert result.stdout.strip() == f"[] {agent}"
    listed = load_settings(
        "s.FACTCHECK_FETCH_ALLOWED_NETWORKS", FACTCHECK_FETCH_ALLOWED_NETWORKS="10.20.0.0/16, ::1"
    )
    assert listed.stdout.strip() == "['10.20.0.0/16', '::1']"


def test_debug_is_off_by_default():
    result = subprocess.run(
        [sys.executable, "-c", "import factcheck.settings as s; print(s.DEBUG)"],
        env={k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"} | GOOD,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_a_postgres_url_uses_psycopg_with_its_pool():
    db = database_from_url("postgres://fact%40check:p%2Fss@db.internal:6432/newsroom")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("newsroom", "fact@check", "p/ss")
    assert (db["HOST"], db["PORT"]) == ("db.internal", 6432)
    assert db["OPTIONS"]["pool"]["max_size"] >= db["OPTIONS"]["pool"]["min_size"]


def test_every_option_a_postgres_url_carries_reaches_the_driver():
    db = database_from_url("postgres://u:p@db.internal/newsroom?sslmode=require&connect_timeout=5")
    assert db["OPTIONS"]["sslmode"] == "require"
    assert db["OPTIONS"]["connect_timeout"] == 5
    assert "pool" in db["OPTIONS"]


def test_a_sqlite_url_may_set_the_lock_timeout():
    assert database_from_url("sqlite:///db.sqlite3")["OPTIONS"]["timeout"] == 20
    assert database_from_url("sqlite:///db.sqlite3?timeout=3")["OPTIONS"]["timeout"] == 3


def test_a_sqlite_url_can_name_an_absolute_file():
    db = database_from_url("sqlite:////var/lib/factcheck/db.sqlite3")
    assert str(db["NAME"]) == "/var/lib/factcheck/db.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="names no file"):
        database_from_url("sqlite://")


def test_sqlite_connections_are_kept_and_checked():
    db = database_from_url("sqlite:///db.sqlite3")
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (None, True)


def test_a_release_prefixes_every_cache_key():
    shown = load_settings("s.CACHES['default']['KEY_PREFIX']", CACHE_KEY_PREFIX="release-42")
    assert shown.stdout.strip() == "release-42", shown.stderr


def test_static_files_are_served_by_whitenoise():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_production_settings_pass_the_deployment_checklist():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FACTCHECK_"))}
    env |= {
        "DJANGO_SECRET_KEY": "k3y-" + "x9Q2" * 16,
        "DJANGO_ALLOWED_HOSTS": "factcheck.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_http_only():
    flags = "SESSION_COOKIE_SECURE SESSION_COOKIE_HTTPONLY CSRF_COOKIE_SECURE CSRF_COOKIE_HTTPONLY"
    result = load_settings(show=f"[getattr(s, name) for name in {flags.split()!r}]")
    assert result.stdout.strip() == "[True, True, True, True]", result.stderr
