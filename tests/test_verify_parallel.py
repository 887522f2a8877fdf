"""verify_chain() splits large chains across processes; it must find what the serial pass finds.

Transactional tests: the processes read through their own connections, so the events
must be committed (inside a test transaction verify_chain checks in-process).
"""

import pytest
from django.db import connection, transaction

from claims import audit
from claims.models import AuditEvent
from tests import audit_guards


@pytest.fixture
def committed_chain(transactional_db):
    with transaction.atomic():
        for n in range(40):
            audit.record(
                actor=None, action="test.event", after={"n": n, "text": "Ünïcode “quoted”"}
            )
    return list(AuditEvent.objects.order_by("seq"))


def verify_in(processes: int, monkeypatch) -> audit.ChainReport:
    monkeypatch.setattr(audit, "_PARALLEL_MIN_EVENTS", 1)
    return audit.verify_chain(processes=processes)


def alter(event: AuditEvent, sql: str, params: list) -> None:
    with audit_guards.suspended(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE claims_auditevent SET {sql} WHERE id = %s", [*params, event.pk])


def test_processes_verify_an_intact_chain(committed_chain, monkeypatch):
    report = verify_in(3, monkeypatch)
    assert report == audit.ChainReport(40, committed_chain[-1].hash)


@pytest.mark.parametrize("seq", [1, 14, 27, 40])
def test_processes_name_the_first_altered_row_wherever_it_is(committed_chain, monkeypatch, seq):
    alter(committed_chain[seq - 1], "reason = %s", ["forged"])
    alter(committed_chain[-1], "reason = %s", ["forged too"])  # a later break is not reported
    parallel, serial = verify_in(3, monkeypatch), verify_in(1, monkeypatch)
    assert parallel == serial
    assert (parallel.broken_seq, parallel.broken_id) == (seq, committed_chain[seq - 1].pk)
    assert parallel.count == seq - 1
    assert parallel.head == committed_chain[seq - 1].prev_hash
    assert "content does not match" in parallel.problem


def test_an_earlier_broken_link_wins_over_a_later_altered_row(committed_chain, monkeypatch):
    alter(committed_chain[9], "prev_hash = %s", ["f" * 64])
    alter(committed_chain[29], "action = %s", ["forged"])
    report = verify_in(3, monkeypatch)
    assert (report.broken_seq, report.count) == (10, 9)
    assert "previous hash" in report.problem


@pytest.mark.parametrize(
    ("actor_id", "before", "after", "text"),
    [
        (None, None, None, ""),
        (7, {"b": [1, 2.5, None], "a": "x"}, {"claims": [{"id": 3, "wording": "“Ünï”"}]}, "ok"),
        (12, "a string", 3, 'quotes " and \\ and\nnewlines\t\u0001 and \u2028'),
    ],
)
def test_the_hashed_payload_is_the_canonical_json_of_the_whole_event(actor_id, before, after, text):
    fields = {
        "seq": 41,
        "created_at": "2026-01-31 23:59:58.000001",
        "actor_id": actor_id,
        "actor_label": text,
        "action": f"claim.{text}",
        "article_id": actor_id,
        "claim_id": None,
        "object_type": text,
        "object_id": text,
        "before": before,
        "after": after,
        "reason": text,
    }
    expected = audit.canonical_json(fields | {"created_at": "2026-01-31T23:59:58.000001Z"})
    assert audit._payload(*fields.values()) == expected


def remove(seqs: list[int]) -> None:
    with audit_guards.suspended(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM claims_auditevent WHERE seq IN ({', '.join(['%s'] * len(seqs))})", seqs
        )


# With 3 processes the 40 events split into seq ranges 1-14, 15-28 and 29-40.
@pytest.mark.parametrize(
    ("removed", "problem"),
    [
        ([14], "sequence jumps from 13 to 15"),
        ([15], "sequence jumps from 14 to 16"),
        ([28, 29], "sequence jumps from 27 to 30"),
        (list(range(15, 29)), "sequence jumps from 14 to 29"),  # a whole range
        ([40], None),  # the last event: the chain is one shorter, and intact
    ],
)
def test_processes_find_removed_events_at_and_across_range_ends(
    committed_chain, monkeypatch, removed, problem
):
    remove(removed)
    parallel, serial = verify_in(3, monkeypatch), verify_in(1, monkeypatch)
    assert parallel == serial
    assert parallel.problem == (problem or "")


@pytest.mark.parametrize("seq", [15, 29, 30])
def test_processes_check_the_links_into_each_range(committed_chain, monkeypatch, seq):
    alter(committed_chain[seq - 1], "prev_hash = %s", ["e" * 64])
    alter(committed_chain[seq - 1], "reason = %s", ["forged"])  # the link is reported first
    parallel, serial = verify_in(3, monkeypatch), verify_in(1, monkeypatch)
    assert parallel == serial
    assert (parallel.broken_seq, parallel.count) == (seq, seq - 1)
    assert parallel.head == committed_chain[seq - 2].hash
    assert "previous hash" in parallel.problem


# --- the fast path: orjson first, json where their bytes differ --------------------------


def test_the_fast_path_is_in_use():
    assert audit._ORJSON_SOUND


@pytest.fixture
def exact_rows(monkeypatch):
    """The seqs of the rows verify_chain() had to hash the exact way."""
    seqs, exact_hash = [], audit._exact_hash

    def counted(row):
        seqs.append(row[3])
        return exact_hash(row)

    monkeypatch.setattr(audit, "_exact_hash", counted)
    return seqs


# Values orjson writes otherwise than canonical_json() (1e-05 as 0.00001), or reads
# otherwise than json (integers beyond 64 bits as floats), or can't take (a lone surrogate).
AWKWARD = [
    {"small": 1e-05},
    {"n": 2**64, "m": -(2**63) - 1},
    {"nested": {"z": [0.1, 1.5e-07], "a": "e+ in text"}},
    {"text": "Ünïcode “quoted” \u2028 \x7f \u0001"},
]


@pytest.mark.parametrize("processes", [1, 2])
def test_rows_whose_json_orjson_writes_otherwise_still_verify(
    transactional_db, monkeypatch, exact_rows, processes
):
    with transaction.atomic():
        for n in range(6):
            audit.record(actor=None, action="test.plain", after={"n": n})
        for after in AWKWARD:
            audit.record(actor=None, action="test.awkward", before={"b": 1}, after=after)
    head = AuditEvent.objects.order_by("-seq").first()
    assert verify_in(processes, monkeypatch) == audit.ChainReport(head.seq, head.hash)
    if processes == 1:  # a forked process counts its own
        assert sorted(exact_rows) == [7, 8, 9]  # the fourth orjson writes as json does


@pytest.mark.parametrize("after", AWKWARD)
def test_an_altered_row_with_such_json_is_still_caught(transactional_db, monkeypatch, after):
    with transaction.atomic():
        for n in range(3):
            audit.record(actor=None, action="test.awkward", after=after | {"n": n})
    alter(AuditEvent.objects.get(seq=2), "reason = %s", ["forged"])
    report = verify_in(1, monkeypatch)
    assert (report.broken_seq, report.count) == (2, 1)
    assert "content does not match" in report.problem


def test_a_float_beyond_1e16_is_recorded_as_its_integer_and_verifies(transactional_db, monkeypatch):
    """PostgreSQL's jsonb gives 1e16 back as 10000000000000000; were it kept as a float
    its row would never verify there."""
    with transaction.atomic():
        event = audit.record(actor=None, action="test.float", after={"n": 1e16, "m": -2.5e19})
    assert event.after == {"n": 10**16, "m": -25 * 10**18}
    assert AuditEvent.objects.get(seq=1).after == event.after
    assert verify_in(1, monkeypatch).ok


def test_an_integer_turned_into_the_float_orjson_would_read_is_caught(
    transactional_db, monkeypatch
):
    """orjson reads 18446744073709551616 as the float 1.8446744073709552e+19; a row that
    now says that float, where the integer was recorded, must not pass for it."""
    with transaction.atomic():
        audit.record(actor=None, action="test.int", after={"n": 2**64})
    assert verify_in(1, monkeypatch).ok
    alter(AuditEvent.objects.get(seq=1), "after = %s", ['{"n": 1.8446744073709552e19}'])
    report = verify_in(1, monkeypatch)
    assert (report.broken_seq, report.count) == (1, 0)
    assert "content does not match" in report.problem
