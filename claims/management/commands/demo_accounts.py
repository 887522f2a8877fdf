import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# username, group (None: a superuser for the Django admin), first and last name
DEMO_ACCOUNTS = [
    ("editor", "Editors", "Edith", "Editor"),
    ("reviewer", "Reviewers", "Rafael", "Reviewer"),
    ("reviewer2", "Reviewers", "Ruth", "Second-Reviewer"),
    ("admin", None, "Ada", "Admin"),
]


class Command(BaseCommand):
    help = (
        "Create demo accounts (an editor, two reviewers and an admin) and print their "
        "passwords once. "
        "Only with FACTCHECK_DEMO=1 and DJANGO_DEBUG=1; never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Give the existing demo accounts new passwords."
        )

    def handle(self, *args, reset, **options):
        if not settings.FACTCHECK_DEMO:
            raise CommandError("Demo accounts need FACTCHECK_DEMO=1 (and DJANGO_DEBUG=1).")
        User = get_user_model()
        made = []
        for username, group, first, last in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            if group:
                user.groups.add(Group.objects.get(name=group))
            elif created:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            if created or reset:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                user.save(update_fields=["password"])
                made.append((username, group, password))
        if not made:
            self.stdout.write(
                "Demo accounts exist (editor, reviewer, reviewer2, admin); their passwords were "
                "printed when they were made; `manage.py demo_accounts --reset` prints new ones."
            )
            return
        self.stdout.write(self.style.WARNING("Demo accounts (shown once, keep them):"))
        for username, group, password in made:
            role = group[:-1].lower() if group else "superuser, /admin/"
            self.stdout.write(f"  {username:<10} {password:<18} ({role})")
