"""Checking the audit trail: the hash chain, and the publications' places on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from ..models import AuditAction, AuditEvent, Publication
from .encoding import GENESIS_HASH, HashedEvent, stored_hash_matches

# Rows read at a time: a few megabytes. Larger batches are slower (they outgrow the caches).
_BATCH_ROWS = 2_000
_ALTERED = "its content does not match its hash (the row was altered)"
_UNLINKED = "its previous hash is not the hash of the event before it"


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


def verify_chain() -> ChainReport:
    """Recompute every hash in sequence order; report the first event that breaks.

    Each event is checked for its links (its `seq` one more than the last, its
    `prev_hash` the hash before it), then for its content (its hash recomputed from its
    columns). One pass in this process, on this connection: it sees what the caller
    sees, uncommitted events included, and holds nothing between calls.
    """
    count, head = 0, GENESIS_HASH
    for rows in _batches():
        for pk, prev_hash, stored_hash, *stored in rows:
            seq = stored[0]
            if seq != count + 1:
                problem = f"sequence jumps from {count} to {seq}"
            elif prev_hash != head:
                problem = _UNLINKED
            elif not stored_hash_matches(prev_hash, stored_hash, stored):
                problem = _ALTERED
            else:
                count, head = seq, stored_hash
                continue
            return ChainReport(count, head, broken_seq=seq, broken_id=pk, problem=problem)
    return ChainReport(count, head)


def _batches() -> Iterator[list[tuple[Any, ...]]]:
    """Every event's row (id, prev_hash, hash, then its HashedEvent fields), by seq, in
    batches: memory stays flat however long the chain. Events are never changed or
    deleted, so batches read one after another fit together like one read."""
    sql = _chain_query()
    last_seq = 0  # a constraint holds every seq to 1 or more
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [last_seq, _BATCH_ROWS])
            rows = cursor.fetchall()
            yield rows
            if len(rows) < _BATCH_ROWS:
                return
            last_seq = rows[-1][3]  # the last row's seq, after id, prev_hash and hash


# `created_at` read as text, "2025-01-31 12:00:00.000000" in UTC where it has microseconds,
# as SQLite stores it: cheaper to fetch than a datetime, and utc_text() takes it.
_CREATED_AT_AS_TEXT = {
    "sqlite": "CAST({} AS TEXT)",  # the stored text, without Django's conversion to datetime
    "postgresql": "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
}


def _chain_query() -> str:
    """SELECT the id, prev_hash, hash and HashedEvent fields of the events after a seq,
    by seq, up to a number of them.

    Raw SQL for the driver's own values, without Django's per-value converters (they
    cost more than the whole check): JSON columns arrive as text on SQLite and
    PostgreSQL alike, `created_at` as text (_CREATED_AT_AS_TEXT).
    """
    as_text = _CREATED_AT_AS_TEXT.get(connection.vendor, "{}")
    columns = [
        as_text.format(_column(name)) if name == "created_at" else _column(name)
        for name in ("id", "prev_hash", "hash", *HashedEvent._fields)
    ]
    table, seq = connection.ops.quote_name(AuditEvent._meta.db_table), _column("seq")
    return f"SELECT {', '.join(columns)} FROM {table} WHERE {seq} > %s ORDER BY {seq} LIMIT %s"


def _column(name: str) -> str:
    field = AuditEvent._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"AuditEvent.{name} is not a column")
    return connection.ops.quote_name(field.column)


def publications_off_chain() -> list[str]:
    """Problems with publications' recorded chain heads; empty when all are sound.

    Each publication stores the chain head it was published on, and the very next event
    must be its own `article.published`/`article.corrected`, naming that head too.
    """
    heads = list(Publication.objects.order_by("pk").values_list("pk", "article_id", "audit_head"))
    on_chain = set(
        AuditEvent.objects.filter(hash__in=[head for _, _, head in heads]).values_list(
            "hash", flat=True
        )
    )
    publishing = [AuditAction.ARTICLE_PUBLISHED, AuditAction.ARTICLE_CORRECTED]
    recorded = {
        prev_hash: (object_id, article_id, (after or {}).get("audit_head"))
        for prev_hash, object_id, article_id, after in AuditEvent.objects.filter(
            object_type="publication", action__in=publishing
        ).values_list("prev_hash", "object_id", "article_id", "after")
    }
    problems = []
    for pk, article_id, head in heads:
        if head not in on_chain:
            problems.append(f"publication {pk}: its head {head[:12]}… is not on the chain")
        elif recorded.get(head) != (str(pk), article_id, head):
            problems.append(
                f"publication {pk}: the event after its head {head[:12]}… is not its publishing"
            )
    return problems
