"""Every claim action through HTTP, as htmx (the panel swapped in place) and as a plain
form post (redirect back): the state changes and exactly the expected event is written."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from claims import review
from claims.models import AuditEvent, ClaimStatus, Rating
from tests.workspace import HTMX, a_claim, fresh, proposed, with_sources


@dataclass
class Action:
    name: str
    actor: str
    panel: str
    event: str
    setup: Callable  # (claim, personas) -> claim
    data: Callable  # (claim, personas) -> dict
    check: Callable  # (claim, personas) -> bool


def nothing(claim, p):
    return claim


def version(claim, p):
    return {"version": claim.version}


ACTIONS = [
    Action(
        "take",
        "reviewer",
        "assignment",
        "claim.taken",
        nothing,
        version,
        lambda c, p: c.assignee == p["reviewer"] and c.status == ClaimStatus.IN_REVIEW,
    ),
    Action(
        "release",
        "reviewer",
        "assignment",
        "claim.released",
        lambda c, p: review.claim_take(actor=p["reviewer"], claim=c, version=c.version),
        version,
        lambda c, p: c.assignee is None,
    ),
    Action(
        "assign",
        "editor",
        "assignment",
        "claim.assigned",
        nothing,
        lambda c, p: {"version": c.version, "assignee": p["second_reviewer"].pk},
        lambda c, p: c.assignee == p["second_reviewer"],
    ),
    Action(
        "reword",
        "reviewer",
        "wording",
        "claim.reworded",
        nothing,
        lambda c, p: {"version": c.version, "wording": "  The toll was 23.  "},
        lambda c, p: c.wording == "The toll was 23.",
    ),
    Action(
        "source-add",
        "reviewer",
        "sources",
        "source.added",
        nothing,
        lambda c, p: {
            "url": "https://un.example/report",
            "title": "UN report",
            "stance": "refutes",
            "accessed_on": "2026-01-05",
            "excerpt": "23 dead",
        },
        lambda c, p: c.sources.get().title == "UN report",
    ),
    Action(
        "source-remove",
        "reviewer",
        "sources",
        "source.removed",
        lambda c, p: with_sources(c, p["reviewer"], stances=["context"]),
        lambda c, p: {},
        lambda c, p: not c.sources.exists(),
    ),
    Action(
        "note-add",
        "reviewer",
        "notes",
        "note.added",
        nothing,
        lambda c, p: {"body": "Call the UN office."},
        lambda c, p: c.notes.get().body == "Call the UN office.",
    ),
    Action(
        "propose",
        "reviewer",
        "verdict",
        "verdict.proposed",
        lambda c, p: with_sources(c, p["reviewer"]),
        lambda c, p: {
            "version": c.version,
            "rating": Rating.objects.get(slug="false").pk,
            "summary": "No.",
            "rationale": "Because.",
        },
        lambda c, p: c.status == ClaimStatus.PROPOSED and c.verdict.summary == "No.",
    ),
    Action(
        "approve",
        "second_reviewer",
        "signoff",
        "verdict.approved",
        lambda c, p: proposed(c, p["reviewer"]),
        version,
        lambda c, p: (
            c.status == ClaimStatus.APPROVED and c.verdict.approved_by == p["second_reviewer"]
        ),
    ),
    Action(
        "send-back",
        "second_reviewer",
        "signoff",
        "verdict.sent_back",
        lambda c, p: proposed(c, p["reviewer"]),
        lambda c, p: {"version": c.version, "comment": "Find a second monitor."},
        lambda c, p: c.status == ClaimStatus.IN_REVIEW,
    ),
    Action(
        "dismiss",
        "editor",
        "signoff",
        "claim.dismissed",
        nothing,
        lambda c, p: {"version": c.version, "reason": "Opinion, not a claim."},
        lambda c, p: (
            c.status == ClaimStatus.DISMISSED and c.dismissed_reason == "Opinion, not a claim."
        ),
    ),
    Action(
        "restore",
        "editor",
        "signoff",
        "claim.restored",
        lambda c, p: review.claim_dismiss(
            actor=p["editor"], claim=c, reason="x", version=c.version
        ),
        version,
        lambda c, p: c.status == ClaimStatus.NEW,
    ),
]


SHOWN = {  # the parts of the claim page that show the claim, and the panel each is in
    "panel-assignment": "assignment",
    "source-list": "sources",
    "current-verdict": "verdict",
    "panel-signoff": "signoff",
    "panel-timeline": "timeline",
}


@pytest.fixture
def personas(editor, reviewer, second_reviewer):
    return {"editor": editor, "reviewer": reviewer, "second_reviewer": second_reviewer}


def url(action: Action, claim) -> str:
    if action.name == "source-remove":
        source = claim.sources.order_by("-pk").first()  # the one the action's setup added
        return reverse("claims:source-remove", args=[claim.pk, source.pk])
    return reverse(f"claims:{action.name}", args=[claim.pk])


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_each_action_changes_the_claim_and_writes_one_event(client, personas, action, htmx):
    claim = fresh(action.setup(a_claim(), personas))
    client.force_login(personas[action.actor])
    last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    response = client.post(
        url(action, claim), action.data(claim, personas), headers=HTMX if htmx else {}
    )

    new_events = list(AuditEvent.objects.filter(seq__gt=last_seq))
    assert [(e.action, e.actor) for e in new_events] == [(action.event, personas[action.actor])]
    assert action.check(fresh(claim), personas)
    if htmx:
        assert response.status_code == 200
        assert response["HX-Trigger"] == '{"claim-changed": {}}'
        body = response.content.decode().lstrip()
        assert body.startswith(f'<section id="panel-{action.panel}"')
        assert "<html" not in body
        assert '<div id="flash" class="flash" aria-live="polite" hx-swap-oob="true">' in body
        # Every other part that shows the claim comes back too, out of band.
        for part, panel in SHOWN.items():
            assert body.count(f'id="{part}"') == 1, part
            out_of_band = re.search(f'id="{part}"[^>]* hx-swap-oob="true"', body)
            assert bool(out_of_band) == (panel != action.panel), part
    else:
        assert response.status_code == 302
        assert response["Location"] == claim.get_absolute_url()


def test_a_panel_asked_for_comes_back_with_every_part_that_shows_the_claim(client, reviewer):
    claim = proposed(a_claim(), reviewer)
    client.force_login(reviewer)

    body = client.get(f"{claim.get_absolute_url()}?panel=wording", headers=HTMX).content.decode()

    assert body.lstrip().startswith('<section id="panel-wording"')
    for part in SHOWN:
        assert re.search(f'id="{part}"[^>]* hx-swap-oob="true"', body), part
