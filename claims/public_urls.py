from django.urls import path

from .feeds import CorrectionsFeed, PublicationsFeed
from .views import evidence, public, reader, search, transparency

app_name = "public"

# Pages the product design plans under /checks/ (about us, the team, the corrections
# policy, reader tips, search, sources). Their addresses are kept free now, so that no
# article published before them takes one (claims/importing.py).
PLANNED_PAGES = ["about", "team", "corrections-policy", "suggest", "search", "sources"]

urlpatterns = [
    path("", public.index, name="index"),
    path("methodology/", public.methodology, name="methodology"),
    path("about/", transparency.about, name="about"),
    path("team/", transparency.team, name="team"),
    path("team/photos/<str:name>", transparency.team_photo, name="team-photo"),
    path("corrections-policy/", transparency.corrections_policy, name="corrections-policy"),
    path("suggest/", reader.suggest, name="suggest"),
    path("suggest/thanks/", reader.thanks, name="suggest-thanks"),
    path("feed/", PublicationsFeed(), name="feed"),
    path("corrections/feed/", CorrectionsFeed(), name="corrections-feed"),
    path("search/", search.public_search, name="search"),
    path("claimreview.json", public.claimreview_json, name="claimreview-json"),
    path("ratings.css", public.ratings_css, name="ratings-css"),
    path("sources/<int:source_pk>/snapshot/", evidence.source_snapshot, name="source-snapshot"),
    # Every route above takes its first path segment from the articles' slugs.
    path("<slug:slug>/", public.article_page, name="article"),
    path("<slug:slug>/v/<int:version>/", public.version_page, name="version"),
    path("<slug:slug>/claims/<int:ordinal>/", public.claim_page, name="claim"),
    path("<slug:slug>/claims/<int:ordinal>/report/", reader.report, name="report"),
    path("<slug:slug>/claims/<int:ordinal>/report/thanks/", reader.thanks, name="report-thanks"),
]
