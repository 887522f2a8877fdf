from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.backends.base.operations import BaseDatabaseOperations

from tests import audit_guards
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def static_files(tmp_path_factory):
    """Collect static files once, as production does, so pages render with the manifest."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")
    call_command("collectstatic", interactive=False, verbosity=0)


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
def fast_password_hashing(settings):
    """Production hashing is slow on purpose; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return UserFactory(username="edith", groups=["Editors"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rafael", groups=["Reviewers"])


@pytest.fixture
def second_reviewer(db):
    return UserFactory(username="ruth", groups=["Reviewers"])


@pytest.fixture
def outsider(db):
    """Logged in, but in neither group."""
    return UserFactory(username="oscar")


@pytest.fixture
def superuser(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)
