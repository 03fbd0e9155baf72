from django.urls import path

from securact.datamessage import api, views

app_name = "datamessage"
urlpatterns = [
    path(
        "api/destinataire/significations/<int:pk>/message-donnees.xml",
        api.download,
        name="download",
    ),
    path("api/destinataire/messages-donnees/", api.since, name="since"),
    # The service form's « Données de l'acte » section, swapped in when the nature changes.
    path("signifier/donnees/", views.elements_section, name="serve-elements"),
]
