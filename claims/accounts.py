"""Who is on the desk and what they may do: changes to users, groups and their
permissions, audited like every other change.

The Django admin saves a user or a group in two steps (the row, then its many-to-many
groups and permissions), inside one transaction. `account_state` reads what the
audit keeps of one before the change, and `user_recorded` / `group_recorded` record
the change, before and after, once both steps are done, in that same transaction. A
password is never recorded, only that it changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from . import audit
from .access import require
from .models import AuditAction

if TYPE_CHECKING:
    from django.contrib.auth.models import User

USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
]


def _permissions(permissions) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


def user_state(user: User) -> dict[str, Any]:
    """What the audit keeps of a user: fields, groups, permissions and a password stamp
    (whether it changed, never the password or its hash)."""
    state = audit.values(user, USER_FIELDS)
    state["groups"] = sorted(user.groups.values_list("name", flat=True))
    state["permissions"] = _permissions(user.user_permissions.select_related("content_type"))
    state["password_changed"] = False
    return state


def group_state(group: Group) -> dict[str, Any]:
    return {
        "name": group.name,
        "permissions": _permissions(group.permissions.select_related("content_type")),
    }


def user_recorded(
    *, actor: User, user: User, before: dict[str, Any] | None, password_before: str = ""
) -> None:
    """Record a user created (`before` None) or changed, as it is now."""
    _in_transaction()
    require(
        actor,
        "auth.add_user" if before is None else "auth.change_user",
        "Only admins can change users.",
    )
    user = get_user_model().objects.get(pk=user.pk)
    after = user_state(user)
    if before is not None and password_before and password_before != user.password:
        after["password_changed"] = True
    if after != before:
        audit.record(
            actor=actor,
            action=AuditAction.USER_CREATED if before is None else AuditAction.USER_CHANGED,
            obj=user,
            before=before,
            after=after,
        )


def user_deleted(*, actor: User, user: User) -> None:
    """Record a user about to be deleted (call it in the deletion's transaction)."""
    _in_transaction()
    require(actor, "auth.delete_user", "Only admins can delete users.")
    audit.record(actor=actor, action=AuditAction.USER_DELETED, obj=user, before=user_state(user))


def group_recorded(*, actor: User, group: Group, before: dict[str, Any] | None) -> None:
    """Record a group created (`before` None) or changed: its name and permissions."""
    _in_transaction()
    require(
        actor,
        "auth.add_group" if before is None else "auth.change_group",
        "Only admins can change groups.",
    )
    after = group_state(Group.objects.get(pk=group.pk))
    if after != before:
        audit.record(
            actor=actor,
            action=AuditAction.GROUP_CREATED if before is None else AuditAction.GROUP_CHANGED,
            obj=group,
            before=before,
            after=after,
        )


def group_deleted(*, actor: User, group: Group) -> None:
    _in_transaction()
    require(actor, "auth.delete_group", "Only admins can delete groups.")
    audit.record(
        actor=actor, action=AuditAction.GROUP_DELETED, obj=group, before=group_state(group)
    )


def _in_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("Record an account change inside the change's own transaction.")
