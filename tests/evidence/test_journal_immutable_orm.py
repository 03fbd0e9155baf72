"""Django refuses every way of changing or deleting a journal entry (model, queryset, admin)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from securact.evidence import journal
from securact.evidence.checking import check_tree
from securact.evidence.models import JournalEntry, JournalImmutableError

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry() -> JournalEntry:
    journal.append("signification.submitted", actor="platform", signification_id=3)
    return journal.append("signification.deposited", actor="platform", signification_id=3)


def _save_changed(entry: JournalEntry) -> None:
    entry.action = "signification.cancelled"
    entry.save()


REFUSED: dict[str, Callable[[JournalEntry], object]] = {
    "save": _save_changed,
    "delete": lambda entry: entry.delete(),
    "queryset update": lambda entry: JournalEntry.objects.filter(pk=entry.pk).update(actor="x"),
    "queryset delete": lambda entry: JournalEntry.objects.all().delete(),
    "bulk_update": lambda entry: JournalEntry.objects.bulk_update([entry], ["actor"]),
    "create": lambda entry: JournalEntry.objects.create(sequence=99, action="forged"),
    "bulk_create": lambda entry: JournalEntry.objects.bulk_create([JournalEntry(sequence=99)]),
}


@pytest.mark.parametrize("operation", REFUSED)
def test_orm_refuses(entry: JournalEntry, operation: str) -> None:
    with pytest.raises(JournalImmutableError):
        REFUSED[operation](entry)

    assert JournalEntry.objects.count() == 2
    assert check_tree().problems == []


def test_an_entry_with_a_wrong_hash_cannot_be_inserted(entry: JournalEntry) -> None:
    forged = JournalEntry(
        sequence=entry.sequence + 1,
        recorded_at=entry.recorded_at,
        actor="platform",
        action="signification.deposited",
        data={},
        previous_hash="",
        entry_hash="0" * 64,
    )

    with pytest.raises(ValueError, match="entry_hash"):
        forged.save()


def test_admin_is_read_only(entry: JournalEntry) -> None:
    admin = site._registry[JournalEntry]
    request = RequestFactory().get("/admin/evidence/journalentry/")

    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)
    assert "data" in admin.get_readonly_fields(request, entry)
