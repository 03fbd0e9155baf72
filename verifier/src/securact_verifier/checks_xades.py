"""XAdES-T seals of the XML members (deposit certificate, data message…), offline.

As the service seals them (enveloped XAdES-BES by signxml, plus a signature timestamp over
the canonicalized ds:SignatureValue): first the timestamp (pyHanko: imprint, TSA chain to
the anchors), then the XAdES signature by signxml with the seal certificate valid at the
timestamp's time, chaining to the anchors; the signature must cover the whole document and
its declared signing time must not follow the timestamp.
"""

from __future__ import annotations

import tempfile
from base64 import b64decode
from datetime import datetime, timedelta
from pathlib import Path

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from lxml import etree
from signxml.exceptions import SignXMLException
from signxml.xades.xades import (
    XAdESSignatureConfiguration,
    XAdESVerifier,
    XAdESVerifyResult,
)

from securact_verifier.bundle import Check, failed, passed
from securact_verifier.timestamps import Stamp, StampError, verify_token
from securact_verifier.trust import Anchors

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS = {"ds": DS, "xades": XADES}
TIMESTAMP_PATH = (
    "ds:Object/xades:QualifyingProperties/xades:UnsignedProperties/"
    "xades:UnsignedSignatureProperties/xades:SignatureTimeStamp"
)
_C14N_OPTIONS = {  # lxml's (exclusive, with_comments) for the methods a stamp may name
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315": (False, False),
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": (False, True),
    "http://www.w3.org/2001/10/xml-exc-c14n#": (True, False),
}
_DEFAULT_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
_CLOCK_SKEW = timedelta(minutes=5)


class SealError(Exception):
    """The seal does not verify; the message (French) says why."""


def _parse(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SealError(f"XML illisible ({exc})") from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise SealError("XML refusé : il contient une DTD")
    return root


def _only(found: list[etree._Element], what: str) -> etree._Element:
    if len(found) != 1:
        raise SealError(f"{len(found)} {what}, exactement un attendu")
    return found[0]


def _stamped_bytes(signature: etree._Element, stamp: etree._Element) -> bytes:
    """The canonicalized ds:SignatureValue element, as the timestamp covers it."""
    method_element = stamp.find("ds:CanonicalizationMethod", NS)
    method = _DEFAULT_C14N if method_element is None else method_element.get("Algorithm", "")
    if method not in _C14N_OPTIONS:
        raise SealError(f"canonicalisation {method!r} non prise en charge")
    exclusive, with_comments = _C14N_OPTIONS[method]
    value = _only(signature.findall("ds:SignatureValue", NS), "ds:SignatureValue")
    c14n: bytes = etree.tostring(
        value, method="c14n", exclusive=exclusive, with_comments=with_comments
    )
    return c14n


def _timestamp(signature: etree._Element, anchors: Anchors) -> Stamp:
    stamp = _only(signature.findall(TIMESTAMP_PATH, NS), "horodatage(s) de signature")
    encapsulated = stamp.find("xades:EncapsulatedTimeStamp", NS)
    if encapsulated is None or not encapsulated.text:
        raise SealError("horodatage de signature vide")
    try:
        token = cms.ContentInfo.load(b64decode(encapsulated.text))
        return verify_token(token, _stamped_bytes(signature, stamp), anchors)
    except StampError as exc:
        raise SealError(f"horodatage du cachet : {exc}") from exc
    except ValueError as exc:
        raise SealError(f"horodatage du cachet illisible ({exc})") from exc


def _signing_time(properties: XAdESVerifyResult) -> datetime:
    element = properties.signed_properties.find("xades:SigningTime", NS)
    try:
        moment = datetime.fromisoformat(element.text or "") if element is not None else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise SealError("heure de signature absente ou illisible")
    return moment


def _signer_name(signature: etree._Element, signature_key: bytes) -> str:
    """The common name of the KeyInfo certificate whose key made the verified signature."""
    for element in signature.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS):
        certificate = x509.load_der_x509_certificate(b64decode(element.text or ""))
        public = certificate.public_key().public_bytes(
            Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
        )
        if public == signature_key:
            names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
            return str(names[0].value) if names else certificate.subject.rfc4514_string()
    raise SealError("certificat du signataire absent du cachet")


def _verify(xml: bytes, anchors: Anchors) -> str:
    root = _parse(xml)
    signature = _only(root.findall("ds:Signature", NS), "cachet(s) ds:Signature")
    stamp = _timestamp(signature, anchors)
    config = XAdESSignatureConfiguration(location="./", verification_time=stamp.time)
    with tempfile.TemporaryDirectory(prefix="securact-verify-") as folder:
        roots = Path(folder) / "roots.pem"
        roots.write_bytes(anchors.roots_pem)
        try:
            results = XAdESVerifier().verify(xml, ca_pem_file=str(roots), expect_config=config)
        except (SignXMLException, etree.DocumentInvalid, x509.verification.VerificationError) as e:
            raise SealError(f"le cachet ne vérifie pas ({e})") from e
    document = results[0]
    if document.signed_xml is None or document.signed_xml.tag != root.tag:
        raise SealError("le cachet ne couvre pas le document entier")
    properties = next((r for r in results if isinstance(r, XAdESVerifyResult)), None)
    if properties is None:
        raise SealError("propriétés XAdES absentes")
    signing_time = _signing_time(properties)
    if signing_time > stamp.time + _CLOCK_SKEW:
        raise SealError("l'heure de signature déclarée suit l'horodatage")
    who = _signer_name(signature, document.signature_key)
    when = stamp.time.strftime("%d/%m/%Y %H:%M:%S %Z")
    return f"cachet XAdES-T valide ({who}), horodaté le {when} par {stamp.tsa}"


def check_xml(name: str, data: bytes, anchors: Anchors) -> Check:
    try:
        return passed(name, _verify(data, anchors))
    except SealError as exc:
        return failed(name, f"cachet XAdES : {exc}")
    except Exception as exc:  # damaged input fails in many ways: all are an ÉCHEC
        return failed(name, f"cachet XAdES illisible ({type(exc).__name__} : {exc})")
