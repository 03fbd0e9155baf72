"""A garnishment as the deposit step leaves it, data message included, without running the
whole process (the end-to-end test does): the act in the recipient's vault, the elements
recorded, then the real ``deposit_data_message`` (sealed with the token and the test TSA)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pikepdf

from securact.datamessage.forms import ActElementsForm
from securact.datamessage.models import DataMessage
from securact.datamessage.services import deposit_data_message, record_elements
from securact.directory.models import Bailiff, Recipient
from securact.significations.models import Act, Signification
from securact.vault.models import StoredFile
from securact.vault.services import deposit_file, recipient_vault
from tests.datamessage.samples import person_elements
from tests.web.test_search_support import make_signification


def served_garnishment(
    bailiff: Bailiff, recipient: Recipient, reference: str, sent_at: datetime, work: Path
) -> Signification:
    signification = make_signification(bailiff, reference, recipient=recipient, sent_at=sent_at)
    act = signification.acts.get()
    signed = work / f"{reference}.signed.pdf"
    work.mkdir(parents=True, exist_ok=True)
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.docinfo["/Title"] = reference  # each act its own bytes
        pdf.save(signed)
    stored = deposit_file(
        recipient_vault(recipient),
        act.deposited_name,
        signed,
        depositor=signification.actor_fingerprint,
        deposited_at=sent_at,
        kind=StoredFile.Kind.ACT,
        signification_id=signification.pk,
    )
    Act.objects.filter(pk=act.pk).update(stored_file=stored, signed_path=str(signed))
    form = ActElementsForm(data=person_elements())
    assert form.is_valid(), form.errors
    record_elements(signification, form.save(commit=False))
    return signification


def with_data_message(signification: Signification) -> DataMessage:
    recorded = deposit_data_message(signification)
    assert recorded is not None
    return recorded
