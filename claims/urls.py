from django.urls import path

from .views import (
    board,
    claim,
    claim_actions,
    evidence,
    matches,
    operations,
    publishing,
    queue,
    search,
)

app_name = "claims"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("operations/", operations.operations, name="operations"),
    path("search/", search.desk_search, name="search"),
    path("operations/jobs/<int:job_pk>/retry", operations.job_retry, name="job-retry"),
    path("articles/<slug:slug>/", board.board, name="board"),
    path("articles/<slug:slug>/publish", publishing.article_publish, name="publish"),
    path("articles/<slug:slug>/retract", publishing.article_retract, name="retract"),
    path("articles/<slug:slug>/reopen", publishing.article_reopen, name="reopen"),
    path("articles/<slug:slug>/language", board.article_language, name="language"),
    path("claims/<int:pk>/", claim.claim_page, name="claim"),
    path("claims/<int:pk>/take", claim_actions.claim_take, name="take"),
    path("claims/<int:pk>/release", claim_actions.claim_release, name="release"),
    path("claims/<int:pk>/assign", claim_actions.claim_assign, name="assign"),
    path("claims/<int:pk>/wording", claim_actions.claim_reword, name="reword"),
    path("claims/<int:pk>/sources", claim_actions.source_add, name="source-add"),
    path(
        "claims/<int:pk>/sources/<int:source_pk>/remove",
        claim_actions.source_remove,
        name="source-remove",
    ),
    path(
        "claims/<int:pk>/sources/<int:source_pk>/capture",
        claim_actions.source_capture_retry,
        name="source-capture",
    ),
    path("snapshots/<int:snapshot_pk>/text", evidence.snapshot_text, name="snapshot-text"),
    path("sources/flagged/", evidence.flagged_sources, name="flagged-sources"),
    path("claims/<int:pk>/notes", claim_actions.note_add, name="note-add"),
    path("claims/<int:pk>/matches", matches.matches_find, name="matches-find"),
    path("matches/<int:match_pk>/reuse", matches.match_reuse, name="match-reuse"),
    path("matches/<int:match_pk>/reject", matches.match_reject, name="match-reject"),
    path("claims/<int:pk>/verdict", claim_actions.verdict_propose, name="propose"),
    path("claims/<int:pk>/approve", claim_actions.verdict_approve, name="approve"),
    path("claims/<int:pk>/send-back", claim_actions.verdict_send_back, name="send-back"),
    path("claims/<int:pk>/dismiss", claim_actions.claim_dismiss, name="dismiss"),
    path("claims/<int:pk>/restore", claim_actions.claim_restore, name="restore"),
]
