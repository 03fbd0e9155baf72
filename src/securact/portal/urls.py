from django.urls import path

import securact.core.ids  # noqa: F401 - registers the <id:…> converter (ids past bigint: 404)
from securact.portal import views, views_bundle, views_returns

app_name = "portal"
urlpatterns = [
    path("", views.deposits, name="deposits"),
    path("depots/<id:pk>/", views.deposit, name="deposit"),
    path("depots/<id:pk>/actes/<id:act_id>/", views.download, name="download"),
    path("depots/<id:pk>/repondre/", views_returns.reply, name="reply"),
    path("depots/<id:pk>/dossier-de-preuve/", views_bundle.bundle, name="bundle"),
    path("parametres/", views.settings_page, name="settings"),
    path("parametres/contacts/", views.contacts, name="contacts"),
    path("parametres/natures/", views.accept, name="accept"),
    path("parametres/natures/<id:accepted_id>/retirer/", views.withdraw, name="withdraw"),
    path("parametres/natures/<id:accepted_id>/plages/", views.add_window, name="add-window"),
    path("parametres/plages/<id:window_id>/retirer/", views.remove_window, name="remove-window"),
]
