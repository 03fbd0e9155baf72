"""The first recipient endpoints' addresses, still served (``api.datamessage``; version 1 of
the API, ``api.v1``, is included by ``securact.urls`` under ``/api/v1/`` before these), then
a JSON 404 for any other address under ``/api/``."""

from django.urls import path

import securact.core.ids  # noqa: F401 - registers the <id:…> converter (ids past bigint: 404)
from securact.api import datamessage as legacy

app_name = "api"
urlpatterns = [
    path(
        "api/destinataire/significations/<id:pk>/message-donnees.xml",
        legacy.download,
        name="download",
    ),
    path("api/destinataire/messages-donnees/", legacy.since, name="since"),
    # Not an id (or past the database's range): the API's JSON 404, not the HTML page.
    path("api/destinataire/significations/<str:pk>/message-donnees.xml", legacy.no_such_message),
    path("api/<path:rest>", legacy.unknown_address),
]
