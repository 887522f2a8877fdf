from django.urls import path

from .feeds import CorrectionsFeed, PublicationsFeed
from .views import public

app_name = "public"

urlpatterns = [
    path("", public.index, name="index"),
    path("methodology/", public.methodology, name="methodology"),
    path("feed/", PublicationsFeed(), name="feed"),
    path("corrections/feed/", CorrectionsFeed(), name="corrections-feed"),
    path("claimreview.json", public.claimreview_json, name="claimreview-json"),
    path("<slug:slug>/", public.article_page, name="article"),
    path("<slug:slug>/v/<int:version>/", public.version_page, name="version"),
    path("<slug:slug>/claims/<int:ordinal>/", public.claim_page, name="claim"),
]
