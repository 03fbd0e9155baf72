"""The bailiff's signing key on the practice's own PKCS#11 token (issue 13, client-side
signing): the PIN is read from a file and never leaves this process; the platform receives
only signature values.

What is signed is what the API's ``a-signer`` gives: the DER of the CMS signed attributes,
signed with ``CKM_SHA256_RSA_PKCS`` (the token hashes them), exactly what the platform does
with its own token for the web form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import pem, x509
from pkcs11 import Attribute, Mechanism, ObjectClass


class TokenError(Exception):
    """The token could not be used; ``str(error)`` is French."""


@dataclass(frozen=True)
class TokenConfig:
    module: Path
    label: str
    pin_file: Path
    certificate: Path | None = None  # PEM; None: the token's only signing certificate


def read_pin(path: Path) -> str:
    try:
        pin = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise TokenError(f"Fichier du code PIN illisible : {path}") from error
    if not pin:
        raise TokenError(f"Le fichier du code PIN est vide : {path}")
    return pin


class TokenSigner:
    """A logged-in session bound to one certificate's private key."""

    def __init__(self, session: Any, key: Any, certificate: x509.Certificate) -> None:
        self._session = session
        self._key = key
        self.certificate = certificate

    @property
    def certificate_pem(self) -> str:
        armored: bytes = pem.armor("CERTIFICATE", self.certificate.dump())
        return armored.decode("ascii")

    @property
    def holder(self) -> str:
        name: str = self.certificate.subject.native.get("common_name", "")
        return str(name)

    def sign(self, signed_attributes: bytes) -> bytes:
        return bytes(self._key.sign(signed_attributes, mechanism=Mechanism.SHA256_RSA_PKCS))


def _certificates(session: Any) -> list[tuple[bytes, x509.Certificate]]:
    return [
        (bytes(obj[Attribute.ID]), x509.Certificate.load(bytes(obj[Attribute.VALUE])))
        for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
    ]


def _choose(
    stored: list[tuple[bytes, x509.Certificate]], wanted: x509.Certificate | None
) -> tuple[bytes, x509.Certificate]:
    if wanted is not None:
        for key_id, cert in stored:
            if cert.dump() == wanted.dump():
                return key_id, cert
        raise TokenError("Le certificat donné n'est pas sur ce jeton.")
    signing = [
        (key_id, cert)
        for key_id, cert in stored
        if cert.key_usage_value is None
        or {"digital_signature", "non_repudiation"} & set(cert.key_usage_value.native)
    ]
    if len(signing) != 1:
        raise TokenError(
            f"Le jeton porte {len(signing)} certificats de signature : précisez lequel "
            "(--signing-cert)."
        )
    return signing[0]


@contextmanager
def open_signer(config: TokenConfig) -> Iterator[TokenSigner]:
    """One login for the whole run (every signature of every act)."""
    wanted = None
    if config.certificate is not None:
        data = config.certificate.read_bytes()
        der = pem.unarmor(data)[2] if pem.detect(data) else data
        wanted = x509.Certificate.load(der)
    try:
        library = pkcs11.lib(str(config.module))
        token = library.get_token(token_label=config.label)
    except (pkcs11.PKCS11Error, RuntimeError) as error:
        raise TokenError(f"Jeton « {config.label} » introuvable ({config.module}).") from error
    try:
        session = token.open(user_pin=read_pin(config.pin_file))
    except (pkcs11.PinIncorrect, pkcs11.PinInvalid, pkcs11.PinLenRange) as error:
        raise TokenError("Code PIN incorrect pour ce jeton.") from error
    except pkcs11.PinLocked as error:
        raise TokenError("Le jeton est bloqué (trop de codes PIN erronés).") from error
    with session:
        key_id, certificate = _choose(_certificates(session), wanted)
        try:
            key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, id=key_id)
        except (pkcs11.NoSuchKey, pkcs11.MultipleObjectsReturned) as error:
            raise TokenError("La clé privée du certificat est introuvable sur le jeton.") from error
        yield TokenSigner(session, key, certificate)
