"""The one serve call: what the web form, ``securact serve``, the benchmark (and next the
EDI API) each do to serve acts, in one place.

``serve(request, signer)`` checks the PIN on the token first (a wrong PIN changes nothing),
opens the files, creates the signification (``recording.create_signification``: every check
before anything is kept), then holds the signing session that answers the workers until the
sign step is over — and, when asked, waits for the last step. Each entry point only builds
the ``ServeRequest`` and the ``Signer`` from its own inputs and turns the outcome into its
own answer:

* a refusal before anything is recorded is raised (``ServiceRefused`` or
  ``SigningRefused``, French ``message``);
* once the signification exists, it is always returned (``Served``), with the token's
  refusal if the signing session failed, so that every entry point can say which
  signification waits at *sign* and how to resume it.

The PIN lives only in the ``Signer``, in the memory of the process that received it.

Two signers, one path (issue 13, item 3):

* ``Signer`` (*remote*): the bailiff's key on a token the platform reaches, the PIN in
  memory; ``serve`` checks the PIN first, then holds the signing session;
* ``ClientSideSigner`` (*client*): the practice's software signs with its own token and
  posts the values later (``significations.client_signing``). Built from the certificate
  it gives (``ClientSideSigner.for_bailiff``: judged as the platform judges a signing
  certificate, and it must be the bailiff's); no PIN anywhere, nothing to check or sign
  here: ``serve`` returns once the signification exists, its sign step waiting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from asn1crypto import x509
from django.utils.translation import gettext

from securact.directory.models import ActNature, Bailiff, Recipient
from securact.pki.signing_certificates import SigningCertificateRefused, signing_certificate_of
from securact.significations.cli_progress import ProgressLines
from securact.significations.models import Signification
from securact.significations.services import IncomingFile, ServiceRefused, wait_until_finished
from securact.significations.signing_session import remote_signification, run_signing_session
from securact.signing.container import signature_mechanism
from securact.signing.errors import SigningFailed, SigningRefused
from securact.signing.token import sign_with_token
from securact.vault.models import Vault
from securact.workflow.recording import create_signification


@dataclass(frozen=True)
class FileOnDisk:
    """An act to serve that is a file on this machine (a draft, a command's argument)."""

    path: Path
    name: str

    def open(self) -> BinaryIO:
        try:
            return self.path.open("rb")
        except OSError as error:
            raise ServiceRefused(
                gettext("Fichier introuvable ou illisible : %(path)s.") % {"path": self.path},
                "files",
            ) from error


@dataclass(frozen=True)
class ServeRequest:
    """What is served, by whom, on whom: everything but the PIN."""

    bailiff: Bailiff
    actor_fingerprint: str  # the bailiff's authentication certificate (the journal's actor)
    recipient: Recipient
    nature: ActNature
    reference: str
    files: Sequence[IncomingFile | FileOnDisk]
    source: str = Signification.Source.WEB
    # F8.3: the act's essential elements, for a nature whose deposits carry a data message.
    elements: Mapping[str, Any] | None = None


class Signer:
    """The bailiff's signing key on his token, and the PIN that unlocks it, in memory only:
    never written, never shown (not even by ``repr``)."""

    signing_mode = Signification.SigningMode.REMOTE

    def __init__(self, token_label: str, certificate: x509.Certificate, pin: str) -> None:
        self.token_label = token_label
        self.certificate = certificate
        self._pin = pin

    @classmethod
    def of(cls, signification: Signification, pin: str) -> Signer:
        """The key a signification was created with (*Relancer* the sign step). Refused
        (``SigningRefused``, French) for one the practice's software signs: the platform
        never signs it with a token of its own."""
        remote_signification(signification.pk)
        certificate = x509.Certificate.load(bytes(signification.signing_certificate))
        return cls(signification.signing_token_label, certificate, pin)

    def __repr__(self) -> str:
        return f"Signer(token_label={self.token_label!r})"

    def check_pin(self) -> None:
        """One login on the token; raises ``SigningRefused`` (French) if the PIN is wrong."""
        sign_with_token(self.token_label, self._pin, self.certificate, [])

    def sign(self, signification_id: int, timeout: float) -> None:
        """Answer the workers' signing requests until the sign step is over."""
        run_signing_session(signification_id, self._pin, timeout=timeout)


class ClientSideSigner:
    """Client-side signing: the bailiff's signing certificate as the practice's software
    gave it; the key and its PIN stay with that software."""

    signing_mode = Signification.SigningMode.CLIENT
    token_label = ""  # no token of the platform's

    def __init__(self, certificate: x509.Certificate) -> None:
        self.certificate = certificate

    @classmethod
    def for_bailiff(cls, bailiff: Bailiff, certificate: bytes) -> ClientSideSigner:
        """The signer for ``certificate`` (DER or PEM), refused (``ServiceRefused``, French,
        field ``signing_certificate``) unless it is a valid qualified signing certificate
        of ``bailiff`` with an RSA key: trusted chain, dates, revocation, non-repudiation
        (``pki.signing_certificates``), the holder of the bailiff's declared
        authentication certificate — what the web form and ``securact serve`` require of
        a certificate they find on a token."""
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
        try:
            info = signing_certificate_of(certificate, holder)
            signature_mechanism(info.certificate)  # RSA only, as the pipeline signs
        except (SigningCertificateRefused, SigningFailed) as refused:
            raise ServiceRefused(refused.message, "signing_certificate") from refused
        return cls(info.certificate)

    def __repr__(self) -> str:
        return f"ClientSideSigner(subject={self.certificate.subject.human_friendly!r})"

    def check_pin(self) -> None:
        """No PIN here: the practice's software unlocks its own token."""

    def sign(self, signification_id: int, timeout: float) -> None:
        """Nothing to sign here: the practice's software posts the values."""


@dataclass(frozen=True)
class Served:
    """A created signification; ``signing_refusal`` when the token refused in the session
    (the signification then waits at *sign*); ``finished`` when its last step was awaited."""

    signification: Signification
    signing_refusal: SigningRefused | None = None
    finished: bool = False


def serve(
    request: ServeRequest,
    signer: Signer | ClientSideSigner,
    *,
    timeout: float,
    wait: bool = False,
    on_created: Callable[[Signification], None] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Served:
    """Serve ``request``, signing with ``signer``; the signing session (and, with ``wait``,
    the wait for the last step) lasts ``timeout`` seconds at most each. ``on_created`` runs
    once the signification is recorded, before signing; ``progress`` receives a French line
    per step change while this call signs and waits."""
    signer.check_pin()  # the PIN, first: a wrong one leaves nothing behind
    with ExitStack() as stack:
        files = [
            IncomingFile(stack.enter_context(f.open()), f.name) if isinstance(f, FileOnDisk) else f
            for f in request.files
        ]
        signification = create_signification(
            bailiff=request.bailiff,
            actor_fingerprint=request.actor_fingerprint,
            recipient=request.recipient,
            nature=request.nature,
            reference=request.reference,
            files=files,
            signing_certificate=signer.certificate.dump(),
            signing_token_label=signer.token_label,
            signing_mode=signer.signing_mode,
            source=request.source,
            elements=request.elements,
        )
    if on_created is not None:
        on_created(signification)
    watching = ProgressLines(signification.pk, progress) if progress else nullcontext()
    with watching:
        try:
            signer.sign(signification.pk, timeout)
        except SigningRefused as refused:
            return Served(signification, signing_refusal=refused)
        finished = wait_until_finished(signification.pk, timeout) if wait else False
    return Served(signification, finished=finished)
