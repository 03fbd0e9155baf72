"""F8.3 end to end: `securact serve --elements FILE.json` serves a garnishment through real
worker processes; the sealed data message lies once in the recipient's vault beside the act,
validates against its XSD (lxml and xmllint), verifies with xmlsec1, names the served act by
its SHA-256, and is kept in the bailiff's archive; a deposit step run again deposits
nothing more. A garnishment without its elements is refused in French, exit status 2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from securact.datamessage.message import validate_data_message
from securact.datamessage.services import DEPOSITED
from securact.evidence.checking import check_tree
from securact.evidence.journal import entries_for
from securact.significations.models import Signification
from securact.vault.models import StoredFile
from securact.vault.storage import open_blob
from securact.workflow.steps import DepositStep
from tests.datamessage.conftest import xmllint_schema
from tests.datamessage.samples import person_elements
from tests.evidence.conftest import xmlsec1_verify
from tests.processes import BIN

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CREDIT_DEMO = "99999002100019"
NS = {"m": "urn:securact:message-donnees:1"}


def _serve(workers, bailiff, act: Path, tmp_path: Path, *extra: str):
    pin_file = tmp_path / "pin"
    pin_file.write_text(bailiff.record["pin"])
    pin_file.chmod(0o600)
    env = {
        **os.environ,
        **workers.env,
        "SECURACT_ENFORCE_LEGAL_HOURS": "0",
        "SECURACT_ENFORCE_SUNDAYS": "0",
        "SECURACT_ENFORCE_HOLIDAYS": "0",
    }
    return subprocess.run(
        [
            str(BIN / "securact"),
            "serve",
            "--bailiff-cert",
            bailiff.cert,
            "--recipient",
            CREDIT_DEMO,
            "--nature",
            "saisie-attribution",
            "--reference",
            "SA-DONNEES-1",
            "--pin-file",
            str(pin_file),
            "--out",
            str(tmp_path / "out"),
            *extra,
            str(act),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_garnishment_carries_its_sealed_data_message_once(
    declared_bailiff, acts, workers, tmp_path, demo_layout
):
    workers.start(1)
    elements = tmp_path / "donnees.json"
    elements.write_text(json.dumps(person_elements()), encoding="utf-8")

    done = _serve(workers, declared_bailiff, acts[0], tmp_path, "--elements", str(elements))

    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    signification = Signification.objects.get(pk=result["signification_id"])
    act = signification.acts.get()
    (stored,) = StoredFile.objects.filter(
        signification_id=signification.pk, kind=StoredFile.Kind.DATA_MESSAGE
    )
    assert stored.name == act.deposited_name.removesuffix(".pdf") + "_DONNEES.xml"
    assert stored.vault.recipient == signification.recipient
    assert stored.vault == act.stored_file.vault  # beside the act
    with open_blob(stored.sha256) as handle:
        sealed = handle.read()
    copied = tmp_path / "out" / stored.name
    assert copied.read_bytes() == sealed  # `--out` gives it too

    root = etree.fromstring(sealed)
    validate_data_message(root)
    assert root.findtext("m:Signification/m:Actes/m:Acte/m:SHA256", namespaces=NS) == (
        act.stored_file.sha256
    )
    assert root.findtext("m:Montants/m:Total", namespaces=NS) == "1396.86"
    assert root.findtext("m:Creancier/m:SIREN", namespaces=NS) == "552120222"
    if shutil.which("xmllint"):
        assert xmllint_schema(copied).returncode == 0
    verified = xmlsec1_verify(copied, demo_layout)
    assert verified.returncode == 0, verified.stderr

    archive = next(Path(p) for n, p in result["paths"].items() if n.endswith(".zip"))
    with zipfile.ZipFile(archive) as zipped:  # the bailiff keeps what the bank was given
        assert zipped.read(stored.name) == sealed
        assert stored.name in zipped.read("manifest.sha256").decode()

    DepositStep().run(signification)  # retried: nothing more
    assert (
        StoredFile.objects.filter(
            signification_id=signification.pk, kind=StoredFile.Kind.DATA_MESSAGE
        ).count()
        == 1
    )
    assert entries_for(signification.pk).filter(action=DEPOSITED).count() == 1
    assert check_tree().problems == []


def test_a_garnishment_without_elements_is_refused(declared_bailiff, acts, workers, tmp_path):
    done = _serve(workers, declared_bailiff, acts[0], tmp_path)

    assert done.returncode == 2
    assert json.loads(done.stdout)["refusal"].startswith("Les données de l'acte sont obligatoires")
    assert Signification.objects.count() == 0
