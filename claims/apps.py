from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checking")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models import signals

        from . import logins  # noqa: F401  (connects the lockout receiver)
        from .deskcache import raise_directory_stamp
        from .models import Rating

        # Cached workspace pages show people, roles and ratings: any change renews them.
        user = get_user_model()
        for model in (user, Group, Permission, Rating):
            for signal in (signals.post_save, signals.post_delete):
                signal.connect(
                    raise_directory_stamp, sender=model, dispatch_uid=f"stamp-{signal}-{model}"
                )
        for through in (
            user.groups.through,
            user.user_permissions.through,
            Group.permissions.through,
        ):
            signals.m2m_changed.connect(
                raise_directory_stamp, sender=through, dispatch_uid=f"stamp-{through}"
            )
