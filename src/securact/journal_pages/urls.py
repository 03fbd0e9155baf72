"""The journal's public checkpoints (docs/evidence-log.md §2), for anyone, without a client
certificate: ``ui.sign_in.PUBLIC_PATHS`` lets exactly these paths through."""

from django.urls import path

from securact.journal_pages import views

app_name = "journal_pages"
urlpatterns = [
    path("checkpoint", views.latest, name="latest"),
    path("checkpoints/", views.history, name="history"),
    path("checkpoints/<int:size>", views.checkpoint_note, name="note"),
    path("checkpoints/<int:size>.tsr", views.timestamp, name="tsr"),
    path("checkpoints/<int:size>/consistency", views.consistency, name="consistency"),
    path("key.pem", views.key, name="key"),
]
