"""Login throttling: a username and address that keep failing wait a cool-off (never a
permanent lock), are told so clearly, and the lockout is written to the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from claims import audit
from claims.models import AuditEvent
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)


def attempt(client, username, password, ip="203.0.113.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def fail(client, username, times, ip="203.0.113.7"):
    return [attempt(client, username, "wrong", ip).status_code for _ in range(times)]


def lockouts():
    return list(AuditEvent.objects.filter(action="login.locked_out").order_by("seq"))


def test_wrong_passwords_get_the_form_again_until_the_limit(client, reviewer):
    assert fail(client, reviewer.username, 2) == [200, 200]
    assert lockouts() == []
    assert attempt(client, reviewer.username, PASSWORD).status_code == 302


def test_the_limit_locks_the_username_and_address_out_with_a_clear_message(client, reviewer):
    assert fail(client, reviewer.username, 3) == [200, 200, 429]
    response = attempt(client, reviewer.username, PASSWORD)  # even the right password
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "After 3 wrong passwords" in page
    assert "paused for 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_audited_once_with_who_and_where(client, reviewer):
    fail(client, reviewer.username, 6)
    [event] = lockouts()
    assert event.actor is None
    assert event.after["username"] == reviewer.username
    assert event.after["ip_address"] == "203.0.113.7"
    assert event.after["failures"] == 3
    assert audit.verify_chain().ok


def test_the_lock_is_for_that_username_from_that_address_only(client, reviewer, editor):
    fail(client, reviewer.username, 3)
    assert attempt(client, reviewer.username, PASSWORD, ip="198.51.100.9").status_code == 302
    client.logout()
    assert attempt(client, editor.username, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, reviewer):
    fail(client, reviewer.username, 3)
    assert attempt(client, reviewer.username, PASSWORD).status_code == 429
    # Let the cool-off pass: the attempts are now older than 15 minutes.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert attempt(client, reviewer.username, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, reviewer):
    fail(client, reviewer.username, 2)
    assert attempt(client, reviewer.username, PASSWORD).status_code == 302
    client.logout()
    assert fail(client, reviewer.username, 2) == [200, 200]


def test_the_admin_login_is_throttled_too(client, superuser):
    codes = [
        client.post("/admin/login/", {"username": superuser.username, "password": "no"}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(client, reviewer, settings):
    # No trusted proxy: X-Forwarded-For is the client's to invent, so it is ignored.
    for spoofed in ["192.0.2.1", "192.0.2.2", "192.0.2.3"]:
        attempt(client, reviewer.username, "wrong", HTTP_X_FORWARDED_FOR=spoofed)
    assert attempt(client, reviewer.username, PASSWORD).status_code == 429

    # One trusted proxy: the address it saw (rightmost) counts, not what the client sent.
    settings.FACTCHECK_PROXY_COUNT = 1
    client_ip = "198.51.100.20"
    for invented in ["10.9.9.1", "10.9.9.2", "10.9.9.3"]:
        forwarded = f"{invented}, {client_ip}"
        attempt(client, "ruth", "wrong", ip="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    via_other_proxy = {"ip": "10.0.0.2", "HTTP_X_FORWARDED_FOR": client_ip}
    assert attempt(client, "ruth", "wrong", **via_other_proxy).status_code == 429
    assert lockouts()[-1].after["ip_address"] == client_ip
    neighbour = {"ip": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.21"}
    assert attempt(client, "ruth", "wrong", **neighbour).status_code == 200
