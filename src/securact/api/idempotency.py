"""``Idempotency-Key`` for the API's POSTs that create something (issue 13, item 1).

A client that sends a POST with ``Idempotency-Key: <its own unique value>`` and sends it again
(a timeout, a lost answer, a restart) gets the answer of the first time, and the service runs
once. The rules, per caller (its certificate's fingerprint) and key:

* first use: the operation runs; a 2xx answer is kept (status, JSON body, ``Location``) for
  ``SECURACT_API_IDEMPOTENCY_HOURS``; any other answer is not kept (nothing was done: the
  client may correct and send again with the same key);
* the same key, method, address and body again: the kept answer, byte for byte, with
  ``Idempotent-Replayed: true``, and no second effect;
* the same key with another body (or address): 409, French;
* the same key while its first use is still running (two requests at once): the second waits
  a few seconds for the first's answer, else 409 « en cours » with ``Retry-After``; it never
  runs the operation too (the key's row is unique: one insert wins). A first use still
  running after ``SECURACT_API_IDEMPOTENCY_STALE_SECONDS`` (its process died) may be run again
  by the next retry — the services' own checks (e.g. a reference unique in its étude) still
  stand between a crash and a second effect.

The body is compared by its SHA-256: the raw bytes of a JSON body; for a form or a multipart
upload, its fields and each file's name and SHA-256 (a client's multipart boundary changes on
every send). The query string counts too.

Using it (the endpoint modules of the API): put :func:`idempotent` under the router's
decorator. It adds the optional ``Idempotency-Key`` header to the operation's contract (max
255 printable ASCII characters) and runs after authentication and validation::

    from securact.api.idempotency import idempotent

    @router.post("/lots", response={201: LotOut, **error_responses(404, 409, 422)})
    @idempotent
    def submit(request: HttpRequest, payload: LotIn) -> Status[LotOut]:
        ...

The answer is kept by ``api.middleware.ApiMiddleware`` once the response is made (that
middleware is in ``settings.MIDDLEWARE``); without the header the operation runs as usual.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Annotated, Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Header

from securact.api.errors import ApiRefusal
from securact.api.models import IdempotencyRecord
from securact.vault.services import Identity

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
_PARAMETER = "idempotency_key"
_CLAIM = "_securact_idempotency_claim"
# How long a second request waits for the first use of its key to answer, and how often
# it looks.
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.1
_PURGE_BATCH = 100

View = TypeVar("View", bound=Callable[..., Any])

KeyHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        max_length=KEY_MAX_LENGTH,
        pattern=r"^[\x21-\x7e]+$",
        description=(
            "Clé d'idempotence choisie par le client (au plus 255 caractères ASCII "
            "imprimables, par exemple un UUID) : la même requête renvoyée avec la même clé "
            "reçoit la même réponse, sans second effet ; la même clé avec une autre requête "
            "est refusée (409)."
        ),
    ),
]


@dataclass(frozen=True)
class Claim:
    """This request holds the key's first use (row ``pk``, started at ``started``)."""

    pk: int


# --- the request's digest --------------------------------------------------------------------


def _file_digest(upload: Any) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _without(body: bytes, secret_fields: frozenset[str]) -> bytes:
    """A JSON object body without its secret members (canonical JSON of the rest): a PIN's
    digest, kept with the key, would give the PIN away to whoever reads the table (a PIN has
    few values)."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if not isinstance(data, dict):
        return body
    kept = {name: value for name, value in data.items() if name not in secret_fields}
    canonical = json.dumps(kept, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return b"json-without-secrets\x00" + canonical.encode()


def request_digest(request: HttpRequest, secret_fields: frozenset[str] = frozenset()) -> str:
    """SHA-256 of what the request asks: its query string and its body (module docstring);
    ``secret_fields``: members of a JSON body left out (a PIN)."""
    digest = hashlib.sha256()
    digest.update(request.META.get("QUERY_STRING", "").encode("latin-1", "replace"))
    digest.update(b"\x00")
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"field\x00{name}\x00{value}\x00".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                file_sha = _file_digest(upload)
                digest.update(f"file\x00{name}\x00{upload.name}\x00{file_sha}\x00".encode())
    elif secret_fields:
        digest.update(_without(request.body, secret_fields))
    else:
        digest.update(request.body)
    return digest.hexdigest()


# --- claiming a key --------------------------------------------------------------------------


def _conflict() -> ApiRefusal:
    return ApiRefusal(
        409,
        gettext(
            "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez une "
            "nouvelle clé pour une nouvelle requête."
        ),
        HEADER,
    )


def _running() -> ApiRefusal:
    return ApiRefusal(
        409,
        gettext(
            "Une requête avec cette clé d'idempotence est en cours : réessayez dans un "
            "instant pour en recevoir la réponse."
        ),
        HEADER,
        headers={"Retry-After": "1"},
    )


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body),
        status=record.status or 200,
        content_type=record.content_type or "application/json",
    )
    if record.location:
        response["Location"] = record.location
    response[REPLAYED_HEADER] = "true"
    return response


def _purge_expired() -> None:
    cutoff = timezone.now() - timedelta(hours=int(settings.SECURACT_API_IDEMPOTENCY_HOURS))
    expired = list(
        IdempotencyRecord.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[
            :_PURGE_BATCH
        ]
    )
    if expired:
        IdempotencyRecord.objects.filter(pk__in=expired).delete()


def _insert(fingerprint: str, key: str, method: str, path: str, digest: str) -> Claim | None:
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                fingerprint=fingerprint,
                key=key,
                method=method,
                path=path,
                request_sha256=digest,
                state=IdempotencyRecord.State.RUNNING,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return None
    return Claim(record.pk)


def _take_over(record: IdempotencyRecord) -> Claim | None:
    """A first use running for too long (its process died): the first retry to change its
    start runs the operation again."""
    stale = timezone.now() - timedelta(seconds=int(settings.SECURACT_API_IDEMPOTENCY_STALE_SECONDS))
    if record.created_at >= stale:
        return None
    taken = IdempotencyRecord.objects.filter(
        pk=record.pk, state=IdempotencyRecord.State.RUNNING, created_at=record.created_at
    ).update(created_at=timezone.now())
    return Claim(record.pk) if taken else None


def claim(fingerprint: str, key: str, method: str, path: str, digest: str) -> Claim | HttpResponse:
    """Hold the key's first use (:class:`Claim`), or the kept answer; raises the French
    409s (module docstring)."""
    made = _insert(fingerprint, key, method, path, digest)
    if made is not None:
        _purge_expired()
        return made
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        record = IdempotencyRecord.objects.filter(fingerprint=fingerprint, key=key).first()
        if record is None:  # its first use failed and let the key go: this one is first
            made = _insert(fingerprint, key, method, path, digest)
            if made is not None:
                return made
            continue
        if (record.method, record.path, record.request_sha256) != (method, path, digest):
            raise _conflict()
        if record.state == IdempotencyRecord.State.DONE:
            return _replay(record)
        taken = _take_over(record)
        if taken is not None:
            return taken
        if time.monotonic() >= deadline:
            raise _running()
        time.sleep(POLL_SECONDS)


def finish(request: HttpRequest, response: HttpResponseBase) -> None:
    """Keep the answer of the request's first use of its key (2xx), or let the key go."""
    held: Claim | None = getattr(request, _CLAIM, None)
    if held is None:
        return
    setattr(request, _CLAIM, None)
    if 200 <= response.status_code < 300 and isinstance(response, HttpResponse):
        IdempotencyRecord.objects.filter(pk=held.pk).update(
            state=IdempotencyRecord.State.DONE,
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            location=response.get("Location", ""),
            body=response.content,
            answered_at=timezone.now(),
        )
    else:
        release(request, held)


def release(request: HttpRequest, held: Claim | None = None) -> None:
    """The first use failed (an error, an exception): nothing kept, the key free again."""
    held = held or getattr(request, _CLAIM, None)
    setattr(request, _CLAIM, None)
    if held is not None:
        IdempotencyRecord.objects.filter(pk=held.pk, state=IdempotencyRecord.State.RUNNING).delete()


# --- the decorator ---------------------------------------------------------------------------


def idempotent(view: View) -> View:
    """Make a POST operation honour ``Idempotency-Key`` (module docstring)."""
    return _idempotent(view, frozenset())


def idempotent_without(*secret_fields: str) -> Callable[[View], View]:
    """``idempotent``, the body compared without its members ``secret_fields`` (a PIN):
    the same request with another PIN is the same request."""

    def decorate(view: View) -> View:
        return _idempotent(view, frozenset(secret_fields))

    return decorate


def _idempotent(view: View, secret_fields: frozenset[str]) -> View:
    signature = inspect.signature(view, eval_str=True)
    header = inspect.Parameter(
        _PARAMETER, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=KeyHeader
    )
    parameters = [
        p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    parameters.append(header)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        key: str | None = kwargs.pop(_PARAMETER, None)
        if key is None:
            return view(request, *args, **kwargs)
        identity: Identity = request.auth  # type: ignore[attr-defined]
        held = claim(
            identity.certificate.fingerprint,
            key,
            request.method or "POST",
            request.path,
            request_digest(request, secret_fields),
        )
        if isinstance(held, HttpResponse):
            logger.info(
                "%s %s: answer of Idempotency-Key given again", request.method, request.path
            )
            return held
        setattr(request, _CLAIM, held)
        return view(request, *args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
