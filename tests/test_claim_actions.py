"""Every claim action through HTTP, as htmx (the panel swapped in place) and as a plain
form post (redirect back): the state changes and exactly the expected event is written.
Every action but a note moves the claim's version by one."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from claims import evidence, review
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
    moves = action.name != "note-add"
    assert fresh(claim).version == claim.version + moves
    if htmx:
        assert response.status_code == 200
        moved = {"to": claim.version + 1} if moves else {}
        assert json.loads(response["HX-Trigger"]) == {"claim-changed": moved}
        body = response.content.decode().lstrip()
        assert body.startswith(f'<section id="panel-{action.panel}"')
        assert "<html" not in body
        assert '<div id="flash" hx-swap-oob="innerHTML">' in body
        # Every other part that shows the claim comes back too, out of band.
        for part, panel in SHOWN.items():
            assert body.count(f'id="{part}"') == 1, part
            out_of_band = re.search(f'id="{part}"[^>]* hx-swap-oob="true"', body)
            assert bool(out_of_band) == (panel != action.panel), part
    else:
        assert response.status_code == 302
        assert response["Location"] == claim.get_absolute_url()


# --- a form older than the claim --------------------------------------------------------

VERSIONED = [a for a in ACTIONS if a.name not in {"source-add", "source-remove", "note-add"}]


def someone_else_changes(claim, p) -> None:
    """The editor changes the claim after the page was loaded: adds a source (which moves
    the version like any change to what a verdict rests on), or for a dismissed claim,
    restores and dismisses it again."""
    if claim.status == ClaimStatus.DISMISSED:
        claim = review.claim_restore(actor=p["editor"], claim=claim, version=claim.version)
        review.claim_dismiss(actor=p["editor"], claim=claim, reason="Still.", version=claim.version)
    else:
        review.claim_add_source(
            actor=p["editor"],
            claim=claim,
            url="https://late.example/",
            title="Late evidence",
            stance="context",
        )


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize("action", VERSIONED, ids=lambda a: a.name)
def test_a_form_older_than_the_claim_is_a_409_that_changes_nothing(client, personas, action, htmx):
    claim = fresh(action.setup(a_claim(), personas))
    data = action.data(claim, personas)  # the form as the page showed it
    someone_else_changes(claim, personas)
    now = fresh(claim)
    client.force_login(personas[action.actor])
    last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()

    response = client.post(url(action, claim), data, headers=HTMX if htmx else {})

    assert response.status_code == 409
    assert not AuditEvent.objects.filter(seq__gt=last_seq).exists()
    assert fresh(claim).version == now.version
    page = response.content.decode()
    assert "<strong>Not saved:</strong> Edith changed this claim while you were editing it" in page
    sources = now.sources.count()
    assert re.search(f"”, {sources} sources?[,.]", page)  # the claim as it is now
    assert f'name="version" value="{now.version}"' in page  # kept, to send again knowingly
    assert ("<html" in page) != htmx
    if htmx:
        assert page.lstrip().startswith(f'<section id="panel-{action.panel}"')
        # The live region says so, replacing what the last action said there.
        flash = re.search(r'<div id="flash" hx-swap-oob="innerHTML">(.*?)</div>', page, re.S)
        assert flash
        assert 'class="flash-error">Not saved: Edith changed this claim' in flash[1]
        assert re.search('id="source-list"[^>]* hx-swap-oob="true"', page) or (
            action.panel == "sources"
        )
        assert now.sources.filter(title="Late evidence").exists() == ("Late evidence" in page)


def test_a_note_leaves_the_version_alone_so_a_form_from_before_it_still_saves(
    client, reviewer, second_reviewer
):
    claim = a_claim()
    seen = claim.version
    review.claim_add_note(actor=second_reviewer, claim=claim, body="Which flood?")
    assert fresh(claim).version == seen
    client.force_login(reviewer)

    response = client.post(
        reverse("claims:reword", args=[claim.pk]),
        {"version": seen, "wording": "Mine"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert fresh(claim).wording == "Mine"


def test_the_conflict_names_the_change_that_won_not_a_note_written_after_it(
    client, reviewer, second_reviewer
):
    claim = a_claim()
    seen = claim.version
    review.claim_reword(actor=reviewer, claim=claim, wording="Theirs", version=seen)
    review.claim_add_note(actor=second_reviewer, claim=claim, body="Checking.")
    client.force_login(second_reviewer)

    response = client.post(
        reverse("claims:reword", args=[claim.pk]),
        {"version": seen, "wording": "Mine"},
        headers=HTMX,
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Rafael changed this claim while you were editing it" in page
    assert "Last change: claim reworded by Rafael" in page
    assert fresh(claim).wording == "Theirs"


def test_a_notes_answer_shows_the_sources_beside_approve_and_her_old_verdict_form_is_refused(
    client, reviewer, second_reviewer
):
    claim = a_claim()
    seen = claim.version  # ruth's page
    proposed(claim, reviewer, rating="mostly-true")  # two sources, then the verdict
    client.force_login(second_reviewer)

    note = client.post(
        reverse("claims:note-add", args=[claim.pk]), {"body": "Checking."}, headers=HTMX
    )
    stale = client.post(
        reverse("claims:propose", args=[claim.pk]),
        {
            "version": seen,
            "rating": Rating.objects.get(slug="unproven").pk,
            "summary": "Nobody knows.",
            "rationale": "No.",
        },
        headers=HTMX,
    )

    body = note.content.decode()
    assert 'Sources <span class="muted">(2)</span>' in body
    assert "Approve verdict" in body
    assert json.loads(note["HX-Trigger"]) == {"claim-changed": {}}
    assert stale.status_code == 409
    assert fresh(claim).verdict.rating.slug == "mostly-true"


def test_a_panel_asked_for_comes_back_with_every_part_that_shows_the_claim(client, reviewer):
    claim = proposed(a_claim(), reviewer)
    client.force_login(reviewer)

    body = client.get(f"{claim.get_absolute_url()}?panel=wording", headers=HTMX).content.decode()

    assert body.lstrip().startswith('<section id="panel-wording"')
    for part in SHOWN:
        assert re.search(f'id="{part}"[^>]* hx-swap-oob="true"', body), part


def test_a_refused_form_says_so_in_the_live_region_instead_of_the_last_success(client, reviewer):
    claim = a_claim()
    client.force_login(reviewer)

    response = client.post(
        reverse("claims:reword", args=[claim.pk]),
        {"version": claim.version, "wording": ""},
        headers=HTMX,
    )

    assert response.status_code == 422
    page = response.content.decode()
    flash = re.search(r'<div id="flash" hx-swap-oob="innerHTML">(.*?)</div>', page, re.S)
    assert flash
    assert 'class="flash-error">Not saved: see what to correct below.' in flash[1]
    assert fresh(claim).wording == claim.wording


def test_the_conflict_names_who_changed_the_claim_not_the_capture_that_followed(
    client, editor, second_reviewer
):
    claim = a_claim()
    seen = claim.version
    source = review.claim_add_source(
        actor=editor, claim=claim, url="http://10.0.0.5/report", title="Report", stance="context"
    )
    evidence.source_capture(source_id=source.pk)  # the fetcher refuses it: the system's event
    assert AuditEvent.objects.order_by("-seq").first().action == "source.capture_failed"
    client.force_login(second_reviewer)

    response = client.post(
        reverse("claims:reword", args=[claim.pk]),
        {"version": seen, "wording": "Mine"},
        headers=HTMX,
    )

    assert response.status_code == 409
    assert "Edith changed this claim while you were editing it" in response.content.decode()
