"""What an audit event's hash covers, written once.

An event's hash is `sha256(prev_hash + canonical JSON of its HashedEvent)`: the JSON
object of the twelve fields below, keys sorted, no spaces, non-ASCII kept as it is, the
time as UTC text ending in `Z`. The first event's `prev_hash` is GENESIS_HASH.
`event_hash()` is that definition: `record()` writes a hash with it, and `verify_chain()`
checks one with `stored_hash_matches()`, which ends in it too.

The format is that of every event recorded so far: change it and every existing chain
breaks, unless events carry a format version and old ones are checked the old way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

import orjson
from django.db import models

GENESIS_HASH = "0" * 64


class HashedEvent(NamedTuple):
    """The fields of an `AuditEvent` its hash covers (named as the model's attributes)."""

    seq: int
    created_at: dt.datetime | str  # a str is SQLite's stored text, naive UTC
    actor_id: int | None
    actor_label: str
    action: str
    article_id: int | None
    claim_id: int | None
    object_type: str
    object_id: str
    before: Any  # as jsonable() gives it: what the JSON column reads back
    after: Any
    reason: str

    def document(self) -> dict[str, Any]:
        """The JSON object the hash covers: every field, the time as UTC text."""
        return _document(self, self.before, self.after)


def _document(event: Sequence[Any], before: Any, after: Any) -> dict[str, Any]:
    """The JSON object the hash covers, of the HashedEvent fields in `event`, with `before`
    and `after` given apart: verify_chain() reads them from their JSON text.

    Spelled out by position, not zipped from HashedEvent._fields: verify_chain() builds
    one for every event, and this is twice as fast.
    """
    return {
        "seq": event[0],
        "created_at": utc_text(event[1]),
        "actor_id": event[2],
        "actor_label": event[3],
        "action": event[4],
        "article_id": event[5],
        "claim_id": event[6],
        "object_type": event[7],
        "object_id": event[8],
        "before": before,
        "after": after,
        "reason": event[11],
    }


def event_hash(prev_hash: str, event: HashedEvent) -> str:
    """The hash of `event`, the one after the event whose hash is `prev_hash`."""
    return hashlib.sha256((prev_hash + canonical_json(event.document())).encode()).hexdigest()


def stored_hash_matches(prev_hash: str, stored_hash: str, stored: Sequence[Any]) -> bool:
    """Whether an event as stored hashes to `stored_hash` as event_hash() hashed it.

    `stored` holds the HashedEvent fields as the database driver gives them: `before` and
    `after` as their JSON text, `created_at` as a datetime or SQLite's text.

    orjson first, several times faster than the json module: where its bytes hash to
    `stored_hash` they are the bytes event_hash() hashed, so the event is sound. Where
    they don't (orjson writes 1e-05 as 0.00001, refuses NaN and lone surrogates),
    event_hash() itself decides. One gap is closed by hand: orjson reads an integer
    beyond 64 bits as a float, so an altered 18446744073709551616 would pass for a
    recorded 1.8446744073709552e+19; such floats come out with an exponent, and bytes
    with "e+" anywhere always go to event_hash().
    """
    if _ORJSON_SOUND:
        before, after = stored[9], stored[10]
        try:
            fast = orjson.dumps(
                _document(
                    stored,
                    None if before is None else orjson.loads(before),
                    None if after is None else orjson.loads(after),
                ),
                option=orjson.OPT_SORT_KEYS,
            )
        except (TypeError, ValueError):  # orjson's errors are of these kinds
            pass
        else:
            if (
                b"e+" not in fast
                and hashlib.sha256(prev_hash.encode() + fast).hexdigest() == stored_hash
            ):
                return True
    return _exact_hash(prev_hash, stored) == stored_hash


def _exact_hash(prev_hash: str, stored: Sequence[Any]) -> str | None:
    """event_hash() of an event as stored; None if event_hash() could never have made it
    (JSON that isn't, NaN, a lone surrogate): such a row was altered."""
    try:
        before, after = _json_value(stored[9]), _json_value(stored[10])
        event = HashedEvent._make([*stored[:9], before, after, stored[11]])
        return event_hash(prev_hash, event)
    except (ValueError, UnicodeEncodeError):
        return None


def _json_value(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _orjson_is_sound() -> bool:
    """Whether orjson still writes the integers it can't read exactly with an exponent.

    Checked once: if a new orjson ever did otherwise, every event would go the slow way.
    """
    too_large = ("18446744073709551616", "-9223372036854775809")
    try:
        return all(b"e+" in orjson.dumps(orjson.loads(text)) for text in too_large)
    except (TypeError, ValueError):
        return True  # it refuses them, which sends them to event_hash() too


_ORJSON_SOUND = _orjson_is_sound()


def utc_text(value: dt.datetime | str) -> str:
    """`2025-01-31T12:00:00.000000Z`. A string is SQLite's stored text, naive UTC."""
    if isinstance(value, str):
        if len(value) == 26:  # "2025-01-31 12:00:00.000000": already all the digits
            return f"{value[:10]}T{value[11:]}Z"
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    # isoformat() is several times faster than strftime() and writes the same digits.
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
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
    """`value` as the canonical JSON the hash covers."""
    return _CANONICAL.encode(value)


def _float(text: str) -> float | int:
    """A JSON number with a fraction or exponent, as both SQLite and PostgreSQL give it back.

    From 1e16 up, Python writes floats with an exponent and PostgreSQL's jsonb gives them
    back as plain digits, which read as an int: such a float (always a whole number) is
    stored as that int. jsonb has no -0.0 either (it gives back 0.0): -0.0 is stored as 0.0.
    """
    number = float(text)
    if abs(number) >= 1e16:
        return int(number)
    return 0.0 if number == 0 else number


def jsonable(value: Any) -> Any:
    """`value` as it will read back from a JSON column (dates as ISO strings, …)."""
    return None if value is None else json.loads(canonical_json(value), parse_float=_float)
