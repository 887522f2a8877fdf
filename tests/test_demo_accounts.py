import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


def demo(*args) -> str:
    out = StringIO()
    call_command("demo_accounts", *args, stdout=out)
    return out.getvalue()


def test_demo_accounts_are_refused_outside_demo_mode(db):
    with pytest.raises(CommandError, match="FACTCHECK_DEMO=1"):
        demo()
    assert not get_user_model().objects.exists()


def test_demo_accounts_are_made_once_and_their_passwords_printed_once(db, settings, client):
    settings.FACTCHECK_DEMO = True
    first = demo()
    passwords = dict(re.findall(r"^\s+(\w+)\s+(\S+)\s+\(", first, re.MULTILINE))
    assert set(passwords) == {"editor", "reviewer", "reviewer2", "admin"}
    users = {u.username: u for u in get_user_model().objects.all()}
    assert [g.name for g in users["editor"].groups.all()] == ["Editors"]
    assert [g.name for g in users["reviewer2"].groups.all()] == ["Reviewers"]
    assert users["admin"].is_superuser
    login = {"username": "reviewer", "password": passwords["reviewer"]}
    assert client.post("/accounts/login/", login)["Location"] == "/review/"

    second = demo()
    assert "Demo accounts exist" in second
    assert not any(password in second for password in passwords.values())

    reset = demo("--reset")
    new_passwords = dict(re.findall(r"^\s+(\w+)\s+(\S+)\s+\(", reset, re.MULTILINE))
    assert new_passwords.keys() == passwords.keys()
    assert new_passwords["editor"] != passwords["editor"]
