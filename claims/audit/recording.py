"""Appending to the audit trail.

`record()` is the one place that creates `AuditEvent` rows. Every service calls it
inside the same `transaction.atomic()` block as the change it describes, so an event
exists if and only if its change was committed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models

from ..models import Article, AuditAction, AuditEvent, Claim
from .encoding import GENESIS_HASH, HashedEvent, event_hash, jsonable

SYSTEM_ACTOR = "system"
# Any fixed 64-bit number; PostgreSQL advisory locks are keyed by it.
_CHAIN_LOCK_KEY = 0x5F_AC_7C_EC_00_00_0A_01


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: AuditAction,
    article: Article | None = None,
    claim: Claim | None = None,
    obj: models.Model | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the change's own transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of its change")
    action_value = _known(action)
    _lock_chain()
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    last_seq, prev_hash = head if head else (0, GENESIS_HASH)
    if claim is not None and article is None:
        article = claim.article
    user = actor if isinstance(actor, get_user_model()) else None  # not anonymous, not None
    event = AuditEvent(
        seq=last_seq + 1,
        created_at=dt.datetime.now(dt.UTC),
        actor=user,
        actor_label=user.get_username() if user else SYSTEM_ACTOR,
        action=action_value,
        article=article,
        claim=claim,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=jsonable(before),
        after=jsonable(after),
        reason=reason,
        prev_hash=prev_hash,
    )
    hashed = HashedEvent._make(getattr(event, name) for name in HashedEvent._fields)
    event.hash = event_hash(prev_hash, hashed)
    event.save()
    return event


def _known(action: str) -> str:
    """The action's value, a plain str (it is hashed), if it is an AuditAction."""
    try:
        return AuditAction(action).value
    except ValueError:
        raise ValueError(
            f"{action!r} is not an audit action: add it to AuditAction in claims/models.py "
            "(with a migration for the field's choices) and say in claims/audit/replaying.py "
            "what it does to a claim."
        ) from None


def _lock_chain() -> None:
    """Serialise appends so no two events claim the same place in the chain.

    On PostgreSQL a transaction-scoped advisory lock; SQLite takes its write lock at
    BEGIN (settings use IMMEDIATE transactions), which serialises writers already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def values(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of `instance` as JSON-ready values (a foreign key as its id), for
    before/after."""
    return jsonable({name: instance.serializable_value(name) for name in fields})


def chain_head() -> str:
    """The hash of the latest event: what a publication records as its place on the chain."""
    head = AuditEvent.objects.order_by("-seq").values_list("hash", flat=True).first()
    return head or GENESIS_HASH
