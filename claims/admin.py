"""The Django admin. Every edit of review data goes through the same services as the
workspace (`review.py`, `ratings.py`), with the admin user as the actor, so the audit
trail sees admin edits too; the audit trail itself is read-only for everybody."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import accounts, importing, jobs, limits, publishing, ratings, review, transparency
from .checkworthiness import describe
from .forms import HttpURLField
from .models import (
    Article,
    ArticleCapture,
    AuditEvent,
    Claim,
    CorrectionRequest,
    Funding,
    Job,
    Note,
    Organisation,
    Publication,
    Rating,
    ReaderMessage,
    Source,
    SourceSnapshot,
    TeamProfile,
    Tip,
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


class ReasonActionForm(ActionForm):
    reason = forms.CharField(
        required=False, label=_("Reason (for dismissing or an approval override)")
    )


class ServiceAdmin(admin.ModelAdmin):
    """Admin edits call a service; a refusal is shown as an error, never as a success."""

    # Text columns the database leaves unbounded, with the services' limits, so the admin
    # form says "at most N characters" next to the field.
    text_limits: dict[str, int] = {}
    formfield_overrides = {models.URLField: {"form_class": HttpURLField}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.text_limits:
            kwargs["max_length"] = self.text_limits[db_field.name]
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def run_service(self, request, call):
        """The service's result, or None after showing why it refused."""
        try:
            return call()
        except (ValidationError, PermissionDenied, review.Conflict) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            request._service_refused = True
            self.message_user(request, text, messages.ERROR)
            return None

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:  # the service refused: back to the list, with its message
            return HttpResponseRedirect(
                reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
            )
        return super().response_add(request, obj, post_url_continue)

    def log_addition(self, request, obj, message):
        if obj.pk is not None:
            super().log_addition(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(request, "_service_refused", False):
            return
        super().message_user(request, message, level, *args, **kwargs)


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ["ordinal", "text", "score", "status", "assignee"]


# What the admin shows of a page fetched for an import by URL: never its bytes.
CAPTURE_FIELDS: tuple[str, ...] = (
    "requested_url",
    "final_url",
    "status",
    "content_type",
    "charset",
    "size",
    "sha256",
    "fetched_at",
    "elapsed",
)


class ArticleCaptureInline(ReadOnlyMixin, admin.StackedInline):
    model = ArticleCapture
    fields = CAPTURE_FIELDS
    readonly_fields = CAPTURE_FIELDS
    extra = 0


@admin.register(ArticleCapture)
class ArticleCaptureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The page as fetched, kept as evidence of what an import by URL imported."""

    list_display = ["article", "final_url", "status", "size", "fetched_at"]
    list_select_related = ["article"]
    search_fields = ["requested_url", "final_url", "sha256", "article__title"]
    fields = ("article", *CAPTURE_FIELDS)
    readonly_fields = ("article", *CAPTURE_FIELDS)


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Captures and link checks of sources: evidence, never edited. The text is shown as
    text in a read-only field; the stored bytes are named, never rendered."""

    list_display = ["source", "kind", "outcome", "flag", "status", "size", "fetched_at"]
    list_filter = ["kind", "outcome", "flag", "fetched_at"]
    list_select_related = ["source"]
    search_fields = ["requested_url", "final_url", "sha256", "source__title"]
    date_hierarchy = "fetched_at"
    readonly_fields = [f.name for f in SourceSnapshot._meta.fields]


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    """Editors correct an article's details here as on the board (publishing.article_edit)
    and its language (importing.article_change_language, which re-splits or re-scores);
    both audit the change. Articles come from importing: no adding or deleting here."""

    list_display = ["title", "publisher", "language", "imported_at", "imported_by", "status_label"]
    list_filter = ["language", "publisher", "imported_at"]
    search_fields = ["title", "publisher", "author", "url", "slug", "sha256"]
    date_hierarchy = "imported_at"
    fields = [
        "title",
        "publisher",
        "author",
        "url",
        "published_on",
        "language",
        "slug",
        "status_label",
        "sha256",
        "source_filename",
        "imported_by",
        "imported_at",
        "reopened_at",
    ]
    readonly_fields = [
        "slug",
        "status_label",
        "sha256",
        "source_filename",
        "imported_by",
        "imported_at",
        "reopened_at",
    ]
    inlines = [ArticleCaptureInline, ClaimInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("claims.publish_article")

    @admin.display(description=_("status"))
    def status_label(self, obj: Article) -> str:
        return str(obj.status.label)

    def save_model(self, request, obj, form, change):
        article = Article.objects.defer("body").get(pk=obj.pk)
        details = {
            name: form.cleaned_data[name]
            for name in publishing.ARTICLE_DETAILS
            if name in form.changed_data
        }
        if details:
            self.run_service(
                request,
                lambda: publishing.article_edit(actor=request.user, article=article, **details),
            )
        if "language" in form.changed_data:
            self.run_service(
                request,
                lambda: importing.article_change_language(
                    actor=request.user, article=article, language=form.cleaned_data["language"]
                ),
            )


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
class ClaimAdmin(ServiceAdmin):
    list_display = ["__str__", "article", "ordinal", "score", "status", "assignee", "is_heading"]
    list_filter = ["status", "is_heading", "article"]
    search_fields = ["text", "wording", "article__title"]
    list_select_related = ["article", "assignee"]
    fields = [
        "article",
        "ordinal",
        "text",
        "wording",
        "assignee",
        "status",
        "dismissed_reason",
        "score",
        "reasons_explained",
        "claimant_shown",
        "version",
    ]
    readonly_fields = [
        "article",
        "ordinal",
        "text",
        "status",
        "dismissed_reason",
        "score",
        "reasons_explained",
        "claimant_shown",
        "version",
    ]
    inlines = [VerdictInline, SourceInline, NoteInline]
    text_limits = {"wording": limits.WORDING}
    action_form = ReasonActionForm
    actions = ["dismiss", "restore"]

    def has_add_permission(self, request):
        return False  # claims come from importing an article

    def has_delete_permission(self, request, obj=None):
        return False  # dismiss instead: the sentence stays, restorable

    @admin.display(description=_("claim made by"))
    def claimant_shown(self, obj: Claim) -> str:
        """Edited on the claim's page (review.claim_set_claimant), with its version lock."""
        if not obj.claimant:
            return "—"
        role = f", {obj.claimant_role}" if obj.claimant_role else ""
        where = obj.appearance_url or _("the article")
        return f"{obj.claimant}{role} ({obj.get_claimant_kind_display()}), in {where}"

    @admin.display(description=_("why this score"))
    def reasons_explained(self, obj: Claim) -> str:
        return "; ".join(describe(reason) for reason in obj.explained_reasons) or "—"

    def save_model(self, request, obj, form, change):
        version = obj.version
        if "wording" in form.changed_data and self.run_service(
            request,
            lambda: review.claim_reword(
                actor=request.user, claim=obj, wording=obj.wording, version=version
            ),
        ):
            version += 1
        if "assignee" in form.changed_data:
            self.run_service(
                request,
                lambda: review.claim_assign(
                    actor=request.user, claim=obj, assignee=obj.assignee, version=version
                ),
            )

    @admin.action(description=_("Dismiss selected claims (give a reason)"))
    def dismiss(self, request, queryset):
        reason = request.POST.get("reason", "")
        for claim in queryset:
            self.run_service(
                request,
                lambda claim=claim: review.claim_dismiss(
                    actor=request.user, claim=claim, reason=reason, version=claim.version
                ),
            )

    @admin.action(description=_("Restore selected claims"))
    def restore(self, request, queryset):
        for claim in queryset:
            self.run_service(
                request,
                lambda claim=claim: review.claim_restore(
                    actor=request.user, claim=claim, version=claim.version
                ),
            )


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["label", "swatch", "rating_value", "position", "is_retired", "definition"]
    list_editable = ["position"]
    list_filter = ["is_retired"]
    search_fields = ["label", "definition"]
    prepopulated_fields = {"slug": ["label"]}

    @admin.display(description=_("colour"))
    def swatch(self, obj: Rating) -> str:
        # An SVG fill attribute, not a style attribute: the CSP refuses inline styles.
        return format_html(
            '<svg width="12" height="12" aria-hidden="true" focusable="false">'
            '<rect width="12" height="12" rx="2" fill="{}"/></svg> {}',
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
class VerdictAdmin(ServiceAdmin):
    list_display = ["claim", "rating", "summary", "proposed_by", "approved_by", "approved_at"]
    list_filter = ["rating", "approved_at"]
    search_fields = ["summary", "rationale", "claim__text"]
    list_select_related = ["claim", "rating", "proposed_by", "approved_by"]
    fields = [
        "claim",
        "rating",
        "summary",
        "rationale",
        "proposed_by",
        "proposed_at",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = ["claim", "proposed_by", "proposed_at", "approved_by", "approved_at"]
    text_limits = {"rationale": limits.RATIONALE}
    action_form = ReasonActionForm
    actions = ["approve_with_reason"]

    def has_add_permission(self, request):
        return False  # verdicts are proposed on a claim

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        claim = obj.claim
        self.run_service(
            request,
            lambda: review.claim_propose_verdict(
                actor=request.user,
                claim=claim,
                rating=obj.rating,
                summary=obj.summary,
                rationale=obj.rationale,
                version=claim.version,
            ),
        )

    @admin.action(description=_("Approve selected verdicts (an override: give a reason)"))
    def approve_with_reason(self, request, queryset):
        reason = request.POST.get("reason", "")
        for verdict in queryset.select_related("claim"):
            self.run_service(
                request,
                lambda verdict=verdict: review.claim_approve_verdict(
                    actor=request.user,
                    claim=verdict.claim,
                    version=verdict.claim.version,
                    override_reason=reason,
                ),
            )


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    list_display = ["title", "publisher", "stance", "claim", "added_by", "added_at"]
    list_filter = ["stance", "added_at"]
    search_fields = ["title", "url", "publisher", "excerpt"]
    list_select_related = ["claim", "added_by"]
    raw_id_fields = ["claim"]
    exclude = ["added_by", "added_at"]
    text_limits = {"excerpt": limits.EXCERPT}

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in review.SOURCE_FIELDS}
        source = self.run_service(
            request,
            lambda: review.claim_add_source(actor=request.user, claim=obj.claim, **fields),
        )
        obj.pk = source.pk if source else None

    def delete_model(self, request, obj):
        self.run_service(
            request, lambda: review.claim_remove_source(actor=request.user, source=obj)
        )

    def delete_queryset(self, request, queryset):
        for source in queryset:
            self.delete_model(request, source)


@admin.register(Note)
class NoteAdmin(ServiceAdmin):
    list_display = ["__str__", "claim", "author", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["body"]
    list_select_related = ["claim", "author"]
    raw_id_fields = ["claim"]
    fields = ["claim", "body"]
    text_limits = {"body": limits.NOTE}

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # the discussion is part of the record

    def save_model(self, request, obj, form, change):
        note = self.run_service(
            request,
            lambda: review.claim_add_note(actor=request.user, claim=obj.claim, body=obj.body),
        )
        obj.pk = note.pk if note else None


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


@admin.register(Job)
class JobAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Jobs are written by the worker; the admin reads them and runs failed ones again
    (the workspace's operations page does the same)."""

    list_display = ["label", "status", "requested_by", "created_at", "attempts", "error"]
    list_filter = ["status", "kind"]
    search_fields = ["label", "error"]
    exclude = ["data"]
    actions = ["run_again"]

    @admin.action(description=_("Run the selected failed jobs again"))
    def run_again(self, request, queryset):
        for job in queryset.defer("data"):
            try:
                jobs.job_retry(actor=request.user, job=job)
            except (jobs.JobRefused, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"{job.label}: queued again.", messages.SUCCESS)


class TransparencyAdmin(ServiceAdmin):
    """What the desk publishes about itself: saved and deleted through its services."""

    def save_model(self, request, obj, form, change):
        self.run_service(request, lambda: self.service(actor=request.user, obj=obj))

    def service(self, *, actor, obj):
        raise NotImplementedError


@admin.register(Organisation)
class OrganisationAdmin(TransparencyAdmin):
    list_display = ["name", "legal_form", "contact_email", "updated_at"]
    readonly_fields = ["updated_at"]
    text_limits = {
        "ownership": limits.TRANSPARENCY,
        "editorial_control": limits.TRANSPARENCY,
        "independence": limits.TRANSPARENCY,
        "address": 1_000,
        "corrections_policy": limits.TRANSPARENCY,
    }

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def service(self, *, actor, obj):
        return transparency.organisation_save(actor=actor, organisation=obj)


@admin.register(Funding)
class FundingAdmin(TransparencyAdmin):
    list_display = ["year", "funder", "amount", "purpose"]
    list_filter = ["year"]
    search_fields = ["funder", "purpose"]

    def service(self, *, actor, obj):
        return transparency.funding_save(actor=actor, funding=obj)

    def delete_model(self, request, obj):
        self.run_service(
            request, lambda: transparency.funding_delete(actor=request.user, funding=obj)
        )

    def delete_queryset(self, request, queryset):
        for funding in queryset:
            self.delete_model(request, funding)


@admin.register(TeamProfile)
class TeamProfileAdmin(TransparencyAdmin):
    list_display = ["public_name", "user", "role", "is_public", "position"]
    list_editable = ["position"]
    list_filter = ["is_public"]
    search_fields = ["public_name", "role", "user__username"]
    list_select_related = ["user"]
    text_limits = {"biography": limits.TRANSPARENCY}
    fields = tuple(transparency.PROFILE_FIELDS)
    prepopulated_fields = {"slug": ["public_name"]}

    def has_delete_permission(self, request, obj=None):
        return False  # hide a profile instead (the member's choice), its history stays

    def service(self, *, actor, obj):
        return transparency.profile_save(actor=actor, profile=obj)


class ReaderMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """What readers sent: answered in the workspace (/review/intake/), only read here.
    The sender key (a hash of their address, for the rate limit) is not shown."""

    list_filter = ["status"]
    exclude = ["sender"]
    date_hierarchy = "received_at"

    def get_fields(self, request, obj=None):
        # What the reader wrote first, then the fields every message shares.
        fields = super().get_fields(request, obj)
        shared = {field.name for field in ReaderMessage._meta.get_fields()}
        return [f for f in fields if f not in shared] + [f for f in fields if f in shared]


@admin.register(Tip)
class TipAdmin(ReaderMessageAdmin):
    list_display = ["received_at", "text", "status", "decided_by"]
    search_fields = ["text", "seen_at"]
    list_select_related = ["decided_by"]


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReaderMessageAdmin):
    list_display = ["received_at", "article", "claim", "status", "decided_by"]
    search_fields = ["problem", "article__title"]
    list_select_related = ["article", "claim", "decided_by"]


# --- users and groups: Django's own admin, with every change audited (claims/accounts.py) ----


class AuditedUserAdmin(UserAdmin):
    """Django's user admin; each add, change (fields, groups, permissions) and delete
    writes an audit event in the admin's transaction, once the groups are saved too."""

    def save_model(self, request, obj, form, change):
        stored = get_user_model().objects.filter(pk=obj.pk).first() if change else None
        obj._audit_before = accounts.user_state(stored) if stored else None
        obj._audit_password = stored.password if stored else ""
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        accounts.user_recorded(
            actor=request.user,
            user=user,
            before=getattr(user, "_audit_before", None),
            password_before=getattr(user, "_audit_password", ""),
        )

    def user_change_password(self, request, id, form_url=""):
        """Django's password form, audited: the event says the password changed, never
        what it is."""
        with transaction.atomic():
            stored = get_user_model().objects.filter(pk=id).first()
            before = accounts.user_state(stored) if stored else None
            response = super().user_change_password(request, id, form_url)
            if stored is not None and request.method == "POST" and response.status_code == 302:
                accounts.user_recorded(
                    actor=request.user, user=stored, before=before, password_before=stored.password
                )
        return response

    def delete_model(self, request, obj):
        with transaction.atomic():
            accounts.user_deleted(actor=request.user, user=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)


class AuditedGroupAdmin(GroupAdmin):
    """Django's group admin; each add, change (name, permissions) and delete is audited."""

    def save_model(self, request, obj, form, change):
        stored = Group.objects.filter(pk=obj.pk).first() if change else None
        obj._audit_before = accounts.group_state(stored) if stored else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.instance
        accounts.group_recorded(
            actor=request.user, group=group, before=getattr(group, "_audit_before", None)
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            accounts.group_deleted(actor=request.user, group=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            self.delete_model(request, group)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AuditedUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, AuditedGroupAdmin)
