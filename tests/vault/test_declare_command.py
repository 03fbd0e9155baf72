"""`securact declare --cert … --key …`: the first-connection declaration (F1.2) outside a
browser, as a user runs it. The certificate is validated as at sign-in (chain, revocation)
and the key must prove it belongs to the certificate, as a TLS sign-in proves it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.vault.models import Vault
from tests.conftest import server_environment
from tests.processes import BIN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("pki_server")]


@pytest.fixture
def cli_env(django_db_blocker, demo_layout, demo_directory) -> dict[str, str]:
    with django_db_blocker.unblock():
        return server_environment(demo_layout)


def _declare(env: dict[str, str], cert: str, key: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "securact"), "declare", "--cert", cert, "--key", key],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _fingerprint(identity) -> str:
    return parse_certificate(pem_to_der(Path(identity.cert).read_bytes())).fingerprint


def test_a_bailiff_declares_his_vault_and_a_second_run_changes_nothing(cli_env, identities):
    durand = identities["bailiff-durand"]
    done = _declare(cli_env, *durand.pair)
    assert done.returncode == 0, done.stderr
    assert "Coffre-fort déclaré" in done.stdout
    assert "Claire DURAND" in done.stdout
    vault = Vault.objects.get(certificate_fingerprint=_fingerprint(durand))
    assert vault.bailiff is not None and vault.bailiff.practice.code == "9991"
    again = _declare(cli_env, *durand.pair)
    assert again.returncode == 0, again.stderr
    assert "déjà déclaré" in again.stdout
    assert Vault.objects.count() == 1
    assert " INFO " not in done.stderr + again.stderr


def test_a_recipient_declares_its_vault(cli_env, identities):
    bank = identities["recipient-banque-test"]
    done = _declare(cli_env, *bank.pair)
    assert done.returncode == 0, done.stderr
    vault = Vault.objects.get(certificate_fingerprint=_fingerprint(bank))
    assert vault.recipient is not None and vault.recipient.siret == "99999001300016"


def test_a_key_that_is_not_the_certificates_is_refused(cli_env, identities):
    durand, martin = identities["bailiff-durand"], identities["bailiff-martin"]
    done = _declare(cli_env, durand.cert, martin.key)
    assert done.returncode == 2
    assert "ne correspond pas au certificat" in done.stderr
    assert Vault.objects.count() == 0


def test_an_unreadable_key_is_refused_in_french(cli_env, identities, tmp_path):
    garbage = tmp_path / "key.pem"
    garbage.write_text("pas une clé")
    done = _declare(cli_env, identities["bailiff-durand"].cert, str(garbage))
    assert done.returncode == 2
    assert "Clé privée illisible" in done.stderr
    assert "Traceback" not in done.stderr
    assert Vault.objects.count() == 0


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("revoked", "révoqué"),
        ("expired", "expiré"),
        ("untrusted", "autorité"),
    ],
)
def test_a_certificate_refused_at_sign_in_is_refused_here(cli_env, identities, label, problem):
    done = _declare(cli_env, *identities[label].pair)
    assert done.returncode == 2
    assert problem in done.stderr
    assert Vault.objects.count() == 0
