"""Link rot on published checks: `manage.py check_sources` (and the worker's periodic
check) fetches every published source again from a local website whose pages change
and vanish between checks; each check is a new, audited snapshot; editors read the
flagged ones, newest first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims import publishing
from claims.models import AuditEvent, SourceSnapshot
from tests.website import answer
from tests.workers import run_batch
from tests.workspace import a_claim, published_with_captures, with_sources


def article_page(*paragraphs: str, extra: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>Flood log</title>{extra}</head><body><article><h1>Flood log</h1>"
        f"{body}</article></body></html>"
    ).encode()


FIRST = (
    "The council's flood log lists 40 homes flooded on Monday in the lower valley.",
    "Engineers inspected every bridge in Exampleton the following morning and closed two.",
)


@pytest.fixture
def log(website):
    """A page that the test changes between checks (website.routes["/log"])."""
    website.routes["/log"] = answer(body=article_page(*FIRST))
    website.routes["/steady"] = answer(body=article_page(*FIRST))
    return website


def published_on(log, editor, reviewer, approver, **article_fields):
    return published_with_captures(
        editor=editor,
        reviewer=reviewer,
        approver=approver,
        source_urls=[log.url("/log"), log.url("/steady")],
        **article_fields,
    )


@pytest.fixture
def published(editor, reviewer, second_reviewer, log):
    return published_on(log, editor, reviewer, second_reviewer)


def check() -> str:
    from io import StringIO

    out = StringIO()
    call_command("check_sources", stdout=out)
    return out.getvalue()


def checks_of(claim, title: str):
    return SourceSnapshot.objects.filter(source__claim=claim, source__title=title, kind="check")


def test_a_page_that_changes_and_then_vanishes_is_flagged_each_time(published, log):
    _, claim = published
    assert "2 sources checked, 0 flagged." in check()

    log.routes["/log"] = answer(
        body=article_page(FIRST[0].replace("40 homes", "14 homes"), FIRST[1])
    )
    out = check()
    assert "2 sources checked, 1 flagged." in out
    assert f"Changed: {log.url('/log')}" in out
    changed = checks_of(claim, "Evidence 0").newest_first().first()
    assert (changed.flag, changed.outcome) == ("changed", "ok")
    assert "-The council's flood log lists 40 homes" in changed.changes
    assert "+The council's flood log lists 14 homes" in changed.changes

    log.routes["/log"] = answer(404, b"<h1>Not found</h1>")
    out = check()
    gone = checks_of(claim, "Evidence 0").newest_first().first()
    assert (gone.flag, gone.outcome, gone.status) == ("gone", "failed", None)
    assert gone.changes == f"refused: {log.url('/log')} answered 404 Not Found."
    assert f"Gone: {log.url('/log')}" in out

    # Nothing overwritten: the capture and three checks of each source, each audited.
    assert checks_of(claim, "Evidence 0").count() == 3
    assert checks_of(claim, "Evidence 1").filter(flag="").count() == 3
    events = AuditEvent.objects.filter(action="source.checked")
    assert events.count() == 6
    assert {e.after["flag"] for e in events if "flag" in e.after} == {"changed", "gone"}


def test_new_bytes_with_the_same_text_are_not_a_change(published, log):
    _, claim = published
    log.routes["/log"] = answer(body=article_page(*FIRST, extra="<script>var ads = 2;</script>"))
    check()
    latest = checks_of(claim, "Evidence 0").get()
    before = SourceSnapshot.objects.get(source=latest.source, kind="capture")
    assert latest.sha256 != before.sha256
    assert latest.flag == ""


def test_only_the_sources_of_standing_publications_are_checked(published, editor, reviewer, log):
    with_sources(a_claim(), reviewer, stances=["refutes"], urls=[log.url("/log")])  # unpublished
    assert "2 sources checked" in check()
    article, _ = published
    publishing.article_retract(actor=editor, article=article, reason="Withdrawn.")
    assert "0 sources checked" in check()


# --- the flagged-sources page ----------------------------------------------------------------


def test_editors_see_flagged_sources_newest_first_with_what_changed(
    client, published, editor, reviewer, log
):
    log.routes["/log"] = answer(body=article_page("Entirely new text about something else."))
    check()
    log.routes["/log"] = answer(500, b"oops")
    log.routes["/steady"] = answer(503, b"busy")
    check()

    client.force_login(reviewer)
    assert client.get("/review/sources/flagged/").status_code == 403
    client.force_login(editor)
    page = client.get("/review/sources/flagged/").text
    flagged = list(SourceSnapshot.objects.flagged().newest_first())
    assert len(flagged) == 3
    positions = [page.index(f'id="check-{s.pk}"') for s in flagged]
    assert positions == sorted(positions)
    assert "+Entirely new text about something else." in page
    assert "answered 500 Internal Server Error" in page
    assert "Flagged sources" in client.get("/review/").text


def test_the_flagged_page_is_constant_in_the_number_of_flags(
    client, editor, reviewer, second_reviewer, log, django_assert_num_queries
):
    for n in range(3):
        published_on(log, editor, reviewer, second_reviewer, title=f"Report {n}")
    client.force_login(editor)
    log.routes["/log"] = answer(404, b"")
    check()
    client.get("/review/sources/flagged/")
    # the session, the user, their permissions (2), the count, the page of checks with
    # their sources, claims and articles
    with django_assert_num_queries(6) as few:
        client.get("/review/sources/flagged/")
    log.routes["/steady"] = answer(404, b"")
    check()
    assert SourceSnapshot.objects.flagged().count() == 3 + 6
    with django_assert_num_queries(len(few)):
        client.get("/review/sources/flagged/")


# --- the periodic check, in a real worker ------------------------------------------------------


def test_the_worker_runs_the_daily_check_and_queues_the_next(
    worker_env, log, editor, reviewer, second_reviewer
):
    _, claim = published_on(log, editor, reviewer, second_reviewer)
    log.routes["/log"] = answer(404, b"")
    started = timezone.now()

    output = run_batch(worker_env | log.environment(), FACTCHECK_LINK_CHECK_HOURS="24")

    assert "Queued the periodic link check of published sources." in output
    assert checks_of(claim, "Evidence 0").get().flag == "gone"
    assert checks_of(claim, "Evidence 1").get().flag == ""
    runs = DBTaskResult.objects.filter(task_path="claims.tasks.check_sources")
    done = runs.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == "2 sources checked, 1 flagged"
    following = runs.get(status=TaskResultStatus.READY)
    assert following.run_after > started + dt.timedelta(hours=23, minutes=59)
