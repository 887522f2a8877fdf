"""Readers' tips and correction requests: the public forms, their protections, and the
editors' answers in the workspace, end to end over HTTP."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import PermissionDenied

from claims import publishing, reader
from claims.forms import reader_form_token
from claims.models import (
    Article,
    AuditEvent,
    CorrectionRequest,
    Job,
    Publication,
    Tip,
)
from tests.hostile import HOSTILE_URLS, XSS, marker
from tests.readers import TIP, filled, published, report_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def article_and_claim(editor, reviewer, second_reviewer):
    article, claim, _ = published(editor=editor, reviewer=reviewer, approver=second_reviewer)
    return article, claim


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def suggest(client, **fields):
    return client.post("/checks/suggest/", filled(**fields))


# --- tips ------------------------------------------------------------------------------------


def test_a_reader_suggests_a_claim_and_sees_a_thank_you_page_that_does_not_show_it(client):
    page = client.get("/checks/suggest/")
    assert page.status_code == 200
    assert 'name="website"' in page.text
    assert 'name="shown"' in page.text
    assert page["Cache-Control"].startswith("max-age=0")

    response = suggest(
        client,
        text=TIP,
        seen_at="https://news.example/parade",
        email="r@reader.example",
        consent="on",
    )

    assert response.status_code == 302
    assert response["Location"] == "/checks/suggest/thanks/"
    tip = Tip.objects.get()
    assert (tip.text, tip.seen_at, tip.email, tip.status) == (
        TIP,
        "https://news.example/parade",
        "r@reader.example",
        "new",
    )
    assert len(tip.sender) == 64
    assert "127.0.0.1" not in tip.sender
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.after["left_email"]) == ("tip.received", None, True)
    assert "r@reader.example" not in str(event.after)
    thanks = client.get(response["Location"])
    assert "reached our editors" in thanks.text
    assert TIP not in thanks.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "This field is required."),
        ({"text": "   "}, "This field is required."),
        ({"text": "x" * 2_001}, "at most 2000 characters"),
        ({"text": "binary\x00data"}, "Null characters are not allowed."),
        ({"text": "PK\x03\x04 binary"}, "control characters that are not text"),
        ({"text": TIP, "email": "not an address"}, "Enter a valid email address."),
        ({"text": TIP, "email": "r@reader.example"}, "Tick this to leave your email"),
        ({"text": TIP, "seen_at": "x" * 2_100}, "at most 2000 characters"),
        *[({"text": TIP, "seen_at": url}, message) for url, message in HOSTILE_URLS],
    ],
)
def test_a_bad_tip_is_refused_with_a_message_and_nothing_is_stored(client, fields, message):
    response = suggest(client, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Tip.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_bot_filling_the_honeypot_is_refused(client):
    response = client.post("/checks/suggest/", filled(text=TIP, website="https://spam.example"))
    assert response.status_code == 422
    assert "filled in by a program" in response.text
    assert not Tip.objects.exists()


def test_a_form_sent_faster_than_a_person_can_is_refused(client, settings):
    settings.FACTCHECK_READER_MIN_SECONDS = 3
    response = client.post(
        "/checks/suggest/", filled(text=TIP, shown=reader_form_token(time.time() - 1))
    )
    assert response.status_code == 422
    assert "sent very quickly" in response.text
    assert not Tip.objects.exists()


@pytest.mark.parametrize("shown", ["", "forged", "stale"])
def test_a_missing_forged_or_stale_form_token_is_refused(client, shown):
    if shown == "stale":  # shown three days ago
        shown = reader_form_token(time.time() - 3 * 86_400)
    response = client.post("/checks/suggest/", filled(text=TIP, shown=shown))
    assert response.status_code == 422
    assert "expired or was changed" in response.text
    assert not Tip.objects.exists()


def test_a_flood_from_one_address_is_stopped_at_the_hourly_limit(client, settings):
    settings.FACTCHECK_READER_HOURLY_LIMIT = 3
    for n in range(3):
        assert suggest(client, text=f"{TIP} ({n})").status_code == 302
    response = suggest(client, text=TIP)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "our limit. Nothing was saved" in response.text
    assert Tip.objects.count() == 3
    # Another address is not held back by it.
    other = client.post("/checks/suggest/", filled(text=TIP), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_the_limit_reads_the_address_as_the_login_throttle_does(client, settings):
    settings.FACTCHECK_READER_HOURLY_LIMIT = 1
    settings.FACTCHECK_PROXY_COUNT = 1
    proxied = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.post("/checks/suggest/", filled(text=TIP), **proxied).status_code == 302
    # The client can't pick a fresh address by sending its own header in front.
    spoofed = {"HTTP_X_FORWARDED_FOR": "10.0.0.1, 198.51.100.7"}
    assert client.post("/checks/suggest/", filled(text=TIP), **spoofed).status_code == 429


def test_an_editor_imports_a_tips_text(as_editor, client):
    suggest(client, text=TIP)
    tip = Tip.objects.get()
    response = as_editor.post(f"/review/intake/tips/{tip.pk}/import", {"by": "text"}, follow=True)
    assert "The tip&#x27;s text is imported." in response.text
    tip.refresh_from_db()
    assert tip.status == "accepted"
    assert tip.article == Article.objects.get()
    assert tip.article.title == f"Reader tip {tip.pk}"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["tip.received", "article.imported", "tip.accepted"]


def test_an_editor_imports_the_page_a_tip_names_through_the_background_import(
    as_editor, client, website
):
    url = website.url("/article.html")
    suggest(client, text=TIP, seen_at=url)
    tip = Tip.objects.get()
    as_editor.post(f"/review/intake/tips/{tip.pk}/import", {"by": "url"})
    tip.refresh_from_db()
    job = Job.objects.get()
    assert (tip.status, tip.job, job.kind, job.params["source_url"]) == (
        "accepted",
        job,
        "url_import",
        url,
    )


def test_a_tip_without_a_page_cannot_be_imported_by_url(as_editor, client):
    suggest(client, text=TIP)
    tip = Tip.objects.get()
    response = as_editor.post(f"/review/intake/tips/{tip.pk}/import", {"by": "url"}, follow=True)
    assert "This tip names no page" in response.text
    assert Tip.objects.get().status == "new"
    assert not Job.objects.exists()


def test_a_tip_whose_text_has_no_sentence_is_refused_with_the_importers_reason(as_editor, client):
    suggest(client, text="---\n\n***\n\n...")
    tip = Tip.objects.get()
    response = as_editor.post(f"/review/intake/tips/{tip.pk}/import", {"by": "text"}, follow=True)
    assert "no sentence" in response.text
    assert Tip.objects.get().status == "new"
    assert not Article.objects.exists()


def test_an_editor_dismisses_a_tip_with_a_reason_and_not_without(as_editor, client):
    suggest(client, text=TIP)
    tip = Tip.objects.get()
    refused = as_editor.post(f"/review/intake/tips/{tip.pk}/dismiss", {"reason": ""}, follow=True)
    assert "Say why the tip is dismissed." in refused.text
    as_editor.post(f"/review/intake/tips/{tip.pk}/dismiss", {"reason": "Opinion, not a claim"})
    tip.refresh_from_db()
    assert (tip.status, tip.reason) == ("dismissed", "Opinion, not a claim")
    again = as_editor.post(f"/review/intake/tips/{tip.pk}/dismiss", {"reason": "x"}, follow=True)
    assert "This tip is dismissed already." in again.text
    listed = as_editor.get("/review/intake/?status=dismissed")
    assert "Opinion, not a claim" in listed.text


def test_reviewers_and_outsiders_cannot_see_or_handle_tips(client, reviewer, outsider):
    suggest(client, text=TIP)
    tip = Tip.objects.get()
    client.force_login(reviewer)
    assert client.get("/review/intake/").status_code == 403
    assert client.post(f"/review/intake/tips/{tip.pk}/import", {"by": "text"}).status_code == 403
    assert Tip.objects.get().status == "new"
    with pytest.raises(PermissionDenied):
        reader.tip_dismiss(actor=reviewer, tip=tip, reason="no")
    client.force_login(outsider)
    assert client.get("/review/intake/").status_code == 403


def test_tips_and_requests_never_appear_on_public_pages(client, article_and_claim):
    article, claim = article_and_claim
    suggest(client, text="UNIQUE-TIP-TEXT is a claim.", seen_at="https://unique-tip.example/")
    client.post(report_url(article, claim), filled(problem="UNIQUE-REQUEST-TEXT"))
    for url in [
        "/checks/",
        f"/checks/{article.slug}/",
        f"/checks/{article.slug}/claims/{claim.ordinal}/",
        "/checks/about/",
        "/checks/team/",
        "/checks/corrections-policy/",
        "/checks/methodology/",
        "/checks/suggest/",
        "/checks/suggest/thanks/",
        report_url(article, claim),
        report_url(article, claim) + "thanks/",
        "/checks/feed/",
        "/checks/corrections/feed/",
        "/checks/claimreview.json",
        "/checks/search/?q=claim",
        "/sitemap.xml",
    ]:
        text = client.get(url).content.decode()
        for unique in ["UNIQUE-TIP-TEXT", "unique-tip.example", "UNIQUE-REQUEST-TEXT"]:
            assert unique not in text, (url, unique)


def test_hostile_text_from_readers_is_inert_on_every_workspace_page_that_shows_it(
    as_editor, client, article_and_claim, settings, superuser
):
    from django.test import Client

    admin = Client()
    admin.force_login(superuser)

    def superuser_client(url: str) -> str:
        response = admin.get(url)
        assert response.status_code == 200, url
        return response.text

    settings.FACTCHECK_READER_HOURLY_LIMIT = 1_000
    article, claim = article_and_claim
    for payload in XSS:
        assert suggest(client, text=payload).status_code == 302
        response = client.post(
            report_url(article, claim), filled(problem=payload, evidence=payload)
        )
        assert response.status_code == 302
    tip, request = Tip.objects.first(), CorrectionRequest.objects.first()
    for url in [
        "/review/intake/",
        claim.get_absolute_url(),
        "/admin/claims/tip/",
        f"/admin/claims/tip/{tip.pk}/change/",
        "/admin/claims/correctionrequest/",
        f"/admin/claims/correctionrequest/{request.pk}/change/",
    ]:
        page = superuser_client(url)
        for payload in XSS:
            if "<" in payload:
                assert payload not in page, (url, marker(payload))
    page = as_editor.get("/review/intake/").text
    assert "&lt;script&gt;window.__xss=&#x27;xss01&#x27;&lt;/script&gt;" in page


# --- correction requests ---------------------------------------------------------------------


def test_every_verdict_card_links_to_report_an_error(client, article_and_claim):
    article, claim = article_and_claim
    for url in [f"/checks/{article.slug}/", f"/checks/{article.slug}/claims/{claim.ordinal}/"]:
        assert f'href="{report_url(article, claim)}"' in client.get(url).text


def test_a_reader_reports_an_error_and_the_editors_see_it_next_to_the_claim(
    client, as_editor, article_and_claim
):
    article, claim = article_and_claim
    page = client.get(report_url(article, claim))
    assert page.status_code == 200
    assert claim.wording in page.text
    response = client.post(
        report_url(article, claim),
        filled(
            problem="The monitor's report was revised.",
            evidence_url="https://monitor.example/revised",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == report_url(article, claim) + "thanks/"
    request = CorrectionRequest.objects.get()
    assert (request.claim, request.article, request.status) == (claim, article, "new")
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.claim) == ("correction.requested", claim)
    intake = as_editor.get("/review/intake/").text
    assert "The monitor&#x27;s report was revised." in intake
    assert claim.wording in intake


@pytest.mark.parametrize("ordinal", [999, 0])
def test_a_forged_claim_number_is_a_404_and_stores_nothing(client, article_and_claim, ordinal):
    article, _ = article_and_claim
    url = f"/checks/{article.slug}/claims/{ordinal}/report/"
    assert client.get(url).status_code == 404
    assert client.post(url, filled(problem="Wrong")).status_code == 404
    assert not CorrectionRequest.objects.exists()


def test_an_unpublished_or_dismissed_claim_cannot_be_reported(client, editor, article_and_claim):
    article, claim = article_and_claim
    dismissed = article.claims.dismissed().first()
    assert (
        client.get(f"/checks/{article.slug}/claims/{dismissed.ordinal}/report/").status_code == 404
    )
    assert client.get("/checks/no-such-article/claims/1/report/").status_code == 404
    publishing.article_retract(actor=editor, article=article, reason="Wrong article")
    assert client.post(report_url(article, claim), filled(problem="x")).status_code == 404
    assert not CorrectionRequest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"problem": ""}, "This field is required."),
        ({"problem": "x" * 5_001}, "at most 5000 characters"),
        ({"problem": "ok", "evidence": "\x01\x02binary"}, "control characters that are not text"),
        (
            {"problem": "ok", "evidence_url": "javascript:alert(1)"},
            "“javascript:” links are not allowed",
        ),
        ({"problem": "ok", "website": "bot"}, "filled in by a program"),
    ],
)
def test_a_bad_correction_request_is_refused_and_stores_nothing(
    client, article_and_claim, fields, message
):
    article, claim = article_and_claim
    response = client.post(report_url(article, claim), filled(**fields))
    assert response.status_code == 422
    assert message in response.text
    assert not CorrectionRequest.objects.exists()


def test_tips_and_requests_share_one_limit_per_address(client, article_and_claim, settings):
    settings.FACTCHECK_READER_HOURLY_LIMIT = 2
    article, claim = article_and_claim
    assert suggest(client, text=TIP).status_code == 302
    assert client.post(report_url(article, claim), filled(problem="x")).status_code == 302
    assert client.post(report_url(article, claim), filled(problem="y")).status_code == 429
    assert CorrectionRequest.objects.count() == 1


def test_accepting_reopens_the_article_and_the_correction_names_the_readers_request(
    client, as_editor, editor, reviewer, article_and_claim
):
    article, claim = article_and_claim
    client.post(report_url(article, claim), filled(problem="The figure is 41, not 40."))
    request = CorrectionRequest.objects.get()
    response = as_editor.post(f"/review/intake/requests/{request.pk}/accept", follow=True)
    assert "the article is open for a correction" in response.text
    article.refresh_from_db()
    assert article.open_for_review
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["correction.request_accepted", "article.reopened"]
    reopened = AuditEvent.objects.get(action="article.reopened")
    assert f"correction request ({request.pk})" in reopened.reason

    # A correction must change what readers see (issue 19): here, the article's title.
    publishing.article_edit(actor=editor, article=article, title=f"{article.title} (41)")
    publication = publishing.article_publish(
        actor=editor, article=article, correction_kind="typo", correction_text="41, not 40."
    )

    request.refresh_from_db()
    assert request.publication == publication
    event = AuditEvent.objects.get(action="article.corrected")
    assert event.after["reader_requests"] == [request.pk]
    page = client.get(f"/checks/{article.slug}/")
    assert "made after a reader's correction request" in page.text
    feed = client.get("/checks/corrections/feed/").text
    assert "41, not 40. (made after a reader&amp;#x27;s correction request)" in feed
    listed = as_editor.get("/review/intake/?status=accepted").text
    assert "corrected in version 2" in listed


def test_accepting_a_request_on_an_article_already_open_only_records_it(
    client, as_editor, editor, article_and_claim
):
    article, claim = article_and_claim
    publishing.article_reopen(actor=editor, article=article, reason="Typo")
    client.post(report_url(article, claim), filled(problem="Another thing"))
    request = CorrectionRequest.objects.get()
    as_editor.post(f"/review/intake/requests/{request.pk}/accept")
    assert CorrectionRequest.objects.get().status == "accepted"
    assert AuditEvent.objects.filter(action="article.reopened").count() == 1


def test_declining_needs_a_reason_and_reviewers_cannot_answer(
    client, as_editor, reviewer, article_and_claim
):
    article, claim = article_and_claim
    client.post(report_url(article, claim), filled(problem="Wrong"))
    request = CorrectionRequest.objects.get()
    refused = as_editor.post(
        f"/review/intake/requests/{request.pk}/decline", {"reason": " "}, follow=True
    )
    assert "Say why no correction is needed" in refused.text
    assert CorrectionRequest.objects.get().status == "new"
    with pytest.raises(PermissionDenied):
        reader.correction_request_accept(actor=reviewer, request=request)
    as_editor.post(
        f"/review/intake/requests/{request.pk}/decline", {"reason": "The report stands."}
    )
    request.refresh_from_db()
    assert (request.status, request.reason) == ("declined", "The report stands.")
    again = as_editor.post(f"/review/intake/requests/{request.pk}/accept", follow=True)
    assert "This request is declined already." in again.text
    assert not Publication.objects.filter(version=2).exists()


def test_the_header_count_shows_what_waits_for_editors_only(client, as_editor, reviewer):
    page = as_editor.get("/review/")
    assert 'hx-get="/review/waiting"' in page.text
    suggest(client, text=TIP)
    count = as_editor.get("/review/waiting", headers={"HX-Request": "true"})
    assert "1 tip, 0 correction requests" in count.text
    assert 'hx-trigger="every 60s"' in count.text
    client.force_login(reviewer)
    assert 'hx-get="/review/waiting"' not in client.get("/review/").text
    assert "0 tips" in client.get("/review/waiting").text


def _many(n: int, article, claim) -> None:
    for k in range(n):
        Tip.objects.create(text=f"Tip {k}", seen_at="https://news.example/t", sender="s")
        CorrectionRequest.objects.create(
            article=article, claim=claim, problem=f"Wrong {k}", sender="s"
        )


@pytest.mark.parametrize("n", [1, 30])
def test_the_intake_page_costs_the_same_queries_for_1_or_30_of_each(
    as_editor, article_and_claim, django_assert_max_num_queries, n
):
    _many(n, *article_and_claim)
    with django_assert_max_num_queries(9):
        page = as_editor.get("/review/intake/")
    assert page.text.count('class="card intake-item"') == 2 * n


def test_the_workspace_claim_page_names_the_requests_waiting_on_it(
    client, as_editor, article_and_claim
):
    article, claim = article_and_claim
    assert "correction request" not in as_editor.get(claim.get_absolute_url()).text
    client.post(report_url(article, claim), filled(problem="Wrong"))
    client.post(report_url(article, claim), filled(problem="Wrong again"))
    oldest = CorrectionRequest.objects.get(problem="Wrong")
    page = as_editor.get(claim.get_absolute_url()).text
    assert "Correction requests from readers waiting on this claim: 2." in page
    link = f'href="/review/intake/#request-{oldest.pk}"'
    assert link in page.split("waiting on this claim")[1]
    # The link's target is on the readers' page, beside the claim.
    intake = as_editor.get("/review/intake/").text
    assert f'id="request-{oldest.pk}"' in intake


def test_a_form_larger_than_any_form_may_send_is_a_413_and_stores_nothing(client, settings):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/checks/suggest/", filled(text=big))
    assert response.status_code == 413
    assert "nothing was saved" in response.text
    assert 'href="/checks/">Back to the fact-checks' in response.text
    assert not Tip.objects.exists()


def test_the_admin_shows_readers_messages_read_only_what_they_wrote_first_never_the_sender_key(
    client, article_and_claim, superuser
):
    article, claim = article_and_claim
    suggest(client, text=TIP, email="r@reader.example", consent="on")
    client.post(report_url(article, claim), filled(problem="The figure was revised."))
    client.force_login(superuser)
    for message, written in [
        (Tip.objects.get(), "claim suggested"),
        (CorrectionRequest.objects.get(), "what is wrong"),
    ]:
        name = message._meta.model_name
        page = client.get(f"/admin/claims/{name}/{message.pk}/change/").text
        assert message.sender not in page
        assert "Sender key" not in page
        assert page.index(written.capitalize()) < page.index("Received at"), name
        assert client.get(f"/admin/claims/{name}/add/").status_code == 403
        listing = client.get(f"/admin/claims/{name}/?status__exact=new")
        assert listing.status_code == 200
        assert "1 result" in listing.text or f"/admin/claims/{name}/{message.pk}/" in listing.text
