"""What ``securact serve`` does, as a function the tests call too: judge the bailiff's
certificate, find the recipient, the nature and the signing key, read the PIN file, then
the one serve call (``workflow.serving.serve``), its outcome put as JSON fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import x509
from django.utils.translation import gettext

from securact.directory.models import ActNature, Bailiff, Recipient
from securact.pki.certificates import CertificateInfo, MalformedCertificate, pem_to_der
from securact.pki.services import refusal_text, validate_client_certificate
from securact.significations.models import Signification, Step
from securact.significations.services import ServiceRefused, step_states
from securact.signing.errors import SigningRefused, TokenBusy
from securact.signing.token import signing_certificates_of
from securact.vault.models import Vault
from securact.workflow import serving


@dataclass(frozen=True)
class ServeRequest:
    bailiff_cert: Path
    recipient_siret: str
    nature_code: str
    reference: str
    pin_file: Path
    files: list[Path]
    timeout: float = 600
    # F8.3: the act's essential elements (JSON object; README "Data message").
    elements: dict[str, Any] | None = None
    # Where the served files are exported from the vaults (default: DATA_DIR/sorties/<id>/).
    out: Path | None = None


@dataclass
class ServeResult:
    signification_id: int | None = None
    steps: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    refusal: str = ""

    @property
    def succeeded(self) -> bool:
        return bool(self.steps) and all(s == Step.State.DONE for s in self.steps.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "signification_id": self.signification_id,
            "steps": self.steps,
            "paths": self.paths,
            "refusal": self.refusal,
            "succeeded": self.succeeded,
        }


def find_signing_certificate(holder: CertificateInfo) -> tuple[str, x509.Certificate] | None:
    """The first qualified signing certificate of the same holder on a connected token."""
    choices = signing_certificates_of(holder.certificate.subject)
    return (choices[0].token_label, choices[0].certificate) if choices else None


def _validated(cert_path: Path) -> CertificateInfo:
    """The bailiff's authentication certificate, judged as at sign-in (chain, dates, usage,
    revocation): a revoked bailiff serves no more from the command line than on the site."""
    try:
        der = pem_to_der(cert_path.read_bytes())
    except (OSError, MalformedCertificate) as error:
        raise ServiceRefused(
            gettext("Fichier introuvable ou illisible : %(path)s.") % {"path": cert_path}
        ) from error
    verdict = validate_client_certificate(der)
    if not verdict.accepted or verdict.info is None:
        problem, advice = refusal_text(verdict.refusal or "malformed")
        raise ServiceRefused(f"{problem} {advice}")
    return verdict.info


def _resolve(request: ServeRequest) -> tuple[Bailiff, Recipient, ActNature, CertificateInfo]:
    info = _validated(request.bailiff_cert)
    vault = (
        Vault.objects.select_related("bailiff__practice")
        .filter(certificate_fingerprint=info.fingerprint, owner_kind="bailiff")
        .first()
    )
    if vault is None or vault.bailiff is None:  # the second test narrows the type
        raise ServiceRefused(
            gettext(
                "Ce certificat n'est rattaché à aucun coffre-fort : déclarez-le avec "
                "« securact declare --cert CERT.pem --key CLE.pem », ou en vous connectant "
                "une première fois à SECURACT."
            )
        )
    recipient = Recipient.objects.filter(siret=request.recipient_siret.replace(" ", "")).first()
    if recipient is None:
        raise ServiceRefused(
            gettext("Aucun destinataire n'a le SIRET %(s)s.") % {"s": request.recipient_siret}
        )
    nature = ActNature.objects.filter(code=request.nature_code).first()
    if nature is None:
        unknown = gettext("Nature d'acte inconnue : %(c)s.") % {"c": request.nature_code}
        raise ServiceRefused(f"{unknown} {accepted_natures(recipient)}")
    return vault.bailiff, recipient, nature, info


def accepted_natures(recipient: Recipient) -> str:
    """The sentence naming the natures this recipient accepts (codes, as --nature takes)."""
    codes = sorted(recipient.accepted_natures.values_list("nature__code", flat=True).distinct())
    return gettext("Natures acceptées par %(name)s : %(codes)s.") % {
        "name": recipient.name,
        "codes": ", ".join(codes) or "-",
    }


def _explained(refused: ServiceRefused, recipient: Recipient, nature: ActNature) -> str:
    """A nature the recipient does not accept: say which ones it does."""
    if refused.field == "nature" and recipient.service_windows_for(nature) is None:
        return f"{refused.message} {accepted_natures(recipient)}"
    return refused.message


def _outputs(signification_id: int, out: Path | None) -> dict[str, str]:
    """Each output under the name it has in the vaults, with where it was exported."""
    from securact.significations.outputs import export_outputs

    return export_outputs(signification_id, out)


def _read_pin(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeError) as error:
        raise ServiceRefused(
            gettext("Fichier du code PIN introuvable ou illisible : %(path)s.") % {"path": path}
        ) from error


def serve(request: ServeRequest, progress: Callable[[str], None] | None = None) -> ServeResult:
    """Serve as ``request`` says; ``progress`` receives a French line per step change."""
    try:
        bailiff, recipient, nature, info = _resolve(request)
    except ServiceRefused as refused:
        return ServeResult(refusal=refused.message)
    try:
        pin = _read_pin(request.pin_file)
        found = find_signing_certificate(info)
        if found is None:
            return ServeResult(refusal=gettext("Aucun certificat de signature trouvé"))
        served = serving.serve(
            serving.ServeRequest(
                bailiff=bailiff,
                actor_fingerprint=info.fingerprint,
                recipient=recipient,
                nature=nature,
                reference=request.reference,
                files=[serving.FileOnDisk(path, path.name) for path in request.files],
                source=Signification.Source.CLI,
                elements=request.elements,
            ),
            serving.Signer(found[0], found[1], pin),
            timeout=request.timeout,
            wait=True,
            progress=progress,
        )
    except ServiceRefused as refused:
        return ServeResult(refusal=_explained(refused, recipient, nature))
    except SigningRefused as refused:
        return ServeResult(refusal=refused.message)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return ServeResult(refusal=gettext("Erreur d'accès : %(e)s") % {"e": reason})
    except pkcs11.PKCS11Error:
        return ServeResult(refusal=TokenBusy().message)
    signification = served.signification
    if served.signing_refusal is not None:
        # The signification exists and waits at *sign*: say which, and how to go on.
        return ServeResult(
            signification.pk,
            step_states(signification),
            refusal=f"{served.signing_refusal.message} {resume_hint(signification)}",
        )
    return ServeResult(
        signification.pk, step_states(signification), _outputs(signification.pk, request.out)
    )


def resume_hint(signification: Signification) -> str:
    return gettext(
        "La signification n° %(id)s (référence %(ref)s) est enregistrée et attend la "
        "signature : ouvrez-la sur le site (Significations, puis son détail) et donnez le "
        "code PIN pour la reprendre."
    ) % {"id": signification.pk, "ref": signification.reference}
