"""Atom feeds of publications and of corrections and retractions, and the sitemap."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Publication
from .snapshot import load_summary


class _AtomFeed(Atom1Feed):
    """Atom with each entry in its article's language (`xml:lang`): a desk publishes
    checks of articles in several languages, and a reader's software reads, speaks and
    hyphenates each title in its own."""

    def item_attributes(self, item: dict) -> dict:
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


class PublicationsFeed(Feed):
    feed_type = _AtomFeed
    link = "/checks/"

    def title(self):
        return f"{settings.FACTCHECK_ORGANISATION}: fact-checks"

    def subtitle(self):
        return "Every published fact-check and correction."

    def items(self):
        return (
            Publication.objects.select_related("article")
            .defer("snapshot")
            .order_by("-published_at")[:50]
        )

    def item_title(self, item: Publication) -> str:
        suffix = f" (correction, version {item.version})" if item.version > 1 else ""
        prefix = "Retracted: " if item.retracted_at else ""
        return f"{prefix}{item.article.title}{suffix}"

    # Atom sends descriptions as `<summary type="html">`: readers render them as HTML,
    # so the text in them (rating labels, correction notes, reasons) is escaped first.
    def item_description(self, item: Publication) -> str:
        summary = load_summary(item.summary)
        counts = ", ".join(f"{count.label}: {count.n}" for count in summary.counts)
        return escape(f"{len(summary.ordinals)} claims checked. {counts}")

    def item_link(self, item: Publication) -> str:
        return reverse("public:version", args=[item.article.slug, item.version])

    def item_extra_kwargs(self, item: Publication) -> dict:
        return {"language": item.article.language}

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.retracted_at or item.published_at


class CorrectionsFeed(PublicationsFeed):
    link = "/checks/"

    def title(self):
        return f"{settings.FACTCHECK_ORGANISATION}: corrections and retractions"

    def subtitle(self):
        return "Every correction and retraction of a published fact-check."

    def items(self):
        changed = Q(version__gt=1) | Q(retracted_at__isnull=False)
        return (
            Publication.objects.filter(changed)
            .select_related("article")
            .annotate(reader_requests=Count("correction_requests"))
            .defer("snapshot")
            .order_by("-published_at")[:50]
        )

    def item_title(self, item: Publication) -> str:
        if item.retracted_at:
            return f"Retracted: {item.article.title}"
        return f"Corrected: {item.article.title} (version {item.version})"

    def item_description(self, item: Publication) -> str:
        if item.retracted_at:
            return escape(f"Retracted: {item.retraction_reason}")
        from_readers = getattr(item, "reader_requests", 0)  # annotated by items()
        after = " (made after a reader's correction request)" if from_readers else ""
        return escape(f"{item.get_correction_kind_display()}: {item.correction_text}{after}")


class PublicSitemap(Sitemap):
    """What search engines may index: the page of every published article that stands
    (its latest version, not retracted) and of each of its claims. Superseded versions
    and retracted articles are noindex, so they are not listed."""

    def items(self):
        standing = Publication.objects.latest_per_article().filter(retracted_at__isnull=True)
        pages = []
        for publication in (
            standing.select_related("article").defer("snapshot").order_by("article__slug")
        ):
            slug = publication.article.slug
            pages.append((reverse("public:article", args=[slug]), publication))
            pages += [
                (reverse("public:claim", args=[slug, ordinal]), publication)
                for ordinal in load_summary(publication.summary).ordinals
            ]
        return pages

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1].published_at
