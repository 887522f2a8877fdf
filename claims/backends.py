"""Authentication: Django's model backend, with every permission found in one query.

Each workspace page asks `has_perm()` first; Django's backend answers that with two
queries (the user's own permissions, then their groups'). This one asks once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


class DeskBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = _permissions(user_obj.pk)
        return user_obj._perm_cache


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
