"""`securact serve` as a bailiff's script runs it: refusals are French, exit 2, and leave
nothing behind (no signification, no stored upload)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.models import Signification
from securact.vault.services import declare_vault
from tests.conftest import server_environment
from tests.processes import BIN

pytestmark = pytest.mark.django_db(transaction=True)


def _serve(
    env: dict[str, str],
    bailiff,
    pin: str,
    *,
    siret: str,
    files: list[Path],
    tmp_path: Path,
    nature: str = "mainlevee",
) -> subprocess.CompletedProcess[str]:
    pin_file = tmp_path / "pin"
    pin_file.write_text(pin)
    return subprocess.run(
        [
            str(BIN / "securact"),
            "serve",
            "--bailiff-cert",
            bailiff.cert,
            "--recipient",
            siret,
            "--nature",
            nature,
            "--reference",
            "CLI-1",
            "--pin-file",
            str(pin_file),
            *map(str, files),
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def cli_env(
    django_db_blocker, demo_layout, tmp_path, declared_bailiff, pki_server
) -> dict[str, str]:
    with django_db_blocker.unblock():
        return server_environment(
            demo_layout,
            SECURACT_UPLOAD_DIR=str(tmp_path / "uploads"),
            SOFTHSM2_CONF=str(demo_layout.softhsm_conf),
            SECURACT_ENFORCE_LEGAL_HOURS="0",
            SECURACT_ENFORCE_SUNDAYS="0",
            SECURACT_ENFORCE_HOLIDAYS="0",
        )


def test_a_wrong_pin_is_refused_in_french_before_anything_is_recorded(
    cli_env, declared_bailiff, tmp_path
):
    act = tmp_path / "acte.pdf"
    act.write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = _serve(
        cli_env, declared_bailiff, "000000", siret="99999001300016", files=[act], tmp_path=tmp_path
    )
    assert done.returncode == 2
    assert json.loads(done.stdout)["refusal"].startswith("Code PIN incorrect")
    assert Signification.objects.count() == 0


def test_a_refused_file_leaves_no_signification_and_no_upload(cli_env, declared_bailiff, tmp_path):
    fake = tmp_path / "acte.pdf"
    fake.write_bytes(b"PK\x03\x04 not a pdf at all")
    done = _serve(
        cli_env,
        declared_bailiff,
        declared_bailiff.record["pin"],
        siret="99999001300016",
        files=[fake],
        tmp_path=tmp_path,
    )
    assert done.returncode == 2
    assert "acte.pdf" in json.loads(done.stdout)["refusal"]
    assert Signification.objects.count() == 0
    uploads = tmp_path / "uploads"
    assert not uploads.exists() or not any(uploads.rglob("*.upload"))


def test_an_unknown_recipient_is_refused(cli_env, declared_bailiff, tmp_path):
    act = tmp_path / "acte.pdf"
    act.write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = _serve(
        cli_env,
        declared_bailiff,
        declared_bailiff.record["pin"],
        siret="12345678901234",
        files=[act],
        tmp_path=tmp_path,
    )
    assert done.returncode == 2
    assert "Aucun destinataire n'a le SIRET 12345678901234." in done.stdout


CREDIT_DEMO = "99999002100019"  # accepts the three garnishment natures only


@pytest.mark.parametrize("nature", ["mainlevee", "pas-une-nature"])
def test_a_refused_nature_names_the_natures_the_recipient_accepts(
    cli_env, declared_bailiff, tmp_path, nature
):
    act = tmp_path / "acte.pdf"
    act.write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = _serve(
        cli_env,
        declared_bailiff,
        declared_bailiff.record["pin"],
        siret=CREDIT_DEMO,
        files=[act],
        tmp_path=tmp_path,
        nature=nature,
    )
    assert done.returncode == 2
    refusal = json.loads(done.stdout)["refusal"]
    assert "Natures acceptées par CRÉDIT DÉMO DE L'EST" in refusal
    for accepted in (
        "saisie-attribution",
        "saisie-conservatoire-creances",
        "saisie-droits-associes-valeurs-mobilieres",
    ):
        assert accepted in refusal
    assert "mainlevee," not in refusal
    assert Signification.objects.count() == 0


def test_no_informational_log_line_reaches_the_terminal(cli_env, declared_bailiff, tmp_path):
    act = tmp_path / "acte.pdf"
    act.write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = _serve(
        cli_env, declared_bailiff, "000000", siret="99999001300016", files=[act], tmp_path=tmp_path
    )
    assert done.returncode == 2
    assert " INFO " not in done.stderr, done.stderr
    assert "logger bridge" not in done.stderr


def test_an_undeclared_certificate_is_told_how_to_declare_it(cli_env, identities, tmp_path):
    act = tmp_path / "acte.pdf"
    act.write_bytes(b"%PDF-1.4\n%%EOF\n")
    martin = identities["bailiff-martin"]
    done = _serve(
        cli_env,
        martin,
        martin.record["pin"],
        siret="99999001300016",
        files=[act],
        tmp_path=tmp_path,
    )
    assert done.returncode == 2
    assert "securact declare" in json.loads(done.stdout)["refusal"]


def test_a_revoked_certificate_serves_no_more_than_it_signs_in(cli_env, identities, tmp_path):
    """Its vault was declared before the revocation: the command judges the certificate as
    the sign-in does (chain, dates, revocation by OCSP), not only its vault."""
    revoked = identities["revoked"]
    declare_vault(parse_certificate(pem_to_der(Path(revoked.cert).read_bytes())))
    act = tmp_path / "acte.pdf"
    act.write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = _serve(cli_env, revoked, "1234", siret="99999001300016", files=[act], tmp_path=tmp_path)
    assert done.returncode == 2
    assert "révoqué" in json.loads(done.stdout)["refusal"]
    assert Signification.objects.count() == 0
