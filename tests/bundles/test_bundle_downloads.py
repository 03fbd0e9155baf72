"""The evidence bundle's downloads: the bailiff who served the act from its detail page, the
recipient from its portal (the acts are in it: its download is the opening), nobody else —
the other bailiff of the practice and another recipient get the 404 of a missing one. A
document damaged in storage refuses the bundle, and records nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from securact.evidence.journal import entries_for
from securact.evidence.models import JournalEntry
from securact.significations.models import DeliveryState
from tests.bundles.conftest import manifest_ok, members_of
from tests.vault.storage_tampering import flip_byte, local_vault

pytestmark = pytest.mark.django_db


def _zip(response) -> dict[str, bytes]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    return members_of(b"".join(response.streaming_content))


def test_the_bailiff_who_served_it_downloads_the_whole_bundle(sample, signed_in):
    pk = sample.signification.pk
    client = signed_in("bailiff-durand")
    detail = client.get(reverse("web:detail", args=[pk]))
    assert "Télécharger le dossier de preuve" in detail.content.decode()

    response = client.get(reverse("web:bundle", args=[pk]))

    assert 'filename="dossier-preuve_9991_PREUVE-1.zip"' in response["Content-Disposition"]
    members = _zip(response)
    manifest_ok(members)
    name = sample.signification.acts.get().deposited_name
    assert members[f"actes/{name}.p7s"] == sample.p7s
    assert members["certificats/depot.xml"] == b"<attestation>depot</attestation>\n"
    for sequence in sample.entries.values():
        assert f"journal/entries/{sequence}.json" in members
        assert f"journal/proofs/{sequence}.json" in members


def test_nobody_else_gets_the_bundle(sample, signed_in):
    pk = sample.signification.pk
    assert signed_in("bailiff-martin").get(reverse("web:bundle", args=[pk])).status_code == 404
    assert (
        signed_in("bailiff-durand").get(reverse("web:bundle", args=[pk + 1000])).status_code == 404
    )
    other = signed_in("recipient-credit-demo")
    assert other.get(reverse("portal:bundle", args=[pk])).status_code == 404
    assert other.get(reverse("web:bundle", args=[pk])).status_code == 403
    assert signed_in("bailiff-durand").get(reverse("portal:bundle", args=[pk])).status_code == 403
    assert not JournalEntry.objects.filter(action__in=["act.opened", "act.downloaded"]).exists()


def test_the_recipients_bundle_counts_as_the_opening_and_holds_what_its_portal_shows(
    sample, signed_in
):
    pk = sample.signification.pk
    client = signed_in("recipient-banque-test")
    assert (
        "Télécharger le dossier de preuve"
        in client.get(reverse("portal:deposit", args=[pk])).content.decode()
    )

    members = _zip(client.get(reverse("portal:bundle", args=[pk])))

    manifest_ok(members)
    shown = sample.entries["signification.deposited"]
    assert f"journal/entries/{shown}.json" in members
    for hidden in ("signification.submitted", "signification.archived"):
        assert f"journal/entries/{sample.entries[hidden]}.json" not in members
    sample.signification.refresh_from_db()
    assert sample.signification.opened_at is not None
    assert sample.signification.delivery_state == DeliveryState.IN_PERSON
    assert entries_for(pk).filter(action="act.opened").count() == 1


def test_a_damaged_document_refuses_the_bundle_and_records_nothing(sample, signed_in):
    flip_byte(local_vault(), sample.act.sha256, offset=100)
    pk = sample.signification.pk

    response = signed_in("recipient-banque-test").get(reverse("portal:bundle", args=[pk]))

    assert response.status_code == 409
    text = response.content.decode()
    assert "ne correspond plus" in text and "actes/" in text
    sample.signification.refresh_from_db()
    assert sample.signification.opened_at is None
    bailiff = signed_in("bailiff-durand").get(reverse("web:bundle", args=[pk]))
    assert bailiff.status_code == 409
