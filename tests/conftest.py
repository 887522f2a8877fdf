from __future__ import annotations

import importlib
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.test.testcases import LiveServerThread

from tests import audit_guards
from tests.factories import UserFactory
from tests.website import ALLOWED, TIMEOUTS, Website
from tests.workers import worker_environment

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """Each run its own test database, so two runs in one checkout never meet. On SQLite
    a file in this run's temporary folder, not shared-cache memory: threads of the
    live-server tests and worker processes wait for its write lock as production does."""
    db = settings.DATABASES["default"]
    test = db.setdefault("TEST", {})
    if db["ENGINE"] == "django.db.backends.sqlite3":
        test["NAME"] = str(tmp_path_factory.getbasetemp() / "test-db.sqlite3")
    else:
        test["NAME"] = f"test_{db['NAME']}_{os.getpid()}"


def pytest_runtest_setup(item):
    """`postgres` tests mean something only on PostgreSQL: the one skip the suite has."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; CI runs it against its own PostgreSQL server")


@pytest.fixture(scope="session", autouse=True)
def static_files(tmp_path_factory):
    """Collect static files once, as production does, so pages render with the manifest."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Captured bytes go to this run's temporary folder; worker processes inherit it."""
    root = tmp_path_factory.mktemp("media")
    os.environ["DJANGO_MEDIA_ROOT"] = str(root)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture(scope="session", autouse=True)
def flush_past_audit_guards():
    """A transactional test ends with Django flushing every table, the audit table too,
    whose triggers refuse that; the flush takes them off for its own statements."""
    execute_sql_flush = BaseDatabaseOperations.execute_sql_flush

    def flush(ops, sql_list):
        execute_sql_flush(ops, audit_guards.around_flush(sql_list, ops.connection.vendor))

    BaseDatabaseOperations.execute_sql_flush = flush
    yield
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test's ids and audit sequence
    numbers come back in the next test, and with them the keys of its cached pages."""
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashing is slow on purpose; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return UserFactory(username="edith", first_name="Edith", last_name="", groups=["Editors"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rafael", first_name="Rafael", last_name="", groups=["Reviewers"])


@pytest.fixture
def second_reviewer(db):
    return UserFactory(username="ruth", first_name="Ruth", last_name="", groups=["Reviewers"])


@pytest.fixture
def outsider(db):
    """Logged in, but in neither group."""
    return UserFactory(username="oscar", first_name="Oscar", last_name="")


@pytest.fixture
def superuser(db):
    return UserFactory(
        username="ada", first_name="Ada", last_name="", is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(client, superuser):
    """The test client, signed in as the superuser (replaces pytest-django's own)."""
    client.force_login(superuser)
    return client


@pytest.fixture
def reference_data(transactional_db):
    """The groups and rating scale that migrations made. A transactional test flushes the
    tables when it ends; tests after it that need them ask for this fixture."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name="Editors").exists():
        return
    migration = importlib.import_module("claims.migrations.0003_roles_and_rating_scale")
    config = apps.get_app_config("claims")
    saved = config.models_module
    try:
        migration.create_roles(apps, None)
    finally:
        config.models_module = saved
    migration.create_ratings(apps, None)


@pytest.fixture
def worker_env(reference_data) -> dict[str, str]:
    """The environment for a real background worker (tests/workers.py) on this test's
    database; the test commits what the worker must see."""
    return worker_environment()


@pytest.fixture
def server(reference_data, settings):
    """The app on a free loopback port, in a thread per request, served by WhiteNoise like
    production (not the test server's own static handler, which knows nothing of hashed
    file names). Its tables are flushed when the test ends."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    thread = LiveServerThread("127.0.0.1", static_handler=lambda handler: handler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def website(settings):
    """A local website on 127.0.0.1 (tests/website.py): real pages and hostile answers.
    The fetcher may reach it (FACTCHECK_FETCH_ALLOWED_NETWORKS) and gives up quickly;
    a worker process gets the same settings from `website.environment()`."""
    settings.FACTCHECK_FETCH_ALLOWED_NETWORKS = ALLOWED
    for name, seconds in TIMEOUTS.items():
        setattr(settings, f"FACTCHECK_FETCH_{name}", seconds)
    site = Website().start()
    yield site
    site.stop()
