"""Synthetic data for the benchmark, made through the project's services and factories.

Every claim is reviewed the way a desk would do it (take, reword, three sources, two
notes, a verdict proposed then revised, approval), so each write also lands in the
audit trail through the services. Needs a configured Django (`django.setup()`).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from django.db import transaction

from claims import audit, review
from claims.importing import article_import
from claims.models import Article, AuditAction, AuditEvent, Claim, Rating
from claims.publishing import article_publish, article_reopen
from tests.factories import ArticleFactory, UserFactory
from tests.workspace import with_sources

PASSWORD = "bench-only password, never used outside the benchmark"
# Claims reviewed per transaction: fewer commits (fast on SQLite), locks held briefly.
CLAIMS_PER_TRANSACTION = 50
EVENTS_PER_TRANSACTION = 5_000

SUBJECTS = [
    "The ministry",
    "Mayor Jane Doe",
    "The regional council",
    "Officials in Daraa",
    "The United Nations",
    "A spokesperson for the army",
    "Local residents",
    "Critics",
]
VERBS = ["said", "announced", "denied", "confirmed", "claimed", "warned", "argued"]
OBJECTS = [
    "that {n} people had been displaced since {month}",
    "that the budget rose by {n}% in {year}",
    "that {n} schools would reopen by {month}",
    "the plan ought to be abandoned",
    "that the ceasefire was, in effect, over",
    "that about {n} trucks crossed the border on {day}",
]
MONTHS = ["January", "March", "May", "July", "September", "November"]
DAYS = ["Monday", "Tuesday", "Friday", "Sunday"]


def synthetic_article(size: int, seed: int = 1) -> str:
    """About `size` characters of news-like text: attributed figures, some opinion, headings."""
    rng = random.Random(seed)
    paragraphs, total = [], 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            obj = rng.choice(OBJECTS).format(
                n=rng.randint(2, 9000),
                month=rng.choice(MONTHS),
                year=rng.randint(1990, 2025),
                day=rng.choice(DAYS),
            )
            sentences.append(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {obj}.")
        if rng.random() < 0.1:
            paragraphs.append(f"Section {len(paragraphs) + 1} of the report")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size].rsplit(".", 1)[0] + "."


def synthetic_html(size: int, seed: int = 1) -> str:
    """A news page of about `size` bytes as a site serves it: a head with metadata, a
    menu, the article (headings, paragraphs, a list, a quotation), a related-links box
    and a footer; the article's text is about three fifths of the page."""
    from html import escape

    rng = random.Random(seed)
    body = synthetic_article(size * 3 // 5, seed=seed)
    blocks = []
    for number, paragraph in enumerate(body.split("\n\n")):
        if paragraph.startswith("Section "):
            blocks.append(f"<h2>{escape(paragraph)}</h2>")
        elif number % 17 == 5:
            blocks.append(f"<blockquote><p>{escape(paragraph)}</p></blockquote>")
        else:
            blocks.append(f'<p class="body-text">{escape(paragraph)}</p>')
    menu = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(40))
    related = "".join(
        f'<li><a href="/news/{rng.randint(1, 10**6)}">Related: story {n}</a></li>'
        for n in range(20)
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Floods: what the council said</title>"
        '<meta property="og:title" content="Floods: what the council said">'
        '<meta name="author" content="Jane Reporter">'
        '<meta property="article:published_time" content="2025-03-01T08:00:00Z">'
        f"</head><body><header><nav><ul>{menu}</ul></nav></header>"
        "<main><article><h1>Floods: what the council said</h1>"
        '<p class="byline">By Jane Reporter</p>'
        f"{''.join(blocks)}</article>"
        f'<aside class="related"><h3>Related</h3><ul>{related}</ul></aside></main>'
    )
    footer, length = [], len(page.encode()) + 40
    while length < size:
        footer.append(f'<p><a href="/about/{len(footer)}">About us, page {len(footer)}</a></p>')
        length += len(footer[-1])
    return f"{page}<footer>{''.join(footer)}</footer></body></html>"


def checkworthy_article(claims: int) -> str:
    """`claims` sentences, five to a paragraph, each one check-worthy (figures, dates, actors)."""
    sentences = [
        f"Mayor Jane Doe said on {DAYS[n % 4]} that {n + 3} bridges in Exampleton "
        f"will close in {1990 + n % 36}, according to officials."
        for n in range(claims)
    ]
    return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, claims, 5))


@dataclass(frozen=True)
class Desk:
    editor: object
    reviewer: object
    approver: object


@dataclass(frozen=True)
class Dataset:
    desk: Desk
    large: Article  # published, then reopened for a correction: reviewers work on it
    small: Article
    reviewed_claim: Claim  # a claim of `large`: 3 sources, 2 notes, 10 events
    events: int


def make_desk() -> Desk:
    def person(username: str, group: str):
        return UserFactory(username=username, password=PASSWORD, groups=[group])

    return Desk(
        editor=person("bench-editor", "Editors"),
        reviewer=person("bench-reviewer", "Reviewers"),
        approver=person("bench-approver", "Reviewers"),
    )


def _version(claim: Claim) -> int:
    return Claim.objects.values_list("version", flat=True).get(pk=claim.pk)


def review_claim(claim: Claim, desk: Desk, rating: Rating) -> None:
    """The full review of one claim through the services: ten audit events."""
    claim = review.claim_take(actor=desk.reviewer, claim=claim, version=claim.version)
    claim = review.claim_reword(
        actor=desk.reviewer,
        claim=claim,
        wording=f"As reviewed: {claim.text}",
        version=claim.version,
    )
    claim = with_sources(claim, desk.reviewer, stances=("refutes", "context", "supports"))
    review.claim_add_note(actor=desk.reviewer, claim=claim, body="Checked the council minutes.")
    review.claim_add_note(actor=desk.approver, claim=claim, body="The second source agrees.")
    for summary in ("First reading of the evidence.", "The figures do not add up."):
        review.claim_propose_verdict(
            actor=desk.reviewer,
            claim=claim,
            rating=rating,
            summary=summary,
            rationale="Two monitors and the council's own minutes contradict the figure.",
            version=_version(claim),
        )
    review.claim_approve_verdict(actor=desk.approver, claim=claim, version=_version(claim))


def reviewed_and_published(text: str, desk: Desk, title: str) -> Article:
    article = article_import(data=text, actor=desk.editor, title=title).article
    ratings = itertools.cycle(Rating.objects.filter(rating_value__isnull=False))
    claims = list(article.claims.check_worthy().order_by("ordinal"))
    for start in range(0, len(claims), CLAIMS_PER_TRANSACTION):
        with transaction.atomic():
            for claim in claims[start : start + CLAIMS_PER_TRANSACTION]:
                review_claim(claim, desk, next(ratings))
    article_publish(actor=desk.editor, article=article)
    return article


def pad_audit_trail(total: int, desk: Desk, claims: list[Claim]) -> None:
    """Append claim-change events through `audit.record()` until the trail has `total`.

    They land on the unmeasured articles' claims, so no measured page shows them.
    """
    missing = total - AuditEvent.objects.count()
    for start in range(0, max(missing, 0), EVENTS_PER_TRANSACTION):
        with transaction.atomic():
            for n in range(start, min(missing, start + EVENTS_PER_TRANSACTION)):
                claim = claims[n % len(claims)]
                audit.record(
                    actor=desk.reviewer,
                    action=AuditAction.CLAIM_REWORDED,
                    claim=claim,
                    obj=claim,
                    before={"status": "in_review", "wording": claim.text, "assignee": None},
                    after={"status": "in_review", "wording": f"{n}: {claim.text}", "assignee": 1},
                )


def build(*, articles: int, large_claims: int, small_claims: int, events: int) -> Dataset:
    desk = make_desk()
    ArticleFactory.create_batch(articles, actor=desk.editor)
    large = reviewed_and_published(
        checkworthy_article(large_claims), desk, f"A long report with {large_claims} claims"
    )
    small = reviewed_and_published(
        checkworthy_article(small_claims), desk, f"A short report with {small_claims} claims"
    )
    # Published pages stay as they are; the reviewer pages show every form, as in review.
    article_reopen(actor=desk.editor, article=large, reason="A reader asks about claim 12.")
    padding = list(
        Claim.objects.exclude(article__in=[large, small]).select_related("article").order_by("pk")
    )
    pad_audit_trail(events, desk, padding)
    return Dataset(
        desk=desk,
        large=large,
        small=small,
        reviewed_claim=large.claims.order_by("ordinal")[large_claims // 2],
        events=AuditEvent.objects.count(),
    )
