import itertools
import threading
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from claims import audit, publishing
from claims.models import AppendOnlyError, AuditAction, AuditEvent
from tests import audit_guards
from tests.factories import ArticleFactory
from tests.workspace import settled_article


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


def raw_sql_refused(sql: str, params=()) -> str:
    """The database's refusal of `sql`, which must change nothing."""
    with (
        pytest.raises(DatabaseError) as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(refusal.value)


@pytest.mark.parametrize(
    ("sql", "verb"),
    [
        ("UPDATE claims_auditevent SET action = 'forged' WHERE seq = 2", "UPDATE"),
        ("UPDATE claims_auditevent SET reason = 'x'", "UPDATE"),
        ("DELETE FROM claims_auditevent WHERE seq = 3", "DELETE"),
        ("DELETE FROM claims_auditevent", "DELETE"),
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(chain, sql, verb):
    before = list(AuditEvent.objects.values_list("seq", "action", "reason", "hash"))
    assert f"audit events are append-only: {verb} refused" in raw_sql_refused(sql)
    assert list(AuditEvent.objects.values_list("seq", "action", "reason", "hash")) == before
    assert verify().startswith("Audit chain intact: 3 events")


@pytest.mark.postgres  # TRUNCATE is PostgreSQL's; SQLite has only DELETE, refused above
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_truncate():
    """Committed rows: inside a test's transaction PostgreSQL would refuse TRUNCATE for
    its pending foreign-key checks before our trigger had its say."""
    for _ in range(3):
        ArticleFactory()
    refusal = raw_sql_refused("TRUNCATE claims_auditevent CASCADE")
    assert "audit events are append-only: TRUNCATE refused" in refusal
    assert AuditEvent.objects.count() == 3


def test_verify_audit_names_the_event_whose_row_was_altered(chain):
    second = AuditEvent.objects.get(seq=2)
    with audit_guards.suspended(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_auditevent SET action = %s WHERE id = %s", ["article.forged", second.pk]
        )
    with pytest.raises(CommandError, match=r"broken at event #2 \(id \d+\): its content does not"):
        verify()


def test_verify_audit_names_a_rewritten_hash_by_its_successor(chain):
    second = AuditEvent.objects.get(seq=2)
    forged = audit.event_hash(
        second.prev_hash,
        audit.HashedEvent(
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
        ),
    )
    with audit_guards.suspended(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_auditevent SET hash = %s, actor_id = NULL, actor_label = 'system', "
            "after = %s WHERE id = %s",
            [forged, '{"forged": true}', second.pk],
        )
    with pytest.raises(CommandError, match=r"broken at event #3 .*previous hash"):
        verify()


def test_verify_audit_notices_a_deleted_event(chain):
    with audit_guards.suspended(), connection.cursor() as cursor:
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
        audit.record(actor=None, action=AuditAction.NOTE_ADDED)


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
            audit.record(actor=None, action=AuditAction.NOTE_ADDED, reason="doomed")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        doomed_change()
    assert not AuditEvent.objects.filter(reason="doomed").exists()
    assert verify().startswith("Audit chain intact: 3 events")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_stay_one_chain():
    """Writers in several threads (own connections) never fork the chain."""
    errors = []

    def append(n: int) -> None:
        try:
            for i in range(5):
                with transaction.atomic():
                    audit.record(actor=None, action=AuditAction.NOTE_ADDED, reason=f"thread{n}.{i}")
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


@pytest.fixture
def published(editor, reviewer, second_reviewer):
    article, _ = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    return publishing.article_publish(actor=editor, article=article)


def test_verify_audit_accepts_publications_on_the_chain(published):
    assert verify().startswith("Audit chain intact")
    assert audit.publications_off_chain() == []


def test_verify_audit_refuses_a_publication_whose_head_is_not_on_the_chain(published):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_publication SET audit_head = %s WHERE id = %s",
            ["ab" * 32, published.pk],
        )
    with pytest.raises(CommandError, match=rf"publication {published.pk}: its head abababab"):
        verify()


def test_verify_audit_refuses_a_publication_moved_to_another_place_on_the_chain(published):
    earlier = AuditEvent.objects.get(seq=1).hash
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_publication SET audit_head = %s WHERE id = %s",
            [earlier, published.pk],
        )
    with pytest.raises(CommandError, match=r"the event after its head .* is not its publishing"):
        verify()


def test_record_refuses_an_action_that_is_not_an_audit_action(db):
    with (
        transaction.atomic(),
        pytest.raises(ValueError, match=r"'claim\.split' is not an audit action: add it to Audit"),
    ):
        audit.record(actor=None, action="claim.split")  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


def test_record_stores_the_actions_plain_value(db):
    with transaction.atomic():
        event = audit.record(actor=None, action="claim.taken")  # type: ignore[arg-type]
    assert type(event.action) is str
    assert AuditEvent.objects.get().action == AuditAction.CLAIM_TAKEN == "claim.taken"
    assert verify().startswith("Audit chain intact: 1 events")


def test_the_action_fields_choices_are_the_audit_actions(chain):
    event = AuditEvent.objects.get(seq=1)
    assert event.get_action_display() == "Article imported"
    event.action = "claim.split"
    with pytest.raises(ValidationError) as refusal:
        event.clean_fields(exclude=[f.name for f in AuditEvent._meta.fields if f.name != "action"])
    assert "is not a valid choice" in str(refusal.value.message_dict["action"])
