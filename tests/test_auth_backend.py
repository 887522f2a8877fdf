"""The desk's authentication backend and session store read by plain queries; they must
answer exactly what Django's own would."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from claims.backends import DeskBackend
from claims.sessions import SessionStore


def fields(user) -> dict:
    return {f.attname: getattr(user, f.attname) for f in user._meta.concrete_fields}


def test_the_user_is_the_one_the_orm_loads(reviewer):
    reviewer.last_login = timezone.now()
    reviewer.save()
    loaded = DeskBackend().get_user(reviewer.pk)
    assert fields(loaded) == fields(ModelBackend().get_user(reviewer.pk))
    assert isinstance(loaded.last_login, dt.datetime)
    assert loaded._state.adding is False


def test_no_user_for_a_missing_inactive_or_malformed_id(reviewer):
    backend = DeskBackend()
    assert backend.get_user(reviewer.pk + 1000) is None
    assert backend.get_user("not a number") is None
    reviewer.is_active = False
    reviewer.save()
    assert backend.get_user(reviewer.pk) is None


def test_permissions_are_the_ones_django_finds(editor, reviewer, outsider, superuser):
    outsider.user_permissions.add(Permission.objects.get(codename="add_note"))
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    for user in (editor, reviewer, outsider, superuser):
        ours = DeskBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
        django = ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
        assert ours == django
        assert ours  # every one of them has some
    reviewer.is_active = False
    assert DeskBackend().get_all_permissions(reviewer) == set()


def test_the_session_store_reads_what_django_wrote_and_not_an_expired_one(db):
    written = DjangoSessionStore()
    written["answer"] = 42
    written.save()
    assert SessionStore(written.session_key).load() == {"answer": 42}
    Session.objects.filter(pk=written.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(written.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("x" * 40).load() == {}
