"""The CMS container shared by PAdES and CAdES: pyHanko's ``ExternalSigner`` formats the
signed attributes before the token signs, and the SignedData once the signature value is
back. No ASN.1 or cryptography by hand: pyHanko and asn1crypto do all of it.
"""

from __future__ import annotations

from asn1crypto import cms, x509
from django.utils.translation import gettext
from pyhanko.sign.signers.pdf_cms import ExternalSigner
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko_certvalidator.registry import SimpleCertificateStore

from securact.signing.errors import SigningFailed, SigningTransientError
from securact.signing.pending import PendingSignature

DIGEST_ALGORITHM = "sha256"
# What the token computes: PKCS#1 v1.5 over SHA-256 (CKM_SHA256_RSA_PKCS).
RSA_MECHANISM = "sha256_rsa"


def signature_mechanism(cert: x509.Certificate) -> str:
    """The one mechanism the token side implements (RSA, as on the bailiffs' tokens)."""
    if cert.public_key.algorithm != "rsa":
        raise SigningFailed(
            gettext("Type de clé non pris en charge pour la signature : %(algo)s")
            % {"algo": cert.public_key.algorithm}
        )
    return RSA_MECHANISM


def external_signer(
    cert: x509.Certificate, chain: list[x509.Certificate], signature_value: bytes | None = None
) -> ExternalSigner:
    """A signer that performs no cryptography: it embeds ``signature_value`` (or, before
    the token has signed, a zero placeholder of the key's size, for size estimates)."""
    placeholder = (cert.public_key.bit_size + 7) // 8
    return ExternalSigner(
        signing_cert=cert,
        cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),
        signature_value=signature_value if signature_value is not None else placeholder,
    )


def _signed_data(container: cms.ContentInfo) -> cms.SignedData:
    signed_data: cms.SignedData = container["content"]
    return signed_data


async def check_signature_value(pending: PendingSignature, signature_value: bytes) -> None:
    """Refuse a signature value that does not verify with the certificate's public key,
    before spending a timestamp on it (wrong key on the token, truncated value…)."""
    signer = external_signer(pending.certificate, pending.chain_certificates, signature_value)
    container = await signer.async_sign_prescribed_attributes(
        pending.digest_algorithm, signed_attrs=pending.signed_attributes
    )
    signer_info = _signed_data(container)["signer_infos"][0]
    intact, valid = validate_sig_integrity(
        signer_info, pending.certificate, "data", pending.document_digest
    )
    if not (intact and valid):
        raise SigningFailed(
            gettext("La valeur de signature renvoyée par la clé ne correspond pas au certificat.")
        )


async def timestamped_container(
    pending: PendingSignature, signature_value: bytes, timestamper: TimeStamper
) -> cms.ContentInfo:
    """The final SignedData: signed attributes as prepared, the token's signature value,
    and an RFC 3161 signature timestamp over that value (unsigned attribute)."""
    signer = external_signer(pending.certificate, pending.chain_certificates, signature_value)
    try:
        return await signer.async_sign_prescribed_attributes(
            pending.digest_algorithm,
            signed_attrs=pending.signed_attributes,
            timestamper=timestamper,
        )
    except TimestampRequestError as error:
        raise SigningTransientError(gettext("horodatage de la signature")) from error
