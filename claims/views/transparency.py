"""The desk in public: about us (organisation and funding), the team, the corrections
policy with its measured figures. Rendered from what editors keep in the admin."""

from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

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
