from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def static_files(tmp_path_factory):
    """Collect static files once, as production does, so pages render with the manifest."""
    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")
    call_command("collectstatic", interactive=False, verbosity=0)


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
