"""Conflicts in the browser: sending one's version again after a 409."""

from __future__ import annotations

import re

import pytest

from tests.workspace import a_claim, fresh

pytestmark = pytest.mark.django_db(transaction=True)


def test_sending_again_after_a_conflict_works_before_the_status_panel_catches_up(
    open_page, reviewer, second_reviewer
):
    claim = a_claim()
    first, second = open_page(reviewer), open_page(second_reviewer)
    for page in (first, second):
        page.goto(claim.get_absolute_url())
    first.fill("#id_wording", "Forty homes were flooded, the council said.")
    first.click("#panel-wording button:has-text('Save wording')")
    first.wait_for_selector("#flash:has-text('Wording saved.')")
    # A slow server: the status panel (which shows the claim's version) does not refresh.
    held = []
    second.route(re.compile(r"panel=assignment"), lambda route: held.append(route))

    second.fill("#id_wording", "The council said 40 homes flooded on Monday night.")
    second.click("#panel-wording button:has-text('Save wording')")
    second.wait_for_selector(".conflict")
    second.click("#panel-wording button:has-text('Save wording')")

    second.wait_for_selector("#flash:has-text('Wording saved.')", timeout=10_000)
    assert fresh(claim).wording == "The council said 40 homes flooded on Monday night."
    for route in held:
        route.continue_()
