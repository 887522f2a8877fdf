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
