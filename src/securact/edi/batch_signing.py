"""The signers of a batch: one per bailiff and signing certificate, asked of the caller's
``signer_factory`` once (``remote_signers(pin)`` or ``client_side_signers``).

Both signing modes plug in through ``workflow.serving``'s signer interface (``check_pin``,
``sign``, ``token_label``, ``certificate``):

* *remote*: ``serving.Signer`` (the bailiff's token on the platform, the PIN in the memory
  of the request that received it). The batch records every item first, then answers the
  workers' signing requests of all the significations it created, several sessions at a
  time (``SECURACT_EDI_SIGNING_SESSIONS``), within the request, for at most
  ``SECURACT_EDI_SIGNING_SECONDS``: the PIN never leaves the request. What is not signed
  by then waits at *sign* (the item says *awaiting_signature*) and is resumed by
  re-submitting the batch with the PIN.
* *client-side*: the practice software signs with its own token; its signer's ``sign``
  returns at once (the signature values come later, through their own service).

A bailiff's PIN is tried on the token once per batch: a wrong one refuses each of his items
without another try (the token would lock after a few).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from asn1crypto import x509
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext

from securact.core.errors import Refusal
from securact.directory.models import Bailiff
from securact.pki.certificates import MalformedCertificate, pem_to_der
from securact.significations.services import ServiceRefused
from securact.signing.errors import SigningRefused
from securact.signing.token import signing_certificates_of
from securact.vault.models import Vault
from securact.workflow import serving

logger = logging.getLogger(__name__)

AnySigner = serving.Signer | serving.ClientSideSigner
# The signer of an item: its bailiff, and the signing certificate the item names (PEM or
# DER, or None: the bailiff's one).
SignerFactory = Callable[[Bailiff, bytes | None], AnySigner]


class BatchSigner(serving.Signer):
    """A signer for the whole batch: its PIN checked once, its signing deferred until
    every item of the batch is recorded (``pending``)."""

    def __init__(self, inner: AnySigner) -> None:  # no PIN of its own: ``inner``'s
        self.inner = inner
        self.token_label = inner.token_label
        self.certificate = inner.certificate
        self.signing_mode = inner.signing_mode
        self._checked = False
        self._refusal: SigningRefused | None = None
        self.pending: list[int] = []

    def __repr__(self) -> str:
        return f"BatchSigner({self.inner!r})"

    def check_pin(self) -> None:
        if self._refusal is not None:
            raise self._refusal
        if not self._checked:
            try:
                self.inner.check_pin()
            except SigningRefused as refused:
                self._refusal = refused
                raise
            self._checked = True

    def sign(self, signification_id: int, timeout: float) -> None:
        self.pending.append(signification_id)

    @property
    def checked(self) -> bool:
        return self._checked


@dataclass
class Signers:
    """The batch's signers by bailiff and certificate; a factory's refusal is kept too."""

    factory: SignerFactory
    _signers: dict[tuple[int, bytes], BatchSigner] = field(default_factory=dict)
    _refusals: dict[tuple[int, bytes], Refusal] = field(default_factory=dict)

    def of(self, bailiff: Bailiff, certificate: bytes | None = None) -> BatchSigner:
        """The signer of ``bailiff`` with ``certificate``, its PIN checked; raises the
        French refusal otherwise."""
        key = (bailiff.pk, certificate or b"")
        if key in self._refusals:
            raise self._refusals[key]
        signer = self._signers.get(key)
        if signer is None:
            try:
                signer = BatchSigner(self.factory(bailiff, certificate))
            except Refusal as refused:
                self._refusals[key] = refused
                raise
            self._signers[key] = signer
        signer.check_pin()
        return signer

    def sign_pending(self, also: dict[int, BatchSigner], budget: float) -> dict[int, str]:
        """Run the deferred signing of the significations created now, and of ``also``
        (signification id → its signer: earlier items still waiting for their signature),
        ``SECURACT_EDI_SIGNING_SESSIONS`` at a time, until all are signed or ``budget``
        seconds have passed. Returns the token's refusal by signification id."""
        jobs: list[tuple[AnySigner, int]] = []
        for signer in self._signers.values():
            jobs.extend((signer.inner, pk) for pk in signer.pending)
            signer.pending = []
        jobs.extend((signer.inner, pk) for pk, signer in also.items() if signer.checked)
        if not jobs:
            return {}
        deadline = time.monotonic() + budget
        refusals: dict[int, str] = {}
        sessions = max(1, int(settings.SECURACT_EDI_SIGNING_SESSIONS))
        with ThreadPoolExecutor(max_workers=min(sessions, len(jobs))) as pool:
            for pk, message in pool.map(lambda job: _sign_one(job[0], job[1], deadline), jobs):
                if message:
                    refusals[pk] = message
        return refusals


def client_side_signers(bailiff: Bailiff, certificate: bytes | None) -> AnySigner:
    """Client-side signing: the practice's software signs with the bailiff's certificate it
    names (checked: a valid qualified signing certificate of that bailiff)."""
    if not certificate:
        raise ServiceRefused(
            gettext("Indiquez le certificat de signature du commissaire de justice."),
            "signing_certificate",
        )
    return serving.ClientSideSigner.for_bailiff(bailiff, certificate)


def remote_signers(pin: str) -> SignerFactory:
    """Remote signing with ``pin`` (kept in this closure, in the request's memory only): the
    bailiff's qualified signing certificate on a connected token of the platform — the one
    the item names, or his only one."""

    def factory(bailiff: Bailiff, certificate: bytes | None) -> AnySigner:
        vault = Vault.objects.filter(bailiff=bailiff, certificate_der__isnull=False).first()
        if vault is None:
            raise ServiceRefused(
                gettext(
                    "Le certificat d'authentification de ce commissaire de justice n'est pas "
                    "déclaré : il doit se connecter une première fois à SECURACT."
                ),
                "signing_certificate",
            )
        holder = x509.Certificate.load(bytes(vault.certificate_der or b"")).subject
        choices = signing_certificates_of(holder)
        if certificate:
            wanted = _der(certificate)
            choices = [c for c in choices if c.certificate.dump() == wanted]
        if len(choices) != 1:
            raise ServiceRefused(
                gettext("Aucun certificat de signature trouvé")
                if not choices
                else gettext(
                    "Plusieurs certificats de signature : indiquez celui à utiliser "
                    "(certificat_signature)."
                ),
                "signing_certificate",
            )
        return serving.Signer(choices[0].token_label, choices[0].certificate, pin)

    return factory


def _der(certificate: bytes) -> bytes:
    try:
        return pem_to_der(certificate)
    except MalformedCertificate as error:
        raise ServiceRefused(
            gettext("Certificat de signature illisible."), "signing_certificate"
        ) from error


def _sign_one(signer: AnySigner, signification_id: int, deadline: float) -> tuple[int, str]:
    """One signification's signing session (in a thread of the pool, with its own database
    connection, closed at the end)."""
    try:
        remaining = deadline - time.monotonic()
        if remaining > 0:
            signer.sign(signification_id, remaining)
        return signification_id, ""
    except SigningRefused as refused:
        logger.warning("signification %s: signing refused by the token", signification_id)
        return signification_id, refused.message
    except Exception:  # the others go on; this one waits at *sign*, to be resumed
        logger.exception("signification %s: signing session failed", signification_id)
        return signification_id, gettext(
            "Erreur interne pendant la signature ; la signification attend la signature."
        )
    finally:
        connection.close()
