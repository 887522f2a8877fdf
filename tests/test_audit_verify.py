"""verify_chain() names the first event that breaks the chain, wherever it is, and the
hash it checks is the one record() wrote, whatever the values (one encoder for both)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.db import connection, transaction

from claims import audit
from claims.audit import encoding, verifying
from claims.models import AuditAction, AuditEvent
from tests import audit_guards

ACTIONS = list(AuditAction)


def append(count: int, **fields) -> None:
    """`count` events, one of each action in turn; `fields` as record() takes them."""
    for n in range(count):
        after = fields.get("after", {"n": n, "text": "Ünïcode “quoted”"})
        audit.record(actor=None, action=ACTIONS[n % len(ACTIONS)], **(fields | {"after": after}))


@pytest.fixture(params=[None, 7], ids=["one batch", "batches of 7"])
def chain(db, request, monkeypatch) -> list[AuditEvent]:
    """40 events, read in one batch or in batches of 7 (ends at 7, 14, 21, 28 and 35)."""
    if request.param:
        monkeypatch.setattr(verifying, "_BATCH_ROWS", request.param)
    append(40)
    return list(AuditEvent.objects.order_by("seq"))


def alter(event: AuditEvent, sql: str, params: list) -> None:
    with audit_guards.suspended(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE claims_auditevent SET {sql} WHERE id = %s", [*params, event.pk])


def remove(seqs: list[int]) -> None:
    with audit_guards.suspended(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM claims_auditevent WHERE seq IN ({', '.join(['%s'] * len(seqs))})", seqs
        )


def test_an_intact_chain_verifies(chain):
    assert audit.verify_chain() == audit.ChainReport(40, chain[-1].hash)


@pytest.mark.django_db(transaction=True)
def test_a_committed_chain_verifies_outside_any_transaction():
    """On PostgreSQL the rows come through a server-side cursor, which then must outlive
    the statement's own transaction."""
    with transaction.atomic():
        append(30)
    report = audit.verify_chain()
    assert (report.ok, report.count) == (True, 30)


@pytest.mark.parametrize("seq", [1, 14, 27, 40])
def test_it_names_the_first_altered_row_wherever_it_is(chain, seq):
    alter(chain[seq - 1], "reason = %s", ["forged"])
    alter(chain[-1], "reason = %s", ["forged too"])  # a later break is not reported
    report = audit.verify_chain()
    assert (report.broken_seq, report.broken_id) == (seq, chain[seq - 1].pk)
    assert report.count == seq - 1
    assert report.head == chain[seq - 1].prev_hash
    assert "content does not match" in report.problem


def test_an_earlier_broken_link_wins_over_a_later_altered_row(chain):
    alter(chain[9], "prev_hash = %s", ["f" * 64])
    alter(chain[29], "action = %s", ["forged"])
    report = audit.verify_chain()
    assert (report.broken_seq, report.count) == (10, 9)
    assert "previous hash" in report.problem


@pytest.mark.parametrize(
    ("removed", "problem"),
    [
        ([1], "sequence jumps from 0 to 2"),
        ([14], "sequence jumps from 13 to 15"),
        ([15], "sequence jumps from 14 to 16"),
        ([28, 29], "sequence jumps from 27 to 30"),
        (list(range(15, 29)), "sequence jumps from 14 to 29"),
        ([40], ""),  # the last event: the chain is one shorter, and intact
    ],
)
def test_it_finds_removed_events(chain, removed, problem):
    remove(removed)
    assert audit.verify_chain().problem == problem


@pytest.mark.parametrize("seq", [2, 8, 15, 40])
def test_a_broken_link_is_reported_before_the_same_rows_content(chain, seq):
    alter(chain[seq - 1], "prev_hash = %s", ["e" * 64])
    alter(chain[seq - 1], "reason = %s", ["forged"])
    report = audit.verify_chain()
    assert (report.broken_seq, report.count) == (seq, seq - 1)
    assert report.head == chain[seq - 2].hash
    assert "previous hash" in report.problem


@pytest.mark.parametrize(
    "stored_json",
    ["{not json", '{"n": NaN}', '{"n": "\\ud800"}'],
    ids=["not JSON", "NaN", "a lone surrogate"],
)
def test_json_no_record_could_have_written_does_not_match_any_hash(stored_json):
    """Databases refuse most of these in a JSON column; were one there, it is an altered
    row, not a crash."""
    stored = (5, "2026-01-31 23:59:58.000001", None, "system", "note.added", None, None)
    stored += ("", "", None, stored_json, "")
    assert not encoding.stored_hash_matches(audit.GENESIS_HASH, "0" * 64, stored)


# --- one encoder: what record() hashed is what verify_chain() checks ---------------------

# Values orjson writes otherwise than the canonical JSON (1e-05 as 0.00001), or reads
# otherwise than json (integers beyond 64 bits as floats), or the JSON column keeps in its
# own way (PostgreSQL's jsonb: 1e16 as digits), beside plain ones.
TRICKY = [
    {"small": 1e-05, "tiny": 1.5e-07, "third": 1 / 3, "negative": -0.0, "whole": 2.0},
    {"n": 2**64, "m": -(2**63) - 1, "huge": 10**30, "u64": 2**64 - 1},
    {"big float": 1e16, "bigger": -2.5e19},
    {"nested": {"z": [0.1, 1.5e-07, None, True], "a": "e+ in text", "": {}}},
    {"text": 'Ünïcode “quoted” \u2028 \x7f \u0001 \t\n\\ " 😀 ﷽', "ключ": "значение"},
    {"none": None, "empty": "", "list": [], "date": "2024-02-29"},
    None,
    "just a string",
    [1, "two", 3.5],
]


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_values_recorded_verify_and_read_back_as_recorded(db, value):
    append(2, after=value, before=value, reason="“réason”")
    events = list(AuditEvent.objects.order_by("seq"))
    assert audit.verify_chain() == audit.ChainReport(2, events[-1].hash)
    assert events[0].after == audit.jsonable(value)


@pytest.mark.parametrize("value", TRICKY)
def test_an_altered_row_with_tricky_values_is_caught(db, value):
    append(3, after=value)
    alter(AuditEvent.objects.get(seq=2), "reason = %s", ["forged"])
    report = audit.verify_chain()
    assert (report.broken_seq, report.count) == (2, 1)
    assert "content does not match" in report.problem


def test_the_hash_is_sha256_of_the_previous_hash_and_the_events_canonical_json():
    """The format, spelled out once more by hand: changing it breaks every chain."""
    event = audit.HashedEvent(
        seq=41,
        created_at=dt.datetime(2026, 1, 31, 23, 59, 58, 1, tzinfo=dt.UTC),
        actor_id=7,
        actor_label="ann",
        action="claim.taken",
        article_id=3,
        claim_id=None,
        object_type="claim",
        object_id="12",
        before={"b": [1, 2.5, None], "a": "x"},
        after=None,
        reason="Ü",
    )
    payload = (
        '{"action":"claim.taken","actor_id":7,"actor_label":"ann","after":null,'
        '"article_id":3,"before":{"a":"x","b":[1,2.5,null]},"claim_id":null,'
        '"created_at":"2026-01-31T23:59:58.000001Z","object_id":"12","object_type":"claim",'
        '"reason":"Ü","seq":41}'
    )
    expected = hashlib.sha256(("ab" * 32 + payload).encode()).hexdigest()
    assert audit.event_hash("ab" * 32, event) == expected


@pytest.mark.parametrize("value", TRICKY)
def test_a_stored_row_matches_the_hash_of_its_event(value):
    """What verify_chain() checks (the stored JSON text, read fast or exactly) against
    what record() wrote: the same answer, as SQLite and PostgreSQL store the text."""
    recorded = audit.jsonable(value)
    event = audit.HashedEvent(1, "2026-01-31 23:59:58.000001", None, "system", "x", None, None,
                              "", "", recorded, recorded, "")  # fmt: skip
    good = audit.event_hash(audit.GENESIS_HASH, event)
    for text in (json.dumps(recorded), json.dumps(recorded, ensure_ascii=False)):
        stored = (*event[:9], text, text, "")
        assert encoding.stored_hash_matches(audit.GENESIS_HASH, good, stored)
        assert not encoding.stored_hash_matches(audit.GENESIS_HASH, good, (*stored[:11], "x"))


# --- the fast path: orjson first, the exact way where their bytes differ -----------------


def test_the_fast_path_is_in_use():
    assert encoding._ORJSON_SOUND


def test_only_rows_orjson_writes_otherwise_are_hashed_the_exact_way(db, monkeypatch):
    exact, exact_hash = [], encoding._exact_hash

    def counted(prev_hash, stored):
        exact.append(stored[0])
        return exact_hash(prev_hash, stored)

    monkeypatch.setattr(encoding, "_exact_hash", counted)
    append(6)
    for after in ({"small": 1e-05}, {"n": 2**64}, {"text": "e+ in text"}, {"x": 0.5}):
        audit.record(actor=None, action=AuditAction.NOTE_ADDED, after=after)
    assert audit.verify_chain().ok
    assert exact == [7, 8, 9]


def test_minus_zero_is_recorded_as_zero_and_verifies(db):
    """PostgreSQL's jsonb gives -0.0 back as 0.0; were it kept its row would never verify
    there."""
    event = audit.record(actor=None, action=AuditAction.NOTE_ADDED, after={"z": -0.0, "l": [-0.0]})
    assert str(event.after) == "{'l': [0.0], 'z': 0.0}"
    assert audit.verify_chain().ok


def test_a_float_beyond_1e16_is_recorded_as_its_integer_and_verifies(db):
    """PostgreSQL's jsonb gives 1e16 back as 10000000000000000; were it kept as a float
    its row would never verify there."""
    event = audit.record(actor=None, action=AuditAction.NOTE_ADDED, after={"n": 1e16, "m": -2.5e19})
    assert event.after == {"n": 10**16, "m": -25 * 10**18}
    assert AuditEvent.objects.get(seq=1).after == event.after
    assert audit.verify_chain().ok


def test_an_integer_turned_into_the_float_orjson_would_read_is_caught(db):
    """orjson reads 18446744073709551616 as the float 1.8446744073709552e+19; a row that
    now says that float, where the integer was recorded, must not pass for it."""
    audit.record(actor=None, action=AuditAction.NOTE_ADDED, after={"n": 2**64})
    assert audit.verify_chain().ok
    alter(AuditEvent.objects.get(seq=1), "after = %s", ['{"n": 1.8446744073709552e19}'])
    report = audit.verify_chain()
    assert (report.broken_seq, report.count) == (1, 0)
    assert "content does not match" in report.problem
