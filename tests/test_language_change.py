"""Changing an article's language afterwards (importing.article_change_language): the
text split again while nobody has worked on its claims, the claims kept (and re-scored)
once somebody has; refused to all but editors, and on a closed article; audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from claims import audit, checkworthiness, publishing, review
from claims.importing import article_change_language
from claims.models import Article, AuditAction, AuditEvent, Claim, ClaimStatus
from claims.scoring.rescoring import claims_rescore
from claims.segmenting import split_sentences
from tests.factories import ArticleFactory
from tests.workspace import HTMX, fresh, settled_article, with_sources

# German the English segmenter cuts after "3.", "z." and "ca.": six pieces, three sentences.
GERMAN = (
    "Die Regierung teilte am 3. Oktober mit, dass 45 Schulen schließen. "
    "Laut Bericht stieg die Zahl um 12 Prozent bis z. B. Ende März. "
    "Der Minister sagte, es gebe ca. 300 Fälle."
)


@pytest.fixture
def german(db) -> Article:
    """A German article imported as English (the editor chose wrong)."""
    return ArticleFactory(text=GERMAN, language="en")


def spans(article: Article) -> list[str]:
    return [c.text for c in article.claims.order_by("ordinal")]


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- nobody has worked on the claims: the text is split again ------------------------------


def test_an_unworked_article_is_split_again_by_the_new_languages_segmenter(german, editor):
    assert len(spans(german)) == 6

    change = article_change_language(article=german, language="de", actor=editor)

    german.refresh_from_db()
    assert (german.language, change.resplit, change.count) == ("de", True, 3)
    assert spans(german) == [
        "Die Regierung teilte am 3. Oktober mit, dass 45 Schulen schließen.",
        "Laut Bericht stieg die Zahl um 12 Prozent bis z. B. Ende März.",
        "Der Minister sagte, es gebe ca. 300 Fälle.",
    ]
    assert change.message == "Language set to Deutsch; 3 claims re-split and re-scored."


def test_the_new_claims_are_those_a_fresh_import_in_that_language_makes(german, editor):
    article_change_language(article=german, language="de", actor=editor)

    fresh_import = ArticleFactory(text=GERMAN + " ", language="de")  # another text, same split
    fields = ["ordinal", "paragraph", "start", "end", "text", "score", "status", "is_heading"]
    assert list(german.claims.order_by("ordinal").values(*fields)) == list(
        fresh_import.claims.order_by("ordinal").values(*fields)
    )
    for claim in german.claims.all():
        assert GERMAN[claim.start : claim.end] == claim.text == claim.wording
        assert claim.quote_prefix == GERMAN[max(0, claim.start - 32) : claim.start]
        assert claim.scorer_version == checkworthiness.scorer_version()
        assert (claim.score, claim.reasons) == checkworthiness.assess(claim.text, language="de")


def test_the_split_follows_the_segmenter_of_the_chosen_language(german, editor):
    article_change_language(article=german, language="pt", actor=editor)
    expected = [GERMAN[s.start : s.end] for s in split_sentences(GERMAN, "pt")]
    assert spans(german) == expected
    # Portuguese rules know "ca." but not "z. B.": neither the English split nor the German.
    assert expected != [GERMAN[s.start : s.end] for s in split_sentences(GERMAN, "en")]


def test_the_event_lists_the_new_claims_and_the_ids_they_replace_and_replay_follows(german, editor):
    old_ids = sorted(german.claims.values_list("pk", flat=True))
    article_change_language(article=german, language="de", actor=editor)

    [event] = events(AuditAction.ARTICLE_LANGUAGE_CHANGED)
    assert (event.actor, event.article_id, event.before) == (editor, german.pk, {"language": "en"})
    assert event.after["language"] == "de"
    assert sorted(event.after["replaced"]) == old_ids
    assert [c["id"] for c in event.after["claims"]] == list(
        german.claims.order_by("ordinal").values_list("pk", flat=True)
    )
    replayed = audit.replay(AuditEvent.objects.order_by("seq"))
    assert set(replayed) == set(german.claims.values_list("pk", flat=True))
    claim = german.claims.order_by("ordinal").first()
    assert audit.claim_as_of(claim, event.seq).wording == claim.text
    assert audit.verify_chain().ok


def test_a_resplit_article_can_change_its_language_again(german, editor):
    article_change_language(article=german, language="de", actor=editor)
    change = article_change_language(article=german, language="en", actor=editor)
    assert (change.resplit, len(spans(german))) == (True, 6)


# --- somebody has worked on a claim: the claims stay, the others are re-scored -------------


def test_once_a_claim_is_worked_the_boundaries_stay_and_only_the_label_changes(
    german, editor, reviewer
):
    before = spans(german)
    worked = german.claims.check_worthy().order_by("ordinal").first()
    review.claim_take(actor=reviewer, claim=worked, version=worked.version)

    change = article_change_language(article=german, language="de", actor=editor)

    german.refresh_from_db()
    assert (german.language, change.resplit, spans(german)) == ("de", False, before)
    assert fresh(worked).assignee == reviewer
    assert change.message == (
        "Language set to Deutsch; the claims were kept as they are because reviewers have "
        "worked on them; 6 claims re-scored."
    )


def test_a_person_dismissed_claim_is_unchanged_and_the_others_are_rescored_in_the_new_language(
    german, editor
):
    claims = list(german.claims.order_by("ordinal"))
    target = next(c for c in claims if c.status != ClaimStatus.DISMISSED)
    review.claim_dismiss(actor=editor, claim=target, reason="Opinion", version=target.version)
    target = fresh(target)

    change = article_change_language(article=german, language="de", actor=editor)

    assert change.count == len(claims) - 1
    kept = fresh(target)
    assert (kept.score, kept.reasons, kept.status, kept.version) == (
        target.score,
        target.reasons,
        ClaimStatus.DISMISSED,
        target.version,
    )
    assert kept.dismissed_reason == "Opinion"
    for claim in german.claims.exclude(pk=target.pk):
        assert (claim.score, claim.reasons) == checkworthiness.assess(
            claim.text, is_heading=claim.is_heading, language="de"
        )
        assert claim.scorer_version == checkworthiness.scorer_version()
    [event] = events(AuditAction.ARTICLE_LANGUAGE_CHANGED)
    assert {c["id"] for c in event.after["rescored"]} == {c.pk for c in claims if c.pk != target.pk}
    assert "replaced" not in event.after


def test_a_claim_with_sources_keeps_them_and_its_status(german, editor, reviewer):
    claim = with_sources(german.claims.check_worthy().order_by("ordinal").first(), reviewer)
    article_change_language(article=german, language="de", actor=editor)
    claim_now = fresh(claim)
    assert (claim_now.status, claim_now.sources.count()) == (ClaimStatus.IN_REVIEW, 2)
    assert claim_now.version == claim.version + 1  # re-scored: a reviewer's open form is stale


def test_claims_once_rescored_stay_and_the_message_says_why(german, editor):
    Claim.objects.filter(article=german).update(scorer_version="keyword-heuristic")
    claims_rescore(actor=None, articles=[german])

    change = article_change_language(article=german, language="de", actor=editor)

    assert not change.resplit
    assert "because they were re-scored before" in change.message


def test_the_replayed_claims_follow_the_rescoring(german, editor):
    worked = german.claims.check_worthy().order_by("ordinal").first()
    review.claim_dismiss(actor=editor, claim=worked, reason="Opinion", version=worked.version)
    article_change_language(article=german, language="de", actor=editor)
    replayed = audit.replay(AuditEvent.objects.order_by("seq"))
    for claim in german.claims.all():
        assert (replayed[claim.pk].status, replayed[claim.pk].dismissed_reason) == (
            claim.status,
            claim.dismissed_reason,
        )


# --- refused ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("", "Choose a language for the article."),
        ("  ", "Choose a language for the article."),
        ("xx", "“xx” is not a language known here; choose one like en, de or pt-BR."),
        ("no such", "“no such” is not a language known here"),
        ("und", "“und” is not a language known here"),
        ("en", "This article's language is English already."),
    ],
)
def test_a_bad_tag_is_refused_in_one_line_and_nothing_is_written(german, editor, language, message):
    before = (spans(german), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        article_change_language(article=german, language=language, actor=editor)
    assert " ".join(refused.value.messages).startswith(message)
    assert "\n" not in " ".join(refused.value.messages)
    german.refresh_from_db()
    assert (german.language, (spans(german), AuditEvent.objects.count())) == ("en", before)


def test_a_tag_is_stored_in_bcp47_casing(german, editor):
    article_change_language(article=german, language="pt_br", actor=editor)
    german.refresh_from_db()
    assert german.language == "pt-BR"


@pytest.mark.parametrize("persona", ["reviewer", "outsider", "anonymous"])
def test_only_editors_may_change_the_language(german, request, persona):
    actor = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    before = AuditEvent.objects.count()
    refusal = r"^Only editors can change an article's language\.$"
    with pytest.raises(PermissionDenied, match=refusal):
        article_change_language(article=german, language="de", actor=actor)
    german.refresh_from_db()
    assert (german.language, AuditEvent.objects.count()) == ("en", before)


def test_an_admin_may(german, superuser):
    assert article_change_language(article=german, language="de", actor=superuser).resplit


def test_a_published_article_is_refused_until_it_is_reopened(editor, reviewer, second_reviewer):
    article, _ = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=article)
    with pytest.raises(ValidationError, match="reopen it for a correction"):
        article_change_language(article=article, language="de", actor=editor)

    publishing.article_reopen(actor=editor, article=article, reason="Wrong language")
    change = article_change_language(article=article, language="de", actor=editor)
    assert not change.resplit  # approved work stays


def test_a_retracted_article_is_refused(editor, reviewer, second_reviewer):
    article, _ = settled_article(editor=editor, reviewer=reviewer, approver=second_reviewer)
    publishing.article_publish(actor=editor, article=article)
    publishing.article_retract(actor=editor, article=article, reason="Withdrawn")
    with pytest.raises(ValidationError):
        article_change_language(article=article, language="de", actor=editor)


# --- over HTTP: the board's form ----------------------------------------------------------

LANGUAGE_FORM = 'action="/review/articles/{slug}/language"'


def post_language(client, article: Article, language: str, **options):
    url = f"/review/articles/{article.slug}/language"
    return client.post(url, {"language": language}, **options)


def test_an_editor_sees_the_form_with_the_languages_named_in_themselves(client, german, editor):
    client.force_login(editor)
    page = client.get(german.get_absolute_url()).text
    assert LANGUAGE_FORM.format(slug=german.slug) in page
    assert '<option value="de">Deutsch (de)</option>' in page
    assert '<option value="ar">العربيّة (ar)</option>' in page
    assert '<option value="en" selected>English (en)</option>' in page


@pytest.mark.parametrize("persona", ["reviewer", "second_reviewer"])
def test_a_reviewer_sees_no_form_and_a_post_is_forbidden(client, german, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert LANGUAGE_FORM.format(slug=german.slug) not in client.get(german.get_absolute_url()).text
    assert post_language(client, german, "de").status_code == 403
    german.refresh_from_db()
    assert german.language == "en"


def test_an_outsider_is_forbidden_and_a_stranger_sent_to_log_in(client, german, outsider):
    assert post_language(client, german, "de").status_code == 302  # to the login page
    client.force_login(outsider)
    assert post_language(client, german, "de").status_code == 403
    german.refresh_from_db()
    assert german.language == "en"


def test_a_plain_post_changes_it_and_the_board_then_speaks_the_new_language(client, german, editor):
    client.force_login(editor)
    response = post_language(client, german, "de")
    assert response.status_code == 302
    assert response.url == german.get_absolute_url()
    page = client.get(response.url).text
    assert "Language set to Deutsch; 3 claims re-split and re-scored." in page
    assert '<h1 lang="de" dir="ltr">' in page
    assert page.count('class="claim-text" lang="de" dir="ltr"') == 3


def test_an_htmx_post_answers_with_the_board_in_the_new_language(client, german, editor):
    client.force_login(editor)
    response = post_language(client, german, "ar", headers=HTMX)
    assert response.status_code == 200
    assert '<h1 lang="ar" dir="rtl">' in response.text
    assert "Language set to العربيّة" in response.text
    assert '<option value="ar" selected>' in response.text


def test_a_refusal_goes_back_to_the_board_with_the_reason(client, german, editor):
    client.force_login(editor)
    response = post_language(client, german, "klingon", follow=True)
    assert "“klingon” is not a language known here" in response.text
    assert AuditEvent.objects.filter(action=AuditAction.ARTICLE_LANGUAGE_CHANGED).count() == 0


def test_the_post_needs_a_csrf_token(german, editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert post_language(client, german, "de").status_code == 403


def many_claims(reviewer, n: int, *, worked: bool) -> Article:
    sentences = (f"Die Regierung sagte am Montag, {k} Schulen schließen." for k in range(n))
    article = ArticleFactory(text="\n\n".join(sentences), language="en")
    if worked:
        claim = article.claims.order_by("ordinal").first()
        review.claim_take(actor=reviewer, claim=claim, version=claim.version)
    return article


@pytest.mark.parametrize("worked", [True, False], ids=["label only", "split again"])
def test_the_post_takes_as_many_queries_for_40_claims_as_for_4(
    client, reviewer, editor, worked, django_assert_max_num_queries
):
    """No query a claim: the re-scoring is one bulk UPDATE, the split one INSERT."""
    client.force_login(editor)
    small = many_claims(reviewer, 4, worked=worked)
    # The search entries are rewritten too (on PostgreSQL one more UPDATE for their
    # vectors) and matching is queued: still none a claim.
    with django_assert_max_num_queries(34) as few:
        assert post_language(client, small, "de").status_code == 302
    large = many_claims(reviewer, 40, worked=worked)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert post_language(client, large, "de").status_code == 302
    last = large.claims.order_by("ordinal").last()
    assert (last.score, last.reasons) == checkworthiness.assess(last.text, language="de")


def test_a_claim_of_the_new_split_shows_as_made_by_the_change(client, german, editor):
    article_change_language(article=german, language="de", actor=editor)
    claim = german.claims.order_by("ordinal").first()
    client.force_login(editor)
    page = client.get(f"{claim.get_absolute_url()}?as_of=imported").text
    event = AuditEvent.objects.get(action=AuditAction.ARTICLE_LANGUAGE_CHANGED)
    assert f"As of event #{event.seq}: article language changed" in page
    assert "can’t show this claim" not in page


def test_of_two_editors_choosing_at_once_the_second_is_told_and_nothing_is_overwritten(
    german, editor, superuser
):
    article_change_language(article=german, language="de", actor=editor, seen="en")
    with pytest.raises(ValidationError) as refused:
        article_change_language(article=german, language="pt", actor=superuser, seen="en")
    assert refused.value.messages == [
        "edith set the language to Deutsch while you were choosing; nothing changed. "
        "Choose again if it should still change."
    ]
    german.refresh_from_db()
    assert german.language == "de"
    assert len(events(AuditAction.ARTICLE_LANGUAGE_CHANGED)) == 1


def test_the_board_sends_the_language_it_showed(client, german, editor):
    client.force_login(editor)
    page = client.get(german.get_absolute_url()).text
    assert '<input type="hidden" name="seen" value="en"' in page
    article_change_language(article=german, language="de", actor=editor)
    url = f"/review/articles/{german.slug}/language"
    response = client.post(url, {"language": "pt", "seen": "en"}, follow=True)
    assert "edith set the language to Deutsch while you were choosing" in response.text
