"""Two reviewers on one claim, each in her own browser: nothing is ever silently overwritten.

Every scenario opens the claim in both browsers, lets rafael (reviewer 1) act, then has
ruth (reviewer 2) act on what her page still shows: her action gets the conflict panel,
naming the claim's current values, and what is stored stays rafael's.

Each scenario runs again with an internal note of ruth's in between, which is how a
stale form once slipped past the lock (issue 13): the note's answer brings back every
part of the page that shows the claim. A form that holds typing (wording, verdict)
keeps the version it was loaded with, so sending it is still a conflict. A panel that
came back (status, sign-off) shows rafael's change, exactly as a reload would,
so ruth's click there is made knowing it, and goes through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from claims import review
from claims.models import Claim, ClaimStatus, Rating
from tests.workspace import a_claim, fresh, with_sources

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = "/tmp/lostupdate-{}.png"
# What the note's answer brings back: the parts of the page that show the claim and hold
# no typing; they must read exactly as on a page loaded afresh.
REFRESHED = (
    "#panel-assignment",
    "#source-list",
    "#current-verdict",
    "#panel-signoff",
    "#panel-timeline",
)
# The panels whose forms are in a refreshed part: after the note, a click there is made
# on the claim as it is now.
CURRENT_AFTER_A_NOTE = {"assignment", "signoff"}


# --- what a reviewer does on the claim page -----------------------------------------------


def settle(page) -> None:
    """Wait until htmx has no request in flight and nothing left to swap or settle."""
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    expect(busy).to_have_count(0)


def submit(page, button: str):
    """Click a form's button; the POST's response once htmx has swapped it (and whatever
    the answer made the page fetch)."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click(button)
    response = answer.value
    response.finished()
    settle(page)
    return response


def reword(text: str):
    def act(page):
        page.fill("#id_wording", text)
        return submit(page, "#panel-wording button:has-text('Save wording')")

    return act


def note(body: str):
    def act(page):
        page.fill("#panel-notes #id_body", body)
        return submit(page, "#panel-notes button:has-text('Add note')")

    return act


def add_source(title: str, stance: str = "supports"):
    def act(page):
        if not page.is_visible("#panel-sources #id_url"):
            page.click("#panel-sources summary")
        page.fill("#panel-sources #id_url", f"https://{title.lower().replace(' ', '-')}.example/")
        page.fill("#panel-sources #id_title", title)
        page.check(f"#panel-sources input[value={stance}]")
        return submit(page, "#panel-sources button:has-text('Add source')")

    return act


def remove_source(title: str):
    def act(page):
        return submit(page, f"#panel-sources li:has-text('{title}') button:has-text('Remove')")

    return act


def propose(label: str, summary: str):
    def act(page):
        page.select_option("#id_rating", label=label)
        page.fill("#id_summary", summary)
        page.fill("#id_rationale", f"Rationale for “{summary}”.")
        return submit(page, "#panel-verdict button[type=submit]")

    return act


def approve(page):
    return submit(page, "#panel-signoff button:has-text('Approve verdict')")


def send_back(page):
    page.fill("#panel-signoff #id_comment", "Find a second monitor.")
    return submit(page, "#panel-signoff button:has-text('Send back')")


def take(page):
    """Take the claim; from a colleague (the page asks first), confirmed."""
    from_colleague = page.locator("#panel-assignment summary:has-text('Take this claim from')")
    if from_colleague.count():
        from_colleague.click()
        return submit(page, "#panel-assignment button:has-text('Yes, take it from')")
    return submit(page, "#panel-assignment button:has-text('Take this claim')")


def in_turn(*acts):
    def act(page):
        for step in acts:
            response = step(page)
            assert response.status == 200, response.text()
        return response

    return act


# --- the claim before the pages open ----------------------------------------------------


def untouched(claim, desk):
    pass


def sourced(claim, desk):
    with_sources(claim, desk["editor"], stances=("refutes", "supports", "context"))


def proposed_by_the_editor(claim, desk):
    claim = with_sources(claim, desk["editor"], stances=("refutes", "supports", "context"))
    review.claim_propose_verdict(
        actor=desk["editor"],
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        summary="It did not happen.",
        rationale="Two monitors contradict it.",
        version=claim.version,
    )


# --- the scenarios ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    setup: Callable  # (claim, desk): the claim before either page opens
    first: Callable  # (page): rafael's action, which succeeds
    second: Callable  # (page): ruth's action on what her page still shows
    panel: str  # where ruth's conflict appears
    now: tuple[str, ...]  # current values the conflict panel names
    kept: Callable[[Claim], bool]  # what is stored is rafael's


def rated(claim: Claim, slug: str) -> bool:
    return claim.verdict.rating.slug == slug


RAFAELS_WORDING = "Forty homes were flooded, the council said."
SCENARIOS = {
    "wording-vs-wording": Scenario(
        untouched,
        reword(RAFAELS_WORDING),
        reword("The council said 40 homes flooded on Monday night."),
        "wording",
        (RAFAELS_WORDING,),
        lambda c: c.wording == RAFAELS_WORDING,
    ),
    "sources-and-verdict-vs-verdict": Scenario(
        untouched,
        in_turn(
            add_source("Flood log", "refutes"),
            add_source("Valley News", "context"),
            propose("Mostly true", "Close enough."),
        ),
        propose("Unproven", "Nobody knows."),
        "verdict",
        ("Mostly true", "Close enough.", "2 sources"),
        lambda c: rated(c, "mostly-true") and c.sources.count() == 2,
    ),
    "verdict-vs-verdict": Scenario(
        sourced,
        propose("Mostly false", "Twelve, not forty."),
        propose("Unproven", "Nobody knows."),
        "verdict",
        ("Mostly false", "Twelve, not forty."),
        lambda c: rated(c, "mostly-false") and c.status == ClaimStatus.PROPOSED,
    ),
    "take-vs-take": Scenario(
        untouched,
        take,
        take,
        "assignment",
        ("assignee Rafael",),
        lambda c: c.assignee.username == "rafael",
    ),
    "take-vs-wording": Scenario(
        untouched,
        take,
        reword("The council said 40 homes flooded on Monday night."),
        "wording",
        ("assignee Rafael",),
        lambda c: c.assignee.username == "rafael" and c.wording == c.text,
    ),
    "wording-vs-take": Scenario(
        untouched,
        reword(RAFAELS_WORDING),
        take,
        "assignment",
        (RAFAELS_WORDING,),
        lambda c: c.wording == RAFAELS_WORDING and c.assignee is None,
    ),
    "source-vs-approve": Scenario(
        proposed_by_the_editor,
        add_source("Flood log", "context"),
        approve,
        "signoff",
        ("4 sources",),
        lambda c: c.status == ClaimStatus.PROPOSED and c.sources.count() == 4,
    ),
    "source-removed-vs-approve": Scenario(
        proposed_by_the_editor,
        remove_source("Evidence 1"),
        approve,
        "signoff",
        ("2 sources",),
        lambda c: c.status == ClaimStatus.PROPOSED and c.sources.count() == 2,
    ),
    "verdict-vs-approve": Scenario(
        proposed_by_the_editor,
        propose("Mostly false", "Twelve, not forty."),
        approve,
        "signoff",
        ("Mostly false", "Twelve, not forty."),
        lambda c: c.status == ClaimStatus.PROPOSED and rated(c, "mostly-false"),
    ),
    "approve-vs-verdict": Scenario(
        proposed_by_the_editor,
        approve,
        propose("Unproven", "Nobody knows."),
        "verdict",
        ("status Approved",),
        lambda c: c.status == ClaimStatus.APPROVED and rated(c, "false"),
    ),
    "approve-vs-send-back": Scenario(
        proposed_by_the_editor,
        approve,
        send_back,
        "signoff",
        ("status Approved",),
        lambda c: c.status == ClaimStatus.APPROVED and c.verdict.approved_by.username == "rafael",
    ),
    "send-back-vs-verdict": Scenario(
        proposed_by_the_editor,
        send_back,
        propose("Unproven", "Nobody knows."),
        "verdict",
        ("status In review",),
        lambda c: c.status == ClaimStatus.IN_REVIEW and rated(c, "false"),
    ),
    "verdict-vs-send-back": Scenario(
        proposed_by_the_editor,
        propose("Mostly false", "Twelve, not forty."),
        send_back,
        "signoff",
        ("status Verdict proposed", "Mostly false"),
        lambda c: c.status == ClaimStatus.PROPOSED and rated(c, "mostly-false"),
    ),
}


@pytest.fixture
def desk(editor, reviewer, second_reviewer):
    return {"editor": editor, "reviewer": reviewer, "second": second_reviewer}


def shot(page, name: str) -> None:
    # caret="initial": hiding the caret leaves style="" on inputs, which htmx's settle
    # then copies, and the page's CSP (no inline styles) reports that as an error.
    page.screenshot(path=SCREENSHOTS.format(name), full_page=True, caret="initial")


@pytest.fixture
def two_pages(open_page, desk):
    """open(claim) -> rafael's page and ruth's page, both showing the claim."""

    def opened(claim):
        first, second = open_page(desk["reviewer"]), open_page(desk["second"])
        for page in (first, second):
            page.goto(claim.get_absolute_url())
        return first, second

    return opened


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_second_of_two_reviewers_gets_the_conflict_and_the_first_ones_data_stays(
    two_pages, desk, name
):
    scenario = SCENARIOS[name]
    claim = a_claim()
    scenario.setup(claim, desk)
    first, second = two_pages(claim)

    assert scenario.first(first).status == 200
    stored = fresh(claim)
    answer = scenario.second(second)

    assert_conflict(second, answer, scenario)
    now = fresh(claim)
    assert scenario.kept(now)
    assert now.version == stored.version


@pytest.mark.parametrize("name", SCENARIOS)
def test_after_a_note_every_panel_shows_the_claim_and_no_stale_form_gets_through(
    two_pages, open_page, desk, name
):
    scenario = SCENARIOS[name]
    claim = a_claim()
    scenario.setup(claim, desk)
    first, second = two_pages(claim)
    assert scenario.first(first).status == 200
    stored = fresh(claim)

    assert note("Checking with the council.")(second).status == 200

    reloaded = open_page(desk["second"])
    reloaded.goto(claim.get_absolute_url())
    for part in REFRESHED:
        assert second.inner_text(part) == reloaded.inner_text(part), part
    answer = scenario.second(second)
    if scenario.panel in CURRENT_AFTER_A_NOTE:
        assert answer.status == 200, answer.text()  # decided on what a reload shows
    else:
        assert_conflict(second, answer, scenario)
        now = fresh(claim)
        assert scenario.kept(now)
        assert now.version == stored.version


def assert_conflict(page, answer, scenario: Scenario) -> None:
    assert answer.status == 409, f"ruth's stale action was answered {answer.status}"
    conflict = page.locator(f"#panel-{scenario.panel} .conflict")
    text = conflict.inner_text()
    assert "Not saved" in text
    assert "Rafael changed this claim while you were editing it" in text
    for value in scenario.now:
        assert value in text
    assert page.locator(".conflict").count() == 1


def test_issue_13_after_a_note_the_page_shows_the_sources_beside_approve(two_pages):
    claim = a_claim()
    first, second = two_pages(claim)
    in_turn(
        add_source("Flood log", "refutes"),
        add_source("Valley News", "context"),
        propose("Mostly true", "Close enough."),
    )(first)

    note("Checking with the council.")(second)

    assert second.is_visible("#panel-signoff button:has-text('Approve verdict')")
    assert second.inner_text("#sources-heading") == "Sources (2)"
    assert "Valley News" in second.inner_text("#panel-sources")
    assert "Close enough." in second.inner_text("#current-verdict")
    # The verdict form still holds what ruth's page loaded, and says so.
    assert second.is_visible("#panel-verdict .stale")
    assert second.is_visible("#panel-wording .stale")
    shot(second, "after-note")

    answer = propose("Unproven", "Nobody knows.")(second)
    assert answer.status == 409
    shot(second, "verdict-conflict")
    # Sent again, knowingly, it applies: the conflict put the current version in the form.
    assert propose("Unproven", "Nobody knows.")(second).status == 200
    assert rated(fresh(claim), "unproven")


def test_issue_13_a_note_then_the_old_wording_is_a_conflict_not_a_save(two_pages):
    claim = a_claim()
    first, second = two_pages(claim)
    reword(RAFAELS_WORDING)(first)
    note("Checking with the council.")(second)
    assert second.is_visible("#panel-wording .stale")

    answer = reword("The council said 40 homes flooded on Monday night.")(second)

    assert answer.status == 409
    assert RAFAELS_WORDING in second.inner_text("#panel-wording .conflict")
    assert second.input_value("#id_wording") == "The council said 40 homes flooded on Monday night."
    assert not second.is_visible("#panel-wording .stale")  # the kept form is at the current version
    assert fresh(claim).wording == RAFAELS_WORDING
    shot(second, "wording-conflict")


def test_her_own_change_does_not_carry_forward_a_form_that_missed_someone_elses(two_pages):
    claim = a_claim()
    first, second = two_pages(claim)
    reword(RAFAELS_WORDING)(first)

    # Her source moves the claim on too, but from a version her page never showed.
    assert add_source("Valley News", "context")(second).status == 200

    assert second.is_visible("#panel-wording .stale")
    answer = reword("The council said 40 homes flooded on Monday night.")(second)
    assert answer.status == 409
    assert RAFAELS_WORDING in second.inner_text("#panel-wording .conflict")
    assert fresh(claim).wording == RAFAELS_WORDING


def test_a_stale_panel_can_be_brought_up_to_date_in_place(two_pages):
    claim = a_claim()
    first, second = two_pages(claim)
    reword(RAFAELS_WORDING)(first)
    note("Checking with the council.")(second)

    second.click("#panel-wording .stale a")
    settle(second)

    assert second.input_value("#id_wording") == RAFAELS_WORDING
    assert not second.is_visible("#panel-wording .stale")
    assert reword("Forty homes, said the council.")(second).status == 200


def test_two_reviewers_adding_sources_at_once_keep_both(two_pages):
    claim = a_claim()
    first, second = two_pages(claim)
    assert add_source("Flood log")(first).status == 200

    # Adding overwrites nothing, so it is never refused for an older page.
    assert add_source("Valley News")(second).status == 200

    assert set(fresh(claim).sources.values_list("title", flat=True)) == {"Flood log", "Valley News"}
    assert second.inner_text("#sources-heading") == "Sources (2)"
    assert "Flood log" in second.inner_text("#source-list")


def test_a_note_changes_nothing_the_other_reviewer_is_editing(two_pages):
    claim = a_claim()
    first, second = two_pages(claim)
    assert note("Is this the same flood as in 2019?")(first).status == 200

    assert reword("The council said 40 homes flooded on Monday night.")(second).status == 200
    assert fresh(claim).wording == "The council said 40 homes flooded on Monday night."


def test_one_reviewer_working_alone_never_meets_her_own_changes_as_a_conflict(open_page, reviewer):
    claim = a_claim()
    page = open_page(reviewer)
    page.goto(claim.get_absolute_url())
    for act in (
        take,
        reword(RAFAELS_WORDING),
        add_source("Flood log", "refutes"),
        add_source("Valley News", "context"),
        add_source("Old rumour", "context"),
        remove_source("Old rumour"),
        note("Asked the council for the full list."),
        propose("Mostly false", "Twelve, not forty."),
        reword("Forty homes were flooded, said the council."),
        propose("False", "None were."),
    ):
        answer = act(page)
        assert answer.status == 200, answer.text()
    assert page.locator(".stale:visible").count() == 0
    claim = fresh(claim)
    assert claim.wording == "Forty homes were flooded, said the council."
    assert rated(claim, "false")
    assert claim.sources.count() == 2


def test_without_javascript_a_stale_form_gets_the_conflict_page(open_page, desk):
    claim = a_claim()
    proposed_by_the_editor(claim, desk)
    first, second = open_page(desk["reviewer"], js=False), open_page(desk["second"], js=False)
    for page in (first, second):
        page.goto(claim.get_absolute_url())
    first.click("#panel-sources summary")
    first.fill("#id_url", "https://flood-log.example/")
    first.fill("#id_title", "Flood log")
    first.check("#panel-sources input[value=context]")
    first.click("#panel-sources button:has-text('Add source')")
    first.wait_for_selector("text=Source added.")

    with second.expect_navigation() as navigation:
        second.click("#panel-signoff button:has-text('Approve verdict')")

    assert navigation.value.status == 409
    conflict = second.inner_text("#panel-signoff .conflict")
    assert "Rafael changed this claim while you were editing it" in conflict
    assert "4 sources" in conflict
    assert fresh(claim).status == ClaimStatus.PROPOSED
    shot(second, "no-js-conflict")
