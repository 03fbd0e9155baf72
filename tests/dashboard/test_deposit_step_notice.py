"""The deposit step (F4.3) puts the signification into "awaiting consultation", once, even
when the step runs again (after a crash, or a retry) or the service is called twice."""

from __future__ import annotations

import pytest

from securact.dashboard.models import Category, DashboardNotice
from securact.dashboard.services import notify_awaiting
from securact.significations.models import Act, Signification
from securact.workflow.steps import DepositStep


@pytest.fixture
def signed_acts(notices, bailiff, tmp_path, settings):
    settings.SECURACT_VAULT_DIR = tmp_path / "vault"
    signification = notices.signification(bailiff, reference="DEPOT-1", files=2)
    Signification.objects.filter(pk=signification.pk).update(sent_at=None)
    for act in signification.acts.all():
        signed = tmp_path / f"{act.position}.signed.pdf"
        signed.write_bytes(b"%PDF-1.7 acte signe " + bytes([act.position]))
        Act.objects.filter(pk=act.pk).update(signed_path=str(signed), deposited_name="")
    return Signification.objects.select_related("practice", "recipient", "nature").get(
        pk=signification.pk
    )


@pytest.mark.django_db
def test_deposit_step_run_twice_creates_one_awaiting_notice(signed_acts):
    DepositStep().run(signed_acts)
    # Run again as after a crash in the middle: the second act is not deposited yet.
    Act.objects.filter(signification=signed_acts, position=2).update(stored_file=None)
    DepositStep().run(signed_acts)

    notice = DashboardNotice.objects.get(signification=signed_acts)
    assert notice.category == Category.AWAITING
    assert notice.viewed_at is None
    assert notice.bailiff_id == signed_acts.bailiff_id
    assert notice.reference == "DEPOT-1"
    signed_acts.refresh_from_db()
    assert notice.deposited_at == signed_acts.sent_at
    first = signed_acts.acts.get(position=1).deposited_name
    assert first and notice.deposited_file == first
    assert notice.file_count == 2
    assert notice.recipient_name == signed_acts.recipient.name


@pytest.mark.django_db
def test_notify_awaiting_twice_keeps_one_notice(notices, bailiff):
    signification = notices.signification(bailiff)
    first = notify_awaiting(signification)
    second = notify_awaiting(signification)
    assert first.pk == second.pk
    assert DashboardNotice.objects.filter(signification=signification).count() == 1
