"""Client-side signing (issue 13, item 3b; docs/client-side-signing.md): the practice's
software holds the bailiff's key on its own token, the PIN never reaches the platform.

The process is the same as with the platform's token (``workflow.steps.SignStep``): the
worker prepares a round — every act's PAdES signed attributes, later every act's CAdES
ones — and waits. Here the practice's software

1. asks what is to be signed: ``signatures_to_provide`` (for each act of the current
   round: the DER of the CMS signed attributes, their SHA-256, the algorithm);
2. signs each on its token (RSA PKCS#1 v1.5 with SHA-256: ``CKM_SHA256_RSA_PKCS`` over the
   DER, or ``CKM_RSA_PKCS`` over the DigestInfo of the given digest — the same value);
3. posts the values: ``provide_client_signatures``. Each value is verified against the
   signification's signing certificate over the stored signed attributes before anything
   is recorded. **All or nothing per call**: if one value does not verify, none of the call
   is recorded, the refusal names each act at fault, and every act stays waiting. The valid
   values are recorded as the platform's signing session records its own
   (``signing_session.store_signatures``) and the sign step is woken; the worker then
   finishes the round exactly as in the remote mode (signature timestamp, B-LTA validation
   data), and prepares the next.

Refusals (``ClientSigningRefused``, French ``message``) for the API to turn into 4xx:
``UnknownSignification`` (404), ``WrongSigningMode`` (409: the platform signs this one),
``RoundNotReady`` (409: nothing of that kind is prepared yet — ask again later),
``SignatureNotVerified`` (422), and the base class for any other malformed request (422).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import load_der_x509_certificate
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.significations.models import Act, Signification, Step
from securact.significations.signing_session import (
    PendingItem,
    pending_signatures,
    store_signatures,
)
from securact.signing.pending import Kind, PendingSignature

# The one signature algorithm of the pipeline (signing.container.RSA_MECHANISM): RSA
# PKCS#1 v1.5 over SHA-256. EC keys are refused when the signification is created.
ALGORITHM = "sha256WithRSAEncryption"
KINDS: tuple[Kind, ...] = ("pades", "cades")
ROUND: dict[Kind, int] = {"pades": 1, "cades": 2}


class ClientSigningRefused(Refusal):
    """A request of the practice's software that cannot be honoured (French ``message``)."""


class UnknownSignification(ClientSigningRefused):
    pass


class WrongSigningMode(ClientSigningRefused):
    """The platform signs this signification with the bailiff's token (remote mode)."""


class RoundNotReady(ClientSigningRefused):
    """A value for a signature the worker has not prepared yet (or a failed sign step)."""


class SignatureNotVerified(ClientSigningRefused):
    """A value does not verify against the signing certificate; ``acts`` names each
    (act id, kind) at fault."""

    def __init__(self, message: str, acts: list[tuple[int, Kind]]) -> None:
        super().__init__(message, "signatures")
        self.acts = acts


@dataclass(frozen=True)
class ToSign:
    """One signature the practice's software must make."""

    act_id: int
    position: int
    name: str  # the file the practice sent
    kind: Kind
    signed_attributes: bytes  # DER of the CMS SignedAttributes (SET OF, tag 0x31)
    algorithm: str = ALGORITHM

    @property
    def round(self) -> int:
        """1: the PAdES signatures; 2: the CAdES ones."""
        return ROUND[self.kind]

    @property
    def digest(self) -> bytes:
        """SHA-256 of ``signed_attributes``: what ``CKM_RSA_PKCS`` signs, in a DigestInfo."""
        return hashlib.sha256(self.signed_attributes).digest()

    @property
    def signed_attributes_base64(self) -> str:
        return base64.b64encode(self.signed_attributes).decode("ascii")

    @property
    def digest_hex(self) -> str:
        return self.digest.hex()

    @property
    def digest_base64(self) -> str:
        return base64.b64encode(self.digest).decode("ascii")


@dataclass(frozen=True)
class Provided:
    """What a post did: the values recorded now, those that were already recorded (a
    repeated post is harmless), and how many signatures the round still waits for."""

    stored: list[tuple[int, Kind]]
    already: list[tuple[int, Kind]]
    remaining: int


def client_signification(signification_id: int) -> Signification:
    signification = Signification.objects.filter(pk=signification_id).first()
    if signification is None:
        raise UnknownSignification(
            gettext("Signification n° %(id)s introuvable.") % {"id": signification_id}
        )
    if signification.signing_mode != Signification.SigningMode.CLIENT:
        raise WrongSigningMode(
            gettext(
                "La signification n° %(id)s est signée sur la plateforme avec la clé du "
                "commissaire de justice et son code PIN (signature à distance), pas par le "
                "logiciel de l'étude."
            )
            % {"id": signification_id}
        )
    return signification


def signatures_to_provide(signification_id: int) -> list[ToSign]:
    """For the current round, each act's signed attributes to sign (in act order); empty
    while the worker prepares or finishes a round, and once every signature is given."""
    client_signification(signification_id)
    return [
        ToSign(item.act.pk, item.act.position, item.act.original_name, item.kind, item.tbs)
        for item in pending_signatures(signification_id)
    ]


def _act_label(act: Act, kind: Kind) -> str:
    return gettext("l'acte n° %(position)s « %(name)s » (%(kind)s)") % {
        "position": act.position,
        "name": act.original_name,
        "kind": "PAdES" if kind == "pades" else "CAdES",
    }


def _verifies(public_key: rsa.RSAPublicKey, value: bytes, tbs: bytes) -> bool:
    try:
        public_key.verify(value, tbs, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def _public_key(signification: Signification) -> rsa.RSAPublicKey:
    key = load_der_x509_certificate(bytes(signification.signing_certificate)).public_key()
    if not isinstance(key, rsa.RSAPublicKey):  # refused at creation; never recorded
        raise ClientSigningRefused(gettext("Seules les clés RSA sont prises en charge."))
    return key


def _item(act: Act, kind: Kind) -> tuple[PendingItem, bool]:
    """The act's prepared signature of this kind, and whether a value is recorded already."""
    pending = act.pades_pending if kind == "pades" else act.cades_pending
    if not pending:
        raise RoundNotReady(
            gettext(
                "La signature de %(act)s n'est pas encore préparée : demandez d'abord ce qui "
                "est à signer, et réessayez quand elle y figure."
            )
            % {"act": _act_label(act, kind)}
        )
    signed = (act.pades_signature if kind == "pades" else act.cades_signature) is not None
    return PendingItem(act, kind, PendingSignature.from_json(pending).tbs), signed


def _check_step(signification: Signification) -> None:
    step = Step.objects.get(signification=signification, name=Step.Name.SIGN)
    if step.state == Step.State.FAILED:
        raise RoundNotReady(
            gettext(
                "L'étape de signature de cette signification est en échec (%(error)s) : "
                "relancez-la avant d'envoyer des signatures."
            )
            % {"error": step.error or "-"}
        )


def provide_client_signatures(
    signification_id: int, values: Mapping[tuple[int, str], bytes]
) -> Provided:
    """Verify and record signature values, keyed by (act id, "pades" | "cades"): all of
    them, or none if any is refused (see the module's docstring)."""
    signification = client_signification(signification_id)
    if not values:
        raise ClientSigningRefused(gettext("Aucune valeur de signature n'a été envoyée."))
    _check_step(signification)
    acts = {act.pk: act for act in signification.acts.all()}
    public_key = _public_key(signification)
    to_store: list[tuple[PendingItem, bytes]] = []
    already: list[tuple[int, Kind]] = []
    failed: list[tuple[Act, Kind]] = []
    for (act_id, kind_name), value in values.items():
        kind = _kind(kind_name)
        act = acts.get(act_id)
        if act is None:
            raise ClientSigningRefused(
                gettext("L'acte n° %(id)s n'appartient pas à cette signification.")
                % {"id": act_id},
                "signatures",
            )
        item, signed = _item(act, kind)
        if not _verifies(public_key, bytes(value), item.tbs):
            failed.append((act, kind))
        elif signed:
            already.append((act.pk, kind))
        else:
            to_store.append((item, bytes(value)))
    if failed:
        raise _not_verified(failed)
    stored = store_signatures(signification_id, to_store) if to_store else set()
    # A value another post recorded between our read and our write: already there.
    already += [
        (item.act.pk, item.kind) for item, _v in to_store if (item.act.pk, item.kind) not in stored
    ]
    return Provided(
        stored=sorted(stored),
        already=sorted(already),
        remaining=len(pending_signatures(signification_id)),
    )


def _kind(name: str) -> Kind:
    for kind in KINDS:
        if name == kind:
            return kind
    raise ClientSigningRefused(
        gettext("Type de signature inconnu : « %(kind)s » (attendu : pades ou cades).")
        % {"kind": name},
        "signatures",
    )


def _not_verified(failed: list[tuple[Act, Kind]]) -> SignatureNotVerified:
    names = ", ".join(_act_label(act, kind) for act, kind in failed)
    return SignatureNotVerified(
        gettext(
            "Valeur de signature refusée pour %(acts)s : elle ne se vérifie pas avec le "
            "certificat de signature de la signification (RSA PKCS#1 v1.5, SHA-256, sur les "
            "attributs signés fournis). Rien n'a été enregistré ; les actes restent en "
            "attente de signature."
        )
        % {"acts": names},
        [(act.pk, kind) for act, kind in failed],
    )
