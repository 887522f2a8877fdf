"""Forms parse and validate input; the services decide and write."""

from __future__ import annotations

import re
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from . import languages, limits
from .importing import FILE_KINDS, ImportRejected, check_size
from .models import (
    HTTP_URL,
    ClaimantKind,
    ClaimStatus,
    CorrectionKind,
    NotificationKind,
    Rating,
    Source,
    Stance,
)
from .people import display_name
from .review import EVIDENCE, BulkAction

# "javascript:…", "data:…", "ftp://…": a scheme, but not a host followed by a port.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(?!\d)", re.IGNORECASE)


class HttpURLField(forms.URLField):
    """An http(s) URL. Any other scheme (javascript:, data:, file:, …) is refused with a
    message that names it, before Django's generic "Enter a valid URL."."""

    default_validators = [HTTP_URL]
    default_error_messages = {"invalid": _("Enter an http:// or https:// URL.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        # Browsers ignore tabs and newlines inside a URL ("java\tscript:"); so do we here.
        compact = re.sub(r"[\x00-\x20]", "", value or "")
        scheme = _SCHEME.match(compact)
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            raise ValidationError(
                _("“%(scheme)s:” links are not allowed; use an http:// or https:// address."),
                code="scheme",
                params={"scheme": scheme.group(1).lower()},
            )
        return super().to_python(value)


class LoginForm(AuthenticationForm):
    """Django's login form sets the username's max_length after building the field, so
    nothing checks it: a 10,000-character name went on to authenticate() and into
    django-axes' log of failures (a varchar(255)), a 500 on PostgreSQL. Checked here."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.validators.append(MaxLengthValidator(username.max_length))


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the article"),
        # dir="auto": Arabic or Hebrew text runs right to left as it is pasted.
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        required=False,
    )
    file = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_(".txt, .md or .html"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(FILE_KINDS)}),
    )
    # Import by URL: fetched and imported by the background worker (claims/url_import.py).
    page_url = HttpURLField(
        label=_("…or import it from its web address"),
        max_length=2000,
        required=False,
        help_text=_("The page is fetched and imported in the background."),
    )
    title = forms.CharField(max_length=300, required=False)
    publisher = forms.CharField(max_length=200, required=False)
    author = forms.CharField(max_length=200, required=False)
    url = HttpURLField(label=_("Original URL"), max_length=2000, required=False)
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.CharField(
        max_length=16,
        required=False,
        help_text=_("A code like en, pt-BR or ar; leave it empty to take the page's or detect it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Already said why: the text, file or address can't be read.
        unreadable = {"text", "file", "page_url"} & set(self.errors)
        given = [
            bool(data.get("text", "").strip()),
            bool(data.get("file")),
            bool(data.get("page_url")),
        ]
        if not unreadable and not any(given):
            raise forms.ValidationError(
                _("Paste the article's text, choose a file or give its web address.")
            )
        if sum(given) > 1:
            raise forms.ValidationError(
                _("Give one of these only: pasted text, a file or a web address.")
            )
        upload = data.get("file")
        if upload:
            try:
                check_size(upload.size, name=upload.name)
            except ImportRejected as error:
                self.add_error("file", str(error))
        return data


class MemberField(forms.ModelChoiceField):
    """A member of the desk, named as every page names people (claims/people.py)."""

    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class ConfirmForm(forms.Form):
    """A POST with nothing to validate but the CSRF token (e.g. removing a source)."""


class VersionedForm(forms.Form):
    """Every form that changes the claim carries the version the reviewer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TakeForm(VersionedForm):
    """Taking a claim; from a colleague, the id of the colleague the reviewer confirmed
    taking it from (review.claim_take refuses a colleague's claim without it)."""

    from_colleague = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WordingForm(VersionedForm):
    wording = forms.CharField(
        label=_("Claim as reviewed"),
        max_length=limits.WORDING,
        # The wording is in the article's language, whichever way it runs.
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class ClaimantForm(VersionedForm):
    """Who made the claim, and where and when it appeared (claim_set_claimant)."""

    byline = forms.BooleanField(
        label=_("The article's author made this claim"),
        required=False,
        help_text=_("Only when the reporter's own words are the claim, not a quotation."),
    )
    claimant = forms.CharField(label=_("Made by"), max_length=200, required=False)
    claimant_kind = forms.ChoiceField(
        label=_("Who is that"),
        choices=[("", _("Choose…")), *ClaimantKind.choices],
        required=False,
    )
    claimant_role = forms.CharField(label=_("Role or description"), max_length=200, required=False)
    appearance_url = HttpURLField(
        label=_("Appeared at"),
        max_length=2000,
        required=False,
        help_text=_("Leave empty for the article's address."),
    )
    appeared_on = forms.DateField(
        label=_("Appeared on"),
        required=False,
        help_text=_("Leave empty for the article's date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ArticleForm(forms.Form):
    """An article's details, as editors correct them (publishing.article_edit)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    author = forms.CharField(label=_("Author (byline)"), max_length=200, required=False)
    url = HttpURLField(label=_("Original URL"), max_length=2000, required=False)
    published_on = forms.DateField(
        label=_("Original publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # The details as the editor saw them: another editor's change meanwhile wins.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)


class AssignForm(VersionedForm):
    assignee = MemberField(queryset=None, required=False, empty_label=_("Nobody"))

    def __init__(self, *args: Any, members: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = members


class SourceForm(forms.ModelForm):
    url = HttpURLField(label=_("URL"), max_length=2000, help_text=_("http:// or https:// only."))
    # No empty choice; "context" to start with, so supporting or refuting (what a
    # decisive verdict needs) is always a reviewer's deliberate choice.
    stance = forms.ChoiceField(
        label=_("Stance"), choices=Stance.choices, initial=Stance.CONTEXT, widget=forms.RadioSelect
    )
    excerpt = forms.CharField(
        label=_("Excerpt"),
        required=False,
        max_length=limits.EXCERPT,
        help_text=_("Quoted from the source."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on", "accessed_on", "excerpt", "stance"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerdictForm(VersionedForm):
    rating = forms.ModelChoiceField(
        queryset=Rating.objects.active(),
        empty_label=_("Choose a rating"),
        error_messages={"required": _("Choose a rating.")},
    )
    summary = forms.CharField(label=_("One-line summary"), max_length=280)
    rationale = forms.CharField(
        max_length=limits.RATIONALE, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, ratings: list[Rating] | None = None, **kwargs) -> None:
        """`ratings`: the active ratings, when the page has read them already, so the
        choices are shown without reading them again (a choice is still checked against
        the database when the form is sent)."""
        super().__init__(*args, **kwargs)
        if ratings is not None:
            rating = self.fields["rating"]
            assert isinstance(rating, forms.ModelChoiceField)
            choices = [(r.pk, str(r)) for r in ratings]
            rating.choices = [("", rating.empty_label), *choices]
        self.evidence_errors: list[str] = []

    def add_error(self, field, error) -> None:
        """A refusal for want of sources (code review.EVIDENCE) is kept apart
        from the rating's own errors: it is shown in #evidence-check, which the sources
        panel's answer empties once the sources change (and a fresh page never has)."""
        if field == "rating" and isinstance(error, ValidationError):
            kept = [e for e in error.error_list if e.code != EVIDENCE]
            self.evidence_errors += [
                m for e in error.error_list if e.code == EVIDENCE for m in e.messages
            ]
            if not kept:
                return
            error = ValidationError(kept)
        super().add_error(field, error)


class ApproveForm(VersionedForm):
    override_reason = forms.CharField(
        label=_("Reason for approving outside the desk"),
        required=False,
        max_length=limits.COMMENT,
    )


class SendBackForm(VersionedForm):
    comment = forms.CharField(
        label=_("What needs another look"),
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DismissForm(VersionedForm):
    reason = forms.CharField(label=_("Reason for dismissing"), max_length=limits.DISMISS_REASON)


class BoardFilterForm(forms.Form):
    """The board's filters; they live in the URL, so a filtered board can be shared."""

    status = forms.ChoiceField(
        choices=[("", _("Any status"))] + [c for c in ClaimStatus.choices if c[0] != "dismissed"],
        required=False,
    )
    assignee = forms.ChoiceField(
        choices=[("", _("Anyone")), ("mine", _("Mine")), ("nobody", _("Nobody"))], required=False
    )
    verdict = forms.ChoiceField(required=False)
    min_score = forms.DecimalField(
        label=_("Score at least"), min_value=0, max_value=1, decimal_places=2, required=False
    )
    dismissed = forms.BooleanField(label=_("Show dismissed"), required=False)

    def __init__(self, *args, ratings=(), **kwargs):
        super().__init__(*args, **kwargs)
        verdict = self.fields["verdict"]
        assert isinstance(verdict, forms.ChoiceField)
        verdict.choices = [("", _("Any verdict")), ("none", _("No verdict"))] + [
            (r.slug, r.label) for r in ratings
        ]


# A ticked claim on the board: "<id>:<version the editor saw>".
_PICK = re.compile(r"^(\d{1,18}):(\d{1,18})$")


class BulkForm(forms.Form):
    """The board's bulk actions: what to do with the ticked claims (`claim`, each
    "<id>:<version>"), to whom, or why."""

    action = forms.ChoiceField(label=_("With the ticked claims"), choices=BulkAction.choices)
    assignee = MemberField(
        queryset=None, required=False, empty_label=_("Nobody"), label=_("Assign to")
    )
    reason = forms.CharField(
        label=_("Reason for dismissing"), required=False, max_length=limits.DISMISS_REASON
    )

    def __init__(self, *args: Any, members: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = members

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        picks = {}
        for value in self.data.getlist("claim") if hasattr(self.data, "getlist") else []:
            if not (match := _PICK.match(value)):
                raise forms.ValidationError(
                    _("The ticked claims were not understood; reload the board.")
                )
            picks[int(match[1])] = int(match[2])
        if not picks:
            raise forms.ValidationError(_("Tick the claims to change first."))
        if data.get("action") == BulkAction.DISMISS and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the claims are dismissed."))
        data["picks"] = picks
        return data


class PublishForm(forms.Form):
    accept_missing = forms.BooleanField(
        label=_("Publish without the missing details"),
        required=False,
        help_text=_("Search engines show less of a fact-check without them."),
    )
    correction_kind = forms.ChoiceField(
        label=_("Kind of correction"), choices=[("", "—"), *CorrectionKind.choices], required=False
    )
    correction_text = forms.CharField(
        label=_("Correction note (published)"),
        required=False,
        max_length=limits.CORRECTION,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What needs correcting (internal)"),
        max_length=limits.REOPEN_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RetractForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for retracting (published)"),
        max_length=limits.RETRACTION,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LanguageForm(forms.Form):
    """The article's language, from the languages the desk knows (languages.offered). The
    service says whether the choice is a language (a hand-made post may send anything)."""

    language = forms.CharField(label=_("Language"), required=False, widget=forms.Select)
    # The language shown when the editor chose: another editor's change meanwhile wins.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = self.fields["seen"].initial = current
        self.fields["language"].widget.choices = languages.offered(current)


# --- what readers send (claims/reader.py) ---------------------------------------------------

READER_FORM_SALT = "claims.reader.form"
# A form shown more than a day ago has expired (a bot replaying a token it saved once).
READER_FORM_MAX_AGE = 24 * 60 * 60
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def reader_form_token(shown_at: float | None = None) -> str:
    """The signed moment a public form was shown, which the form sends back."""
    return signing.dumps(
        {"shown": time.time() if shown_at is None else shown_at}, salt=READER_FORM_SALT
    )


def _plain_text(value: str) -> None:
    if _NOT_TEXT.search(value):
        raise ValidationError(
            _("This contains control characters that are not text (binary data?)."),
            code="binary",
        )


class ReaderTextField(forms.CharField):
    """What a reader writes: in any script's direction, and text, not binary data."""

    default_validators = [_plain_text]

    def __init__(self, *, rows: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows, "dir": "auto"}))
        super().__init__(**kwargs)


class ReaderForm(forms.Form):
    """A public form: a honeypot field people never see, the moment it was shown, and an
    optional email with its consent line, after the form's own fields.

    The honeypot is named like a field bots love to fill; people never see it (CSS), and
    screen readers skip it (aria-hidden, no tab stop)."""

    # What the reader sends, as the consent line names it.
    about = "message"
    email_label = _("Your email (optional)")

    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    shown = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(required=False, max_length=254)
    consent = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = self.email_label
        self.fields["consent"].label = _(
            "If I leave my email, the desk may write to me about this %(about)s. "
            "It is never published or shared."
        ) % {"about": self.about}
        self.order_fields([name for name in self.fields if name not in ("email", "consent")])
        if not self.is_bound:
            self.initial["shown"] = reader_form_token()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise ValidationError(
                _(
                    "The form was filled in by a program, not a person (a field people can't "
                    "see was filled). Nothing was sent."
                ),
                code="honeypot",
            )
        try:
            shown = signing.loads(
                data.get("shown", ""), salt=READER_FORM_SALT, max_age=READER_FORM_MAX_AGE
            )["shown"]
            if time.time() - float(shown) > READER_FORM_MAX_AGE:
                raise signing.SignatureExpired
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise ValidationError(
                _("This form has expired or was changed. Reload the page and send it again."),
                code="expired",
            ) from None
        if time.time() - float(shown) < settings.FACTCHECK_READER_MIN_SECONDS:
            raise ValidationError(
                _("That was sent very quickly, as programs do. Check it and send it again."),
                code="too_fast",
            )
        if data.get("email") and not data.get("consent"):
            self.add_error("consent", _("Tick this to leave your email, or leave the email empty."))
        return data

    @property
    def message(self) -> dict[str, Any]:
        """What the reader sent, as the service takes it (not the form's own fields)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("website", "shown", "consent")
        }


class TipForm(ReaderForm):
    about = "suggestion"

    text = ReaderTextField(
        label=_("The claim you want us to check"),
        max_length=limits.TIP,
        help_text=_("In the words you saw or heard it."),
    )
    seen_at = HttpURLField(
        label=_("Where you saw it (web address, optional)"), max_length=2000, required=False
    )


class CorrectionRequestForm(ReaderForm):
    about = "request"
    email_label = _("Your email (optional, for our answer)")

    problem = ReaderTextField(label=_("What is wrong"), max_length=limits.CORRECTION_REQUEST)
    evidence = ReaderTextField(
        label=_("Your evidence (optional)"),
        max_length=limits.CORRECTION_REQUEST,
        required=False,
        rows=4,
    )
    evidence_url = HttpURLField(
        label=_("A link to the evidence (optional)"), max_length=2000, required=False
    )


class ReasonForm(forms.Form):
    """Why a tip is dismissed or a correction request declined."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=limits.CORRECTION_REQUEST,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Email me when"),
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    public_profile = forms.BooleanField(
        label=_("Show my profile on the public team page"), required=False
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kinds  # type: ignore[attr-defined]


SEARCH_QUERY_MAX = 200


class PublicSearchForm(forms.Form):
    """The public search box: words only."""

    q = forms.CharField(
        label=_("Search published checks"), max_length=SEARCH_QUERY_MAX, required=False
    )


class SearchForm(PublicSearchForm):
    """The desk's search box and its filters, all in the URL (a search can be shared)."""

    q = forms.CharField(label=_("Search"), max_length=SEARCH_QUERY_MAX, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ClaimStatus.choices], required=False
    )
    rating = forms.ChoiceField(label=_("Verdict"), required=False)
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"),
        queryset=User.objects.none(),
        to_field_name="username",
        empty_label=_("Anyone"),
        required=False,
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    article = forms.SlugField(label=_("Article (slug)"), required=False, max_length=100)

    def __init__(self, *args, ratings=(), members: QuerySet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        rating = self.fields["rating"]
        assert isinstance(rating, forms.ChoiceField)
        rating.choices = [("", _("Any verdict"))] + [(r.slug, r.label) for r in ratings]
        reviewer = self.fields["reviewer"]
        assert isinstance(reviewer, forms.ModelChoiceField)
        if members is not None:
            reviewer.queryset = members

    def clean(self):
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise ValidationError({"until": _("The end date is before the start date.")})
        return cleaned


class ReuseForm(forms.Form):
    stance = forms.ChoiceField(label=_("As a source that"), choices=Stance.choices)
