"""The request side of signing: the bailiff's token signs, while the PIN is in memory.

The PIN is passed in, used for one PKCS#11 login, and never stored, logged, queued or put
in an exception message. Tokens hold the key and its certificate under the same CKA_ID;
the key is found through the certificate the bailiff chose, so a token with several
certificates signs with the right one.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import x509
from django.conf import settings
from django.utils.translation import gettext
from pkcs11 import Attribute, Mechanism, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11

from securact.pki.tokens import open_library
from securact.signing.errors import (
    SigningRefused,
    TokenBusy,
    TokenLocked,
    TokenPinIncorrect,
    TokenUnavailable,
)

logger = logging.getLogger(__name__)

# python-pkcs11 calls C_Initialize(NULL): the module may then assume it is never called
# from two threads at once (PKCS#11 §5.4). A login is also per token and per process, so
# two requests of one gthread worker must not interleave sessions. One lock serialises all.
_TOKEN_LOCK = threading.RLock()
# Across processes (gunicorn workers, concurrent ``securact serve``), SoftHSM — a token
# kept in files on this machine — answered CKR_GENERAL_ERROR to 1–2 of 20 concurrent
# signers (issue 10, item 8): each token is also used by one process at a time, through
# an fcntl lock file per token label under the data directory. (A network HSM pool does
# this queueing itself in production; the lock then only costs a file open.)
_HELD: set[str] = set()
# A token error that is neither the PIN nor a missing token is retried this many times.
_BUSY_TRIES = 5
# Logins made by this process (the benchmark reports them per signification).
_LOGINS = [0]

_PIN_REFUSED = (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange)
_TOKEN_GONE = (
    p11.NoSuchToken,
    p11.TokenNotPresent,
    p11.TokenNotRecognised,
    p11.DeviceRemoved,
    p11.SlotIDInvalid,
)


@contextmanager
def _exclusive(label: str) -> Iterator[None]:
    """This token, for this thread of this process only, until the block ends."""
    with _TOKEN_LOCK:
        if label in _HELD:  # re-entered by the same thread: the file lock is ours already
            yield
            return
        folder = Path(settings.DATA_DIR) / "tokens"
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(label.encode()).hexdigest()[:32]
        with (folder / f"{name}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            _HELD.add(label)
            try:
                yield
            finally:
                _HELD.discard(label)


def _token(label: str) -> Any:
    try:
        return open_library().get_token(token_label=label)
    except _TOKEN_GONE as error:
        raise TokenUnavailable(
            gettext("Aucune clé « %(label)s » n'est connectée.") % {"label": label}
        ) from error
    except p11.MultipleTokensReturned as error:
        raise TokenUnavailable(
            gettext("Plusieurs clés portent le nom « %(label)s ».") % {"label": label}
        ) from error


def _final_try(label: str) -> bool:
    try:
        return bool(_token(label).flags & TokenFlag.USER_PIN_FINAL_TRY)
    except SigningRefused:
        return False


@contextmanager
def _logged_in(label: str, pin: str) -> Iterator[Any]:
    token = _token(label)
    if token.flags & TokenFlag.USER_PIN_LOCKED:
        raise TokenLocked()  # do not spend a try on a locked token
    try:
        session = token.open(user_pin=pin)
        _LOGINS[0] += 1
    except _PIN_REFUSED as error:
        logger.info("token %s: PIN refused", label)
        raise TokenPinIncorrect(final_try=_final_try(label)) from error
    except p11.PinLocked as error:
        raise TokenLocked() from error
    except _TOKEN_GONE as error:
        raise TokenUnavailable() from error
    except p11.PKCS11Error as error:
        logger.warning("token %s: login failed: %s", label, type(error).__name__)
        raise TokenBusy() from error
    try:
        with session:
            yield session
    except (SigningRefused, *_PIN_REFUSED, p11.PinLocked, *_TOKEN_GONE):
        raise
    except p11.PKCS11Error as error:  # a search or a close the module could not do
        logger.warning("token %s: session failed: %s", label, type(error).__name__)
        raise TokenBusy() from error


def logins_made() -> int:
    """How many token logins this process has made (under the token lock)."""
    return _LOGINS[0]


def _key_id_of(session: Any, cert: x509.Certificate) -> bytes:
    objects = list(
        session.get_objects(
            {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.VALUE: cert.dump()}
        )
    )
    if not objects:
        raise TokenUnavailable(
            gettext("Le certificat « %(subject)s » n'est pas sur cette clé.")
            % {"subject": cert.subject.human_friendly}
        )
    return bytes(objects[0][Attribute.ID])


def _private_key(session: Any, cert: x509.Certificate) -> Any:
    key_id = _key_id_of(session, cert)
    try:
        return session.get_key(object_class=ObjectClass.PRIVATE_KEY, id=key_id)
    except (p11.NoSuchKey, p11.MultipleObjectsReturned) as error:
        raise TokenUnavailable(
            gettext("La clé privée du certificat est introuvable sur la clé.")
        ) from error


def _always_authenticate(key: Any) -> bool:
    try:
        return bool(key[Attribute.ALWAYS_AUTHENTICATE])
    except p11.PKCS11Error:  # attribute unknown to the module: plain login suffices
        return False


@dataclass
class TokenSigner:
    """A logged-in session bound to the private key of one certificate."""

    _key: Any
    # Only for keys marked CKA_ALWAYS_AUTHENTICATE (common for qualified signature keys on
    # smart cards): each signature then needs the PIN again (context-specific login).
    _pin: str | None = field(default=None, repr=False)

    def sign(self, tbs_list: list[bytes]) -> list[bytes]:
        try:
            return [
                bytes(self._key.sign(tbs, mechanism=Mechanism.SHA256_RSA_PKCS, pin=self._pin))
                for tbs in tbs_list
            ]
        except _PIN_REFUSED as error:
            raise TokenPinIncorrect() from error
        except p11.PinLocked as error:
            raise TokenLocked() from error
        except _TOKEN_GONE as error:
            raise TokenUnavailable() from error
        except p11.PKCS11Error as error:
            logger.warning("token: signature failed: %s", type(error).__name__)
            raise TokenBusy() from error


@contextmanager
def token_signer(token_label: str, pin: str, cert: x509.Certificate) -> Iterator[TokenSigner]:
    """One login for several signatures; keep the block short (it holds the token lock)."""
    with _exclusive(token_label), _logged_in(token_label, pin) as session:
        key = _private_key(session, cert)
        yield TokenSigner(key, pin if _always_authenticate(key) else None)


def sign_with_token(
    token_label: str, pin: str, cert: x509.Certificate, tbs_list: list[bytes]
) -> list[bytes]:
    """Sign each ``tbs`` (DER signed attributes) with CKM_SHA256_RSA_PKCS, in order.

    Raises ``TokenPinIncorrect``, ``TokenLocked`` or ``TokenUnavailable`` (all
    ``SigningRefused``, with a French ``message``); ``TokenBusy`` only after retries.
    """
    for attempt in range(1, _BUSY_TRIES + 1):
        try:
            with token_signer(token_label, pin, cert) as signer:
                return signer.sign(tbs_list)
        except TokenBusy:
            if attempt == _BUSY_TRIES:
                raise
            time.sleep(0.1 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _usable_for_signing(cert: x509.Certificate) -> bool:
    usage = cert.key_usage_value
    if usage is None:
        return True
    return bool({"digital_signature", "non_repudiation"} & set(usage.native))


def list_signing_certificates(token_label: str, pin: str) -> list[x509.Certificate]:
    """Certificates on the token that have their private key beside them and may sign
    (for *Recharger les certificats*)."""
    found = []
    with _exclusive(token_label), _logged_in(token_label, pin) as session:
        # One search at a time per session (PKCS#11): list certificates, then look for keys.
        stored = [
            (bytes(obj[Attribute.ID]), x509.Certificate.load(bytes(obj[Attribute.VALUE])))
            for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
        ]
        for key_id, cert in stored:
            keys = list(
                session.get_objects(
                    {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.ID: key_id}
                )
            )
            if keys and _usable_for_signing(cert):
                found.append(cert)
    return found


@dataclass(frozen=True)
class TokenCertificateChoice:
    """A qualified signing certificate found on a connected token (*Recharger les
    certificats*): read without the PIN, certificates being public objects."""

    token_label: str
    certificate: x509.Certificate

    @property
    def key(self) -> str:
        return f"{self.token_label}:{self.certificate.serial_number:x}"

    @property
    def label(self) -> str:
        name = self.certificate.subject.native.get("common_name", "")
        issuer = self.certificate.issuer.native.get("common_name", "")
        until = self.certificate["tbs_certificate"]["validity"]["not_after"].native
        return f"{name} — {issuer} — {until:%d/%m/%Y} ({self.token_label})"


def signing_certificates_of(subject: x509.Name) -> list[TokenCertificateChoice]:
    """Non-repudiation certificates of this holder (same subject) on every connected token."""
    found: list[TokenCertificateChoice] = []
    with _TOKEN_LOCK:
        for slot in open_library().get_slots(token_present=True):
            token = slot.get_token()
            if not token.flags & TokenFlag.TOKEN_INITIALIZED:
                continue  # an empty slot (SoftHSM always offers one)
            with _exclusive(token.label):
                found += _holder_certificates(token, subject)
    return found


def _holder_certificates(token: Any, subject: x509.Name) -> list[TokenCertificateChoice]:
    try:
        with token.open() as session:
            certificates = [
                x509.Certificate.load(bytes(obj[Attribute.VALUE]))
                for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
            ]
    except p11.PKCS11Error as error:
        logger.warning("token %s: certificates unreadable: %s", token.label, type(error).__name__)
        raise TokenBusy() from error
    return [
        TokenCertificateChoice(token.label, cert)
        for cert in certificates
        if cert.subject == subject
        and "non_repudiation" in (cert.key_usage_value.native if cert.key_usage_value else set())
    ]
