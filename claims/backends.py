"""Authentication: Django's model backend, with the lookups every page makes cheaper.

Each workspace page loads the session's user, then asks `has_perm()`. Django's backend
builds an ORM query for the user (which took four times as long as running it) and runs
two for the permissions (the user's own, then their groups'). This one reads the user
by one plain query, which also brings the directory stamp (raised on every change to
users, groups and permissions, see claims/deskcache.py); the permissions are one query,
kept in the cache under that stamp, so a change shows on the very next request.
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection

from .models import CacheStamp

PERMISSIONS_SECONDS = 600


class DeskBackend(ModelBackend):
    def get_user(self, user_id):
        """The session's user by one plain query, with the directory stamp."""
        user = _user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            stamp = getattr(user_obj, "_directory_stamp", None)
            key = f"permissions:u{user_obj.pk}@{stamp}"
            found = None if stamp is None else cache.get(key)
            if found is None:
                found = _permissions(user_obj.pk)
                if stamp is not None:
                    cache.set(key, found, PERMISSIONS_SECONDS)
            user_obj._perm_cache = found
        return user_obj._perm_cache


def _user_by_pk(pk) -> AbstractBaseUser | None:
    """The user row as the ORM would build it: every column, through the same converters."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(pk)
    except ValidationError:
        return None
    sql, names, converters = _user_query(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    *values, directory = row
    for i, column, functions in converters:
        for convert in functions:
            values[i] = convert(values[i], column, connection)
    user = model.from_db(connection.alias, names, values)
    user._directory_stamp = directory or 0
    return user


@functools.cache
def _user_query(alias: str) -> tuple[str, list[str], list]:
    model = get_user_model()
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    directory = (
        f"(SELECT value FROM {quote(CacheStamp._meta.db_table)}"
        f" WHERE name = '{CacheStamp.DIRECTORY}')"
    )
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)}, {directory}"
        f" FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s"
    )
    converters = []
    for i, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((i, column, functions))
    return sql, [f.attname for f in fields], converters


def _permissions(user_pk: int) -> set[str]:
    """`app_label.codename` of every permission the user has, directly or by group."""
    user = get_user_model()
    tables = {
        "permission": Permission._meta.db_table,
        "content_type": ContentType._meta.db_table,
        "own": user.user_permissions.through._meta.db_table,
        "membership": user.groups.through._meta.db_table,
        "granted": Group.permissions.through._meta.db_table,
    }
    sql = (
        "SELECT ct.app_label, p.codename FROM {permission} p"
        " JOIN {content_type} ct ON ct.id = p.content_type_id"
        " WHERE p.id IN (SELECT permission_id FROM {own} WHERE user_id = %s"
        "  UNION SELECT g.permission_id FROM {granted} g"
        "  JOIN {membership} m ON m.group_id = g.group_id WHERE m.user_id = %s)"
    ).format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_pk, user_pk])
        return {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
