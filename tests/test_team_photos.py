"""Team photos: uploaded in the admin (audited, through the service), checked, stored
without their metadata, served from the storage and shown on /checks/team/."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from claims import transparency
from claims.models import AuditEvent, TeamProfile
from tests.migrating import migrating
from tests.readers import SECRET, photo_bytes

pytestmark = pytest.mark.django_db


def stored_photos() -> set[str]:
    return set(default_storage.listdir("team")[1]) if default_storage.exists("team") else set()


def upload(data: bytes, name: str = "me.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def profile(superuser, reviewer):
    return transparency.profile_save(
        actor=superuser,
        profile=TeamProfile(user=reviewer, public_name="Rafael Ortega", is_public=True),
    )


def change(admin_client, profile, **fields):
    data = {
        "user": profile.user_id,
        "is_public": "on",
        "public_name": profile.public_name,
        "slug": profile.slug,
        "role": "",
        "biography": "",
        "languages": "",
        "position": 0,
    } | fields
    return admin_client.post(reverse("admin:claims_teamprofile_change", args=[profile.pk]), data)


@pytest.mark.parametrize(
    ("kind", "name", "content_type"),
    [
        ("JPEG", "me.jpg", "image/jpeg"),
        ("PNG", "me.png", "image/png"),
        ("WEBP", "me.webp", "image/webp"),
    ],
)
def test_a_photo_uploaded_in_the_admin_is_stored_without_metadata_and_shown(
    admin_client, client, profile, superuser, kind, name, content_type
):
    response = change(admin_client, profile, photo=upload(photo_bytes(kind), name, content_type))
    assert response.status_code == 302, response.content
    profile.refresh_from_db()
    assert profile.photo.name.startswith("team/")
    stored = default_storage.open(profile.photo.name).read()
    assert SECRET.encode() not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == kind
        assert image.size == (400, 300)
        assert not image.getexif()
        assert "exif" not in image.info
    assert (profile.photo_width, profile.photo_height) == (400, 300)
    # Audited, by name, as every other profile edit.
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor) == ("profile.changed", superuser)
    assert (event.before["photo"], event.after["photo"]) == ("", profile.photo.name)

    page = client.get("/checks/team/").text
    assert (
        f'<img class="team-photo" src="{profile.photo_url}" alt="Portrait of Rafael Ortega" '
        'width="400" height="300"' in page
    )
    served = client.get(profile.photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert b"".join(served.streaming_content) == stored


def test_a_large_photo_is_scaled_down_and_turned_upright(admin_client, profile):
    tags = Image.Exif()
    tags[0x0112] = 6  # orientation: the camera was turned; shown rotated 90°
    out = io.BytesIO()
    Image.new("RGB", (2000, 1000), "teal").save(out, format="JPEG", exif=tags.tobytes())
    assert change(admin_client, profile, photo=upload(out.getvalue())).status_code == 302
    profile.refresh_from_db()
    assert (profile.photo_width, profile.photo_height) == (400, 800)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not an image", "me.jpg", "Upload a valid image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "me.png", "Upload a valid image"),
        (photo_bytes("GIF", exif=False, mode="P"), "me.gif", "A GIF image can&#x27;t be used"),
        (photo_bytes(size=(40, 40)), "tiny.jpg", "40 × 40 pixels"),
        (photo_bytes(size=(7000, 100), exif=False), "wide.jpg", "7000 × 100 pixels"),
    ],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_stored(
    admin_client, profile, data, name, message
):
    events, files = AuditEvent.objects.count(), stored_photos()
    response = change(admin_client, profile, photo=upload(data, name))
    assert response.status_code == 200
    assert message in response.text
    profile.refresh_from_db()
    assert not profile.photo
    assert AuditEvent.objects.count() == events
    assert stored_photos() == files


def test_an_oversized_file_is_refused_before_it_is_read(admin_client, profile, settings):
    big, files = photo_bytes() + b"\0" * (5 * 1024 * 1024), stored_photos()
    response = change(admin_client, profile, photo=upload(big))
    assert response.status_code == 200
    assert "upload one of at most 5 MB" in response.text
    profile.refresh_from_db()
    assert not profile.photo
    assert stored_photos() == files


def test_a_replaced_or_cleared_photo_is_deleted_from_the_storage(
    admin_client, profile, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change(admin_client, profile, photo=upload(photo_bytes()))
    profile.refresh_from_db()
    first = profile.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        change(admin_client, profile, photo=upload(photo_bytes(size=(300, 300))))
    profile.refresh_from_db()
    assert profile.photo.name != first
    assert not default_storage.exists(first)
    second = profile.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        change(admin_client, profile, **{"photo-clear": "on"})
    profile.refresh_from_db()
    assert not profile.photo
    assert not default_storage.exists(second)


def test_a_hidden_members_photo_is_not_served(admin_client, client, profile, superuser):
    change(admin_client, profile, photo=upload(photo_bytes()))
    profile.refresh_from_db()
    url = profile.photo_url
    assert client.get(url).status_code == 200
    transparency.profile_choose(actor=profile.user, public=False)
    assert client.get(url).status_code == 404
    assert "team-photo" not in client.get("/checks/team/").text


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_profiles_distinct_slugs_from_their_names(reference_data):
    with migrating("0020_constraint_messages", "0021_team_photo_and_anchor") as (old, run):
        User, Profile = old.get_model("auth", "User"), old.get_model("claims", "TeamProfile")
        for n, name in enumerate(["Ana Lima", "Ana Lima", "Ümit Öz", "***"]):
            Profile.objects.create(user=User.objects.create(username=f"u{n}"), public_name=name)
        run()
        slugs = list(TeamProfile.objects.order_by("pk").values_list("slug", flat=True))
    assert slugs[:3] == ["ana-lima", "ana-lima-2", "umit-oz"]
    assert slugs[3].startswith("member-")


def test_a_photo_missing_from_the_storage_is_a_404_not_a_500(admin_client, client, profile):
    change(admin_client, profile, photo=upload(photo_bytes()))
    profile.refresh_from_db()
    default_storage.delete(profile.photo.name)
    assert client.get(profile.photo_url).status_code == 404


def test_the_service_refuses_a_bad_photo_from_any_caller_and_stores_nothing(superuser, reviewer):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    files = stored_photos()
    for data in [b"not an image", photo_bytes() + b"\0" * (5 * 1024 * 1024)]:
        profile = TeamProfile(user=reviewer, public_name="Rafael", photo=ContentFile(data, "p.jpg"))
        with pytest.raises(ValidationError):
            transparency.profile_save(actor=superuser, profile=profile)
    assert not TeamProfile.objects.exists()
    assert not AuditEvent.objects.exists()
    assert stored_photos() == files
