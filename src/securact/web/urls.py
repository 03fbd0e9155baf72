from django.urls import path

import securact.core.ids  # noqa: F401 - registers the <id:…> converter (ids past bigint: 404)
from securact.web import (
    views,
    views_dashboard,
    views_delivery,
    views_edi,
    views_elements,
    views_evidence,
    views_release,
    views_search,
    views_serve,
)

app_name = "web"
urlpatterns = [
    path("", views_dashboard.home, name="home"),
    path("agenda/<slug:category>/", views_dashboard.table, name="dashboard-table"),
    path("agenda/notifications/<id:pk>/vu/", views_dashboard.seen, name="dashboard-seen"),
    path(
        "agenda/significations/<id:pk>/ouvrir/",
        views_dashboard.open_signification,
        name="dashboard-open",
    ),
    path("declaration/", views.declaration, name="declaration"),
    path("declaration/renouvellement/", views.renewal, name="renewal"),
    path("signifier/", views_serve.serve, name="serve"),
    path("signifier/destinataires/", views_serve.recipients, name="serve-recipients"),
    path("signifier/destinataire/", views_serve.recipient_panel, name="serve-recipient"),
    path("signifier/horaires/", views_serve.hours, name="serve-hours"),
    # The service form's « Données de l'acte » section, swapped in when the nature changes.
    path("signifier/donnees/", views_elements.elements_section, name="serve-elements"),
    path("signifier/actes/", views_serve.add_file, name="serve-add-file"),
    path(
        "signifier/actes/<str:file_id>/retirer/", views_serve.remove_file, name="serve-remove-file"
    ),
    path("signifier/actes/<str:file_id>/apercu/", views_serve.preview_file, name="serve-preview"),
    path(
        "signifier/actes/<str:file_id>/apercu/pdfa/",
        views_serve.preview_pdf,
        name="serve-preview-pdf",
    ),
    path(
        "signifier/actes/<str:file_id>/apercu/pages/<id:number>.png",
        views_serve.preview_page,
        name="serve-preview-page",
    ),
    path("significations/<id:pk>/progression/", views_serve.progress, name="progress"),
    path(
        "significations/<id:pk>/etapes/<str:step>/relancer/", views_serve.relaunch, name="relaunch"
    ),
    path("edi/", views_edi.edi, name="edi"),
    path("rechercher/", views_search.search, name="search"),
    path("significations/<id:pk>/", views_search.detail, name="detail"),
    path("significations/<id:pk>/mainlevee/", views_release.release, name="release"),
    path("significations/<id:pk>/fichiers/<id:file_id>/", views_search.download, name="download"),
    path("significations/<id:pk>/lettre-simple/", views_delivery.letter, name="letter"),
    path("significations/<id:pk>/dossier-de-preuve/", views_evidence.bundle, name="bundle"),
]
