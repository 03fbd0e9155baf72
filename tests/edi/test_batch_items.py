"""A batch's items through the one serve call (issue 13, item 2), without workers: each
refusal is recorded on its item, with its French message and field, and the other items are
created; a batch is refused whole only when it is too large or reuses its reference for
other items; a re-submission creates nothing new."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from securact.documents.services import UploadRefused
from securact.edi.batch_status import BatchState, ItemState
from securact.edi.batches import BatchRefused, ItemRequest, submit_batch
from securact.edi.models import Batch, BatchItem, Upload
from securact.edi.uploads import expire_uploads, receive_upload
from securact.evidence.models import JournalEntry
from securact.significations import work_store
from securact.significations.models import Signification
from securact.signing.errors import SigningRefused
from securact.workflow import serving
from tests.edi.conftest import BANQUE_TEST, UNKNOWN_SIRET, close_service_hours

pytestmark = pytest.mark.django_db


def _submit(practice, caller, reference, items, factory):
    return submit_batch(practice, caller, reference, items, factory, signing_seconds=0)


def test_an_upload_is_checked_by_its_content_as_the_form_does(practice, caller, upload):
    with pytest.raises(UploadRefused) as refused:
        receive_upload(practice, caller, io.BytesIO(b"Bonjour, je suis un texte."), "acte.pdf")
    assert "acte.pdf" in refused.value.message
    assert Upload.objects.count() == 0

    kept = upload("PV de saisie.pdf")
    assert (kept.kind, kept.name) == ("pdf", "PV de saisie.pdf")
    assert work_store.holds(kept.key, kept.sha256)
    assert kept.expires_at > timezone.now() + timedelta(hours=23)


def test_each_refusal_is_recorded_on_its_item_and_the_others_are_created(
    practice, durand, caller, upload, remote_signers
):
    close_service_hours(BANQUE_TEST, "saisie-vente")
    act = str(upload().pk)
    expired = upload()
    Upload.objects.filter(pk=expired.pk).update(expires_at=timezone.now())

    def item(reference, **changes):
        fields = {
            "reference": reference,
            "recipient_siret": BANQUE_TEST,
            "nature": "mainlevee",
            "bailiff": durand.pk,
            "uploads": [act],
        }
        return ItemRequest(**{**fields, **changes})

    status = _submit(
        practice,
        caller,
        "LOT-REFUS",
        [
            item("R-OK-1"),
            item("R-SIRET", recipient_siret=UNKNOWN_SIRET),
            item("R-NATURE", nature="pas-une-nature"),
            item("R-PAS-ACCEPTEE", nature="signification-jugement"),
            item("R-HORAIRES", nature="saisie-vente"),
            item("R-HUISSIER", bailiff=999_999),
            item("R-EXPIRE", uploads=[str(expired.pk)]),
            item("R-SANS-ACTE", uploads=[]),
            item("référence accentuée"),
            item("R-OK-1"),
            item("R-OK-2"),
        ],
        remote_signers,
    )

    by_reference = {}
    for row in status.items:
        by_reference.setdefault(row.reference, []).append(row)
    assert [row.state for row in by_reference["R-OK-1"]] == [ItemState.IN_PROGRESS, "refused"]
    assert by_reference["R-OK-2"][0].state == ItemState.IN_PROGRESS
    refusals = {
        row.reference: (row.refusal_field, row.refusal_message)
        for row in status.items
        if row.state == ItemState.REFUSED
    }
    assert refusals["R-SIRET"] == (
        "recipient_siret",
        f"Aucun destinataire n'a le SIRET {UNKNOWN_SIRET}.",
    )
    assert refusals["R-NATURE"] == ("nature", "Nature d'acte inconnue : pas-une-nature.")
    assert refusals["R-PAS-ACCEPTEE"][0] == "nature"
    assert "n'accepte pas" in refusals["R-PAS-ACCEPTEE"][1]
    assert refusals["R-HORAIRES"][0] == "nature"
    assert refusals["R-HORAIRES"][1].endswith(
        "aujourd'hui le destinataire ne reçoit pas ce type d'acte."
    )
    assert refusals["R-HUISSIER"] == (
        "bailiff",
        "Aucun commissaire de justice « 999999 » dans votre étude.",
    )
    assert refusals["R-EXPIRE"] == (
        "files",
        f"Fichier téléversé introuvable ou expiré : {expired.pk}.",
    )
    assert refusals["R-SANS-ACTE"] == ("files", "Ajoutez au moins un acte à signifier.")
    assert refusals["référence accentuée"][0] == "reference"
    assert [r for r in status.items if r.reference == "R-OK-1"][1].refusal_message == (
        "La référence de dépôt « R-OK-1 » figure plusieurs fois dans le lot."
    )
    assert status.counts["total"] == 11
    assert status.counts[ItemState.REFUSED] == 9
    assert status.state == BatchState.IN_PROGRESS

    served = Signification.objects.order_by("reference")
    assert [s.reference for s in served] == ["R-OK-1", "R-OK-2"]
    assert {(s.source, s.actor_fingerprint) for s in served} == {("edi", caller)}
    submitted = JournalEntry.objects.filter(action="signification.submitted")
    assert sorted(e.data["source"] for e in submitted) == ["edi", "edi"]
    # One signer asked for the bailiff, whose PIN was checked once for the batch.
    assert remote_signers.made == ["Claire DURAND"]
    # The elements (personal data) are not kept on the item once processed.
    assert all(i.request.get("elements") is None for i in BatchItem.objects.all())


def test_submitting_the_same_batch_again_creates_nothing(
    practice, durand, caller, upload, remote_signers
):
    act = str(upload().pk)
    items = [
        ItemRequest(f"R-{n}", BANQUE_TEST, "mainlevee", durand.pk, [act]) for n in range(3)
    ] + [ItemRequest("R-X", UNKNOWN_SIRET, "mainlevee", durand.pk, [act])]
    first = _submit(practice, caller, "LOT-2", items, remote_signers)
    submitted = JournalEntry.objects.filter(action="signification.submitted").count()

    again = _submit(practice, caller, "LOT-2", items, remote_signers)

    assert again.items == first.items
    assert Batch.objects.count() == 1 and BatchItem.objects.count() == 4
    assert Signification.objects.count() == 3
    assert JournalEntry.objects.filter(action="signification.submitted").count() == submitted


def test_a_reference_served_in_one_batch_is_refused_in_another_and_a_refused_one_may_come_again(
    practice, durand, caller, upload, remote_signers
):
    act = str(upload().pk)
    _submit(
        practice,
        caller,
        "LOT-A",
        [
            ItemRequest("R-1", BANQUE_TEST, "mainlevee", durand.pk, [act]),
            ItemRequest("R-2", UNKNOWN_SIRET, "mainlevee", durand.pk, [act]),
        ],
        remote_signers,
    )

    second = _submit(
        practice,
        caller,
        "LOT-B",
        [
            ItemRequest("R-1", BANQUE_TEST, "mainlevee", durand.pk, [act]),
            ItemRequest("R-2", BANQUE_TEST, "mainlevee", durand.pk, [act]),
        ],
        remote_signers,
    )

    assert [(i.reference, i.state) for i in second.items] == [
        ("R-1", ItemState.REFUSED),
        ("R-2", ItemState.IN_PROGRESS),
    ]
    assert second.items[0].refusal_message == (
        "La référence de dépôt « R-1 » a déjà été transmise dans le lot « LOT-A »."
    )
    assert Signification.objects.filter(reference="R-1").count() == 1


def test_a_reference_used_by_the_web_form_is_refused_on_its_item(
    practice, durand, caller, upload, remote_signers
):
    act = str(upload().pk)
    _submit(
        practice,
        caller,
        "LOT-A",
        [ItemRequest("R-WEB", BANQUE_TEST, "mainlevee", durand.pk, [act])],
        remote_signers,
    )
    BatchItem.objects.update(state=BatchItem.State.REFUSED)  # as if it came from elsewhere

    status = _submit(
        practice,
        caller,
        "LOT-B",
        [ItemRequest("R-WEB", BANQUE_TEST, "mainlevee", durand.pk, [act])],
        remote_signers,
    )

    assert (status.items[0].state, status.items[0].refusal_field) == ("refused", "reference")
    assert status.items[0].refusal_message == (
        "La référence de dépôt « R-WEB » a déjà été utilisée par votre étude."
    )


def test_a_batch_is_refused_whole_only_when_too_large_or_its_reference_names_other_items(
    practice, durand, caller, remote_signers
):
    too_many = [ItemRequest(f"R-{n}", BANQUE_TEST, "mainlevee", durand.pk, []) for n in range(1001)]
    with pytest.raises(BatchRefused) as refused:
        _submit(practice, caller, "LOT-GROS", too_many, remote_signers)
    assert refused.value.message == (
        "Un lot contient au plus 1000 significations ; celui-ci en contient 1001 : scindez-le."
    )
    assert Batch.objects.count() == 0

    _submit(practice, caller, "LOT-1", too_many[:2], remote_signers)
    with pytest.raises(BatchRefused) as refused:
        _submit(practice, caller, "LOT-1", too_many[2:4], remote_signers)
    assert refused.value.field == "reference"
    assert "a déjà été reçu avec d'autres significations" in refused.value.message


class _WrongPin(serving.Signer):
    """A signer whose token refuses the PIN; counts the tries (the token is not touched)."""

    tries = 0

    def __init__(self) -> None:
        self.token_label, self.certificate = "jeton", None  # type: ignore[assignment]

    def check_pin(self) -> None:
        type(self).tries += 1
        raise SigningRefused("Code PIN incorrect. Vérifiez-le et recommencez.")


def test_a_wrong_pin_refuses_each_item_of_its_bailiff_after_one_try(
    practice, durand, caller, upload
):
    act = str(upload().pk)
    items = [ItemRequest(f"R-{n}", BANQUE_TEST, "mainlevee", durand.pk, [act]) for n in range(3)]

    status = _submit(practice, caller, "LOT-PIN", items, lambda bailiff, certificate: _WrongPin())

    assert [i.refusal_message for i in status.items] == [
        "Code PIN incorrect. Vérifiez-le et recommencez."
    ] * 3
    assert _WrongPin.tries == 1
    assert Signification.objects.count() == 0
    assert status.state == BatchState.DONE_WITH_ERRORS


def test_expired_uploads_are_removed_with_their_file(upload):
    kept, gone = upload(), upload()
    Upload.objects.filter(pk=gone.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert expire_uploads() == 1

    assert list(Upload.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not work_store.exists(gone.key)
    assert work_store.exists(kept.key)
