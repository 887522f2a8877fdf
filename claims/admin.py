"""The Django admin. Review data is shown read-only here until its services can edit it;
the rating scale is edited through `ratings.py`, so every change is audited; the audit
trail itself is read-only for everybody."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import ratings
from .checkworthiness import describe
from .models import (
    Article,
    AuditEvent,
    Claim,
    Note,
    Publication,
    Rating,
    Source,
    Verdict,
)


class ReadOnlyMixin:
    """Viewable by whoever may view; nobody adds, changes or deletes through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ["ordinal", "text", "score", "status", "assignee"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "publisher", "language", "imported_at", "imported_by", "status_label"]
    list_filter = ["language", "publisher", "imported_at"]
    search_fields = ["title", "publisher", "author", "url", "slug", "sha256"]
    date_hierarchy = "imported_at"
    readonly_fields = ["status_label"]
    inlines = [ClaimInline]

    @admin.display(description=_("status"))
    def status_label(self, obj: Article) -> str:
        return obj.status.label


class SourceInline(ReadOnlyInline):
    model = Source
    fields = ["title", "url", "stance", "added_by", "added_at"]


class NoteInline(ReadOnlyInline):
    model = Note
    fields = ["author", "body", "created_at"]


class VerdictInline(ReadOnlyInline):
    model = Verdict
    fields = ["rating", "summary", "proposed_by", "approved_by", "approved_at"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "article", "ordinal", "score", "status", "assignee", "is_heading"]
    list_filter = ["status", "is_heading", "article"]
    search_fields = ["text", "wording", "article__title"]
    list_select_related = ["article", "assignee"]
    readonly_fields = ["reasons_explained"]
    inlines = [VerdictInline, SourceInline, NoteInline]

    @admin.display(description=_("why this score"))
    def reasons_explained(self, obj: Claim) -> str:
        return "; ".join(describe(reason) for reason in obj.reasons) or "—"


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["label", "swatch", "rating_value", "position", "is_retired", "definition"]
    list_editable = ["position"]
    list_filter = ["is_retired"]
    search_fields = ["label", "definition"]
    prepopulated_fields = {"slug": ["label"]}

    @admin.display(description=_("colour"))
    def swatch(self, obj: Rating) -> str:
        return format_html(
            '<span style="display:inline-block;width:1em;height:1em;background:{}"></span> {}',
            obj.colour,
            obj.colour,
        )

    def save_model(self, request, obj, form, change):
        ratings.rating_save(actor=request.user, rating=obj)

    def delete_model(self, request, obj):
        try:
            ratings.rating_delete(actor=request.user, rating=obj)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for rating in queryset:
            self.delete_model(request, rating)


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["claim", "rating", "summary", "proposed_by", "approved_by", "approved_at"]
    list_filter = ["rating", "approved_at"]
    search_fields = ["summary", "rationale", "claim__text"]
    list_select_related = ["claim", "rating", "proposed_by", "approved_by"]


@admin.register(Source)
class SourceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "publisher", "stance", "claim", "added_by", "added_at"]
    list_filter = ["stance", "added_at"]
    search_fields = ["title", "url", "publisher", "excerpt"]
    list_select_related = ["claim", "added_by"]


@admin.register(Note)
class NoteAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "claim", "author", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["body"]
    list_select_related = ["claim", "author"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["article", "version", "published_by", "published_at", "retracted_at"]
    list_filter = ["published_at", "correction_kind"]
    search_fields = ["article__title", "correction_text", "retraction_reason", "audit_head"]
    list_select_related = ["article", "published_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["seq", "created_at", "actor_label", "action", "article", "claim", "short_hash"]
    list_filter = ["action", "created_at"]
    search_fields = ["action", "actor_label", "hash", "prev_hash", "object_id"]
    list_select_related = ["article", "claim"]
    date_hierarchy = "created_at"

    @admin.display(description=_("hash"))
    def short_hash(self, obj: AuditEvent) -> str:
        return obj.hash[:12]
