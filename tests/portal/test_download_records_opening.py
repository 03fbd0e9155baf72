"""Downloading an act (F8.1): the exact bytes of the recipient's vault, as an attachment;
the first download is the opening (CPC 663) — recorded once by the delivery service, with
the ETSI events in the journal — and decides *remise à personne* before the deadline; later
downloads are tracked and change nothing. A damaged file is never served and records
nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from securact.evidence import journal
from securact.evidence.models import JournalEntry
from securact.significations.models import DeliveryState
from securact.vault.storage import blob_name
from tests.portal.conftest import BANK, acts_of, body, fingerprint_of, get

SENT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def _at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr("securact.core.clock.now", lambda: moment)


def _actions(signification) -> list[str]:
    return list(
        JournalEntry.objects.filter(
            signification_id=signification.pk,
            action__in=[
                journal.Action.OPENED,
                journal.Action.DOWNLOADED,
                journal.Action.DELIVERED_IN_PERSON,
                journal.Action.DELIVERED_AT_HOME,
            ],
        )
        .order_by("sequence")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_first_download_opens_once_and_delivers_in_person(bank, deposits, identities, monkeypatch):
    signification = deposits.make("REF-OUVERTURE", SENT, files=("acte.pdf", "annexe.pdf"))
    first, second = acts_of(signification)
    url = f"/destinataire/depots/{signification.pk}/actes/{first.pk}/"
    opened = SENT + timedelta(hours=3)
    _at(monkeypatch, opened)

    response = get(bank, url)

    assert response.status_code == 200
    content = body(response)
    assert hashlib.sha256(content).hexdigest() == first.stored_file.sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{first.deposited_name}"'
    assert "no-store" in response["Cache-Control"]
    signification.refresh_from_db()
    assert signification.opened_at == opened
    assert signification.delivery_state == DeliveryState.IN_PERSON
    assert signification.delivered_at == opened

    _at(monkeypatch, opened + timedelta(hours=1))
    assert get(bank, url).status_code == 200
    _at(monkeypatch, opened + timedelta(hours=2))
    other = get(bank, f"/destinataire/depots/{signification.pk}/actes/{second.pk}/")
    assert body(other).startswith(b"%PDF-1.7 " + second.deposited_name.encode())

    signification.refresh_from_db()
    assert signification.opened_at == opened  # set once
    assert _actions(signification) == [
        journal.Action.OPENED,
        journal.Action.DOWNLOADED,
        journal.Action.DELIVERED_IN_PERSON,
        journal.Action.DOWNLOADED,
        journal.Action.DOWNLOADED,
    ]
    entries = JournalEntry.objects.filter(
        signification_id=signification.pk, action=journal.Action.OPENED
    )
    (entry,) = entries
    assert entry.actor == fingerprint_of(identities, BANK)
    assert entry.data["etsi_event"] == "ContentHandover"
    page = get(bank, f"/destinataire/depots/{signification.pk}/").content.decode()
    assert "Remis à personne" in page
    assert "10/03/2026 13:30:00" in page  # opened, Paris time
    assert "Première ouverture de l&#x27;acte" in page or "Première ouverture de l'acte" in page


@pytest.mark.django_db
def test_a_download_after_the_deadline_is_recorded_and_stays_at_home(bank, deposits, monkeypatch):
    signification = deposits.make("REF-TARDIF", SENT)
    (act,) = acts_of(signification)
    late = SENT + timedelta(hours=24, seconds=1)
    _at(monkeypatch, late)

    assert get(bank, f"/destinataire/depots/{signification.pk}/actes/{act.pk}/").status_code == 200

    signification.refresh_from_db()
    assert signification.opened_at == late
    assert signification.delivery_state == DeliveryState.AT_HOME
    assert signification.delivered_at == signification.delivery_deadline


@pytest.mark.django_db
def test_a_damaged_act_is_not_served_and_not_recorded(bank, deposits, settings, monkeypatch):
    signification = deposits.make("REF-ABIME", SENT)
    (act,) = acts_of(signification)
    blob = settings.SECURACT_VAULT_DIR / blob_name(act.stored_file.sha256)
    blob.chmod(0o600)
    blob.write_bytes(b"%PDF-1.7 altered")
    _at(monkeypatch, SENT + timedelta(hours=1))

    response = get(bank, f"/destinataire/depots/{signification.pk}/actes/{act.pk}/")

    assert response.status_code == 409
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert "contrôle d&#x27;intégrité en échec" in page or "contrôle d'intégrité en échec" in page
    assert "n&#x27;a pas été enregistré" in page or "n'a pas été enregistré" in page
    signification.refresh_from_db()
    assert signification.opened_at is None
    assert signification.delivery_state == DeliveryState.AWAITING
    assert _actions(signification) == []


@pytest.mark.django_db
def test_a_head_request_is_not_an_opening(bank, deposits):
    signification = deposits.make("REF-HEAD", SENT)
    (act,) = acts_of(signification)
    url = f"/destinataire/depots/{signification.pk}/actes/{act.pk}/"
    assert bank.head(url, secure=True).status_code == 405
    signification.refresh_from_db()
    assert signification.opened_at is None
    assert _actions(signification) == []
