import itertools
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from claims import audit
from claims.models import AppendOnlyError, AuditEvent
from tests.factories import ArticleFactory


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


@pytest.fixture
def chain(db, editor):
    """Three articles imported by an editor: three chained events."""
    return [ArticleFactory(actor=editor) for _ in range(3)]


def test_events_are_chained_by_hash(chain):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in events}) == 3


def test_verify_audit_passes_on_an_intact_chain(chain):
    head = AuditEvent.objects.order_by("-seq").first().hash
    assert verify().strip() == f"Audit chain intact: 3 events, head {head}"


def test_verify_audit_passes_on_an_empty_chain(db):
    assert verify().strip() == f"Audit chain intact: 0 events, head {audit.GENESIS_HASH}"


def test_verify_audit_names_the_event_whose_row_was_altered(chain):
    second = AuditEvent.objects.get(seq=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_auditevent SET action = %s WHERE id = %s", ["article.forged", second.pk]
        )
    with pytest.raises(CommandError, match=r"broken at event #2 \(id \d+\): its content does not"):
        verify()


def test_verify_audit_names_a_rewritten_hash_by_its_successor(chain):
    second = AuditEvent.objects.get(seq=2)
    forged = audit.event_hash(
        second.prev_hash,
        seq=2,
        created_at=second.created_at,
        actor_id=None,
        actor_label="system",
        action=second.action,
        article_id=second.article_id,
        claim_id=None,
        object_type=second.object_type,
        object_id=second.object_id,
        before=None,
        after={"forged": True},
        reason="",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_auditevent SET hash = %s, actor_id = NULL, actor_label = 'system', "
            "after = %s WHERE id = %s",
            [forged, '{"forged": true}', second.pk],
        )
    with pytest.raises(CommandError, match=r"broken at event #3 .*previous hash"):
        verify()


def test_verify_audit_notices_a_deleted_event(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM claims_auditevent WHERE seq = 2")
    with pytest.raises(CommandError, match=r"broken at event #3 .*sequence jumps from 1 to 3"):
        verify()


def test_events_refuse_to_change_or_be_deleted(chain):
    event = AuditEvent.objects.get(seq=1)
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=1).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(seq=1).action == "article.imported"
    assert AuditEvent.objects.count() == 3


def test_record_refuses_to_run_outside_a_transaction(db):
    # pytest-django wraps each test in a transaction; leave it to see the guard.
    with (
        transaction.atomic(),
        pytest.raises(RuntimeError, match="inside the transaction"),
        _outside_atomic(),
    ):
        audit.record(actor=None, action="test")


class _outside_atomic:
    """Pretend no transaction is open, to check the guard."""

    def __enter__(self):
        self.saved = connection.in_atomic_block
        connection.in_atomic_block = False

    def __exit__(self, *exc):
        connection.in_atomic_block = self.saved


def test_an_event_is_lost_with_its_rolled_back_change(chain):
    def doomed_change():
        with transaction.atomic():
            audit.record(actor=None, action="doomed")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        doomed_change()
    assert not AuditEvent.objects.filter(action="doomed").exists()
    assert verify().startswith("Audit chain intact: 3 events")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_stay_one_chain():
    """Writers in several threads (own connections) never fork the chain."""
    errors = []

    def append(n: int) -> None:
        try:
            for i in range(5):
                with transaction.atomic():
                    audit.record(actor=None, action=f"thread{n}.{i}")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 20
    assert verify().startswith("Audit chain intact: 20 events")
