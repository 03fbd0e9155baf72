"""The journal's checkpoint key (issue 12, docs/evidence-log.md §2): an EC P-256 key on the
platform's token (the seal's token and PIN file, label ``SECURACT_JOURNAL_KEY_LABEL``), whose
certificate is ``SECURACT_JOURNAL_CERT``. It signs checkpoints as C2SP signed notes (type
0x02: ECDSA P-256 over SHA-256, DER signature; key ID = SHA-256(SubjectPublicKeyInfo)[:4];
key name = the origin).

The token computes the raw ECDSA signature (``CKM_ECDSA`` over the SHA-256 digest: r ‖ s);
``cryptography`` encodes it in DER and checks it against the certificate before it is used,
so a token key that is not the certified one is refused at once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.conf import settings
from django.utils.translation import gettext as _
from pkcs11 import KeyType, Mechanism

from securact.evidence import seal
from securact.evidence.errors import SealConfigurationError, TokenKeyMissing
from securact_verifier import note


def _missing_key_advice() -> str:
    return _(
        "Clé des points de contrôle du journal absente. Une PKI de démonstration créée "
        "avant les points de contrôle la reçoit avec « securact demo_pki » ; sinon, générez "
        "une clé EC P-256 sur le jeton « %(token)s » (libellé « %(label)s ») et indiquez son "
        "certificat dans SECURACT_JOURNAL_CERT (docs/evidence-log.md)."
    ) % {"token": settings.SECURACT_SEAL_TOKEN_LABEL, "label": settings.SECURACT_JOURNAL_KEY_LABEL}


def journal_certificate_chain() -> list[x509.Certificate]:
    """The checkpoint key's certificate, then its issuing CAs up to (not including) the root."""
    path = Path(settings.SECURACT_JOURNAL_CERT)
    if not path.exists():
        raise SealConfigurationError(
            _("Certificat introuvable : %(path)s.") % {"path": path} + " " + _missing_key_advice()
        )
    try:
        chain = x509.load_pem_x509_certificates(path.read_bytes())
    except ValueError as exc:
        raise SealConfigurationError(
            _("Certificat des points de contrôle du journal illisible : %(path)s") % {"path": path}
        ) from exc
    return seal.completed_chain(chain)


def journal_public_key() -> ec.EllipticCurvePublicKey:
    public = journal_certificate_chain()[0].public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey) or not isinstance(
        public.curve, ec.SECP256R1
    ):
        raise SealConfigurationError(
            _("Le certificat des points de contrôle du journal doit porter une clé EC P-256.")
        )
    return public


def public_key_pem() -> bytes:
    """The checkpoint key's public key, then its certificate and issuing CAs (PEM)."""
    chain = journal_certificate_chain()
    public = journal_public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return public + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)


def key_name() -> str:
    """The note key's name: the checkpoints' origin."""
    return str(settings.SECURACT_JOURNAL_ORIGIN)


def key_id(public: ec.EllipticCurvePublicKey) -> bytes:
    spki = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return note.ecdsa_key_id(spki)


def sign_body(body: str) -> str:
    """The signed note of ``body`` (a checkpoint body): body, blank line, signature line."""
    public = journal_public_key()
    data = body.encode("utf-8")
    spec = seal.TokenKey(KeyType.EC, settings.SECURACT_JOURNAL_KEY_LABEL, None)
    try:
        raw = seal.sign_on_token(
            settings.SECURACT_SEAL_TOKEN_LABEL,
            Path(settings.SECURACT_SEAL_PIN_FILE),
            spec,
            hashlib.sha256(data).digest(),
            Mechanism.ECDSA,
        )
    except TokenKeyMissing as exc:
        raise SealConfigurationError(_missing_key_advice()) from exc
    half = len(raw) // 2
    der = encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
    try:
        public.verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise SealConfigurationError(
            _("La clé « %(label)s » du jeton ne correspond pas au certificat %(path)s.")
            % {"label": spec.label, "path": settings.SECURACT_JOURNAL_CERT}
        ) from exc
    line = note.format_signature_line(key_name(), key_id(public), der)
    return note.signed_note(body, [line])
