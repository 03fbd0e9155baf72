"""The recipient's settings (F8.2): accepted natures and their weekly hours, alert contacts,
the record of its consent. Every change is journaled with a French message and its old and
new values, takes effect at once on the bailiff's service form (``/signifier/horaires/``
reads the same rows), and bad input is a French field error that changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape

from securact.directory.models import AcceptedNature, ActNature, Recipient, ServiceWindow
from securact.evidence.models import JournalEntry
from securact.portal import consent
from tests.portal.conftest import BANK, bank_recipient, fingerprint_of, get, post

MONDAY_AFTERNOON = datetime(2026, 11, 23, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
SETTINGS = "/destinataire/parametres/"


@pytest.fixture
def monday_afternoon(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_AFTERNOON)


def _accepted(code: str) -> AcceptedNature:
    return AcceptedNature.objects.get(recipient=bank_recipient(), nature__code=code)


def _hours(bailiff, code: str) -> str:
    nature = ActNature.objects.get(code=code)
    return get(
        bailiff, f"/signifier/horaires/?recipient={bank_recipient().pk}&nature={nature.pk}"
    ).content.decode()


def _last_change() -> JournalEntry:
    return JournalEntry.objects.filter(action__startswith="recipient.").latest("sequence")


ALLOWED = "Ce destinataire reçoit ce type d'acte en ce moment."
NOT_ACCEPTED = "Ce destinataire n&#x27;accepte pas ce type d&#x27;acte."


@pytest.mark.django_db
def test_the_page_shows_the_consent_natures_hours_and_contacts(bank):
    page = get(bank, SETTINGS).content.decode()
    accepted = _accepted("saisie-vente")
    assert "Consentement en vigueur depuis le" in page
    assert "7 natures d&#x27;actes" in page or "7 natures d'actes" in page
    assert f"acceptée le {accepted.accepted_at.astimezone(ZoneInfo('Europe/Paris')):%d/%m/%Y}" in (
        page
    )
    assert escape(accepted.nature.label) in page
    assert "Lundi de 08:00 à 12:00" in page
    assert 'value="significations@banque-test.example"' in page
    assert 'value="+33612345601"' in page
    assert 'href="/destinataire/parametres/" aria-current="page">Paramètres</a>' in page


@pytest.mark.django_db
def test_hours_changes_are_journaled_and_seen_at_once_by_the_bailiffs_form(
    holder, identities, monday_afternoon
):
    bank, bailiff = holder(BANK), holder("bailiff-durand")
    accepted = _accepted("saisie-vente")
    assert "de 08h00 à 12h00" in _hours(bailiff, "saisie-vente")  # Monday 14:00: refused

    added = post(
        bank,
        f"/destinataire/parametres/natures/{accepted.pk}/plages/",
        {
            f"plage-{accepted.pk}-weekday": "0",
            f"plage-{accepted.pk}-start": "13:00",
            f"plage-{accepted.pk}-end": "18:00",
        },
    )

    assert added.status_code == 303
    assert added["Location"] == f"{SETTINGS}#nature-{accepted.pk}"
    assert ALLOWED in _hours(bailiff, "saisie-vente")
    entry = _last_change()
    assert entry.action == consent.WINDOW_ADDED
    assert entry.actor == fingerprint_of(identities, BANK)
    assert entry.data["siret"] == "99999001300016"
    assert entry.data["message"] == (
        f"Plage horaire ajoutée pour {accepted.nature.label} : lundi de 13:00 à 18:00"
    )
    monday = {"weekday": 0, "start": "13:00", "end": "18:00"}
    assert monday not in entry.data["old"] and monday in entry.data["new"]
    assert len(entry.data["new"]) == len(entry.data["old"]) + 1

    window = ServiceWindow.objects.get(accepted_nature=accepted, weekday=0, start="13:00")
    removed = post(bank, f"/destinataire/parametres/plages/{window.pk}/retirer/")
    assert removed.status_code == 303
    assert "de 08h00 à 12h00" in _hours(bailiff, "saisie-vente")
    entry = _last_change()
    assert entry.action == consent.WINDOW_REMOVED
    assert monday in entry.data["old"] and monday not in entry.data["new"]
    page = get(bank, SETTINGS).content.decode()
    assert "Plage horaire retirée pour" in page  # the consent's history
    assert "Plage horaire ajoutée pour" in page


@pytest.mark.django_db
def test_withdrawing_and_accepting_a_nature_are_journaled_and_effective(holder, monday_afternoon):
    bank, bailiff = holder(BANK), holder("bailiff-durand")
    accepted = _accepted("saisie-vente")
    windows = accepted.windows.count()

    assert post(bank, f"/destinataire/parametres/natures/{accepted.pk}/retirer/").status_code == 303

    assert NOT_ACCEPTED in _hours(bailiff, "saisie-vente")
    entry = _last_change()
    assert entry.action == consent.NATURE_WITHDRAWN
    assert entry.data["old"]["nature"] == "saisie-vente"
    assert len(entry.data["old"]["windows"]) == windows
    assert entry.data["new"] is None

    nature = ActNature.objects.get(code="saisie-vente")
    again = post(bank, "/destinataire/parametres/natures/", {"accepter-nature": nature.pk})
    assert again.status_code == 303
    assert ALLOWED in _hours(bailiff, "saisie-vente")  # no windows: any legal time
    entry = _last_change()
    assert entry.action == consent.NATURE_ACCEPTED
    assert entry.data["old"] is None and entry.data["new"]["nature"] == "saisie-vente"
    assert "acceptée le 23/11/2026 à 14:00" in get(bank, SETTINGS).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("12:00", "08:00", "end", "L&#x27;heure de fin doit suivre l&#x27;heure de début."),
        ("10:00", "10:00", "end", "L&#x27;heure de fin doit suivre l&#x27;heure de début."),
        (
            "11:00",
            "13:00",
            "start",
            "Cette plage chevauche la plage existante du lundi de 08:00 à 12:00.",
        ),
        ("25:00", "26:00", "start", "Saisissez une heure valide, par exemple 08:00."),
        ("", "12:00", "start", "Indiquez l&#x27;heure de début."),
    ],
)
def test_bad_windows_are_french_field_errors_and_change_nothing(bank, start, end, field, message):
    accepted = _accepted("saisie-vente")
    before = list(accepted.windows.values_list("pk", flat=True))
    journaled = JournalEntry.objects.count()
    prefix = f"plage-{accepted.pk}"

    response = post(
        bank,
        f"/destinataire/parametres/natures/{accepted.pk}/plages/",
        {f"{prefix}-weekday": "0", f"{prefix}-start": start, f"{prefix}-end": end},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    field_html = page.split(f'id="id_{prefix}-{field}"', 1)[1].split("</div>", 1)[0]
    assert message in field_html  # said next to its field
    assert list(accepted.windows.values_list("pk", flat=True)) == before
    assert JournalEntry.objects.count() == journaled


@pytest.mark.django_db
def test_adjacent_windows_do_not_overlap(bank):
    accepted = _accepted("saisie-vente")
    prefix = f"plage-{accepted.pk}"
    response = post(
        bank,
        f"/destinataire/parametres/natures/{accepted.pk}/plages/",
        {f"{prefix}-weekday": "0", f"{prefix}-start": "12:00", f"{prefix}-end": "14:00"},
    )
    assert response.status_code == 303


@pytest.mark.django_db
def test_contacts_are_validated_normalized_and_journaled(bank, identities):
    response = post(
        bank,
        "/destinataire/parametres/contacts/",
        {"email": "alertes@banque-test.example", "mobile": "06 98 76 54 32"},
    )
    assert response.status_code == 303
    recipient = bank_recipient()
    assert recipient.email == "alertes@banque-test.example"
    assert recipient.mobile == "+33698765432"
    entry = _last_change()
    assert entry.action == consent.CONTACTS_CHANGED
    assert entry.data["old"] == {
        "email": "significations@banque-test.example",
        "mobile": "+33612345601",
    }
    assert entry.data["new"] == {"email": "alertes@banque-test.example", "mobile": "+33698765432"}
    assert "Contacts d&#x27;alerte modifiés" in get(bank, SETTINGS).content.decode()
    # The same values again: nothing changes, nothing journaled.
    count = JournalEntry.objects.count()
    post(
        bank,
        "/destinataire/parametres/contacts/",
        {"email": "alertes@banque-test.example", "mobile": "+33698765432"},
    )
    assert JournalEntry.objects.count() == count


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "pas-une-adresse", "mobile": ""}, "Saisissez une adresse électronique valide"),
        ({"email": "", "mobile": ""}, "Indiquez l&#x27;adresse électronique des alertes."),
        (
            {"email": "a@b.fr", "mobile": "01 42 34 56 78"},
            "Ce numéro n&#x27;est pas un numéro de mobile.",
        ),
        ({"email": "a@b.fr", "mobile": "12345"}, "Numéro de mobile invalide."),
    ],
)
def test_bad_contacts_are_french_field_errors(bank, data, message):
    count = JournalEntry.objects.count()
    response = post(bank, "/destinataire/parametres/contacts/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    recipient = bank_recipient()
    assert recipient.email == "significations@banque-test.example"
    assert JournalEntry.objects.count() == count


@pytest.mark.django_db
def test_another_recipients_natures_and_windows_are_404(bank):
    other = Recipient.objects.get(siret="99999003900011")
    their_nature = AcceptedNature.objects.filter(recipient=other).first()
    their_window = ServiceWindow.objects.filter(accepted_nature=their_nature).first()
    prefix = f"plage-{their_nature.pk}"
    for path, data in [
        (f"/destinataire/parametres/natures/{their_nature.pk}/retirer/", {}),
        (
            f"/destinataire/parametres/natures/{their_nature.pk}/plages/",
            {f"{prefix}-weekday": "1", f"{prefix}-start": "08:00", f"{prefix}-end": "09:00"},
        ),
        (f"/destinataire/parametres/plages/{their_window.pk}/retirer/", {}),
    ]:
        assert post(bank, path, data).status_code == 404, path
    assert AcceptedNature.objects.filter(pk=their_nature.pk).exists()
    assert ServiceWindow.objects.filter(pk=their_window.pk).exists()
    assert not ServiceWindow.objects.filter(accepted_nature=their_nature, weekday=1).exists()


@pytest.mark.django_db
def test_an_already_accepted_nature_cannot_be_accepted_again(bank):
    accepted = _accepted("mainlevee")
    response = post(
        bank, "/destinataire/parametres/natures/", {"accepter-nature": accepted.nature_id}
    )
    assert response.status_code == 400
    assert "Choisissez une nature de la liste" in response.content.decode()
