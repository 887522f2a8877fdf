"""The fact-checking domain: articles, their claims, verdicts, evidence and the audit trail.

Reads are QuerySet verbs; every write to review data goes through the service
functions in `importing.py`, `review.py` and `publishing.py`, which also append the
audit event (`audit/`) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from . import languages, photos
from .snapshot import isotime, load_summary

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SHA256_HEX = RegexValidator(r"^[0-9a-f]{64}$", _("A SHA-256 is 64 lower-case hex digits."))
HTTP_URL = URLValidator(schemes=["http", "https"], message=_("Enter an http:// or https:// URL."))
HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1a7f37."))


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    READY = "ready", _("Ready to publish")
    PUBLISHED = "published", _("Published")
    CORRECTED = "corrected", _("Corrected")
    RETRACTED = "retracted", _("Retracted")


def derive_article_status(
    *, open_claims: int, worked_claims: int, approved_claims: int, latest_publication
) -> ArticleStatus:
    """An article's review status, derived from its claims and publications.

    `open_claims` are check-worthy claims not yet approved (nor dismissed),
    `worked_claims` those someone has started on (in review, proposed or approved).
    """
    if latest_publication is not None:
        if latest_publication.retracted_at is not None:
            return ArticleStatus.RETRACTED
        if latest_publication.version > 1:
            return ArticleStatus.CORRECTED
        return ArticleStatus.PUBLISHED
    if open_claims == 0 and approved_claims > 0:
        return ArticleStatus.READY
    if worked_claims > 0:
        return ArticleStatus.IN_REVIEW
    return ArticleStatus.DRAFT


class ArticleQuerySet(models.QuerySet):
    def with_progress(self) -> ArticleQuerySet:
        """Annotate claim counts per status, for progress bars and status."""
        status = ClaimStatus
        return self.annotate(
            claim_count=Count("claims"),
            new_count=Count("claims", filter=Q(claims__status=status.NEW)),
            in_review_count=Count("claims", filter=Q(claims__status=status.IN_REVIEW)),
            proposed_count=Count("claims", filter=Q(claims__status=status.PROPOSED)),
            approved_count=Count("claims", filter=Q(claims__status=status.APPROVED)),
            dismissed_count=Count("claims", filter=Q(claims__status=status.DISMISSED)),
        )

    def with_latest_publication(self) -> ArticleQuerySet:
        """Fetch each article's latest publication in one more query, for its status."""
        return self.prefetch_related(
            models.Prefetch(
                "publications",
                Publication.objects.latest_per_article().defer("snapshot"),
                to_attr="_latest_publications",
            )
        )

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-imported_at", "-id")

    def with_reopenings(self) -> ArticleQuerySet:
        """Fetch each article's reopenings (newest first) in one more query, for
        `Article.reopening`: the reason an editor gave, shown where the desk works."""
        return self.prefetch_related(
            models.Prefetch(
                "audit_events",
                AuditEvent.objects.filter(action=AuditAction.ARTICLE_REOPENED)
                .select_related("actor")
                .order_by("-seq"),
                to_attr="reopenings",
            )
        )


class Article(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    url = models.URLField(_("original URL"), max_length=2000, blank=True, validators=[HTTP_URL])
    published_on = models.DateField(_("original publication date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=16, default="en")
    body = models.TextField(
        _("body"), help_text=_("The text exactly as imported, normalised to NFC and \\n.")
    )
    # Derived by the database, so the claim-span trigger can compare against it cheaply
    # (on SQLite through the index `article_body_length`: see migration 0024).
    body_length = models.GeneratedField(
        expression=Length("body"), output_field=models.PositiveIntegerField(), db_persist=True
    )
    sha256 = models.CharField(
        _("SHA-256 of body"), max_length=64, unique=True, validators=[SHA256_HEX]
    )
    source_filename = models.CharField(_("imported from file"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when imported by a command (the system)."),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    # Set by ArticleQuerySet.with_progress() only (annotations, not fields).
    claim_count: int
    new_count: int
    in_review_count: int
    proposed_count: int
    approved_count: int
    dismissed_count: int
    reopened_at = models.DateTimeField(
        _("reopened for correction at"),
        null=True,
        blank=True,
        help_text=_("Reviewers may work on a published article again until it is republished."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-imported_at", "-id"]
        indexes = [
            # SQLite stores the length after the body, and reading it from the row walks
            # the whole body's pages: the claim-span trigger reads it from here instead.
            models.Index(fields=["id", "body_length"], name="article_body_length"),
        ]
        permissions = [
            ("import_article", _("Can import articles")),
            ("publish_article", _("Can publish, correct and retract articles")),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("claims:board", args=[self.slug])

    @property
    def direction(self) -> str:
        """Which way the article's text runs, "rtl" or "ltr" (for `dir`)."""
        return languages.direction(self.language)

    @property
    def status(self) -> ArticleStatus:
        if hasattr(self, "approved_count"):  # annotated by with_progress()
            open_claims = self.new_count + self.in_review_count + self.proposed_count
            worked, approved = self.in_review_count + self.proposed_count, self.approved_count
        else:
            counts = self.claims.aggregate(
                open=Count(
                    "id", filter=~Q(status__in=[ClaimStatus.APPROVED, ClaimStatus.DISMISSED])
                ),
                worked=Count("id", filter=Q(status__in=ClaimStatus.worked())),
                approved=Count("id", filter=Q(status=ClaimStatus.APPROVED)),
            )
            open_claims, worked, approved = counts["open"], counts["worked"], counts["approved"]
        return derive_article_status(
            open_claims=open_claims,
            worked_claims=worked + approved,
            approved_claims=approved,
            latest_publication=self.latest_publication,
        )

    @cached_property
    def latest_publication(self) -> Publication | None:
        if hasattr(self, "_latest_publications"):  # from with_latest_publication()
            return self._latest_publications[0] if self._latest_publications else None
        # Not the snapshot: a 1,000-claim article's is megabytes of JSON, and no caller
        # of this needs more than the version, dates and correction.
        return self.publications.defer("snapshot").order_by("-version").first()

    @property
    def open_for_review(self) -> bool:
        """Reviewers work on an article until it is published, and again while an editor
        has reopened it for a correction (until the corrected version is published)."""
        latest = self.latest_publication
        if latest is None:
            return True
        if latest.retracted_at is not None:
            return False
        return self.reopened_at is not None and self.reopened_at > latest.published_at

    @property
    def reopening(self) -> AuditEvent | None:
        """While the article is reopened for a correction, the event that reopened it (its
        `reason`, who, when); None otherwise. Reads `with_reopenings()` when it was used."""
        if self.latest_publication is None or not self.open_for_review:
            return None
        if hasattr(self, "reopenings"):
            return self.reopenings[0] if self.reopenings else None
        events = self.audit_events.filter(action=AuditAction.ARTICLE_REOPENED)
        return events.select_related("actor").order_by("-seq").first()

    @property
    def done_count(self) -> int:
        """Claims settled: approved or dismissed (needs with_progress())."""
        return self.approved_count + self.dismissed_count

    @property
    def progress_percent(self) -> int:
        return round(100 * self.done_count / self.claim_count) if self.claim_count else 0


class ArticleCapture(models.Model):
    """What the fetcher received when an article was imported from its URL, stored with
    the article in the import's transaction: evidence of what was imported, and the input
    to run the extraction again. Never rendered: the admin shows its size, hash and URLs."""

    article = models.OneToOneField(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="capture"
    )
    requested_url = models.URLField(_("requested URL"), max_length=2000, validators=[HTTP_URL])
    final_url = models.URLField(
        _("final URL"), max_length=2000, validators=[HTTP_URL], help_text=_("After redirects.")
    )
    status = models.PositiveSmallIntegerField(_("HTTP status"))
    content_type = models.CharField(_("content type"), max_length=100)
    charset = models.CharField(_("charset"), max_length=40, blank=True)
    body = models.BinaryField(_("raw body"), help_text=_("The bytes received (decompressed)."))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the raw body"), max_length=64, validators=[SHA256_HEX])
    fetched_at = models.DateTimeField(_("fetched at"))
    elapsed = models.FloatField(_("seconds to fetch"))

    class Meta:
        verbose_name = _("article capture")
        verbose_name_plural = _("article captures")
        ordering = ["-fetched_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__gte=200, status__lt=300),
                name="capture_status_success",
                violation_error_message=_(
                    "A capture is kept only for a page that answered with a 2xx status."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.final_url} ({self.fetched_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


class ClaimStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    PROPOSED = "proposed", _("Verdict proposed")
    APPROVED = "approved", _("Approved")
    DISMISSED = "dismissed", _("Dismissed")

    @classmethod
    def worked(cls) -> list[str]:
        return [cls.IN_REVIEW, cls.PROPOSED, cls.APPROVED]


NOT_CHECK_WORTHY = "not check-worthy"


def current_scorer_version() -> str:
    """The default of Claim.scorer_version: the scorer that scores new claims."""
    from .scoring.model import load

    return load().version


class ClaimantKind(models.TextChoices):
    """Who made a claim, as ClaimReview names them (`itemReviewed.author`'s type)."""

    PERSON = "Person", _("A person")
    ORGANIZATION = "Organization", _("An organisation")


class ClaimQuerySet(models.QuerySet):
    def check_worthy(self) -> ClaimQuerySet:
        return self.exclude(status=ClaimStatus.DISMISSED)

    def dismissed(self) -> ClaimQuerySet:
        return self.filter(status=ClaimStatus.DISMISSED)

    def awaiting_review(self) -> ClaimQuerySet:
        return self.filter(status__in=[ClaimStatus.NEW, ClaimStatus.IN_REVIEW])

    def in_article_order(self) -> ClaimQuerySet:
        return self.order_by("article_id", "ordinal")

    def with_send_backs(self) -> ClaimQuerySet:
        """Fetch each claim's send-backs (newest first) in one more query, for
        `Claim.send_back`."""
        return self.prefetch_related(
            models.Prefetch(
                "audit_events",
                AuditEvent.objects.filter(action=AuditAction.VERDICT_SENT_BACK)
                .select_related("actor")
                .order_by("-seq"),
                to_attr="send_backs",
            )
        )

    def on_board(self, filters: dict | None, user) -> ClaimQuerySet:
        """The board's claims under its filters (BoardFilterForm's cleaned data; None for
        filters that didn't validate: the check-worthy claims)."""
        shown = (
            ClaimMatch.objects.shown()
            .filter(claim=models.OuterRef("pk"))
            .order_by()
            .values("claim")
            .annotate(n=Count("id"))
            .values("n")
        )
        claims = (
            self.select_related("assignee", "verdict__rating")
            .annotate(match_count=Coalesce(models.Subquery(shown), 0))
            .order_by("ordinal")
        )
        if not filters or not filters["dismissed"]:
            claims = claims.check_worthy()
        if not filters:
            return claims
        if filters["status"]:
            claims = claims.filter(status=filters["status"])
        if filters["assignee"] == "mine":
            claims = claims.filter(assignee=user)
        elif filters["assignee"] == "nobody":
            claims = claims.filter(assignee__isnull=True)
        if filters["verdict"] == "none":
            claims = claims.filter(verdict__isnull=True)
        elif filters["verdict"]:
            claims = claims.filter(verdict__rating__slug=filters["verdict"])
        if filters["min_score"] is not None:
            claims = claims.filter(score__gte=filters["min_score"])
        return claims


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> ClaimQuerySet:
        # The search vector is the database's index of the claim, never shown: a board
        # of a thousand claims need not carry it (on PostgreSQL, a few hundred bytes each).
        return super().get_queryset().defer("search_vector")


class Claim(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="claims"
    )
    ordinal = models.PositiveIntegerField(_("ordinal"), help_text=_("1 for the first sentence."))
    paragraph = models.PositiveIntegerField(_("paragraph"), help_text=_("0-based paragraph."))
    start = models.PositiveIntegerField(_("start"), help_text=_("First character in the body."))
    end = models.PositiveIntegerField(_("end"), help_text=_("One past the last character."))
    text = models.TextField(_("sentence"), help_text=_("Always equals body[start:end]."))
    quote_prefix = models.CharField(_("text before"), max_length=32, blank=True)
    quote_suffix = models.CharField(_("text after"), max_length=32, blank=True)
    is_heading = models.BooleanField(_("heading"), default=False)
    wording = models.TextField(
        _("claim as reviewed"),
        help_text=_("The claim in the reviewers' words; starts as the sentence."),
    )
    score = models.FloatField(_("check-worthiness"), help_text=_("0 (not) to 1 (very)."))
    reasons = models.JSONField(
        _("reasons"),
        default=list,
        blank=True,
        help_text=_("What raised or lowered the score: [{feature, match, weight}]."),
    )
    scorer_version = models.CharField(
        _("scored by"),
        max_length=64,
        default=current_scorer_version,
        help_text=_(
            "The check-worthiness scorer behind score and reasons: the weights file's name "
            "and hash, or keyword-heuristic for claims scored before the trained scorer."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus, default=ClaimStatus.NEW
    )
    dismissed_reason = models.CharField(_("dismissed because"), max_length=500, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_default=None,
        related_name="assigned_claims",
    )
    # Who made the claim and where it appeared: the reporter quoting a critic did not make
    # the critic's claim. Empty until a reviewer says who (ClaimReview then names nobody).
    claimant = models.CharField(
        _("claim made by"),
        max_length=200,
        blank=True,
        db_default="",
        help_text=_("The person or organisation who made the claim."),
    )
    claimant_kind = models.CharField(
        _("claimant is"), max_length=16, choices=ClaimantKind, blank=True, db_default=""
    )
    claimant_role = models.CharField(
        _("role or description"),
        max_length=200,
        blank=True,
        db_default="",
        help_text=_("Optional, e.g. “Mayor of Exampleton”."),
    )
    appearance_url = models.URLField(
        _("appeared at"),
        max_length=2000,
        blank=True,
        validators=[HTTP_URL],
        db_default="",
        help_text=_("Where the claim was made; empty for the article's own address."),
    )
    appeared_on = models.DateField(
        _("appeared on"),
        null=True,
        blank=True,
        db_default=None,
        help_text=_("When the claim was made; empty for the article's publication date."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised on every change, for optimistic locking.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # The desk's search index of the claim's words (its wording and its sentence), kept
    # on its own row: on PostgreSQL this vector, parsed in the article's language's
    # configuration (GIN-indexed); on SQLite an FTS5 index that triggers keep in step
    # (migration 0025). See `claims/search/indexing.py`.
    search_vector = SearchVectorField(_("search vector"), null=True, blank=True, editable=False)

    objects = ClaimManager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["article_id", "ordinal"]
        permissions = [
            ("review_claim", _("Can review claims: take, word, add sources and notes, propose")),
            ("approve_verdict", _("Can approve or send back another reviewer's verdict")),
            ("assign_claim", _("Can assign claims to others")),
            ("dismiss_claim", _("Can dismiss and restore claims")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "ordinal"],
                name="claim_unique_ordinal_per_article",
                violation_error_message=_("This article already has a claim with this number."),
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="claim_span_not_empty",
                violation_error_message=_("A claim's span must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1),
                name="claim_score_in_unit_range",
                violation_error_message=_("A check-worthiness score is between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values),
                name="claim_status_valid",
                violation_error_message=_("That is not a claim status."),
            ),
            models.CheckConstraint(
                condition=(Q(status=ClaimStatus.DISMISSED) & ~Q(dismissed_reason=""))
                | (~Q(status=ClaimStatus.DISMISSED) & Q(dismissed_reason="")),
                name="claim_dismissed_has_reason",
                violation_error_message=_(
                    "A dismissed claim needs a reason, and only a dismissed claim has one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="claim_version_positive",
                violation_error_message=_("A claim's version starts at 1."),
            ),
            models.CheckConstraint(
                condition=(Q(claimant="") & Q(claimant_kind=""))
                | (~Q(claimant="") & Q(claimant_kind__in=ClaimantKind.values)),
                name="claim_claimant_has_kind",
                violation_error_message=_(
                    "Say whether the claimant is a person or an organisation (and leave both "
                    "empty when nobody is named)."
                ),
            ),
            # "end <= the article's body length" needs the other table: a trigger
            # (migration 0002) enforces it on SQLite and PostgreSQL.
        ]
        indexes = [models.Index(fields=["article", "status"], name="claim_article_status")]

    def __str__(self) -> str:
        return f"{self.article_id}#{self.ordinal}: {self.wording[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("claims:claim", args=[self.pk])

    @cached_property
    def explained_reasons(self) -> list[dict]:
        """The score's reasons with their labels and words, as pages and exports show them
        (stored without them: `checkworthiness.explain`)."""
        from .checkworthiness import explain

        return explain(self.text, self.reasons)

    @property
    def appearance(self) -> str:
        """Where the claim appeared: its own address, or else the article's."""
        return self.appearance_url or self.article.url

    @property
    def appearance_date(self) -> dt.date | None:
        return self.appeared_on or self.article.published_on

    @property
    def send_back(self) -> AuditEvent | None:
        """While the claim is back in review after a sign-off refused its verdict, the event
        that sent it back (its comment in `reason`, who, when); None otherwise.

        A claim in review that was ever sent back is still sent back: a verdict, once
        proposed, is never deleted, so only a new proposal takes the claim out of review.
        Reads `with_send_backs()` when it was used."""
        if self.status != ClaimStatus.IN_REVIEW:
            return None
        if hasattr(self, "send_backs"):
            return self.send_backs[0] if self.send_backs else None
        # Only a claim with a verdict is ever sent back: a page that read the verdict with
        # the claim knows without a query.
        if Claim.verdict.is_cached(self) and getattr(self, "verdict", None) is None:
            return None
        events = self.audit_events.filter(action=AuditAction.VERDICT_SENT_BACK)
        return events.select_related("actor").order_by("-seq").first()

    @property
    def quote(self) -> dict[str, str]:
        """The W3C Web Annotation TextQuoteSelector of this claim."""
        return {"exact": self.text, "prefix": self.quote_prefix, "suffix": self.quote_suffix}


class RatingQuerySet(models.QuerySet):
    def active(self) -> RatingQuerySet:
        return self.filter(is_retired=False)


class Rating(models.Model):
    WORST = 1
    BEST = 5

    label = models.CharField(_("label"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    definition = models.CharField(
        _("public definition"), max_length=400, help_text=_("One sentence, shown publicly.")
    )
    colour = models.CharField(_("colour"), max_length=7, validators=[HEX_COLOUR])
    rating_value = models.PositiveSmallIntegerField(
        _("ClaimReview ratingValue"),
        null=True,
        blank=True,
        help_text=_("1 (worst) to 5 (best); empty for off-scale ratings such as Unproven."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_retired = models.BooleanField(
        _("retired"), default=False, help_text=_("Retired ratings can't be chosen any more.")
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True)
                | (Q(rating_value__gte=1) & Q(rating_value__lte=5)),
                name="rating_value_on_scale",
                violation_error_message=_(
                    "The ClaimReview rating value is a whole number from 1 (worst) to 5 (best); "
                    "leave it empty for an off-scale rating such as Unproven."
                ),
            ),
            # One rating per point of the scale: two "1"s would make ratingValue ambiguous.
            models.UniqueConstraint(
                fields=["rating_value"],
                name="rating_value_unique",
                violation_error_message=_(
                    "Another rating already has this ClaimReview rating value; each point of "
                    "the scale (1 to 5) belongs to one rating. Leave it empty for an off-scale "
                    "rating."
                ),
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="rating_colour_hex",
                violation_error_message=_("Use a colour like #1a7f37 (a # and six hex digits)."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_scalar(self) -> bool:
        return self.rating_value is not None


class Verdict(models.Model):
    claim = models.OneToOneField(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="verdict"
    )
    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="verdicts"
    )
    summary = models.CharField(_("one-line summary"), max_length=280)
    rationale = models.TextField(_("rationale"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["claim_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="verdict_approver_is_not_proposer",
                violation_error_message=_(
                    "A verdict is approved by someone other than the reviewer who proposed it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="verdict_approval_has_time",
                violation_error_message=_("An approval needs both who approved and when."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}: {self.summary}"


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    REFUTES = "refutes", _("Refutes")
    CONTEXT = "context", _("Context")


class SourceQuerySet(models.QuerySet):
    def with_capture_state(self) -> SourceQuerySet:
        """Annotate `captured`: whether the source has a successful snapshot."""
        ok = SourceSnapshot.objects.ok().filter(source=models.OuterRef("pk"))
        return self.annotate(captured=models.Exists(ok))

    def published(self) -> SourceQuerySet:
        """Sources of approved claims in articles whose latest publication stands (not
        retracted): what the public pages cite, and what link checks watch."""
        retracted = Publication.objects.latest_per_article().filter(retracted_at__isnull=False)
        return (
            self.filter(
                claim__status=ClaimStatus.APPROVED, claim__article__publications__isnull=False
            )
            .exclude(claim__article__in=retracted.values("article"))
            .distinct()
        )


class Source(models.Model):
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="sources"
    )
    url = models.URLField(
        _("URL"), max_length=2000, validators=[HTTP_URL], help_text=_("http:// or https:// only.")
    )
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("date published"), null=True, blank=True)
    accessed_on = models.DateField(_("date accessed"), default=timezone.localdate)
    excerpt = models.TextField(_("excerpt"), blank=True, help_text=_("Quoted from the source."))
    stance = models.CharField(_("stance"), max_length=16, choices=Stance)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    # Set by SourceQuerySet.with_capture_state() only.
    captured: bool
    # Set by the claim page's sources panel: the latest capture, whether it may be retried.
    good_captures: list[SourceSnapshot]  # set by publishing's snapshot
    capture: SourceSnapshot | None
    may_retry: object

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["claim_id", "added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__istartswith="http://") | Q(url__istartswith="https://"),
                name="source_url_is_http",
                violation_error_message=_(
                    "A source's address must start with http:// or https://."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values),
                name="source_stance",
                violation_error_message=_(
                    "A source supports, refutes or gives context to the claim."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.claim.get_absolute_url() + f"#source-{self.pk}"

    def public_snapshot_url(self) -> str:
        return reverse("public:source-snapshot", args=[self.pk])


class SnapshotKind(models.TextChoices):
    CAPTURE = "capture", _("Capture")  # when the source was added, or a reviewer's retry
    CHECK = "check", _("Link check")  # a published check's source fetched again


class SnapshotOutcome(models.TextChoices):
    OK = "ok", _("Captured")
    FAILED = "failed", _("Failed")


class LinkFlag(models.TextChoices):
    """What a link check found, compared with the source's last good snapshot."""

    NONE = "", _("Unchanged")
    GONE = "gone", _("Gone")  # 4xx/5xx, refused, timed out
    CHANGED = "changed", _("Changed")  # another hash and other readable text


class SourceSnapshotQuerySet(models.QuerySet):
    def ok(self) -> SourceSnapshotQuerySet:
        return self.filter(outcome=SnapshotOutcome.OK)

    def newest_first(self) -> SourceSnapshotQuerySet:
        return self.order_by("-fetched_at", "-id")

    def flagged(self) -> SourceSnapshotQuerySet:
        return self.filter(kind=SnapshotKind.CHECK, source__isnull=False).exclude(
            flag=LinkFlag.NONE
        )


class SourceSnapshot(models.Model):
    """A source as the fetcher found it at one moment: a capture (when it was cited, or
    again on a reviewer's request) or a link check of a published source. Failures are
    kept too, with the fetcher's reason. Never changed: each fetch is a new row. The
    bytes are in the storage (`file`, named by their hash); the readable text is here.
    The text is shown as plain text only, never the captured HTML."""

    # A removed source's snapshots stay: what the desk saw is evidence even after it.
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="snapshots",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SnapshotKind.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=SnapshotOutcome.choices)
    failure = models.CharField(
        _("why it failed"), max_length=1000, blank=True, help_text=_("The fetcher's reason.")
    )
    requested_url = models.URLField(_("requested URL"), max_length=2000)
    final_url = models.URLField(
        _("final URL"), max_length=2000, blank=True, help_text=_("After redirects.")
    )
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    charset = models.CharField(_("charset"), max_length=40, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(
        _("SHA-256 of the bytes"), max_length=64, blank=True, validators=[SHA256_HEX]
    )
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now)
    elapsed = models.FloatField(_("seconds to fetch"), default=0)
    file = models.FileField(_("stored bytes"), max_length=200, blank=True)
    title = models.CharField(_("page title"), max_length=500, blank=True)
    text = models.TextField(_("readable text"), blank=True)
    archive_url = models.URLField(
        _("Internet Archive copy"), max_length=2000, blank=True, validators=[HTTP_URL]
    )
    archive_failure = models.CharField(_("why archiving failed"), max_length=1000, blank=True)
    flag = models.CharField(
        _("link check found"), max_length=16, choices=LinkFlag.choices, blank=True
    )
    changes = models.TextField(
        _("what changed"), blank=True, help_text=_("Since the last good snapshot (checks).")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system fetched it (on adding the source, link checks)."),
    )

    objects = SourceSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("source snapshot")
        verbose_name_plural = _("source snapshots")
        ordering = ["-fetched_at", "-id"]
        indexes = [
            models.Index(fields=["source", "kind", "fetched_at"], name="snapshot_source_kind"),
            models.Index(fields=["flag", "fetched_at"], name="snapshot_flag"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=SnapshotOutcome.FAILED, failure__gt="")
                | Q(
                    outcome=SnapshotOutcome.OK,
                    failure="",
                    status__gte=200,
                    status__lt=300,
                    sha256__regex=r"^[0-9a-f]{64}$",
                ),
                name="snapshot_ok_or_failed_with_reason",
                violation_error_message=_(
                    "A capture either succeeded (a 2xx answer and the page's SHA-256) or "
                    "failed with a reason."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SnapshotKind.values),
                name="snapshot_kind_valid",
                violation_error_message=_("That is not a kind of capture."),
            ),
            models.CheckConstraint(
                condition=Q(flag="") | Q(kind=SnapshotKind.CHECK),
                name="snapshot_flag_on_checks",
                violation_error_message=_(
                    "Only a link check can flag a source as gone or changed."
                ),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.requested_url} ({self.get_outcome_display()}, {self.fetched_at:%Y-%m-%d %H:%M})"
        )

    def get_absolute_url(self) -> str:
        return reverse("claims:snapshot-text", args=[self.pk])

    @property
    def is_ok(self) -> bool:
        return self.outcome == SnapshotOutcome.OK

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]


class Note(models.Model):
    """Reviewers' internal discussion on a claim. Never public."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["claim_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class AuditAction(models.TextChoices):
    """What an audit event records. The value is hashed into the chain: never rename one."""

    ARTICLE_IMPORTED = "article.imported", _("Article imported")
    ARTICLE_PUBLISHED = "article.published", _("Article published")
    ARTICLE_CORRECTED = "article.corrected", _("Correction published")
    ARTICLE_RETRACTED = "article.retracted", _("Article retracted")
    ARTICLE_REOPENED = "article.reopened", _("Article reopened")
    ARTICLE_LANGUAGE_CHANGED = "article.language_changed", _("Article language changed")
    ARTICLE_EDITED = "article.edited", _("Article details edited")
    CLAIM_TAKEN = "claim.taken", _("Claim taken")
    CLAIM_RELEASED = "claim.released", _("Claim released")
    CLAIM_ASSIGNED = "claim.assigned", _("Claim assigned")
    CLAIM_REWORDED = "claim.reworded", _("Claim reworded")
    CLAIM_DISMISSED = "claim.dismissed", _("Claim dismissed")
    CLAIM_RESTORED = "claim.restored", _("Claim restored")
    SOURCE_ADDED = "source.added", _("Source added")
    SOURCE_REMOVED = "source.removed", _("Source removed")
    NOTE_ADDED = "note.added", _("Note added")
    VERDICT_PROPOSED = "verdict.proposed", _("Verdict proposed")
    VERDICT_CHANGED = "verdict.changed", _("Verdict changed")
    VERDICT_APPROVED = "verdict.approved", _("Verdict approved")
    VERDICT_APPROVED_OVERRIDE = "verdict.approved_override", _("Verdict approved (override)")
    VERDICT_SENT_BACK = "verdict.sent_back", _("Verdict sent back")
    CLAIM_RESCORED = "claim.rescored", _("Claim rescored")
    RATING_CREATED = "rating.created", _("Rating created")
    RATING_CHANGED = "rating.changed", _("Rating changed")
    RATING_DELETED = "rating.deleted", _("Rating deleted")
    LOGIN_LOCKED_OUT = "login.locked_out", _("Login locked out")
    SOURCE_CAPTURE_REQUESTED = "source.capture_requested", _("Source capture requested")
    SOURCE_CAPTURED = "source.captured", _("Source captured")
    SOURCE_CAPTURE_FAILED = "source.capture_failed", _("Source capture failed")
    SOURCE_CHECKED = "source.checked", _("Source checked")
    ORGANISATION_CHANGED = "organisation.changed", _("Organisation details changed")
    FUNDING_SAVED = "funding.saved", _("Funding saved")
    FUNDING_DELETED = "funding.deleted", _("Funding deleted")
    PROFILE_CHANGED = "profile.changed", _("Team profile changed")
    TIP_RECEIVED = "tip.received", _("Reader tip received")
    TIP_ACCEPTED = "tip.accepted", _("Reader tip accepted")
    TIP_DISMISSED = "tip.dismissed", _("Reader tip dismissed")
    CORRECTION_REQUESTED = "correction.requested", _("Correction requested by a reader")
    CORRECTION_REQUEST_ACCEPTED = "correction.request_accepted", _("Correction request accepted")
    CORRECTION_REQUEST_DECLINED = "correction.request_declined", _("Correction request declined")
    CLAIM_CLAIMANT_CHANGED = "claim.claimant_changed", _("Claimant changed")
    USER_CREATED = "user.created", _("User created")
    USER_CHANGED = "user.changed", _("User changed")
    USER_DELETED = "user.deleted", _("User deleted")
    GROUP_CREATED = "group.created", _("Group created")
    GROUP_CHANGED = "group.changed", _("Group changed")
    GROUP_DELETED = "group.deleted", _("Group deleted")
    ARTICLE_MATCHED = "article.matched", _("Earlier checks matched")
    MATCH_REUSED = "match.reused", _("Earlier check reused")
    MATCH_REJECTED = "match.rejected", _("Match marked as wrong")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are append-only; they can't be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events are append-only; they can't be deleted.")

    def head(self) -> AuditEvent | None:
        return self.order_by("-seq").first()


class AuditEvent(models.Model):
    """One change, hash-chained to the one before it. Created only by `audit.record`,
    which accepts only an `AuditAction`."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the system (commands, migrations)."),
    )
    actor_label = models.CharField(_("actor name"), max_length=150)
    action = models.CharField(_("action"), max_length=64, choices=AuditAction.choices)
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, validators=[SHA256_HEX])
    hash = models.CharField(_("hash"), max_length=64, unique=True, validators=[SHA256_HEX])

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seq__gte=1),
                name="audit_seq_positive",
                violation_error_message=_("Audit events are numbered from 1."),
            )
        ]
        indexes = [
            models.Index(fields=["article", "seq"], name="audit_article_seq"),
            models.Index(fields=["claim", "seq"], name="audit_claim_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events are append-only; they can't be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only; they can't be deleted.")

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for every field this event changed, for timelines."""
        before, after = self.before or {}, self.after or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            return []
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        return [(k, before.get(k), after.get(k)) for k in keys if k != "claims"]


class CorrectionKind(models.TextChoices):
    VERDICT_CHANGED = "verdict_changed", _("Verdict changed")
    SOURCE_ADDED = "source_added", _("Source added")
    WORDING_CLARIFIED = "wording_clarified", _("Wording clarified")
    CLAIM_ADDED = "claim_added", _("Claim added")
    TYPO = "typo", _("Typo fixed")
    OTHER = "other", _("Other")


class PublicationQuerySet(models.QuerySet):
    def latest_per_article(self) -> PublicationQuerySet:
        latest = Publication.objects.filter(article=models.OuterRef("article"))
        return self.filter(
            version=models.Subquery(latest.order_by("-version").values("version")[:1])
        )


class Publication(models.Model):
    """An immutable snapshot of everything public about an article at publication time."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="publications"
    )
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    # A few figures from the snapshot, so lists, feeds and sitemaps need not load it whole.
    summary = models.JSONField(
        _("summary"), default=dict, help_text=_("{ordinals, counts: [[label, colour, n]]}")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    audit_head = models.CharField(_("audit chain head"), max_length=64, validators=[SHA256_HEX])
    correction_kind = models.CharField(
        _("correction kind"), max_length=32, choices=CorrectionKind, blank=True
    )
    correction_text = models.TextField(_("correction"), blank=True)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retracted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retraction_reason = models.TextField(_("retraction reason"), blank=True)

    RETRACTION_FIELDS = frozenset({"retracted_at", "retracted_by", "retraction_reason"})

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["article_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "version"],
                name="publication_unique_version",
                violation_error_message=_(
                    "This article already has a publication with this version number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="publication_version_positive",
                violation_error_message=_("Publication versions are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=Q(version=1) | (~Q(correction_kind="") & ~Q(correction_text="")),
                name="publication_correction_explained",
                violation_error_message=_(
                    "A correction needs its kind and a published note; the first version "
                    "has neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(retracted_at__isnull=True) | ~Q(retraction_reason=""),
                name="publication_retraction_has_reason",
                violation_error_message=_("A retraction needs a published reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article} v{self.version}"

    def save(self, *args, **kwargs):
        # A snapshot is what readers saw: it never changes. Only a retraction is added.
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.RETRACTION_FIELDS:
                raise AppendOnlyError("A publication never changes; publish a correction instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("public:version", args=[self.article.slug, self.version])

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Publications are never deleted; retract instead.")

    @cached_property
    def chart(self) -> list[dict]:
        """Verdict counts as stacked-bar segments: label, colour, n and x offset."""
        segments, x = [], 0
        for count in load_summary(self.summary).counts:
            segments.append({"label": count.label, "colour": count.colour, "n": count.n, "x": x})
            x += count.n
        return segments

    @property
    def claim_total(self) -> int:
        return len(load_summary(self.summary).ordinals)

    @property
    def snapshot_time(self) -> str:
        """`published_at` written the way snapshot times are."""
        return isotime(self.published_at)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    # The input itself was refused (not a text, no sentence…): running it again won't help.
    REJECTED = "rejected", _("Rejected")
    # Something broke (a lost permission, the database, a bug): it may be run again.
    FAILED = "failed", _("Failed")

    @classmethod
    def active(cls) -> list[JobStatus]:
        return [cls.QUEUED, cls.RUNNING]


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    URL_IMPORT = "url_import", _("Import by URL")

    @classmethod
    def imports(cls) -> list[JobKind]:
        return [cls.IMPORT, cls.URL_IMPORT]


class JobStage(models.TextChoices):
    """Where a running import has got to (its status says queued, done or failed)."""

    FETCHING = "fetching", _("Fetching the page")
    EXTRACTING = "extracting", _("Extracting the article")
    SPLITTING = "splitting", _("Splitting into claims")


class JobQuerySet(models.QuerySet):
    def active(self) -> JobQuerySet:
        return self.filter(status__in=JobStatus.active())

    def abandoned(self, *, before: dt.datetime) -> JobQuerySet:
        """Running, with no sign of life since `before`: its worker is gone."""
        return self.filter(status=JobStatus.RUNNING, heartbeat_at__lt=before)

    def newest_first(self) -> JobQuerySet:
        return self.order_by("-created_at", "-id")


class Job(models.Model):
    """A piece of the desk's work done in the background (`claims/jobs.py`), as editors
    follow it: what it is, who asked, how far it got, how it ended. Each attempt is one
    task of Django's tasks framework (`task_id`), run by a `run_worker` process."""

    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    label = models.CharField(_("what"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    task_id = models.CharField(
        _("task"), max_length=64, blank=True, help_text=_("The current attempt's task result.")
    )
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("of"), default=0)
    stage = models.CharField(_("stage"), max_length=20, choices=JobStage.choices, blank=True)
    detail = models.CharField(_("progress"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    data = models.BinaryField(
        _("input"), blank=True, help_text=_("The uploaded file, kept until the job is done.")
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=F("total")),
                name="job_done_lte_total",
                violation_error_message=_("A job can't have done more than its total."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("claims:operations") + f"#job-{self.pk}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def is_active(self) -> bool:
        return self.status in JobStatus.active()

    @property
    def is_abandoned(self) -> bool:
        if self.status != JobStatus.RUNNING or self.heartbeat_at is None:
            return False
        stale = dt.timedelta(seconds=settings.FACTCHECK_JOB_STALE_SECONDS)
        return self.heartbeat_at < timezone.now() - stale

    @property
    def may_retry(self) -> bool:
        """A failed job, or one whose worker stopped; and an import by URL whose page was
        refused, since the page (or the setting that refused it) may have changed."""
        if self.kind == JobKind.URL_IMPORT and self.status == JobStatus.REJECTED:
            return True
        return self.status == JobStatus.FAILED or self.is_abandoned


# --- the desk in public: transparency, reader tips, correction requests, notifications -----


ONE_ORGANISATION = _("The organisation is described once: edit the existing details instead.")


class Organisation(models.Model):
    """Who the desk is, for /checks/about/ (IFCN and EFCSN ask every signatory to publish
    it). One row: `Organisation.objects.current()`; edited in the admin through
    `transparency.organisation_save`."""

    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(
        _("legal form"), max_length=200, blank=True, help_text=_("e.g. non-profit association")
    )
    ownership = models.TextField(_("ownership"), blank=True, help_text=_("Who owns the desk."))
    editorial_control = models.TextField(
        _("editorial control"), blank=True, help_text=_("Who decides what is published.")
    )
    independence = models.TextField(
        _("statement of independence"),
        blank=True,
        help_text=_("That funders and owners have no say over the desk's conclusions."),
    )
    address = models.TextField(_("postal address"), blank=True)
    contact_email = models.EmailField(_("public contact email"), blank=True)
    corrections_policy = models.TextField(
        _("corrections policy"),
        blank=True,
        help_text=_("Shown on /checks/corrections-policy/, above how requests are handled."),
    )
    one = models.BooleanField(default=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["one"],
                name="organisation_single_row",
                violation_error_message=ONE_ORGANISATION,
            ),
            models.CheckConstraint(
                condition=Q(one=True),
                name="organisation_one_true",
                violation_error_message=ONE_ORGANISATION,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:about")

    @classmethod
    def current(cls) -> Organisation | None:
        return cls.objects.first()


class Funding(models.Model):
    """One source of income in one year: the about page lists them by year."""

    year = models.PositiveSmallIntegerField(_("year"))
    funder = models.CharField(_("funder"), max_length=200)
    amount = models.CharField(
        _("amount or band"), max_length=100, help_text=_("e.g. EUR 40,000 or 10-50k EUR")
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        ordering = ["-year", "funder"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2200),
                name="funding_year_plausible",
                violation_error_message=_("Give the year in full, between 1900 and 2200."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.funder}"

    def get_absolute_url(self) -> str:
        return reverse("public:about") + "#funding"


class TeamProfileQuerySet(models.QuerySet):
    def public(self) -> TeamProfileQuerySet:
        return self.filter(is_public=True, user__is_active=True).order_by("position", "public_name")


class TeamProfile(models.Model):
    """How a desk member appears on /checks/team/, if they chose to: never their email."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("desk member"),
        on_delete=models.CASCADE,
        related_name="team_profile",
    )
    is_public = models.BooleanField(
        _("shown on the team page"), default=False, help_text=_("The member's own choice.")
    )
    public_name = models.CharField(_("public name"), max_length=150)
    slug = models.SlugField(
        _("anchor on the team page"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_(
            "Verdict cards link to /checks/team/#person-<this>. Left empty, it is made from "
            "the public name; keep it once published, or older links lose their target."
        ),
    )
    role = models.CharField(_("role"), max_length=150, blank=True)
    biography = models.TextField(_("short biography"), blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to=photos.UPLOAD_TO,
        max_length=200,
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        validators=[photos.validate_photo],
        help_text=_(
            "Optional. JPEG, PNG or WebP, at most 5 MB. Stored without its metadata (no "
            "EXIF: no place or camera), at most 800 pixels a side."
        ),
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TeamProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("team profile")
        verbose_name_plural = _("team profiles")
        ordering = ["position", "public_name"]

    def __str__(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("public:team") + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"person-{self.slug}"

    @property
    def photo_url(self) -> str:
        """Where the public page serves the photo (not MEDIA_URL, which nothing serves)."""
        if not self.photo:
            return ""
        return reverse("public:team-photo", args=[str(self.photo.name).rsplit("/", 1)[-1]])


class ReaderStatus(models.TextChoices):
    """Where a reader's tip or correction request stands."""

    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")  # a tip: not for us
    DECLINED = "declined", _("Declined")  # a correction request: no correction needed


def _reader_indexes(*, by_sender: str, by_status: str) -> list[models.Index]:
    """A message kind's indexes: for the rate limit (by sender and time) and the intake
    list (by status). Named per kind, as the database has them."""
    return [
        models.Index(fields=["sender", "received_at"], name=by_sender),
        models.Index(fields=["status"], name=by_status),
    ]


def _reader_constraints(
    refused: ReaderStatus, *, valid: tuple[str, StrOrPromise], reasoned: tuple[str, StrOrPromise]
) -> list[models.BaseConstraint]:
    """A message kind's statuses (new, accepted, or its own way of saying no: `refused`),
    and a reason whenever it is refused; each (name, message)."""
    return [
        models.CheckConstraint(
            condition=Q(status__in=[ReaderStatus.NEW, ReaderStatus.ACCEPTED, refused]),
            name=valid[0],
            violation_error_message=valid[1],
        ),
        models.CheckConstraint(
            condition=~Q(status=refused) | ~Q(reason=""),
            name=reasoned[0],
            violation_error_message=reasoned[1],
        ),
    ]


class ReaderMessage(models.Model):
    """What every message from a reader has: how to answer them (if they want an answer),
    whom to count it against (never their address), and where it stands."""

    email = models.EmailField(_("reader's email"), blank=True)
    sender = models.CharField(
        _("sender key"),
        max_length=64,
        help_text=_("A keyed hash of the sender's address, for rate limits; not the address."),
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=ReaderStatus.choices, default=ReaderStatus.NEW
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.message[:60]

    @property
    def message(self) -> str:
        """What the reader wrote: the claim suggested, or what is wrong."""
        raise NotImplementedError


class Tip(ReaderMessage):
    """A claim a reader suggested we check (/checks/suggest/). Never shown publicly."""

    text = models.TextField(_("claim suggested"))
    seen_at = models.URLField(
        _("where it was seen"), max_length=2000, blank=True, validators=[HTTP_URL]
    )
    reason = models.CharField(_("dismissed because"), max_length=500, blank=True)
    job = models.ForeignKey(
        Job,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(ReaderMessage.Meta):
        verbose_name = _("reader tip")
        verbose_name_plural = _("reader tips")
        indexes = _reader_indexes(by_sender="tip_sender_time", by_status="tip_status")
        constraints = _reader_constraints(
            ReaderStatus.DISMISSED,
            valid=("tip_status_valid", _("A tip is new, accepted or dismissed.")),
            reasoned=("tip_dismissed_has_reason", _("Say why the tip is dismissed.")),
        )

    def get_absolute_url(self) -> str:
        return reverse("claims:intake") + f"#tip-{self.pk}"

    @property
    def message(self) -> str:
        return self.text


class CorrectionRequest(ReaderMessage):
    """A reader's "Report an error" on a published verdict. The corrections-policy page's
    figures are counted from these rows."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        related_name="correction_requests",
    )
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="correction_requests"
    )
    problem = models.TextField(_("what is wrong"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(
        _("evidence URL"), max_length=2000, blank=True, validators=[HTTP_URL]
    )
    reason = models.TextField(_("answer"), blank=True, help_text=_("Why it was declined."))
    publication = models.ForeignKey(
        "Publication",
        verbose_name=_("correction published"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction_requests",
    )

    class Meta(ReaderMessage.Meta):
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        indexes = _reader_indexes(
            by_sender="correction_request_sender", by_status="correction_request_status"
        )
        constraints = _reader_constraints(
            ReaderStatus.DECLINED,
            valid=(
                "correction_request_status_valid",
                _("A correction request is new, accepted or declined."),
            ),
            reasoned=(
                "correction_request_declined_has_reason",
                _("Say why the request is declined: the reader is told the answer."),
            ),
        )

    def get_absolute_url(self) -> str:
        return reverse("claims:intake") + f"#request-{self.pk}"

    @property
    def message(self) -> str:
        return self.problem


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("A claim is assigned to me")
    SENT_BACK = "sent_back", _("My verdict is sent back")
    SIGN_OFF = "sign_off", _("A verdict awaits a second reviewer's sign-off")
    TIP = "tip", _("A reader suggests a claim (editors)")
    CORRECTION_REQUEST = "correction_request", _("A reader reports an error (editors)")


class NotificationOptOut(models.Model):
    """A desk member turned one kind of notification off (every kind is on by default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("desk member"),
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("notification turned off")
        verbose_name_plural = _("notifications turned off")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notification_opt_out_once",
                violation_error_message=_("This notification is already turned off."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} off"


class EntryKind(models.TextChoices):
    """What a search result is. The desk searches the first five; the public only
    published claims, whose entries hold what their publication shows. A claim is
    indexed on its own row (`Claim.search_vector`), not by an entry: no entry is of the
    kind CLAIM, which names the claims among the results."""

    ARTICLE = "article", _("Article")
    CLAIM = "claim", _("Claim")
    VERDICT = "verdict", _("Verdict")
    SOURCE = "source", _("Source")
    NOTE = "note", _("Note")
    PUBLISHED = "published", _("Published verdict")

    @classmethod
    def desk(cls) -> list[EntryKind]:
        return [cls.ARTICLE, cls.CLAIM, cls.VERDICT, cls.SOURCE, cls.NOTE]


class SearchEntry(models.Model):
    """The text of one thing the search boxes find (an article's details, a verdict, a
    source, a note, a published claim; claims are indexed on their own rows), kept in
    step with it by `claims/search/indexing.py` inside the transaction of every change
    to that text.

    The database's text index reads it: on PostgreSQL `vector` (the text parsed in
    the article's language's configuration, GIN-indexed); on SQLite an FTS5 table that
    triggers keep in step with this one (migration 0015). Never edited by hand:
    `manage.py reindex_search` rebuilds it. Matching reads its own index (`MatchEntry`)."""

    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    # The pk of the article, claim, verdict, source or note (a published claim: the claim).
    object_id = models.PositiveBigIntegerField(_("object id"))
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    claim = models.ForeignKey(
        Claim,
        verbose_name=_("claim"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="search_entries",
    )
    config = models.CharField(
        _("text search configuration"), max_length=32, help_text=_("PostgreSQL's name for it.")
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"))
    # Words the SQLite index filters on without reading this table: "k<kind>" and
    # "a<article pk>" (entries written before migration 0022 may also say "checked").
    tags = models.CharField(_("tags"), max_length=100, editable=False)
    dated = models.DateTimeField(_("dated"), help_text=_("When the text was written."))
    vector = SearchVectorField(_("search vector"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                name="search_entry_unique",
                violation_error_message=_(
                    "This is already in the search index; run reindex_search to rebuild it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values),
                name="search_entry_kind_valid",
                violation_error_message=_("That is not a kind of search entry."),
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "kind"], name="search_entry_claim"),
            models.Index(fields=["article", "kind"], name="search_entry_article"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

    def get_absolute_url(self) -> str:
        if self.claim is None:
            return self.article.get_absolute_url()
        if self.kind == EntryKind.PUBLISHED:
            return reverse("public:claim", args=[self.article.slug, self.claim.ordinal])
        return self.claim.get_absolute_url()


class MatchEntry(models.Model):
    """A checked claim (one with a proposed or approved verdict: the only claims matching
    compares with) as matching reads it: its terms (`search.text.terms`, one line for
    its wording and one for its text when they differ), written by
    `claims/search/indexing.py` in the transaction of every change to the claim, its
    wording or its verdict; no row for a claim that isn't checked.

    A third of the claims at most, and only the words the scorer compares: the index
    matching asks is this one, not the desk's. On PostgreSQL `vector` holds the terms
    (the `simple` configuration, GIN-indexed); on SQLite an FTS5 table of the terms and
    its vocabulary follow this one through triggers (migration 0022)."""

    claim = models.OneToOneField(
        Claim,
        verbose_name=_("claim"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="match_entry",
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    terms = models.TextField(_("terms"))
    # The lightest line's weight (`search.text.indexed_weight`): the index passes over
    # the claims too heavy to reach the threshold. 0, never passed over, until written.
    weight = models.FloatField(_("weight"), default=0)
    vector = SearchVectorField(_("search vector"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("match entry")
        verbose_name_plural = _("match entries")
        # The light claims, when few are light enough to match (a long new claim that
        # shares little with the checked ones).
        indexes = [models.Index(fields=["weight"], name="match_entry_weight")]

    def __str__(self) -> str:
        return f"match entry {self.claim_id}"


class MatchTerm(models.Model):
    """How many match entries hold a term: matching asks the index only for a new
    claim's rarest terms. Kept in step with `MatchEntry` by the same writes (an entry
    deleted with its claim or article leaves a count too high, never too low: matching
    then asks for a term it could have skipped; `reindex_search` counts again)."""

    term = models.TextField(_("term"), primary_key=True)
    claims = models.PositiveIntegerField(_("claims holding it"), default=0)

    class Meta:
        verbose_name = _("match term")
        verbose_name_plural = _("match terms")

    def __str__(self) -> str:
        return f"{self.term}: {self.claims}"


class ClaimMatchQuerySet(models.QuerySet):
    def shown(self) -> ClaimMatchQuerySet:
        """Matches nobody has marked as wrong."""
        return self.filter(rejected_at__isnull=True)


class ClaimMatch(models.Model):
    """An earlier checked claim of another article that is like `claim`, found by
    `claims/search/matching.py`, with how alike (0..1). Marked as wrong, it is hidden and
    stays so when matching runs again."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="matches"
    )
    earlier = models.ForeignKey(
        Claim, verbose_name=_("earlier claim"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("similarity"), help_text=_("0 (unlike) to 1 (the same terms)."))
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked wrong by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("marked wrong at"), null=True, blank=True)
    # Set by matching.shown_matches(): the earlier claim's public page, "" if unpublished.
    public_url: str

    objects = ClaimMatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim match")
        verbose_name_plural = _("claim matches")
        ordering = ["claim_id", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "earlier"],
                name="claim_match_unique",
                violation_error_message=_("This earlier claim is already matched to this claim."),
            ),
            models.CheckConstraint(
                condition=~Q(claim=F("earlier")),
                name="claim_match_not_itself",
                violation_error_message=_("A claim can't be matched to itself."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1),
                name="claim_match_score_unit",
                violation_error_message=_("A similarity is between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} ~ {self.earlier_id} ({self.score:.2f})"

    def get_absolute_url(self) -> str:
        return self.claim.get_absolute_url() + f"#match-{self.pk}"
