"""A qualified signing certificate given from outside the platform (client-side signing: the
practice's software holds the key and sends its certificate), judged before anything is
recorded: chain to the trust roots, dates, revocation (``services.validate_signing_certificate``,
the same trust material and revocation checks as sign-in), the non-repudiation key usage —
and, in ``signing_certificate_of``, that it is the certificate of this holder (same subject
as the holder's authentication certificate, as ``signing.token.signing_certificates_of``
requires for a certificate found on a token).

Each refusal is one French sentence about the *signing* certificate (the sign-in texts of
``services.REFUSALS`` speak of the authentication certificate).
"""

from __future__ import annotations

from asn1crypto import x509
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from securact.core.errors import Refusal
from securact.pki.certificates import (
    CertificateInfo,
    MalformedCertificate,
    parse_certificate,
    pem_to_der,
)
from securact.pki.services import validate_signing_certificate

SIGNING_REFUSALS = {
    "no_certificate": _("Aucun certificat de signature n'a été fourni."),
    "malformed": _("Le certificat de signature fourni est illisible (DER ou PEM attendu)."),
    "unknown_issuer": _(
        "Le certificat de signature n'a pas été émis par une autorité de certification "
        "reconnue par SECURACT."
    ),
    "expired": _("Le certificat de signature a expiré : il ne peut plus signer d'acte."),
    "not_yet_valid": _("Le certificat de signature n'est pas encore valide."),
    "revoked": _(
        "Le certificat de signature a été révoqué par son autorité de certification : il ne "
        "peut plus signer d'acte."
    ),
    "revocation_unknown": _(
        "L'état de révocation du certificat de signature n'a pas pu être vérifié (service de "
        "l'autorité de certification injoignable) ; réessayez dans quelques minutes."
    ),
    "wrong_usage": _(
        "Ce certificat ne permet pas la signature qualifiée (usage « non-répudiation » "
        "absent) : fournissez le certificat de signature du commissaire de justice, et non "
        "son certificat d'authentification."
    ),
}


class SigningCertificateRefused(Refusal):
    """The signing certificate cannot sign for this holder; ``message`` says why (French)."""


def signing_certificate_of(data: bytes, holder: x509.Name) -> CertificateInfo:
    """The signing certificate in ``data`` (DER or PEM), judged; refused unless it is a
    valid, trusted, unrevoked non-repudiation certificate of ``holder``. Whose it is comes
    first: a certificate of someone else costs no revocation request."""
    if not data:
        raise SigningCertificateRefused(str(SIGNING_REFUSALS["no_certificate"]))
    try:
        info = parse_certificate(pem_to_der(data))
    except MalformedCertificate as error:
        raise SigningCertificateRefused(str(SIGNING_REFUSALS["malformed"])) from error
    if info.certificate.subject != holder:
        raise SigningCertificateRefused(
            gettext(
                "Ce certificat de signature n'appartient pas au commissaire de justice qui "
                "signe (titulaire du certificat : %(holder)s)."
            )
            % {"holder": info.holder or info.certificate.subject.human_friendly}
        )
    verdict = validate_signing_certificate(info.der)
    if verdict.refusal is not None:
        raise SigningCertificateRefused(str(SIGNING_REFUSALS[verdict.refusal]))
    return info
