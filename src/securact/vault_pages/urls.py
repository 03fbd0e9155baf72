from django.urls import path

import securact.core.ids  # noqa: F401 - registers the <id:…> converter (ids past bigint: 404)
from securact.vault_pages import views, views_actions, views_evidence, views_more

app_name = "vault_pages"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("dossiers/creer/", views_actions.folder_create, name="folder-create"),
    path("dossiers/renommer/", views_actions.folder_rename, name="folder-rename"),
    path("dossiers/supprimer/", views_actions.folder_delete, name="folder-delete"),
    path("fichiers/deplacer/", views_actions.move, name="move"),
    path("fichiers/transferer/", views_actions.transfer, name="transfer"),
    path("fichiers/deposer/", views_actions.upload, name="upload"),
    path("fichiers/<id:file_id>/", views.file, name="file"),
    path("fichiers/<id:file_id>/telecharger/", views.download, name="file-download"),
    path("fichiers/<id:file_id>/preuve/", views.proof, name="file-proof"),
    path("fichiers/<id:file_id>/proprietes/", views_actions.properties, name="properties"),
    path("fichiers/<id:file_id>/renommer/", views_actions.rename_file, name="rename"),
    path("fichiers/<id:file_id>/supprimer/", views_actions.delete, name="delete"),
    path("recherche/", views_more.search, name="vault-search"),
    path("journal/", views_more.journal, name="journal"),
    path("journal.csv", views_more.journal_csv, name="journal-csv"),
    path("compte/", views_more.account, name="account"),
    path("compte/exports/", views_evidence.exports, name="exports"),
    path("compte/exports/demander/", views_evidence.export_request, name="export-request"),
    path(
        "compte/exports/<id:export_id>/telecharger/",
        views_evidence.export_download,
        name="export-download",
    ),
    path("aide/", views_more.help_page, name="help"),
]
