"""The platform's XML seal: enveloped XAdES-BES by signxml, made XAdES-T with a signature
timestamp, and its verification.

Structure added to the document's root element (ETSI EN 319 132-1 / TS 101 903 v1.3.2):

    ds:Signature Id=…
      ds:SignedInfo            inclusive C14N 1.0, RSA-SHA256; three references, SHA-256:
                               the whole document (URI="", enveloped-signature transform),
                               xades:SignedProperties, ds:KeyInfo
      ds:SignatureValue
      ds:KeyInfo               the seal certificate and its issuing CA (X509Data)
      ds:Object/xades:QualifyingProperties Target=#<signature Id>
        xades:SignedProperties       SigningTime, SigningCertificateV2, DataObjectFormat
        xades:UnsignedProperties/xades:UnsignedSignatureProperties/xades:SignatureTimeStamp
          ds:CanonicalizationMethod  inclusive C14N 1.0
          xades:EncapsulatedTimeStamp  base64 DER RFC 3161 TimeStampToken whose message
                                       imprint is SHA-256(C14N(ds:SignatureValue element))

signxml does not write XAdES-T, so the timestamp property is added here, after signing: it
is an *unsigned* property, outside every signed reference, as the standard wants.
"""

from __future__ import annotations

import asyncio
import hashlib
from base64 import b64decode, b64encode
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.utils.translation import gettext as _
from lxml import etree
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko_certvalidator import ValidationContext
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.exceptions import SignXMLException
from signxml.verifier import VerifyResult
from signxml.xades.xades import (
    XAdESDataObjectFormat,
    XAdESSignatureConfiguration,
    XAdESSigner,
    XAdESVerifier,
    XAdESVerifyResult,
)

from securact.evidence.errors import SealTransientError, SealVerificationError
from securact.evidence.seal import platform_seal_key, seal_certificate_chain

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS = {"ds": DS, "xades": XADES}
# Inclusive: exclusive C14N breaks signxml's own XAdES verification (STACK-NOTES).
C14N = CanonicalizationMethod.CANONICAL_XML_1_0
TIMESTAMP_PATH = (
    "ds:Object/xades:QualifyingProperties/xades:UnsignedProperties/"
    "xades:UnsignedSignatureProperties/xades:SignatureTimeStamp"
)
_C14N_OPTIONS = {  # lxml's (exclusive, with_comments) for the methods a stamp may name
    CanonicalizationMethod.CANONICAL_XML_1_0.value: (False, False),
    CanonicalizationMethod.CANONICAL_XML_1_0_WITH_COMMENTS.value: (False, True),
    CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0.value: (True, False),
}
_IMPRINT_HASHES = {"sha256", "sha384", "sha512"}
# The claimed signing time may run ahead of the TSA's clock by this much, no more.
_CLOCK_SKEW = timedelta(minutes=5)
T = TypeVar("T")


@dataclass(frozen=True)
class VerifiedSeal:
    """What a verified seal proves: who sealed which content, and when at the latest."""

    document: bytes  # the signed content (signature removed), as signxml verified it
    signer_subject: str
    signer_sha256: str
    signing_time: datetime  # claimed by the signer (signed property)
    timestamp_time: datetime  # attested by the TSA: the seal existed then
    tsa_subject: str


def _parse(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SealVerificationError(
            _("Document XML illisible : %(error)s") % {"error": exc}
        ) from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise SealVerificationError(_("Document XML refusé : il contient une DTD."))
    return root


def signature_value_c14n(signature: etree._Element, method: str = C14N.value) -> bytes:
    """The ds:SignatureValue element canonicalized in its document context (XAdES-T)."""
    if method not in _C14N_OPTIONS:
        raise SealVerificationError(
            _("Méthode de canonicalisation non prise en charge : %(method)s") % {"method": method}
        )
    exclusive, with_comments = _C14N_OPTIONS[method]
    value = signature.find("ds:SignatureValue", NS)
    if value is None:
        raise SealVerificationError(_("Signature sans valeur (ds:SignatureValue)."))
    c14n: bytes = etree.tostring(
        value, method="c14n", exclusive=exclusive, with_comments=with_comments
    )
    return c14n


def seal_xml(
    xml: bytes,
    *,
    timestamper: TimeStamper,
    key: rsa.RSAPrivateKey | None = None,
    chain: list[x509.Certificate] | None = None,
) -> bytes:
    """Seal ``xml`` as enveloped XAdES-T with the platform seal (or ``key``/``chain``)."""
    signer = XAdESSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=C14N,
        data_object_format=XAdESDataObjectFormat(
            Description="Document scellé par la plateforme Securact", MimeType="text/xml"
        ),
    )
    root = _parse(xml)
    _signature_slot(root)
    signed_root = signer.sign(
        root,
        key=key or platform_seal_key(),
        cert=chain or seal_certificate_chain(),
        always_add_key_value=False,  # the certificate says it; a KeyValue would be ambiguous
    )
    signature = _the_signature(signed_root)
    token = request_timestamp(signature_value_c14n(signature), timestamper)
    _add_signature_timestamp(signature, token)
    sealed: bytes = etree.tostring(signed_root, xml_declaration=True, encoding="UTF-8")
    return sealed


def _signature_slot(root: etree._Element) -> None:
    """Where signxml puts the signature: last, indented like the other children, so the
    sealed file stays readable (whitespace around it is part of what is signed)."""
    placeholder = etree.SubElement(
        root, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS, "xades": XADES}
    )
    if len(root) > 1 and root.text is not None and root.text.isspace():
        root[-2].tail, placeholder.tail = root.text, "\n"


def request_timestamp(data: bytes, timestamper: TimeStamper) -> bytes:
    """An RFC 3161 token (DER) over SHA-256(data); SealTransientError when the TSA fails."""
    return timestamp_digest(hashlib.sha256(data).digest(), timestamper)


def timestamp_digest(digest: bytes, timestamper: TimeStamper) -> bytes:
    """An RFC 3161 token (DER) whose message imprint is ``digest`` (a SHA-256 already
    computed, e.g. a vault file's); SealTransientError when the TSA fails."""
    if len(digest) != hashlib.sha256().digest_size:
        raise ValueError("a SHA-256 digest is 32 bytes")
    try:
        token = _run_apart(timestamper.async_timestamp(digest, "sha256"))
    except (TimestampRequestError, OSError, TimeoutError) as exc:
        raise SealTransientError(
            _(
                "Horodatage impossible : le service d'horodatage ne répond pas ou refuse "
                "la demande. Nouvel essai plus tard."
            )
        ) from exc
    return bytes(token.dump())


def _run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` to its end from synchronous code, even where this thread already
    runs an event loop (a test driving a browser): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _add_signature_timestamp(signature: etree._Element, token: bytes) -> None:
    qualifying = signature.find("ds:Object/xades:QualifyingProperties", NS)
    if qualifying is None:  # XAdESSigner always writes it
        raise RuntimeError("signxml wrote no xades:QualifyingProperties")
    unsigned = etree.SubElement(qualifying, f"{{{XADES}}}UnsignedProperties")
    properties = etree.SubElement(unsigned, f"{{{XADES}}}UnsignedSignatureProperties")
    stamp = etree.SubElement(
        properties,
        f"{{{XADES}}}SignatureTimeStamp",
        Id=f"{signature.get('Id')}-SignatureTimeStamp",
    )
    etree.SubElement(stamp, f"{{{DS}}}CanonicalizationMethod", Algorithm=C14N.value)
    etree.SubElement(stamp, f"{{{XADES}}}EncapsulatedTimeStamp").text = b64encode(token).decode()


def signature_timestamp_token(xml: bytes) -> bytes:
    """The DER TimeStampToken of a sealed document (for ``openssl ts -verify``)."""
    signature = _the_signature(_parse(xml))
    return _encapsulated_token(_stamp_element(signature))


def _the_signature(root: etree._Element) -> etree._Element:
    signatures = root.findall("ds:Signature", NS)
    if len(signatures) != 1:
        raise SealVerificationError(_("Le document doit porter exactement un cachet."))
    return signatures[0]


def _stamp_element(signature: etree._Element) -> etree._Element:
    stamps = signature.findall(TIMESTAMP_PATH, NS)
    if len(stamps) != 1:
        raise SealVerificationError(_("Le cachet doit porter exactement un horodatage."))
    return stamps[0]


def _encapsulated_token(stamp: etree._Element) -> bytes:
    encapsulated = stamp.find("xades:EncapsulatedTimeStamp", NS)
    if encapsulated is None or not encapsulated.text:
        raise SealVerificationError(_("Horodatage du cachet vide."))
    return b64decode(encapsulated.text)


def _load_roots(roots_pem: Path) -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(der)
        for _kind, _headers, der in pem.unarmor(roots_pem.read_bytes(), multiple=True)
    ]


@dataclass(frozen=True)
class _Stamp:
    time: datetime
    tsa_subject: str


def _verify_timestamp(signature: etree._Element, roots_pem: Path) -> _Stamp:
    """The signature timestamp is signed by a TSA chaining to the roots, over this value."""
    stamp = _stamp_element(signature)
    method = stamp.find("ds:CanonicalizationMethod", NS)
    stamped = signature_value_c14n(
        signature, C14N.value if method is None else method.get("Algorithm", "")
    )
    try:
        token = cms.ContentInfo.load(_encapsulated_token(stamp))
        signed_data = token["content"]
        status = asyncio.run(
            validate_tst_signed_data(
                signed_data,
                ValidationContext(trust_roots=_load_roots(roots_pem), allow_fetching=False),
                lambda algorithm: _imprint(algorithm, stamped),
            )
        )
    except (ValueError, TypeError, KeyError) as exc:
        raise SealVerificationError(_("Horodatage du cachet illisible.")) from exc
    if not (status["intact"] and status["valid"]):
        raise SealVerificationError(
            _("L'horodatage ne correspond pas à la signature du cachet (document modifié ?).")
        )
    if status["trust_problem_indic"] is not None:
        raise SealVerificationError(_("L'horodatage n'émane pas d'une autorité de confiance."))
    return _Stamp(status["timestamp"], status["signing_cert"].subject.human_friendly)


def _imprint(algorithm: str, data: bytes) -> bytes:
    if algorithm not in _IMPRINT_HASHES:
        raise ValueError(f"timestamp imprint with {algorithm} refused")
    return hashlib.new(algorithm, data).digest()


def verify_sealed_xml(xml: bytes, roots_pem: Path | str) -> VerifiedSeal:
    """Check the seal of ``xml`` against the trust anchors in ``roots_pem`` (a PEM file):
    the signature timestamp first, then the XAdES signature with the seal certificate
    valid at the timestamp's time. Raises SealVerificationError (French) on any failure."""
    roots = Path(roots_pem)
    signature = _the_signature(_parse(xml))
    stamp = _verify_timestamp(signature, roots)
    config = XAdESSignatureConfiguration(location="./", verification_time=stamp.time)
    try:
        results = XAdESVerifier().verify(xml, ca_pem_file=str(roots), expect_config=config)
    except (SignXMLException, etree.DocumentInvalid, x509.verification.VerificationError) as exc:
        raise SealVerificationError(
            _("Le cachet ne vérifie pas (document modifié ou signataire non reconnu) : %(error)s")
            % {"error": exc}
        ) from exc
    return _verified(signature, results, stamp)


def _verified(
    signature: etree._Element, results: list[VerifyResult], stamp: _Stamp
) -> VerifiedSeal:
    document = results[0]
    # See what is signed: the first reference must be the whole document, not a part of it.
    parent = signature.getparent()
    if document.signed_xml is None or parent is None or document.signed_xml.tag != parent.tag:
        raise SealVerificationError(_("Le cachet ne couvre pas le document entier."))
    properties = next(r for r in results if isinstance(r, XAdESVerifyResult))
    signing_time = _signing_time(properties)
    if signing_time > stamp.time + _CLOCK_SKEW:
        raise SealVerificationError(_("L'heure de signature déclarée suit l'horodatage."))
    signer = _signer_certificate(signature, properties.signature_key)
    return VerifiedSeal(
        document=etree.tostring(document.signed_xml, encoding="UTF-8"),
        signer_subject=signer.subject.rfc4514_string(),
        signer_sha256=signer.fingerprint(hashes.SHA256()).hex(),
        signing_time=signing_time,
        timestamp_time=stamp.time,
        tsa_subject=stamp.tsa_subject,
    )


def _signing_time(properties: XAdESVerifyResult) -> datetime:
    element = properties.signed_properties.find("xades:SigningTime", NS)
    if element is None or not element.text:
        raise SealVerificationError(_("Le cachet ne déclare pas son heure de signature."))
    try:
        moment = datetime.fromisoformat(element.text)
    except ValueError as exc:
        raise SealVerificationError(_("Heure de signature illisible.")) from exc
    if moment.tzinfo is None:
        raise SealVerificationError(_("Heure de signature sans fuseau horaire."))
    return moment


def _signer_certificate(signature: etree._Element, signature_key: object) -> x509.Certificate:
    """The KeyInfo certificate whose key made the verified signature."""
    for element in signature.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS):
        cert = x509.load_der_x509_certificate(b64decode(element.text or ""))
        public = cert.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        if public == signature_key:
            return cert
    raise SealVerificationError(_("Certificat du signataire absent du cachet."))
