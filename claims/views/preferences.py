"""A desk member's own settings: which notifications they get, and whether their
profile shows on the public team page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import notifications, transparency
from ..forms import PreferencesForm
from ..models import TeamProfile
from .desk import DeskRequest, desk_required


@require_http_methods(["GET", "POST"])
@desk_required
def preferences(request: DeskRequest) -> HttpResponse:
    profile = TeamProfile.objects.filter(user=request.user).first()
    initial = {
        "kinds": sorted(notifications.enabled_kinds(request.user)),
        "public_profile": bool(profile and profile.is_public),
    }
    form = PreferencesForm(
        request.POST or None, initial=initial, kinds=notifications.kinds_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        notifications.preferences_set(actor=request.user, enabled=form.cleaned_data["kinds"])
        transparency.profile_choose(actor=request.user, public=form.cleaned_data["public_profile"])
        messages.success(request, "Saved.")
        return redirect("claims:notifications")
    context = {"form": form, "profile": profile}
    return render(request, "claims/preferences.html", context, status=422 if form.errors else 200)
