"""The append-only, hash-chained audit trail.

`record()` is the one place that creates `AuditEvent` rows. Every service calls it
inside the same `transaction.atomic()` block as the change it describes, so an event
exists if and only if its change was committed.

Each event's hash is `sha256(prev_hash + canonical JSON of the event)`; the first
event's `prev_hash` is 64 zeros. `verify_chain()` recomputes every hash in order and
names the first event that does not fit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models

from .models import AuditEvent

GENESIS_HASH = "0" * 64
SYSTEM_ACTOR = "system"
# Any fixed 64-bit number; PostgreSQL advisory locks are keyed by it.
_CHAIN_LOCK_KEY = 0x5F_AC_7C_EC_00_00_0A_01


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"{type(value).__name__} can't go into an audit event")


def canonical_json(value: Any) -> str:
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def jsonable(value: Any) -> Any:
    """`value` as it will read back from a JSON column (dates as ISO strings, …)."""
    return None if value is None else json.loads(canonical_json(value))


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    prev_hash: str,
    *,
    seq: int,
    created_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    article_id: int | None,
    claim_id: int | None,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
    reason: str,
) -> str:
    payload = canonical_json(
        {
            "seq": seq,
            "created_at": _timestamp(created_at),
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": action,
            "article_id": article_id,
            "claim_id": claim_id,
            "object_type": object_type,
            "object_id": object_id,
            "before": before,
            "after": after,
            "reason": reason,
        }
    )
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _lock_chain() -> None:
    """Serialise appends so no two events claim the same place in the chain.

    On PostgreSQL a transaction-scoped advisory lock; SQLite takes its write lock at
    BEGIN (settings use IMMEDIATE transactions), which serialises writers already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def record(
    *,
    actor,
    action: str,
    article=None,
    claim=None,
    obj: models.Model | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the change's own transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of its change")
    _lock_chain()
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    last_seq, prev_hash = head if head else (0, GENESIS_HASH)
    if claim is not None and article is None:
        article = claim.article
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        seq=last_seq + 1,
        created_at=dt.datetime.now(dt.UTC),
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else SYSTEM_ACTOR,
        action=action,
        article=article,
        claim=claim,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=jsonable(before),
        after=jsonable(after),
        reason=reason,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(
        prev_hash,
        seq=event.seq,
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        article_id=event.article_id,
        claim_id=event.claim_id,
        object_type=event.object_type,
        object_id=event.object_id,
        before=event.before,
        after=event.after,
        reason=event.reason,
    )
    event.save()
    return event


def values(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of `instance` as JSON-ready values, for before/after."""
    result = {}
    for name in fields:
        field = instance._meta.get_field(name)
        result[name] = getattr(instance, field.attname)
    return jsonable(result)


@dataclass(frozen=True)
class ChainReport:
    count: int
    head: str
    broken_seq: int | None = None
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


_CHAIN_FIELDS = (
    "id",
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "article_id",
    "claim_id",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "prev_hash",
    "hash",
)


def verify_chain() -> ChainReport:
    """Recompute every hash in sequence order; report the first event that breaks."""
    count, prev_hash, expected_seq = 0, GENESIS_HASH, 1
    rows = AuditEvent.objects.order_by("seq").values_list(*_CHAIN_FIELDS)
    for row in rows.iterator(chunk_size=5000):
        (pk, seq, created_at, actor_id, actor_label, action, article_id, claim_id) = row[:8]
        (object_type, object_id, before, after, reason, stored_prev, stored_hash) = row[8:]
        problem = ""
        if seq != expected_seq:
            problem = f"sequence jumps from {expected_seq - 1} to {seq}"
        elif stored_prev != prev_hash:
            problem = "its previous hash is not the hash of the event before it"
        elif stored_hash != event_hash(
            prev_hash,
            seq=seq,
            created_at=created_at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            article_id=article_id,
            claim_id=claim_id,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            reason=reason,
        ):
            problem = "its content does not match its hash (the row was altered)"
        if problem:
            return ChainReport(count, prev_hash, broken_seq=seq, broken_id=pk, problem=problem)
        count, prev_hash, expected_seq = count + 1, stored_hash, expected_seq + 1
    return ChainReport(count, prev_hash)


def chain_head() -> str:
    head = AuditEvent.objects.order_by("-seq").values_list("hash", flat=True).first()
    return head or GENESIS_HASH
