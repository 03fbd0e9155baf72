"""A bank pulls through the API (F9.2): it lists its deposits, reads one (acts with their
size and SHA-256), downloads an act — the first download decides *remise à personne*
exactly as the portal's, and the portal and the bailiff's pages show it — acknowledges the
deposit (journaled, deciding nothing), and answers it (the declaration and a PDF), under
the portal form's rules; its events feed tells each step."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from securact.delivery.models import Acknowledgment
from securact.evidence import journal
from securact.evidence.models import JournalEntry
from securact.returns.models import ActReturn
from securact.significations.models import DeliveryState
from tests.api.conftest import BANK, DEPOSITS, V1, body, error, get, integrate, post
from tests.returns.conftest import recipient_pdf

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # a Tuesday, 10:30 in Paris
DECLARATION = {
    "debiteur": "personne_physique",
    "solde_insaisissable": "635.71",
    "comptes": [
        {
            "type": "courant",
            "numero": "FR76 3000 6000 0112 3456 7890 189",
            "solde": "1234.56",
            "sens": "crediteur",
        },
        {"type": "livret", "numero": "LIV-000987654", "solde": 20500, "sens": "crediteur"},
    ],
}


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr("securact.core.clock.now", lambda: moment)


def _actions(signification: Any) -> list[str]:
    return list(
        JournalEntry.objects.filter(signification_id=signification.pk)
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def test_list_download_decides_in_person_acknowledge_and_answer(
    holder, deposits, service_dirs, monkeypatch, tmp_path
) -> None:
    signification = deposits.make("REF-API-1", SENT, files=("acte.pdf", "annexe.pdf"))
    bank = holder(BANK)
    first, second = signification.acts.order_by("position")

    listed = get(bank, DEPOSITS).json()
    (row,) = listed["resultats"]
    assert listed["suivant"] is None
    assert (row["id"], row["reference"], row["etat"]) == (signification.pk, "REF-API-1", "attente")
    assert row["ouvert_le"] is None and row["acquitte_le"] is None
    assert row["nombre_actes"] == 2 and row["etude"]["code"] == signification.practice.code

    detail = get(bank, row["url"]).json()
    assert [a["nom"] for a in detail["actes"]] == [first.deposited_name, second.deposited_name]
    assert detail["actes"][0]["sha256"] == first.stored_file.sha256
    assert detail["actes"][0]["taille"] == first.stored_file.size
    assert detail["retour"]["echeance"] == "2026-03-11" and detail["retour"]["depose_le"] is None
    assert detail["message_donnees"] is None
    assert _actions(signification).count(journal.Action.OPENED) == 0  # reading opens nothing

    # Three hours later, before the deadline: the first download is the opening.
    opened = SENT + timedelta(hours=3)
    _at(monkeypatch, opened)
    response = get(bank, detail["actes"][0]["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body(response)).hexdigest() == first.stored_file.sha256
    signification.refresh_from_db()
    assert signification.opened_at == opened
    assert signification.delivery_state == DeliveryState.IN_PERSON
    assert signification.delivered_at == opened
    assert get(bank, row["url"]).json()["etat"] == "personne"

    # The portal and the bailiff's pages show it, as if the bank had used the portal.
    portal = get(bank, f"/destinataire/depots/{signification.pk}/").content.decode()
    assert "Remis à personne" in portal
    bailiff = holder("bailiff-durand")
    page = get(bailiff, f"/significations/{signification.pk}/").content.decode()
    assert "emis à personne" in page and "10/03/2026 13:30:00" in page

    # The acknowledgment: once, journaled, no delivery change.
    _at(monkeypatch, opened + timedelta(minutes=5))
    made = post(bank, detail["accuse_reception_url"])
    again = post(bank, detail["accuse_reception_url"])
    assert (made.status_code, again.status_code) == (201, 200)
    assert made.json() == again.json()
    assert Acknowledgment.objects.get(signification=signification).actor
    assert _actions(signification).count(journal.Action.ACKNOWLEDGED) == 1
    assert get(bank, DEPOSITS, {"acquitte": "false"}).json()["resultats"] == []
    assert len(get(bank, DEPOSITS, {"acquitte": "true"}).json()["resultats"]) == 1

    # The answer: the declaration and its PDF, multipart.
    _at(monkeypatch, opened + timedelta(hours=1))
    pdf = recipient_pdf(tmp_path / "reponse-banque.pdf", pages=1)
    with pdf.open("rb") as handle:
        answered = post(
            bank,
            detail["retour"]["url"],
            {"pdf": handle, "declaration": json.dumps(DECLARATION)},
        )
    assert answered.status_code == 201, answered.content
    made_return = ActReturn.objects.get(signification=signification)
    assert answered.json()["nom"] == made_return.name
    assert answered.json()["dans_les_delais"] is True
    assert made_return.declaration.accounts.count() == 2
    assert made_return.uploaded_name == "reponse-banque.pdf"
    assert get(bank, row["url"]).json()["retour"]["nom"] == made_return.name
    page = get(bailiff, f"/significations/{signification.pk}/").content.decode()
    assert made_return.name in page

    # A second answer is refused, as on the portal.
    twice = post(bank, detail["retour"]["url"], {"declaration": json.dumps(DECLARATION)})
    assert "déjà" in error(twice, 422)["erreur"]

    # The events feed: each step, in the journal's order; nothing before it is repeated.
    integrate()
    feed = get(bank, f"{V1}/destinataire/evenements").json()
    actions = [event["evenement"] for event in feed["resultats"]]
    assert actions[0] == journal.Action.DEPOSITED
    for action in (
        journal.Action.OPENED,
        journal.Action.DELIVERED_IN_PERSON,
        journal.Action.ACKNOWLEDGED,
        journal.Action.ACT_RETURN_RECEIVED,
    ):
        assert action in actions
    assert journal.Action.ARCHIVED not in actions  # the bailiff's own event
    assert all(event["reference"] == "REF-API-1" for event in feed["resultats"])
    later = get(bank, f"{V1}/destinataire/evenements", {"depuis": feed["dernier"]}).json()
    assert later["resultats"] == [] and later["dernier"] == feed["dernier"]


def test_a_download_after_the_deadline_decides_at_home(holder, deposits, monkeypatch) -> None:
    signification = deposits.make("REF-API-TARD", SENT)
    bank = holder(BANK)
    act = signification.acts.get()
    _at(monkeypatch, signification.delivery_deadline + timedelta(minutes=1))

    assert get(bank, f"{DEPOSITS}/{signification.pk}/actes/{act.pk}").status_code == 200

    signification.refresh_from_db()
    assert signification.delivery_state == DeliveryState.AT_HOME
    assert signification.delivered_at == signification.delivery_deadline


def test_a_wrong_declaration_names_its_field(holder, deposits, service_dirs, monkeypatch) -> None:
    signification = deposits.make("REF-API-2", SENT)
    bank = holder(BANK)
    url = f"{DEPOSITS}/{signification.pk}/retour"
    _at(monkeypatch, SENT + timedelta(hours=2))

    def refused(declaration: Any) -> dict[str, Any]:
        return error(post(bank, url, {"declaration": json.dumps(declaration)}), 422)

    negative = refused({**DECLARATION, "solde_insaisissable": "-5"})
    assert negative["champ"] == "declaration.solde_insaisissable"
    assert "ne peut pas être négatif" in negative["erreur"]
    too_long = dict(DECLARATION, comptes=[dict(DECLARATION["comptes"][0], numero="X" * 35)])
    assert refused(too_long)["champ"] == "declaration.comptes.1.numero"
    twice = dict(DECLARATION, comptes=[DECLARATION["comptes"][0]] * 2)
    same = refused(twice)
    assert (same["champ"], same["erreur"]) == (
        "declaration.comptes.2.numero",
        "Ce compte est déjà déclaré plus haut : un compte par ligne.",
    )
    nothing = refused({"debiteur": "personne_morale"})
    assert nothing["champ"] == "declaration" and "au moins un compte" in nothing["erreur"]
    control = refused({**DECLARATION, "saisies_anterieures": "saisie\x00"})
    assert control["champ"] == "declaration.saisies_anterieures"
    wrong_kind = refused({**DECLARATION, "debiteur": "association"})
    assert wrong_kind["champ"] == "declaration.debiteur"
    not_json = error(post(bank, url, {"declaration": "{pas du json"}), 422)
    assert not_json["champ"] == "declaration"
    empty = error(post(bank, url, {}), 422)
    assert empty["champ"] == "pdf" and "Joignez votre réponse" in empty["erreur"]
    not_pdf = error(post(bank, url, {"pdf": _text_file()}), 422)
    assert not_pdf["erreur"]
    assert not ActReturn.objects.filter(signification=signification).exists()


def _text_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("reponse.pdf", b"ceci n'est pas un PDF", "application/pdf")


def test_another_banks_deposit_cannot_be_acknowledged_or_answered(holder, deposits) -> None:
    signification = deposits.make("REF-API-3", SENT)
    other = holder("recipient-credit-demo")

    for path in ("accuse-reception", "retour"):
        response = post(
            other, f"{DEPOSITS}/{signification.pk}/{path}", {"declaration": json.dumps(DECLARATION)}
        )
        assert error(response, 404)["erreur"] == "Aucun dépôt de ce numéro pour votre organisme."
    assert not Acknowledgment.objects.exists()
    assert not ActReturn.objects.exists()
