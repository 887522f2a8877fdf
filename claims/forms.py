"""Forms parse and validate input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .importing import FILE_KINDS
from .models import ClaimStatus, CorrectionKind, Rating, Source


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the article"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    file = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_(".txt, .md or .html"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(FILE_KINDS)}),
    )
    title = forms.CharField(max_length=300, required=False)
    publisher = forms.CharField(max_length=200, required=False)
    author = forms.CharField(max_length=200, required=False)
    url = forms.URLField(
        label=_("Original URL"), max_length=2000, required=False, assume_scheme="https"
    )
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.CharField(max_length=16, initial="en")

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste the article's text or choose a file."))
        upload = data.get("file")
        if upload and upload.size > settings.FACTCHECK_IMPORT_MAX_BYTES:
            limit = settings.FACTCHECK_IMPORT_MAX_BYTES // 1024
            self.add_error("file", _(f"The file is over the import limit of {limit} KB."))
        return data


class ConfirmForm(forms.Form):
    """A POST with nothing to validate but the CSRF token (e.g. removing a source)."""


class VersionedForm(forms.Form):
    """Every form that changes the claim carries the version the reviewer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WordingForm(VersionedForm):
    wording = forms.CharField(
        label=_("Claim as reviewed"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(VersionedForm):
    assignee = forms.ModelChoiceField(queryset=None, required=False, empty_label=_("Nobody"))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on", "accessed_on", "excerpt", "stance"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "accessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "stance": forms.RadioSelect,
        }


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerdictForm(VersionedForm):
    rating = forms.ModelChoiceField(queryset=Rating.objects.active(), empty_label=None)
    summary = forms.CharField(label=_("One-line summary"), max_length=280)
    rationale = forms.CharField(max_length=20_000, widget=forms.Textarea(attrs={"rows": 6}))


class ApproveForm(VersionedForm):
    override_reason = forms.CharField(
        label=_("Reason for approving outside the desk"), required=False, max_length=2000
    )


class SendBackForm(VersionedForm):
    comment = forms.CharField(
        label=_("What needs another look"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DismissForm(VersionedForm):
    reason = forms.CharField(label=_("Reason for dismissing"), max_length=500)


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
        self.fields["verdict"].choices = [("", _("Any verdict")), ("none", _("No verdict"))] + [
            (r.slug, r.label) for r in ratings
        ]


class PublishForm(forms.Form):
    correction_kind = forms.ChoiceField(
        label=_("Kind of correction"), choices=[("", "—"), *CorrectionKind.choices], required=False
    )
    correction_text = forms.CharField(
        label=_("Correction note (published)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What needs correcting (internal)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RetractForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for retracting (published)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
