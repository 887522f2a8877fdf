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
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import orjson
from django.db import connection, connections, models
from django.db.models import Max

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


# One encoder for every event: building a JSONEncoder per call costs more than encoding.
_CANONICAL = json.JSONEncoder(
    sort_keys=True,
    separators=(",", ":"),
    ensure_ascii=False,
    allow_nan=False,
    default=_json_default,
)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def _float(text: str) -> float | int:
    """A JSON number with a fraction or exponent. From 1e16 up, Python writes floats with an
    exponent and PostgreSQL's jsonb gives them back as plain digits, which read as an int:
    such a float (always a whole number) is stored as that int, the same on both."""
    number = float(text)
    return int(number) if abs(number) >= 1e16 else number


def jsonable(value: Any) -> Any:
    """`value` as it will read back from a JSON column (dates as ISO strings, …)."""
    return None if value is None else json.loads(canonical_json(value), parse_float=_float)


def _timestamp(value: dt.datetime | str) -> str:
    """`2025-01-31T12:00:00.000000Z`. A string is SQLite's stored text, naive UTC."""
    if isinstance(value, str):
        if len(value) == 26:  # "2025-01-31 12:00:00.000000": already all the digits
            return f"{value[:10]}T{value[11:]}Z"
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    # isoformat() is several times faster than strftime() and writes the same digits.
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def event_hash(prev_hash: str, **fields: Any) -> str:
    """sha256(prev_hash + the canonical JSON of the event); `fields` as _payload() names them."""
    return hashlib.sha256((prev_hash + _payload(**fields)).encode()).hexdigest()


def _payload(
    seq: int,
    created_at: dt.datetime | str,
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
    """The canonical JSON an event's hash covers: canonical_json() of all its fields.

    Built in pieces, as it runs for every event recorded (and every row verify_chain()
    can't check the fast way): the encoder takes the keys around the nested JSON
    ("after", "article_id", "before"), the plain fields are written in their sorted
    places by hand. tests/test_verify_parallel.py holds it to canonical_json() of the
    whole dict.
    """
    nested = canonical_json({"after": after, "article_id": article_id, "before": before})
    return (
        f'{{"action":{_quoted(action)},"actor_id":{_number(actor_id)},'
        f'"actor_label":{_quoted(actor_label)},{nested[1:-1]},"claim_id":{_number(claim_id)},'
        f'"created_at":{_quoted(_timestamp(created_at))},"object_id":{_quoted(object_id)},'
        f'"object_type":{_quoted(object_type)},"reason":{_quoted(reason)},"seq":{seq:d}}}'
    )


_quoted = json.encoder.encode_basestring  # a str as JSON, non-ASCII kept: as canonical_json


def _number(value: int | None) -> str:
    return "null" if value is None else f"{value:d}"


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


# The columns verify_chain() reads, in this order: the row's id, its links, then the stored
# columns its hash covers in event_hash()'s keyword order.
_ROW_COLUMNS = (
    "id",
    "prev_hash",
    "hash",
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
)
# Below this many events, starting processes costs more than it saves.
_PARALLEL_MIN_EVENTS = 20_000
_FETCH_ROWS = 5_000
_ALTERED = "its content does not match its hash (the row was altered)"
_UNLINKED = "its previous hash is not the hash of the event before it"


class _Range(NamedTuple):
    """What checking one range of `seq` found; links into the range are checked by its caller.

    first: (seq, id, prev_hash) of its first row; last: (seq, hash) of its last sound row;
    broken: (seq, id, count, head, problem) of its first unsound row, as ChainReport has them.
    """

    first: tuple[int, int, str] | None
    last: tuple[int, str] | None
    broken: tuple[int, int, int, str, str] | None


def verify_chain(*, processes: int | None = None) -> ChainReport:
    """Recompute every hash in sequence order; report the first event that breaks.

    Each event is checked for its links (its `seq` one more than the last, its `prev_hash`
    the hash before it) and then for its content (its hash recomputed from its columns).
    A large chain is split by `seq` into ranges checked in parallel, one per process
    (default: one per CPU), this process taking the first; the links between ranges are
    checked here, in order, so the first event to fail either check is reported.
    """
    count, head = 0, GENESIS_HASH
    for checked in _check_ranges(processes):
        if checked.first is None:
            continue
        seq, pk, stored_prev = checked.first
        if seq != count + 1:
            problem = f"sequence jumps from {count} to {seq}"
            return ChainReport(count, head, broken_seq=seq, broken_id=pk, problem=problem)
        if stored_prev != head:
            return ChainReport(count, head, broken_seq=seq, broken_id=pk, problem=_UNLINKED)
        if checked.broken:
            seq, pk, count, head, problem = checked.broken
            return ChainReport(count, head, broken_seq=seq, broken_id=pk, problem=problem)
        count, head = checked.last
    return ChainReport(count, head)


def _check_ranges(processes: int | None) -> Iterator[_Range]:
    """Every event's range checked, in `seq` order: here, or split across processes."""
    processes = processes or os.cpu_count() or 1
    last_seq = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0
    # Other connections can't see this transaction's uncommitted events: check them here.
    if (
        processes < 2
        or last_seq < _PARALLEL_MIN_EVENTS
        or connection.in_atomic_block
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield _check_range(None, None)
        return
    _close_connections()  # each process opens its own: a socket is never shared
    # Forking copies only this thread; beside other threads (a server's, say) it isn't safe.
    if threading.active_count() > 1:
        yield _check_range(None, None)
        return
    # The first and last ranges are open: none of the chain is left out of them.
    step = -(-last_seq // processes)
    bounds = [(lo, lo + step - 1) for lo in range(1, last_seq + 1, step)]
    bounds[0], bounds[-1] = (None, bounds[0][1]), (bounds[-1][0], None)
    pool = ProcessPoolExecutor(len(bounds) - 1, mp_context=multiprocessing.get_context("fork"))
    pending = [pool.submit(_check_range_in_process, lo, hi) for lo, hi in bounds[1:]]
    pool.shutdown(wait=False)  # the processes end with their checks
    yield _check_range(*bounds[0])
    for future in pending:
        yield future.result()


# Connections a forked process found open: its parent's sockets. Kept, never used, never
# closed (closing would end the parent's session); the process exits without finalisers.
_INHERITED: list = []


def _check_range_in_process(lo: int | None, hi: int | None) -> _Range:
    for conn in connections.all():
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None
    try:
        return _check_range(lo, hi)
    finally:
        _close_connections()


def _close_connections() -> None:
    """Close this thread's connections and every pool, whichever thread opened it.

    A forked process must not inherit a pooled connection: two processes on one socket
    break both. Pools are shared by the threads of a process, so all of them go.
    """
    for conn in connections.all():
        conn.close()
        if hasattr(conn, "close_pool"):  # PostgreSQL: the pool's connections and threads
            conn.close_pool()


# `created_at` read as text, "2025-01-31 12:00:00.000000" in UTC where it has microseconds,
# as SQLite stores it: cheaper to fetch than a datetime, and _timestamp() takes it.
_CREATED_AT_AS_TEXT = {
    "sqlite": "CAST({} AS TEXT)",  # the stored text, without Django's conversion to datetime
    "postgresql": "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
}


def _range_query(lo: int | None, hi: int | None) -> tuple[str, list[int]]:
    """SELECT the _ROW_COLUMNS of the events with lo <= seq <= hi (None: no bound), by seq."""
    meta, quote = AuditEvent._meta, connection.ops.quote_name
    seq = quote(meta.get_field("seq").column)
    bounds = [(f"{seq} >= %s", lo), (f"{seq} <= %s", hi)]
    where = " AND ".join(condition for condition, bound in bounds if bound is not None)
    columns = ", ".join(
        _CREATED_AT_AS_TEXT.get(connection.vendor, "{}").format(quote(meta.get_field(name).column))
        if name == "created_at"
        else quote(meta.get_field(name).column)
        for name in _ROW_COLUMNS
    )
    sql = f"SELECT {columns} FROM {quote(meta.db_table)}"
    sql += f" WHERE {where}" if where else ""
    return f"{sql} ORDER BY {seq}", [bound for _, bound in bounds if bound is not None]


def _check_range(lo: int | None, hi: int | None) -> _Range:
    """Check the events with lo <= seq <= hi: links between them, and every row's content.

    The driver's own values, without Django's per-value converters: JSON columns arrive
    as text on SQLite and PostgreSQL alike, `created_at` as text (_CREATED_AT_AS_TEXT).

    Each row's hash is first recomputed with orjson, several times faster than the json
    module. Where orjson's bytes differ from canonical_json()'s (it writes 1e-05 as
    0.00001) the hash does not match, and _exact_hash() recomputes the row as
    event_hash() did: the row is altered only if that fails too. A match is as strict,
    since the bytes hashed are then those recorded, and orjson reads stored JSON as json
    does but for integers beyond 64 bits, which it reads as floats (an altered
    18446744073709551616 would pass for a recorded 1.8446744073709552e+19): those come
    out with an exponent, and a payload with "e+" anywhere always goes the exact way, as
    does one orjson refuses (NaN, a lone surrogate).
    """
    sql, params = _range_query(lo, hi)
    first = last = None
    dumps, sort_keys, sha256 = orjson.dumps, orjson.OPT_SORT_KEYS, hashlib.sha256
    loads = orjson.loads if _ORJSON_SOUND else _refuse
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(_FETCH_ROWS):
            for row in chunk:
                (
                    pk,
                    stored_prev,
                    stored_hash,
                    seq,
                    created_at,
                    actor_id,
                    actor_label,
                    action,
                    article_id,
                    claim_id,
                    object_type,
                    object_id,
                    before,
                    after,
                    reason,
                ) = row
                if last is None:
                    first = (seq, pk, stored_prev)
                elif seq != last[0] + 1:
                    problem = f"sequence jumps from {last[0]} to {seq}"
                    return _Range(first, last, (seq, pk, *last, problem))
                elif stored_prev != last[1]:
                    return _Range(first, last, (seq, pk, *last, _UNLINKED))
                if created_at.__class__ is str and len(created_at) == 26:
                    timestamp = f"{created_at[:10]}T{created_at[11:]}Z"
                else:
                    timestamp = _timestamp(created_at)
                try:
                    payload = dumps(
                        {
                            "action": action,
                            "actor_id": actor_id,
                            "actor_label": actor_label,
                            "after": None if after is None else loads(after),
                            "article_id": article_id,
                            "before": None if before is None else loads(before),
                            "claim_id": claim_id,
                            "created_at": timestamp,
                            "object_id": object_id,
                            "object_type": object_type,
                            "reason": reason,
                            "seq": seq,
                        },
                        option=sort_keys,
                    )
                except (TypeError, ValueError):  # orjson's errors are of these kinds
                    payload = None
                if (
                    payload is None
                    or b"e+" in payload
                    or sha256(stored_prev.encode() + payload).hexdigest() != stored_hash
                ) and _exact_hash(row) != stored_hash:
                    return _Range(first, last, (seq, pk, seq - 1, stored_prev, _ALTERED))
                last = (seq, stored_hash)
    return _Range(first, last, None)


def _exact_hash(row: tuple) -> str:
    """A row of _ROW_COLUMNS hashed exactly as event_hash() hashed it when it was recorded."""
    _, stored_prev, _, *fields, before, after, reason = row
    before = None if before is None else json.loads(before)
    after = None if after is None else json.loads(after)
    return hashlib.sha256(
        (stored_prev + _payload(*fields, before, after, reason)).encode()
    ).hexdigest()


def _refuse(text: str) -> Any:
    raise ValueError("orjson is not used: every row is hashed the exact way")


def _orjson_is_sound() -> bool:
    """Whether orjson still writes the integers it can't read exactly with an exponent.

    Checked once: if a new orjson ever did otherwise, verify_chain() would only be slower.
    """
    too_large = ("18446744073709551616", "-9223372036854775809")
    try:
        return all(b"e+" in orjson.dumps(orjson.loads(text)) for text in too_large)
    except (TypeError, ValueError):
        return True  # it refuses them, which sends them the exact way too


_ORJSON_SOUND = _orjson_is_sound()


def chain_head() -> str:
    head = AuditEvent.objects.order_by("-seq").values_list("hash", flat=True).first()
    return head or GENESIS_HASH


def publications_off_chain() -> list[str]:
    """Problems with publications' recorded chain heads; empty when all are sound.

    Each publication stores the chain head it was published on, and the very next event
    must be its own `article.published`/`article.corrected`, naming that head too.
    """
    from .models import Publication

    heads = list(Publication.objects.order_by("pk").values_list("pk", "article_id", "audit_head"))
    on_chain = set(
        AuditEvent.objects.filter(hash__in=[head for _, _, head in heads]).values_list(
            "hash", flat=True
        )
    )
    recorded = {
        prev_hash: (object_id, article_id, (after or {}).get("audit_head"))
        for prev_hash, object_id, article_id, after in AuditEvent.objects.filter(
            object_type="publication", action__in=["article.published", "article.corrected"]
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


# --- replay ----------------------------------------------------------------------------------

CLAIM_FIELDS = ("status", "wording", "assignee", "dismissed_reason")


@dataclass
class ClaimState:
    """What the audit trail says a claim was, after event `seq`."""

    status: str
    wording: str
    assignee: int | None = None
    dismissed_reason: str = ""
    verdict: dict[str, Any] | None = None
    sources: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    seq: int = 0

    @property
    def approver(self) -> int | None:
        return self.verdict["approved_by"] if self.verdict else None


# Status a verdict event leaves its claim in; the service sets it with the verdict.
_VERDICT_STATUS = {
    "verdict.proposed": "proposed",
    "verdict.changed": "proposed",
    "verdict.approved": "approved",
    "verdict.approved_override": "approved",
}


def replay(events, claims: dict[int, ClaimState] | None = None) -> dict[int, ClaimState]:
    """Rebuild claims from their events, in sequence order, starting from nothing.

    `events` are AuditEvents (or anything with the same attributes). Events that don't
    concern a claim's review state (publishing, the rating scale, logins) pass by.
    """
    claims = {} if claims is None else claims
    for event in events:
        after = event.after or {}
        if event.action == "article.imported":
            for listed in after["claims"]:
                claims[listed["id"]] = ClaimState(
                    status=listed["status"],
                    wording=listed["wording"],
                    dismissed_reason=listed["dismissed_reason"],
                    seq=event.seq,
                )
            continue
        state = claims.get(event.claim_id)
        if state is None:
            continue
        object_id = int(event.object_id) if event.object_id else None
        if event.action.startswith("claim."):
            for name in CLAIM_FIELDS:
                setattr(state, name, after[name])
        elif event.action == "source.added":
            state.sources[object_id] = after
            if state.status == "new":  # a new claim goes into review once worked on
                state.status = "in_review"
        elif event.action == "source.removed":
            del state.sources[object_id]
        elif event.action == "note.added":
            state.notes[object_id] = after["body"]
        elif event.action in _VERDICT_STATUS:
            state.verdict, state.status = after, _VERDICT_STATUS[event.action]
        elif event.action == "verdict.sent_back":
            for name in CLAIM_FIELDS:
                setattr(state, name, after[name])
            state.verdict = after["verdict"]
        state.seq = event.seq
    return claims


def import_of(claim) -> models.Q:
    """The event that imported `claim`'s article (and with it the claim)."""
    return models.Q(article_id=claim.article_id, action="article.imported")


def claim_events(claim):
    """Every event that shaped `claim`: its article's import and the claim's own."""
    return AuditEvent.objects.filter(models.Q(claim=claim) | import_of(claim))


def claim_as_of(claim, seq: int) -> ClaimState | None:
    """The claim as it stood right after event `seq` (None before its import)."""
    return replay(claim_events(claim).filter(seq__lte=seq).order_by("seq")).get(claim.pk)
