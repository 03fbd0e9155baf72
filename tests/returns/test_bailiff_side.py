"""The bailiff sees the return: dashboard category 4 counts and lists it, the detail's
section 4 shows its date, name, deadline and state, and the author downloads the sealed PDF
(which validates and shows both accounts) — a colleague sees the name, not the bytes."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest

from securact.evidence.errors import SealTransientError
from securact.returns import sealing_step
from securact.returns.models import ActReturn
from securact.returns.services import submit_return
from securact.significations.models import Signification
from securact.signing import services as signing
from tests.returns.conftest import ANSWERED, RECIPIENT_ACTOR, SENT, TWO_ACCOUNTS, pdf_text
from tests.web.conftest import signed_in  # noqa: F401 - the signed-in client fixture
from tests.web.test_search_support import bailiff_named, declare, get, make_signification


def _section(page: str, number: str) -> str:
    return page.split(f'id="section-{number}"', 1)[1].split("</section>", 1)[0]


def _answered(reference: str) -> tuple[Signification, ActReturn]:
    signification = make_signification(bailiff_named("DURAND"), reference, sent_at=SENT)
    act_return = submit_return(
        signification.pk,
        recipient=signification.recipient,
        actor=RECIPIENT_ACTOR,
        declaration=TWO_ACCOUNTS,
        at=ANSWERED,
    )
    return signification, act_return


@pytest.mark.django_db
def test_section_4_shows_and_the_author_downloads_the_return(
    signed_in: Any,  # noqa: F811
    service_dirs: Any,
    tmp_path: Path,
) -> None:
    client = signed_in("bailiff-durand")
    signification, act_return = _answered("RETOUR-1")
    name = "9991_RETOUR-1_20260310_103000_SAISIE_ATTRIBUTION.pdf"
    assert act_return.name == name

    four = _section(get(client, f"/significations/{signification.pk}/").content.decode(), "4")
    assert name in four
    assert "10/03/2026 16:00:00" in four  # deposited 15:00 UTC, shown in Paris time
    assert "mercredi 11 mars 2026" in four  # the R.211-4 deadline
    assert "Réponse déposée par le destinataire dans le délai" in four
    link = f"/significations/{signification.pk}/fichiers/{act_return.stored_file.pk}/"
    assert link in four

    response = get(client, link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "downloaded.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    assert signing.validate_pades_offline(
        pdf, signing.trust_roots(), signing.intermediate_certificates()
    ).ok
    text = pdf_text(pdf)
    assert "FR7630006000011234567890189" in text and "1 234,56 €" in text
    assert "LIV-000987654" in text and "20 500,00 €" in text


@pytest.mark.django_db
def test_a_colleague_sees_the_name_not_the_file(
    signed_in: Any,  # noqa: F811
    identities: Any,
    service_dirs: Any,
) -> None:
    signed_in("bailiff-durand")  # declares Durand's vault
    signification, act_return = _answered("RETOUR-2")
    declare(identities, "bailiff-martin")
    client = signed_in("bailiff-martin")

    four = _section(get(client, f"/significations/{signification.pk}/").content.decode(), "4")
    assert act_return.name in four
    assert "/fichiers/" not in four
    link = f"/significations/{signification.pk}/fichiers/{act_return.stored_file.pk}/"
    assert get(client, link).status_code == 404


@pytest.mark.django_db
def test_dashboard_category_4_counts_and_lists_it(
    signed_in: Any,  # noqa: F811
    service_dirs: Any,
) -> None:
    client = signed_in("bailiff-durand")
    _answered("RETOUR-3")

    home = get(client, "/").content.decode()
    count = home.split('id="count-act_return">', 1)[1].split("<", 1)[0]
    assert count == "1"
    table = get(client, "/", {"categorie": "act_return"}).content.decode()
    listed = html.unescape(table.split('id="table-act_return"', 1)[1].split("</details>", 1)[0])
    assert "RETOUR-3" in listed
    assert "Dépôt du retour d'acte" in listed


@pytest.mark.django_db
def test_awaiting_return_shows_its_deadline(signed_in: Any) -> None:  # noqa: F811
    client = signed_in("bailiff-durand")
    signification = make_signification(bailiff_named("DURAND"), "ATTENTE", sent_at=SENT)

    four = _section(get(client, f"/significations/{signification.pk}/").content.decode(), "4")
    assert "9991_ATTENTE_20260310_103000_SAISIE_ATTRIBUTION.pdf" in four
    assert "(pas encore déposé)" in four
    assert "mercredi 11 mars 2026" in four
    assert "Pas encore de réponse du destinataire" in four


@pytest.mark.django_db
def test_section_4_shows_a_return_received_while_the_seal_waits(
    signed_in: Any,  # noqa: F811
    service_dirs: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = signed_in("bailiff-durand")

    def authority_down(pdf: Path, out: Path) -> None:
        raise SealTransientError("Le service d'horodatage est injoignable.")

    monkeypatch.setattr(sealing_step, "seal_pdf", authority_down)
    signification, act_return = _answered("RETOUR-2")
    assert act_return.stored_file is None

    four = _section(get(client, f"/significations/{signification.pk}/").content.decode(), "4")
    assert "10/03/2026 16:00:00" in four  # received 15:00 UTC, shown in Paris time
    assert "reçu, en attente de scellement et de dépôt" in four
    assert "horodatage est injoignable" in four
    assert "Réponse déposée par le destinataire dans le délai" in four  # not overdue
