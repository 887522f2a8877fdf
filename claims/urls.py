from django.urls import path

from .views import (
    board,
    claim,
    claim_actions,
    evidence,
    exports,
    intake,
    operations,
    preferences,
    publishing,
    queue,
)

app_name = "claims"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("operations/", operations.operations, name="operations"),
    path("intake/", intake.intake, name="intake"),
    path("intake/tips/<int:tip_pk>/import", intake.tip_import, name="tip-import"),
    path("intake/tips/<int:tip_pk>/dismiss", intake.tip_dismiss, name="tip-dismiss"),
    path("intake/requests/<int:request_pk>/accept", intake.request_accept, name="request-accept"),
    path(
        "intake/requests/<int:request_pk>/decline", intake.request_decline, name="request-decline"
    ),
    path("waiting", intake.waiting, name="waiting"),
    path("readiness/", intake.readiness, name="readiness"),
    path("notifications/", preferences.preferences, name="notifications"),
    path("operations/jobs/<int:job_pk>/retry", operations.job_retry, name="job-retry"),
    path("articles/<slug:slug>/", board.board, name="board"),
    path("articles/<slug:slug>/preview", publishing.article_preview, name="preview"),
    path("articles/<slug:slug>/publish", publishing.article_publish, name="publish"),
    path("articles/<slug:slug>/details", board.article_edit, name="article-edit"),
    path("articles/<slug:slug>/export.json", exports.article_json, name="export-json"),
    path("articles/<slug:slug>/export.csv", exports.article_csv, name="export-csv"),
    path("articles/<slug:slug>/retract", publishing.article_retract, name="retract"),
    path("articles/<slug:slug>/reopen", publishing.article_reopen, name="reopen"),
    path("articles/<slug:slug>/language", board.article_language, name="language"),
    path("claims/<int:pk>/", claim.claim_page, name="claim"),
    path("claims/<int:pk>/take", claim_actions.claim_take, name="take"),
    path("claims/<int:pk>/release", claim_actions.claim_release, name="release"),
    path("claims/<int:pk>/assign", claim_actions.claim_assign, name="assign"),
    path("claims/<int:pk>/wording", claim_actions.claim_reword, name="reword"),
    path("claims/<int:pk>/claimant", claim_actions.claim_set_claimant, name="claimant"),
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
    path("claims/<int:pk>/verdict", claim_actions.verdict_propose, name="propose"),
    path("claims/<int:pk>/approve", claim_actions.verdict_approve, name="approve"),
    path("claims/<int:pk>/send-back", claim_actions.verdict_send_back, name="send-back"),
    path("claims/<int:pk>/dismiss", claim_actions.claim_dismiss, name="dismiss"),
    path("claims/<int:pk>/restore", claim_actions.claim_restore, name="restore"),
]
