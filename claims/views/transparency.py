"""The desk in public: about us (organisation and funding), the team, the corrections
policy with its measured figures. Rendered from what editors keep in the admin."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import photos
from ..models import Funding, Organisation, TeamProfile
from ..reader import correction_figures
from .public import public_cache


def _organisation() -> dict:
    org = Organisation.current()
    # The masthead names the desk as every public page does (the setting); the page names
    # the organisation behind it.
    return {"org": org, "organisation": settings.FACTCHECK_ORGANISATION}


@require_safe
@public_cache
def about(request) -> HttpResponse:
    funding = [
        (year, list(rows)) for year, rows in groupby(Funding.objects.all(), lambda f: f.year)
    ]
    return render(request, "public/about.html", _organisation() | {"funding": funding})


@require_safe
@public_cache
def team(request) -> HttpResponse:
    people = TeamProfile.objects.public()
    return render(request, "public/team.html", _organisation() | {"people": people})


@require_safe
@public_cache
def corrections_policy(request) -> HttpResponse:
    context = _organisation() | {"figures": correction_figures()}
    return render(request, "public/corrections_policy.html", context)


@require_safe
@public_cache
def team_photo(request, name: str) -> FileResponse:
    """A public member's photo, from the storage (where its name is the hash of its
    bytes). Only a name a public profile holds is served: a hidden profile's photo is
    not, whoever knows its name, and nothing else in the storage ever is."""
    stored = f"{photos.UPLOAD_TO}/{name}"
    if not TeamProfile.objects.public().filter(photo=stored).exists():
        raise Http404("No public photo by that name.")
    content_type = photos.CONTENT_TYPES[name.rsplit(".", 1)[-1]]
    try:
        return FileResponse(default_storage.open(stored), content_type=content_type)
    except FileNotFoundError:  # gone from the storage (restored from an older backup?)
        raise Http404("The photo is not in the storage.") from None
