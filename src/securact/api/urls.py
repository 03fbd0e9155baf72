from django.urls import path

import securact.core.ids  # noqa: F401 - registers the <id:…> converter (ids past bigint: 404)
from securact.api import datamessage as api

app_name = "api"
urlpatterns = [
    path(
        "api/destinataire/significations/<id:pk>/message-donnees.xml",
        api.download,
        name="download",
    ),
    path("api/destinataire/messages-donnees/", api.since, name="since"),
    # Not an id (or past the database's range): the API's JSON 404, not the HTML page.
    path("api/destinataire/significations/<str:pk>/message-donnees.xml", api.no_such_message),
    path("api/<path:rest>", api.unknown_address),
]
