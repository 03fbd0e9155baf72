"""The platform's seal: its key on a PKCS#11 token, its certificate chain, its timestamper.

signxml signs with a ``cryptography`` private key object. :class:`TokenRSAPrivateKey` is
one whose ``sign()`` asks the token (``SHA256_RSA_PKCS``), so the key never leaves it.
One session per process and key is opened on first use and reused: opening and logging in
costs more than a signature. A forked child opens its own (PKCS#11 sessions do not survive
fork). The journal's checkpoint key (:mod:`securact.evidence.journal_signer`), on the same
token, signs through :func:`sign_on_token` too.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, cast

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding as asym_padding
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.utils.translation import gettext as _
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11.types import SignMixin
from pyhanko.sign.timestamps import HTTPTimeStamper

from securact.evidence.errors import SealConfigurationError, TokenKeyMissing
from securact.pki import tokens

SEAL_KEY_LABEL = tokens.SIGNING_KEY_LABEL
SEAL_KEY_ID = tokens.SIGNING_KEY_ID


@dataclass(frozen=True)
class TokenKey:
    """Which private key of the token: its type, label and CKA_ID (None: any)."""

    key_type: KeyType
    label: str
    key_id: bytes | None


SEAL_KEY = TokenKey(KeyType.RSA, SEAL_KEY_LABEL, SEAL_KEY_ID)

# A session the token dropped (token re-inserted, HSM restarted): open a new one once.
_STALE_SESSION = (
    pkcs11.SessionHandleInvalid,
    pkcs11.SessionClosed,
    pkcs11.DeviceRemoved,
    pkcs11.TokenNotPresent,
    pkcs11.UserNotLoggedIn,
)


@dataclass
class _OpenSession:
    pid: int
    session: Any  # pkcs11.Session (untyped C extension object)
    key: SignMixin


_sessions: dict[tuple[str, str, str, bytes | None], _OpenSession] = {}
# PKCS#11 sessions are not to be used by two threads at once.
_token_lock = threading.Lock()


def read_pin(pin_file: Path) -> str:
    """The PIN from its file, which only its owner may read (mode 0600 or stricter)."""
    try:
        mode = pin_file.stat().st_mode
    except FileNotFoundError as exc:
        raise SealConfigurationError(
            _("Le fichier du code PIN du cachet est introuvable : %(path)s") % {"path": pin_file}
        ) from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SealConfigurationError(
            _("Le fichier du code PIN du cachet doit être en mode 0600 : %(path)s")
            % {"path": pin_file}
        )
    return pin_file.read_text(encoding="utf-8").strip()


def _open_session(token_label: str, pin_file: Path, spec: TokenKey) -> _OpenSession:
    try:
        token = tokens.open_library().get_token(token_label=token_label)
        session = _logged_in_session(token, read_pin(pin_file))
        key = _key_of(session, spec)
    except (pkcs11.PinIncorrect, pkcs11.PinLocked, pkcs11.PinExpired) as exc:
        raise SealConfigurationError(
            _("Le code PIN du jeton du cachet est refusé (jeton « %(label)s »).")
            % {"label": token_label}
        ) from exc
    except pkcs11.NoSuchKey as exc:
        raise TokenKeyMissing(
            _("Clé du cachet introuvable sur le jeton « %(label)s ».") % {"label": token_label}
        ) from exc
    except (pkcs11.NoSuchToken, pkcs11.MultipleObjectsReturned) as exc:
        raise SealConfigurationError(
            _("Clé du cachet introuvable sur le jeton « %(label)s ».") % {"label": token_label}
        ) from exc
    return _OpenSession(os.getpid(), session, cast(SignMixin, key))


def _key_of(session: Any, spec: TokenKey) -> Any:
    """``spec``'s key; a session that does not find it is closed (else it would keep this
    process logged in to the token, and a later wrong PIN would go unnoticed)."""
    try:
        return session.get_key(
            object_class=ObjectClass.PRIVATE_KEY,
            key_type=spec.key_type,
            label=spec.label,
            id=spec.key_id,
        )
    except pkcs11.PKCS11Error:
        with contextlib.suppress(pkcs11.PKCS11Error):
            session.close()
        raise


def _logged_in_session(token: Any, pin: str) -> Any:
    try:
        return token.open(user_pin=pin)
    except pkcs11.UserAlreadyLoggedIn:
        # PKCS#11 logs in a whole process, not a session: another session of this process
        # is logged in to the token, so a new session shares that login.
        return token.open()


def _session(
    token_label: str, pin_file: Path, *, renew: bool = False, spec: TokenKey = SEAL_KEY
) -> _OpenSession:
    """This process's session on the seal token for ``spec``'s key (call with
    ``_token_lock`` held)."""
    cache_key = (token_label, str(pin_file), spec.label, spec.key_id)
    current = _sessions.get(cache_key)
    if current is not None and current.pid == os.getpid() and not renew:
        return current
    if current is not None and current.pid == os.getpid():
        _close(current)
    current = _sessions[cache_key] = _open_session(token_label, pin_file, spec)
    return current


def sign_on_token(
    token_label: str, pin_file: Path, spec: TokenKey, data: bytes, mechanism: Mechanism
) -> bytes:
    """Sign ``data`` with ``spec``'s key of the token (its session opened once, opened
    again once if the token dropped it)."""
    with _token_lock:
        try:
            key = _session(token_label, pin_file, spec=spec).key
            return bytes(key.sign(data, mechanism=mechanism))
        except _STALE_SESSION:
            key = _session(token_label, pin_file, renew=True, spec=spec).key
            return bytes(key.sign(data, mechanism=mechanism))


def _close(opened: _OpenSession) -> None:
    with contextlib.suppress(pkcs11.PKCS11Error):  # already gone with the token
        opened.session.close()


def close_sessions() -> None:
    """Close this process's seal sessions (logging out), e.g. after the PIN changed."""
    with _token_lock:
        for opened in _sessions.values():
            if opened.pid == os.getpid():  # a parent's handles mean nothing after fork
                _close(opened)
        _sessions.clear()


class TokenRSAPrivateKey(rsa.RSAPrivateKey):
    """The seal key as ``cryptography`` sees a private key: it can sign and show its public
    half, and nothing else: the private numbers stay on the token."""

    def __init__(self, token_label: str, pin_file: Path, public: rsa.RSAPublicKey) -> None:
        self._token_label = token_label
        self._pin_file = pin_file
        self._public = public

    def sign(
        self,
        data: bytes,
        padding: asym_padding.AsymmetricPadding,
        algorithm: object,  # cryptography's union of hash kinds; only SHA256() is accepted
    ) -> bytes:
        if not isinstance(padding, asym_padding.PKCS1v15) or not isinstance(
            algorithm, hashes.SHA256
        ):
            raise ValueError("the seal token signs RSA PKCS#1 v1.5 with SHA-256 only")
        return sign_on_token(
            self._token_label, self._pin_file, SEAL_KEY, data, Mechanism.SHA256_RSA_PKCS
        )

    def public_key(self) -> rsa.RSAPublicKey:
        return self._public

    @property
    def key_size(self) -> int:
        return self._public.key_size

    def check_matches_certificate(self) -> None:
        """Refuse a token whose key is not the one the seal certificate certifies."""
        with _token_lock:
            key = _session(self._token_label, self._pin_file).key
            modulus = int.from_bytes(bytes(key[Attribute.MODULUS]), "big")
        if modulus != self._public.public_numbers().n:
            raise SealConfigurationError(
                _("La clé du jeton « %(label)s » ne correspond pas au certificat du cachet.")
                % {"label": self._token_label}
            )

    def decrypt(self, ciphertext: bytes, padding: asym_padding.AsymmetricPadding) -> NoReturn:
        raise TypeError("the seal key only signs")

    def private_numbers(self) -> NoReturn:
        raise TypeError("the seal key never leaves its token")

    def private_bytes(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("the seal key never leaves its token")

    def __copy__(self) -> TokenRSAPrivateKey:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> TokenRSAPrivateKey:
        return self


def seal_certificate_chain() -> list[x509.Certificate]:
    """The seal certificate, then its issuing CAs up to (not including) the root.

    ``SECURACT_SEAL_CERT`` may hold the whole chain; missing issuers are looked up in
    ``SECURACT_TRUST_INTERMEDIATES`` so a verifier needs only the root.
    """
    try:
        chain = x509.load_pem_x509_certificates(Path(settings.SECURACT_SEAL_CERT).read_bytes())
    except (OSError, ValueError) as exc:
        raise SealConfigurationError(
            _("Certificat du cachet illisible : %(path)s") % {"path": settings.SECURACT_SEAL_CERT}
        ) from exc
    return completed_chain(chain)


def completed_chain(chain: list[x509.Certificate]) -> list[x509.Certificate]:
    """``chain``'s first certificate, then its issuing CAs up to (not including) the root,
    taken from ``chain`` and ``SECURACT_TRUST_INTERMEDIATES``."""
    intermediates_file = Path(settings.SECURACT_TRUST_INTERMEDIATES)
    known = chain + (
        x509.load_pem_x509_certificates(intermediates_file.read_bytes())
        if intermediates_file.exists()
        else []
    )
    ordered = [chain[0]]
    while ordered[-1].issuer != ordered[-1].subject:
        issuer = next((c for c in known if c.subject == ordered[-1].issuer), None)
        if issuer is None or issuer.issuer == issuer.subject or issuer in ordered:
            break
        ordered.append(issuer)
    return ordered


def platform_seal_key() -> TokenRSAPrivateKey:
    """The seal key on the token named by ``SECURACT_SEAL_TOKEN_LABEL``."""
    public = seal_certificate_chain()[0].public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise SealConfigurationError(_("Le certificat du cachet doit porter une clé RSA."))
    key = TokenRSAPrivateKey(
        settings.SECURACT_SEAL_TOKEN_LABEL, Path(settings.SECURACT_SEAL_PIN_FILE), public
    )
    key.check_matches_certificate()
    return key


@cache
def _timestamper(url: str) -> HTTPTimeStamper:
    return HTTPTimeStamper(url, timeout=10)


def platform_timestamper() -> HTTPTimeStamper:
    """The RFC 3161 client for ``SECURACT_TSA_URL`` (one per URL and process)."""
    return _timestamper(settings.SECURACT_TSA_URL)
