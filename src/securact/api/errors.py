"""The API's errors: always JSON ``{"erreur": "…", "champ": "…" | null}`` with a 4xx status,
in French, never an HTML page (issue 13, item 1).

* A request whose parameters or body do not validate: 422, ``champ`` naming the field as the
  contract spells it (``limite``, ``declaration.comptes.2.numero``).
* A service's refusal (``core.errors.Refusal``): its French ``message`` and ``field``, with
  the status registered for its class (:func:`register_refusal`), 422 by default.
* :class:`ApiRefusal`: the API's own refusals, with their status (404, 403, 409…).
* Anything unexpected: logged, and a JSON 500 — a bug to fix, never a page.

Addresses under ``/api/`` that no view answers (404), a method an address does not take
(405) and the refusals of the middlewares are made JSON by ``api.middleware`` and
``core.api_answers``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from securact.core.api_answers import json_error
from securact.core.errors import Refusal

logger = logging.getLogger(__name__)


class Erreur(Schema):
    """Every error of the API."""

    erreur: str = Field(description="Ce qui ne va pas, en français, à montrer tel quel.")
    champ: str | None = Field(
        description="Le paramètre ou le champ en cause (notation pointée), ou null."
    )


class ApiRefusal(Refusal):
    """A refusal of the API itself, with its HTTP status (and headers, e.g. Retry-After)."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, field)
        self.status = status
        self.headers = headers or {}


def not_found(message: str | None = None) -> ApiRefusal:
    return ApiRefusal(404, message or gettext("Ressource introuvable."))


# Statuses of the services' refusals, by class (the most specific registered class wins).
_REFUSAL_STATUS: dict[type[Refusal], int] = {}


def register_refusal(kind: type[Refusal], status: int) -> None:
    """Answer ``kind`` (and its subclasses, unless registered themselves) with ``status``."""
    _REFUSAL_STATUS[kind] = status


def refusal_status(refusal: Refusal) -> int:
    if isinstance(refusal, ApiRefusal):
        return refusal.status
    for kind in type(refusal).__mro__:
        if kind in _REFUSAL_STATUS:
            return _REFUSAL_STATUS[kind]
    return 422


# --- validation errors -----------------------------------------------------------------------

_LOCATIONS = {"query", "path", "body", "form", "file", "header", "cookie"}

_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda e: gettext("Ce champ est obligatoire."),
    "int_parsing": lambda e: gettext("Un nombre entier est attendu."),
    "int_type": lambda e: gettext("Un nombre entier est attendu."),
    "int_from_float": lambda e: gettext("Un nombre entier est attendu."),
    "bool_parsing": lambda e: gettext("Une valeur vraie ou fausse est attendue (true ou false)."),
    "bool_type": lambda e: gettext("Une valeur vraie ou fausse est attendue (true ou false)."),
    "string_type": lambda e: gettext("Un texte est attendu."),
    "decimal_parsing": lambda e: gettext("Un montant est attendu, par exemple 1234.56."),
    "decimal_type": lambda e: gettext("Un montant est attendu, par exemple 1234.56."),
    "datetime_parsing": lambda e: gettext(
        "Une date ISO 8601 est attendue, par exemple 2026-11-27T08:00:00+01:00."
    ),
    "datetime_from_date_parsing": lambda e: gettext(
        "Une date ISO 8601 est attendue, par exemple 2026-11-27T08:00:00+01:00."
    ),
    "datetime_type": lambda e: gettext(
        "Une date ISO 8601 est attendue, par exemple 2026-11-27T08:00:00+01:00."
    ),
    "date_parsing": lambda e: gettext("Une date est attendue, par exemple 2026-11-27."),
    "date_from_datetime_parsing": lambda e: gettext(
        "Une date est attendue, par exemple 2026-11-27."
    ),
    "json_invalid": lambda e: gettext("Le contenu n'est pas un JSON valide."),
    "json_type": lambda e: gettext("Un texte JSON est attendu."),
    "model_type": lambda e: gettext("Un objet JSON est attendu."),
    "model_attributes_type": lambda e: gettext("Un objet JSON est attendu."),
    "dict_type": lambda e: gettext("Un objet JSON est attendu."),
    "list_type": lambda e: gettext("Une liste est attendue."),
    "extra_forbidden": lambda e: gettext("Ce champ n'est pas prévu."),
    "literal_error": lambda e: (
        gettext("Valeur inattendue : choisissez parmi %(expected)s.")
        % {"expected": (e.get("ctx") or {}).get("expected", "")}
    ),
    "enum": lambda e: (
        gettext("Valeur inattendue : choisissez parmi %(expected)s.")
        % {"expected": (e.get("ctx") or {}).get("expected", "")}
    ),
    "string_too_long": lambda e: (
        gettext("Au plus %(limit)s caractères.")
        % {"limit": (e.get("ctx") or {}).get("max_length", "")}
    ),
    "string_too_short": lambda e: (
        gettext("Au moins %(limit)s caractère(s).")
        % {"limit": (e.get("ctx") or {}).get("min_length", "")}
    ),
    "string_pattern_mismatch": lambda e: gettext("Cette valeur n'a pas la forme attendue."),
    "greater_than_equal": lambda e: (
        gettext("Au moins %(limit)s.") % {"limit": (e.get("ctx") or {}).get("ge", "")}
    ),
    "greater_than": lambda e: (
        gettext("Plus de %(limit)s.") % {"limit": (e.get("ctx") or {}).get("gt", "")}
    ),
    "less_than_equal": lambda e: (
        gettext("Au plus %(limit)s.") % {"limit": (e.get("ctx") or {}).get("le", "")}
    ),
    "less_than": lambda e: (
        gettext("Moins de %(limit)s.") % {"limit": (e.get("ctx") or {}).get("lt", "")}
    ),
    "too_long": lambda e: (
        gettext("Au plus %(limit)s éléments.")
        % {"limit": (e.get("ctx") or {}).get("max_length", "")}
    ),
    "timezone_aware": lambda e: gettext("Précisez le fuseau horaire (Z ou +01:00, par exemple)."),
}


def field_name(location: list[Any] | tuple[Any, ...]) -> str | None:
    """``["query", "limite"]`` → ``limite``; ``["body", "payload", "comptes", 1, "numero"]``
    → ``comptes.1.numero`` (ninja names the body's parameter: the contract does not)."""
    parts = [str(part) for part in location]
    if parts and parts[0] in _LOCATIONS:
        where, parts = parts[0], parts[1:]
        if where == "body" and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or None


def validation_message(error: dict[str, Any]) -> str:
    """A French sentence for one of pydantic's errors (its own text is English)."""
    kind = str(error.get("type", ""))
    make = _MESSAGES.get(kind)
    if make is not None:
        return make(error)
    if kind == "value_error":  # a validator of ours: its message is French already
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ")
    return gettext("Valeur invalide pour ce champ.")


# --- handlers --------------------------------------------------------------------------------


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    return json_error(
        validation_message(first), 422, field=field_name(first.get("loc", ())) or None
    )


def _refusal(request: HttpRequest, exc: Refusal) -> HttpResponse:
    headers = exc.headers if isinstance(exc, ApiRefusal) else None
    return json_error(exc.message, refusal_status(exc), field=exc.field or None, headers=headers)


_HTTP_MESSAGES = {
    400: lambda: gettext("La requête est mal formée (son corps n'a pas pu être lu)."),
    401: lambda: gettext("Présentez votre certificat d'authentification."),
    403: lambda: gettext("Votre certificat ne donne pas accès à ce service."),
    404: lambda: gettext("Ressource introuvable."),
}


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    make = _HTTP_MESSAGES.get(exc.status_code)
    message = make() if make is not None else gettext("Requête refusée.")
    return json_error(message, exc.status_code)


def _http404(request: HttpRequest, exc: Any) -> HttpResponse:
    return json_error(gettext("Ressource introuvable."), 404)


def _unreadable(request: HttpRequest, exc: Any) -> HttpResponse:
    """A body Django cannot read: a multipart without its boundary, too many fields, too
    large for memory, a client gone midway."""
    if isinstance(exc, RequestDataTooBig):
        return json_error(gettext("La requête est trop volumineuse pour SECURACT."), 413)
    return json_error(
        gettext(
            "Le corps de la requête est illisible : vérifiez son type (Content-Type, avec son "
            "« boundary » pour multipart/form-data) et son contenu."
        ),
        400,
    )


def _unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
    logger.exception("API %s %s failed", request.method, request.path, exc_info=exc)
    return json_error(
        gettext("Le service a rencontré une erreur interne ; réessayez plus tard."), 500
    )


def install(api: NinjaAPI) -> None:
    """Every error of ``api`` answered as the module docstring says."""
    api.add_exception_handler(ValidationError, _validation)  # type: ignore[arg-type]
    api.add_exception_handler(Refusal, _refusal)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, _http_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, _http404)
    for unreadable in (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
        api.add_exception_handler(unreadable, _unreadable)
    api.add_exception_handler(Exception, _unexpected)


# The statuses every endpoint may answer with the error schema (the contract lists them).
def error_responses(*statuses: int) -> dict[int, type[Erreur]]:
    return dict.fromkeys(statuses, Erreur)
