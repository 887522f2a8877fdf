"""Forms parse and validate input; the services decide and write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from . import languages, limits
from .importing import FILE_KINDS, ImportRejected, check_size
from .models import HTTP_URL, ClaimStatus, CorrectionKind, Rating, Source, Stance

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


class ConfirmForm(forms.Form):
    """A POST with nothing to validate but the CSRF token (e.g. removing a source)."""


class VersionedForm(forms.Form):
    """Every form that changes the claim carries the version the reviewer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WordingForm(VersionedForm):
    wording = forms.CharField(
        label=_("Claim as reviewed"),
        max_length=limits.WORDING,
        # The wording is in the article's language, whichever way it runs.
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class AssignForm(VersionedForm):
    assignee = forms.ModelChoiceField[User](queryset=None, required=False, empty_label=_("Nobody"))

    def __init__(self, *args: Any, members: QuerySet[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = members


class SourceForm(forms.ModelForm):
    url = HttpURLField(label=_("URL"), max_length=2000, help_text=_("http:// or https:// only."))
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
            "stance": forms.RadioSelect,
        }


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerdictForm(VersionedForm):
    rating = forms.ModelChoiceField(queryset=Rating.objects.active(), empty_label=None)
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
            assert isinstance(rating, forms.ChoiceField)
            rating.choices = [(rating.pk, str(rating)) for rating in ratings]


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


class PublishForm(forms.Form):
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
