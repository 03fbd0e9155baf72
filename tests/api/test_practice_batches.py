"""The practice's bulk submission through the API (issue 13, item 2; docs/edi-api.md): the
practice's EDI software uploads acts (checked by content), submits a batch whose refusals
show on their items, reads it back, follows the events by cursor, registers a webhook. The
same request with the same Idempotency-Key serves nothing twice; a remote batch's PIN is
checked before anything is recorded and never kept, not even as a digest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.test import Client

from securact.api.models import IdempotencyRecord
from securact.edi.models import Batch, BatchItem, Upload, WebhookEndpoint
from securact.pki.certificates import parse_certificate, pem_to_der
from securact.significations.models import Signification
from securact.vault.edi_certificates import register
from tests.api.conftest import V1, error, get, post
from tests.edi.conftest import BANQUE_TEST, UNKNOWN_SIRET, pdf_bytes
from tests.significations.test_client_side_signing import _bailiff

pytestmark = pytest.mark.django_db

JSON = {"content_type": "application/json"}


@pytest.fixture
def software(holder, identities, service_dirs) -> Client:
    """The practice's EDI software, registered by Claire DURAND (her vault declared)."""
    durand = identities["bailiff-durand"]
    holder("bailiff-durand")  # declares her vault
    actor = parse_certificate(pem_to_der(Path(durand.cert).read_bytes())).fingerprint
    register(
        Path(identities["edi-durand-martin"].cert).read_bytes(),
        by=_bailiff(durand),
        actor=actor,
    )
    return holder("edi-durand-martin", declare=False)


def _upload(client: Client, content: bytes, name: str = "acte.pdf", **extra) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return post(client, f"{V1}/fichiers", {"fichier": SimpleUploadedFile(name, content)}, **extra)


def _client_certificate(identities) -> str:
    return Path(identities["bailiff-durand"].record["practice_signing"]["sign_cert"]).read_text()


def test_an_act_is_uploaded_checked_by_its_content(software, bank):
    answer = _upload(software, pdf_bytes())
    assert answer.status_code == 201, answer.content
    kept = answer.json()
    assert (kept["nom"], kept["type"], kept["taille"]) == ("acte.pdf", "pdf", len(pdf_bytes()))
    assert Upload.objects.filter(pk=kept["id"]).exists()

    refused = error(_upload(software, b"Ceci n'est pas un PDF.", "faux.pdf"), 422)
    assert refused["champ"] == "fichier"
    assert "faux.pdf" in refused["erreur"]
    assert error(_upload(bank, pdf_bytes()), 403)["erreur"].startswith(
        "Ce service est réservé aux études"
    )


def test_a_batch_is_served_item_by_item_and_read_back(software, identities):
    act = _upload(software, pdf_bytes()).json()["id"]
    certificate = _client_certificate(identities)
    lot = {
        "reference": "LOT-API-1",
        "signature": "client",
        "significations": [
            {
                "reference": "API-1",
                "siret": BANQUE_TEST,
                "nature": "mainlevee",
                "commissaire": "Claire DURAND",
                "certificat_signature": certificate,
                "fichiers": [act],
            },
            {
                "reference": "API-2",
                "siret": UNKNOWN_SIRET,
                "nature": "mainlevee",
                "commissaire": "Claire DURAND",
                "certificat_signature": certificate,
                "fichiers": [act],
            },
            {
                "reference": "API-3",
                "siret": BANQUE_TEST,
                "nature": "mainlevee",
                "commissaire": "Claire DURAND",
                "fichiers": [act],
            },
            {
                "reference": "API-4",
                "siret": BANQUE_TEST,
                "nature": "mainlevee",
                "commissaire": "Personne INCONNUE",
                "certificat_signature": certificate,
                "fichiers": [act],
            },
        ],
    }
    key = {"HTTP_IDEMPOTENCY_KEY": "lot-api-1"}

    answer = post(software, f"{V1}/lots", lot, **JSON, **key)

    assert answer.status_code == 201, answer.content
    batch = answer.json()
    items = {item["reference"]: item for item in batch["significations"]}
    assert items["API-1"]["etat"] == "en_cours" and items["API-1"]["signification"]
    assert (items["API-2"]["etat"], items["API-2"]["champ"]) == ("refusee", "siret")
    assert items["API-2"]["erreur"] == f"Aucun destinataire n'a le SIRET {UNKNOWN_SIRET}."
    assert (items["API-3"]["etat"], items["API-3"]["champ"]) == (
        "refusee",
        "certificat_signature",
    )
    assert (items["API-4"]["etat"], items["API-4"]["champ"]) == ("refusee", "commissaire")
    assert batch["etat"] == "en_cours"
    assert batch["compteurs"] == {
        "total": 4,
        "recue": 0,
        "refusee": 3,
        "en_cours": 1,
        "attente_signature": 0,
        "terminee": 0,
        "echec": 0,
    }
    signification = Signification.objects.get()
    assert (signification.reference, signification.source, signification.signing_mode) == (
        "API-1",
        "edi",
        "client",
    )

    # The same request with the same key: the same answer, nothing twice.
    again = post(software, f"{V1}/lots", lot, **JSON, **key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == batch
    # Without the key, the same batch again: the service's own idempotency.
    resent = post(software, f"{V1}/lots", lot, **JSON)
    assert resent.status_code == 201 and resent.json()["significations"] == batch["significations"]
    assert Signification.objects.count() == 1 and BatchItem.objects.count() == 4
    # The same batch reference for other significations: refused as a whole.
    other = {**lot, "significations": lot["significations"][:1]}
    assert error(post(software, f"{V1}/lots", other, **JSON), 422)["champ"] == "reference"

    read = get(software, f"{V1}/lots/{batch['id']}")
    assert read.status_code == 200 and read.json() == batch
    listed = get(software, f"{V1}/lots").json()
    assert [row["reference"] for row in listed["resultats"]] == ["LOT-API-1"]
    assert listed["suivant"] is None
    assert error(get(software, f"{V1}/lots/999999"), 404)


def test_a_batch_is_refused_whole_when_too_large(software, identities, settings):
    settings.SECURACT_EDI_MAX_BATCH_ITEMS = 2
    item = {
        "siret": BANQUE_TEST,
        "nature": "mainlevee",
        "commissaire": "Claire DURAND",
        "fichiers": [],
    }
    lot = {
        "reference": "LOT-GROS",
        "signature": "client",
        "significations": [{**item, "reference": f"G-{n}"} for n in range(3)],
    }
    refused = error(post(software, f"{V1}/lots", lot, **JSON), 422)
    assert refused == {
        "erreur": "Un lot contient au plus 2 significations ; celui-ci en contient 3 : scindez-le.",
        "champ": "significations",
    }
    assert Batch.objects.count() == 0


def test_a_remote_batch_checks_the_pin_first_and_never_keeps_it(software, identities, settings):
    settings.SECURACT_EDI_SIGNING_SECONDS = 0  # no workers here: nothing to wait for
    act = _upload(software, pdf_bytes()).json()["id"]
    pin = identities["bailiff-durand"].record["pin"]
    wrong = "0" * len(pin) if set(pin) != {"0"} else "1" * len(pin)
    lot = {
        "reference": "LOT-PIN",
        "signature": "distante",
        "significations": [
            {
                "reference": "PIN-1",
                "siret": BANQUE_TEST,
                "nature": "mainlevee",
                "commissaire": "Claire DURAND",
                "fichiers": [act],
            }
        ],
    }

    refused = error(post(software, f"{V1}/lots", {**lot, "code_pin": wrong}, **JSON), 422)
    assert refused["champ"] == "code_pin" and refused["erreur"].startswith("Code PIN incorrect.")
    assert Batch.objects.count() == 0  # nothing recorded: the client corrects the PIN
    assert error(post(software, f"{V1}/lots", lot, **JSON), 422)["champ"] == "code_pin"

    key = {"HTTP_IDEMPOTENCY_KEY": "lot-pin"}
    answer = post(software, f"{V1}/lots", {**lot, "code_pin": pin}, **JSON, **key)
    assert answer.status_code == 201, answer.content
    assert answer.json()["significations"][0]["etat"] == "en_cours"
    assert Signification.objects.get().signing_mode == "remote"
    record = IdempotencyRecord.objects.get()
    without_pin = json.dumps(lot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(b"\x00" + b"json-without-secrets\x00" + without_pin.encode())
    assert record.request_sha256 == expected.hexdigest()
    assert pin.encode() not in bytes(record.body)
    # The same batch with the same key and the PIN typed again: the same answer.
    replay = post(software, f"{V1}/lots", {**lot, "code_pin": pin}, **JSON, **key)
    assert replay["Idempotent-Replayed"] == "true"
    assert Signification.objects.count() == 1


def test_the_events_are_read_by_cursor(software, identities):
    act = _upload(software, pdf_bytes()).json()["id"]
    certificate = _client_certificate(identities)
    lot = {
        "reference": "LOT-EVT",
        "signature": "client",
        "significations": [
            {
                "reference": f"EVT-{n}",
                "siret": BANQUE_TEST,
                "nature": "mainlevee",
                "commissaire": "Claire DURAND",
                "certificat_signature": certificate,
                "fichiers": [act],
            }
            for n in range(3)
        ],
    }
    assert post(software, f"{V1}/lots", lot, **JSON).status_code == 201

    first = get(software, f"{V1}/evenements", {"limite": 2}).json()
    assert [(e["type"], e["reference"]) for e in first["resultats"]] == [
        ("soumise", "EVT-0"),
        ("soumise", "EVT-1"),
    ]
    assert first["suivant"] == first["dernier"] == first["resultats"][-1]["curseur"]
    rest = get(software, f"{V1}/evenements", {"curseur": first["suivant"]}).json()
    assert [e["reference"] for e in rest["resultats"]] == ["EVT-2"]
    assert rest["suivant"] is None and rest["dernier"] == rest["resultats"][-1]["curseur"]
    nothing = get(software, f"{V1}/evenements", {"curseur": rest["dernier"]}).json()
    assert (nothing["resultats"], nothing["dernier"]) == ([], rest["dernier"])
    assert error(get(software, f"{V1}/evenements", {"curseur": "abc"}), 422)["champ"] == "curseur"


def test_a_webhook_is_registered_with_a_secret_shown_once(software):
    refused = error(post(software, f"{V1}/webhooks", {"url": "http://x.example/"}, **JSON), 422)
    assert refused["champ"] == "url"

    made = post(software, f"{V1}/webhooks", {"url": "https://etude.example/rappel"}, **JSON)

    assert made.status_code == 201, made.content
    created = made.json()
    assert created["secret"].startswith("whsec_") and created["actif"] is True
    listed = get(software, f"{V1}/webhooks").json()["resultats"]
    assert [row["url"] for row in listed] == ["https://etude.example/rappel"]
    assert "secret" not in listed[0]
    assert created["secret"] not in WebhookEndpoint.objects.get().secret_encrypted
    gone = software.delete(f"{V1}/webhooks/{created['id']}", secure=True)
    assert gone.status_code == 204
    assert WebhookEndpoint.objects.get().active is False
    assert error(software.delete(f"{V1}/webhooks/999999", secure=True), 404)


def test_a_bailiff_s_own_certificate_submits_in_his_name_only(holder, identities, service_dirs):
    holder("bailiff-martin")  # Paul MARTIN, of the same practice, declared
    durand = holder("bailiff-durand")
    act = _upload(durand, pdf_bytes()).json()["id"]
    item = {
        "siret": BANQUE_TEST,
        "nature": "mainlevee",
        "certificat_signature": _client_certificate(identities),
        "fichiers": [act],
    }
    lot = {
        "reference": "LOT-NOM",
        "signature": "client",
        "significations": [
            {**item, "reference": "NOM-1", "commissaire": "Claire DURAND"},
            {**item, "reference": "NOM-2", "commissaire": "Paul MARTIN"},
        ],
    }

    answer = post(durand, f"{V1}/lots", lot, **JSON)

    assert answer.status_code == 201, answer.content
    first, second = answer.json()["significations"]
    assert first["etat"] == "en_cours"
    assert (second["etat"], second["champ"]) == ("refusee", "commissaire")
    assert second["erreur"].startswith("Avec votre certificat, vous ne signifiez qu'en votre nom")
