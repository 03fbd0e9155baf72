"""SMS transports behind one interface, ``SmsBackend``.

A backend has one method, ``send(to_e164, text) -> str``: it hands one message for one
number to the operator and returns the operator's message id. It raises

* ``SmsTransientError`` when the message may go through later (network error, timeout,
  HTTP 429 or 5xx): the caller retries with backoff;
* ``SmsPermanentError`` when retrying cannot help (invalid number, HTTP 4xx other than 429,
  an answer that breaks the contract below): the caller records the failure.

Both carry a French ``.message`` for the operator's screens and the journal. A backend
never logs or returns the gateway credentials.

HTTP gateway contract (``HttpGatewayBackend``, the shape of the usual French operators' APIs;
an adapter for a real operator implements ``SmsBackend`` and maps its API to the same
outcomes)::

    POST <SECURACT_SMS_GATEWAY_URL>
    Authorization: Bearer <SECURACT_SMS_GATEWAY_TOKEN>
    Content-Type: application/json; charset=utf-8
    Accept: application/json

    {"sender": "SECURACT", "recipients": ["+33612345678"], "text": "…"}

    2xx  {"id": "<operator message id>"}   → sent; the id is returned (string or number)
    429, 5xx, network error, timeout       → SmsTransientError
    other 4xx (and 3xx: redirects are not followed, the token must not travel elsewhere)
                                           → SmsPermanentError; a JSON "message" or "error"
                                             field of the answer is quoted in the reason
    2xx without a usable "id"             → SmsPermanentError (never retried: the operator
                                             may have accepted it, a retry could send twice)

``sender`` is an alphanumeric sender id (at most 11 characters, the GSM limit) or a number;
``recipients`` always holds exactly one E.164 number; ``text`` is GSM-7 and at most 160
characters where possible (see ``gsm7``).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
import uuid
from http.client import HTTPException
from typing import Any, Protocol

import phonenumbers
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from securact.core.errors import Refusal

logger = logging.getLogger(__name__)

BACKEND_NAMES = ("console", "http")
DEFAULT_TIMEOUT = 10.0
MAX_SENDER_CHARACTERS = 11
# An operator's answer is a few bytes of JSON; never read an unbounded body into memory.
MAX_ANSWER_BYTES = 64 * 1024
MAX_DETAIL_CHARACTERS = 200


class SmsError(Refusal):
    """A message could not be handed to the operator; ``message`` says why, in French."""


class SmsTransientError(SmsError):
    """Retry later: the gateway is unreachable, slow, overloaded or rate-limiting."""


class SmsPermanentError(SmsError):
    """Retrying will not help: the number or the request is refused."""


class SmsBackend(Protocol):
    def send(self, to_e164: str, text: str) -> str:
        """Hand one SMS to the operator; return its message id."""
        ...


def check_number(to_e164: str) -> str:
    """The number if it is a valid E.164 number that can receive an SMS."""
    if not to_e164:
        raise SmsPermanentError(_("Aucun numéro de téléphone pour le SMS."))
    try:
        number = phonenumbers.parse(to_e164, None)
    except phonenumbers.NumberParseException as error:
        raise SmsPermanentError(
            _("Numéro de téléphone invalide pour un SMS : « %(number)s ».") % {"number": to_e164}
        ) from error
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number) or formatted != to_e164:
        raise SmsPermanentError(
            _("Numéro de téléphone invalide pour un SMS : « %(number)s ».") % {"number": to_e164}
        )
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise SmsPermanentError(
            _("Le numéro %(number)s est une ligne fixe : il ne reçoit pas de SMS.")
            % {"number": to_e164}
        )
    return to_e164


class ConsoleBackend:
    """Writes the SMS to the log instead of sending it: the demo and development."""

    def send(self, to_e164: str, text: str) -> str:
        check_number(to_e164)
        message_id = f"console-{uuid.uuid4().hex}"
        logger.info("SMS (console) id=%s to=%s text=%r", message_id, to_e164, text)
        return message_id


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would resend the Authorization header to wherever a redirect points.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpGatewayBackend:
    """Posts each SMS as JSON to an operator gateway (see the module's contract)."""

    def __init__(self, url: str, token: str, sender: str, timeout: float = DEFAULT_TIMEOUT):
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(
                _("L'adresse de la passerelle SMS doit commencer par https:// ou http://.")
            )
        if not token:
            raise ImproperlyConfigured(_("Le jeton de la passerelle SMS n'est pas configuré."))
        if not sender or (not sender.startswith("+") and len(sender) > MAX_SENDER_CHARACTERS):
            raise ImproperlyConfigured(
                _("L'émetteur des SMS doit compter de 1 à 11 caractères (ou être un numéro).")
            )
        self.url = url
        self.sender = sender
        self.timeout = timeout
        self._token = token
        self._opener = urllib.request.build_opener(_NoRedirect)

    def __repr__(self) -> str:  # the token stays out of logs and tracebacks
        return f"HttpGatewayBackend(url={self.url!r}, sender={self.sender!r})"

    def send(self, to_e164: str, text: str) -> str:
        check_number(to_e164)
        body = json.dumps({"sender": self.sender, "recipients": [to_e164], "text": text})
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=body.encode("utf-8"),
            method="POST",
            headers={
                "Authorization": f"Bearer {self._token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                answer = response.read(MAX_ANSWER_BYTES)
        except urllib.error.HTTPError as error:
            raise _refusal(error.code, _read_detail(error)) from error
        except (OSError, HTTPException) as error:
            # URLError (refused, DNS), timeouts and dropped connections are all OSError
            # or HTTPException: the gateway may answer later. The raw error is logged; the
            # reason shown to users is French (issue 9, item 6).
            logger.warning("SMS gateway %s unreachable: %s", self.url, _reason(error))
            raise _unreachable(error) from error
        return _message_id(answer)


def _unreachable(error: BaseException) -> SmsTransientError:
    if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
        return SmsTransientError(
            _("La passerelle SMS n'a pas répondu à temps ; nouvel essai plus tard.")
        )
    return SmsTransientError(_("Passerelle SMS injoignable ; nouvel essai plus tard."))


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None) or error
    return str(reason) or type(error).__name__


def _read_detail(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read(MAX_ANSWER_BYTES)
    except (OSError, HTTPException):
        return ""
    try:
        answer = json.loads(raw)
    except ValueError:
        return ""
    if isinstance(answer, dict):
        detail = answer.get("message") or answer.get("error") or ""
        return str(detail)[:MAX_DETAIL_CHARACTERS]
    return ""


def _refusal(status: int, detail: str) -> SmsError:
    suffix = f" : {detail}" if detail else ""
    if status == 429 or status >= 500:
        return SmsTransientError(
            _(
                "La passerelle SMS est indisponible (HTTP %(status)s%(detail)s) ; "
                "nouvel essai plus tard."
            )
            % {"status": status, "detail": suffix}
        )
    return SmsPermanentError(
        _("La passerelle SMS a refusé le message (HTTP %(status)s%(detail)s).")
        % {"status": status, "detail": suffix}
    )


def _message_id(answer: bytes) -> str:
    try:
        payload = json.loads(answer)
    except ValueError:
        payload = None
    message_id = payload.get("id") if isinstance(payload, dict) else None
    if isinstance(message_id, bool) or not isinstance(message_id, str | int) or message_id == "":
        raise SmsPermanentError(
            _("Réponse inattendue de la passerelle SMS : pas d'identifiant de message.")
        )
    return str(message_id)


def validate_sms_settings() -> None:
    """Raise ImproperlyConfigured when the SMS settings cannot work (checked at start)."""
    get_sms_backend()


def get_sms_backend() -> SmsBackend:
    """The backend named by SECURACT_SMS_BACKEND, built from the settings."""
    name = settings.SECURACT_SMS_BACKEND
    if name == "console":
        return ConsoleBackend()
    if name == "http":
        if not settings.SECURACT_SMS_GATEWAY_URL:
            raise ImproperlyConfigured(
                _("SECURACT_SMS_BACKEND=http demande SECURACT_SMS_GATEWAY_URL.")
            )
        return HttpGatewayBackend(
            settings.SECURACT_SMS_GATEWAY_URL,
            settings.SECURACT_SMS_GATEWAY_TOKEN,
            settings.SECURACT_SMS_SENDER,
            float(getattr(settings, "SECURACT_SMS_TIMEOUT", DEFAULT_TIMEOUT)),
        )
    raise ImproperlyConfigured(
        _("SECURACT_SMS_BACKEND vaut « %(name)s » ; valeurs possibles : %(choices)s.")
        % {"name": name, "choices": ", ".join(BACKEND_NAMES)}
    )
