"""The API, version 1 (F9, issue 13): one django-ninja API under ``/api/v1/``.

Its contract is the OpenAPI 3.1 document ``/api/v1/openapi.json``; its documentation page,
``/api/v1/docs``, shows it (both public: no personal data in them). Errors, authentication,
pagination and idempotency are the framework's (``api.errors``, ``api.auth``,
``api.pagination``, ``api.idempotency``); each part of the API is a router of its own
module, added here:

* ``/api/v1/destinataire/…``: the banks' pull API (``api.recipient``);
* ``/api/v1/significations/…``: a practice's signification, its documents and client-side
  signing (``api.practice``);
* ``/api/v1/fichiers``, ``/lots``, ``/evenements``, ``/webhooks``: a practice's bulk
  submission, its events and callbacks (``api.practice_batches``, over the ``edi`` app).

To add a part: write its router (``Router(auth=CertificateAuth(...))``) in its module and add
it to ``ROUTERS`` below.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from securact.api import errors, practice, practice_batches, recipient

DESCRIPTION = """\
**L'API de SECURACT**, la signification électronique des actes des commissaires de justice
(EDI). Les destinataires (banques) y relèvent les actes qui leur sont signifiés et y
répondent ; les études y déposent leurs significations.

* **Authentification** : TLS mutuel, avec le même certificat que pour le site
  (certificat d'authentification de l'étude ou du destinataire, déclaré une première fois
  en se connectant au site). Aucune requête sans certificat valide n'atteint l'API.
* **Erreurs** : toujours du JSON `{"erreur": "…", "champ": "…" | null}`, en français, avec
  un statut 4xx : 422 pour une valeur refusée (`champ` la nomme), 404 pour ce qui n'existe
  pas ou ne vous appartient pas, 403 pour un certificat qui n'y a pas droit, 409 pour un
  conflit, 429 au-delà du débit permis (réessayez après `Retry-After` secondes).
* **Pages** : les listes répondent `{"resultats": […], "suivant": "<curseur>" | null}` ;
  redemandez avec `curseur=<suivant>` (mêmes filtres) jusqu'à `suivant` nul.
* **Idempotence** : les `POST` qui créent quelque chose acceptent l'en-tête
  `Idempotency-Key` (une valeur unique choisie par vous, par exemple un UUID) ; renvoyée avec
  la même requête, elle rend la même réponse sans second effet (`Idempotent-Replayed: true`) ;
  avec une autre requête, un 409.
* **Dates** : ISO 8601 avec fuseau horaire ; une date sans fuseau donnée en paramètre est
  l'heure de Paris.
* **Preuve** : chaque téléchargement, accusé de réception et réponse est inscrit au journal
  des preuves ; le premier téléchargement d'un acte est l'ouverture du dépôt (art. 663 CPC).
"""

# (prefix, router): each part of the API.
ROUTERS: list[tuple[str, Router]] = [
    ("/destinataire/", recipient.router),
    ("/", practice.router),
    ("/", practice_batches.router),
]

# What the servers in front of the API answer before it can (their own page, not JSON): an
# address longer than their request line (gunicorn 4 094 bytes, nginx 8 KiB).
SERVER_ANSWERS = {
    414: {
        "description": "Adresse trop longue : refusée par le serveur frontal, avant l'API "
        "(sa propre page, pas du JSON). Raccourcissez les paramètres."
    }
}


class SecuractApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                for status, answer in SERVER_ANSWERS.items():
                    operation.setdefault("responses", {}).setdefault(status, answer)
        return schema


api = SecuractApi(
    title="SECURACT — API EDI",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
    openapi_extra={"info": {"x-langue": "fr"}},
)
errors.install(api)
for prefix, router in ROUTERS:
    api.add_router(prefix, router)
