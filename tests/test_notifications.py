"""Email notifications: who gets what, preferences, nothing for refused actions, and the
worker (never the request) sending them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks_db.models import DBTaskResult

from claims import reader, review
from claims.models import NotificationOptOut, Tip
from tests.factories import ArticleFactory, UserFactory
from tests.readers import TIP, filled, published, report_url
from tests.workers import run_batch
from tests.workspace import a_claim, fresh, propose, proposed, with_sources

NOTE = "INTERNAL-NOTE-never-in-email"
COMMENT = "INTERNAL-COMMENT-never-in-email"


@pytest.fixture
def tasks_at_once(settings):
    """Tasks run as they are queued (at commit), so the test reads the outbox at once."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def sent(tasks_at_once, django_capture_on_commit_callbacks):
    """sent(action) -> {recipient: subject} of the emails the action's commit sent."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return {m.to[0]: m.subject for m in mail.outbox}

    return run


@pytest.fixture
def desk(editor, reviewer, second_reviewer):
    return editor, reviewer, second_reviewer


def test_a_reviewer_is_told_when_a_claim_is_assigned_to_them_and_not_when_they_take_it(
    db, sent, desk
):
    editor, reviewer, _ = desk
    claim = a_claim()
    emails = sent(
        lambda: review.claim_assign(
            actor=editor, claim=claim, assignee=reviewer, version=claim.version
        )
    )
    assert emails == {reviewer.email: "A claim is assigned to you"}
    message = mail.outbox[0]
    assert claim.wording[:40] in message.body
    assert f"http://localhost:8000/review/claims/{claim.pk}/" in message.body
    other = fresh(ArticleFactory().claims.check_worthy().first())
    assert sent(lambda: review.claim_take(actor=reviewer, claim=other, version=other.version)) == {}


def test_reviewers_other_than_the_proposer_are_told_a_verdict_awaits_sign_off(db, sent, desk):
    editor, reviewer, second = desk
    UserFactory(username="former", groups=[], email="former@newsroom.example")
    claim = with_sources(a_claim(), reviewer)
    review.claim_add_note(actor=reviewer, claim=claim, body=NOTE)
    emails = sent(lambda: propose(claim, reviewer))
    assert emails == {
        editor.email: "A verdict awaits sign-off",
        second.email: "A verdict awaits sign-off",
    }
    assert all(NOTE not in m.body for m in mail.outbox)


def test_the_proposer_is_told_their_verdict_was_sent_back_without_the_comment(db, sent, desk):
    _, reviewer, second = desk
    claim = proposed(a_claim(), reviewer)
    emails = sent(
        lambda: review.claim_send_back(
            actor=second, claim=claim, comment=COMMENT, version=claim.version
        )
    )
    assert emails == {reviewer.email: "Your verdict was sent back"}
    assert COMMENT not in mail.outbox[0].body


def test_a_refused_action_sends_nothing(db, sent, desk, outsider):
    _, reviewer, _ = desk
    claim = proposed(a_claim(), reviewer)

    def approve_own():
        review.claim_approve_verdict(actor=reviewer, claim=claim, version=claim.version)

    def assign_outside():
        review.claim_assign(actor=reviewer, claim=claim, assignee=outsider, version=claim.version)

    def propose_without_sources():
        propose(a_claim(), reviewer)

    for action in (approve_own, assign_outside, propose_without_sources):
        with pytest.raises((PermissionDenied, ValidationError)):
            sent(action)
        assert mail.outbox == []


def test_editors_are_told_of_tips_and_correction_requests(client, sent, desk):
    editor, reviewer, second = desk
    assert sent(lambda: client.post("/checks/suggest/", filled(text=TIP))) == {
        editor.email: "A reader suggested a claim"
    }
    assert TIP in mail.outbox[0].body
    article, claim, _ = published(editor=editor, reviewer=reviewer, approver=second)
    emails = sent(lambda: client.post(report_url(article, claim), filled(problem="Wrong year")))
    assert emails == {editor.email: "A reader reports an error"}


def test_a_refused_tip_tells_nobody(client, sent, desk):
    assert sent(lambda: client.post("/checks/suggest/", filled(text=TIP, website="x"))) == {}
    assert not Tip.objects.exists()


def test_each_kind_can_be_turned_off_on_the_preferences_page(client, sent, desk):
    editor, _reviewer, _ = desk
    client.force_login(editor)
    page = client.get("/review/notifications/")
    assert page.status_code == 200
    assert re.search(r'<input[^>]*value="tip"[^>]*checked', page.text)
    kinds = ["assigned", "sent_back", "sign_off", "correction_request"]
    response = client.post("/review/notifications/", {"kinds": kinds})
    assert response.status_code == 302
    assert list(NotificationOptOut.objects.values_list("user", "kind")) == [(editor.pk, "tip")]
    client.logout()
    assert sent(lambda: client.post("/checks/suggest/", filled(text=TIP))) == {}
    # Switched back on.
    client.force_login(editor)
    client.post("/review/notifications/", {"kinds": [*kinds, "tip"]})
    assert not NotificationOptOut.objects.exists()


def test_nobody_outside_the_desk_or_inactive_gets_email(db, sent, desk, superuser):
    editor, reviewer, second = desk
    second.is_active = False
    second.save()
    claim = with_sources(a_claim(), reviewer)
    emails = sent(lambda: propose(claim, reviewer))
    assert set(emails) == {editor.email}  # not the superuser, not the inactive reviewer


def test_the_preferences_page_is_for_the_desk(client, outsider):
    client.force_login(outsider)
    assert client.get("/review/notifications/").status_code == 403


def test_the_request_only_queues_the_email_and_a_real_worker_sends_it(
    client, reference_data, worker_env, tmp_path
):
    editor = UserFactory(username="edith", groups=["Editors"])
    response = client.post("/checks/suggest/", filled(text=TIP))
    assert response.status_code == 302
    task = DBTaskResult.objects.get()
    assert task.task_path == "claims.tasks.notify"
    assert task.status == "READY"

    folder = tmp_path / "mail"
    run_batch(
        worker_env,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_EMAIL_FILE_PATH=str(folder),
    )

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    written = "".join(Path(f).read_text() for f in folder.iterdir())
    assert f"To: {editor.email}" in written
    assert "Subject: A reader suggested a claim" in written


def test_a_declined_request_is_answered_by_email_when_the_reader_left_one(client, sent, desk):
    editor, reviewer, second = desk
    article, claim, _ = published(editor=editor, reviewer=reviewer, approver=second)
    client.post(
        report_url(article, claim),
        filled(problem="Wrong", email="reader@reader.example", consent="on"),
    )
    request = claim.correction_requests.get()
    emails = sent(
        lambda: reader.correction_request_decline(
            actor=editor, request=request, reason="The figure is from the final report."
        )
    )
    assert emails == {"reader@reader.example": "Your correction request to Factcheck Desk"}
    assert "The figure is from the final report." in mail.outbox[0].body
    client.post(report_url(article, claim), filled(problem="Again, no email"))
    silent = claim.correction_requests.get(email="")
    assert (
        sent(lambda: reader.correction_request_decline(actor=editor, request=silent, reason="No"))
        == {}
    )


def test_reviewers_are_offered_only_the_kinds_they_can_get(client, reviewer):
    client.force_login(reviewer)
    page = client.get("/review/notifications/").text
    assert 'value="assigned"' in page
    assert 'value="tip"' not in page
    assert 'value="correction_request"' not in page
    refused = client.post("/review/notifications/", {"kinds": ["assigned", "tip"]})
    assert refused.status_code == 422
    assert not NotificationOptOut.objects.exists()
    client.post("/review/notifications/", {"kinds": ["assigned"]})
    off = set(NotificationOptOut.objects.values_list("kind", flat=True))
    assert off == {"sent_back", "sign_off"}


def test_refused_reader_messages_and_refused_answers_send_nothing(client, sent, desk, settings):
    editor, reviewer, second = desk
    article, claim, _ = published(editor=editor, reviewer=reviewer, approver=second)
    settings.FACTCHECK_READER_HOURLY_LIMIT = 1
    first = filled(problem="Wrong", email="reader@reader.example", consent="on")
    assert sent(lambda: client.post(report_url(article, claim), first)) == {
        editor.email: "A reader reports an error"
    }
    # Over the hourly limit, a bot, a forged claim number: refused, and nobody is told.
    assert sent(lambda: client.post(report_url(article, claim), filled(problem="Again"))) == {}
    bot = filled(problem="Spam", website="https://spam.example/")
    assert sent(lambda: client.post(report_url(article, claim), bot)) == {}
    forged = f"/checks/{article.slug}/claims/999/report/"
    assert sent(lambda: client.post(forged, filled(problem="Forged"))) == {}
    request = claim.correction_requests.get()
    # A decline without a reason, or by a reviewer: refused, and the reader hears nothing.
    for actor, reason in [(editor, " "), (reviewer, "Not for you to say")]:
        with pytest.raises((PermissionDenied, ValidationError)):
            sent(
                lambda actor=actor, reason=reason: reader.correction_request_decline(
                    actor=actor, request=request, reason=reason
                )
            )
        assert mail.outbox == []
    request.refresh_from_db()
    assert request.status == "new"
