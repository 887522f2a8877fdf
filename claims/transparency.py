"""The desk in public: its organisation, funding and team, as IFCN and EFCSN ask every
fact-checker to publish them, edited in the admin through these services (audited like
every other change), and the readiness checklist editors read before applying.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify

from . import audit, photos
from .access import require
from .models import AuditAction, Funding, Organisation, TeamProfile

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ORGANISATION_FIELDS = [
    "name",
    "legal_form",
    "ownership",
    "editorial_control",
    "independence",
    "address",
    "contact_email",
    "corrections_policy",
]
FUNDING_FIELDS = ["year", "funder", "amount", "purpose"]
PROFILE_FIELDS = [
    "user",
    "is_public",
    "public_name",
    "slug",
    "role",
    "biography",
    "languages",
    "photo",
    "position",
]


def _values(obj, fields: list[str]) -> dict:
    """audit.values, with a stored file as its name (the photo)."""
    files = [name for name in fields if isinstance(getattr(obj, name), FieldFile)]
    plain = [name for name in fields if name not in files]
    return audit.values(obj, plain) | {name: getattr(obj, name).name or "" for name in files}


def _save(actor: User, obj, fields: list[str], action: AuditAction, permission: str):
    """full_clean, save and audit `obj` (new or changed); no event if nothing changed."""
    creating = obj._state.adding
    require(actor, permission, "Only admins can change what the desk publishes about itself.")
    obj.full_clean()
    with transaction.atomic():
        before = None
        if not creating:
            before = _values(type(obj).objects.select_for_update().get(pk=obj.pk), fields)
        obj.save()
        after = _values(obj, fields)
        if before != after:
            audit.record(actor=actor, action=action, obj=obj, before=before, after=after)
    return obj


def organisation_save(*, actor: User, organisation: Organisation) -> Organisation:
    organisation.updated_at = timezone.now()
    permission = (
        "claims.add_organisation" if organisation._state.adding else "claims.change_organisation"
    )
    return _save(
        actor, organisation, ORGANISATION_FIELDS, AuditAction.ORGANISATION_CHANGED, permission
    )


def funding_save(*, actor: User, funding: Funding) -> Funding:
    permission = "claims.add_funding" if funding._state.adding else "claims.change_funding"
    return _save(actor, funding, FUNDING_FIELDS, AuditAction.FUNDING_SAVED, permission)


def funding_delete(*, actor: User, funding: Funding) -> None:
    require(actor, "claims.delete_funding", "Only admins can change the desk's funding.")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.FUNDING_DELETED,
            obj=funding,
            before=audit.values(funding, FUNDING_FIELDS),
        )
        funding.delete()


def _free_slug(profile: TeamProfile) -> str:
    base = slugify(profile.public_name)[:70] or "member"
    slug, n = base, 1
    while TeamProfile.objects.exclude(pk=profile.pk).filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def profile_save(*, actor: User, profile: TeamProfile) -> TeamProfile:
    """An admin writes a member's public profile (shown only once the member chooses). A
    new photo is checked (full_clean) and stored re-encoded, without its metadata; the
    photo it replaces is deleted from the storage once the change is saved."""
    permission = "claims.add_teamprofile" if profile._state.adding else "claims.change_teamprofile"
    profile.slug = profile.slug or _free_slug(profile)
    if photos.is_new(profile.photo):
        photos.validate_photo(profile.photo)
        profile.photo = photos.reencoded(profile.photo)
    replaced = "" if profile._state.adding else _stored_photo(profile.pk)
    _save(actor, profile, PROFILE_FIELDS, AuditAction.PROFILE_CHANGED, permission)
    if replaced and replaced != profile.photo.name:
        transaction.on_commit(partial(default_storage.delete, replaced))
    return profile


def _stored_photo(pk: int) -> str:
    return TeamProfile.objects.filter(pk=pk).values_list("photo", flat=True).first() or ""


def profile_choose(*, actor: User, public: bool) -> TeamProfile | None:
    """A desk member shows or hides their own profile on the team page; None if the
    admins have written no profile for them yet."""
    with transaction.atomic():
        profile = TeamProfile.objects.select_for_update().filter(user=actor).first()
        if profile is None or profile.is_public == public:
            return profile
        before = _values(profile, PROFILE_FIELDS)
        profile.is_public = public
        profile.save(update_fields=["is_public"])
        audit.record(
            actor=actor,
            action=AuditAction.PROFILE_CHANGED,
            obj=profile,
            before=before,
            after=_values(profile, PROFILE_FIELDS),
        )
    return profile


# --- the readiness checklist -------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """One thing IFCN's code of principles or EFCSN's standards ask a desk to publish."""

    what: str
    asked_by: str
    done: bool
    have: str  # what the desk has filled in, in a few words
    missing: str  # what is still to do, when not done
    where: str  # the admin page to fill it in


def readiness() -> list[Requirement]:
    """Each requirement with what the desk has and what is still missing, from its data."""
    from django.urls import reverse

    org = Organisation.current()
    funding_years = sorted(set(Funding.objects.values_list("year", flat=True)), reverse=True)
    public_team = TeamProfile.objects.public().count()
    org_admin = (
        reverse("admin:claims_organisation_change", args=[org.pk])
        if org
        else reverse("admin:claims_organisation_add")
    )

    def field(name: str, label: str, what: str, asked_by: str) -> Requirement:
        value = getattr(org, name, "") if org else ""
        return Requirement(
            what=what,
            asked_by=asked_by,
            done=bool(value),
            have=f"{label}: {len(value):,} characters" if value else "",
            missing=f"Fill in “{label}” on the organisation page." if not value else "",
            where=org_admin,
        )

    this_year = timezone.now().year
    recent = [y for y in funding_years if y >= this_year - 1]
    return [
        field("name", "Name", "The organisation's name", "IFCN 2.1, EFCSN"),
        field("legal_form", "Legal form", "Its legal form", "IFCN 2.1, EFCSN"),
        field("ownership", "Ownership", "Who owns it", "IFCN 2.1, EFCSN"),
        field(
            "editorial_control",
            "Editorial control",
            "Who exercises editorial control",
            "IFCN 2.2, EFCSN",
        ),
        field(
            "independence",
            "Statement of independence",
            "That funders have no say over conclusions",
            "IFCN 2.3",
        ),
        Requirement(
            what="Funding by year (EFCSN: total annual income)",
            asked_by="IFCN 2.3, EFCSN",
            done=bool(recent),
            have=f"Funding listed for {', '.join(map(str, funding_years))}"
            if funding_years
            else "",
            missing="" if recent else f"List the funding of {this_year - 1} or {this_year}.",
            where=reverse("admin:claims_funding_changelist"),
        ),
        Requirement(
            what="Key people and their professional background",
            asked_by="IFCN 2.2, EFCSN",
            done=public_team > 0,
            have=f"{public_team} public profile{'s' if public_team != 1 else ''}"
            if public_team
            else "",
            missing="" if public_team else "No desk member has a public profile yet.",
            where=reverse("admin:claims_teamprofile_changelist"),
        ),
        Requirement(
            what="Methodology: how claims are chosen, researched, rated, corrected",
            asked_by="IFCN 4, EFCSN",
            done=True,
            have="Generated from the rating scale and the evidence rules (/checks/methodology/)",
            missing="",
            where=reverse("public:methodology"),
        ),
        field("corrections_policy", "Corrections policy", "A corrections policy", "IFCN 5, EFCSN"),
        field(
            "contact_email",
            "Public contact email",
            "A way for readers to contact the desk",
            "IFCN 5.2",
        ),
        Requirement(
            what="A way for readers to submit claims and report errors",
            asked_by="IFCN 5.2, EFCSN",
            done=True,
            have="/checks/suggest/ and “Report an error” on every verdict",
            missing="",
            where=reverse("public:suggest"),
        ),
        field("address", "Postal address", "Where the desk can be reached", "EFCSN"),
    ]
