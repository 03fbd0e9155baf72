"""The practice side of the API for one signification (issue 13, items 2–3): the practice's
EDI software — its certificate registered on the *EDI* page — reads what is to be signed,
signs it on the practice's own token (a SoftHSM store the platform never loads), posts the
values, and, once served, reads the signification and downloads its deposit certificate
(fixity-checked). A value that does not verify is a 422 naming the act; another practice's
caller and a recipient are refused. Real workers, TSA, OCSP."""

from __future__ import annotations

import base64
import hashlib
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.models import Signification
from securact.significations.services import wait_until_finished
from securact.vault.edi_certificates import register
from tests.api.conftest import V1, body, error, get, post
from tests.significations import practice_software
from tests.significations.test_client_side_signing import _bailiff, _serve_client_side

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _software(holder, identities) -> Client:
    """The practice's EDI software, registered by Claire DURAND."""
    durand = identities["bailiff-durand"]
    software = identities["edi-durand-martin"]
    actor = parse_certificate(pem_to_der(Path(durand.cert).read_bytes())).fingerprint
    register(Path(software.cert).read_bytes(), by=_bailiff(durand), actor=actor)
    return holder("edi-durand-martin", declare=False)


def _asked(client: Client, pk: int, kind: str, timeout: float = 240) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = get(client, f"{V1}/significations/{pk}/a-signer")
        assert response.status_code == 200, response.content
        items = response.json()["resultats"]
        if items and all(item["type"] == kind for item in items):
            return list(items)
        time.sleep(0.3)
    raise AssertionError(f"round {kind} not asked for in {timeout} s")


def _sign(identity: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    practice = identity.record["practice_signing"]
    certificate = Path(practice["sign_cert"]).read_bytes()
    answer = practice_software.run(
        practice,
        pem_to_der(certificate),
        [
            {
                "id": f"{item['acte']}:{item['type']}",
                "signed_attributes": item["attributs_signes"],
                "digest": base64.b64encode(bytes.fromhex(item["empreinte_sha256"])).decode(),
            }
            for item in items
        ],
    )
    return [
        {
            "acte": item["acte"],
            "type": item["type"],
            "valeur": answer["values"][f"{item['acte']}:{item['type']}"],
        }
        for item in items
    ]


def test_the_practice_software_signs_and_downloads_through_the_api(
    holder, identities, declared_bailiff, acts, workers, smtp_server, sms_gateway
):
    workers.start(1)
    software = _software(holder, identities)
    signification = _serve_client_side(declared_bailiff, [acts[0]], "SA-2026-API-CS1")
    path = f"{V1}/significations/{signification.pk}"

    first = _asked(software, signification.pk, "pades")
    assert [item["algorithme"] for item in first] == ["sha256WithRSAEncryption"]
    digest = hashlib.sha256(base64.b64decode(first[0]["attributs_signes"])).hexdigest()
    assert first[0]["empreinte_sha256"] == digest

    # A value that does not verify: refused, naming the act; nothing kept.
    values = _sign(declared_bailiff, first)
    broken = [{**values[0], "valeur": base64.b64encode(b"\x00" * 256).decode()}]
    sent = post(
        software, f"{path}/signatures", {"signatures": broken}, content_type="application/json"
    )
    assert first[0]["nom"] in error(sent, 422)["erreur"]
    assert _asked(software, signification.pk, "pades") == first
    unreadable = post(
        software,
        f"{path}/signatures",
        {"signatures": [{**values[0], "valeur": "pas du base64 !"}]},
        content_type="application/json",
    )
    assert error(unreadable, 422)["champ"] == "signatures.0.valeur"

    key = {"HTTP_IDEMPOTENCY_KEY": "cs1-pades"}
    stored = post(
        software,
        f"{path}/signatures",
        {"signatures": values},
        content_type="application/json",
        **key,
    )
    assert stored.status_code == 200, stored.content
    assert stored.json() == {"enregistrees": 1, "deja_recues": 0, "restantes": 0}
    replayed = post(
        software,
        f"{path}/signatures",
        {"signatures": values},
        content_type="application/json",
        **key,
    )
    assert replayed.json() == stored.json() and replayed["Idempotent-Replayed"] == "true"

    second = _asked(software, signification.pk, "cades")
    done = post(
        software,
        f"{path}/signatures",
        {"signatures": _sign(declared_bailiff, second)},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert wait_until_finished(signification.pk, 300)

    detail = get(software, path).json()
    assert detail["etat"] == Signification.State.DONE
    assert (detail["canal"], detail["mode_signature"]) == ("edi", "client")
    assert [step["etat"] for step in detail["etapes"]][:6] == ["done"] * 6
    [act] = detail["actes"]
    assert len(act["sha256"]) == 64
    certificate_url = detail["liens"]["certificat_depot"]
    assert certificate_url and detail["liens"]["archive"]
    downloaded = get(software, certificate_url)
    assert downloaded.status_code == 200
    content = body(downloaded)
    listed = next(d for d in detail["documents"] if d["type"] == "certificat_depot")
    assert hashlib.sha256(content).hexdigest() == listed["sha256"]
    # Nothing more to sign.
    assert get(software, f"{path}/a-signer").json() == {"resultats": []}


def test_other_callers_are_refused(holder, identities, declared_bailiff, acts, service_dirs):
    signification = _serve_client_side(declared_bailiff, [acts[0]], "SA-2026-API-CS2")
    path = f"{V1}/significations/{signification.pk}"
    bank = holder("recipient-banque-test")
    assert "études" in error(get(bank, path), 403)["erreur"]
    # The bailiff himself sees it; a number of no signification of his practice is a 404.
    durand = holder("bailiff-durand")
    assert get(durand, path).json()["reference"] == "SA-2026-API-CS2"
    assert error(get(durand, f"{V1}/significations/999999999"), 404)
    # Martin, of the same practice, sees it too (as in the search).
    martin = holder("bailiff-martin")
    assert get(martin, path).json()["commissaire"] == "Claire DURAND"
