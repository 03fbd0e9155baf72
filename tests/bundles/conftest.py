"""Bundle and export fixtures.

``sample``: a deposited signification of the demo practice (bailiff Durand → BANQUE TEST)
made directly in the database, its files real content in the vaults (an act, the deposit
certificate, an archive ZIP with the act's ``.p7s``), its history in the journal — what the
service process leaves, without running it (the end-to-end test serves for real).

``served_answered``: the real thing — a PDF and a DOCX served through worker processes,
opened by the recipient (delivered in person, the worker seals the delivery certificate),
answered (the act return sealed)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from securact.core import clock
from securact.delivery.models import DeliveryCertificate
from securact.delivery.services import record_opening
from securact.directory.models import ActNature, Bailiff, Recipient
from securact.evidence import journal
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.returns.declaration import AccountLine, Declaration
from securact.returns.services import submit_return
from securact.significations.models import Act, DeliveryState, Signification
from securact.vault.models import StoredFile, Vault
from securact.vault.services import declare_vault, deposit_file, recipient_vault
from securact.workflow.cli import ServeRequest, serve
from tests.datamessage.samples import person_elements
from tests.signing.samples import sample_pdfa

BANQUE_TEST = "99999001300016"
CREDIT_DEMO = "99999002100019"
BAILIFF_ACTOR = "e" * 64


@pytest.fixture(autouse=True)
def _journal_key_certificate(settings: Any, demo_layout: Any) -> None:
    """The test PKI's checkpoint key certificate (the default names the demo's)."""
    settings.SECURACT_JOURNAL_CERT = demo_layout.pki / "platform-journal.cert.pem"


def declared(identities: dict[str, Any], label: str) -> Vault:
    holder = identities[label]
    return declare_vault(parse_certificate(pem_to_der(Path(holder.cert).read_bytes())))


def fingerprint(identities: dict[str, Any], label: str) -> str:
    info = parse_certificate(pem_to_der(Path(identities[label].cert).read_bytes()))
    return str(info.fingerprint)


@dataclass
class Sample:
    signification: Signification
    act: StoredFile
    deposit_certificate: StoredFile
    archive: StoredFile
    p7s: bytes
    bailiff_vault: Vault
    recipient_vault: Vault
    entries: dict[str, int]  # action → sequence


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        listing = "".join(
            f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in members.items()
        )
        archive.writestr("manifest.sha256", listing)
    return buffer.getvalue()


def make_sample(tmp_path: Path, identities: dict[str, Any], reference: str = "PREUVE-1") -> Sample:
    bailiff_vault = declared(identities, "bailiff-durand")
    bailiff = Bailiff.objects.get(pk=bailiff_vault.bailiff_id)
    recipient = Recipient.objects.get(siret=BANQUE_TEST)
    sent = timezone.now() - timedelta(minutes=5)
    signification = Signification.objects.create(
        practice=bailiff.practice,
        bailiff=bailiff,
        recipient=recipient,
        nature=ActNature.objects.get(code="saisie-attribution"),
        reference=reference,
        actor_fingerprint=bailiff_vault.certificate_fingerprint or BAILIFF_ACTOR,
        signing_certificate=b"",
        signing_token_label="t",
        state=Signification.State.DONE,
        sent_at=sent,
        delivery_state=DeliveryState.AWAITING,
        delivery_deadline=sent + timedelta(hours=24),
    )
    name = f"9991_{reference}_{sent:%Y%m%d_%H%M%S}.pdf"
    entries = {}
    entries["signification.submitted"] = journal.append(
        "signification.submitted",
        actor=signification.actor_fingerprint,
        signification_id=signification.pk,
        data={"files": [{"name": "acte-original.pdf"}]},
    ).sequence
    pdf = sample_pdfa(tmp_path / f"{reference}.pdf", text=reference)
    act_file = deposit_file(
        recipient_vault(recipient),
        name,
        pdf,
        depositor=signification.actor_fingerprint,
        deposited_at=sent,
        kind=StoredFile.Kind.ACT,
        signification_id=signification.pk,
    )
    Act.objects.create(
        signification=signification,
        position=1,
        original_name="acte-original.pdf",
        kind="pdf",
        upload_path="/nonexistent",
        size=act_file.size,
        deposited_name=name,
        stored_file=act_file,
    )
    entries["signification.deposited"] = journal.append(
        "signification.deposited",
        actor=signification.actor_fingerprint,
        signification_id=signification.pk,
        data={"file": name, "sha256": act_file.sha256},
    ).sequence
    folder = f"/BANQUE_TEST__{reference}/"
    xml = tmp_path / "attestation_depot.xml"
    xml.write_bytes(b"<attestation>depot</attestation>\n")
    certificate = deposit_file(
        bailiff_vault,
        "attestation_depot.xml",
        xml,
        depositor=journal.PLATFORM_ACTOR,
        deposited_at=sent,
        folder=folder,
        kind=StoredFile.Kind.DEPOSIT_CERTIFICATE,
        signification_id=signification.pk,
    )
    p7s = b"0\x82 signature detachee de test " + reference.encode()
    archive_path = tmp_path / f"{reference}.zip"
    archive_path.write_bytes(_zip({name: pdf.read_bytes(), f"{name}.p7s": p7s}))
    archive = deposit_file(
        bailiff_vault,
        f"BANQUE_TEST__{reference}.zip",
        archive_path,
        depositor=journal.PLATFORM_ACTOR,
        deposited_at=sent,
        folder=folder,
        kind=StoredFile.Kind.ARCHIVE,
        signification_id=signification.pk,
    )
    entries["signification.archived"] = journal.append(
        "signification.archived",
        actor=journal.PLATFORM_ACTOR,
        signification_id=signification.pk,
        data={"file": archive.name},
    ).sequence
    return Sample(
        signification,
        act_file,
        certificate,
        archive,
        p7s,
        bailiff_vault,
        Vault.objects.get(pk=act_file.vault_id),
        entries,
    )


@pytest.fixture
def sample(demo_directory, identities, tmp_path, pki_server, service_dirs) -> Sample:
    return make_sample(tmp_path, identities)


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def wait_for(check: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not done within {timeout} s")


def _warm_revocation_services() -> None:
    """certomancer makes its first CRLs slowly (seconds on a loaded machine, past the
    service's 5 s fetch timeout): ask for each once, patiently, before serving."""
    import requests

    from tests.conftest import PKI_URL

    for issuer in ("root", "auth-ca", "sign-ca"):
        requests.get(f"{PKI_URL}/securact/crls/{issuer}/latest.crl", timeout=60)


def serve_answered(bailiff: Any, acts: list[Path], tmp_path: Path) -> Signification:
    """A PDF and a DOCX served (saisie-attribution with its data message) to CRÉDIT DÉMO,
    opened by the recipient 7 minutes later (à personne: the worker seals the delivery
    certificate), then answered (the return sealed at once)."""
    _warm_revocation_services()
    pin_file = tmp_path / "pin"
    pin_file.write_text(bailiff.record["pin"])
    pin_file.chmod(0o600)
    result = serve(
        ServeRequest(
            bailiff_cert=Path(bailiff.cert),
            recipient_siret=CREDIT_DEMO,
            nature_code="saisie-attribution",
            reference="PREUVE-E2E-1",
            pin_file=pin_file,
            files=[acts[0], acts[1]],
            elements=person_elements(),
            timeout=300,
            out=tmp_path / "sorties",
        )
    )
    assert result.succeeded, result.as_dict()
    signification = Signification.objects.get(pk=result.signification_id)
    assert signification.sent_at is not None
    record_opening(
        signification.pk, actor="c" * 64, at=signification.sent_at + timedelta(minutes=7)
    )
    wait_for(
        lambda: DeliveryCertificate.objects.filter(
            pk=signification.pk, stored_file__isnull=False
        ).exists(),
        "the delivery certificate",
    )
    submit_return(
        signification.pk,
        recipient=signification.recipient,
        actor="c" * 64,
        declaration=Declaration(
            debtor_is_individual=False,
            accounts=(
                AccountLine(
                    "courant", "FR76 3000 6000 0112 3456 7890 189", Decimal("1234.56"), "crediteur"
                ),
            ),
        ),
        at=clock.now(),
    )
    signification.refresh_from_db()
    return signification


def bagit_validate(folder: Path) -> Any:
    import subprocess

    from tests.processes import BIN

    return subprocess.run(
        [str(BIN / "bagit.py"), "--validate", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )


def manifest_ok(members: dict[str, bytes]) -> dict[str, Any]:
    manifest = json.loads(members["manifest.json"])
    listed = manifest["members"]
    assert set(listed) == set(members) - {"manifest.json"}
    for name, digest in listed.items():
        assert hashlib.sha256(members[name]).hexdigest() == digest, name
    return dict(manifest)


# The in-process client signed in with a demo certificate (as nginx forwards it).
from tests.web.conftest import signed_in  # noqa: E402, F401
