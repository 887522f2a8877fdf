from django.contrib import admin
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

admin.site.site_header = "Factcheck administration"
admin.site.site_title = "Factcheck admin"


@never_cache
@require_safe
def healthz(request):
    """Liveness probe and the benchmark's floor: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Until the reviewer workspace exists, the front door is the admin (login required).
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
