from django.urls import path

from .views import operations
from .views import workspace as views

app_name = "claims"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("operations/", operations.operations, name="operations"),
    path("operations/jobs/<int:job_pk>/retry", operations.job_retry, name="job-retry"),
    path("articles/<slug:slug>/", views.board, name="board"),
    path("articles/<slug:slug>/publish", views.article_publish, name="publish"),
    path("articles/<slug:slug>/retract", views.article_retract, name="retract"),
    path("articles/<slug:slug>/reopen", views.article_reopen, name="reopen"),
    path("claims/<int:pk>/", views.claim_page, name="claim"),
    path("claims/<int:pk>/take", views.claim_take, name="take"),
    path("claims/<int:pk>/release", views.claim_release, name="release"),
    path("claims/<int:pk>/assign", views.claim_assign, name="assign"),
    path("claims/<int:pk>/wording", views.claim_reword, name="reword"),
    path("claims/<int:pk>/sources", views.source_add, name="source-add"),
    path(
        "claims/<int:pk>/sources/<int:source_pk>/remove",
        views.source_remove,
        name="source-remove",
    ),
    path("claims/<int:pk>/notes", views.note_add, name="note-add"),
    path("claims/<int:pk>/verdict", views.verdict_propose, name="propose"),
    path("claims/<int:pk>/approve", views.verdict_approve, name="approve"),
    path("claims/<int:pk>/send-back", views.verdict_send_back, name="send-back"),
    path("claims/<int:pk>/dismiss", views.claim_dismiss, name="dismiss"),
    path("claims/<int:pk>/restore", views.claim_restore, name="restore"),
]
