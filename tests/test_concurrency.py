"""Twenty reviewers at once on one claim, over HTTP against the live server.

Each client is a thread with its own logged-in session and CSRF token and an open
connection; a barrier lets them all send at the same moment, so the requests really
race in the server's threads and the database decides.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from bench import load
from claims.audit import verify_chain
from claims.models import AuditEvent, Claim, Rating, Source, Verdict
from claims.people import display_name
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.workspace import HTMX, a_claim, with_sources

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 20


@pytest.fixture
def sessions(server):
    """CLIENTS reviewers, each logged in over HTTP with its own cookies."""
    made = []
    for n in range(CLIENTS):
        user = UserFactory(username=f"racer{n:02}", groups=["Reviewers"])
        # The live server never drops an idle connection: keep each one open, so the
        # requests leave together when the barrier opens, not queued behind connects.
        session = load.Session(server, idle_limit=None)
        session.log_in(user.username, PASSWORD)
        made.append((user, session))
    yield made
    for _, session in made:
        session.close()


def race(sessions, send) -> list:
    """`send(n, session)` from every session at once; the answers in session order."""
    barrier = threading.Barrier(len(sessions))
    answers = [None] * len(sessions)

    def client(n, session):
        barrier.wait(timeout=30)
        answers[n] = send(n, session)

    threads = [threading.Thread(target=client, args=(n, s)) for n, (_, s) in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_twenty_verdicts_on_one_version_one_wins_and_nineteen_get_409(sessions, editor):
    claim = with_sources(a_claim(), editor)
    url = f"/review/claims/{claim.pk}/"
    seen = {load.version_in(session.get(url).text) for _, session in sessions}
    assert seen == {claim.version}
    rating = Rating.objects.get(slug="false")

    answers = race(
        sessions,
        lambda n, session: session.post(
            f"{url}verdict",
            {
                "rating": rating.pk,
                "summary": f"Verdict {n}",
                "rationale": f"Reviewer {n}'s reasons.",
                "version": claim.version,
            },
            HTMX,
        ),
    )

    assert Counter(a.status for a in answers) == {200: 1, 409: CLIENTS - 1}
    won = next(n for n, a in enumerate(answers) if a.status == 200)
    winner = sessions[won][0]
    verdict = Verdict.objects.get(claim=claim)
    assert (verdict.proposed_by, verdict.summary) == (winner, f"Verdict {won}")
    assert Claim.objects.get(pk=claim.pk).version == claim.version + 1
    losers = [a for a in answers if a.status == 409]
    assert all(f"{display_name(winner)} changed this claim" in a.text for a in losers)
    events = AuditEvent.objects.filter(claim=claim, action__startswith="verdict.")
    assert list(events.values_list("action", "actor")) == [("verdict.proposed", winner.pk)]
    assert verify_chain().ok


def test_twenty_sources_added_at_once_are_all_kept_and_audited(sessions):
    claim = a_claim()
    url = f"/review/claims/{claim.pk}/sources"

    answers = race(
        sessions,
        lambda n, session: session.post(
            url,
            {
                "url": f"https://evidence.example/{n}",
                "title": f"Source {n}",
                "accessed_on": "2025-01-15",
                "stance": "context",
            },
            HTMX,
        ),
    )

    assert [a.status for a in answers] == [200] * CLIENTS
    titles = set(Source.objects.filter(claim=claim).values_list("title", flat=True))
    assert titles == {f"Source {n}" for n in range(CLIENTS)}
    events = AuditEvent.objects.filter(claim=claim, action="source.added")
    assert events.count() == CLIENTS
    assert {e.actor_id for e in events} == {user.pk for user, _ in sessions}
    assert verify_chain().ok
