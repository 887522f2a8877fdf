"""The app's URLs and one more for the in-process bench: `/bench/desk-floor`, a workspace
view that does nothing. It costs what every workspace request costs before the page
does any work of its own (the session, the user and their permissions, the middleware),
so the bench can tell that fixed cost from the page's."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from claims.views.desk import desk_required
from factcheck.urls import urlpatterns as app_urlpatterns


@desk_required
def desk_floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"", content_type="text/plain")


urlpatterns = [path("bench/desk-floor", desk_floor), *app_urlpatterns]
