"""The *EDI* page lists the practice's batches (issue 13, item 6): each one's state and
progress, and every refused or failed item with its reason; another practice's batches are
not shown; the list is paged."""

from __future__ import annotations

import html
import re

import pytest

from securact.directory.models import Practice
from securact.edi.models import Batch, BatchItem
from securact.significations.models import Signification
from tests.web.test_edi_certificates import _as, _info
from tests.web.test_search_support import bailiff_named, make_signification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def behind_proxy(settings, pki_server, demo_directory) -> None:
    settings.SECURACT_CLIENT_CERT_SOURCE = "proxy"
    settings.SECURACT_TRUSTED_PROXIES = ["127.0.0.1"]


def _batch(practice: Practice, reference: str) -> Batch:
    return Batch.objects.create(
        practice=practice, client_reference=reference, submitted_by="0" * 64
    )


def _item(batch: Batch, position: int, reference: str, **fields) -> BatchItem:
    return BatchItem.objects.create(
        batch=batch, practice=batch.practice, position=position, reference=reference, **fields
    )


def _rows(page: str) -> dict[str, str]:
    """Each batch's row of the table, by its reference."""
    found = re.findall(r'<tr>\s*<th scope="row">([^<]+)</th>(.*?)</tr>', page, re.S)
    return {reference: re.sub(r"\s+", " ", body) for reference, body in found}


def test_batches_with_their_progress_and_errors(client, identities):
    from securact.vault.services import declare_vault

    durand_identity = identities["bailiff-durand"]
    declare_vault(_info(durand_identity))
    durand = bailiff_named("DURAND")
    batch = _batch(durand.practice, "LOT-2026-12-05-A")
    served = make_signification(durand, "EDI-1", source=Signification.Source.EDI)
    running = make_signification(
        durand, "EDI-2", source=Signification.Source.EDI, state=Signification.State.IN_PROGRESS
    )
    _item(batch, 1, "EDI-1", state=BatchItem.State.CREATED, signification=served)
    _item(batch, 2, "EDI-2", state=BatchItem.State.CREATED, signification=running)
    _item(
        batch,
        3,
        "EDI-3",
        state=BatchItem.State.REFUSED,
        refusal_message="Aucun destinataire de SIRET 12345678901234.",
        refusal_field="siret",
    )
    other = Practice.objects.create(code="9992", name="Autre étude")
    _batch(other, "LOT-AUTRE-ETUDE")

    page = html.unescape(client.get("/edi/", **_as(durand_identity)).content.decode())
    rows = _rows(page)
    assert set(rows) == {"LOT-2026-12-05-A"}
    row = rows["LOT-2026-12-05-A"]
    assert "en cours" in row
    assert '<progress max="3" value="2"' in row
    assert "1 servie(s), 2 sur 3 traitée(s)" in row
    assert "EDI-3 — Aucun destinataire de SIRET 12345678901234." in row
    assert "EDI-1" not in row  # served: no error to show


def test_the_batches_are_paged(client, identities):
    from securact.vault.services import declare_vault

    durand_identity = identities["bailiff-durand"]
    declare_vault(_info(durand_identity))
    practice = bailiff_named("DURAND").practice
    for n in range(25):
        _batch(practice, f"LOT-{n:02d}")
    first = html.unescape(client.get("/edi/", **_as(durand_identity)).content.decode())
    second = html.unescape(client.get("/edi/?page=2", **_as(durand_identity)).content.decode())
    assert len(_rows(first)) == 20 and len(_rows(second)) == 5
    assert set(_rows(first)).isdisjoint(_rows(second))
    assert "Page 1 sur 2" in first and "Lots plus anciens" in first


def test_no_batch_yet(client, identities):
    from securact.vault.services import declare_vault

    declare_vault(_info(identities["bailiff-durand"]))
    page = html.unescape(client.get("/edi/", **_as(identities["bailiff-durand"])).content.decode())
    assert "Aucun lot n'a encore été reçu" in page
