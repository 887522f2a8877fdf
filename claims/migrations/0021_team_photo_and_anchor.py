"""Team profiles get an optional photo (its size kept beside it, for the page's width and
height) and a slug, the anchor verdict cards link to; existing profiles get theirs from
their public names. The sender's help text moved to the readers' messages' shared base
(no change in the database)."""

from django.db import migrations, models
from django.utils.text import slugify

import claims.photos


def fill_slugs(apps, schema_editor):
    TeamProfile = apps.get_model("claims", "TeamProfile")
    taken: set[str] = set()
    for profile in TeamProfile.objects.order_by("pk"):
        base = slugify(profile.public_name)[:70] or f"member-{profile.pk}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        profile.slug = slug
        profile.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0020_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="teamprofile",
            name="photo",
            field=models.ImageField(
                blank=True,
                height_field="photo_height",
                help_text="Optional. JPEG, PNG or WebP, at most 5 MB. Stored without its "
                "metadata (no EXIF: no place or camera), at most 800 pixels a side.",
                max_length=200,
                upload_to="team",
                validators=[claims.photos.validate_photo],
                verbose_name="photo",
                width_field="photo_width",
            ),
        ),
        migrations.AddField(
            model_name="teamprofile",
            name="photo_height",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="teamprofile",
            name="photo_width",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="teamprofile",
            name="slug",
            field=models.SlugField(blank=True, db_index=False, default="", max_length=80),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="teamprofile",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Verdict cards link to /checks/team/#person-<this>. Left empty, it "
                "is made from the public name; keep it once published, or older links lose "
                "their target.",
                max_length=80,
                unique=True,
                verbose_name="anchor on the team page",
            ),
        ),
        migrations.AlterField(
            model_name="correctionrequest",
            name="sender",
            field=models.CharField(
                help_text="A keyed hash of the sender's address, for rate limits; not the "
                "address.",
                max_length=64,
                verbose_name="sender key",
            ),
        ),
    ]
