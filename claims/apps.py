from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Fact-checking")

    def ready(self):
        from . import logins  # noqa: F401  (connects the lockout receiver)
