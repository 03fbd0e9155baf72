"""What ``securact declare`` does: the first-connection declaration (F1.2) from files.

The same checks as a TLS sign-in followed by the web page's confirmation: the certificate
is validated like at sign-in (``validate_client_certificate``: chain, dates, usage,
revocation), the key must prove it belongs to it (``possession.holds_key``), then the one
service call of the web declaration, ``declare_vault``, creates the vault.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.pki.certificates import CertificateInfo, MalformedCertificate, pem_to_der
from securact.pki.services import refusal_text, validate_client_certificate
from securact.vault.possession import KeyUnreadable, holds_key, load_private_key
from securact.vault.services import (
    UNKNOWN_REASONS,
    DeclarationRefused,
    Standing,
    declare_vault,
    identify,
)

logger = logging.getLogger(__name__)


class DeclarationFailed(Refusal):
    """``securact declare`` cannot go on; ``message`` says why, in French."""


@dataclass(frozen=True)
class Declared:
    certificate: CertificateInfo
    already: bool  # the vault was bound to this certificate before this run


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise DeclarationFailed(
            gettext("Fichier introuvable ou illisible : %(path)s.") % {"path": path}
        ) from error


def _certificate(cert_path: Path, key_path: Path) -> CertificateInfo:
    cert_pem, key_pem = _read(cert_path), _read(key_path)
    try:
        der = pem_to_der(cert_pem)
    except MalformedCertificate as error:
        raise DeclarationFailed(refusal_text("malformed")[0]) from error
    try:
        key = load_private_key(key_pem)
    except KeyUnreadable as error:
        raise DeclarationFailed(
            gettext("Clé privée illisible (%(path)s) : un fichier PEM non chiffré est attendu.")
            % {"path": key_path}
        ) from error
    verdict = validate_client_certificate(der)
    if not verdict.accepted or verdict.info is None:
        problem, advice = refusal_text(verdict.refusal or "malformed")
        raise DeclarationFailed(f"{problem} {advice}")
    if not holds_key(der, key):
        raise DeclarationFailed(
            gettext("La clé privée %(path)s ne correspond pas au certificat.") % {"path": key_path}
        )
    return verdict.info


def declare_from_files(cert_path: Path, key_path: Path) -> Declared:
    """Validate, prove possession, then declare; raises ``DeclarationFailed`` (French)."""
    info = _certificate(cert_path, key_path)
    identity = identify(info)
    if identity.standing in (Standing.BAILIFF, Standing.RECIPIENT):
        return Declared(info, already=True)
    if identity.standing is Standing.OPERATOR:
        raise DeclarationFailed(
            gettext("Ce certificat est celui d'un opérateur : il n'a pas de coffre-fort.")
        )
    if identity.standing is Standing.UNKNOWN:
        raise DeclarationFailed(str(UNKNOWN_REASONS[identity.reason]))
    try:
        vault = declare_vault(info)
    except DeclarationRefused as refused:
        raise DeclarationFailed(refused.message) from refused
    logger.info("vault %s declared for %s (command line)", vault.pk, info.fingerprint)
    return Declared(info, already=False)
