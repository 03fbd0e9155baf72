"""An entry rewritten in the database together with its leaf, the tiles and the head — a
change no check inside the database can see — is caught against the signed checkpoints:
``securact check_journal`` exits 1 and names the entry; and no new checkpoint is signed over
the rewritten tree."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from securact.evidence import checkpoints
from securact.evidence.checking import check_tree
from securact.evidence.checkpoint_check import verify_checkpoints
from securact.evidence.checkpoint_models import Checkpoint
from tests.evidence.checkpoint_helpers import journal_of, rebuild_tree, rewrite_entry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("triggers_off")]


def _check_journal() -> tuple[int, str]:
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_journal", stdout=StringIO(), stderr=err)
    return int(exit_info.value.code or 0), err.getvalue()


def _publish_at(*sizes: int) -> list[int]:
    """Checkpoints at these tree sizes; the entries' numbers by leaf index (on PostgreSQL
    they do not start at 1: the number sequence outlives the tests' rollbacks)."""
    numbers: list[int] = []
    for size in sizes:
        numbers += journal_of(size - len(numbers))
        checkpoints.publish_checkpoint(force=True)
    return numbers


def test_a_rewritten_entry_is_named_by_check_journal() -> None:
    sixth = _publish_at(5, 6, 9)[5]
    rewrite_entry(sixth)
    assert check_tree().intact  # the database alone no longer shows it

    code, message = _check_journal()

    assert code == 1
    assert "Journal altéré" in message
    assert f"Entrée n° {sixth} (feuille n° 5) réécrite" in message
    assert "point de contrôle de taille 6" in message


def test_the_first_lost_checkpoint_is_found_among_many() -> None:
    numbers = _publish_at(*range(2, 40, 3))
    rewrite_entry(numbers[19])

    (problem,) = verify_checkpoints()

    assert problem.kind == "rewritten"
    assert problem.tree_size == 20  # the first checkpoint past the rewritten leaf 19
    # The proof from 17 to 20 authenticates the subtree of the leaves 18 and 19.
    assert problem.sequence == numbers[18]
    assert (
        f"parmi les entrées n° {numbers[18]} à {numbers[19]} (feuilles n° 18 à 19"
        in problem.message
    )


@pytest.mark.parametrize(("rewritten", "first", "last"), [(2, 2, 3), (6, 4, 7), (11, 8, 11)])
def test_between_distant_checkpoints_the_range_is_named(
    rewritten: int, first: int, last: int
) -> None:
    numbers = _publish_at(2, 12, 14)
    rewrite_entry(numbers[rewritten])

    (problem,) = verify_checkpoints()

    # The proof from 2 to 12 authenticates the subtrees of leaves [2, 4), [4, 8), [8, 12).
    assert problem.kind == "rewritten" and problem.tree_size == 12
    assert problem.sequence == numbers[first]
    assert (
        f"parmi les entrées n° {numbers[first]} à {numbers[last]} "
        f"(feuilles n° {first} à {last} ;" in problem.message
    )


def test_entries_cut_from_the_tree_are_reported() -> None:
    numbers = _publish_at(3, 5)
    rebuild_tree(numbers[:3])

    problems = verify_checkpoints()

    assert [(p.tree_size, p.kind) for p in problems] == [(5, "truncated")]
    assert "ne compte que 3 feuilles" in problems[0].message


def test_no_checkpoint_is_signed_over_a_rewritten_tree() -> None:
    numbers = _publish_at(4)
    rewrite_entry(numbers[1])
    journal_of(1)

    with pytest.raises(checkpoints.CheckpointRefused) as refused:
        checkpoints.publish_checkpoint(force=True)

    assert "point de contrôle signé de taille 4" in refused.value.message
    assert Checkpoint.objects.count() == 1


def test_a_changed_note_or_timestamp_is_reported() -> None:
    _publish_at(3, 5)
    first = Checkpoint.objects.get(tree_size=3)
    Checkpoint.objects.filter(pk=first.pk).update(
        note=first.note.replace("\n3\n", "\n4\n"), timestamp_response=b"not a tsr"
    )

    kinds = {(p.tree_size, p.kind) for p in verify_checkpoints()}

    assert (3, "signature") in kinds


def test_a_forged_timestamp_is_reported() -> None:
    _publish_at(3, 5)
    first, second = Checkpoint.objects.order_by("tree_size")
    Checkpoint.objects.filter(pk=first.pk).update(
        timestamp_response=bytes(second.timestamp_response)
    )

    problems = verify_checkpoints()

    assert [(p.tree_size, p.kind) for p in problems] == [(3, "timestamp")]
    assert "horodatage" in problems[0].message
