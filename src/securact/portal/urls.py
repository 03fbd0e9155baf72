from django.urls import path

from securact.portal import views, views_returns

app_name = "portal"
urlpatterns = [
    path("", views.deposits, name="deposits"),
    path("depots/<int:pk>/", views.deposit, name="deposit"),
    path("depots/<int:pk>/actes/<int:act_id>/", views.download, name="download"),
    path("depots/<int:pk>/repondre/", views_returns.reply, name="reply"),
    path("parametres/", views.settings_page, name="settings"),
    path("parametres/contacts/", views.contacts, name="contacts"),
    path("parametres/natures/", views.accept, name="accept"),
    path("parametres/natures/<int:accepted_id>/retirer/", views.withdraw, name="withdraw"),
    path("parametres/natures/<int:accepted_id>/plages/", views.add_window, name="add-window"),
    path("parametres/plages/<int:window_id>/retirer/", views.remove_window, name="remove-window"),
]
