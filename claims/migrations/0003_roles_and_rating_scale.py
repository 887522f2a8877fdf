"""The "Reviewers" and "Editors" groups with their permissions, and the default rating scale."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = [f"view_{m}" for m in ("article", "claim", "verdict", "source", "note", "rating", "publication")]
REVIEWERS = [*VIEW, "review_claim", "approve_verdict"]
EDITORS = [*REVIEWERS, "import_article", "publish_article", "assign_claim", "dismiss_claim"]

# label, slug, ClaimReview ratingValue (None: off-scale), colour, public definition
RATINGS = [
    ("True", "true", 5, "#1a7f37",
     "The statement is accurate and nothing significant is missing."),
    ("Mostly true", "mostly-true", 4, "#4d8a1f",
     "The statement is accurate but needs clarification or additional information."),
    ("Half true", "half-true", 3, "#a86b00",
     "The statement is partly accurate but leaves out important details or takes things out of context."),
    ("Mostly false", "mostly-false", 2, "#c2410c",
     "The statement contains an element of truth but ignores facts that would give a different impression."),
    ("False", "false", 1, "#b91c1c",
     "The statement is not accurate."),
    ("Misleading", "misleading", None, "#7e22ce",
     "The statement uses facts in a way that gives a false impression."),
    ("Unproven", "unproven", None, "#4b5563",
     "The available evidence does not establish whether the statement is true or false."),
]


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apply_migrations=False, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Reviewers", REVIEWERS), ("Editors", EDITORS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        )


def create_ratings(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    for position, (label, slug, value, colour, definition) in enumerate(RATINGS):
        Rating.objects.get_or_create(
            slug=slug,
            defaults={
                "label": label,
                "rating_value": value,
                "colour": colour,
                "definition": definition,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_database_guards"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(create_ratings, migrations.RunPython.noop),
    ]
