import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims.models import AuditEvent, ClaimStatus, Source
from claims.review import claim_add_note, claim_add_source
from tests.factories import ArticleFactory


@pytest.fixture
def claim(db):
    return ArticleFactory().claims.check_worthy().order_by("ordinal").first()


def source(**overrides):
    return {"url": "https://example.org/r", "title": "Report", "stance": "refutes"} | overrides


def test_adding_a_source_puts_a_new_claim_in_review_and_is_audited(claim, reviewer):
    added = claim_add_source(actor=reviewer, claim=claim, **source())
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (ClaimStatus.IN_REVIEW, 2)
    event = AuditEvent.objects.get(action="source.added")
    assert (event.actor, event.claim, event.object_id) == (reviewer, claim, str(added.pk))
    assert event.after["url"] == "https://example.org/r"
    assert event.after["accessed_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://example.org/file"}, "url"),
        ({"title": ""}, "title"),
        ({"stance": "maybe"}, "stance"),
        ({"published_on": timezone.localdate() + dt.timedelta(days=1)}, "published_on"),
    ],
)
def test_bad_sources_are_refused_and_nothing_is_written(claim, reviewer, overrides, field):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        claim_add_source(actor=reviewer, claim=claim, **source(**overrides))
    assert field in error.value.message_dict
    assert not Source.objects.exists()
    assert AuditEvent.objects.count() == events
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (ClaimStatus.NEW, 1)


def test_outsiders_can_neither_add_sources_nor_write_notes(claim, outsider):
    with pytest.raises(PermissionDenied):
        claim_add_source(actor=outsider, claim=claim, **source())
    with pytest.raises(PermissionDenied):
        claim_add_note(actor=outsider, claim=claim, body="Hello")
    assert not Source.objects.exists()


def test_a_dismissed_claim_takes_no_sources(db, reviewer):
    dismissed = ArticleFactory().claims.dismissed().first()
    with pytest.raises(ValidationError, match="dismissed"):
        claim_add_source(actor=reviewer, claim=dismissed, **source())


def test_notes_are_audited_and_blank_notes_refused(claim, reviewer):
    note = claim_add_note(actor=reviewer, claim=claim, body="  Ask the ministry.  ")
    assert note.body == "Ask the ministry."
    assert AuditEvent.objects.get(action="note.added").after == {"body": "Ask the ministry."}
    with pytest.raises(ValidationError):
        claim_add_note(actor=reviewer, claim=claim, body="   ")
    assert claim.notes.count() == 1
