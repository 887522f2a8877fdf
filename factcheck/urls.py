from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import include, path
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from claims.feeds import PublicSitemap
from claims.forms import LoginForm
from claims.views import errors
from claims.views.public import robots_txt

admin.site.site_header = "Factcheck administration"
admin.site.site_title = "Factcheck admin"


@never_cache
@require_safe
def healthz(request):
    """Liveness probe and the benchmark's floor: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages without an icon link (feeds, JSON)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def bad_request(request, exception):
    """400, except that a form too large to read gets 413 and says what the limit is.

    Django refuses such a request before any view runs (the CSRF check reads the form);
    without this the reviewer would only see "Bad Request"."""
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        problem = (
            f"The form was over the {limit:.1f} MB a form may send, so nothing was saved. "
            "To import a long article, upload it as a file."
        )
        return render(request, "too_large.html", {"problem": problem}, status=413)
    if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        problem = "The form sent more fields or files than any form here has; nothing was saved."
        return render(request, "too_large.html", {"problem": problem}, status=413)
    return defaults.bad_request(request, exception)


handler400 = bad_request
handler403 = "claims.views.errors.permission_denied"

urlpatterns = [
    path("favicon.ico", favicon),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("healthz", healthz, name="healthz"),
    path("csp-report", errors.csp_report, name="csp-report"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("review/", include("claims.urls")),
    path("checks/", include("claims.public_urls")),
    path(
        "sitemap.xml",
        sitemap_view,
        {"sitemaps": {"checks": PublicSitemap}},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # The front door is the public index of fact-checks.
    path("", RedirectView.as_view(pattern_name="public:index", permanent=False)),
]
